//! 办事通 API server: the service catalog, calendar and the embedded browser client.
//!
//! [`router`] assembles every feature's routes; `main.rs` only reads configuration and starts.

pub mod assets;
pub mod calendar;
pub mod catalog;
pub mod db;
pub mod error;
pub mod openapi;
pub mod params;
pub mod qr;
pub mod security;

use std::sync::{Arc, RwLock};

use app::api::Health;
use app::rules::workdays::HolidayCalendar;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use catalog::Catalog;
use db::Db;
use error::AppResult;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub calendar: Arc<HolidayCalendar>,
    catalog: Arc<RwLock<Arc<Catalog>>>,
}

impl AppState {
    pub fn new(db: Db, calendar: HolidayCalendar, catalog: Arc<Catalog>) -> AppState {
        AppState { db, calendar: Arc::new(calendar), catalog: Arc::new(RwLock::new(catalog)) }
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
pub async fn prepare(database_url: &str, load_demo: bool, calendar: HolidayCalendar) -> Result<AppState, String> {
    let db = db::connect(database_url).await.map_err(|e| format!("database {database_url}: {e}"))?;
    let catalog = catalog::prepare(&db, load_demo).await?;
    Ok(AppState::new(db, calendar, catalog))
}

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .merge(catalog::router())
        .merge(calendar::router())
        .merge(qr::router())
        .merge(openapi::router())
        .route("/api/{*rest}", get(error::api_not_found).post(error::api_not_found));
    let mut router = api.fallback(assets::serve).with_state(state);
    for layer in security::layers() {
        router = router.layer(layer);
    }
    router
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
}

/// Liveness and which database backs this server.
#[utoipa::path(get, path = "/api/health", tag = "系统", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> AppResult<Json<Health>> {
    sqlx::query("SELECT 1").execute(&state.db.pool).await?;
    Ok(Json(Health { status: "ok".into(), database: state.db.backend.name().into() }))
}
