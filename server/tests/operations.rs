//! Operating the real server binary: SIGTERM lets a slow upload finish before the process
//! exits 0, logs are JSON lines carrying the request id, and `server backup` taken while the
//! server serves is restored by `server restore` into a new database that a new server serves
//! (SQLite with its folder, PostgreSQL with its database store).

mod binary;

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use app::api::{CaseDetail, CaseList, UploadInfo};
use binary::{
    database_url, filled_draft, fresh_postgres, http, read_response, request_head, sha256_hex,
    sign_in, tiny_pdf, Server,
};

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bst-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A PDF of about `kb` kilobytes.
fn padded_pdf(kb: usize) -> Vec<u8> {
    let mut pdf = tiny_pdf(0);
    pdf.extend(std::iter::repeat_n(b'%', kb * 1024));
    pdf
}

#[test]
fn sigterm_lets_a_slow_upload_finish_then_exits_0_with_json_logs() {
    let dir = fresh_dir("shutdown");
    let mut server = Server::start_with(
        &dir,
        &[
            ("LOG_FORMAT", "json".into()),
            ("RUST_LOG", "info,sqlx=warn".into()),
            ("SHUTDOWN_DRAIN_SECS", "20".into()),
        ],
    );
    let port = server.port;
    let cookie = sign_in(port, &database_url(&dir));
    let (draft, required) = filled_draft(port, &cookie);
    let id = draft.summary.id.clone();

    // An upload whose first part arrives before SIGTERM and the rest after.
    let pdf = padded_pdf(256);
    let path = format!(
        "/api/applications/{id}/materials/{}?name=slow.pdf",
        required[0]
    );
    let mut upload = TcpStream::connect(("127.0.0.1", port)).unwrap();
    upload
        .write_all(request_head(port, "PUT", &path, &[("Cookie", &cookie)], pdf.len()).as_bytes())
        .unwrap();
    upload.write_all(&pdf[..4096]).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "no new connection is accepted once stopping"
    );
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "still finishing the upload"
    );
    for part in pdf[4096..].chunks(32 * 1024) {
        upload.write_all(part).unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    let answer = read_response(&mut upload).expect("the upload is answered");
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let info: UploadInfo = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(info.sha256, sha256_hex(&pdf));
    let request_id = answer.header("x-request-id").expect("X-Request-Id");

    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "exits once the upload is done, not after the whole drain time"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit status {status:?}");

    // Every log line is a JSON object; those written while serving the upload name it.
    std::thread::sleep(Duration::from_millis(200));
    let lines = server.lines.lock().unwrap().clone();
    let logs: Vec<serde_json::Value> = lines
        .iter()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(
        logs.iter()
            .any(|l| l["span"]["request_id"] == request_id.as_str()
                && l["span"]["path"]
                    .as_str()
                    .is_some_and(|p| p.contains("/materials/"))),
        "a log line of the upload with its request id: {lines:#?}"
    );
    assert!(
        logs.iter().any(|l| l["message"]
            .as_str()
            .is_some_and(|m| m.contains("shutting down"))),
        "{lines:#?}"
    );
    for line in &lines {
        assert!(!line.contains("slow.pdf?"), "no query strings in logs");
    }
    drop(server);

    // The upload is stored: a new server over the same database shows it.
    let server = Server::start(&dir);
    let detail = http(
        server.port,
        "GET",
        &format!("/api/applications/{id}"),
        &[("Cookie", &cookie)],
        b"",
    )
    .unwrap();
    let detail: CaseDetail = serde_json::from_slice(&detail.body).unwrap();
    let material = detail
        .materials
        .iter()
        .find(|m| m.material_id == required[0])
        .unwrap();
    assert!(material
        .uploads
        .iter()
        .any(|u| u.current && u.sha256 == info.sha256));
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

fn command(args: &[&str], database_url: &str, upload_dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("UPLOAD_DIR", upload_dir)
        .env_remove("FILE_STORE")
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

/// Files under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found
}

/// A submitted case with its files on a server over `database_url` (and `<dir>/uploads`),
/// `server backup` run while it serves, `server restore` into `restored_url` (a new SQLite
/// file or an empty PostgreSQL database), and a new server over the restored database that
/// shows the case and serves every file. Returns the backup's manifest.
fn backup_while_serving_restores(
    dir: &Path,
    database_url: &str,
    restored_url: &str,
) -> serde_json::Value {
    let server = Server::start_with(dir, &[("DATABASE_URL", database_url.to_string())]);
    let port = server.port;
    let cookie = sign_in(port, database_url);
    let (draft, required) = filled_draft(port, &cookie);
    let id = draft.summary.id.clone();
    for (n, material) in required.iter().enumerate() {
        let path = format!("/api/applications/{id}/materials/{material}?name=m{n}.pdf");
        let uploaded = http(port, "PUT", &path, &[("Cookie", &cookie)], &tiny_pdf(n)).unwrap();
        assert_eq!(uploaded.status, 200);
    }
    let submitted = http(
        port,
        "POST",
        &format!("/api/applications/{id}/submit"),
        &[("Cookie", &cookie), ("Idempotency-Key", "backup-test-0001")],
        b"",
    )
    .unwrap();
    assert_eq!(
        submitted.status,
        200,
        "{}",
        String::from_utf8_lossy(&submitted.body)
    );

    // While the server serves.
    let backup = dir.join("backup");
    let made = command(
        &["backup", backup.to_str().unwrap()],
        database_url,
        &dir.join("uploads"),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    assert!(http(port, "GET", "/api/ready", &[], b"").unwrap().status == 200);
    drop(server);

    let restored_uploads = dir.join("restored/uploads");
    let restore = command(
        &["restore", backup.to_str().unwrap()],
        restored_url,
        &restored_uploads,
    );
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let again = command(
        &["restore", backup.to_str().unwrap()],
        restored_url,
        &restored_uploads,
    );
    assert!(
        !again.status.success(),
        "an existing database is never overwritten"
    );

    let server = Server::start_with(
        dir,
        &[
            ("DATABASE_URL", restored_url.to_string()),
            ("UPLOAD_DIR", restored_uploads.display().to_string()),
        ],
    );
    let port = server.port;
    let mine: CaseList = serde_json::from_slice(
        &http(
            port,
            "GET",
            "/api/applications",
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap()
        .body,
    )
    .unwrap();
    assert_eq!(mine.cases.len(), 1);
    let detail: CaseDetail = serde_json::from_slice(
        &http(
            port,
            "GET",
            &format!("/api/applications/{id}"),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap()
        .body,
    )
    .unwrap();
    assert_eq!(detail.summary.status, app::api::CaseStatus::Submitted);
    for material in detail.materials.iter().filter(|m| m.required) {
        let upload = material.uploads.iter().find(|u| u.current).unwrap();
        let file = http(
            port,
            "GET",
            &format!("/api/files/{}", upload.id),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap();
        assert_eq!(file.status, 200);
        assert_eq!(sha256_hex(&file.body), upload.sha256);
    }
    drop(server);
    manifest
}

#[test]
fn backup_while_serving_restores_into_a_new_database() {
    let dir = fresh_dir("backup");
    let restored = format!("sqlite://{}", dir.join("restored/banshitong.db").display());
    let manifest = backup_while_serving_restores(&dir, &database_url(&dir), &restored);
    assert_eq!(manifest["database"], "sqlite");
    assert!(
        manifest["files"].as_array().is_some_and(|f| !f.is_empty()),
        "the folder's files are in the backup: {manifest}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL with its default file store, the database: `pg_dump` while serving carries the
/// files too, and `pg_restore` into a fresh database brings every case and file back.
#[test]
fn backup_of_postgres_while_serving_restores_into_a_fresh_database() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (url, restored) = (fresh_postgres(&runtime), fresh_postgres(&runtime));
    let dir = fresh_dir("pg-backup");
    let manifest = backup_while_serving_restores(&dir, &url, &restored);
    assert_eq!(manifest["database"], "postgres");
    assert_eq!(manifest["database_file"], "database.pgdump");
    assert_eq!(manifest["file_store"], "database (postgres)");
    assert_eq!(manifest["files"], serde_json::json!([]));
    // Neither server, nor the restore, wrote a file to a folder: all are in the database.
    assert_eq!(files_under(&dir.join("uploads")), Vec::<PathBuf>::new());
    assert_eq!(files_under(&dir.join("restored")), Vec::<PathBuf>::new());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Servers started at the same moment on one new PostgreSQL database all come up: the
/// migrations (sqlx's advisory lock) and the demo data (the start-up lock,
/// `server::db::StartupLock`) are prepared by one of them, once; the others find them ready.
#[test]
fn servers_started_at_once_on_a_fresh_postgres_all_come_up() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = fresh_postgres(&runtime);
    let dirs: Vec<PathBuf> = (0..3).map(|n| fresh_dir(&format!("race-{n}"))).collect();
    let servers: Vec<Server> = std::thread::scope(|scope| {
        let starting: Vec<_> = dirs
            .iter()
            .map(|dir| {
                let url = url.clone();
                scope.spawn(move || Server::start_with(dir, &[("DATABASE_URL", url)]))
            })
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let totals: Vec<u64> = servers
        .iter()
        .map(|server| {
            let ready = http(server.port, "GET", "/api/ready", &[], b"").unwrap();
            assert_eq!(ready.status, 200, "{}", ready.text());
            let items: app::api::ItemList =
                http(server.port, "GET", "/api/items?limit=1", &[], b"")
                    .unwrap()
                    .json();
            items.total as u64
        })
        .collect();
    let demo = server::catalog::data::CatalogData::demo().unwrap();
    assert!(
        totals[0] > 0 && totals.iter().all(|t| *t == totals[0]),
        "every server serves the same demo catalog: {totals:?}"
    );
    // The year of demo cases was generated by one server only.
    std::thread::sleep(Duration::from_millis(200));
    let generated: Vec<String> = servers
        .iter()
        .flat_map(|s| s.lines.lock().unwrap().clone())
        .filter(|l| l.contains("演示办件"))
        .collect();
    assert_eq!(generated.len(), 1, "{generated:?}");
    let (demo_cases, items): (i64, i64) = runtime.block_on(async {
        let db = server::db::connect(&url).await.unwrap();
        let count = |sql: &'static str| {
            let pool = db.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        (
            count("SELECT COUNT(*) FROM cases WHERE demo = 1").await,
            count("SELECT COUNT(*) FROM items").await,
        )
    });
    assert_eq!(items, demo.items.len() as i64);
    assert!(
        generated[0].contains(&demo_cases.to_string()),
        "{demo_cases} demo cases, as the one server said: {generated:?}"
    );
    drop(servers);
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}
