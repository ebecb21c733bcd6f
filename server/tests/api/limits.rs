//! The smaller limits: upload quotas, abandoned `.part` files, expiring rate events, download
//! names, failed lookups per 受理编号, demo accounts off loopback, `server staff add`, and the
//! header-read and request timeouts.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use futures_util::StreamExt as _;
use serde_json::json;
use sqlx::Row;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::both;
use crate::common::{session_cookie, TestApp, TestResponse};
use crate::pre_review::{
    create_case, save, submitted_case, upload, valid_form, with_items, GA_ITEM, PDF, PNG, SJ_ITEM,
};
use server::demo_accounts::DEMO_PASSWORD;
use server::upload_quota::UploadQuota;

/// A PDF of its own content (so it is stored as its own file).
fn pdf(tag: &str) -> Vec<u8> {
    [PDF, tag.as_bytes()].concat()
}

fn quota_error(response: &TestResponse, status: u16, words: &str) {
    assert_eq!(response.status, status, "{}", response.text());
    let body = response.json();
    assert_eq!(body["code"], "quota_exceeded", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
}

/// Files under the upload directory (stored files and temporary ones).
fn stored_files(app: &TestApp) -> Vec<String> {
    let mut names = Vec::new();
    for dir in [app.upload_dir().to_path_buf(), app.upload_dir().join("tmp")] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                if entry.file_type().unwrap().is_file() {
                    names.push(entry.file_name().to_string_lossy().into_owned());
                }
            }
        }
    }
    names.sort();
    names
}

both!(
    a_case_holds_a_limited_number_of_files_and_bytes,
    |app: TestApp| async move {
        with_items(&app).await;
        let per_case = (PDF.len() as u64 + 2) * 2 + 1;
        let app = app.rebuild(|s| {
            s.upload_quota = UploadQuota {
                files_per_case: 3,
                bytes_per_case: per_case,
                ..UploadQuota::default()
            }
        });
        let user = app.sign_in_applicant("13900005101").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        save(&app, &user, &id, &valid_form()).await;
        for tag in ["a1", "a2"] {
            let ok = upload(&app, &user, &id, "id_card", "id.pdf", &pdf(tag)).await;
            assert_eq!(ok.status, 200, "{}", ok.text());
        }
        let before = stored_files(&app);
        // Old versions count: two files of this case are kept, the third would pass the bytes.
        let over = upload(&app, &user, &id, "lease_contract", "lease.pdf", &pdf("a3")).await;
        quota_error(&over, 413, "每个办件的材料合计不能超过");
        assert_eq!(stored_files(&app), before, "the refused file is not kept");

        // With room for bytes, the file count is the limit.
        let app = app.rebuild(|s| {
            s.upload_quota = UploadQuota {
                files_per_case: 2,
                ..UploadQuota::default()
            }
        });
        let full = upload(&app, &user, &id, "lease_contract", "lease.pdf", &pdf("a4")).await;
        quota_error(&full, 422, "最多保存 2 个文件");

        // Another case of the same applicant still has its own room.
        let other = create_case(&app, &user, SJ_ITEM).await.summary.id;
        save(&app, &user, &other, &valid_form()).await;
        let ok = upload(&app, &user, &other, "id_card", "id.pdf", &pdf("b1")).await;
        assert_eq!(ok.status, 200, "{}", ok.text());
    }
);

both!(
    an_applicant_uploads_a_limited_amount_a_day,
    |app: TestApp| async move {
        with_items(&app).await;
        let app = app.rebuild(|s| {
            s.upload_quota = UploadQuota {
                files_per_applicant: 3,
                bytes_per_applicant: (PDF.len() as u64 + 2) * 2 + 1,
                ..UploadQuota::default()
            }
        });
        let user = app.sign_in_applicant("13900005102").await;
        let mut cases = Vec::new();
        // Two items: a second 在线申请 for the same item would reopen the first draft.
        for item in [GA_ITEM, SJ_ITEM] {
            let id = create_case(&app, &user, item).await.summary.id;
            save(&app, &user, &id, &valid_form()).await;
            cases.push(id);
        }
        for (id, tag) in cases.iter().zip(["c1", "c2"]) {
            let ok = upload(&app, &user, id, "id_card", "id.pdf", &pdf(tag)).await;
            assert_eq!(ok.status, 200, "{}", ok.text());
        }
        let over = upload(
            &app,
            &user,
            &cases[0],
            "lease_contract",
            "l.pdf",
            &pdf("c3"),
        )
        .await;
        quota_error(&over, 413, "每位申请人 24 小时内上传的文件合计不能超过");

        let app = app.rebuild(|s| {
            s.upload_quota = UploadQuota {
                files_per_applicant: 2,
                ..UploadQuota::default()
            }
        });
        let full = upload(
            &app,
            &user,
            &cases[1],
            "lease_contract",
            "l.pdf",
            &pdf("c4"),
        )
        .await;
        quota_error(&full, 422, "每位申请人 24 小时内最多上传 2 个文件");

        // Someone else is not affected.
        let other = app.sign_in_applicant("13900005103").await;
        let id = create_case(&app, &other, GA_ITEM).await.summary.id;
        save(&app, &other, &id, &valid_form()).await;
        let ok = upload(&app, &other, &id, "id_card", "id.pdf", &pdf("d1")).await;
        assert_eq!(ok.status, 200, "{}", ok.text());
    }
);

