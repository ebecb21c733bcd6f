//! Operating the portal: `/metrics`, request ids in answers and error bodies, liveness and
//! readiness, backup and restore.

use app::api::{ApiError, CaseDetail, CaseList, Health};
use axum::body::Body;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::both;
use crate::common::{TestApp, TestResponse};
use crate::file_stores::s3_bucket;
use crate::pre_review::{
    create_case, submitted_case, upload, with_items, GA_ITEM, PDF, PNG, SJ_ITEM,
};
use server::workflow::files::FileStore;

/// The value of the sample of `name` whose labels include every one of `labels`.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    text.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (metric, rest) = match series.split_once('{') {
            Some((metric, rest)) => (metric, rest.trim_end_matches('}')),
            None => (series, ""),
        };
        if metric != name {
            return None;
        }
        let all = labels
            .iter()
            .all(|(k, v)| rest.split(',').any(|pair| pair == format!("{k}=\"{v}\"")));
        all.then(|| value.parse().ok()).flatten()
    })
}

async fn scrape(app: &TestApp) -> String {
    let response = app.get("/metrics").await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(response.header("content-type").starts_with("text/plain"));
    response.text()
}

both!(
    metrics_count_requests_by_route_and_cases_by_status,
    |app: TestApp| async move {
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001111").await;
        let (submitted, _) = submitted_case(&app, &user, GA_ITEM).await;
        let draft = create_case(&app, &user, GA_ITEM).await;
        let missing = app
            .get_as(&user, "/api/applications/no-such-case-4711")
            .await;
        assert_eq!(missing.status, 404);

        let text = scrape(&app).await;
        // By matched route, never by the path itself.
        let route = "/api/applications/{id}";
        assert_eq!(
            sample(
                &text,
                "http_requests_total",
                &[("method", "GET"), ("route", route), ("status", "404")]
            ),
            Some(1.0),
            "{text}"
        );
        assert!(
            !text.contains("no-such-case-4711"),
            "no raw path in a label"
        );
        assert!(!text.contains(&submitted), "no case id in a label");
        assert_eq!(
            sample(
                &text,
                "http_requests_total",
                &[
                    ("method", "POST"),
                    ("route", "/api/applications/{id}/submit"),
                    ("status", "200")
                ]
            ),
            Some(1.0)
        );
        assert_eq!(
            sample(
                &text,
                "http_request_duration_seconds_count",
                &[("method", "GET"), ("route", route), ("status", "404")]
            ),
            Some(1.0)
        );
        assert!(
            sample(
                &text,
                "http_request_duration_seconds_bucket",
                &[("route", route), ("le", "+Inf")]
            )
            .is_some(),
            "a histogram: {text}"
        );
        assert_eq!(sample(&text, "otp_codes_sent_total", &[]), Some(1.0));
        assert_eq!(sample(&text, "uploads_in_progress", &[]), Some(0.0));
        assert_eq!(
            sample(&text, "cases_by_status", &[("status", "submitted")]),
            Some(1.0)
        );
        assert_eq!(
            sample(&text, "cases_by_status", &[("status", "draft")]),
            Some(1.0)
        );
        assert_eq!(
            sample(&text, "cases_by_status", &[("status", "completed")]),
            Some(0.0)
        );
        assert!(sample(&text, "db_pool_connections", &[]).unwrap() >= 1.0);
        assert!(sample(&text, "db_pool_idle_connections", &[]).is_some());

        // Red: overdue; yellow: due today (no working day left). A draft has no deadline.
        assert_eq!(
            sample(&text, "cases_deadline_warnings", &[("level", "red")]),
            Some(0.0)
        );
        // Another item: 在线申请 again for GA_ITEM would reopen (and submit) the draft above.
        let (second, _) = submitted_case(&app, &user, SJ_ITEM).await;
        let today = server::clock::today_beijing();
        for (id, due) in [
            (submitted.as_str(), today.add_days(-14).to_string()),
            (second.as_str(), today.to_string()),
        ] {
            sqlx::query("UPDATE cases SET due_date = $2 WHERE id = $1")
                .bind(id)
                .bind(due)
                .execute(&app.state.db.pool)
                .await
                .unwrap();
        }
        sqlx::query("UPDATE cases SET due_date = $2 WHERE id = $1")
            .bind(&draft.summary.id)
            .bind(today.add_days(-14).to_string())
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let text = scrape(&app).await;
        assert_eq!(
            sample(&text, "cases_deadline_warnings", &[("level", "red")]),
            Some(1.0)
        );
        assert_eq!(
            sample(&text, "cases_deadline_warnings", &[("level", "yellow")]),
            Some(1.0)
        );
        assert_eq!(
            sample(&text, "cases_by_status", &[("status", "submitted")]),
            Some(2.0)
        );
    }
);

