//! `GET /api/openapi.json`: the API description, generated from the handlers and wire types.
//!
//! [`ApiDoc`] holds what no route says (title, description, shared schemas); the paths are
//! gathered by the routers (`utoipa_axum::OpenApiRouter`, see [`crate::router`]) and finished
//! here with the answers that come from the layers around the handlers rather than from the
//! handlers themselves: the cross-site refusal of every state-changing route
//! ([`CrossSiteRefusal`]) and the answers of body, path, query and header extraction, the
//! timeouts and server errors ([`CommonAnswers`]). A handler's own answers (401 without a
//! session, 404 for an unknown id it looked up, 409, 422, 429 …) are in its `#[utoipa::path]`.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

use crate::error::documented_error;
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

/// Serves `doc`, the document the routers gathered, with the answers of [`CrossSiteRefusal`]
/// and [`CommonAnswers`] added.
pub fn router(mut doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    CrossSiteRefusal.modify(&mut doc);
    CommonAnswers.modify(&mut doc);
    let doc = Arc::new(doc);
    Router::new().route(
        "/api/openapi.json",
        get(move || {
            let doc = Arc::clone(&doc);
            async move { Json(doc) }
        }),
    )
}

/// Adds to every operation the answers it can give without its handler phrasing them, unless
/// the operation describes them itself:
///
/// - a JSON request body: 400 when it is not JSON, lacks `Content-Type: application/json` or
///   has wrong fields, 413 over the 64 KiB limit ([`crate::json_body::JsonBody`],
///   [`crate::router`]'s body limit); an upload body: 413 over its size;
/// - path parameters: 400 for a segment that cannot be read (reshaped by
///   [`crate::error::api_answers`]) and 404 for a thing that does not exist;
/// - query or header parameters: 400 naming the parameter ([`crate::params::Params`]);
/// - every operation: 408 when the request does not complete in time ([`crate::Timeouts`]) and
///   500 when the server fails (the one shape, code `internal`).
pub struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{Operation, ParameterIn};
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let operation: &mut Operation = operation;
                let located = |place: ParameterIn| {
                    operation
                        .parameters
                        .iter()
                        .flatten()
                        .any(|p| p.parameter_in == place)
                };
                let mut answers: Vec<(&str, &str)> = Vec::new();
                if let Some(body) = &operation.request_body {
                    if body.content.contains_key("application/json") {
                        answers.push((
                            "400",
                            "请求内容不是有效的 JSON、缺少 Content-Type: application/json，或字段不正确（fields 指明）",
                        ));
                        answers.push(("413", "请求内容超过 64 KB"));
                    } else {
                        answers.push(("413", "文件过大"));
                    }
                }
                if located(ParameterIn::Path) {
                    answers.push(("400", "请求地址中的参数格式不正确"));
                    answers.push(("404", "没有找到地址所指的对象"));
                }
                if located(ParameterIn::Query) || located(ParameterIn::Header) {
                    answers.push(("400", "参数不正确（fields 指明参数名）"));
                }
                answers.push((
                    "408",
                    "请求没有在规定时间内完成（接口 30 秒，上传 10 分钟）",
                ));
                answers.push(("500", "服务暂时出现问题（code 为 internal）"));
                for (status, description) in answers {
                    operation
                        .responses
                        .responses
                        .entry(status.into())
                        .or_insert_with(|| RefOr::T(documented_error(description)));
                }
            }
        }
    }
}
