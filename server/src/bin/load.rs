//! Load run: `cargo run --release -p server --bin load` (loopback only, bounded, not part of
//! the tests).
//!
//! Starts the real `server` binary — first one server, then two servers — each setup on a
//! fresh PostgreSQL database (created on the server of `LOAD_POSTGRES_URL`, default
//! `TEST_POSTGRES_URL` or `postgres://postgres@127.0.0.1:5432/test`, and dropped afterwards),
//! every server with its own empty upload folder and the default file store of PostgreSQL (the
//! database). Virtual citizens then drive a mix through the HTTP API, with the shared
//! `app::api` types for every body sent and read:
//!
//! - 80 %: search (`/api/items?q=`) and 办事指南 (`/api/items/{code}`), signed out;
//! - 15 %: signed-in reads (my cases, one case, messages, the session);
//! - 5 %: a journey of writes, a step at a time: a draft, its form, each material uploaded
//!   (a 100 KB PDF, each different), the submission (with an `Idempotency-Key`).
//!
//! With two servers, requests alternate between them as a load balancer would send them. The
//! run is bounded by `LOAD_REQUESTS` per setup (default 6000) and `LOAD_SECONDS` (default 60),
//! with `LOAD_CONCURRENCY` virtual citizens (default 16). It prints per setup and route the
//! count, errors (anything but 2xx, or an answer that does not decode), p50 and p99, the
//! throughput, and each server's resident memory at start, middle and end; it exits 1 if any
//! request failed. On two cores the point is correctness and flat memory, not speed-up.
//!
//! The servers are the `server` binary beside this one (`LOAD_SERVER_BIN` to choose another);
//! started through `cargo run`, the load run first brings it up to date with the same profile.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::api::{
    CaseDetail, CaseList, DraftUpdate, FieldKind, ItemDetail, ItemList, MessageList,
    NewApplication, OtpLogin, OtpRequest, SessionInfo, Submitted, UploadInfo,
};
use serde::de::DeserializeOwned;

/// The item every journey applies for (online pre-review, a form and required materials).
const ITEM: &str = "SFQ-MZ-0004";
const QUERIES: &[&str] = &[
    "出生",
    "chusheng",
    "csyxzm",
    "生孩子",
    "身份证丢了",
    "营业执照",
    "开公司",
    "退休",
    "身分证",
    "公积金 提取",
    "sfz",
    "jiehun",
    "残疾人证",
    "不动产",
    "社保",
    "户口",
];

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v
            .parse()
            .unwrap_or_else(|_| fail(&format!("{name}={v} is not a number"))),
        _ => default,
    }
}

fn fail(message: &str) -> ! {
    eprintln!("load: {message}");
    std::process::exit(2);
}

