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
    upload_dir: std::path::PathBuf,
    /// The database URL, to open the same database again (`reopen`).
    pub url: String,
}

/// A signed-in caller: the `Cookie` header value carrying its session.
#[derive(Debug, Clone)]
pub struct User {
    pub cookie: String,
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

    /// The answer decoded into its `app::api` wire type exactly as the browser client decodes it
    /// (serde_json), and proven lossless: encoding the decoded value again gives the very JSON the
    /// server sent, so no field the server sends is unknown to, or dropped by, the client's type.
    pub fn parse<T: serde::de::DeserializeOwned + serde::Serialize>(&self) -> T {
        let value: T = serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "unexpected shape ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        });
        let sent: serde_json::Value = serde_json::from_slice(&self.body).unwrap();
        let read = serde_json::to_value(&value).unwrap();
        assert_eq!(
            read,
            sent,
            "the client's {} does not read everything the server sent",
            std::any::type_name::<T>()
        );
        value
    }

    /// The JSON body without its `request_id` (which differs for every request): for
    /// comparing two error answers.
    pub fn json_apart_from_request_id(&self) -> serde_json::Value {
        let mut value = self.json();
        if let Some(object) = value.as_object_mut() {
            object.remove("request_id");
        }
        value
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "bst_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let file = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let mut app = TestApp::with_url(&format!("sqlite://{}", file.display())).await;
        app.sqlite_file = Some(file);
        app
    }

    pub async fn postgres() -> TestApp {
        TestApp::postgres_with(true).await
    }

    pub async fn sqlite_with(demo_accounts: bool) -> TestApp {
        let file = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let mut app = TestApp::open(&format!("sqlite://{}", file.display()), demo_accounts).await;
        app.sqlite_file = Some(file);
        app
    }

    /// A new database on the same backend as this one, prepared with or without the demo
    /// staff accounts (`server::prepare_with`).
    pub async fn fresh_like(&self, demo_accounts: bool) -> TestApp {
        match self.state.db.backend {
            server::db::Backend::Sqlite => TestApp::sqlite_with(demo_accounts).await,
            server::db::Backend::Postgres => TestApp::postgres_with(demo_accounts).await,
        }
    }

    /// The router rebuilt after changing the state (quotas, timeouts …).
    pub fn rebuild(mut self, change: impl FnOnce(&mut AppState)) -> TestApp {
        change(&mut self.state);
        self.router = server::router(self.state.clone());
        self
    }

    pub async fn postgres_with(demo_accounts: bool) -> TestApp {
        let base = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        sqlx::any::install_default_drivers();
        let mut admin = sqlx::AnyConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {base} is required for these tests: {e}"));
        let name = unique_name();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        admin.close().await.unwrap();
        let (prefix, _) = base.rsplit_once('/').expect("database URL ends in /DBNAME");
        TestApp::open(&format!("{prefix}/{name}"), demo_accounts).await
    }

    async fn with_url(url: &str) -> TestApp {
        TestApp::open(url, true).await
    }

    async fn open(url: &str, demo_accounts: bool) -> TestApp {
        // Each test has its own upload directory, so "no file left behind" can be checked.
        let upload_dir = std::env::temp_dir().join(format!("{}_uploads", unique_name()));
        let state = server::prepare_with(
            url,
            true,
            HolidayCalendar::official().clone(),
            demo_accounts,
        )
        .await
        .unwrap_or_else(|e| panic!("prepare {url}: {e}"))
        .with_upload_dir(&upload_dir)
        // The local store on both backends, so tests can look into the folder; the other
        // stores are tested in `file_stores`.
        .with_file_store(server::workflow::files::FileStore::local(&upload_dir));
        TestApp {
            router: server::router(state.clone()),
            state,
            sqlite_file: None,
            upload_dir,
            url: url.to_string(),
        }
    }

    /// A database that already holds data (e.g. a restored backup), with `upload_dir`.
    pub async fn open_existing(url: &str, upload_dir: &std::path::Path) -> TestApp {
        let state = server::prepare_with(url, true, HolidayCalendar::official().clone(), true)
            .await
            .unwrap_or_else(|e| panic!("prepare {url}: {e}"))
            .with_upload_dir(upload_dir)
            .with_file_store(server::workflow::files::FileStore::local(upload_dir));
        TestApp {
            router: server::router(state.clone()),
            state,
            sqlite_file: None,
            upload_dir: upload_dir.to_path_buf(),
            url: url.to_string(),
        }
    }

