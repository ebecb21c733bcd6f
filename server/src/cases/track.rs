//! 办件进度查询 without signing in: 受理编号 plus the last four digits of the applicant's mobile.

use app::api::{CaseEvent, TrackResult};
use app::rules::phone::mask_name;
use axum::extract::State;
use axum::Json;

use super::store;
use crate::client_address::ClientAddress;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::ratelimit::{self, wait_words};
use crate::secrets;
use crate::AppState;

const PER_ADDRESS: i64 = 30;
const WINDOW_SECS: i64 = 10 * 60;

/// The one answer for an unknown number and for wrong digits alike, so the lookup cannot be
/// used to learn which numbers exist.
fn not_found() -> AppError {
    AppError::not_found("没有查到该办件，请核对受理编号和手机号后四位")
}

/// Progress of a case: status, due date and timeline, the applicant's name masked.
#[utoipa::path(get, path = "/api/track", tag = "办件查询",
    params(
        ("number" = String, Query, description = "受理编号，如 SFQ-20261125-0007"),
        ("phone4" = String, Query, description = "申请时登录手机号的后四位"),
    ),
    responses(
        (status = 200, body = TrackResult),
        (status = 400, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError, description = "编号或手机号后四位不对（两者答复相同）"),
        (status = 429, body = app::api::ApiError, description = "查询过于频繁"),
    ))]
pub async fn track(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    params: Params,
) -> AppResult<Json<TrackResult>> {
    let number = params
        .required_text("number", "受理编号", 40)?
        .to_ascii_uppercase();
    let phone4 = params.required_text("phone4", "手机号后四位", 8)?;
    if phone4.len() != 4 || !phone4.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::bad_param(
            "phone4",
            "手机号后四位（参数 phone4）应为4位数字",
        ));
    }
    if let Err(wait) = ratelimit::hit(
        &state.db,
        &format!("track:{address}"),
        WINDOW_SECS,
        PER_ADDRESS,
    )
    .await?
    {
        return Err(AppError::TooManyRequests {
            message: format!("查询过于频繁，请在 {} 后再试", wait_words(wait)),
            retry_after: wait,
        });
    }
    let case = store::find_by_number(&state.db, &number)
        .await?
        .ok_or_else(not_found)?;
    let last4 = case
        .applicant_phone
        .get(case.applicant_phone.len().saturating_sub(4)..)
        .unwrap_or("");
    if !secrets::same(last4, &phone4) {
        return Err(not_found());
    }
    // Details (reasons, notes) stay behind the sign-in; the public view says what and when.
    let timeline = store::events(&state.db, &case.id)
        .await?
        .into_iter()
        .map(|e| CaseEvent { detail: None, ..e })
        .collect();
    Ok(Json(TrackResult {
        number,
        item_name: case.item_name,
        department: case.department_name,
        applicant: mask_name(&case.applicant_name),
        status: case.status,
        due_date: case.due_date,
        timeline,
    }))
}
