//! Typed calls of the cases area (see [`crate::ui::http`]): SMS sign-in, who is signed in, the
//! applicant's applications (drafts, uploads, submission with an `Idempotency-Key`, 撤回 — the
//! upload and submission calls also serve a 一件事 and its member cases), 短信通知 on or off,
//! messages, 好差评 and the public `/track` lookup.

use gloo_net::http::Method;
use serde::de::DeserializeOwned;

use crate::api::{
    CaseDetail, CaseList, DraftUpdate, Me, MessageList, NewApplication, NewRating, OtpLogin,
    OtpRequest, OtpSent, Rating, SessionInfo, SmsNotices, TrackResult, UploadInfo,
};
use crate::ui::http::{self, encode, ApiResult, Body};

// ---------------------------------------------------------------------------------------------
// Addresses

/// `/api/applications/{id}{suffix}`: a case's API address (`suffix` e.g. `/submit`).
pub fn case_url(id: &str, suffix: &str) -> String {
    format!("/api/applications/{}{suffix}", encode(id))
}

/// The address of an uploaded file (as an `<img src>` too: the session cookie goes with it).
pub fn file_url(upload_id: &str) -> String {
    format!("/api/files/{}", encode(upload_id))
}

// ---------------------------------------------------------------------------------------------
// Sign-in

/// `POST /api/auth/otp`: sends a one-time code.
pub async fn send_code(request: &OtpRequest) -> ApiResult<OtpSent> {
    http::post("/api/auth/otp", request).await
}

/// `POST /api/auth/login`: signs in with the code; answers who is now signed in.
pub async fn sign_in(request: &OtpLogin) -> ApiResult<Me> {
    http::post("/api/auth/login", request).await
}

/// `GET /api/session`: who is signed in, if anyone.
pub async fn session() -> ApiResult<SessionInfo> {
    http::get("/api/session").await
}

/// `POST /api/auth/logout` (answers 204).
pub async fn sign_out() -> ApiResult<()> {
    http::post_empty("/api/auth/logout").await
}

// ---------------------------------------------------------------------------------------------
// Applications

/// `GET /api/applications`: mine, newest first.
pub async fn my_cases() -> ApiResult<CaseList> {
    http::get("/api/applications").await
}

/// `GET /api/applications/{id}`.
pub async fn case(id: &str) -> ApiResult<CaseDetail> {
    http::get(&case_url(id, "")).await
}

/// `POST /api/applications`: starts a draft.
pub async fn start(request: &NewApplication) -> ApiResult<CaseDetail> {
    http::post("/api/applications", request).await
}

/// `PUT /api/applications/{id}` (given as `url`): saves a draft's values.
pub async fn save_draft(url: &str, update: &DraftUpdate) -> ApiResult<CaseDetail> {
    http::put(url, update).await
}

/// `PUT {base}/materials/{material}?name=FILE` with the file itself as the body (`base` is the
/// application's API address: a case's or a 一件事's).
pub async fn upload(base: &str, material_id: &str, file: &web_sys::File) -> ApiResult<UploadInfo> {
    let url = format!(
        "{base}/materials/{}?name={}",
        encode(material_id),
        encode(&file.name())
    );
    http::upload(&url, file).await
}

/// `POST {base}/submit` with `Idempotency-Key: key`; `T` is `Submitted` for a case (and
/// `BundleSubmitted` for a 一件事).
pub async fn submit<T: DeserializeOwned>(base: &str, key: &str) -> ApiResult<T> {
    http::call(
        Method::POST,
        &format!("{base}/submit"),
        Body::None,
        Some(key),
    )
    .await
}

/// `POST /api/applications/{id}/withdraw`.
pub async fn withdraw(id: &str) -> ApiResult<CaseDetail> {
    http::post_empty(&case_url(id, "/withdraw")).await
}

/// `POST /api/applications/{id}/rating`.
pub async fn rate(id: &str, rating: &NewRating) -> ApiResult<Rating> {
    http::post(&case_url(id, "/rating"), rating).await
}

/// `GET /api/applications/{id}/sms-notices`: whether status changes also come by SMS.
pub async fn sms_notices(id: &str) -> ApiResult<SmsNotices> {
    http::get(&case_url(id, "/sms-notices")).await
}

/// `PUT /api/applications/{id}/sms-notices`: turns the SMS notices on or off.
pub async fn set_sms_notices(id: &str, enabled: bool) -> ApiResult<SmsNotices> {
    http::put(&case_url(id, "/sms-notices"), &SmsNotices { enabled }).await
}

// ---------------------------------------------------------------------------------------------
// Messages, progress

/// `GET /api/messages`.
pub async fn messages() -> ApiResult<MessageList> {
    http::get("/api/messages").await
}

/// `POST /api/messages/read`: marks all read; answers the list again.
pub async fn mark_read() -> ApiResult<MessageList> {
    http::post_empty("/api/messages/read").await
}

/// `GET /api/track?number=&phone4=`: progress without signing in.
pub async fn track(number: &str, phone4: &str) -> ApiResult<TrackResult> {
    http::get(&format!(
        "/api/track?number={}&phone4={}",
        encode(number),
        encode(phone4)
    ))
    .await
}

// ---------------------------------------------------------------------------------------------
// Time

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
