//! 网上预审: applications (cases) from draft to decision, their materials, the department's
//! review, progress lookup, messages and 好差评.
//!
//! These are the routes; what changes a case — the state machine, the bundle hooks, the
//! timeline/audit/message record, idempotent submission and file storage — is
//! [`crate::workflow`], whose case store this module re-exports as [`store`].

pub mod files;
pub mod messages;
pub mod ratings;
pub mod review;
pub mod routes;
pub mod sms_notices;
pub use crate::workflow::case_store as store;
pub mod track;
pub mod view;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// Every case route except the upload (see [`files::upload_router`]).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::create, routes::list))
        .routes(routes!(routes::get_one, routes::update))
        .routes(routes!(routes::withdraw))
        .routes(routes!(routes::submit))
        .routes(routes!(ratings::rate))
        .routes(routes!(sms_notices::get, sms_notices::put))
        .routes(routes!(review::queue))
        .routes(routes!(review::get_one))
        .routes(routes!(review::review_material))
        .routes(routes!(review::decide))
        .routes(routes!(review::audit_log))
        .routes(routes!(review::supervision))
        .routes(routes!(ratings::bad_ratings))
        .routes(routes!(ratings::rectify))
        .routes(routes!(messages::list))
        .routes(routes!(messages::mark_read))
        .routes(routes!(track::track))
        .merge(files::router())
}
