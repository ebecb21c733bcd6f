//! 统计指标: every figure on a small hand-computed set of cases, who may see them, the checks of
//! the period, the CSV for Excel, the workflow keeping the facts, and the demo year.

use app::api::{CaseList, CaseStatus, FigureKey, Figures, Stats};
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::TestApp;
use crate::pre_review::{submitted_case, with_items, GA_ITEM};

struct Case<'a> {
    id: &'a str,
    department: &'a str,
    item: &'a str,
    status: &'a str,
    submitted_at: &'a str,
    due: Option<&'a str>,
    decided_at: Option<&'a str>,
    returns: i64,
    /// level, rated_at, rectified_at
    rating: Option<(&'a str, &'a str, Option<&'a str>)>,
}

async fn insert(app: &TestApp, cases: &[Case<'_>]) {
    let pool = &app.state.db.pool;
    sqlx::query("INSERT INTO applicants (id, phone, uscc, created_at, last_login_at) VALUES ('stats-a', '13800000042', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
        .execute(pool)
        .await
        .unwrap();
    for (n, c) in cases.iter().enumerate() {
        sqlx::query(
            "INSERT INTO cases (id, applicant_id, item_code, item_name, department_code, department_name, guide, status, \
             form, answers, applicant_name, number, due_date, created_at, updated_at, submitted_at, decided_at, returns, seq) \
             VALUES ($1, 'stats-a', $2, $2, $3, $3, '{}', $4, '{}', '{}', '张三', $5, $6, $7, $7, $7, $8, $9, $10)",
        )
        .bind(c.id)
        .bind(c.item)
        .bind(c.department)
        .bind(c.status)
        .bind(format!("SFQ-T-{n:04}"))
        .bind(c.due)
        .bind(c.submitted_at)
        .bind(c.decided_at)
        .bind(c.returns)
        .bind(n as i64 + 1)
        .execute(pool)
        .await
        .unwrap();
        if let Some((level, at, rectified)) = c.rating {
            let bad = i64::from(matches!(level, "dissatisfied" | "very_dissatisfied"));
            sqlx::query(
                "INSERT INTO ratings (case_id, level, is_bad, comment, created_at, seq, rectification, rectified_at) \
                 VALUES ($1, $2, $3, '', $4, $5, $6, $7)",
            )
            .bind(c.id)
            .bind(level)
            .bind(bad)
            .bind(at)
            .bind(n as i64 + 1)
            .bind(rectified.map(|_| "已整改"))
            .bind(rectified)
            .execute(pool)
            .await
            .unwrap();
        }
    }
}

/// March 2026 has no holidays; 03-02 is a Monday. Times are UTC (Beijing − 8 h).
fn march() -> Vec<Case<'static>> {
    vec![
        // 15 working days promised, decided after 8: early. Returned once. 非常满意.
        Case {
            id: "c1",
            department: "ga",
            item: "SFQ-GA-0001",
            status: "completed",
            submitted_at: "2026-03-02T02:00:00Z",
            due: Some("2026-03-23"),
            decided_at: Some("2026-03-12T03:00:00Z"),
            returns: 1,
            rating: Some(("very_satisfied", "2026-03-13T02:00:00Z", None)),
        },
        // 5 promised, 不予受理 after 6: late. 差评 answered two working days later.
        Case {
            id: "c2",
            department: "ga",
            item: "SFQ-GA-0003",
            status: "rejected",
            submitted_at: "2026-03-02T02:00:00Z",
            due: Some("2026-03-09"),
            decided_at: Some("2026-03-10T02:00:00Z"),
            returns: 0,
            rating: Some((
                "dissatisfied",
                "2026-03-10T10:00:00Z",
                Some("2026-03-12T02:00:00Z"),
            )),
        },
        // Submitted Thursday 20:00 Beijing: accepted Friday; decided on the due day (on time,
        // not early) after 1 working day. Returned twice. 差评 not yet answered.
        Case {
            id: "c3",
            department: "ga",
            item: "SFQ-GA-0007",
            status: "completed",
            submitted_at: "2026-03-05T12:00:00Z",
            due: Some("2026-03-09"),
            decided_at: Some("2026-03-09T01:00:00Z"),
            returns: 2,
            rating: Some(("very_dissatisfied", "2026-03-09T08:00:00Z", None)),
        },
        Case {
            id: "c4",
            department: "ga",
            item: "SFQ-GA-0002",
            status: "withdrawn",
            submitted_at: "2026-03-16T02:00:00Z",
            due: Some("2026-03-16"),
            decided_at: None,
            returns: 0,
            rating: None,
        },
        // Still waiting, long overdue: 红牌.
        Case {
            id: "c5",
            department: "ga",
            item: "SFQ-GA-0006",
            status: "submitted",
            submitted_at: "2026-03-20T02:00:00Z",
            due: Some("2026-03-20"),
            decided_at: None,
            returns: 0,
            rating: None,
        },
        // 00:30 on 03-01 in Beijing: in March. Approved, not completed, overdue: 红牌.
        Case {
            id: "c8",
            department: "ga",
            item: "SFQ-GA-0004",
            status: "approved",
            submitted_at: "2026-02-28T16:30:00Z",
            due: Some("2026-03-09"),
            decided_at: None,
            returns: 0,
            rating: None,
        },
        // 00:10 on 04-01 in Beijing: not in March.
        Case {
            id: "c6",
            department: "ga",
            item: "SFQ-GA-0001",
            status: "completed",
            submitted_at: "2026-03-31T16:10:00Z",
            due: Some("2026-04-22"),
            decided_at: Some("2026-04-02T02:00:00Z"),
            returns: 0,
            rating: None,
        },
        // Another department, 即办 decided the same day.
        Case {
            id: "c7",
            department: "mz",
            item: "SFQ-MZ-0001",
            status: "completed",
            submitted_at: "2026-03-03T02:00:00Z",
            due: Some("2026-03-03"),
            decided_at: Some("2026-03-03T05:00:00Z"),
            returns: 0,
            rating: None,
        },
    ]
}

fn parts(figures: &Figures, key: FigureKey) -> (i64, i64) {
    let f = figures.figure(key).unwrap();
    (f.numerator, f.denominator)
}

both!(
    figures_match_a_hand_computed_month,
    |app: TestApp| async move {
        insert(&app, &march()).await;
        let manager = app.sign_in_staff("manager").await;
        let response = app
            .get_as(
                &manager,
                "/api/admin/stats?from=2026-03-01&to=2026-03-31&department=ga",
            )
            .await;
        assert_eq!(response.status, 200, "{}", response.text());
        let stats: Stats = response.parse();
        let ga = &stats.total;
        assert!(!stats.includes_demo);
        assert_eq!(stats.departments.len(), 1);
        assert_eq!(stats.departments[0].figures, *ga);
        assert_eq!(ga.received, 6);
        assert_eq!(ga.decided, 3);
        let count = |s: CaseStatus| ga.by_status.iter().find(|c| c.status == s).unwrap().count;
        assert_eq!(count(CaseStatus::Submitted), 1);
        assert_eq!(count(CaseStatus::Approved), 1);
        assert_eq!(count(CaseStatus::Completed), 2);
        assert_eq!(count(CaseStatus::Rejected), 1);
        assert_eq!(count(CaseStatus::Withdrawn), 1);
        assert_eq!(count(CaseStatus::Returned), 0);
        assert_eq!((ga.red, ga.yellow), (2, 0));
        use FigureKey as K;
        assert_eq!(parts(ga, K::CompletionRate), (3, 5));
        assert_eq!(parts(ga, K::OnTimeRate), (2, 3));
        assert_eq!(parts(ga, K::EarlyRate), (1, 3));
        assert_eq!(parts(ga, K::ImmediateShare), (2, 6));
        assert_eq!(parts(ga, K::PromisedShare), (4, 6));
        assert_eq!(parts(ga, K::JointShare), (0, 6));
        // 公安's items with a statutory limit: 15/60, 5/20, 5/15, 0/1, 1/3.
        assert_eq!(parts(ga, K::PromiseRatio), (26, 99));
        assert_eq!(parts(ga, K::ActualToPromised), (8 + 6 + 1, 15 + 5 + 1));
        assert_eq!(parts(ga, K::OnlineShare), (2, 6));
        assert_eq!(parts(ga, K::MaxOneVisitShare), (6, 6));
        assert_eq!(parts(ga, K::ZeroVisitShare), (3, 6));
        assert_eq!(parts(ga, K::SatisfactionRate), (1, 3));
        assert_eq!(parts(ga, K::ComplaintFixRate), (1, 2));
        assert_eq!(parts(ga, K::ComplaintAnswerDays), (2, 1));
        assert_eq!(parts(ga, K::DecisionDays), (15, 3));
        assert_eq!(parts(ga, K::ReturnsPerCase), (3, 6));
        let rate = ga.figure(K::CompletionRate).unwrap();
        assert_eq!(rate.value, Some(0.6));
        assert_eq!(rate.label, "办结率");
        assert!(rate.definition.contains("÷"), "{}", rate.definition);
        assert_eq!(ga.figure(K::JointShare).unwrap().value, Some(0.0));

        // The centre: 民政's same-day case too.
        let centre: Stats = app
            .get_as(&manager, "/api/admin/stats?from=2026-03-01&to=2026-03-31")
            .await
            .parse();
        assert_eq!(centre.total.received, 7);
        assert_eq!(parts(&centre.total, K::CompletionRate), (4, 6));
        assert_eq!(parts(&centre.total, K::OnTimeRate), (3, 4));
        assert_eq!(parts(&centre.total, K::EarlyRate), (1, 4));
        assert_eq!(parts(&centre.total, K::DecisionDays), (15, 4));
        assert_eq!(centre.departments.len(), 16);
        let mz = centre.departments.iter().find(|d| d.code == "mz").unwrap();
        assert_eq!(mz.figures.received, 1);
        assert_eq!(mz.name, "示范区民政局");

        // Month by month, the period's ends in Beijing time.
        let months: Stats = app
            .get_as(
                &manager,
                "/api/admin/stats?from=2026-02-15&to=2026-04-15&department=ga",
            )
            .await
            .parse();
        let per_month: Vec<(&str, i64)> = months
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.figures.received))
            .collect();
        assert_eq!(per_month, [("2026-02", 0), ("2026-03", 6), ("2026-04", 1)]);
        assert_eq!(months.total.received, 7);
    }
);

