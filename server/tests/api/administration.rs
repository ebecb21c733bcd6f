//! Centre administration (issue 14): staff accounts managed by the managers — who may, the
//! one-time password and the forced change, the password policy, disabling ends sessions,
//! every change audited.

use app::api::{CaseList, OneTimePassword, StaffAccount, StaffAccountList};
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::{session_cookie, TestApp, TestResponse, User};
use crate::pre_review::{submitted_case, with_items, GA_ITEM};

async fn login(app: &TestApp, username: &str, password: &str, new: Option<&str>) -> TestResponse {
    app.post_json(
        "/api/staff/login",
        None,
        &json!({ "username": username, "password": password, "new_password": new }),
    )
    .await
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query("SELECT action, detail FROM audit_log ORDER BY seq")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("action"), r.get("detail")))
        .collect()
}

both!(only_managers_manage_staff, |app: TestApp| async move {
    let reviewer = app.sign_in_staff("ga_reviewer").await;
    let applicant = app.sign_in_applicant("13800138061").await;
    let new = json!({ "username": "ga_li", "display_name": "公安审核员 李*", "role": "reviewer", "department": "ga" });
    for (method, url) in [
        ("GET", "/api/admin/staff"),
        ("POST", "/api/admin/staff"),
        ("PUT", "/api/admin/staff/ga_reviewer/status"),
        ("POST", "/api/admin/staff/ga_reviewer/password-reset"),
    ] {
        let body = || {
            axum::body::Body::from(if method == "PUT" {
                json!({ "enabled": false }).to_string()
            } else {
                new.to_string()
            })
        };
        let headers = [("content-type", "application/json")];
        let anonymous = app.send(method, url, None, &headers, body()).await;
        assert_eq!(anonymous.status, 401, "{method} {url}");
        let refused = app
            .send(method, url, Some(&reviewer), &headers, body())
            .await;
        assert_eq!(refused.status, 403, "{method} {url}: {}", refused.text());
        assert_eq!(refused.json()["code"], "forbidden");
        let applicant = app
            .send(method, url, Some(&applicant), &headers, body())
            .await;
        assert_eq!(applicant.status, 401, "{method} {url}");
    }
    // Nothing was changed by the refused calls.
    let manager = app.sign_in_staff("manager").await;
    let list: StaffAccountList = app.get_as(&manager, "/api/admin/staff").await.parse();
    assert!(list.accounts.iter().all(|a| a.username != "ga_li"));
    let ga = list
        .accounts
        .iter()
        .find(|a| a.username == "ga_reviewer")
        .unwrap();
    assert!(ga.enabled && !ga.must_change_password);
    assert_eq!(ga.department_name.as_deref(), Some("示范区公安分局"));
    assert_eq!(list.accounts[0].username, "manager", "managers first");
});

