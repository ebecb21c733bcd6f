//! 网上预审: applications (cases) from draft to decision, their materials, the department's
//! review, progress lookup, messages and 好差评.
//!
//! Every status change goes through `app::rules::case_flow::next_status`, the one state
//! machine shared with the browser, and is written together with its timeline event, audit
//! entry and applicant message in one transaction.

pub mod files;
pub mod messages;
pub mod ratings;
pub mod review;
pub mod routes;
pub mod sms_notices;
pub mod store;
pub mod track;
pub mod view;

use axum::routing::{get, post, put};
use axum::Router;

use crate::AppState;

/// Every case route except the upload (see [`files::upload_router`]).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/applications", post(routes::create).get(routes::list))
        .route(
            "/api/applications/{id}",
            get(routes::get_one).put(routes::update),
        )
        .route("/api/applications/{id}/withdraw", post(routes::withdraw))
        .route("/api/applications/{id}/submit", post(routes::submit))
        .route("/api/applications/{id}/rating", post(ratings::rate))
        .route(
            "/api/applications/{id}/sms-notices",
            get(sms_notices::get).put(sms_notices::put),
        )
        .route("/api/staff/cases", get(review::queue))
        .route("/api/staff/cases/{id}", get(review::get_one))
        .route(
            "/api/staff/cases/{id}/materials/{material_id}",
            put(review::review_material),
        )
        .route("/api/staff/cases/{id}/decision", post(review::decide))
        .route("/api/staff/cases/{id}/audit", get(review::audit_log))
        .route("/api/manager/supervision", get(review::supervision))
        .route("/api/manager/ratings", get(ratings::bad_ratings))
        .route(
            "/api/manager/ratings/{case_id}/rectification",
            post(ratings::rectify),
        )
        .route("/api/messages", get(messages::list))
        .route("/api/messages/read", post(messages::mark_read))
        .route("/api/track", get(track::track))
        .merge(files::router())
}