#[tokio::main]
async fn main() {
    let requests = env_number("LOAD_REQUESTS", 6000) as usize;
    let seconds = env_number("LOAD_SECONDS", 60);
    let citizens = env_number("LOAD_CONCURRENCY", 16).clamp(1, 18) as usize;
    let admin_url = std::env::var("LOAD_POSTGRES_URL")
        .or_else(|_| std::env::var("TEST_POSTGRES_URL"))
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let binary = server_binary();
    println!(
        "办事通 load run — {} (at most {requests} requests or {seconds} s per setup, {citizens} virtual citizens, loopback)",
        binary.display()
    );
    let work = std::env::temp_dir().join(format!("bst-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let limits = Limits {
        requests,
        duration: Duration::from_secs(seconds),
        citizens,
    };
    let mut failed = 0;
    for servers in [1, 2] {
        failed += setup(&binary, &admin_url, &work, servers, &limits).await;
    }
    let _ = std::fs::remove_dir_all(&work);
    if failed > 0 {
        println!("{failed} requests failed");
        std::process::exit(1);
    }
    println!("0 errors");
}

struct Limits {
    requests: usize,
    duration: Duration,
    citizens: usize,
}

/// The `server` binary beside this one, rebuilt first when run through cargo.
fn server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("LOAD_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let me = std::env::current_exe().expect("own path");
    let binary = me.with_file_name(format!("server{}", std::env::consts::EXE_SUFFIX));
    if let Some(cargo) = std::env::var_os("CARGO") {
        // `cargo run` sets CARGO; the profile is the folder this binary is in.
        let profile = me
            .parent()
            .and_then(Path::file_name)
            .and_then(|p| p.to_str())
            .map(|p| if p == "debug" { "dev" } else { p })
            .unwrap_or("release")
            .to_string();
        println!(
            "building the server binary (cargo build --profile {profile} -p server --bin server) …"
        );
        let status = Command::new(cargo)
            .args([
                "build",
                "--profile",
                &profile,
                "-p",
                "server",
                "--bin",
                "server",
            ])
            .status()
            .unwrap_or_else(|e| fail(&format!("cargo build: {e}")));
        if !status.success() {
            fail("could not build the server binary");
        }
    }
    if !binary.exists() {
        fail(&format!(
            "{} is missing: build it first (cargo build --release -p server --bins)",
            binary.display()
        ));
    }
    binary
}

/// One setup: `servers` server processes on one fresh database. Returns its failed requests.
async fn setup(
    binary: &Path,
    admin_url: &str,
    work: &Path,
    servers: usize,
    limits: &Limits,
) -> u64 {
    let name = format!("bst_load_{}_{servers}", std::process::id());
    let (prefix, _) = admin_url
        .rsplit_once('/')
        .unwrap_or_else(|| fail("LOAD_POSTGRES_URL must end in /DBNAME"));
    let url = format!("{prefix}/{name}");
    admin(admin_url, &format!("DROP DATABASE IF EXISTS {name}")).await;
    admin(admin_url, &format!("CREATE DATABASE {name}")).await;

    // All at once, as an orchestrator starts them: one prepares the new database (migrations,
    // demo data) while the others wait for its start-up lock.
    let starting = Instant::now();
    let shared_url = url.as_str();
    let mut running = futures_util::future::join_all((0..servers).map(|n| {
        let dir = work.join(format!("{servers}-{n}"));
        async move { Server::start(binary, shared_url, &dir).await }
    }))
    .await;
    let start_secs = starting.elapsed().as_secs_f64();
    let ports: Vec<u16> = running.iter().map(|s| s.port).collect();
    let pids: Vec<u32> = running.iter().map(|s| s.child.id()).collect();
    println!();
    println!(
        "== {servers} server{} on one fresh PostgreSQL database ({name}), ready after {start_secs:.1} s ==",
        if servers > 1 { "s started at once" } else { "" }
    );

    let db = server::db::connect(&url)
        .await
        .unwrap_or_else(|e| fail(&format!("{url}: {e}")));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(limits.citizens)
        .build()
        .unwrap();
    let api = Api {
        client,
        ports: ports.clone(),
        next: Arc::new(AtomicUsize::new(0)),
        stats: Arc::new(Mutex::new(BTreeMap::new())),
        errors: Arc::new(Mutex::new(Vec::new())),
    };
    // The guides to read: every item of the catalog.
    let catalog: ItemList = api
        .get("GET /api/items", "/api/items?limit=100", None)
        .await
        .unwrap_or_else(|| fail("the catalog could not be read"));
    let codes: Arc<Vec<String>> = Arc::new(catalog.items.into_iter().map(|i| i.code).collect());

    // Each virtual citizen signs in once (the code from the development SMS outbox).
    let mut citizens = Vec::new();
    for n in 0..limits.citizens {
        let phone = format!("1390000{:04}", 2000 + n);
        let sent: Option<serde_json::Value> = api
            .send(
                "POST /api/auth/otp",
                reqwest::Method::POST,
                "/api/auth/otp",
                None,
                Body::Json(
                    serde_json::to_vec(&OtpRequest {
                        phone: phone.clone(),
                        uscc: None,
                    })
                    .unwrap(),
                ),
                &[],
            )
            .await
            .map(|(_, v)| v);
        if sent.is_none() {
            fail("could not ask for a sign-in code");
        }
        let code = server::auth::sms::last_sms_code(&db, &phone)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| fail("no code in the SMS outbox"));
        let login = OtpLogin {
            phone: phone.clone(),
            code,
            uscc: None,
        };
        let cookie = api
            .login(serde_json::to_vec(&login).unwrap())
            .await
            .unwrap_or_else(|| fail("sign-in failed"));
        citizens.push(Citizen {
            cookie,
            phone,
            seed: 0x9E37_79B9_7F4A_7C15 ^ ((n as u64 + 1) * 0x1000_0000_01B3),
            draft: None,
            step: 0,
            last_case: None,
            uploads: 0,
        });
    }
    db.pool.close().await;

    // Memory before the run, sampled through it.
    let memory = Arc::new(Mutex::new(
        pids.iter()
            .map(|pid| (rss_kib(*pid), 0u64, 0u64, 0u64))
            .collect::<Vec<_>>(),
    ));
    let done = Arc::new(AtomicUsize::new(0));
    let total = limits.requests;
    let sampler = {
        let (memory, done, pids) = (memory.clone(), done.clone(), pids.clone());
        tokio::spawn(async move {
            let mut middle_taken = false;
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let mut m = memory.lock().unwrap();
                for (i, pid) in pids.iter().enumerate() {
                    let now = rss_kib(*pid);
                    m[i].3 = m[i].3.max(now);
                    if !middle_taken && done.load(Ordering::Relaxed) >= total / 2 {
                        m[i].1 = now;
                    }
                }
                if done.load(Ordering::Relaxed) >= total / 2 {
                    middle_taken = true;
                }
            }
        })
    };

    let started = Instant::now();
    let deadline = started + limits.duration;
    let workers: Vec<_> = citizens
        .into_iter()
        .map(|citizen| {
            let (api, codes, done) = (api.clone(), codes.clone(), done.clone());
            tokio::spawn(async move { drive(api, citizen, codes, done, total, deadline).await })
        })
        .collect();
    let mut uploads = 0;
    let mut submitted = 0;
    for worker in workers {
        let (u, s) = worker.await.unwrap();
        uploads += u;
        submitted += s;
    }
    let elapsed = started.elapsed();
    sampler.abort();
    {
        let mut m = memory.lock().unwrap();
        for (i, pid) in pids.iter().enumerate() {
            m[i].2 = rss_kib(*pid);
            if m[i].1 == 0 {
                m[i].1 = m[i].2;
            }
        }
    }

    // Stopped as an orchestrator stops them: SIGTERM, then a clean exit.
    let stopping = Instant::now();
    for server in &mut running {
        server.stop();
    }
    let stop_secs = stopping.elapsed().as_secs_f64();
    let count = done.load(Ordering::Relaxed).min(total);
    let stats = std::mem::take(&mut *api.stats.lock().unwrap());
    let sent: usize = stats.values().map(|r| r.latencies.len()).sum();
    let failed: u64 = stats.values().map(|r| r.errors).sum();
    println!(
        "{sent} requests in {:.1} s: {:.0} req/s, {failed} errors; {uploads} uploads, {submitted} submissions{}",
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64(),
        if count < total { " (time limit reached)" } else { "" }
    );
    let share = |class: &[&str]| {
        let n: usize = stats
            .iter()
            .filter(|(route, _)| class.contains(route))
            .map(|(_, r)| r.latencies.len())
            .sum();
        100.0 * n as f64 / count.max(1) as f64
    };
    println!(
        "  mix: {:.0} % search and guides, {:.0} % signed-in reads, {:.0} % drafts, uploads and submissions",
        share(&["GET /api/items?q=", "GET /api/items/{code}"]),
        share(&[
            "GET /api/applications",
            "GET /api/applications/{id}",
            "GET /api/messages",
            "GET /api/session"
        ]),
        share(&[
            "POST /api/applications",
            "PUT /api/applications/{id}",
            "PUT /api/applications/{id}/materials/{m}",
            "POST /api/applications/{id}/submit"
        ]),
    );
    println!(
        "  {:<44} {:>6} {:>7} {:>9} {:>9}",
        "route", "count", "errors", "p50 ms", "p99 ms"
    );
    for (route, record) in stats.iter() {
        let mut l = record.latencies.clone();
        l.sort();
        let pct = |p: f64| {
            l.get(((l.len() as f64 - 1.0) * p).round() as usize)
                .copied()
        };
        println!(
            "  {:<44} {:>6} {:>7} {:>9.1} {:>9.1}",
            route,
            l.len(),
            record.errors,
            pct(0.50).map_or(0.0, ms),
            pct(0.99).map_or(0.0, ms)
        );
    }
    for (i, (start, middle, end, peak)) in memory.lock().unwrap().iter().enumerate() {
        println!(
            "  server {} (port {}) RSS: start {:.1} MiB, middle {:.1} MiB, end {:.1} MiB (peak {:.1} MiB)",
            i + 1,
            ports[i],
            *start as f64 / 1024.0,
            *middle as f64 / 1024.0,
            *end as f64 / 1024.0,
            *peak as f64 / 1024.0
        );
    }
    println!("  stopped (SIGTERM, exit 0) in {stop_secs:.1} s");
    for error in api.errors.lock().unwrap().iter().take(10) {
        println!("  error: {error}");
    }
    admin(admin_url, &format!("DROP DATABASE IF EXISTS {name}")).await;
    failed
}

