//! `GET /metrics`: what the portal is doing, in the Prometheus text format, through the
//! `metrics` facade and `metrics-exporter-prometheus`'s recorder (without its own listener:
//! the answer is rendered by an ordinary route of this server).
//!
//! Each [`Metrics`] has its own recorder (recorded into through `metrics::with_local_recorder`),
//! so two servers in one process — the API tests — never count each other's requests.
//!
//! - `http_requests_total` and `http_request_duration_seconds` (a histogram), labelled by
//!   method, matched route (`/api/applications/{id}`, never the path itself: no personal data,
//!   no unbounded labels; `fallback` for the pages and built client) and status;
//! - `uploads_in_progress`, `otp_codes_sent_total`;
//! - read at each scrape: `db_pool_connections`, `db_pool_idle_connections`,
//!   `cases_by_status{status}` and `cases_deadline_warnings{level="red"|"yellow"}` (the red and
//!   yellow cards of the department's list), from two grouped queries.
//!
//! With `METRICS_TOKEN` set, a scrape must send `Authorization: Bearer <token>` (401 otherwise).
//! The route is not in the OpenAPI document: it answers Prometheus text, not the JSON API.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::api::{CaseStatus, Warning};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::{AppError, AppResult};
use crate::{clock, AppState};

/// The statuses a case can have (the `cases.status` check of the migrations).
const STATUSES: [&str; 7] = [
    "draft",
    "submitted",
    "returned",
    "approved",
    "rejected",
    "completed",
    "withdrawn",
];