both!(
    abandoned_part_files_are_removed_at_start_up,
    |app: TestApp| async move {
        let dir = app.upload_dir().to_path_buf();
        let tmp = dir.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let stored = dir.join("0".repeat(64));
        std::fs::write(&stored, PDF).unwrap();
        let abandoned = tmp.join("abandoned.part");
        std::fs::write(&abandoned, PDF).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&abandoned)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - Duration::from_secs(2 * 3600))
            .unwrap();
        // Written a moment ago: may be an upload in progress of another server process.
        let in_progress = tmp.join("in-progress.part");
        std::fs::write(&in_progress, PDF).unwrap();

        server::start_up(&app.state).await.unwrap();
        assert!(!abandoned.exists(), "an abandoned .part file is deleted");
        assert!(in_progress.exists());
        assert!(stored.exists(), "stored files stay");
    }
);

both!(expired_rate_events_are_deleted, |app: TestApp| async move {
    let pool = &app.state.db.pool;
    let now = server::clock::now_unix();
    for (bucket, age) in [
        ("track:198.51.100.7", 2 * 86_400),
        ("staff_login_address:198.51.100.8", 86_400 + 60),
        ("track:198.51.100.9", 60),
    ] {
        sqlx::query("INSERT INTO rate_events (bucket, created_at) VALUES ($1, $2)")
            .bind(bucket)
            .bind(server::clock::rfc3339(now - age))
            .execute(pool)
            .await
            .unwrap();
    }
    server::start_up(&app.state).await.unwrap();
    let left: Vec<String> = sqlx::query("SELECT bucket FROM rate_events ORDER BY bucket")
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("bucket"))
        .collect();
    assert_eq!(left, ["track:198.51.100.9"]);
    // The periodic purge deletes what ages meanwhile.
    assert_eq!(
        server::ratelimit::purge_expired(&app.state.db)
            .await
            .unwrap(),
        0
    );
});

/// The name a download is saved as, from `filename*=UTF-8''…`.
fn download_name(response: &TestResponse) -> String {
    assert_eq!(response.status, 200, "{}", response.text());
    let disposition = response.header("content-disposition");
    let encoded = disposition
        .split_once("filename*=UTF-8''")
        .unwrap_or_else(|| panic!("{disposition}"))
        .1;
    percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

both!(
    download_names_take_the_detected_type_and_drop_direction_marks,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900005104").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        save(&app, &user, &id, &valid_form()).await;
        let file = |response: TestResponse| {
            assert_eq!(response.status, 200, "{}", response.text());
            response.json()["id"].as_str().unwrap().to_string()
        };
        // Shown as "发票exe.pdf", but an executable's name.
        let tricked = file(upload(&app, &user, &id, "id_card", "发票\u{202E}fdp.exe", PDF).await);
        let png = file(upload(&app, &user, &id, "photo", "扫描件.pdf", PNG).await);
        let kept = file(upload(&app, &user, &id, "lease_contract", "租赁合同.PDF", PDF).await);
        let get = |upload_id: String| {
            let app = &app;
            let user = user.clone();
            async move { app.get_as(&user, &format!("/api/files/{upload_id}")).await }
        };
        assert_eq!(download_name(&get(tricked.clone()).await), "发票fdp.pdf");
        assert_eq!(download_name(&get(png).await), "扫描件.png");
        assert_eq!(download_name(&get(kept).await), "租赁合同.PDF");

        // Names stored before uploads were cleaned are cleaned on the way out as well.
        sqlx::query("UPDATE uploads SET file_name = $1 WHERE id = $2")
            .bind("\u{2067}证明\u{2069}\u{200F}\u{7}.js")
            .bind(&tricked)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        assert_eq!(download_name(&get(tricked).await), "证明.pdf");
    }
);

