//! 办事通 API server: the service catalog, calendar, 网上预审 and the embedded browser client.
//!
//! [`router`] assembles every feature's routes; `main.rs` only reads configuration and starts.

pub mod appointments;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod backup;
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
pub mod monitoring;
pub mod openapi;
pub mod params;
pub mod qr;
pub mod ratelimit;
pub mod readiness;
pub mod request_id;
pub mod secrets;
pub mod security;
pub mod sites;
pub mod stats;
pub mod upload_quota;
pub mod versions;
pub mod workflow;

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use app::rules::workdays::HolidayCalendar;
use axum::extract::ConnectInfo;
use axum::http::StatusCode;
use axum::routing::any;
use axum::Router;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use auth::sms::{OutboxSms, SmsSender};
use catalog::Catalog;
use client_address::Deployment;
use db::Db;
use error::AppResult;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The working-day calendar: the build's years and `HOLIDAYS_FILE`, plus the years managers
    /// entered (see [`calendar::years`]); swapped whole when a year is entered.
    calendar: Arc<RwLock<Arc<HolidayCalendar>>>,
    /// The calendar without the entered years, and the version of `holiday_years` last loaded.
    calendar_base: Arc<(HolidayCalendar, std::sync::atomic::AtomicI64)>,
    catalog: Arc<RwLock<Arc<Catalog>>>,
    /// 政务服务地图: sites, district map and coverage, loaded at start-up and swapped whole
    /// when a manager changes a site (here or on another server, see [`sites::admin`]).
    sites: Arc<RwLock<Arc<sites::Directory>>>,
    /// The `sites_version` the directory was loaded at (-1 before the first load).
    sites_version: Arc<std::sync::atomic::AtomicI64>,
    /// The folder of the local file store (`UPLOAD_DIR`), as `<dir>/<sha256>` (temporary
    /// files in `<dir>/tmp`).
    pub upload_dir: Arc<PathBuf>,
    /// Where files are stored: the local folder, the database or S3 (`FILE_STORE`, see
    /// [`workflow::file_store`]).
    pub files: workflow::files::FileStore,
    /// SMS delivery of sign-in codes; the development outbox unless replaced.
    pub sms: Arc<dyn SmsSender>,
    /// Proxies and public address (`TRUSTED_PROXIES`, `PUBLIC_URL`).
    pub deployment: Arc<Deployment>,
    /// Bounds how many staff passwords are verified at once (argon2 takes 19 MiB each).
    pub password_gate: Arc<auth::staff::PasswordGate>,
    /// The clock that decides the 受理日 of submissions (pinned by tests).
    pub clock: clock::Clock,
    /// How much one case and one applicant may upload (see [`upload_quota`]).
    pub upload_quota: upload_quota::UploadQuota,
    /// How long a request may take (see [`Timeouts`]).
    pub timeouts: Timeouts,
    /// Whether the demo staff accounts may sign in ([`demo_accounts::allowed`]); when not, the
    /// public demo password is refused for every account.
    pub demo_accounts: bool,
    /// What `GET /metrics` reports ([`monitoring`]).
    pub metrics: monitoring::Metrics,
    /// Searches counted since they were last written ([`catalog::vocabulary`]).
    pub search_log: Arc<catalog::vocabulary::SearchLog>,
}

/// How long a connection may take to send what it owes. Half-open or dribbling connections
/// would otherwise hold a socket (and an upload's temporary file) forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From the moment the server waits for a request head (on a new or a kept-alive
    /// connection) until the whole head has arrived; then the connection is closed ([`serve`]).
    pub header_read: Duration,
    /// A whole request of the JSON API, body included, until its answer starts (408).
    pub request: Duration,
    /// A material upload (up to 20 MB streamed, also over slow mobile networks) (408).
    pub upload: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            header_read: Duration::from_secs(15),
            request: Duration::from_secs(30),
            upload: Duration::from_secs(10 * 60),
        }
    }
}

impl AppState {
    pub fn new(db: Db, calendar: HolidayCalendar, catalog: Arc<Catalog>) -> AppState {
        AppState {
            sms: Arc::new(OutboxSms { db: db.clone() }),
            db,
            calendar: Arc::new(RwLock::new(Arc::new(calendar.clone()))),
            calendar_base: Arc::new((calendar, std::sync::atomic::AtomicI64::new(-1))),
            catalog: Arc::new(RwLock::new(catalog)),
            sites: Arc::new(RwLock::new(Arc::new(sites::Directory::default()))),
            sites_version: Arc::new(std::sync::atomic::AtomicI64::new(-1)),
            upload_dir: Arc::new(PathBuf::from("data/uploads")),
            files: workflow::files::FileStore::local("data/uploads"),
            deployment: Arc::new(Deployment::default()),
            password_gate: Arc::new(auth::staff::PasswordGate::default()),
            clock: clock::Clock::system(),
            upload_quota: upload_quota::UploadQuota::default(),
            timeouts: Timeouts::default(),
            demo_accounts: true,
            metrics: monitoring::Metrics::new(),
            search_log: Arc::default(),
        }
    }