both!(
    metrics_show_uploads_in_progress,
    |app: TestApp| async move {
        use tower::ServiceExt;
        with_items(&app).await;
        let user = app.sign_in_applicant("13900001111").await;
        let case = create_case(&app, &user, GA_ITEM).await;
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
        let body = Body::from_stream(tokio_stream_of(rx));
        let request = axum::http::Request::put(format!(
            "/api/applications/{}/materials/id_card?name=slow.pdf",
            case.summary.id
        ))
        .header("host", "portal.test")
        .header("cookie", &user.cookie)
        .body(body)
        .unwrap();
        let uploading = tokio::spawn(app.router.clone().oneshot(request));
        tx.send(Ok(PDF[..10].to_vec())).await.unwrap();
        let mut seen = None;
        for _ in 0..50 {
            let text = scrape(&app).await;
            seen = sample(&text, "uploads_in_progress", &[]);
            if seen == Some(1.0) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(seen, Some(1.0), "the upload is counted while it arrives");
        tx.send(Ok(PDF[10..].to_vec())).await.unwrap();
        drop(tx);
        let done = uploading.await.unwrap().unwrap();
        assert_eq!(done.status(), 200);
        let text = scrape(&app).await;
        assert_eq!(sample(&text, "uploads_in_progress", &[]), Some(0.0));
    }
);

/// A body stream from a channel.
fn tokio_stream_of(
    mut rx: tokio::sync::mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

both!(
    metrics_token_is_required_when_configured,
    |app: TestApp| async move {
        let app = app.rebuild(|state| {
            state.metrics = state.metrics.clone().with_token("s3cret-scrape-token");
        });
        for headers in [
            vec![],
            vec![("authorization", "Bearer wrong")],
            vec![("authorization", "s3cret-scrape-token")],
        ] {
            let refused = app
                .send("GET", "/metrics", None, &headers, Body::empty())
                .await;
            assert_eq!(refused.status, 401, "{headers:?}");
            let error: ApiError = refused.parse();
            assert_eq!(error.code, "unauthorized");
            assert!(error.message.contains("METRICS_TOKEN"));
            assert_eq!(
                error.request_id.as_deref(),
                Some(refused.header("x-request-id"))
            );
            assert_eq!(refused.header("www-authenticate"), "Bearer");
        }
        let allowed = app
            .send(
                "GET",
                "/metrics",
                None,
                &[("authorization", "Bearer s3cret-scrape-token")],
                Body::empty(),
            )
            .await;
        assert_eq!(allowed.status, 200);
        assert!(allowed.text().contains("http_requests_total"));
        // Not part of the JSON API's description.
        let doc = app.get("/api/openapi.json").await.json();
        assert!(doc["paths"].get("/metrics").is_none());
        assert!(doc["paths"].get("/api/ready").is_some());
    }
);

both!(
    every_answer_and_error_body_carries_the_request_id,
    |app: TestApp| async move {
        let ok = app.get("/api/health").await;
        assert_eq!(ok.status, 200);
        let id = ok.header("x-request-id");
        assert_eq!(id.len(), 36, "a UUID: {id:?}");
        assert_ne!(app.get("/api/health").await.header("x-request-id"), id);

        // Errors phrased by handlers, by the shaping of axum's own answers, and by the body limit.
        let not_found = app.get("/api/no-such-thing").await;
        let bad_field = app
            .post_json(
                "/api/auth/otp",
                None,
                &serde_json::json!({ "phone": "123" }),
            )
            .await;
        let wrong_method = app
            .send("DELETE", "/api/health", None, &[], Body::empty())
            .await;
        let too_large = app
            .send(
                "POST",
                "/api/auth/otp",
                None,
                &[("content-type", "application/json")],
                Body::from(vec![b' '; 200 * 1024]),
            )
            .await;
        let unauthorized = app.get("/api/applications").await;
        for (response, status) in [
            (&not_found, 404),
            (&bad_field, 400),
            (&wrong_method, 405),
            (&too_large, 413),
            (&unauthorized, 401),
        ] {
            assert_eq!(response.status, status, "{}", response.text());
            let error: ApiError = response.parse();
            let id = response.header("x-request-id");
            assert!(!id.is_empty());
            assert_eq!(error.request_id.as_deref(), Some(id), "{status}");
        }
        // A proxy's id is kept; one that could pollute the logs is replaced.
        let proxied = app
            .send(
                "GET",
                "/api/no-such-thing",
                None,
                &[("x-request-id", "0b2f6c8e9d1a4b3c8e7f6a5b4c3d2e1f")],
                Body::empty(),
            )
            .await;
        assert_eq!(
            proxied.header("x-request-id"),
            "0b2f6c8e9d1a4b3c8e7f6a5b4c3d2e1f"
        );
        assert_eq!(
            proxied.json()["request_id"],
            "0b2f6c8e9d1a4b3c8e7f6a5b4c3d2e1f"
        );
        let long = "x".repeat(300);
        let odd = app
            .send(
                "GET",
                "/api/health",
                None,
                &[("x-request-id", long.as_str())],
                Body::empty(),
            )
            .await;
        assert_eq!(odd.header("x-request-id").len(), 36);
        // Successful bodies are untouched.
        let health: Health = ok.parse();
        assert_eq!(health.status, "ok");
    }
);

fn not_ready(response: &TestResponse) -> ApiError {
    assert_eq!(response.status, 503, "{}", response.text());
    let error: ApiError = response.parse();
    assert_eq!(error.code, "not_ready");
    assert_eq!(
        error.request_id.as_deref(),
        Some(response.header("x-request-id"))
    );
    error
}

both!(
    readiness_checks_database_and_file_store_liveness_does_not,
    |app: TestApp| async move {
        let ready = app.get("/api/ready").await;
        assert_eq!(ready.status, 200, "{}", ready.text());
        let ready: Health = ready.parse();
        assert_eq!(ready.database, app.state.db.backend.name());

        // The upload folder cannot be created (a file stands where its parent should be).
        let blocker = app.upload_dir().with_extension("blocker");
        std::fs::write(&blocker, b"not a folder").unwrap();
        let broken = app.rebuild(|state| {
            *state = state.clone().with_upload_dir(blocker.join("uploads"));
        });
        let error = not_ready(&broken.get("/api/ready").await);
        let fields = error.fields.unwrap();
        assert!(fields.contains_key("file_store"), "{fields:?}");
        assert!(!fields.contains_key("database"));
        assert!(error.message.contains("文件存储"));
        std::fs::remove_file(&blocker).unwrap();

        // The database is gone: not ready, but alive.
        broken.state.db.pool.close().await;
        let error = not_ready(&broken.get("/api/ready").await);
        assert!(error.fields.unwrap().contains_key("database"));
        let health = broken.get("/api/health").await;
        assert_eq!(
            health.status,
            200,
            "liveness needs no database: {}",
            health.text()
        );
    }
);

/// Every case of the database with every file of each, as the applicant sees them.
async fn cases_and_files(
    app: &TestApp,
    cookie: &crate::common::User,
) -> Vec<(String, Vec<(String, String)>)> {
    let list: CaseList = app.get_as(cookie, "/api/applications").await.parse();
    let mut all = Vec::new();
    for case in list.cases {
        let detail: CaseDetail = app
            .get_as(cookie, &format!("/api/applications/{}", case.id))
            .await
            .parse();
        let mut files = Vec::new();
        for material in &detail.materials {
            for file in &material.uploads {
                let got = app.get_as(cookie, &format!("/api/files/{}", file.id)).await;
                assert_eq!(got.status, 200, "file {} of {}", file.id, case.id);
                let digest: String = Sha256::digest(&got.body)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                assert_eq!(digest, file.sha256, "file intact");
                files.push((file.id.clone(), digest));
            }
        }
        files.sort();
        all.push((case.id.clone(), files));
    }
    all.sort();
    all
}

/// A new, empty database on the backend of `app`, for a restore.
async fn fresh_database_url(app: &TestApp, tag: &str) -> String {
    match app.state.db.backend {
        server::db::Backend::Sqlite => format!(
            "sqlite://{}",
            app.upload_dir()
                .with_extension(format!("{tag}.db"))
                .display()
        ),
        server::db::Backend::Postgres => {
            let name = format!(
                "bst_test_{tag}_{}",
                std::process::id() as u64 * 1000 + rand_suffix()
            );
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&app.state.db.pool)
                .await
                .unwrap();
            let (prefix, _) = app.url.rsplit_once('/').unwrap();
            format!("{prefix}/{name}")
        }
    }
}

/// Two cases of one applicant on `app` (one submitted, one draft), three uploads of two
/// distinct files; with every case and file as [`cases_and_files`] reads them.
async fn cases_with_files(
    app: &TestApp,
) -> (crate::common::User, Vec<(String, Vec<(String, String)>)>) {
    with_items(app).await;
    let user = app.sign_in_applicant("13900001111").await;
    submitted_case(app, &user, GA_ITEM).await;
    let draft = create_case(app, &user, GA_ITEM).await;
    let uploaded = upload(app, &user, &draft.summary.id, "id_card", "photo.png", PNG).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.text());
    let before = cases_and_files(app, &user).await;
    assert_eq!(before.len(), 2);
    assert_eq!(before.iter().map(|(_, f)| f.len()).sum::<usize>(), 3);
    (user, before)
}

