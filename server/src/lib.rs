//! 办事通 API server: the service catalog, calendar, 网上预审 and the embedded browser client.
//!
//! [`router`] assembles every feature's routes; `main.rs` only reads configuration and starts.

pub mod appointments;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod bundles;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod client_address;
pub mod clock;
pub mod companies;
pub mod db;
pub mod demo_accounts;
pub mod error;
pub mod json_body;
pub mod openapi;
pub mod params;
pub mod qr;
pub mod ratelimit;
pub mod secrets;
pub mod security;
pub mod sites;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use app::api::Health;
use app::rules::workdays::HolidayCalendar;
use axum::extract::State;
use axum::routing::{any, get};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use auth::sms::{OutboxSms, SmsSender};
use catalog::Catalog;
use client_address::Deployment;
use db::Db;
use error::AppResult;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub calendar: Arc<HolidayCalendar>,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// 政务服务地图: sites, district map and coverage, loaded at start-up.
    sites: Arc<sites::Directory>,
    /// Where uploaded materials are stored, as `<dir>/<sha256>` (temporary files in `<dir>/tmp`).
    pub upload_dir: Arc<PathBuf>,
    /// SMS delivery of sign-in codes; the development outbox unless replaced.
    pub sms: Arc<dyn SmsSender>,
    /// Proxies and public address (`TRUSTED_PROXIES`, `PUBLIC_URL`).
    pub deployment: Arc<Deployment>,
    /// Bounds how many staff passwords are verified at once (argon2 takes 19 MiB each).
    pub password_gate: Arc<auth::staff::PasswordGate>,
    /// The clock that decides the 受理日 of submissions (pinned by tests).
    pub clock: clock::Clock,
}

impl AppState {
    pub fn new(db: Db, calendar: HolidayCalendar, catalog: Arc<Catalog>) -> AppState {
        AppState {
            sms: Arc::new(OutboxSms { db: db.clone() }),
            db,
            calendar: Arc::new(calendar),
            catalog: Arc::new(RwLock::new(catalog)),
            sites: Arc::new(sites::Directory::default()),
            upload_dir: Arc::new(PathBuf::from("data/uploads")),
            deployment: Arc::new(Deployment::default()),
            password_gate: Arc::new(auth::staff::PasswordGate::default()),
            clock: clock::Clock::system(),
        }
    }

    /// Sets the proxies to believe and the public address (see [`Deployment`]).
    pub fn with_deployment(mut self, deployment: Deployment) -> AppState {
        self.deployment = Arc::new(deployment);
        self
    }

    pub fn with_upload_dir(mut self, dir: impl Into<PathBuf>) -> AppState {
        self.upload_dir = Arc::new(dir.into());
        self
    }

    /// Replaces the development SMS outbox with a real gateway (see [`SmsSender`]).
    pub fn with_sms(mut self, sms: Arc<dyn SmsSender>) -> AppState {
        self.sms = sms;
        self
    }

    /// Replaces the service-site directory (see [`sites::prepare`]).
    pub fn with_sites(mut self, sites: sites::Directory) -> AppState {
        self.sites = Arc::new(sites);
        self
    }

    /// The service sites, district map and coverage (cheap: an `Arc` clone).
    pub fn sites(&self) -> Arc<sites::Directory> {
        self.sites.clone()
    }

    /// The current catalog snapshot (cheap: an `Arc` clone).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().expect("catalog lock").clone()
    }

    /// Rebuilds the in-memory catalog after the database's catalog changed.
    pub async fn reload_catalog(&self) -> AppResult<()> {
        let fresh = Arc::new(Catalog::load(&self.db).await?);
        *self.catalog.write().expect("catalog lock") = fresh;
        Ok(())
    }
}

/// Opens the database, loads the demo catalog if asked and empty, and builds the state.
/// Uploads go beside an SQLite database (`<its dir>/uploads`), else to `data/uploads`.
pub async fn prepare(
    database_url: &str,
    load_demo: bool,
    calendar: HolidayCalendar,
) -> Result<AppState, String> {
    let db = db::connect(database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    let catalog = catalog::prepare(&db, load_demo).await?;
    // Demo bundles only beside the demo catalog they are checked against.
    bundles::prepare(&db, load_demo && catalog.demo).await?;
    let sites = sites::prepare(&db, load_demo).await?;
    companies::prepare(&db, load_demo).await?;
    let state = AppState::new(db, calendar, catalog)
        .with_upload_dir(default_upload_dir(database_url))
        .with_sites(sites);
    appointments::prepare(&state).await?;
    Ok(state)
}

fn default_upload_dir(database_url: &str) -> PathBuf {
    db::sqlite_file(database_url)
        .and_then(Path::parent)
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("data"))
        .join("uploads")
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .merge(catalog::router())
        .merge(calendar::router())
        .merge(qr::router())
        .merge(auth::router())
        .merge(companies::router())
        .merge(cases::router())
        .merge(bundles::router())
        .merge(sites::router())
        .merge(appointments::router())
        .merge(openapi::router())
        .route("/api/{*rest}", any(error::api_not_found))
        .fallback(assets::serve)
        // Requests are small JSON documents…
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        // …except material uploads, which stream to disk under their own 20 MB count.
        .merge(cases::files::upload_router())
        .merge(bundles::upload_router());
    // Cross-site state changes are refused before any handler (or body limit) sees them.
    let api = api.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        security::refuse_cross_site,
    ));
    let https = state.deployment.https();
    finish(api.with_state(state), https)
}

/// The layers around every route: a panic answers 500 in the JSON shape, answers that axum or
/// tower phrase themselves (405, 413, path rejections) are put in that shape and API answers
/// marked `no-store` ([`error::api_answers`]), and every answer — errors and panics included —
/// carries the security headers (with HSTS when served over `https`).
pub fn finish(routes: Router, https: bool) -> Router {
    let mut router = routes
        .layer(CatchPanicLayer::custom(error::panic_answer))
        .layer(axum::middleware::from_fn(error::api_answers));
    for layer in security::layers(https) {
        router = router.layer(layer);
    }
    router.layer(TraceLayer::new_for_http())
}

/// Liveness and which database backs this server.
#[utoipa::path(get, path = "/api/health", tag = "系统", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.backend.name().into(),
    }))
}
