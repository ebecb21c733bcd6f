//! Serves the browser client embedded by the build script.
//!
//! Hashed assets are precompressed (brotli, gzip) at build time and cached for a year; any other
//! non-API path answers with `index.html` so deep links survive a reload.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

pub struct Asset {
    pub url: &'static str,
    pub content_type: &'static str,
    pub immutable: bool,
    pub raw: &'static [u8],
    pub br: &'static [u8],
    pub gzip: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

pub fn find(url: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.url == url)
}

/// Fallback handler for every path that is not an API route.
pub async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if let Some(asset) = find(path) {
        return respond(asset, &headers);
    }
    if path.starts_with("/assets/") || path.starts_with("/api/") {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match find("/index.html") {
        Some(index) => respond(index, &headers),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "网页客户端没有随本次构建生成（BANSHITONG_SKIP_CLIENT）。如需帮助请拨打 12345。",
        )
            .into_response(),
    }
}

fn respond(asset: &'static Asset, headers: &HeaderMap) -> Response {
    let accepts = |encoding: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|v| {
                let mut parts = v.trim().split(';');
                parts.next() == Some(encoding) && !parts.any(|p| p.trim() == "q=0")
            })
    };
    let (body, encoding) = if accepts("br") {
        (asset.br, Some("br"))
    } else if accepts("gzip") {
        (asset.gzip, Some("gzip"))
    } else {
        (asset.raw, None)
    };
    let cache = if asset.immutable {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        body,
    )
        .into_response();
    if let Some(encoding) = encoding {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}
