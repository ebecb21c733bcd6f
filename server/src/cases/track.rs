//! 办件进度查询 without signing in: 受理编号 plus the last four digits of the applicant's mobile.
//! The number may be a single case's or a 一件事 application's (then with every member's
//! progress).
//!
//! 受理编号 follow a daily sequence (`SFQ-YYYYMMDD-NNNN`), so they can be guessed; what protects
//! a case is the four digits, and those are limited twice: per address (30 lookups in 10
//! minutes) and per number (10 failed lookups in an hour, whoever makes them), so spreading
//! the 10,000 possible digits over many addresses does not help either.

use app::api::{CaseEvent, CaseStatus, TrackMember, TrackResult};
use app::rules::form::applicant_name;
use app::rules::phone::mask_name;
use axum::extract::State;
use axum::Json;

use super::store;
use crate::bundles::view as bundle_view;
use crate::client_address::ClientAddress;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::ratelimit::{self, wait_words};
use crate::secrets;
use crate::workflow::bundle_store::{self, BundleCaseRow};
use crate::workflow::{APPLICANT, SYSTEM};
use crate::AppState;

const PER_ADDRESS: i64 = 30;
const WINDOW_SECS: i64 = 10 * 60;
/// Failed lookups of one number (unknown or wrong digits alike) per [`NUMBER_WINDOW_SECS`].
pub const FAILURES_PER_NUMBER: i64 = 10;
const NUMBER_WINDOW_SECS: i64 = 3600;

/// The one answer for an unknown number and for wrong digits alike, so the lookup cannot be
/// used to learn which numbers exist.
fn not_found() -> AppError {
    AppError::not_found("没有查到该办件，请核对受理编号和手机号后四位")
}

/// Progress of a case, or of a 一件事 application with each member's progress: status, due
/// date and timeline, the applicant's name masked.
#[utoipa::path(get, path = "/api/track", tag = "办件查询",
    params(
        ("number" = String, Query, min_length = 1, description = "受理编号（单个办件或“一件事”的），如 SFQ-20261125-0007"),
        ("phone4" = String, Query, pattern = r"^\d{4}$", description = "申请时登录手机号的后四位"),
    ),
    responses(
        (status = 200, body = TrackResult),
        (status = 400, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError, description = "编号或手机号后四位不对（两者答复相同）"),
        (status = 429, body = app::api::ApiError, description = "查询过于频繁，或该编号查询失败次数过多"),
    ))]
pub async fn track(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    params: Params,
) -> AppResult<Json<TrackResult>> {
    let number = params
        .required_text("number", "受理编号", 40)?
        .to_ascii_uppercase();
    // Typed on a phone keyboard or pasted: full-width digits and spaces are folded.
    let phone4 =
        app::rules::normalize_number(&params.required_text("phone4", "手机号后四位", 12)?);
    if phone4.len() != 4 || !phone4.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::bad_param(
            "phone4",
            "手机号后四位（参数 phone4）应为4位数字",
        ));
    }
    if let Err(wait) = ratelimit::hit(
        &state.db,
        &format!("track:{}", crate::client_address::limit_key(&address)),
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
    // Counted for every number, known or not: a limit only real numbers reach would tell
    // which numbers exist.
    let number_bucket = format!("track_number:{number}");
    let (failures, free_at) =
        ratelimit::recent(&state.db, &number_bucket, NUMBER_WINDOW_SECS).await?;
    if failures >= FAILURES_PER_NUMBER {
        let wait = free_at
            .map_or(NUMBER_WINDOW_SECS, |t| t - crate::clock::now_unix())
            .max(1) as u64;
        return Err(AppError::TooManyRequests {
            message: format!(
                "该受理编号查询失败次数过多，请在 {} 后再试；申请人也可登录后在“我的办件”查看进度",
                wait_words(wait)
            ),
            retry_after: wait,
        });
    }
    match lookup(&state, number, &phone4).await? {
        Some(result) => Ok(Json(result)),
        None => {
            ratelimit::record(&state.db, &number_bucket, NUMBER_WINDOW_SECS).await?;
            Err(not_found())
        }
    }
}

