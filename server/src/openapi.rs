//! `GET /api/openapi.json`: the API description, generated from the handlers and wire types.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::security::CrossSiteRefusal;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "办事通 API",
        description = "示范区政务服务：办事指南、工作日计算、二维码、网上预审、一件事一次办与企业开办、政务服务地图与预约。错误统一为 ApiError。\n\n登录后会话保存在 HttpOnly Cookie `bst_session` 中。"
    ),
    paths(
        crate::health,
        crate::catalog::overview,
        crate::catalog::list_items,
        crate::catalog::item_detail,
        crate::catalog::form,
        crate::calendar::due,
        crate::qr::qr_svg,
        crate::auth::otp::request_code,
        crate::auth::otp::login,
        crate::auth::staff::login,
        crate::auth::logout,
        crate::auth::me,
        crate::companies::authorise_agent,
        crate::companies::revoke_agent,
        crate::cases::routes::create,
        crate::cases::routes::list,
        crate::cases::routes::get_one,
        crate::cases::routes::update,
        crate::cases::routes::withdraw,
        crate::cases::routes::submit,
        crate::cases::files::upload,
        crate::cases::files::download,
        crate::cases::review::queue,
        crate::cases::review::get_one,
        crate::cases::review::review_material,
        crate::cases::review::decide,
        crate::cases::review::audit_log,
        crate::cases::review::supervision,
        crate::cases::ratings::rate,
        crate::cases::ratings::bad_ratings,
        crate::cases::ratings::rectify,
        crate::cases::sms_notices::get,
        crate::cases::sms_notices::put,
        crate::cases::messages::list,
        crate::cases::messages::mark_read,
        crate::cases::track::track,
        crate::bundles::list,
        crate::bundles::detail,
        crate::bundles::name_check,
        crate::bundles::business_scopes,
        crate::bundles::apply::create,
        crate::bundles::apply::list,
        crate::bundles::apply::get_one,
        crate::bundles::apply::update,
        crate::bundles::apply::upload,
        crate::bundles::apply::submit,
        crate::bundles::view::manager_list,
        crate::sites::list_sites,
        crate::sites::site_detail,
        crate::sites::district_map,
        crate::sites::site_coverage,
        crate::sites::item_sites,
        crate::appointments::site_slots,
        crate::appointments::book,
        crate::appointments::my_appointments,
        crate::appointments::one_appointment,
        crate::appointments::cancel,
    ),
    components(schemas(app::api::ApiError, app::api::ItemGuide, app::api::Situation)),
    modifiers(&CrossSiteRefusal)
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
