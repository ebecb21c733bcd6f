//! Benchmark: `cargo run --release -p server --bin bench`.
//!
//! 1. Generates a 10,000-item catalog from the demo items and times searches inside the server
//!    (p50/p99 over a mix of Chinese, pinyin, initials, everyday-word and misspelt queries).
//! 2. Serves that catalog on a loopback port and measures the search API's throughput as a ratio
//!    to the same server answering a static response of the same size, in the same run, so the
//!    noise of a shared machine mostly cancels out.
//! 3. Prints every client chunk's brotli size and the first-visit transfer (brotli: html + css +
//!    the glue, the split loader and the main wasm) for `/` and for a 办事指南 deep link (plus
//!    that item's API answer, which the shell preloads).
//! 4. Serves the demo district on a loopback port and runs Lighthouse (mobile preset, Debian
//!    Chromium, npm `lighthouse` from `end2end/node_modules`) three times each on `/`, a guide
//!    and `/map`, printing the median performance score, LCP and TBT. Skipped with a note when
//!    Lighthouse or Chromium is missing; `BENCH_LIGHTHOUSE=0` skips it.

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use app::rules::workdays::HolidayCalendar;
use axum::routing::get;
use server::catalog::data::CatalogData;
use server::catalog::search::{SearchIndex, SearchQuery};
use server::catalog::store;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const ITEMS: usize = 10_000;
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
    "chushemg",
    "公积金 提取",
    "食品经营许可",
    "sfz",
    "jiehun",
    "残疾人证",
    "不动产",
];
const DISTRICTS: &[&str] = &[
    "东城街道",
    "西湖街道",
    "南山街道",
    "北苑街道",
    "滨江街道",
    "高新街道",
    "青禾街道",
    "银湖街道",
];

