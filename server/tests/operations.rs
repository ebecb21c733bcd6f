//! Operating the real server binary: SIGTERM lets a slow upload finish before the process
//! exits 0, logs are JSON lines carrying the request id, and `server backup` taken while the
//! server serves is restored by `server restore` into a new database that a new server serves.

mod binary;

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use app::api::{CaseDetail, CaseList, UploadInfo};
use binary::{
    database_url, filled_draft, http, read_response, request_head, sha256_hex, sign_in, tiny_pdf,
    Server,
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
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

#[test]
fn backup_while_serving_restores_into_a_new_database() {
    let dir = fresh_dir("backup");
    let server = Server::start(&dir);
    let port = server.port;
    let cookie = sign_in(port, &database_url(&dir));
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
        &database_url(&dir),
        &dir.join("uploads"),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(backup.join("manifest.json").exists());
    assert!(http(port, "GET", "/api/ready", &[], b"").unwrap().status == 200);
    drop(server);

    let restored_db = format!("sqlite://{}", dir.join("restored/banshitong.db").display());
    let restored_uploads = dir.join("restored/uploads");
    let restore = command(
        &["restore", backup.to_str().unwrap()],
        &restored_db,
        &restored_uploads,
    );
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    let again = command(
        &["restore", backup.to_str().unwrap()],
        &restored_db,
        &restored_uploads,
    );
    assert!(
        !again.status.success(),
        "an existing database is never overwritten"
    );

    let server = Server::start_with(
        &dir,
        &[
            ("DATABASE_URL", restored_db.clone()),
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
    let _ = std::fs::remove_dir_all(&dir);
}
