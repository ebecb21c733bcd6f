//! Starts 办事通: reads configuration from the environment, prepares the database, serves.
//!
//! - `PORT` (default 3000) and `HOST` (default 127.0.0.1; `0.0.0.0` to serve a network)
//! - `DATABASE_URL`: `sqlite://data/banshitong.db` (default) or `postgres://…`
//! - `DEMO_DATA=0` keeps an empty database empty instead of loading the 示范区 demo catalog
//! - `HOLIDAYS_FILE`: a JSON file with newly published years (format of app/data/holidays-cn.json)
//! - `UPLOAD_DIR`: the folder of the local file store (default: `uploads` beside the SQLite
//!   file, else `data/uploads`)
//! - `FILE_STORE`: `local` (the folder, default with SQLite), `database` (default with
//!   PostgreSQL) or `s3://bucket?endpoint=…&region=…` (credentials from `AWS_*` variables)
//! - `TRUSTED_PROXIES`: comma-separated addresses or networks of the reverse proxies whose
//!   `X-Forwarded-For` names the client (default: none, the socket peer is the client)
//! - `PUBLIC_URL`: the site's public address; `https://…` makes cookies `Secure` and sends HSTS
//! - `DEMO_ACCOUNTS`: `1` creates the demo staff accounts (public password) with demo data even
//!   on a non-loopback `HOST`, `0` never; unset: only on a loopback `HOST` without
//!   `TRUSTED_PROXIES`/`PUBLIC_URL` (a proxy would serve it to a network)
//!
//! - `LOG_FORMAT=json`: log lines as JSON objects (one a line, with the request's `request_id`);
//!   default: readable text. `RUST_LOG` filters (default `info,sqlx=warn`).
//! - `METRICS_TOKEN`: `GET /metrics` then requires `Authorization: Bearer <token>`
//! - `SHUTDOWN_DRAIN_SECS` (default 30): on SIGTERM or Ctrl-C, how long requests in progress
//!   (uploads too) may take to finish before the server exits
//!
//! `server backup DIR` writes a consistent backup of the database and the uploaded files (of
//! any `FILE_STORE`) into the new folder DIR (also while the server runs); `server restore DIR`
//! puts one back into a new database and the file store (see `server::backup`).
//!
//! `server staff add --username … --name … --role manager|reviewer [--department …]` creates a
//! staff account in the database of `DATABASE_URL`, reading its password from standard input
//! (prompted for, without echo, on a terminal), and exits.
//!
//! `server files migrate --from <store> --to <store>` copies every stored file from one store to
//! another, each verified by its sha256, and exits (see `workflow::file_store::command`).

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;

use app::rules::workdays::HolidayCalendar;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() {
    init_logs();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.is_empty() {
        let done = match args[0].as_str() {
            "files" => server::workflow::file_store::command(&args[1..]).await,
            "backup" | "restore" => backup_command(&args).await,
            _ => staff_command(&args).await,
        };
        match done {
            Ok(()) => return,
            Err(message) => {
                eprintln!("{message}");
                std::process::exit(2);
            }
        }
    }
    if let Err(message) = run().await {
        eprintln!("办事通 could not start: {message}");
        std::process::exit(1);
    }
}

/// Text lines for people (the default), or JSON lines (`LOG_FORMAT=json`) for a log collector;
/// either way each line of a request carries its span's `request_id`.
fn init_logs() {
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // The per-request access lines (tower_http) go to JSON logs; the demo's terminal stays quiet.
    let default = if json {
        "info,sqlx=warn"
    } else {
        "info,sqlx=warn,tower_http=warn"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        logs.json()
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .init();
    } else {
        logs.init();
    }
}

/// Completes on SIGTERM (what orchestrators and `systemctl stop` send) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
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
    let proxied = env("TRUSTED_PROXIES").is_some() || env("PUBLIC_URL").is_some();
    let demo_accounts =
        server::demo_accounts::allowed(&host, proxied, env("DEMO_ACCOUNTS").as_deref())?;

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
    // Servers starting together on one new database prepare it one after the other.
    let startup = server::db::StartupLock::acquire(&database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    let mut state = server::prepare_with(&database_url, load_demo, calendar, demo_accounts)
        .await?
        .with_deployment(deployment);
    if let Some(dir) = env("UPLOAD_DIR") {
        state = state.with_upload_dir(dir);
    }
    if let Some(spec) = env("FILE_STORE") {
        let files =
            server::workflow::files::FileStore::from_spec(&spec, &state.upload_dir, &state.db)?;
        state = state.with_file_store(files);
    }
    if let Some(token) = env("METRICS_TOKEN") {
        state.metrics = state.metrics.clone().with_token(&token);
    }
    let drain = env("SHUTDOWN_DRAIN_SECS").map_or(Ok(server::DEFAULT_DRAIN), |s| {
        s.parse::<u64>()
            .map(std::time::Duration::from_secs)
            .map_err(|_| format!("SHUTDOWN_DRAIN_SECS={s} is not a number of seconds"))
    })?;
    server::start_up(&state).await?;
    // A year of labelled demo cases for the indicators' plots (DEMO_HISTORY=0 leaves it out).
    if load_demo && env("DEMO_HISTORY").is_none_or(|v| v != "0") {
        let added = server::stats::demo_history::load(&state).await?;
        if added > 0 {
            println!("已生成 {added} 件演示办件（演示数据，仅用于统计指标）");
        }
    }
    startup.release().await;
    if state.catalog().demo && !demo_accounts {
        println!("{}", server::demo_accounts::REFUSED_NOTICE);
    } else if state.catalog().demo && (proxied || !server::demo_accounts::is_loopback(&host)) {
        println!("注意：DEMO_ACCOUNTS=1，示范工作人员账号（公开密码）可从网络登录，仅限演示使用。");
    }
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
        "办事通已启动：http://{shown_host}:{port}  （数据库 {}，文件存储 {}，{}）",
        state.db.backend.name(),
        state.files.label(),
        if state.catalog().demo {
            "已载入示范数据"
        } else {
            "正式数据"
        }
    );
    server::spawn_housekeeping(state.clone());
    server::catalog::follow::spawn(state.clone());
    let header_read = state.timeouts.header_read;
    let db = state.db.clone();
    server::serve_with_drain(
        listener,
        server::router(state),
        header_read,
        drain,
        shutdown_signal(),
    )
    .await
    .map_err(|e| e.to_string())?;
    // Checkpoints SQLite's write-ahead log, closes PostgreSQL sessions.
    db.pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