both!(only_managers_see_the_figures, |app: TestApp| async move {
    let reviewer = app.sign_in_staff("ga_reviewer").await;
    let applicant = app.sign_in_applicant("13800138031").await;
    for url in ["/api/admin/stats", "/api/admin/stats.csv"] {
        assert_eq!(app.get(url).await.status, 401, "{url}");
        let refused = app.get_as(&reviewer, url).await;
        assert_eq!(refused.status, 403, "{url}");
        assert_eq!(refused.json()["code"], "forbidden");
        assert_eq!(app.get_as(&applicant, url).await.status, 401, "{url}");
    }
});

both!(bad_periods_name_their_field, |app: TestApp| async move {
    let manager = app.sign_in_staff("manager").await;
    for (query, field) in [
        ("from=2026-02-30", "from"),
        ("from=yesterday", "from"),
        ("to=2026-13-01", "to"),
        ("from=2026-05-01&to=2026-04-30", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
        ("department=nowhere", "department"),
    ] {
        for path in ["/api/admin/stats", "/api/admin/stats.csv"] {
            let response = app.get_as(&manager, &format!("{path}?{query}")).await;
            assert_eq!(response.status, 422, "{path}?{query}: {}", response.text());
            let body = response.json();
            let message = body["fields"][field].as_str().unwrap_or_default();
            assert!(
                message.contains('期') || message.contains("部门") || message.contains("区间"),
                "{query}: {message}"
            );
        }
    }
});

both!(the_csv_opens_in_excel, |app: TestApp| async move {
    insert(&app, &march()).await;
    let manager = app.sign_in_staff("manager").await;
    let response = app
        .get_as(
            &manager,
            "/api/admin/stats.csv?from=2026-03-01&to=2026-03-31",
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(response.header("content-type").starts_with("text/csv"));
    assert!(response
        .header("content-disposition")
        .contains("stats-2026-03-01-2026-03-31.csv"));
    assert_eq!(
        &response.body[..3],
        b"\xEF\xBB\xBF",
        "UTF-8 byte order mark"
    );
    let text = response.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("部门,办件量,办结数（含不予受理）,待预审"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("按时办结率") && lines[0].contains("好评率"));
    // 16 departments and the centre.
    assert_eq!(lines.len(), 1 + 16 + 1);
    let ga = lines
        .iter()
        .find(|l| l.starts_with("示范区公安分局,"))
        .unwrap();
    assert!(
        ga.starts_with("示范区公安分局,6,3,1,0,1,2,1,1,2,0,60.00%,66.67%,33.33%"),
        "{ga}"
    );
    assert!(lines[17].starts_with("全中心,7,4,"), "{}", lines[17]);
});

both!(
    decisions_are_dated_and_returns_counted,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13800138032").await;
        let (id, _) = submitted_case(&app, &user, GA_ITEM).await;
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        let rejected = app
        .post_json(
            &format!("/api/staff/cases/{id}/decision"),
            Some(&reviewer),
            &json!({ "action": "reject", "note": "不属于本部门受理范围", "legal_basis": "《行政许可法》第三十二条" }),
        )
        .await;
        assert_eq!(rejected.status, 200, "{}", rejected.text());
        let row = sqlx::query("SELECT decided_at, returns FROM cases WHERE id = $1")
            .bind(&id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let decided: Option<String> = row.get("decided_at");
        assert!(decided.is_some_and(|d| d.ends_with('Z')));
        assert_eq!(row.get::<i64, _>("returns"), 0);

        let manager = app.sign_in_staff("manager").await;
        let today = server::clock::today_beijing().to_string();
        let stats: Stats = app
            .get_as(
                &manager,
                &format!("/api/admin/stats?from={today}&to={today}&department=ga"),
            )
            .await
            .parse();
        assert_eq!(stats.total.received, 1);
        assert_eq!(parts(&stats.total, FigureKey::CompletionRate), (1, 1));
        assert_eq!(parts(&stats.total, FigureKey::DecisionDays).1, 1);
    }
);

both!(
    the_demo_year_only_feeds_the_figures,
    |app: TestApp| async move {
        let started = std::time::Instant::now();
        let added = server::stats::demo_history::load(&app.state).await.unwrap();
        eprintln!("demo year loaded in {:?}", started.elapsed());
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
        assert!(added > 1000, "{added}");
        // Once only.
        assert_eq!(
            server::stats::demo_history::load(&app.state).await.unwrap(),
            0
        );

        let manager = app.sign_in_staff("manager").await;
        let stats: Stats = app.get_as(&manager, "/api/admin/stats").await.parse();
        assert!(stats.includes_demo);
        assert!(stats.total.received > 900, "{}", stats.total.received);
        assert!(
            stats
                .months
                .iter()
                .filter(|m| m.figures.received > 0)
                .count()
                >= 11
        );

        // No queue, supervision or lookup shows them.
        for url in [
            "/api/staff/cases",
            "/api/staff/cases?status=completed",
            "/api/manager/supervision",
        ] {
            let list: CaseList = app.get_as(&manager, url).await.parse();
            assert!(list.cases.is_empty(), "{url}: {}", list.cases.len());
        }
        let number: String = sqlx::query_scalar("SELECT number FROM cases WHERE demo = 1 LIMIT 1")
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        let track = app
            .get(&format!(
                "/api/track?number={number}&name=%E6%BC%94%E7%A4%BA"
            ))
            .await;
        assert_ne!(track.status, 200, "{}", track.text());
    }
);