    /// The same database behind a router built for another deployment (proxies, public URL).
    pub fn with_deployment(mut self, deployment: server::client_address::Deployment) -> TestApp {
        self.state = self.state.clone().with_deployment(deployment);
        self.router = server::router(self.state.clone());
        self
    }

    pub fn upload_dir(&self) -> &std::path::Path {
        &self.upload_dir
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> TestResponse {
        self.request(
            Request::get(uri)
                .header("host", "portal.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.upload_dir);
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

impl TestApp {
    /// Any request, as `user` (or anonymously), with extra headers.
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        user: Option<&User>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "portal.test");
        if let Some(user) = user {
            request = request.header("cookie", &user.cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.request(request.body(body).unwrap()).await
    }

    /// A request arriving over a socket from `peer` (an IP address), as `main.rs` serves it.
    pub async fn send_from(
        &self,
        peer: &str,
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: Body,
    ) -> TestResponse {
        let ip: std::net::IpAddr = peer.parse().expect("peer is an IP address");
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "portal.test")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::new(
                ip, 40000,
            )));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.request(request.body(body).unwrap()).await
    }

    pub async fn get_as(&self, user: &User, uri: &str) -> TestResponse {
        self.send("GET", uri, Some(user), &[], Body::empty()).await
    }

    pub async fn post_json(
        &self,
        uri: &str,
        user: Option<&User>,
        body: &impl serde::Serialize,
    ) -> TestResponse {
        let json = serde_json::to_vec(body).unwrap();
        self.send(
            "POST",
            uri,
            user,
            &[("content-type", "application/json")],
            Body::from(json),
        )
        .await
    }

    pub async fn put_json(
        &self,
        uri: &str,
        user: Option<&User>,
        body: &impl serde::Serialize,
    ) -> TestResponse {
        let json = serde_json::to_vec(body).unwrap();
        self.send(
            "PUT",
            uri,
            user,
            &[("content-type", "application/json")],
            Body::from(json),
        )
        .await
    }

    pub async fn put_bytes(&self, uri: &str, user: Option<&User>, bytes: Vec<u8>) -> TestResponse {
        self.send(
            "PUT",
            uri,
            user,
            &[("content-type", "application/octet-stream")],
            Body::from(bytes),
        )
        .await
    }

    /// Asks for a code, reads it from the development SMS outbox, signs in.
    pub async fn sign_in(&self, phone: &str, uscc: Option<&str>) -> User {
        let sent = self
            .post_json(
                "/api/auth/otp",
                None,
                &serde_json::json!({ "phone": phone, "uscc": uscc }),
            )
            .await;
        assert_eq!(sent.status, 200, "{}", sent.text());
        let code = server::auth::sms::last_sms_code(&self.state.db, phone)
            .await
            .unwrap()
            .expect("a code in the outbox");
        let login = self
            .post_json(
                "/api/auth/login",
                None,
                &serde_json::json!({ "phone": phone, "code": code, "uscc": uscc }),
            )
            .await;
        assert_eq!(login.status, 200, "{}", login.text());
        User {
            cookie: session_cookie(&login),
        }
    }

    pub async fn sign_in_applicant(&self, phone: &str) -> User {
        self.sign_in(phone, None).await
    }

    /// Signs in a demo staff account (password `Demo@2026`).
    pub async fn sign_in_staff(&self, username: &str) -> User {
        let login = self
            .post_json(
                "/api/staff/login",
                None,
                &serde_json::json!({ "username": username, "password": server::demo_accounts::DEMO_PASSWORD }),
            )
            .await;
        assert_eq!(login.status, 200, "{}", login.text());
        User {
            cookie: session_cookie(&login),
        }
    }
}

/// `bst_session=…` from a response's `Set-Cookie`.
pub fn session_cookie(response: &TestResponse) -> String {
    let set_cookie = response.header("set-cookie");
    assert!(
        set_cookie.starts_with("bst_session="),
        "no session cookie: {set_cookie:?}"
    );
    set_cookie.split(';').next().unwrap().to_string()
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
