//! Starts 办事通: reads configuration from the environment, prepares the database, serves.
//!
//! - `PORT` (default 3000) and `HOST` (default 127.0.0.1; `0.0.0.0` to serve a network)
//! - `DATABASE_URL`: `sqlite://data/banshitong.db` (default) or `postgres://…`
//! - `DEMO_DATA=0` keeps an empty database empty instead of loading the 示范区 demo catalog
//! - `HOLIDAYS_FILE`: a JSON file with newly published years (format of app/data/holidays-cn.json)
//! - `UPLOAD_DIR`: where uploaded materials are stored (default: `uploads` beside the SQLite
//!   file, else `data/uploads`)
//! - `TRUSTED_PROXIES`: comma-separated addresses or networks of the reverse proxies whose
//!   `X-Forwarded-For` names the client (default: none, the socket peer is the client)
//! - `PUBLIC_URL`: the site's public address; `https://…` makes cookies `Secure` and sends HSTS

use std::net::SocketAddr;

use app::rules::workdays::HolidayCalendar;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    if let Err(message) = run().await {
        eprintln!("办事通 could not start: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let port: u16 = env("PORT").map_or(Ok(3000), |p| {
        p.parse().map_err(|_| format!("PORT={p} is not a port"))
    })?;
    let host = env("HOST").unwrap_or_else(|| "127.0.0.1".into());
    let database_url = env("DATABASE_URL").unwrap_or_else(|| "sqlite://data/banshitong.db".into());
    let load_demo = env("DEMO_DATA").is_none_or(|v| v != "0");

    let mut calendar = HolidayCalendar::official().clone();
    if let Some(path) = env("HOLIDAYS_FILE") {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("HOLIDAYS_FILE {path}: {e}"))?;
        calendar.extend(
            HolidayCalendar::from_json(&text).map_err(|e| format!("HOLIDAYS_FILE {path}: {e}"))?,
        );
    }

    let deployment = server::client_address::Deployment {
        trusted_proxies: env("TRUSTED_PROXIES").map_or(Ok(Vec::new()), |t| {
            server::client_address::Deployment::parse_trusted_proxies(&t)
        })?,
        public_origin: env("PUBLIC_URL")
            .map(|u| server::client_address::Deployment::parse_public_url(&u))
            .transpose()?,
    };
    let mut state = server::prepare(&database_url, load_demo, calendar)
        .await?
        .with_deployment(deployment);
    if let Some(dir) = env("UPLOAD_DIR") {
        state = state.with_upload_dir(dir);
    }
    std::fs::create_dir_all(state.upload_dir.as_path())
        .map_err(|e| format!("UPLOAD_DIR {}: {e}", state.upload_dir.display()))?;
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .map_err(|e| format!("HOST/PORT: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("bind {addr}: {e}"))?;
    let shown_host = if host == "0.0.0.0" {
        "127.0.0.1"
    } else {
        host.as_str()
    };
    println!(
        "办事通已启动：http://{shown_host}:{port}  （数据库 {}，{}）",
        state.db.backend.name(),
        if state.catalog().demo {
            "已载入示范数据"
        } else {
            "正式数据"
        }
    );
    // Connect info gives handlers the peer address (rate limits, audit log).
    axum::serve(
        listener,
        server::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
