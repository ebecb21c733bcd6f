//! `GET /api/openapi.json`: the API description, generated from the handlers and wire types.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "办事通 API", description = "示范区政务服务：办事指南、工作日计算、二维码。错误统一为 ApiError。"),
    paths(
        crate::health,
        crate::catalog::overview,
        crate::catalog::list_items,
        crate::catalog::item_detail,
        crate::catalog::form,
        crate::calendar::due,
        crate::qr::qr_svg,
    ),
    components(schemas(app::api::ApiError, app::api::ItemGuide, app::api::Situation))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
