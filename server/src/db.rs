//! The database: one pool over SQLite (embedded default) or PostgreSQL, chosen by URL.
//!
//! Both backends run the same migrations and the same queries through sqlx's `Any` driver, so
//! every query here is portable SQL with `$n` placeholders.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Connects (creating an SQLite file and its directory if needed) and runs the migrations.
pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Backend::Postgres
    } else if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        return Err(sqlx::Error::Configuration(
            format!("DATABASE_URL must start with sqlite: or postgres:, got {url:?}").into(),
        ));
    };
    let mut url = url.to_string();
    if backend == Backend::Sqlite {
        if let Some(dir) = sqlite_file(&url).and_then(|f| f.parent().map(Path::to_path_buf)) {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(&dir).map_err(|e| sqlx::Error::Configuration(e.into()))?;
            }
        }
        if !url.contains("mode=") {
            url.push_str(if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            });
        }
    }
    let options = AnyConnectOptions::from_str(&url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    use sqlx::Executor;
                    // WAL lets readers proceed while a writer commits; foreign keys are off
                    // by default in SQLite.
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(Db { pool, backend })
}

/// The database file of an SQLite URL (`None` for in-memory or other databases).
pub fn sqlite_file(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| Path::new(path))
}

/// The key of the PostgreSQL advisory lock that [`StartupLock`] holds.
const STARTUP_LOCK: i64 = 0x6273_745f_7374_6172; // "bst_star"

/// Held by a starting server while it prepares the database (migrations, demo data): servers
/// started at the same moment on one fresh PostgreSQL database take turns, so the first loads
/// the demo catalog and the others find it loaded, instead of each importing it at once and
/// all but one failing on its unique keys. A PostgreSQL session-level advisory lock on a
/// connection of its own (released by [`StartupLock::release`], or by PostgreSQL when the
/// process dies); nothing for SQLite, which one server process uses.
pub struct StartupLock(Option<sqlx::AnyConnection>);

impl StartupLock {
    /// Waits for the lock of the database at `url`.
    pub async fn acquire(url: &str) -> Result<StartupLock, sqlx::Error> {
        use sqlx::Connection;
        if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
            return Ok(StartupLock(None));
        }
        sqlx::any::install_default_drivers();
        let mut connection = sqlx::AnyConnection::connect(url).await?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK)
            .execute(&mut connection)
            .await?;
        Ok(StartupLock(Some(connection)))
    }

    /// Lets the next starting server go on.
    pub async fn release(self) {
        use sqlx::Connection;
        if let Some(mut connection) = self.0 {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(STARTUP_LOCK)
                .execute(&mut connection)
                .await;
            let _ = connection.close().await;
        }
    }
}