    /// Sets the proxies to believe and the public address (see [`Deployment`]).
    pub fn with_deployment(mut self, deployment: Deployment) -> AppState {
        self.deployment = Arc::new(deployment);
        self
    }

    /// Sets the folder of the local store (and points a local store there).
    pub fn with_upload_dir(mut self, dir: impl Into<PathBuf>) -> AppState {
        self.upload_dir = Arc::new(dir.into());
        if self.files.local_dir().is_some() {
            self.files = workflow::files::FileStore::local(self.upload_dir.as_path());
        }
        self
    }

    /// Replaces the file store (`FILE_STORE`).
    pub fn with_file_store(mut self, files: workflow::files::FileStore) -> AppState {
        self.files = files;
        self
    }

    /// Replaces the development SMS outbox with a real gateway (see [`SmsSender`]).
    pub fn with_sms(mut self, sms: Arc<dyn SmsSender>) -> AppState {
        self.sms = sms;
        self
    }

    /// Replaces the service-site directory (see [`sites::admin::load`]).
    pub fn with_sites(mut self, sites: sites::Directory) -> AppState {
        self.sites = Arc::new(RwLock::new(Arc::new(sites)));
        self
    }

    /// The service sites, district map and coverage (cheap: an `Arc` clone).
    pub fn sites(&self) -> Arc<sites::Directory> {
        self.sites.read().expect("sites lock").clone()
    }

    /// Replaces the directory, noting the `sites_version` it was built from.
    pub(crate) fn set_sites(&self, sites: sites::Directory, version: i64) {
        *self.sites.write().expect("sites lock") = Arc::new(sites);
        self.sites_version
            .store(version, std::sync::atomic::Ordering::SeqCst);
    }

