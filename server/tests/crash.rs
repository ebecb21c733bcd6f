//! Crash safety of 网上预审 submission: the real server binary is killed with SIGKILL while a
//! submission is in flight, then restarted; resubmitting with the same Idempotency-Key gives
//! exactly one complete case with all its files.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::api::{CaseDetail, CaseList, FieldKind, Submitted};
use sha2::{Digest, Sha256};

const PHONE: &str = "13800138000";

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database_url(dir))
            .env("UPLOAD_DIR", dir.join("uploads"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server binary");
        let server = Server { child, port };
        let started = Instant::now();
        while http(port, "GET", "/api/health", &[], b"").map(|r| r.status) != Some(200) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// SIGKILL: no graceful shutdown, no flushing.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("crash.db").display())
}

struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

/// One HTTP/1.1 exchange on a fresh connection (`Connection: close`); `None` if the connection
/// broke (the server was killed mid-request).
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    stream.write_all(body).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Some(Response { status, head, body })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

fn json_call(
    port: u16,
    method: &str,
    path: &str,
    cookie: &str,
    body: &serde_json::Value,
) -> Response {
    let text = body.to_string();
    let headers = [("Content-Type", "application/json"), ("Cookie", cookie)];
    http(port, method, path, &headers, text.as_bytes()).expect("server answers")
}

fn sample_value(kind: FieldKind, options: &[String]) -> String {
    match kind {
        FieldKind::Text => "张小明".into(),
        FieldKind::LongText => "无".into(),
        FieldKind::IdCard => "110101199003077758".into(),
        FieldKind::Uscc => "91350100M000100Y43".into(),
        FieldKind::Mobile => PHONE.into(),
        FieldKind::Date => "2026-01-05".into(),
        FieldKind::Choice => options.first().cloned().unwrap_or_default(),
        FieldKind::Address => "示范区民生路88号3单元501室".into(),
        FieldKind::Number => "10".into(),
    }
}

fn tiny_pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.4\n% material {n}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

#[test]
fn submission_survives_sigkill_and_is_never_duplicated() {
    let dir: PathBuf = std::env::temp_dir().join(format!("bst-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = Server::start(&dir);
    let port = server.port;

    // Sign in with the code the development SMS sender wrote to its outbox.
    let sent = json_call(
        port,
        "POST",
        "/api/auth/otp",
        "",
        &serde_json::json!({ "phone": PHONE }),
    );
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    let code = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = server::db::connect(&database_url(&dir)).await.unwrap();
        server::auth::sms::last_sms_code(&db, PHONE)
            .await
            .unwrap()
            .expect("a code in the outbox")
    });
    let login = json_call(
        port,
        "POST",
        "/api/auth/login",
        "",
        &serde_json::json!({ "phone": PHONE, "code": code }),
    );
    assert_eq!(login.status, 200);
    let cookie = login
        .head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().to_string())
        })
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("session cookie");

    // A draft with every field filled and every required material uploaded.
    let created = json_call(
        port,
        "POST",
        "/api/applications",
        &cookie,
        &serde_json::json!({ "item_code": "SFQ-MZ-0004", "answers": {} }),
    );
    assert_eq!(
        created.status,
        200,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let draft: CaseDetail = serde_json::from_slice(&created.body).unwrap();
    let id = draft.summary.id.clone();
    let form: serde_json::Map<String, serde_json::Value> = draft
        .form_spec
        .iter()
        .map(|f| (f.id.clone(), sample_value(f.kind, &f.options).into()))
        .collect();
    let saved = json_call(
        port,
        "PUT",
        &format!("/api/applications/{id}"),
        &cookie,
        &serde_json::json!({ "form": form, "answers": {} }),
    );
    assert_eq!(
        saved.status,
        200,
        "{}",
        String::from_utf8_lossy(&saved.body)
    );
    let required: Vec<String> = draft
        .materials
        .iter()
        .filter(|m| m.required)
        .map(|m| m.material_id.clone())
        .collect();
    assert!(!required.is_empty());
    for (n, material) in required.iter().enumerate() {
        let path = format!("/api/applications/{id}/materials/{material}?name=m{n}.pdf");
        let uploaded = http(port, "PUT", &path, &[("Cookie", &cookie)], &tiny_pdf(n)).unwrap();
        assert_eq!(
            uploaded.status,
            200,
            "{}",
            String::from_utf8_lossy(&uploaded.body)
        );
    }

    // Kill the server while the submission is in flight, at several moments, restarting each time.
    let key = "crash-test-key-0001";
    let submit_path = format!("/api/applications/{id}/submit");
    for delay_ms in [0u64, 1, 3, 8] {
        let (cookie, path) = (cookie.clone(), submit_path.clone());
        let request = std::thread::spawn(move || {
            http(
                port,
                "POST",
                &path,
                &[
                    ("Cookie", &cookie),
                    ("Idempotency-Key", key),
                    ("Content-Type", "application/json"),
                ],
                b"{}",
            )
        });
        std::thread::sleep(Duration::from_millis(delay_ms));
        server.kill();
        let _ = request.join();
        server = Server::start(&dir);
    }
    let port = server.port;

    // The same key now gives one submitted case; asking again gives the same answer.
    let first = http(
        port,
        "POST",
        &submit_path,
        &[("Cookie", &cookie), ("Idempotency-Key", key)],
        b"",
    )
    .unwrap();
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let first: Submitted = serde_json::from_slice(&first.body).unwrap();
    let again = http(
        port,
        "POST",
        &submit_path,
        &[("Cookie", &cookie), ("Idempotency-Key", key)],
        b"",
    )
    .unwrap();
    assert_eq!(again.status, 200);
    let again: Submitted = serde_json::from_slice(&again.body).unwrap();
    assert_eq!(first, again);

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
    assert_eq!(mine.cases.len(), 1, "exactly one case");
    assert_eq!(mine.cases[0].number.as_deref(), Some(first.number.as_str()));

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
    assert_eq!(
        detail
            .timeline
            .iter()
            .filter(|e| e.title == "提交申请")
            .count(),
        1,
        "one submission event"
    );
    for material in detail.materials.iter().filter(|m| m.required) {
        let upload = material
            .uploads
            .iter()
            .find(|u| u.current)
            .expect("current upload kept");
        let file = http(
            port,
            "GET",
            &format!("/api/files/{}", upload.id),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap();
        assert_eq!(file.status, 200);
        let digest: String = Sha256::digest(&file.body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, upload.sha256, "{} intact", material.material_id);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
