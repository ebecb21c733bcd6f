//! Every call of 网上预审: sign-in, applications, uploads, review, messages, 好差评, progress.
//!
//! One request function does the work for all of them (method, JSON or file body, the
//! `Idempotency-Key` header, the API's error shape), so the fetching machinery is compiled
//! once. Answers come back as parsed `JsValue`s and are turned into the shared wire types by
//! [`crate::ui::cases_decode`].

use std::collections::BTreeMap;

use gloo_net::http::{Method, RequestBuilder};
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::ui::api_client::encode;

pub use crate::ui::http::ApiFailure;

pub type Reply = Result<JsValue, ApiFailure>;

const OFFLINE: &str = "网络连接失败，请检查网络后重试。";
const BROKEN: &str = "服务暂时不可用，请稍后重试。";

fn offline() -> ApiFailure {
    ApiFailure {
        status: 0,
        message: OFFLINE.into(),
        fields: BTreeMap::new(),
    }
}

fn get_key(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The API's `{code, message, fields}` as a failure.
fn failure(status: u16, text: &str) -> ApiFailure {
    let parsed = js_sys::JSON::parse(text).unwrap_or(JsValue::NULL);
    let message = get_key(&parsed, "message")
        .as_string()
        .filter(|m| !m.is_empty());
    let mut fields = BTreeMap::new();
    let raw = get_key(&parsed, "fields");
    if let Some(obj) = raw.dyn_ref::<Object>() {
        for entry in Object::entries(obj).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                fields.insert(k, v);
            }
        }
    }
    ApiFailure {
        status,
        message: message.unwrap_or_else(|| BROKEN.into()),
        fields,
    }
}

async fn send(
    method: Method,
    url: &str,
    body: Option<JsValue>,
    key: Option<&str>,
) -> Result<gloo_net::http::Response, ApiFailure> {
    let mut builder = RequestBuilder::new(url)
        .method(method)
        .header("Accept", "application/json");
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", key);
    }
    let request = match body {
        Some(body) => {
            if body.is_string() {
                builder = builder.header("Content-Type", "application/json");
            }
            builder.body(body)
        }
        None => builder.build(),
    };
    request
        .map_err(|_| offline())?
        .send()
        .await
        .map_err(|_| offline())
}

/// One API call: `body` is a JSON string (see [`json`]) or a file; `key` the Idempotency-Key.
pub async fn call(method: Method, url: &str, body: Option<JsValue>, key: Option<&str>) -> Reply {
    let response = send(method, url, body, key).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| offline())?;
    if !response.ok() {
        return Err(failure(status, &text));
    }
    if text.is_empty() {
        return Ok(JsValue::NULL);
    }
    js_sys::JSON::parse(&text).map_err(|_| ApiFailure {
        status,
        message: BROKEN.into(),
        fields: BTreeMap::new(),
    })
}

pub async fn get(url: String) -> Reply {
    call(Method::GET, &url, None, None).await
}

pub async fn post(url: String, body: Option<JsValue>) -> Reply {
    call(Method::POST, &url, body, None).await
}

pub async fn put(url: String, body: JsValue) -> Reply {
    call(Method::PUT, &url, Some(body), None).await
}

/// A JSON object body from `(name, value)` pairs (`None` values are left out).
pub fn json(pairs: &[(&str, Option<JsValue>)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        if let Some(value) = value {
            let _ = Reflect::set(&object, &JsValue::from_str(name), value);
        }
    }
    js_sys::JSON::stringify(&object)
        .map(JsValue::from)
        .unwrap_or(JsValue::NULL)
}

pub fn text(value: &str) -> Option<JsValue> {
    Some(JsValue::from_str(value))
}

/// Some text, or nothing when it is blank.
pub fn some_text(value: &str) -> Option<JsValue> {
    let value = value.trim();
    (!value.is_empty()).then(|| JsValue::from_str(value))
}

/// A string map as a JSON object value.
pub fn map(values: &BTreeMap<String, String>) -> Option<JsValue> {
    let object = Object::new();
    for (k, v) in values {
        let _ = Reflect::set(&object, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    Some(object.into())
}

pub fn case_url(id: &str, suffix: &str) -> String {
    format!("/api/applications/{}{suffix}", encode(id))
}

pub fn bundle_url(id: &str, suffix: &str) -> String {
    format!("/api/bundle-applications/{}{suffix}", encode(id))
}

pub fn staff_url(id: &str, suffix: &str) -> String {
    format!("/api/staff/cases/{}{suffix}", encode(id))
}

/// `PUT {base}/materials/{material}?name=FILE` with the file itself as the body (`base` is
/// the application's API address).
pub async fn upload(base: String, material_id: String, file: web_sys::File) -> Reply {
    let url = format!(
        "{base}/materials/{}?name={}",
        encode(&material_id),
        encode(&file.name())
    );
    call(Method::PUT, &url, Some(file.into()), None).await
}

/// Fetches an uploaded file and returns an object URL for it (revoke it when done).
pub async fn file_object_url(upload_id: String) -> Result<String, ApiFailure> {
    let response = send(
        Method::GET,
        &format!("/api/files/{}", encode(&upload_id)),
        None,
        None,
    )
    .await?;
    if !response.ok() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(failure(status, &text));
    }
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|_| offline())?;
    let blob: web_sys::Blob = JsFuture::from(promise)
        .await
        .map_err(|_| offline())?
        .unchecked_into();
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| offline())
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

/// Waits `ms` milliseconds. (A timer and a waker rather than a JavaScript promise made with a
/// stack closure: the optimiser run before wasm-bindgen mangles those.)
pub async fn sleep(ms: u64) {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::task::{Poll, Waker};

    let done = Rc::new(Cell::new(false));
    let waker: Rc<RefCell<Option<Waker>>> = Rc::new(RefCell::new(None));
    {
        let (done, waker) = (done.clone(), waker.clone());
        leptos::prelude::set_timeout(
            move || {
                done.set(true);
                if let Some(w) = waker.borrow_mut().take() {
                    w.wake();
                }
            },
            std::time::Duration::from_millis(ms),
        );
    }
    std::future::poll_fn(move |cx| {
        if done.get() {
            Poll::Ready(())
        } else {
            *waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}
