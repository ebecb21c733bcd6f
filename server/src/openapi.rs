//! `GET /api/openapi.json`: the API description, generated from the handlers and wire types.
//!
//! [`ApiDoc`] holds what no route says (title, description, shared schemas); the paths are
//! gathered by the routers (`utoipa_axum::OpenApiRouter`, see [`crate::router`]) and finished
//! here with the answers every state-changing route can give ([`CrossSiteRefusal`]).

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::{Modify, OpenApi};

use crate::security::CrossSiteRefusal;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "办事通 API",
        description = "示范区政务服务：办事指南、工作日计算、二维码、网上预审、一件事一次办与企业开办、政务服务地图与预约。错误统一为 ApiError。\n\n登录后会话保存在 HttpOnly Cookie `bst_session` 中。"
    ),
    components(schemas(app::api::ApiError, app::api::ItemGuide, app::api::Situation))
)]
pub struct ApiDoc;

/// Serves `doc`, the document the routers gathered, with the cross-site refusal added to every
/// state-changing operation.
pub fn router(mut doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    CrossSiteRefusal.modify(&mut doc);
    let doc = Arc::new(doc);
    Router::new().route(
        "/api/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { Json(doc) }
        }),
    )
}