/// The progress behind `number` if `phone4` are its applicant's last four digits.
async fn lookup(state: &AppState, number: String, phone4: &str) -> AppResult<Option<TrackResult>> {
    let result = match store::find_by_number(&state.db, &number).await? {
        Some(case) => {
            if !phone_matches(&case.applicant_phone, phone4) {
                return Ok(None);
            }
            // Details (reasons, notes) stay behind the sign-in; the public view says what and
            // when.
            let timeline = store::events(&state.db, &case.id)
                .await?
                .into_iter()
                .map(|e| CaseEvent { detail: None, ..e })
                .collect();
            TrackResult {
                number,
                item_name: case.item_name,
                department: case.department_name,
                applicant: mask_name(&case.applicant_name),
                status: case.status,
                due_date: case.due_date,
                timeline,
                members: Vec::new(),
                bundle_status: None,
            }
        }
        None => {
            let Some((row, phone)) = bundle_store::find_by_number(&state.db, &number).await? else {
                return Ok(None);
            };
            if !phone_matches(&phone, phone4) {
                return Ok(None);
            }
            bundle_result(state, number, &row).await?
        }
    };
    Ok(Some(result))
}

/// Whether `phone4` is the last four digits of the applicant's sign-in phone.
fn phone_matches(phone: &str, phone4: &str) -> bool {
    let last4 = phone.get(phone.len().saturating_sub(4)..).unwrap_or("");
    secrets::same(last4, phone4)
}

/// A 一件事 application's progress, read as its applicant's bundle page reads it
/// (`bundles::view::progress`), without case ids, forms or notices.
async fn bundle_result(
    state: &AppState,
    number: String,
    row: &BundleCaseRow,
) -> AppResult<TrackResult> {
    let (cases, progress) = bundle_view::progress(&state.db, row).await?;
    let statuses: Vec<CaseStatus> = cases.iter().map(|c| c.status).collect();
    let bundle_status = bundle_view::status_of(row, &statuses);
    let members: Vec<TrackMember> = progress
        .into_iter()
        .filter_map(|m| {
            Some(TrackMember {
                status: m.status?,
                waiting: !m.waiting_for.is_empty(),
                item_name: m.item_name,
                department: m.department,
                number: m.number,
                due_date: m.due_date,
            })
        })
        .collect();
    let mut departments: Vec<&str> = Vec::new();
    for m in &members {
        if !departments.contains(&m.department.as_str()) {
            departments.push(&m.department);
        }
    }
    // The bundle is due when its last member is; unknown while a member waits for a
    // predecessor (its clock has not started).
    let due_date = if members.iter().any(|m| m.waiting) {
        None
    } else {
        members.iter().filter_map(|m| m.due_date.clone()).max()
    };
    // The bundle's own events; each member's own steps are in its row of `members`.
    let mut timeline = Vec::new();
    if let Some(at) = &row.submitted_at {
        timeline.push(CaseEvent {
            at: at.clone(),
            actor: APPLICANT.into(),
            title: "一件事一次办：一次提交".into(),
            detail: None,
        });
    }
    if let Some(at) = &row.completed_at {
        timeline.push(CaseEvent {
            at: at.clone(),
            actor: SYSTEM.into(),
            title: "一件事已办结".into(),
            detail: None,
        });
    }
    Ok(TrackResult {
        number,
        item_name: row.bundle.name.clone(),
        department: departments.join("、"),
        applicant: mask_name(applicant_name(&row.form).unwrap_or("")),
        status: bundle_view::track_status(bundle_status, &statuses),
        due_date,
        timeline,
        members,
        bundle_status: Some(bundle_status),
    })
}
