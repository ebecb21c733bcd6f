//! Test harness: the real router over a real, fresh database per test.
//!
//! `sqlite()` uses a new file in the temp directory; `postgres()` creates a new database on the
//! server named by `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`), so
//! tests never see each other's rows. [`both!`] writes one test for each backend.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use app::rules::workdays::HolidayCalendar;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::AppState;
use sqlx::Connection;
use tower::ServiceExt;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    sqlite_file: Option<std::path::PathBuf>,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("unexpected shape ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("bst_test_{}_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed), nanos)
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let file = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let mut app = TestApp::with_url(&format!("sqlite://{}", file.display())).await;
        app.sqlite_file = Some(file);
        app
    }

    pub async fn postgres() -> TestApp {
        let base = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {base} is required for these tests: {e}"));
        let name = unique_name();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
        admin.close().await.unwrap();
        let (prefix, _) = base.rsplit_once('/').expect("database URL ends in /DBNAME");
        TestApp::with_url(&format!("{prefix}/{name}")).await
    }

    async fn with_url(url: &str) -> TestApp {
        let state = server::prepare(url, true, HolidayCalendar::official().clone())
            .await
            .unwrap_or_else(|e| panic!("prepare {url}: {e}"));
        TestApp { router: server::router(state.clone()), state, sqlite_file: None }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        TestResponse { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(Request::get(uri).header("host", "portal.test").body(Body::empty()).unwrap()).await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// `both!(name, |app| async move { ... })` → tests `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                ($body)($crate::common::TestApp::sqlite().await).await
            }

            #[tokio::test]
            async fn postgres() {
                ($body)($crate::common::TestApp::postgres().await).await
            }
        }
    };
}
