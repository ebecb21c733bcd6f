//! Every call the browser makes to the 办事通 API, in one place.
//!
//! Answers are parsed with the browser's own `JSON.parse` and handed on as a `JsValue`; the
//! page turns them into the shared wire types with [`crate::ui::decode`]. Keeping one answer
//! type for every call keeps the client small: the loading machinery and the JSON handling
//! are compiled once instead of once per wire type.

use std::cell::RefCell;

use gloo_net::http::Request;
use wasm_bindgen::JsValue;

/// Why a request did not give us what we asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The server answered 404: the thing asked for does not exist.
    pub not_found: bool,
    /// A Chinese sentence to show as it is.
    pub message: String,
}

/// A parsed JSON answer, or why there is none.
pub type Answer = Result<JsValue, Failure>;

const OFFLINE: &str = "网络连接失败，请检查网络后重试。";
const BROKEN: &str = "服务暂时不可用，请稍后重试。";

/// Percent-encodes a query value (also safe for a path segment).
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}

fn failure(not_found: bool, message: String) -> Failure {
    Failure { not_found, message }
}

/// `GET url`, parsed. Errors carry the API's own `message` when it sent the error shape.
pub async fn get(url: String) -> Answer {
    let response = Request::get(&url)
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|_| failure(false, OFFLINE.into()))?;
    let body = response
        .text()
        .await
        .map_err(|_| failure(false, OFFLINE.into()))?;
    let parsed = js_sys::JSON::parse(&body);
    if response.ok() {
        return parsed.map_err(|_| failure(false, BROKEN.into()));
    }
    let message = parsed
        .ok()
        .and_then(|e| js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok())
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| BROKEN.into());
    Err(failure(response.status() == 404, message))
}

thread_local! {
    /// The catalog overview changes only with a deployment: fetch it once per visit.
    static CATALOG: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// `GET /api/catalog` → `CatalogOverview` (fetched once per visit).
pub async fn catalog() -> Answer {
    if let Some(cached) = CATALOG.with_borrow(|c| c.clone()) {
        return Ok(cached);
    }
    let overview = get("/api/catalog".into()).await?;
    CATALOG.set(Some(overview.clone()));
    Ok(overview)
}

/// What to list: a search, a theme or a department, with paging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemQuery {
    pub q: Option<String>,
    pub theme: Option<String>,
    pub department: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// `GET /api/items?…` → `ItemList`.
pub async fn items(query: ItemQuery) -> Answer {
    let mut url = format!("/api/items?limit={}&offset={}", query.limit, query.offset);
    for (key, value) in [
        ("&q=", &query.q),
        ("&theme=", &query.theme),
        ("&department=", &query.department),
    ] {
        if let Some(value) = value {
            url.push_str(key);
            url.push_str(&encode(value));
        }
    }
    get(url).await
}

/// `GET /api/items/{code}` → `ItemDetail` (a 404 failure when there is no such item).
pub async fn item(code: String) -> Answer {
    get(format!("/api/items/{}", encode(&code))).await
}

/// `GET /api/forms/{code}` → `Form`.
pub async fn form(code: String) -> Answer {
    get(format!("/api/forms/{}", encode(&code))).await
}

/// The address of the QR code image (`GET /api/qr`) for an absolute URL.
pub fn qr_src(absolute_url: &str) -> String {
    format!("/api/qr?text={}", encode(absolute_url))
}

/// `GET /api/bundles` → `BundleList` (every 一件事, both audiences).
pub async fn bundles() -> Answer {
    get("/api/bundles".into()).await
}

/// `GET /api/bundles/{code}?a=…` → `BundleDetail` tailored to the answers (`a` as in the URL).
pub async fn bundle(code: String, a: String) -> Answer {
    let mut url = format!("/api/bundles/{}", encode(&code));
    if !a.is_empty() {
        url.push_str("?a=");
        url.push_str(&encode(&a));
    }
    get(url).await
}

impl From<Failure> for crate::ui::http::ApiFailure {
    fn from(failure: Failure) -> Self {
        crate::ui::http::ApiFailure {
            status: if failure.not_found { 404 } else { 500 },
            message: failure.message,
            fields: Default::default(),
        }
    }
}
