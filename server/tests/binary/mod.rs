//! Driving the real server binary over TCP: starting it, plain HTTP/1.1 exchanges, signing in
//! and filling a draft. Shared by the tests that need a real process (crash, shutdown, backup, two servers).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::api::{CaseDetail, FieldKind};

pub const PHONE: &str = "13800138000";

pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Standard output lines, when captured.
    pub lines: Arc<Mutex<Vec<String>>>,
}

pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("server.db").display())
}

impl Server {
    /// The binary on a free port over `<dir>/server.db` and `<dir>/uploads`.
    pub fn start(dir: &Path) -> Server {
        Server::start_with(dir, &[])
    }

    /// [`Server::start`] with more environment variables (overriding the defaults); its
    /// standard output is collected in `lines`.
    pub fn start_with(dir: &Path, env: &[(&str, String)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database_url(dir))
            .env("UPLOAD_DIR", dir.join("uploads"))
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start the server binary");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().unwrap();
        let collected = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                collected.lock().unwrap().push(line);
            }
        });
        let mut server = Server { child, port, lines };
        let started = Instant::now();
        while http(port, "GET", "/api/health", &[], b"").map(|r| r.status) != Some(200) {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the server exited: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }

    /// SIGKILL: no graceful shutdown, no flushing.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, as an orchestrator or `systemctl stop` sends it.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.text()))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| l[prefix.len()..].trim().to_string())
        })
    }
}

/// The request head of one exchange (`Connection: close`), announcing `length` body bytes.
pub fn request_head(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    length: usize,
) -> String {
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {length}\r\n"
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request
}

/// Reads a whole answer from `stream` until the server closes it.
pub fn read_response(stream: &mut TcpStream) -> Option<Response> {
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

/// One HTTP/1.1 exchange on a fresh connection (`Connection: close`); `None` if the connection
/// broke (the server was killed mid-request).
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .write_all(request_head(port, method, path, headers, body.len()).as_bytes())
        .ok()?;
    stream.write_all(body).ok()?;
    read_response(&mut stream)
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

pub fn json_call(
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

pub fn sample_value(kind: FieldKind, options: &[String]) -> String {
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

pub fn tiny_pdf(n: usize) -> Vec<u8> {
    format!("%PDF-1.4\n% material {n}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
        .into_bytes()
}

/// Signs [`PHONE`] in with the code the development SMS sender wrote to the outbox of the
/// database at `database_url`; returns the `Cookie` value.
pub fn sign_in(port: u16, database_url: &str) -> String {
    let sent = json_call(
        port,
        "POST",
        "/api/auth/otp",
        "",
        &serde_json::json!({ "phone": PHONE }),
    );
    assert_eq!(sent.status, 200, "{}", String::from_utf8_lossy(&sent.body));
    let url = database_url.to_string();
    let code = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async move {
            let db = server::db::connect(&url).await.unwrap();
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
    login
        .header("set-cookie")
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("session cookie")
}

/// A draft of the demo item `SFQ-MZ-0004` with every field filled in; with its required
/// material ids.
pub fn filled_draft(port: u16, cookie: &str) -> (CaseDetail, Vec<String>) {
    let created = json_call(
        port,
        "POST",
        "/api/applications",
        cookie,
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
        cookie,
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
    (draft, required)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new, empty database on the test PostgreSQL server (as the API tests make them).
pub fn fresh_postgres(runtime: &tokio::runtime::Runtime) -> String {
    use sqlx::Connection;
    let base = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!("bst_test_bin_{}_{nanos}", std::process::id());
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {base} is required for this test: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
    });
    let (prefix, _) = base.rsplit_once('/').expect("database URL ends in /DBNAME");
    format!("{prefix}/{name}")
}