/// Upper bounds of the latency histogram, in seconds (uploads may take minutes).
const LATENCY_BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
    /// sha256 of `METRICS_TOKEN`, when scrapes must present it.
    token: Option<[u8; 32]>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                &LATENCY_BUCKETS,
            )
            .expect("latency buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        let metrics = Metrics {
            recorder: Arc::new(recorder),
            handle,
            token: None,
        };
        metrics.describe();
        // Shown from the first scrape on, before anything happened.
        metrics.record(|| {
            metrics::gauge!("uploads_in_progress").set(0.0);
            metrics::counter!("otp_codes_sent_total").absolute(0);
        });
        metrics
    }

    /// Scrapes must send `Authorization: Bearer <token>`.
    pub fn with_token(mut self, token: &str) -> Metrics {
        self.token = Some(Sha256::digest(token.as_bytes()).into());
        self
    }

    fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&*self.recorder, f)
    }

    fn describe(&self) {
        self.record(|| {
            metrics::describe_counter!("http_requests_total", "HTTP requests answered");
            metrics::describe_histogram!(
                "http_request_duration_seconds",
                metrics::Unit::Seconds,
                "Time until the answer's head, by route and status"
            );
            metrics::describe_gauge!("uploads_in_progress", "Material uploads being received");
            metrics::describe_counter!("otp_codes_sent_total", "Sign-in codes sent by SMS");
            metrics::describe_gauge!("db_pool_connections", "Open database connections");
            metrics::describe_gauge!(
                "db_pool_idle_connections",
                "Open database connections not in use"
            );
            metrics::describe_gauge!("cases_by_status", "Cases (办件) by status");
            metrics::describe_gauge!(
                "cases_deadline_warnings",
                "Cases awaiting the department that are overdue (red) or due within a working day (yellow)"
            );
        });
    }

    /// A sign-in code went out.
    pub fn otp_sent(&self) {
        self.record(|| metrics::counter!("otp_codes_sent_total").increment(1));
    }

    /// Drains the histograms' samples; called every few seconds ([`crate::spawn_housekeeping`])
    /// so memory stays flat when nobody scrapes.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// The text of a scrape, after reading the gauges that are computed from the database.
    pub async fn render(&self, state: &AppState) -> AppResult<String> {
        let pool = &state.db.pool;
        let (size, idle) = (pool.size() as f64, pool.num_idle() as f64);
        let by_status = sqlx::query("SELECT status, COUNT(*) AS n FROM cases GROUP BY status")
            .fetch_all(pool)
            .await?;
        // Grouped by due date: a few hundred rows however many cases are open.
        let awaiting: Vec<&str> = STATUSES
            .iter()
            .copied()
            .filter(|s| status_of(s).is_some_and(app::rules::case_flow::awaits_department))
            .collect();
        let placeholders: Vec<String> = (1..=awaiting.len()).map(|n| format!("${n}")).collect();
        let due_sql = format!(
            "SELECT status, due_date, COUNT(*) AS n FROM cases WHERE status IN ({}) AND due_date IS NOT NULL GROUP BY status, due_date",
            placeholders.join(", ")
        );
        let mut due_query = sqlx::query(&due_sql);
        for status in &awaiting {
            due_query = due_query.bind(*status);
        }
        let due = due_query.fetch_all(pool).await?;
        let today = clock::today_beijing();
        let (mut red, mut yellow) = (0i64, 0i64);
        for row in &due {
            let status: String = row.try_get("status")?;
            let due_date: String = row.try_get("due_date")?;
            let n: i64 = row.try_get("n")?;
            let Some(status) = status_of(&status) else {
                continue;
            };
            match crate::cases::view::deadline(&state.calendar(), status, Some(&due_date), today).1
            {
                Some(Warning::Red) => red += n,
                Some(Warning::Yellow) => yellow += n,
                None => {}
            }
        }
        let mut counts: Vec<(&'static str, i64)> = STATUSES.iter().map(|s| (*s, 0)).collect();
        for row in &by_status {
            let status: String = row.try_get("status")?;
            let n: i64 = row.try_get("n")?;
            if let Some(slot) = counts.iter_mut().find(|(s, _)| *s == status) {
                slot.1 = n;
            }
        }
        self.record(|| {
            metrics::gauge!("db_pool_connections").set(size);
            metrics::gauge!("db_pool_idle_connections").set(idle);
            for (status, n) in counts {
                metrics::gauge!("cases_by_status", "status" => status).set(n as f64);
            }
            metrics::gauge!("cases_deadline_warnings", "level" => "red").set(red as f64);
            metrics::gauge!("cases_deadline_warnings", "level" => "yellow").set(yellow as f64);
        });
        Ok(self.handle.render())
    }

    /// Whether the request may scrape: no token configured, or the right bearer token.
    fn allows(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = self.token else {
            return true;
        };
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| <[u8; 32]>::from(Sha256::digest(t.trim().as_bytes())));
        // Digests are compared, so the time taken says nothing about the token.
        presented == Some(expected)
    }
}

fn status_of(text: &str) -> Option<CaseStatus> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !state.metrics.allows(&headers) {
        let mut refused = AppError::unauthorized(
            "需要监控令牌：请在 Authorization 头中提供 Bearer 令牌（METRICS_TOKEN）",
        )
        .into_response();
        refused
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return refused;
    }
    match state.metrics.render(&state).await {
        Ok(text) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            text,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The method as a label: the standard ones by name, anything else as `other`.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times every answer by method, matched route and status (see [`crate::finish`]).
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "fallback".to_string(), |p| p.as_str().to_string());
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    let status = response.status().as_u16().to_string();
    metrics.record(|| {
        let labels = [
            ("method", method.to_string()),
            ("route", route),
            ("status", status),
        ];
        metrics::counter!("http_requests_total", &labels).increment(1);
        metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed);
    });
    response
}

/// Keeps `uploads_in_progress` while an upload request is being served (body included: the
/// handler reads it before answering), also when the client goes away mid-upload.
pub async fn count_upload(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    struct InProgress(Metrics);
    impl Drop for InProgress {
        fn drop(&mut self) {
            self.0
                .record(|| metrics::gauge!("uploads_in_progress").decrement(1.0));
        }
    }
    metrics.record(|| metrics::gauge!("uploads_in_progress").increment(1.0));
    let _guard = InProgress(metrics);
    next.run(request).await
}

/// How often the histograms are drained.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);