both!(
    a_backup_restores_into_a_fresh_database_with_every_case_and_file,
    |app: TestApp| async move {
        let (user, before) = cases_with_files(&app).await;

        let out = app.upload_dir().with_extension("backup");
        let manifest = server::backup::backup(&app.state.db, &app.url, &app.state.files, &out)
            .await
            .unwrap();
        assert_eq!(manifest.database, app.state.db.backend.name());
        assert!(manifest.file_store.starts_with("local:"), "{manifest:?}");
        assert_eq!(manifest.files.len(), 2, "PDF and PNG, each stored once");
        // A backup never overwrites another.
        assert!(
            server::backup::backup(&app.state.db, &app.url, &app.state.files, &out)
                .await
                .unwrap_err()
                .contains("不是空的")
        );

        // Into a fresh database and an empty upload folder.
        let fresh_uploads = app.upload_dir().with_extension("restored");
        let fresh_url = fresh_database_url(&app, "restored").await;
        let done = server::backup::restore(&out, &fresh_url, &fresh_uploads, Some("local"))
            .await
            .unwrap();
        assert_eq!((done.copied, done.present), (2, 0));
        let restored = TestApp::open_existing(&fresh_url, &fresh_uploads).await;
        // The session is in the database too: the same cookie reads the same cases and files.
        let after = cases_and_files(&restored, &user).await;
        assert_eq!(after, before);
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
            .fetch_one(&restored.state.db.pool)
            .await
            .unwrap()
            .try_get("n")
            .unwrap();
        assert!(count > 0, "the audit log came along");

        // Restoring twice into the same place is refused; a damaged backup is refused before
        // anything is written.
        assert!(
            server::backup::restore(&out, &fresh_url, &fresh_uploads, Some("local"))
                .await
                .is_err()
        );
        let damaged = out.join("files").join(&manifest.files[0].sha256);
        std::fs::write(&damaged, b"%PDF-1.4 tampered").unwrap();
        let elsewhere = format!(
            "sqlite://{}",
            app.upload_dir().with_extension("other.db").display()
        );
        let refused = server::backup::restore(&out, &elsewhere, &fresh_uploads, None)
            .await
            .unwrap_err();
        assert!(refused.contains("不符"), "{refused}");
        assert!(!app.upload_dir().with_extension("other.db").exists());
        drop(restored);
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&fresh_uploads);
        let _ = std::fs::remove_file(app.upload_dir().with_extension("restored.db"));
    }
);