/// Runs `sql` on the administrative connection.
async fn admin(url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(url)
        .await
        .unwrap_or_else(|e| fail(&format!("PostgreSQL at {url}: {e}")));
    sqlx::query(sql)
        .execute(&mut connection)
        .await
        .unwrap_or_else(|e| fail(&format!("{sql}: {e}")));
    let _ = connection.close().await;
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    async fn start(binary: &Path, database_url: &str, upload_dir: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .env("DATABASE_URL", database_url)
            .env("UPLOAD_DIR", upload_dir)
            .env_remove("FILE_STORE")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| fail(&format!("{}: {e}", binary.display())));
        let mut server = Server { child, port };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = client
                .get(format!("http://127.0.0.1:{port}/api/ready"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                fail(&format!("the server exited: {status}"));
            }
            if started.elapsed() > Duration::from_secs(120) {
                fail("the server did not come up within 120 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn stop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        match self.child.wait() {
            Ok(status) if status.success() => {}
            other => println!("  server on port {} stopped with {other:?}", self.port),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Resident memory of a process, KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[derive(Default)]
struct Record {
    latencies: Vec<Duration>,
    errors: u64,
}

enum Body {
    Empty,
    Json(Vec<u8>),
    Pdf(Vec<u8>),
}

#[derive(Clone)]
struct Api {
    client: reqwest::Client,
    ports: Vec<u16>,
    /// Round-robin over the servers.
    next: Arc<AtomicUsize>,
    stats: Arc<Mutex<BTreeMap<&'static str, Record>>>,
    errors: Arc<Mutex<Vec<String>>>,
}

impl Api {
    /// One exchange; `Some` with the answer's headers and decoded body when it is a 2xx that
    /// decodes as `T`, else `None` (counted as an error of `route`).
    async fn send<T: DeserializeOwned>(
        &self,
        route: &'static str,
        method: reqwest::Method,
        path: &str,
        cookie: Option<&str>,
        body: Body,
        headers: &[(&str, &str)],
    ) -> Option<(reqwest::header::HeaderMap, T)> {
        let port = self.ports[self.next.fetch_add(1, Ordering::Relaxed) % self.ports.len()];
        let mut request = self
            .client
            .request(method, format!("http://127.0.0.1:{port}{path}"))
            .header("Accept", "application/json");
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request = match body {
            Body::Empty => request,
            Body::Json(bytes) => request
                .header("Content-Type", "application/json")
                .body(bytes),
            Body::Pdf(bytes) => request
                .header("Content-Type", "application/pdf")
                .body(bytes),
        };
        let started = Instant::now();
        let outcome = async {
            let response = request.send().await.map_err(|e| e.to_string())?;
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.map_err(|e| e.to_string())?;
            if !status.is_success() {
                return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
            }
            serde_json::from_slice::<T>(&bytes)
                .map(|value| (headers, value))
                .map_err(|e| format!("{status}, does not decode: {e}"))
        }
        .await;
        let elapsed = started.elapsed();
        let mut stats = self.stats.lock().unwrap();
        let record = stats.entry(route).or_default();
        record.latencies.push(elapsed);
        match outcome {
            Ok(answer) => Some(answer),
            Err(e) => {
                record.errors += 1;
                drop(stats);
                self.errors
                    .lock()
                    .unwrap()
                    .push(format!("{route} (port {port}): {e}"));
                None
            }
        }
    }

    async fn get<T: DeserializeOwned>(
        &self,
        route: &'static str,
        path: &str,
        cookie: Option<&str>,
    ) -> Option<T> {
        self.send(route, reqwest::Method::GET, path, cookie, Body::Empty, &[])
            .await
            .map(|(_, v)| v)
    }

    /// Signs in; the session cookie.
    async fn login(&self, body: Vec<u8>) -> Option<String> {
        let (headers, _): (_, serde_json::Value) = self
            .send(
                "POST /api/auth/login",
                reqwest::Method::POST,
                "/api/auth/login",
                None,
                Body::Json(body),
                &[],
            )
            .await?;
        headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.split(';').next().map(str::to_string))
    }
}

struct Citizen {
    cookie: String,
    phone: String,
    seed: u64,
    /// The draft of the journey in progress, and the next step of it.
    draft: Option<CaseDetail>,
    step: usize,
    last_case: Option<String>,
    uploads: u64,
}

impl Citizen {
    fn random(&mut self) -> u64 {
        self.seed = self
            .seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.seed >> 33
    }
}

/// A PDF of about 100 KB, different for every `n`.
fn pdf(n: u64) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% load {n}\n").into_bytes();
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while bytes.len() < 100 * 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes.push(b'a' + (x % 26) as u8);
    }
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

fn sample_value(kind: FieldKind, options: &[String], phone: &str) -> String {
    match kind {
        FieldKind::Text => "张小明".into(),
        FieldKind::LongText => "无".into(),
        FieldKind::IdCard => "110101199003077758".into(),
        FieldKind::Uscc => "91350100M000100Y43".into(),
        FieldKind::Mobile => phone.into(),
        FieldKind::Date => "2026-01-05".into(),
        FieldKind::Choice => options.first().cloned().unwrap_or_default(),
        FieldKind::Address => "示范区民生路88号3单元501室".into(),
        FieldKind::Number => "10".into(),
    }
}

static UPLOAD_COUNTER: AtomicU64 = AtomicU64::new(0);

/// One virtual citizen's requests until `total` have been sent by all or the deadline passes;
/// returns its uploads and submissions.
async fn drive(
    api: Api,
    mut citizen: Citizen,
    codes: Arc<Vec<String>>,
    done: Arc<AtomicUsize>,
    total: usize,
    deadline: Instant,
) -> (u64, u64) {
    let mut submitted = 0;
    while done.fetch_add(1, Ordering::Relaxed) < total && Instant::now() < deadline {
        let roll = citizen.random() % 100;
        let cookie = citizen.cookie.clone();
        if roll < 40 {
            let q = QUERIES[(citizen.random() as usize) % QUERIES.len()];
            let path = format!("/api/items?q={}&limit=20", enc(q));
            let _: Option<ItemList> = api.get("GET /api/items?q=", &path, None).await;
        } else if roll < 80 {
            let code = &codes[(citizen.random() as usize) % codes.len()];
            let _: Option<ItemDetail> = api
                .get("GET /api/items/{code}", &format!("/api/items/{code}"), None)
                .await;
        } else if roll < 95 {
            match roll % 4 {
                0 => {
                    let list: Option<CaseList> = api
                        .get("GET /api/applications", "/api/applications", Some(&cookie))
                        .await;
                    if let Some(case) = list.and_then(|l| l.cases.into_iter().next()) {
                        citizen.last_case = Some(case.id);
                    }
                }
                1 => {
                    if let Some(id) = citizen.last_case.clone() {
                        let _: Option<CaseDetail> = api
                            .get(
                                "GET /api/applications/{id}",
                                &format!("/api/applications/{id}"),
                                Some(&cookie),
                            )
                            .await;
                    } else {
                        let _: Option<CaseList> = api
                            .get("GET /api/applications", "/api/applications", Some(&cookie))
                            .await;
                    }
                }
                2 => {
                    let _: Option<MessageList> = api
                        .get("GET /api/messages", "/api/messages", Some(&cookie))
                        .await;
                }
                _ => {
                    let session: Option<SessionInfo> = api
                        .get("GET /api/session", "/api/session", Some(&cookie))
                        .await;
                    if session.is_some_and(|s| s.me.is_none()) {
                        api.errors
                            .lock()
                            .unwrap()
                            .push("GET /api/session: signed out".into());
                    }
                }
            }
        } else if write_step(&api, &mut citizen).await {
            submitted += 1;
        }
    }
    (citizen.uploads, submitted)
}

/// The next write of the citizen's journey; true when it was the submission.
async fn write_step(api: &Api, citizen: &mut Citizen) -> bool {
    let cookie = citizen.cookie.clone();
    let Some(draft) = citizen.draft.clone() else {
        let body = NewApplication {
            item_code: ITEM.into(),
            answers: BTreeMap::new(),
        };
        let created: Option<(_, CaseDetail)> = api
            .send(
                "POST /api/applications",
                reqwest::Method::POST,
                "/api/applications",
                Some(&cookie),
                Body::Json(serde_json::to_vec(&body).unwrap()),
                &[],
            )
            .await;
        if let Some((_, draft)) = created {
            citizen.last_case = Some(draft.summary.id.clone());
            citizen.draft = Some(draft);
            citizen.step = 0;
        }
        return false;
    };
    let id = draft.summary.id.clone();
    let required: Vec<&str> = draft
        .materials
        .iter()
        .filter(|m| m.required)
        .map(|m| m.material_id.as_str())
        .collect();
    if citizen.step == 0 {
        let phone = citizen.phone.clone();
        let update = DraftUpdate {
            form: draft
                .form_spec
                .iter()
                .map(|f| (f.id.clone(), sample_value(f.kind, &f.options, &phone)))
                .collect(),
            answers: BTreeMap::new(),
        };
        let saved: Option<(_, CaseDetail)> = api
            .send(
                "PUT /api/applications/{id}",
                reqwest::Method::PUT,
                &format!("/api/applications/{id}"),
                Some(&cookie),
                Body::Json(serde_json::to_vec(&update).unwrap()),
                &[],
            )
            .await;
        if saved.is_some() {
            citizen.step = 1;
        }
        return false;
    }
    if let Some(material) = required.get(citizen.step - 1) {
        let n = UPLOAD_COUNTER.fetch_add(1, Ordering::Relaxed) + citizen.seed % 1_000_000 * 1000;
        let uploaded: Option<(_, UploadInfo)> = api
            .send(
                "PUT /api/applications/{id}/materials/{m}",
                reqwest::Method::PUT,
                &format!("/api/applications/{id}/materials/{material}?name=load.pdf"),
                Some(&cookie),
                Body::Pdf(pdf(n)),
                &[],
            )
            .await;
        if uploaded.is_some() {
            citizen.uploads += 1;
            citizen.step += 1;
        }
        return false;
    }
    let key = format!("load-{id}");
    let answer: Option<(_, Submitted)> = api
        .send(
            "POST /api/applications/{id}/submit",
            reqwest::Method::POST,
            &format!("/api/applications/{id}/submit"),
            Some(&cookie),
            Body::Empty,
            &[("Idempotency-Key", &key)],
        )
        .await;
    // Submitted, or failed (counted): either way the next journey starts afresh.
    citizen.draft = None;
    citizen.step = 0;
    answer.is_some()
}

fn enc(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
