//! `GET`/`PUT /api/applications/{id}/sms-notices`: whether a case's status changes also go by
//! SMS. The texts and their sending are [`crate::workflow::notices`].

use app::api::SmsNotices;
use axum::extract::{Path, State};
use axum::Json;

use crate::auth::Applicant;
use crate::error::AppResult;
use crate::json_body::JsonBody;
use crate::workflow::notices::enabled;
use crate::AppState;

use super::routes::owned;

/// Whether this case's status changes are also sent by SMS.
#[utoipa::path(get, path = "/api/applications/{id}/sms-notices", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    responses((status = 200, body = SmsNotices), (status = 401, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
) -> AppResult<Json<SmsNotices>> {
    owned(&state.db, &user, &id).await?;
    Ok(Json(SmsNotices {
        enabled: enabled(&state, &id).await?,
    }))
}

/// Turns this case's SMS notices on or off (the in-app messages stay).
#[utoipa::path(put, path = "/api/applications/{id}/sms-notices", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    request_body = SmsNotices,
    responses((status = 200, body = SmsNotices), (status = 401, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn put(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
    JsonBody(wanted): JsonBody<SmsNotices>,
) -> AppResult<Json<SmsNotices>> {
    owned(&state.db, &user, &id).await?;
    sqlx::query("UPDATE cases SET sms_notices = $2 WHERE id = $1")
        .bind(&id)
        .bind(i64::from(wanted.enabled))
        .execute(&state.db.pool)
        .await?;
    Ok(Json(wanted))
}