both!(
    a_backup_of_the_database_store_carries_the_files_inside_the_database,
    |app: TestApp| async move {
        let app = app.rebuild(|s| s.files = FileStore::database(&s.db));
        let (user, before) = cases_with_files(&app).await;

        let out = app.upload_dir().with_extension("backup");
        let manifest = server::backup::backup(&app.state.db, &app.url, &app.state.files, &out)
            .await
            .unwrap();
        assert!(manifest.file_store.starts_with("database"), "{manifest:?}");
        assert!(
            manifest.files.is_empty(),
            "the files are in the database copy"
        );
        assert_eq!(std::fs::read_dir(out.join("files")).unwrap().count(), 0);

        let fresh_uploads = app.upload_dir().with_extension("restored");
        let fresh_url = fresh_database_url(&app, "restored_db").await;
        let done = server::backup::restore(&out, &fresh_url, &fresh_uploads, Some("database"))
            .await
            .unwrap();
        assert!(done.file_store.starts_with("database"));
        let restored = TestApp::open_existing(&fresh_url, &fresh_uploads)
            .await
            .rebuild(|s| s.files = FileStore::database(&s.db));
        assert_eq!(cases_and_files(&restored, &user).await, before);
        assert_eq!(
            restored.state.files.list().await.unwrap().len(),
            2,
            "PDF and PNG, in the restored database"
        );
        drop(restored);
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_dir_all(&fresh_uploads);
        let _ = std::fs::remove_file(app.upload_dir().with_extension("restored_db.db"));
    }
);