both!(
    failed_lookups_of_one_number_are_limited_from_every_address,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900005105").await;
        let (_, submitted) = submitted_case(&app, &user, GA_ITEM).await;
        let number = submitted.number;
        let track = |peer: String, digits: &'static str| {
            let app = &app;
            let uri = format!("/api/track?number={number}&phone4={digits}");
            async move { app.send_from(&peer, "GET", &uri, &[], Body::empty()).await }
        };
        let found = track("198.51.100.1".into(), "5105").await;
        assert_eq!(found.status, 200, "{}", found.text());
        // Guesses spread over many addresses, each far below the per-address limit.
        for i in 0..server::cases::track::FAILURES_PER_NUMBER {
            let wrong = track(format!("203.0.113.{}", i + 10), "0000").await;
            assert_eq!(wrong.status, 404, "{}", wrong.text());
        }
        let limited = track("198.51.100.2".into(), "5105").await;
        assert_eq!(limited.status, 429, "{}", limited.text());
        assert_eq!(limited.json()["code"], "rate_limited");
        assert!(limited.json()["message"]
            .as_str()
            .unwrap()
            .contains("该受理编号查询失败次数过多"));
        assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
        // Other numbers, known or not, are not affected.
        let other = app
            .send_from(
                "198.51.100.2",
                "GET",
                "/api/track?number=SFQ-20990101-0001&phone4=1234",
                &[],
                Body::empty(),
            )
            .await;
        assert_eq!(other.status, 404, "{}", other.text());
    }
);

async fn staff_login(app: &TestApp, username: &str, password: &str) -> TestResponse {
    app.post_json(
        "/api/staff/login",
        None,
        &json!({ "username": username, "password": password }),
    )
    .await
}

both!(
    demo_accounts_are_refused_off_loopback,
    |app: TestApp| async move {
        use server::demo_accounts::allowed;
        assert_eq!(allowed("0.0.0.0", false, None), Ok(false));
        assert_eq!(allowed("127.0.0.1", false, None), Ok(true));
        assert_eq!(
            allowed("127.0.0.1", true, None),
            Ok(false),
            "behind a proxy"
        );
        assert_eq!(allowed("0.0.0.0", false, Some("1")), Ok(true));

        // Demo data on a server that is not on loopback: no demo accounts are made…
        let served = app.fresh_like(false).await;
        assert!(
            served.state.catalog().demo,
            "the demo catalog is still loaded"
        );
        let staff: i64 = sqlx::query("SELECT COUNT(*) AS n FROM staff")
            .fetch_one(&served.state.db.pool)
            .await
            .unwrap()
            .get("n");
        assert_eq!(staff, 0);
        let refused = staff_login(&served, "manager", DEMO_PASSWORD).await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert_eq!(refused.json()["code"], "forbidden");

        // …and accounts made by an earlier loopback run cannot sign in with the public password.
        assert_eq!(
            staff_login(&app, "ga_reviewer", DEMO_PASSWORD).await.status,
            200
        );
        let app = app.rebuild(|s| s.demo_accounts = false);
        let refused = staff_login(&app, "ga_reviewer", DEMO_PASSWORD).await;
        assert_eq!(refused.status, 403, "{}", refused.text());
        assert!(refused.json()["message"].as_str().unwrap().contains("示范"));

        // The operator's own account signs in.
        server::auth::staff::add_account(
            &served.state.db,
            &server::auth::staff::NewStaff {
                username: "chief".into(),
                display_name: "中心主任 李*".into(),
                role: app::api::StaffRole::Manager,
                department: None,
                password: "long enough secret 2026".into(),
            },
        )
        .await
        .unwrap();
        let ok = staff_login(&served, "chief", "long enough secret 2026").await;
        assert_eq!(ok.status, 200, "{}", ok.text());
    }
);

