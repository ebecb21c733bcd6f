//! The working-day calendar API: due dates counted in working days by the shared rule, the
//! known years, and the years managers enter ([`years`]).

pub mod years;

use app::api::DueDate;
use app::rules::date::Date;
use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(due))
        .merge(years::router())
}

/// Due date of a case accepted on `from` with a limit of `working_days` working days.
///
/// The acceptance day is not counted; weekends and public holidays are skipped, 调休 working
/// Saturdays and Sundays are counted. A range reaching a year whose official schedule is not
/// loaded is refused (422), never guessed.
#[utoipa::path(get, path = "/api/calendar/due", tag = "工作日",
    params(
        ("from" = String, Query, format = Date, description = "受理日期 YYYY-MM-DD（当天不计入）"),
        ("working_days" = u32, Query, maximum = 365, description = "时限（工作日），0–365"),
    ),
    responses(
        (status = 200, body = DueDate),
        (status = 400, body = app::api::ApiError, description = "参数格式错误"),
        (status = 422, body = app::api::ApiError, description = "该年度法定节假日安排尚未公布"),
    ))]
pub async fn due(State(state): State<AppState>, params: Params) -> AppResult<Json<DueDate>> {
    let from_text = params.required_text("from", "受理日期", 20)?;
    let from = Date::parse(&from_text).ok_or_else(|| {
        AppError::bad_param(
            "from",
            format!(
                "受理日期（参数 from）“{from_text}”不是有效日期，应为 YYYY-MM-DD，例如 2026-02-13"
            ),
        )
    })?;
    let working_days = params.required_number("working_days", "办理时限工作日数", 0..=365)?;
    state
        .calendar()
        .due_date(from, working_days)
        .map(Json)
        .map_err(|e| AppError::Unprocessable {
            code: "calendar_not_published",
            message: e.to_string(),
        })
}
