//! Holiday years: the ones the calendar knows (with their source) and a newly published year
//! entered by a manager on `/manager/calendar`.
//!
//! Entered years are stored in `holiday_years` and laid over the build's schedules (and
//! `HOLIDAYS_FILE`). Every save bumps the `holiday_years_version` counter; the server that saved
//! reloads at once, every other server sees the new version within [`FOLLOW_EVERY`] ([`follow`])
//! and reloads too, so due dates are computed with the same calendar everywhere.

use std::time::Duration;

use app::api::{CalendarYears, HolidayYear, KnownYear};
use app::rules::holiday_year::{apply, check_holiday_year, from_calendar};
use app::rules::workdays::HolidayCalendar;
use axum::extract::{Path, State};
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::{audit, clock, versions, AppState};

/// How often a server asks whether another one saved a holiday year.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(5);

const VERSION: &str = "holiday_years_version";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(known_years))
        .routes(routes!(enter_year))
}

/// One stored year.
struct Entered {
    schedule: HolidayYear,
    by: String,
    at: String,
}

async fn entered(state: &AppState) -> AppResult<Vec<Entered>> {
    let rows =
        sqlx::query("SELECT document, entered_by, entered_at FROM holiday_years ORDER BY year")
            .fetch_all(&state.db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            let document: String = r.try_get("document")?;
            Ok(Entered {
                schedule: serde_json::from_str(&document)
                    .map_err(|e| AppError::Internal(format!("holiday_years: {e}")))?,
                by: r.try_get("entered_by")?,
                at: r.try_get("entered_at")?,
            })
        })
        .collect()
}

/// Builds the calendar from the base years and the entered ones, and puts it in place.
pub async fn load(state: &AppState) -> AppResult<()> {
    // The version first: a save between the two reads is then seen again on the next check.
    let version = versions::read(&state.db, VERSION).await?;
    let mut calendar: HolidayCalendar = state.base_calendar().clone();
    for year in entered(state).await? {
        apply(&mut calendar, &year.schedule);
    }
    state.set_calendar(calendar, version);
    Ok(())
}

/// Reloads the calendar whenever another server saved a year; runs for the server's life.
pub async fn follow(state: AppState) {
    versions::follow(
        state,
        VERSION,
        FOLLOW_EVERY,
        AppState::calendar_version,
        |state| async move { load(&state).await },
    )
    .await
}

/// Every year the calendar counts with, with its schedule and where it came from.
#[utoipa::path(get, path = "/api/calendar/years", tag = "工作日",
    responses((status = 200, body = CalendarYears)))]
pub async fn known_years(State(state): State<AppState>) -> AppResult<Json<CalendarYears>> {
    let entered = entered(&state).await?;
    let calendar = state.calendar();
    let base = state.base_calendar();
    let official = HolidayCalendar::official();
    let years = calendar
        .years()
        .into_iter()
        .filter_map(|year| {
            if let Some(e) = entered.iter().find(|e| e.schedule.year == year) {
                return Some(KnownYear {
                    source: format!(
                        "中心管理者录入：{}《{}》",
                        e.schedule.notice_number, e.schedule.notice_title
                    ),
                    schedule: e.schedule.clone(),
                    entered_by: Some(e.by.clone()),
                    entered_at: Some(e.at.clone()),
                });
            }
            let shipped = official.year_schedule(year).is_some()
                && official.year_schedule(year) == base.year_schedule(year);
            let (source, title) = if shipped {
                let notice = HolidayCalendar::official_source(year).unwrap_or_default();
                (format!("随本版本发布：{notice}"), notice)
            } else {
                (
                    "服务器配置的节假日文件（HOLIDAYS_FILE）".to_string(),
                    String::new(),
                )
            };
            Some(KnownYear {
                schedule: from_calendar(&calendar, year, "", &title)?,
                source,
                entered_by: None,
                entered_at: None,
            })
        })
        .collect();
    Ok(Json(CalendarYears { years }))
}

/// Enters (or corrects) the schedule of `year` from its notice; due dates across that year are
/// computed with it at once, on every server.
#[utoipa::path(put, path = "/api/admin/calendar/years/{year}", tag = "中心管理",
    params(("year" = i32, Path, description = "年份，如 2027")),
    request_body = HolidayYear,
    responses(
        (status = 200, body = KnownYear),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 422, body = app::api::ApiError, description = "安排有误：fields 逐项指明（如 holidays.0.first、work_days.1）"),
    ))]
pub async fn enter_year(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(year): Path<i32>,
    JsonBody(mut schedule): JsonBody<HolidayYear>,
) -> AppResult<Json<KnownYear>> {
    if schedule.year != year {
        return Err(AppError::UnprocessableField {
            field: "year".into(),
            message: format!("地址中的年份 {year} 与填写的年份 {} 不一致", schedule.year),
        });
    }
    check_holiday_year(&schedule).map_err(AppError::invalid)?;
    // Stored as checked: trimmed, ranges and days in date order.
    schedule.notice_number = schedule.notice_number.trim().to_string();
    schedule.notice_title = schedule.notice_title.trim().to_string();
    for range in &mut schedule.holidays {
        range.name = range.name.trim().to_string();
        range.first = range.first.trim().to_string();
        range.last = range.last.trim().to_string();
    }
    schedule.holidays.sort_by(|a, b| a.first.cmp(&b.first));
    for day in &mut schedule.work_days {
        *day = day.trim().to_string();
    }
    schedule.work_days.sort();
    let document =
        serde_json::to_string(&schedule).map_err(|e| AppError::Internal(e.to_string()))?;
    let by = manager.audit_name();
    let at = clock::now_text();
    let rest_days: i64 = schedule
        .holidays
        .iter()
        .filter_map(|r| {
            let first = app::rules::date::Date::parse(&r.first)?;
            Some(first.days_until(app::rules::date::Date::parse(&r.last)?) + 1)
        })
        .sum();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query("DELETE FROM holiday_years WHERE year = $1")
        .bind(i64::from(year))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO holiday_years (year, document, entered_by, entered_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(i64::from(year))
    .bind(&document)
    .bind(&by)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    versions::bump(&mut tx, VERSION).await?;
    let detail = format!(
        "{year}年：{}《{}》，放假 {} 项共 {rest_days} 天，调休上班 {} 天",
        schedule.notice_number,
        schedule.notice_title,
        schedule.holidays.len(),
        schedule.work_days.len()
    );
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &by,
            action: "录入节假日安排",
            detail: &detail,
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    load(&state).await?;
    Ok(Json(KnownYear {
        source: format!(
            "中心管理者录入：{}《{}》",
            schedule.notice_number, schedule.notice_title
        ),
        schedule,
        entered_by: Some(by),
        entered_at: Some(at),
    }))
}