    /// The `sites_version` the directory was built from (-1 before the first load).
    pub(crate) fn sites_version(&self) -> i64 {
        self.sites_version.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The working-day calendar now (cheap: an `Arc` clone).
    pub fn calendar(&self) -> Arc<HolidayCalendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    /// The calendar without the years entered by managers (the build's and `HOLIDAYS_FILE`).
    pub fn base_calendar(&self) -> &HolidayCalendar {
        &self.calendar_base.0
    }

    /// Replaces the calendar, noting the `holiday_years` version it was built from.
    pub(crate) fn set_calendar(&self, calendar: HolidayCalendar, version: i64) {
        *self.calendar.write().expect("calendar lock") = Arc::new(calendar);
        self.calendar_base
            .1
            .store(version, std::sync::atomic::Ordering::SeqCst);
    }

    /// The `holiday_years` version the calendar was built from (-1 before the first load).
    pub(crate) fn calendar_version(&self) -> i64 {
        self.calendar_base
            .1
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The current catalog snapshot (cheap: an `Arc` clone).
    pub fn catalog(&self) -> Arc<Catalog> {
        self.catalog.read().expect("catalog lock").clone()
    }

    /// Rebuilds the in-memory catalog after the database's catalog changed.
    pub async fn reload_catalog(&self) -> AppResult<()> {
        let fresh = Arc::new(Catalog::load(&self.db).await?);
        let mut current = self.catalog.write().expect("catalog lock");
        // Two reloads may finish out of order: never go back to an older revision.
        if fresh.revision >= current.revision {
            *current = fresh;
        }
        Ok(())
    }
}

/// Opens the database, loads the demo catalog if asked and empty, and builds the state, with
/// the demo staff accounts beside demo data (see [`prepare_with`]).
/// Uploads go beside an SQLite database (`<its dir>/uploads`), else to `data/uploads`.
pub async fn prepare(
    database_url: &str,
    load_demo: bool,
    calendar: HolidayCalendar,
) -> Result<AppState, String> {
    prepare_with(database_url, load_demo, calendar, true).await
}

/// [`prepare`], with `demo_accounts` saying whether the demo staff accounts may exist and sign
/// in ([`demo_accounts::allowed`]): when not, none are created and the demo password is
/// refused at sign-in.
pub async fn prepare_with(
    database_url: &str,
    load_demo: bool,
    calendar: HolidayCalendar,
    demo_accounts: bool,
) -> Result<AppState, String> {
    let db = db::connect(database_url)
        .await
        .map_err(|e| format!("database {database_url}: {e}"))?;
    let catalog = catalog::prepare(&db, load_demo, demo_accounts).await?;
    // Demo bundles only beside the demo catalog they are checked against.
    bundles::prepare(&db, load_demo && catalog.demo).await?;
    // The search index answers bundles too: rebuild it once they are loaded.
    let catalog = if load_demo && catalog.demo {
        Arc::new(Catalog::load(&db).await.map_err(|e| e.to_string())?)
    } else {
        catalog
    };
    // The demo 四级四同 standard list only beside the demo catalog it is compared with.
    catalog::standard::prepare(&db, load_demo && catalog.demo).await?;
    sites::prepare(&db, load_demo).await?;
    companies::prepare(&db, load_demo).await?;
    let upload_dir = default_upload_dir(database_url);
    let files = workflow::files::FileStore::default_for(&db, &upload_dir);
    let mut state = AppState::new(db, calendar, catalog)
        .with_upload_dir(upload_dir)
        .with_file_store(files);
    state.demo_accounts = demo_accounts;
    calendar::years::load(&state)
        .await
        .map_err(|e| format!("holiday_years: {e}"))?;
    sites::admin::load(&state)
        .await
        .map_err(|e| format!("sites: {e}"))?;
    appointments::prepare(&state).await?;
    Ok(state)
}

/// The folder of the local file store when `UPLOAD_DIR` is not set: `uploads` beside an
/// SQLite database, else `data/uploads`.
pub fn default_upload_dir(database_url: &str) -> PathBuf {
    db::sqlite_file(database_url)
        .and_then(Path::parent)
        .filter(|dir| !dir.as_os_str().is_empty())
        .unwrap_or(Path::new("data"))
        .join("uploads")
}

pub fn router(state: AppState) -> Router {
    let timeouts = state.timeouts;
    // The API description is gathered from the routes themselves: every handler is routed
    // with its `#[utoipa::path]`, so the document cannot miss or invent one.
    let (routes, mut api_doc) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(readiness::health))
        .routes(routes!(readiness::ready))
        .merge(catalog::router())
        .merge(calendar::router())
        .merge(qr::router())
        .merge(auth::router())
        .merge(auth::agents::router())
        .merge(cases::router())
        .merge(bundles::router())
        .merge(sites::router())
        .merge(sites::admin::router())
        .merge(appointments::router())
        .merge(stats::router())
        .merge(catalog::vocabulary::router())
        .split_for_parts();
    // The material uploads, kept apart from the request limits below.
    let (uploads, upload_doc) = cases::files::upload_router()
        .merge(bundles::upload_router())
        .split_for_parts();
    let uploads = uploads.layer(axum::middleware::from_fn_with_state(
        state.metrics.clone(),
        monitoring::count_upload,
    ));
    api_doc.merge(upload_doc);
    // Catalog imports and standard lists: whole documents, under their own larger limit.
    let (documents, documents_doc) = catalog::exchange::document_router().split_for_parts();
    api_doc.merge(documents_doc);
    let api = routes
        .merge(openapi::router(api_doc))
        // Prometheus text, not the JSON API: not in the OpenAPI document.
        .route("/metrics", axum::routing::get(monitoring::scrape))
        .route("/api/{*rest}", any(error::api_not_found))
        .fallback(assets::serve)
        // Requests are small JSON documents, quickly sent…
        .layer(RequestBodyLimitLayer::new(64 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeouts.request,
        ))
        .merge(documents.layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeouts.request,
        )))
        // …except material uploads, which stream to disk under their own 20 MB count and time.
        .merge(uploads.layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeouts.upload,
        )));
    // Cross-site state changes are refused before any handler (or body limit) sees them.
    let api = api.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        security::refuse_cross_site,
    ));
    let https = state.deployment.https();
    let metrics = state.metrics.clone();
    finish(api.with_state(state), https, metrics)
}

/// The layers around every route: a panic answers 500 in the JSON shape, answers that axum or
/// tower phrase themselves (405, 413, path rejections) are put in that shape and API answers
/// marked `no-store` ([`error::api_answers`]), and every answer — errors and panics included —
/// carries the security headers (with HSTS when served over `https`). Every answer is counted
/// by route and status ([`monitoring::track`]) and carries its request id, which is also in
/// its tracing span and error body ([`request_id`]).
pub fn finish(routes: Router, https: bool, metrics: monitoring::Metrics) -> Router {
    let mut router = routes
        .layer(CatchPanicLayer::custom(error::panic_answer))
        .layer(axum::middleware::from_fn(error::api_answers))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            monitoring::track,
        ));
    for layer in security::layers(https) {
        router = router.layer(layer);
    }
    let router = router.layer(answer_compression()).layer(
        TraceLayer::new_for_http()
            .make_span_with(request_id::span)
            // One line per answer (the access log; `tower_http=warn` silences it).
            .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO)),
    );
    request_id::around(router)
}

