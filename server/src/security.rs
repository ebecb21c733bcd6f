//! Security headers on every response, and the refusal of cross-site state changes (CSRF).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::client_address::Deployment;
use crate::error::AppError;
use crate::AppState;

/// Sent when the site is served over https (`PUBLIC_URL=https://…`): browsers keep to https
/// for a year. No `includeSubDomains`: other sites of the same domain are not ours to decide.
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Scripts only from this origin plus WebAssembly compilation; nothing inline; no framing of
/// this site. `blob:` images and frames are the uploaded materials a reviewer opens inline (and
/// the applicant's own photo previews), made from files fetched by the page itself.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data: blob:; frame-src blob:; connect-src 'self'; font-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The header layers; `https` adds HSTS.
pub fn layers(https: bool) -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    let hsts = https.then_some((header::STRICT_TRANSPORT_SECURITY, STRICT_TRANSPORT_SECURITY));
    [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "geolocation=(self), camera=(self), microphone=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ]
    .into_iter()
    .chain(hsts)
    .map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    })
    .collect()
}

/// Refuses a state-changing request (POST, PUT, PATCH, DELETE under `/api/`) that a browser
/// sent from another site: its `Origin` — or, without one, its `Sec-Fetch-Site` — is not this
/// site. The session cookie alone (SameSite=Lax) does not stop a sibling origin's form post.
/// Requests with neither header (curl, scripts, server-to-server) are not from a browser page
/// and pass.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let changes_state = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if changes_state && request.uri().path().starts_with("/api/") {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| request.uri().authority().map(|a| a.to_string()));
        if !same_site(&state.deployment, request.headers(), host.as_deref()) {
            return AppError::Forbidden {
                message: "请求来自其他网站，已拒绝。请直接在办事通页面上操作。".into(),
            }
            .into_response();
        }
    }
    next.run(request).await
}

/// Whether the browser says the request comes from our own origin (or says nothing).
/// Same origin: `Origin` equals `PUBLIC_URL`'s origin, or its host equals the request's `Host`
/// (with `PUBLIC_URL` set, also under its scheme).
fn same_site(deployment: &Deployment, headers: &HeaderMap, host: Option<&str>) -> bool {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.trim().to_ascii_lowercase();
        // `null` (sandboxed frames, some redirects) and anything else without a scheme fail here.
        let Some((scheme, origin_host)) = origin.split_once("://") else {
            return false;
        };
        if let Some(public) = &deployment.public_origin {
            if *public == origin {
                return true;
            }
            if !public.starts_with(&format!("{scheme}://")) {
                return false;
            }
        }
        return host.is_some_and(|h| h.trim().eq_ignore_ascii_case(origin_host));
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed into the address bar or opened from a bookmark, not sent by a page.
        Some(site) => matches!(
            site.trim().to_ascii_lowercase().as_str(),
            "same-origin" | "none"
        ),
        None => true,
    }
}

/// States in the OpenAPI document the 403 that [`refuse_cross_site`] answers for every
/// state-changing operation.
pub struct CrossSiteRefusal;

impl utoipa::Modify for CrossSiteRefusal {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let refusal = crate::error::documented_error(
            "请求来自其他网站（Origin 或 Sec-Fetch-Site 不是本站），已拒绝",
        );
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                operation
                    .responses
                    .responses
                    .entry("403".into())
                    .or_insert_with(|| utoipa::openapi::RefOr::T(refusal.clone()));
            }
        }
    }
}
