//! Several servers, one database: two real server processes on one fresh PostgreSQL database,
//! each with its own empty upload folder, and a whole case walked across them — the sign-in
//! code asked for on one and used on the other, the draft and its files on one, downloads,
//! the submission and the staff review on the other, and one submission sent to both at once
//! with one Idempotency-Key giving one case. Files are shared through the default store of
//! PostgreSQL (the database; with `TEST_S3_ENDPOINT` also through S3), and a 20 MB upload and
//! download keep the servers' memory flat.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use app::api::{CaseDetail, CaseList, CaseStatus, FieldKind, Submitted};
use sha2::{Digest, Sha256};

mod binary;
use binary::{fresh_postgres, http, Response};

const PHONE: &str = "13800138111";

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(database_url: &str, upload_dir: &Path, env: &[(&str, String)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env("PORT", port.to_string())
            .env("DATABASE_URL", database_url)
            .env("UPLOAD_DIR", upload_dir)
            .env_remove("FILE_STORE")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("start the server binary");
        let mut server = Server { child, port };
        let started = Instant::now();
        while http(port, "GET", "/api/health", &[], b"").map(|r| r.status) != Some(200) {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("server exited: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not come up"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        server
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(port: u16, method: &str, path: &str, cookie: &str, body: &serde_json::Value) -> Response {
    let text = body.to_string();
    let headers = [("Content-Type", "application/json"), ("Cookie", cookie)];
    http(port, method, path, &headers, text.as_bytes()).expect("server answers")
}

fn cookie_of(response: &Response) -> String {
    response
        .head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l[11..].trim().to_string())
        })
        .and_then(|c| c.split(';').next().map(str::to_string))
        .expect("session cookie")
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

/// A PDF of `len` bytes, different for each `seed`.
fn pdf(seed: u8, len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3] ^ seed)
        .collect();
    bytes[..9].copy_from_slice(b"%PDF-1.4\n");
    bytes
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

/// The journey across servers `a` and `b`; `memory` also measures a 20 MB upload and download.
fn walk_a_case_across(a: &Server, b: &Server, database_url: &str, memory: bool) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (a, b) = (a.port, b.port);

    // The code is asked for on A and used on B.
    let sent = call(
        a,
        "POST",
        "/api/auth/otp",
        "",
        &serde_json::json!({ "phone": PHONE }),
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    let code = runtime.block_on(async {
        let db = server::db::connect(database_url).await.unwrap();
        server::auth::sms::last_sms_code(&db, PHONE)
            .await
            .unwrap()
            .expect("a code in the outbox")
    });
    let login = call(
        b,
        "POST",
        "/api/auth/login",
        "",
        &serde_json::json!({ "phone": PHONE, "code": code }),
    );
    assert_eq!(login.status, 200, "{}", login.text());
    let cookie = cookie_of(&login);

    // The draft and its files on A.
    let created = call(
        a,
        "POST",
        "/api/applications",
        &cookie,
        &serde_json::json!({ "item_code": "SFQ-MZ-0004", "answers": {} }),
    );
    assert_eq!(created.status, 200, "{}", created.text());
    let draft: CaseDetail = created.json();
    let id = draft.summary.id.clone();
    let form: serde_json::Map<String, serde_json::Value> = draft
        .form_spec
        .iter()
        .map(|f| (f.id.clone(), sample_value(f.kind, &f.options).into()))
        .collect();
    let saved = call(
        a,
        "PUT",
        &format!("/api/applications/{id}"),
        &cookie,
        &serde_json::json!({ "form": form, "answers": {} }),
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    // Every material of the case (the staff approves only when each is accepted).
    let required: Vec<String> = draft
        .materials
        .iter()
        .map(|m| m.material_id.clone())
        .collect();
    assert!(required.len() >= 2);
    let mut contents = Vec::new();
    for (n, material) in required.iter().enumerate() {
        // The first material is 20 MB (the limit) when memory is measured.
        let len = if memory && n == 0 {
            20 * 1024 * 1024
        } else {
            300_000 + n
        };
        let bytes = pdf(n as u8, len);
        let path = format!("/api/applications/{id}/materials/{material}?name=m{n}.pdf");
        let before = memory.then(|| server_memory(a));
        let uploaded = http(a, "PUT", &path, &[("Cookie", &cookie)], &bytes).unwrap();
        assert_eq!(uploaded.status, 200, "{}", uploaded.text());
        if let Some((_, rss_before)) = before.filter(|_| n == 0) {
            let (peak, _) = server_memory(a);
            let grew = peak.saturating_sub(rss_before);
            println!("20 MB upload: peak RSS {peak} KiB, {grew} KiB over the RSS before it");
            assert!(
                grew < 16 * 1024,
                "memory grew by {grew} KiB for a 20 MB upload: it is not streamed"
            );
        }
        contents.push((material.clone(), bytes));
    }

    // B serves every file A stored.
    let detail: CaseDetail = call(
        b,
        "GET",
        &format!("/api/applications/{id}"),
        &cookie,
        &serde_json::json!({}),
    )
    .json();
    for (material, bytes) in &contents {
        let upload = detail
            .materials
            .iter()
            .find(|m| &m.material_id == material)
            .and_then(|m| m.uploads.iter().find(|u| u.current))
            .expect("current upload");
        assert_eq!(upload.sha256, sha256(bytes));
        let before = server_memory(b);
        let file = http(
            b,
            "GET",
            &format!("/api/files/{}", upload.id),
            &[("Cookie", &cookie)],
            b"",
        )
        .unwrap();
        assert_eq!(file.status, 200, "{}", file.text());
        assert_eq!(
            sha256(&file.body),
            upload.sha256,
            "{material} served by B intact"
        );
        if memory && bytes.len() >= 20 * 1024 * 1024 {
            let grew = server_memory(b).0.saturating_sub(before.1);
            println!("20 MB download: {grew} KiB over the RSS before it");
            assert!(
                grew < 16 * 1024,
                "memory grew by {grew} KiB for a 20 MB download"
            );
        }
    }

    // One submission sent to both servers at once, with one key: one case, one answer.
    let key = "two-servers-key-0001";
    let submit = format!("/api/applications/{id}/submit");
    let answers: Vec<Response> = [a, b]
        .map(|port| {
            let (cookie, submit) = (cookie.clone(), submit.clone());
            std::thread::spawn(move || {
                http(
                    port,
                    "POST",
                    &submit,
                    &[("Cookie", &cookie), ("Idempotency-Key", key)],
                    b"",
                )
                .expect("server answers")
            })
        })
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let mut accepted: Vec<Submitted> = Vec::new();
    for answer in &answers {
        match answer.status {
            200 => accepted.push(answer.json()),
            // The other server's submission holds the case at this moment.
            409 => {}
            other => panic!("submission answered {other}: {}", answer.text()),
        }
    }
    assert!(
        !accepted.is_empty(),
        "{:?}",
        answers.iter().map(Response::text).collect::<Vec<_>>()
    );
    // Asked again on either server, the key gives the same answer.
    for port in [a, b] {
        let again = http(
            port,
            "POST",
            &submit,
            &[("Cookie", &cookie), ("Idempotency-Key", key)],
            b"",
        )
        .unwrap();
        assert_eq!(again.status, 200, "{}", again.text());
        let again: Submitted = again.json();
        assert!(
            accepted.iter().all(|s| *s == again),
            "one answer for one key"
        );
    }
    let number = accepted[0].number.clone();
    let mine: CaseList = call(
        a,
        "GET",
        "/api/applications",
        &cookie,
        &serde_json::json!({}),
    )
    .json();
    assert_eq!(mine.cases.len(), 1, "exactly one case");
    assert_eq!(mine.cases[0].number.as_deref(), Some(number.as_str()));

    // The staff review on B, signed in on A.
    let staff = call(
        a,
        "POST",
        "/api/staff/login",
        "",
        &serde_json::json!({ "username": "mz_reviewer", "password": server::demo_accounts::DEMO_PASSWORD }),
    );
    assert_eq!(staff.status, 200, "{}", staff.text());
    let staff = cookie_of(&staff);
    let seen: CaseDetail = call(
        b,
        "GET",
        &format!("/api/staff/cases/{id}"),
        &staff,
        &serde_json::json!({}),
    )
    .json();
    assert_eq!(seen.summary.status, CaseStatus::Submitted);
    for material in &seen.materials {
        let upload = material.uploads.iter().find(|u| u.current).unwrap();
        let file = http(
            b,
            "GET",
            &format!("/api/files/{}", upload.id),
            &[("Cookie", &staff)],
            b"",
        )
        .unwrap();
        assert_eq!(file.status, 200);
        assert_eq!(sha256(&file.body), upload.sha256);
        let verdict = call(
            b,
            "PUT",
            &format!("/api/staff/cases/{id}/materials/{}", material.material_id),
            &staff,
            &serde_json::json!({ "verdict": "accepted" }),
        );
        assert_eq!(verdict.status, 200, "{}", verdict.text());
    }
    let decided = call(
        b,
        "POST",
        &format!("/api/staff/cases/{id}/decision"),
        &staff,
        &serde_json::json!({ "action": "approve", "next_steps": "请携带原件到窗口领取" }),
    );
    assert_eq!(decided.status, 200, "{}", decided.text());
    // The applicant sees it on A.
    let after: CaseDetail = call(
        a,
        "GET",
        &format!("/api/applications/{id}"),
        &cookie,
        &serde_json::json!({}),
    )
    .json();
    assert_eq!(after.summary.status, CaseStatus::Approved);
}

/// (peak, current) resident memory in KiB of the server on `port`.
fn server_memory(port: u16) -> (u64, u64) {
    SERVERS.with(|servers| {
        servers
            .borrow()
            .iter()
            .find(|(p, _)| *p == port)
            .map(|(_, pid)| {
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
                let field = |name: &str| -> u64 {
                    status
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .and_then(|v| v.split_whitespace().next())
                        .and_then(|v| v.parse().ok())
                        .unwrap()
                };
                (field("VmHWM:"), field("VmRSS:"))
            })
            .expect("a started server")
    })
}

thread_local! {
    /// (port, pid) of the servers this test thread started.
    static SERVERS: std::cell::RefCell<Vec<(u16, u32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn register(server: &Server) {
    SERVERS.with(|s| s.borrow_mut().push((server.port, server.child.id())));
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bst-two-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_case_walks_across_two_servers_on_one_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = fresh_postgres(&runtime);
    let (dir_a, dir_b) = (temp_dir("a"), temp_dir("b"));
    // The first prepares the new database (migrations, demo catalog); the second joins it.
    let a = Server::start(&url, &dir_a, &[]);
    let b = Server::start(&url, &dir_b, &[]);
    register(&a);
    register(&b);
    walk_a_case_across(&a, &b, &url, true);
    // Every file is in the database: neither server wrote to its own folder.
    for dir in [&dir_a, &dir_b] {
        assert_eq!(
            files_under(dir),
            Vec::<PathBuf>::new(),
            "files in {}",
            dir.display()
        );
    }
    drop((a, b));
    for dir in [dir_a, dir_b] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn a_case_walks_across_two_servers_sharing_s3() {
    let Some(endpoint) = std::env::var("TEST_S3_ENDPOINT")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        assert!(
            std::env::var_os("BANSHITONG_REQUIRE_S3").is_none(),
            "BANSHITONG_REQUIRE_S3 is set but TEST_S3_ENDPOINT is not: the S3 tests must run"
        );
        eprintln!("note: TEST_S3_ENDPOINT is not set, two servers on S3 skipped");
        return;
    };
    let bucket = format!("bst-two-{}", std::process::id());
    let host = endpoint.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(host).expect("S3 test server");
    write!(
        stream,
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "create bucket: {answer}"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = fresh_postgres(&runtime);
    let (dir_a, dir_b) = (temp_dir("s3a"), temp_dir("s3b"));
    let store = format!("s3://{bucket}?endpoint={endpoint}&region=us-east-1");
    let env = [
        ("FILE_STORE", store),
        ("AWS_ACCESS_KEY_ID", "test".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "test".to_string()),
    ];
    let a = Server::start(&url, &dir_a, &env);
    let b = Server::start(&url, &dir_b, &env);
    register(&a);
    register(&b);
    walk_a_case_across(&a, &b, &url, false);
    for dir in [&dir_a, &dir_b] {
        assert_eq!(
            files_under(dir),
            Vec::<PathBuf>::new(),
            "files in {}",
            dir.display()
        );
    }
    drop((a, b));
    for dir in [dir_a, dir_b] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A catalog published on one server: the other serves the new guide at once (it reads the
/// database) and its search (an in-memory index with an answer cache) within seconds.
#[test]
fn a_catalog_published_on_one_server_is_served_by_the_other() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = fresh_postgres(&runtime);
    let (dir_a, dir_b) = (temp_dir("cat-a"), temp_dir("cat-b"));
    let a = Server::start(&url, &dir_a, &[]);
    let b = Server::start(&url, &dir_b, &[]);
    const WORD: &str = "%E8%AF%81%E4%BB%B6%E5%BF%AB%E5%8A%9E%E7%AA%97"; // 证件快办窗
    let search = |port: u16| -> app::api::ItemList {
        call(
            port,
            "GET",
            &format!("/api/items?q={WORD}"),
            "",
            &serde_json::json!({}),
        )
        .json()
    };
    // B has answered (and cached) the search before the publication.
    assert!(search(b.port).items.is_empty());

    let login = call(
        a.port,
        "POST",
        "/api/staff/login",
        "",
        &serde_json::json!({ "username": "manager", "password": server::demo_accounts::DEMO_PASSWORD }),
    );
    assert_eq!(login.status, 200, "{}", login.text());
    let cookie = cookie_of(&login);
    let code = "SFQ-GA-0001";
    let editor: app::api::CatalogEditor = call(
        a.port,
        "GET",
        &format!("/api/admin/catalog/items/{code}"),
        &cookie,
        &serde_json::json!({}),
    )
    .json();
    let mut guide = editor.published;
    guide.keywords.push("证件快办窗".into());
    guide.fee.description = "工本费 25 元/证（示范数据）".into();
    let saved = call(
        a.port,
        "PUT",
        &format!("/api/admin/catalog/items/{code}/draft"),
        &cookie,
        &serde_json::json!({ "guide": guide }),
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    let published = call(
        a.port,
        "POST",
        &format!("/api/admin/catalog/items/{code}/publish"),
        &cookie,
        &serde_json::json!({ "note": "两台服务器测试" }),
    );
    assert_eq!(published.status, 200, "{}", published.text());
    let published_at = Instant::now();
    // A rebuilt its own catalog at once.
    assert_eq!(
        search(a.port).items.first().map(|i| i.code.as_str()),
        Some(code)
    );
    // B's guide is read from the database.
    let detail: app::api::ItemDetail = call(
        b.port,
        "GET",
        &format!("/api/items/{code}"),
        "",
        &serde_json::json!({}),
    )
    .json();
    assert_eq!(detail.guide.fee.description, "工本费 25 元/证（示范数据）");
    // B's search follows within seconds.
    loop {
        if search(b.port).items.first().map(|i| i.code.as_str()) == Some(code) {
            break;
        }
        assert!(
            published_at.elapsed() < Duration::from_secs(10),
            "server B still searches the old catalog"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    eprintln!(
        "server B searched the new catalog {} ms after the publication on A",
        published_at.elapsed().as_millis()
    );
    drop((a, b));
    for dir in [dir_a, dir_b] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