both!(
    a_backup_of_an_s3_store_copies_every_object_and_restores_into_another_bucket,
    |app: TestApp| async move {
        let Some(bucket) = s3_bucket().await else {
            return;
        };
        let store = FileStore::s3(&bucket).unwrap();
        let app = app.rebuild(|s| s.files = store.clone());
        let (user, before) = cases_with_files(&app).await;

        let out = app.upload_dir().with_extension("backup");
        let manifest = server::backup::backup(&app.state.db, &app.url, &store, &out)
            .await
            .unwrap();
        assert!(manifest.file_store.starts_with("s3://"), "{manifest:?}");
        assert_eq!(manifest.files.len(), 2);
        for file in &manifest.files {
            let copy = std::fs::read(out.join("files").join(&file.sha256)).unwrap();
            assert_eq!(server::secrets::sha256_hex(&copy), file.sha256);
            assert_eq!(copy.len() as u64, file.size);
        }

        // Into a fresh database and a new, empty bucket.
        let Some(other) = s3_bucket().await else {
            return;
        };
        let fresh_uploads = app.upload_dir().with_extension("restored");
        let fresh_url = fresh_database_url(&app, "restored_s3").await;
        let done = server::backup::restore(&out, &fresh_url, &fresh_uploads, Some(&other))
            .await
            .unwrap();
        assert_eq!((done.copied, done.present), (2, 0));
        let target = FileStore::s3(&other).unwrap();
        let restored = TestApp::open_existing(&fresh_url, &fresh_uploads)
            .await
            .rebuild(|s| s.files = target.clone());
        assert_eq!(cases_and_files(&restored, &user).await, before);
        assert!(
            std::fs::read_dir(&fresh_uploads)
                .into_iter()
                .flatten()
                .next()
                .is_none(),
            "nothing went to the local folder"
        );

        // An object whose content is not its name stops a backup.
        let mut writer = store.writer().await.unwrap();
        writer
            .write(axum::body::Bytes::from_static(b"%PDF-1.4 not this"))
            .await
            .unwrap();
        writer.finish(&"b".repeat(64)).await.unwrap();
        let refused = server::backup::backup(
            &app.state.db,
            &app.url,
            &store,
            &app.upload_dir().with_extension("backup2"),
        )
        .await
        .unwrap_err();
        assert!(refused.contains("已损坏"), "{refused}");
        drop(restored);
        for dir in [
            out,
            fresh_uploads,
            app.upload_dir().with_extension("backup2"),
        ] {
            let _ = std::fs::remove_dir_all(dir);
        }
        let _ = std::fs::remove_file(app.upload_dir().with_extension("restored_s3.db"));
    }
);

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64
        % 1000
}