both!(
    a_new_reviewer_sets_a_password_then_sees_their_department,
    |app: TestApp| async move {
        with_items(&app).await;
        let citizen = app.sign_in_applicant("13900009998").await;
        let (ga_case, _) = submitted_case(&app, &citizen, GA_ITEM).await;
        let manager = app.sign_in_staff("manager").await;
        let made = app
            .post_json(
                "/api/admin/staff",
                Some(&manager),
                &json!({ "username": " ga_li ", "display_name": "公安审核员 李*", "role": "reviewer", "department": "ga" }),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text());
        let made: OneTimePassword = made.parse();
        assert_eq!(made.account.username, "ga_li");
        assert!(made.account.must_change_password && made.account.enabled);
        let once = made.one_time_password.clone();
        assert_eq!(once.chars().count(), 12);
        assert!(app::rules::staff_account::check_password(&once, "ga_li").is_ok());
        let stored: String =
            sqlx::query("SELECT password_hash FROM staff WHERE username = 'ga_li'")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
                .get("password_hash");
        assert!(!stored.contains(&once), "only a hash is stored");

        // The one-time password alone never opens a session.
        let wrong = login(&app, "ga_li", "not the password 1", None).await;
        assert_eq!(wrong.status, 401);
        let asked = login(&app, "ga_li", &once, None).await;
        assert_eq!(asked.status, 409, "{}", asked.text());
        assert_eq!(asked.json()["code"], "password_change_required");
        assert!(asked.header("set-cookie").is_empty());
        // The policy, named on its field; nothing is changed by a refused password.
        for (bad, words) in [
            ("short1", "至少"),
            ("onlyletterslong", "字母和数字"),
            ("xga_li2027abc", "用户名"),
            ("Demo@2026", "示范密码"),
            (once.as_str(), "相同"),
        ] {
            let refused = login(&app, "ga_li", &once, Some(bad)).await;
            assert_eq!(refused.status, 422, "{bad}: {}", refused.text());
            let message = refused.json()["fields"]["new_password"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(message.contains(words), "{bad}: {message}");
        }
        let set = login(&app, "ga_li", &once, Some("Spring2027ok")).await;
        assert_eq!(set.status, 200, "{}", set.text());
        let li = User {
            cookie: session_cookie(&set),
        };
        let queue: CaseList = app.get_as(&li, "/api/staff/cases").await.parse();
        assert_eq!(
            queue
                .cases
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            [ga_case.as_str()]
        );
        // The one-time password is spent; the new one signs in without a change.
        assert_eq!(login(&app, "ga_li", &once, None).await.status, 401);
        assert_eq!(login(&app, "ga_li", "Spring2027ok", None).await.status, 200);
        let account: StaffAccountList = app.get_as(&manager, "/api/admin/staff").await.parse();
        let li_account = account
            .accounts
            .iter()
            .find(|a| a.username == "ga_li")
            .unwrap();
        assert!(!li_account.must_change_password);

        let actions = audit_actions(&app).await;
        assert!(actions
            .iter()
            .any(|(a, d)| a == "新建工作人员账号" && d.contains("ga_li") && d.contains("部门 ga")));
        assert!(actions.iter().any(|(a, _)| a == "设置新密码"));
        assert!(
            actions.iter().all(|(_, d)| !d.contains(&once)),
            "the one-time password is never logged"
        );
    }
);

both!(
    new_accounts_name_every_wrong_field,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        for (body, field, words) in [
            (
                json!({ "username": "GA Li", "display_name": "李*", "role": "reviewer", "department": "ga" }),
                "username",
                "小写字母",
            ),
            (
                json!({ "username": "ga_reviewer", "display_name": "李*", "role": "reviewer", "department": "ga" }),
                "username",
                "已被使用",
            ),
            (
                json!({ "username": "ga_li", "display_name": " ", "role": "reviewer", "department": "ga" }),
                "display_name",
                "姓名",
            ),
            (
                json!({ "username": "ga_li", "display_name": "李*", "role": "reviewer" }),
                "department",
                "部门",
            ),
            (
                json!({ "username": "ga_li", "display_name": "李*", "role": "reviewer", "department": "nope" }),
                "department",
                "nope",
            ),
            (
                json!({ "username": "boss", "display_name": "李*", "role": "manager", "department": "ga" }),
                "department",
                "不选部门",
            ),
        ] {
            let refused = app
                .post_json("/api/admin/staff", Some(&manager), &body)
                .await;
            assert_eq!(refused.status, 422, "{body}: {}", refused.text());
            let message = refused.json()["fields"][field]
                .as_str()
                .unwrap_or_default()
                .to_string();
            assert!(message.contains(words), "{body}: {message}");
        }
        let several = app
            .post_json(
                "/api/admin/staff",
                Some(&manager),
                &json!({ "username": "x", "display_name": "", "role": "reviewer" }),
            )
            .await;
        assert_eq!(several.status, 422);
        assert_eq!(several.json()["fields"].as_object().unwrap().len(), 3);
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM staff WHERE username IN ('ga_li', 'boss', 'x')")
                .fetch_one(&app.state.db.pool)
                .await
                .unwrap()
                .get("n");
        assert_eq!(count, 0);
    }
);