#[tokio::main]
async fn main() {
    let demo = CatalogData::demo().expect("demo catalog");
    let data = scaled_catalog(&demo, ITEMS);
    println!(
        "办事通 benchmark — {} items, {} departments",
        data.items.len(),
        data.departments.len()
    );

    let names: std::collections::HashMap<_, _> = data
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    let index = SearchIndex::build(data.items.iter().cloned().map(|g| (g, 0)), |c| {
        names[c].clone()
    });
    search_latency(&index);

    let dir = std::env::temp_dir().join(format!("bst-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = server::prepare(
        &format!("sqlite://{}/bench.db", dir.display()),
        false,
        HolidayCalendar::official().clone(),
    )
    .await
    .expect("database");
    store::import(&state.db, &data, true).await.expect("import");
    state.reload_catalog().await.expect("reload");
    throughput(state).await;
    let _ = std::fs::remove_dir_all(&dir);

    let guide_answer = first_visit_transfer();
    lighthouse(guide_answer).await;
}

fn scaled_catalog(demo: &CatalogData, count: usize) -> CatalogData {
    let mut data = demo.clone();
    data.district.popular.clear();
    data.items = (0..count)
        .map(|i| {
            let template = &demo.items[i % demo.items.len()];
            let round = i / demo.items.len();
            let mut item = template.clone();
            item.code = format!("BENCH-{i:05}");
            if round > 0 {
                item.name = format!(
                    "{}（{}{}）",
                    template.name,
                    DISTRICTS[round % DISTRICTS.len()],
                    round
                );
            }
            item.materials.iter_mut().for_each(|m| m.blank_form = None);
            item
        })
        .collect();
    data.forms.clear();
    data
}

fn search_latency(index: &SearchIndex) {
    let mut samples = Vec::new();
    let mut slowest: Vec<(Duration, &str)> = QUERIES.iter().map(|q| (Duration::ZERO, *q)).collect();
    for round in 0..150 {
        for (i, q) in QUERIES.iter().enumerate() {
            let query = SearchQuery {
                text: Some(q.to_string()),
                limit: 20,
                ..Default::default()
            };
            let started = Instant::now();
            let result = index.search(&query);
            let elapsed = started.elapsed();
            if round > 0 {
                samples.push(elapsed);
                slowest[i].0 = slowest[i].0.max(elapsed);
            }
            assert!(result.total > 0, "{q} found nothing");
        }
    }
    slowest.sort_by_key(|(d, _)| std::cmp::Reverse(*d));
    let worst: Vec<String> = slowest
        .iter()
        .take(3)
        .map(|(d, q)| format!("{q} {:.2} ms", ms(*d)))
        .collect();
    println!("slowest queries (max): {}", worst.join(", "));
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    println!(
        "search in the server ({} queries): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms   (target p99 ≤ 5 ms)",
        samples.len(),
        ms(pct(0.50)),
        ms(pct(0.99)),
        ms(*samples.last().unwrap())
    );
}

async fn throughput(state: server::AppState) {
    let api_path = format!("/api/items?q={}&limit=20", "%E5%87%BA%E7%94%9F"); // 出生
    let app = server::router(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Measure the size of the API answer, then serve a static body of exactly that size.
    let probe = tokio::spawn(axum::serve(listener, app.clone()).into_future());
    let size = fetch(&addr.to_string(), &api_path).await;
    probe.abort();

    let body = vec![b'x'; size];
    let app = app.route(
        "/bench/static",
        get(move || {
            let body = body.clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(axum::serve(listener, app).into_future());

    let duration = Duration::from_secs(3);
    load(&addr, "/bench/static", Duration::from_millis(500)).await; // warm-up
    let static_rps = load(&addr, "/bench/static", duration).await;
    let api_rps = load(&addr, &api_path, duration).await;
    println!(
        "throughput ({size} B bodies, 16 keep-alive connections, {}s each):",
        duration.as_secs()
    );
    println!("  static response: {static_rps:.0} req/s");
    println!("  search API:      {api_rps:.0} req/s");
    println!(
        "  ratio API/static: {:.2}   (target ≥ 0.4)",
        api_rps / static_rps
    );
}

/// One request on a fresh connection; returns the body size.
async fn fetch(addr: &str, path: &str) -> usize {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut buffer = Vec::new();
    request(&mut stream, addr, path, &mut buffer).await
}

/// Requests `path` over 16 keep-alive connections for `duration`; returns requests per second.
async fn load(addr: &str, path: &str, duration: Duration) -> f64 {
    let deadline = Instant::now() + duration;
    let workers: Vec<_> = (0..16)
        .map(|_| {
            let (addr, path) = (addr.to_string(), path.to_string());
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(&addr).await.unwrap();
                let mut buffer = Vec::new();
                let mut count = 0u64;
                while Instant::now() < deadline {
                    request(&mut stream, &addr, &path, &mut buffer).await;
                    count += 1;
                }
                count
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        total += worker.await.unwrap();
    }
    total as f64 / duration.as_secs_f64()
}

/// Minimal HTTP/1.1 keep-alive exchange; returns the response body length.
async fn request(stream: &mut TcpStream, host: &str, path: &str, buffer: &mut Vec<u8>) -> usize {
    let head = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    buffer.clear();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let headers = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            assert!(headers.starts_with("http/1.1 200"), "{headers}");
            let length: usize = headers
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .expect("content-length");
            while buffer.len() < end + 4 + length {
                let n = stream.read(&mut chunk).await.unwrap();
                assert!(n > 0, "connection closed");
                buffer.extend_from_slice(&chunk[..n]);
            }
            return length;
        }
    }
}

/// The guide used for the deep-link figures (a demo item with a long guide).
const GUIDE: &str = "SFQ-GA-0002";

/// Prints chunk sizes and first-visit totals; returns the guide's API answer size (raw bytes).
fn first_visit_transfer() -> usize {
    use server::assets::{ASSETS, BUILD_BASE};
    if BUILD_BASE.is_empty() {
        println!("first visit: the client was not built (BANSHITONG_SKIP_CLIENT)");
        return 0;
    }
    println!("client chunks (brotli / raw):");
    let chunk_prefix = format!("{BUILD_BASE}/");
    for asset in ASSETS.iter().filter(|a| a.url.starts_with(&chunk_prefix)) {
        println!(
            "  {:<28} {:>8.1} KB / {:>8.1} KB",
            &asset.url[chunk_prefix.len()..],
            kb(asset.br.len()),
            kb(asset.raw.len())
        );
    }
    let first: Vec<_> = ASSETS
        .iter()
        .filter(|a| {
            a.url == "/index.html"
                || (a.url.starts_with("/assets/main-") && a.url.ends_with(".css"))
                || a.url == format!("{BUILD_BASE}/app.js")
                || a.url == format!("{BUILD_BASE}/__wasm_split.js")
                || a.url == format!("{BUILD_BASE}/app_bg.wasm")
        })
        .collect();
    let total: usize = first.iter().map(|a| a.br.len()).sum();
    let names: Vec<_> = first
        .iter()
        .map(|a| {
            format!(
                "{} {:.1}",
                a.url.rsplit('/').next().unwrap(),
                kb(a.br.len())
            )
        })
        .collect();
    println!(
        "first visit to / (brotli): {:.1} KB = {}   (target ≤ 200 KB, moonshot ≤ 120 KB)",
        kb(total),
        names.join(" + ")
    );
    total
}

/// Serves the demo district and runs Lighthouse on three pages.
async fn lighthouse(shell_bytes: usize) {
    if std::env::var_os("BENCH_LIGHTHOUSE").is_some_and(|v| v == "0") || shell_bytes == 0 {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cli = root.join("end2end/node_modules/lighthouse/cli/index.js");
    let chrome = std::env::var("CHROME_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !cli.exists() || !std::path::Path::new(&chrome).exists() {
        println!("lighthouse: skipped (run `npm ci` in end2end/ and install chromium)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("bst-bench-lh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = server::prepare(
        &format!("sqlite://{}/demo.db", dir.display()),
        true,
        HolidayCalendar::official().clone(),
    )
    .await
    .expect("demo database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = server::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = tokio::spawn(axum::serve(listener, app).into_future());

    // The guide's API answer as the browser receives it, for the deep-link total.
    let answer = reqwest_like_get(port, &format!("/api/items/{GUIDE}")).await;
    println!(
        "first visit to /items/{GUIDE}: {:.1} KB (the shell above + its preloaded API answer {:.1} KB)",
        kb(shell_bytes + answer),
        kb(answer)
    );

    println!("lighthouse (mobile preset, median of 3: performance score, LCP, TBT; targets ≥ 90, map TBT ≤ 200 ms):");
    for path in ["/", &format!("/items/{GUIDE}"), "/map"] {
        let mut runs = Vec::new();
        for _ in 0..3 {
            let out = dir.join("lh.json");
            let mut command = std::process::Command::new("node");
            command
                .arg(&cli)
                .arg(format!("http://127.0.0.1:{port}{path}"))
                .args([
                    "--only-categories=performance",
                    "--output=json",
                    "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox",
                ])
                .arg(format!("--output-path={}", out.display()))
                .env("CHROME_PATH", &chrome);
            // Lighthouse runs for seconds; keep the runtime's threads serving meanwhile.
            let status = tokio::task::spawn_blocking(move || command.status())
                .await
                .unwrap();
            let report = status
                .ok()
                .filter(|s| s.success())
                .and_then(|_| std::fs::read_to_string(&out).ok())
                .and_then(|t: String| serde_json::from_str::<serde_json::Value>(&t).ok());
            let Some(report) = report else {
                println!("  {path}: lighthouse failed");
                break;
            };
            let number = |audit: &str| {
                report["audits"][audit]["numericValue"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            };
            runs.push((
                report["categories"]["performance"]["score"]
                    .as_f64()
                    .unwrap_or(0.0)
                    * 100.0,
                number("largest-contentful-paint"),
                number("total-blocking-time"),
            ));
        }
        if runs.len() == 3 {
            let median = |pick: fn(&(f64, f64, f64)) -> f64| {
                let mut v: Vec<f64> = runs.iter().map(pick).collect();
                v.sort_by(|a, b| a.total_cmp(b));
                v[1]
            };
            println!(
                "  {:<22} performance {:>3.0}   LCP {:>5.0} ms   TBT {:>4.0} ms   (runs: {})",
                path,
                median(|r| r.0),
                median(|r| r.1),
                median(|r| r.2),
                runs.iter()
                    .map(|r| format!("{:.0}", r.0))
                    .collect::<Vec<_>>()
                    .join("/")
            );
        }
    }
    served.abort();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The body length of a plain `GET` on the loopback server.
async fn reqwest_like_get(port: u16, path: &str) -> usize {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br, gzip\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(0);
    response.len().saturating_sub(split + 4)
}

fn kb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
