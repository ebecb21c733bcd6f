//! The request id: every request gets one (`X-Request-Id`), kept from the reverse proxy when
//! it sent a well-formed one, else a new UUID. It is answered in the `X-Request-Id` header, is a
//! field of the request's tracing span (so of every log line written while the request is
//! served) and is the `request_id` of every error body ([`crate::error::api_answers`]): a
//! citizen's complaint quoting it leads to the log lines of that request.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// `x-request-id`.
pub const HEADER: &str = "x-request-id";

/// Whether an id that arrived with the request may be kept: what a proxy generates (nginx's
/// `$request_id` is 32 hex digits, others send UUIDs) — letters, digits, `-`, `_`, `.`, at
/// most 64. Anything else (control characters, a kilobyte of text) would pollute the logs.
fn acceptable(value: &HeaderValue) -> bool {
    let bytes = value.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Drops an incoming `X-Request-Id` that is not [`acceptable`], so a new one is made.
async fn drop_unacceptable(mut request: Request, next: Next) -> Response {
    if let Some(value) = request.headers().get(HEADER) {
        if !acceptable(value) {
            request.headers_mut().remove(HEADER);
        }
    }
    next.run(request).await
}

/// Applies the request-id layers around `router`, outside the tracing layer (which reads the id
/// into its span): an unacceptable incoming id is dropped, a missing one is made, and the id
/// is copied onto the answer.
pub fn around(router: axum::Router) -> axum::Router {
    router
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn(drop_unacceptable))
}

/// The request's id (set by [`around`]), or `-`.
pub fn of<B>(request: &axum::http::Request<B>) -> &str {
    request
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

/// The tracing span of a request: method, path (never the query, which may carry personal
/// data) and request id.
pub fn span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id = %of(request),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_proxy_ids_only() {
        assert!(acceptable(&HeaderValue::from_static(
            "0b2f6c8e9d1a4b3c8e7f6a5b4c3d2e1f"
        )));
        assert!(acceptable(&HeaderValue::from_static(
            "6f1c2a4e-8b7d-4c3e-9a1b-2c3d4e5f6a7b"
        )));
        assert!(!acceptable(&HeaderValue::from_static("")));
        assert!(!acceptable(&HeaderValue::from_static("a b")));
        assert!(!acceptable(
            &HeaderValue::from_str(&"x".repeat(65)).unwrap()
        ));
    }
}