both!(
    disabled_accounts_cannot_sign_in_and_their_sessions_end,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let ga = app.sign_in_staff("ga_reviewer").await;
        assert_eq!(app.get_as(&ga, "/api/me").await.status, 200);
        let off = app
            .put_json(
                "/api/admin/staff/ga_reviewer/status",
                Some(&manager),
                &json!({ "enabled": false }),
            )
            .await;
        assert_eq!(off.status, 200, "{}", off.text());
        assert!(!off.parse::<StaffAccount>().enabled);
        assert_eq!(
            app.get_as(&ga, "/api/me").await.status,
            401,
            "the session ended"
        );
        let refused = login(
            &app,
            "ga_reviewer",
            server::demo_accounts::DEMO_PASSWORD,
            None,
        )
        .await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert!(refused.json()["message"].as_str().unwrap().contains("停用"));
        // A manager cannot lock themselves out.
        let own = app
            .put_json(
                "/api/admin/staff/manager/status",
                Some(&manager),
                &json!({ "enabled": false }),
            )
            .await;
        assert_eq!(own.status, 422);
        assert!(own.json()["fields"]["enabled"].is_string());
        let missing = app
            .put_json(
                "/api/admin/staff/nobody/status",
                Some(&manager),
                &json!({ "enabled": false }),
            )
            .await;
        assert_eq!(missing.status, 404);

        let on = app
            .put_json(
                "/api/admin/staff/ga_reviewer/status",
                Some(&manager),
                &json!({ "enabled": true }),
            )
            .await;
        assert!(on.parse::<StaffAccount>().enabled);
        assert_eq!(
            login(
                &app,
                "ga_reviewer",
                server::demo_accounts::DEMO_PASSWORD,
                None
            )
            .await
            .status,
            200
        );

        // A reset ends the sessions too and sets a one-time password.
        let ga = app.sign_in_staff("ga_reviewer").await;
        let reset = app
            .post_json(
                "/api/admin/staff/ga_reviewer/password-reset",
                Some(&manager),
                &json!({}),
            )
            .await;
        assert_eq!(reset.status, 200, "{}", reset.text());
        let reset: OneTimePassword = reset.parse();
        assert!(reset.account.must_change_password);
        assert_eq!(app.get_as(&ga, "/api/me").await.status, 401);
        assert_eq!(
            login(
                &app,
                "ga_reviewer",
                server::demo_accounts::DEMO_PASSWORD,
                None
            )
            .await
            .status,
            401,
            "the old password is gone"
        );
        let asked = login(&app, "ga_reviewer", &reset.one_time_password, None).await;
        assert_eq!(asked.status, 409);

        let actions: Vec<String> = audit_actions(&app)
            .await
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        for action in [
            "停用工作人员账号",
            "启用工作人员账号",
            "重置工作人员密码",
            "登录被拒绝",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
        }
    }
);

fn year_2027() -> serde_json::Value {
    json!({
        "year": 2027,
        "notice_number": "国办发明电〔2026〕7号",
        "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
        "holidays": [
            { "name": "元旦", "first": "2027-01-01", "last": "2027-01-03" },
            { "name": "春节", "first": "2027-02-06", "last": "2027-02-13" }
        ],
        "work_days": ["2027-02-20"]
    })
}

