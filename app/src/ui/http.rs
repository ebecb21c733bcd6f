//! The one way the browser talks to the 办事通 API.
//!
//! Every answer is decoded by serde into an `app::api` type and every request body is an
//! `app::api` struct serialised by serde, so a wire type changed in `app/src/api` makes the
//! compiler point at every caller on both sides. Failures are one type, [`ApiFailure`], read
//! from the API's one error shape ([`ApiError`]); network trouble has one wording.

use std::collections::BTreeMap;

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::ApiError;

/// Shown when the request never reached the server or the answer never arrived.
pub const OFFLINE: &str = "网络连接失败，请检查网络后重试。";
/// Shown when the server answered with something that is not what we asked for.
pub const BROKEN: &str = "服务暂时不可用，请稍后重试。";

/// Why a call did not give us what we asked for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApiFailure {
    /// The HTTP status; 0 when the network failed.
    pub status: u16,
    /// A Chinese sentence to show as it is.
    pub message: String,
    /// Field id (or `material:<id>`) → a Chinese message naming it.
    pub fields: BTreeMap<String, String>,
}

impl ApiFailure {
    /// Nobody is signed in (what a 401 answer would say), told without asking the route.
    pub fn not_signed_in() -> Self {
        ApiFailure {
            status: 401,
            message: "请先登录".into(),
            fields: BTreeMap::new(),
        }
    }

    fn offline() -> Self {
        ApiFailure {
            status: 0,
            message: OFFLINE.into(),
            fields: BTreeMap::new(),
        }
    }

    fn broken(status: u16) -> Self {
        ApiFailure {
            status,
            message: BROKEN.into(),
            fields: BTreeMap::new(),
        }
    }

    /// The API's `{code, message, fields}` answer with a non-2xx `status`.
    fn from_answer(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ApiError>(body) {
            Ok(error) if !error.message.is_empty() => ApiFailure {
                status,
                message: error.message,
                fields: error.fields.unwrap_or_default(),
            },
            _ if status == 401 => ApiFailure {
                status,
                message: "请先登录".into(),
                fields: BTreeMap::new(),
            },
            _ => Self::broken(status),
        }
    }

    /// Not signed in (or signed in as the wrong kind of user).
    pub fn signed_out(&self) -> bool {
        self.status == 401
    }

    /// The thing asked for does not exist (or is not the caller's).
    pub fn not_found(&self) -> bool {
        self.status == 404
    }

    /// The request never got an answer (no network, or it dropped).
    pub fn is_offline(&self) -> bool {
        self.status == 0
    }
}

/// What every call returns.
pub type ApiResult<T> = Result<T, ApiFailure>;

/// Percent-encodes a query value (also safe for a path segment).
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

/// A request body.
pub enum Body<'a> {
    None,
    /// Serialised with serde as JSON.
    Json(String),
    /// A file, sent as it is (uploads).
    File(&'a web_sys::File),
}

impl Body<'_> {
    pub fn json(value: &impl Serialize) -> Body<'static> {
        // Serialising our own wire structs cannot fail (string keys, no non-finite floats).
        Body::Json(serde_json::to_string(value).unwrap_or_default())
    }
}

async fn send(
    method: Method,
    url: &str,
    body: Body<'_>,
    idempotency_key: Option<&str>,
) -> ApiResult<Response> {
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json");
    if let Some(key) = idempotency_key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Body::None => builder.build(),
        Body::Json(text) => builder
            .header("Content-Type", "application/json")
            .body(text),
        Body::File(file) => builder.body(JsValue::from(file.clone())),
    };
    let response = request
        .map_err(|_| ApiFailure::offline())?
        .send()
        .await
        .map_err(|_| ApiFailure::offline())?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(ApiFailure::from_answer(status, &text))
}

/// One API call whose answer is decoded into `T`. An empty answer (204) decodes as JSON `null`,
/// so `T = ()` fits calls that answer nothing.
pub async fn call<T: DeserializeOwned>(
    method: Method,
    url: &str,
    body: Body<'_>,
    idempotency_key: Option<&str>,
) -> ApiResult<T> {
    let response = send(method, url, body, idempotency_key).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiFailure::offline())?;
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|_| ApiFailure::broken(status))
}

/// `GET url` → `T`.
pub async fn get<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    call(Method::GET, url, Body::None, None).await
}

/// `POST url` with `body` as JSON → `T`.
pub async fn post<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> ApiResult<T> {
    call(Method::POST, url, Body::json(body), None).await
}

/// `POST url` without a body → `T`.
pub async fn post_empty<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    call(Method::POST, url, Body::None, None).await
}

/// `PUT url` with `body` as JSON → `T`.
pub async fn put<T: DeserializeOwned>(url: &str, body: &impl Serialize) -> ApiResult<T> {
    call(Method::PUT, url, Body::json(body), None).await
}

/// `DELETE url` → `T`.
pub async fn delete<T: DeserializeOwned>(url: &str) -> ApiResult<T> {
    call(Method::DELETE, url, Body::None, None).await
}

/// `PUT url` with the file itself as the body → `T`.
pub async fn upload<T: DeserializeOwned>(url: &str, file: &web_sys::File) -> ApiResult<T> {
    call(Method::PUT, url, Body::File(file), None).await
}

/// `POST url` with the file itself as the body → `T` (a document to check or import).
pub async fn post_file<T: DeserializeOwned>(url: &str, file: &web_sys::File) -> ApiResult<T> {
    call(Method::POST, url, Body::File(file), None).await
}

/// `GET url` of a file (an uploaded material) as an object URL; revoke it when done.
pub async fn object_url(url: &str) -> ApiResult<String> {
    let response = send(Method::GET, url, Body::None, None).await?;
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|_| ApiFailure::offline())?;
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(|_| ApiFailure::offline())?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| ApiFailure::offline())
}

/// A fresh `Idempotency-Key`: time plus 104 random bits, unique enough per applicant.
pub fn new_key() -> String {
    let random = || (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    format!(
        "k{:x}-{:x}-{:x}",
        js_sys::Date::now() as u64,
        random(),
        random()
    )
}