const BACKUP_USAGE: &str = "用法：server backup 目录 | server restore 目录\n数据库由 DATABASE_URL 指定，文件存储由 FILE_STORE 和 UPLOAD_DIR 指定（与启动服务器时相同）。";

/// `server backup DIR` / `server restore DIR`.
async fn backup_command(args: &[String]) -> Result<(), String> {
    let [command, dir] = args else {
        return Err(BACKUP_USAGE.into());
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let database_url = env("DATABASE_URL").unwrap_or_else(|| "sqlite://data/banshitong.db".into());
    let upload_dir = env("UPLOAD_DIR").map_or_else(
        || server::default_upload_dir(&database_url),
        std::path::PathBuf::from,
    );
    let file_store = env("FILE_STORE");
    let dir = std::path::Path::new(dir);
    if command == "backup" {
        let db = server::db::connect(&database_url)
            .await
            .map_err(|e| format!("database {database_url}: {e}"))?;
        let files = server::workflow::files::FileStore::configured(
            file_store.as_deref(),
            &upload_dir,
            &db,
        )?;
        let manifest = server::backup::backup(&db, &database_url, &files, dir).await?;
        println!(
            "备份完成：{}（数据库 {}，文件存储 {}，{}）",
            dir.display(),
            manifest.database,
            manifest.file_store,
            if matches!(files, server::workflow::files::FileStore::Database(_)) {
                "文件在数据库中，随数据库备份".to_string()
            } else {
                format!("复制并校验 {} 个文件", manifest.files.len())
            }
        );
    } else {
        let done =
            server::backup::restore(dir, &database_url, &upload_dir, file_store.as_deref()).await?;
        println!(
            "已恢复：数据库 {}（备份于 {}），{} 个文件写入 {}（{} 个已存在）",
            done.manifest.database,
            done.manifest.created_at,
            done.copied,
            done.file_store,
            done.present
        );
    }
    Ok(())
}

const STAFF_USAGE: &str = "用法：server staff add --username 用户名 --name 姓名 --role manager|reviewer [--department 部门编码]\n密码从标准输入读取（在终端中会提示输入，不回显）；数据库由 DATABASE_URL 指定。";

/// `server staff add …`: creates a staff account and exits.
async fn staff_command(args: &[String]) -> Result<(), String> {
    if args.len() < 2 || args[0] != "staff" || args[1] != "add" {
        return Err(STAFF_USAGE.into());
    }
    let mut username = None;
    let mut name = None;
    let mut role = None;
    let mut department = None;
    let mut rest = args[2..].iter();
    while let Some(flag) = rest.next() {
        let slot = match flag.as_str() {
            "--username" => &mut username,
            "--name" => &mut name,
            "--role" => &mut role,
            "--department" => &mut department,
            other => return Err(format!("未知参数 {other}\n{STAFF_USAGE}")),
        };
        *slot = Some(
            rest.next()
                .ok_or_else(|| format!("{flag} 缺少取值\n{STAFF_USAGE}"))?
                .clone(),
        );
    }
    let missing = |what: &str| format!("缺少 {what}\n{STAFF_USAGE}");
    let role = match role.as_deref() {
        Some("manager") => app::api::StaffRole::Manager,
        Some("reviewer") => app::api::StaffRole::Reviewer,
        Some(other) => return Err(format!("--role {other} 无效，应为 manager 或 reviewer")),
        None => return Err(missing("--role")),
    };
    let account = server::auth::staff::NewStaff {
        username: username.ok_or_else(|| missing("--username"))?,
        display_name: name.ok_or_else(|| missing("--name"))?,
        role,
        department,
        password: read_password()?,
    };
    let database_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "sqlite://data/banshitong.db".into());
    let db = server::db::connect(&database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    server::auth::staff::add_account(&db, &account).await?;
    println!(
        "已创建工作人员账号 {}（{}）",
        account.username.trim(),
        match role {
            app::api::StaffRole::Manager => "中心管理者",
            app::api::StaffRole::Reviewer => "审核人员",
        }
    );
    Ok(())
}

/// One line from standard input; on a terminal, prompted for twice with echo turned off.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    let read_line = || -> Result<String, String> {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("读取密码失败：{e}"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    };
    if !stdin.is_terminal() {
        return read_line();
    }
    let echo = |on: bool| {
        let _ = std::process::Command::new("stty")
            .arg(if on { "echo" } else { "-echo" })
            .stdin(std::process::Stdio::inherit())
            .status();
    };
    let ask = |prompt: &str| -> Result<String, String> {
        eprint!("{prompt}");
        let _ = std::io::stderr().flush();
        echo(false);
        let line = read_line();
        echo(true);
        eprintln!();
        line
    };
    let first = ask("新密码：")?;
    if ask("再次输入：")? != first {
        return Err("两次输入的密码不一致".into());
    }
    Ok(first)
}