/// Brotli or gzip for JSON answers and the per-request page shell (the built client is
/// precompressed and passes through untouched). Uploaded materials are already compressed
/// formats and are sent as they are.
fn answer_compression(
) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    tower_http::compression::CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .compress_when(
            DefaultPredicate::new()
                .and(NotForContentType::const_new("application/pdf"))
                .and(NotForContentType::const_new("application/octet-stream")),
        )
}

/// Start-up housekeeping: the file store answers (a local folder exists), temporary files that
/// no request can still be writing (`.part` files or incomplete database files left by a crash
/// or a stopped server) are deleted, and expired rate-limit events are purged.
pub async fn start_up(state: &AppState) -> Result<(), String> {
    let store = || format!("FILE_STORE {}", state.files.label());
    if let Some(dir) = state.files.local_dir() {
        std::fs::create_dir_all(dir).map_err(|e| format!("UPLOAD_DIR {}: {e}", dir.display()))?;
    }
    state
        .files
        .check()
        .await
        .map_err(|e| format!("{}: {e}", store()))?;
    let removed = state
        .files
        .remove_incomplete(state.timeouts.upload)
        .await
        .map_err(|e| format!("{}: {e}", store()))?;
    if removed > 0 {
        tracing::info!(removed, "deleted incomplete uploads (.part)");
    }
    ratelimit::purge_expired(&state.db)
        .await
        .map_err(|e| format!("rate_events: {e}"))?;
    Ok(())
}

/// Every few minutes: purges expired rate-limit events and abandoned temporary files of the
/// file store (a server that runs for months must not keep them either), and sends the
/// appointment reminders that are due (`appointments::reminders`).
pub fn spawn_housekeeping(state: AppState) -> tokio::task::JoinHandle<()> {
    let metrics = state.metrics.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(monitoring::UPKEEP_EVERY);
        loop {
            every.tick().await;
            metrics.upkeep();
        }
    });
    // Holiday years entered and sites changed through another server reach this one within
    // seconds.
    tokio::spawn(calendar::years::follow(state.clone()));
    tokio::spawn(sites::admin::follow(state.clone()));
    // Counted searches are written every minute (no database work on the search path).
    tokio::spawn(catalog::vocabulary::keep_writing(state.clone()));
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(10 * 60));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = ratelimit::purge_expired(&state.db).await {
                tracing::warn!(error = %e, "could not purge rate_events");
            }
            if let Err(e) = state.files.remove_incomplete(state.timeouts.upload).await {
                tracing::warn!(error = %e, "could not sweep incomplete uploads");
            }
            if let Err(e) = appointments::reminders::send_due(&state).await {
                tracing::warn!(error = %e, "could not send appointment reminders");
            }
        }
    })
}

/// [`serve_with_drain`] with the default drain time (30 seconds).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_drain(
        listener,
        router,
        header_read_timeout,
        DEFAULT_DRAIN,
        shutdown,
    )
    .await
}

/// How long requests in progress may take to finish on shutdown, unless told.
pub const DEFAULT_DRAIN: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` over HTTP/1.1 until `shutdown` completes, like `axum::serve`
/// with connect info, but with a header-read timeout: a connection that does not deliver a
/// complete request head within `header_read_timeout` — a half-sent request, or a kept-alive
/// connection that stays silent — is closed. Request bodies are bounded by the router's own
/// timeouts ([`Timeouts`]).
///
/// When `shutdown` completes, no new connection is accepted (the listener is closed, so a
/// balancer's next attempt goes elsewhere), idle kept-alive connections are closed, and the
/// requests in progress — uploads included — may finish for up to `drain`; then `serve`
/// returns, cutting whatever is still running.
pub async fn serve_with_drain(
    listener: tokio::net::TcpListener,
    router: Router,
    header_read_timeout: Duration,
    drain: Duration,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;

    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // E.g. too many open files: wait a moment instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                // The peer address for rate limits and the audit log, as `into_make_service_with_connect_info` gives it.
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                router.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        // No route upgrades its connection (no WebSockets).
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A closed or timed-out connection is not the server's error.
            let _ = connection.await;
        });
    }
    drop(listener);
    tracing::info!(
        drain_seconds = drain.as_secs(),
        "shutting down: finishing the requests in progress"
    );
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still in progress after the drain time were cut");
    }
    Ok(())
}
