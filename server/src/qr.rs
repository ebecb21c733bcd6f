//! QR codes (SVG) for print views and share links.

use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(qr_svg))
}

/// An SVG QR code for a link to this same site.
///
/// Only links to the host the request came to are encoded, so the portal cannot be used to mint
/// official-looking codes for other sites.
#[utoipa::path(get, path = "/api/qr", tag = "二维码",
    params(("text" = String, Query, min_length = 1, max_length = 1000, description = "本站的完整链接，如 https://host/items/SFQ-GA-0001?a=reason.lost")),
    responses(
        (status = 200, content_type = "image/svg+xml", description = "二维码 SVG 图片"),
        (status = 400, body = app::api::ApiError),
    ))]
pub async fn qr_svg(headers: HeaderMap, params: Params) -> AppResult<impl IntoResponse> {
    let text = params.required_text("text", "二维码内容", 1000)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let own_link = ["http://", "https://"].iter().any(|scheme| {
        text.strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix(host))
            .is_some_and(|path| path.is_empty() || path.starts_with('/'))
    });
    if host.is_empty() || !own_link {
        return Err(AppError::bad_param(
            "text",
            "二维码内容（参数 text）只能是本站的链接",
        ));
    }
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| AppError::bad_param("text", "二维码内容（参数 text）太长，无法生成二维码"))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        image,
    ))
}