both!(
    a_holiday_year_entered_makes_its_due_dates_exact,
    |app: TestApp| async move {
        // A second server on the same database, following the shared version.
        let other = TestApp::open_existing(&app.url, app.upload_dir()).await;
        tokio::spawn(server::calendar::years::follow(other.state.clone()));
        let across = "/api/calendar/due?from=2026-12-21&working_days=20";
        for server in [&app, &other] {
            let unknown = server.get(across).await;
            assert_eq!(unknown.status, 422, "{}", unknown.text());
            assert_eq!(unknown.json()["code"], "calendar_not_published");
        }

        let url = "/api/admin/calendar/years/2027";
        assert_eq!(app.put_json(url, None, &year_2027()).await.status, 401);
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        assert_eq!(
            app.put_json(url, Some(&reviewer), &year_2027())
                .await
                .status,
            403
        );

        // Mistakes are named by field, and nothing is stored.
        let manager = app.sign_in_staff("manager").await;
        let mut bad = year_2027();
        bad["notice_number"] = json!("");
        bad["holidays"][1] = json!({ "name": "春节", "first": "2027-01-02", "last": "2027-01-05" });
        bad["work_days"] = json!(["2027-02-19"]);
        let refused = app.put_json(url, Some(&manager), &bad).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        let fields = refused.json()["fields"].clone();
        assert!(fields["notice_number"].as_str().unwrap().contains("文号"));
        assert!(fields["holidays.1.first"]
            .as_str()
            .unwrap()
            .contains("重叠"));
        assert!(fields["work_days.0"]
            .as_str()
            .unwrap()
            .contains("周六或周日"));
        let mismatch = app
            .put_json(
                "/api/admin/calendar/years/2028",
                Some(&manager),
                &year_2027(),
            )
            .await;
        assert_eq!(mismatch.status, 422);
        assert!(mismatch.json()["fields"]["year"].is_string());
        assert_eq!(app.get(across).await.status, 422);

        let saved = app.put_json(url, Some(&manager), &year_2027()).await;
        assert_eq!(saved.status, 200, "{}", saved.text());
        let saved: app::api::KnownYear = saved.parse();
        assert!(saved.source.contains("国办发明电〔2026〕7号"));

        // Exact at once on this server: 元旦 and the weekends skipped.
        let due: app::api::DueDate = app.get(across).await.parse();
        assert_eq!(due.due, "2027-01-19");
        assert!(due
            .skipped
            .iter()
            .any(|s| s.date == "2027-01-01" && s.reason == "元旦"));
        let festival: app::api::DueDate = app
            .get("/api/calendar/due?from=2027-02-05&working_days=1")
            .await
            .parse();
        assert_eq!(festival.due, "2027-02-15");
        let swap: app::api::DueDate = app
            .get("/api/calendar/due?from=2027-02-19&working_days=1")
            .await
            .parse();
        assert_eq!(swap.due, "2027-02-20", "调休上班 Saturday");

        // The known years say where each came from.
        let known: app::api::CalendarYears = app.get("/api/calendar/years").await.parse();
        let years: Vec<i32> = known.years.iter().map(|y| y.schedule.year).collect();
        assert_eq!(years, [2025, 2026, 2027]);
        assert!(known.years[1].source.contains("随本版本发布"));
        assert!(known.years[2].source.contains("中心管理者录入"));
        assert!(known.years[2]
            .entered_by
            .as_deref()
            .unwrap()
            .contains("manager"));
        assert_eq!(known.years[2].schedule.holidays.len(), 2);

        // …and on the other server within seconds.
        let started = std::time::Instant::now();
        loop {
            let answer = other.get(across).await;
            if answer.status == 200 {
                assert_eq!(answer.parse::<app::api::DueDate>().due, "2027-01-19");
                break;
            }
            assert!(
                started.elapsed() < server::calendar::years::FOLLOW_EVERY * 3,
                "the other server never saw 2027"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        // A server started later loads it too.
        let later = TestApp::open_existing(&app.url, app.upload_dir()).await;
        assert_eq!(later.get(across).await.status, 200);

        let actions = audit_actions(&app).await;
        assert!(actions
            .iter()
            .any(|(a, d)| a == "录入节假日安排" && d.contains("2027年") && d.contains("共 11 天")));
    }
);

async fn search_total(app: &TestApp, q: &str) -> (usize, Vec<String>) {
    let response = app
        .get(&format!("/api/items?q={}", crate::common::enc(q)))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let list: app::api::ItemList = response.parse();
    (list.total, list.items.into_iter().map(|i| i.code).collect())
}

both!(
    an_everyday_word_added_by_a_manager_finds_its_item,
    |app: TestApp| async move {
        // People search; nothing personal is kept, numbers are not kept at all.
        assert_eq!(search_total(&app, "办护照").await.0, 0);
        search_total(&app, "办护照").await;
        search_total(&app, "  身份证 ").await;
        search_total(&app, "13800138000").await;
        search_total(&app, "身份证 110101199003077758").await;

        let url = "/api/admin/search";
        assert_eq!(app.get(url).await.status, 401);
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        assert_eq!(app.get_as(&reviewer, url).await.status, 403);
        let word = json!({ "word": "办护照", "item_code": "SFQ-GA-0001" });
        assert_eq!(
            app.post_json("/api/admin/search/words", Some(&reviewer), &word)
                .await
                .status,
            403
        );

        let manager = app.sign_in_staff("manager").await;
        let seen: app::api::SearchInsights = app.get_as(&manager, url).await.parse();
        assert_eq!(seen.days, 30);
        let passport = seen.top.iter().find(|t| t.text == "办护照").unwrap();
        assert_eq!((passport.searches, passport.results), (2, 0));
        assert!(seen.top.iter().any(|t| t.text == "身份证" && t.results > 0));
        assert_eq!(
            seen.not_found
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["办护照"]
        );
        let kept: Vec<String> = sqlx::query("SELECT query FROM search_log")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("query"))
            .collect();
        assert!(
            kept.iter().all(|q| !q.chars().any(|c| c.is_ascii_digit())),
            "{kept:?}"
        );

        for (body, field) in [
            (json!({ "word": " ", "item_code": "SFQ-GA-0001" }), "word"),
            (
                json!({ "word": "办护照", "item_code": "SFQ-NONE" }),
                "item_code",
            ),
            (
                json!({ "word": "13800138000", "item_code": "SFQ-GA-0001" }),
                "word",
            ),
        ] {
            let refused = app
                .post_json("/api/admin/search/words", Some(&manager), &body)
                .await;
            assert_eq!(refused.status, 422, "{body}: {}", refused.text());
            assert!(refused.json()["fields"][field].is_string(), "{body}");
        }

        let added = app
            .post_json("/api/admin/search/words", Some(&manager), &word)
            .await;
        assert_eq!(added.status, 201, "{}", added.text());
        let added: app::api::SearchWord = added.parse();
        assert_eq!(added.item_name, "居民身份证申领、换领、补领");
        // The snapshot is rebuilt: the search finds it now.
        let (total, codes) = search_total(&app, "办护照").await;
        assert!(total >= 1);
        assert_eq!(codes[0], "SFQ-GA-0001");
        let twice = app
            .post_json("/api/admin/search/words", Some(&manager), &word)
            .await;
        assert_eq!(twice.status, 422);

        let seen: app::api::SearchInsights = app.get_as(&manager, url).await.parse();
        assert!(seen.not_found.is_empty(), "{:?}", seen.not_found);
        assert_eq!(seen.words.len(), 1);
        assert_eq!(seen.words[0].word, "办护照");
        // Also after a restart.
        let later = TestApp::open_existing(&app.url, app.upload_dir()).await;
        assert_eq!(search_total(&later, "办护照").await.1[0], "SFQ-GA-0001");
        assert!(audit_actions(&app)
            .await
            .iter()
            .any(|(a, d)| a == "添加搜索词" && d.contains("办护照")));

        // Removed again: the search no longer finds the item by it.
        let word_url = format!(
            "/api/admin/search/words/SFQ-GA-0001/{}",
            crate::common::enc("办护照")
        );
        let delete = |who: &User| {
            let (app, url) = (&app, &word_url);
            let who = who.clone();
            async move {
                app.send("DELETE", url, Some(&who), &[], axum::body::Body::empty())
                    .await
                    .status
            }
        };
        assert_eq!(delete(&reviewer).await, 403);
        assert_eq!(delete(&manager).await, 204);
        assert_eq!(search_total(&app, "办护照").await.0, 0);
        assert_eq!(delete(&manager).await, 404);
        assert!(audit_actions(&app)
            .await
            .iter()
            .any(|(a, d)| a == "删除搜索词" && d.contains("办护照")));
    }
);
