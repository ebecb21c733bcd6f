//! Serves the browser client embedded by the build script.
//!
//! Hashed assets are precompressed (brotli, gzip) at build time and cached for a year; any other
//! non-API path answers with `index.html` so deep links survive a reload — with 200 when one of
//! the client's routes (`app::routes`, the list its router is made from) matches the path, else
//! with 404 (the client then shows its 找不到页面 page).
//!
//! A deep link's shell also names what that page will need first, so the browser fetches it
//! while the main module downloads instead of after it has started: the item's API answer for a
//! 办事指南 (`/items/{code}`), and the wasm chunks of a page that lives in one
//! (see `app::ui::chunks`).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use app::api::{SiteLevel, SiteQuery, MAP_URL};

pub struct Asset {
    pub url: &'static str,
    pub content_type: &'static str,
    pub immutable: bool,
    pub raw: &'static [u8],
    pub br: &'static [u8],
    pub gzip: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/assets.rs"));
include!(concat!(env!("OUT_DIR"), "/splits.rs"));

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
        return crate::error::AppError::not_found("没有找到这个地址，请检查是否输入正确")
            .into_response();
    }
    match find("/index.html") {
        Some(index) => {
            let care = care_mode(&headers);
            let known = app::routes::is_client_route(path);
            let mut response = match preloads(path, uri.query().unwrap_or("")) {
                None if !care => respond(index, &headers),
                links => shell_with(index, links.as_deref().unwrap_or(""), care),
            };
            if !known {
                // The same shell: the client draws its friendly 404 page for what no route
                // matches. Crawlers and link checkers learn from the status that it is gone.
                *response.status_mut() = StatusCode::NOT_FOUND;
            }
            response
        }
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

/// The client's split point (a `wasm_split` module name in `app::ui::chunks`) that renders
/// `path`, for the paths whose page is not in the main chunk.
fn split_for(path: &str) -> Option<&'static str> {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    Some(match first {
        "login" | "apply" | "track" => "applicant",
        "my" if path.starts_with("/my/bundles/") => "bundles",
        "my" => "applicant",
        "staff" | "manager" => "staff",
        "map" => "map",
        "sites" | "appointments" => "sites",
        "bundles" => "bundles",
        _ => return None,
    })
}

/// Item and site codes are letters, digits and dashes; anything else is not ours to name.
fn plain_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The API answers the page at `path?query` asks for first (by the addresses the client uses).
fn api_answers(path: &str, query: &str) -> Vec<String> {
    if let Some(code) = path.strip_prefix("/items/") {
        return if plain_code(code) {
            vec![format!("/api/items/{code}")]
        } else {
            Vec::new()
        };
    }
    if path.trim_end_matches('/') == "/map" {
        // The map page's filters, read as the page reads them. A position is never in the
        // URL: someone with a saved one asks for nearest-first sites instead (the preloaded
        // list then goes unused, at the cost of one small answer).
        let mut sites = SiteQuery::default();
        for (key, value) in query.split('&').filter_map(|pair| pair.split_once('=')) {
            match key {
                "item" if plain_code(value) => sites.item = Some(value.to_string()),
                "item" if !value.is_empty() => return vec![MAP_URL.to_string()],
                "level" => sites.level = SiteLevel::parse(value),
                "open" => sites.open_now = value == "1",
                _ => {}
            }
        }
        return vec![MAP_URL.to_string(), sites.url(str::to_string)];
    }
    Vec::new()
}

/// `<link rel=preload>` tags for what the page at `path?query` fetches first, if anything.
fn preloads(path: &str, query: &str) -> Option<String> {
    let mut links = String::new();
    for answer in api_answers(path, query) {
        links.push_str(&format!(
            "<link rel=\"preload\" href=\"{}\" as=\"fetch\" crossorigin>",
            answer.replace('&', "&amp;")
        ));
    }
    if let Some(split) = split_for(path) {
        let files = SPLITS.iter().find(|(name, _)| *name == split);
        for file in files.map(|(_, files)| *files).unwrap_or_default() {
            links.push_str(&format!(
                "<link rel=\"preload\" href=\"{BUILD_BASE}/{file}.wasm\" as=\"fetch\" crossorigin>"
            ));
        }
    }
    (!links.is_empty()).then_some(links)
}

/// The 关怀模式 switch sets this cookie (besides its own storage) so that even the loading shell,
/// drawn before any script runs, comes in large text.
pub const CARE_COOKIE: &str = "bst_care";

fn care_mode(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| pair.trim() == format!("{CARE_COOKIE}=1"))
}

/// `index.html` with `links` added to its head and, in 关怀模式, the `care` class on `<html>`
/// (small: sent uncompressed).
fn shell_with(index: &'static Asset, links: &str, care: bool) -> Response {
    let mut html =
        String::from_utf8_lossy(index.raw).replacen("</head>", &format!("{links}</head>"), 1);
    if care {
        html = html.replacen(
            "<html lang=\"zh-CN\">",
            "<html lang=\"zh-CN\" class=\"care\">",
            1,
        );
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(index.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("cookie")),
        ],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_deep_link_preloads_its_item_and_nothing_unsafe() {
        let links = preloads("/items/SFQ-GA-0002", "").unwrap();
        assert!(links.contains("href=\"/api/items/SFQ-GA-0002\" as=\"fetch\" crossorigin"));
        assert_eq!(preloads("/items/%22%3E%3Cscript%3E", ""), None);
        assert_eq!(preloads("/items/SFQ-GA-0002/print", ""), None);
        assert_eq!(preloads("/", ""), None);
    }

    #[test]
    fn the_map_preloads_the_district_and_the_sites_its_filters_ask_for() {
        assert_eq!(api_answers("/map", ""), ["/api/map", "/api/sites"]);
        assert_eq!(
            api_answers("/map", "item=SFQ-GA-0002&level=street&open=1"),
            [
                "/api/map",
                "/api/sites?item=SFQ-GA-0002&level=street&open_now=true"
            ]
        );
        assert_eq!(
            api_answers("/map", "level=nonsense&x=1"),
            ["/api/map", "/api/sites"]
        );
        // A code the page would encode is left to the page.
        assert_eq!(api_answers("/map", "item=%22%3E"), ["/api/map"]);
        assert!(preloads("/map", "item=A&level=hall")
            .unwrap()
            .contains("href=\"/api/sites?item=A&amp;level=hall\""));
        assert!(api_answers("/map/coverage", "").is_empty());
    }

    #[test]
    fn chunked_pages_are_mapped_to_their_split_points() {
        assert_eq!(split_for("/my"), Some("applicant"));
        assert_eq!(split_for("/my/bundles/7"), Some("bundles"));
        assert_eq!(split_for("/staff/cases/3"), Some("staff"));
        assert_eq!(split_for("/sites/S1/book"), Some("sites"));
        assert_eq!(split_for("/map/coverage"), Some("map"));
        assert_eq!(split_for("/search"), None);
    }
}