both!(
    staff_accounts_are_checked_before_they_are_made,
    |app: TestApp| async move {
        use app::api::StaffRole;
        use server::auth::staff::{add_account, NewStaff};
        let account = |username: &str, role, department: Option<&str>, password: &str| NewStaff {
            username: username.into(),
            display_name: "审核员 周*".into(),
            role,
            department: department.map(str::to_string),
            password: password.into(),
        };
        let db = &app.state.db;
        let good = "a long passphrase 2026";
        for (bad, words) in [
            (
                account("ga_new", StaffRole::Reviewer, None, good),
                "--department",
            ),
            (
                account("ga_new", StaffRole::Reviewer, Some("nope"), good),
                "没有编码为 nope 的部门",
            ),
            (
                account("boss", StaffRole::Manager, Some("ga"), good),
                "不能指定 --department",
            ),
            (
                account("Ga New", StaffRole::Reviewer, Some("ga"), good),
                "不可用",
            ),
            (
                account("ga_new", StaffRole::Reviewer, Some("ga"), "short"),
                "至少",
            ),
            (
                account("ga_new", StaffRole::Reviewer, Some("ga"), DEMO_PASSWORD),
                "示范密码",
            ),
            (account("manager", StaffRole::Manager, None, good), "已存在"),
        ] {
            let error = add_account(db, &bad).await.unwrap_err();
            assert!(error.contains(words), "{error}");
        }
        add_account(
            db,
            &account("ga_new", StaffRole::Reviewer, Some("ga"), good),
        )
        .await
        .unwrap();
        let login = staff_login(&app, "ga_new", good).await;
        assert_eq!(login.status, 200, "{}", login.text());
        let me = app
            .get_as(
                &crate::common::User {
                    cookie: session_cookie(&login),
                },
                "/api/me",
            )
            .await;
        assert_eq!(me.status, 200, "{}", me.text());
        assert!(me.text().contains("ga"), "{}", me.text());
    }
);

/// `server staff add` run as an operator runs it, against an SQLite file; the account then
/// signs in through the router.
#[tokio::test]
async fn staff_add_command_creates_the_first_manager() {
    let file = std::env::temp_dir().join(format!("bst_staff_add_{}.db", std::process::id()));
    let url = format!("sqlite://{}", file.display());
    let run = |username: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args([
                "staff",
                "add",
                "--username",
                username,
                "--name",
                "中心主任 李*",
            ])
            .args(["--role", "manager"])
            .env("DATABASE_URL", &url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"first manager secret 2026\n")
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let made = run("chief");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("已创建工作人员账号 chief"));
    let again = run("chief");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("已存在"));

    let state = server::prepare_with(
        &url,
        false,
        app::rules::workdays::HolidayCalendar::official().clone(),
        false,
    )
    .await
    .unwrap();
    let router = server::router(state);
    use tower::ServiceExt;
    let login = router
        .oneshot(
            axum::http::Request::post("/api/staff/login")
                .header("host", "portal.test")
                .header("content-type", "application/json")
                .body(Body::from(
                    json!({ "username": "chief", "password": "first manager secret 2026" })
                        .to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}

/// A connection that sends half a request head is closed once the header-read timeout passes.
#[tokio::test]
async fn half_sent_request_heads_are_cut_off() {
    let app = TestApp::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(
        listener,
        app.router.clone(),
        Duration::from_secs(1),
        async {
            let _ = stopped.await;
        },
    ));

    // A whole request is answered (with the peer address known to the handlers).
    let mut whole = tokio::net::TcpStream::connect(addr).await.unwrap();
    whole
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: portal.test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), whole.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/health HTTP/1.1\r\nHost: portal.test\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), half.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection is still open after 5 s");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(800),
        "closed too early: {waited:?}"
    );
    assert!(
        !String::from_utf8_lossy(&rest).contains("200 OK"),
        "{}",
        String::from_utf8_lossy(&rest)
    );

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

both!(
    an_upload_that_stops_arriving_times_out,
    |app: TestApp| async move {
        with_items(&app).await;
        let app = app.rebuild(|s| s.timeouts.upload = Duration::from_secs(1));
        let user = app.sign_in_applicant("13900005106").await;
        let id = create_case(&app, &user, GA_ITEM).await.summary.id;
        save(&app, &user, &id, &valid_form()).await;
        // The first bytes arrive, then nothing more.
        let body = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(PDF))])
            .chain(futures_util::stream::pending());
        let answer = tokio::time::timeout(
            Duration::from_secs(10),
            app.send(
                "PUT",
                &format!("/api/applications/{id}/materials/id_card?name=id.pdf"),
                Some(&user),
                &[("content-type", "application/octet-stream")],
                Body::from_stream(body),
            ),
        )
        .await
        .expect("the upload is still waiting after 10 s");
        assert_eq!(answer.status, 408, "{}", answer.text());
        assert_eq!(answer.json()["code"], "timeout");
        assert_eq!(
            stored_files(&app),
            Vec::<String>::new(),
            "no file is left behind"
        );
        // JSON requests have their own, shorter limit; a quick one is unaffected.
        assert_eq!(app.get_as(&user, "/api/me").await.status, 200);
    }
);
