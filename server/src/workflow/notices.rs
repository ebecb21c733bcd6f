//! 短信通知: the status changes the applicant must act on or know of (提交/受理, 预审通过,
//! 需补正, 不予受理, 办结) also go by SMS, through [`crate::auth::sms::SmsSender`], to the case's
//! applicant phone — the mobile the form promised "审核结果将发送到此手机号码" for (`phone`, or a
//! business's `contact_phone`), else the one signed in with — unless the applicant turned them
//! off for that case (`cases.sms_notices`, on by default; `GET`/`PUT
//! /api/applications/{id}/sms-notices`, routes in `cases::sms_notices`).
//!
//! The texts are short and carry only the 受理编号: no name, item or other personal data.
//! [`status_changed`] is called once the change is committed (the message is not part of the
//! transaction: a message cannot be taken back), and a refused message is logged, never turned
//! into a failure of the change itself. It looks at the case and at its 一件事 siblings (a
//! decision can release members held for it) and texts each status once (`cases.sms_status`).

use app::api::CaseStatus;
use app::rules::phone::validate_mobile;
use sqlx::Row;

use super::case_store as store;
use crate::error::AppResult;
use crate::AppState;

/// The SMS for a case now in `status`, if that status is one to tell by SMS.
pub fn status_text(status: CaseStatus, number: &str) -> Option<String> {
    let text = match status {
        CaseStatus::Submitted => format!(
            "【办事通】您的申请已提交，受理编号 {number}，请等待部门预审。可凭受理编号和手机号后四位查询进度。"
        ),
        CaseStatus::Approved => {
            format!("【办事通】您的办件（受理编号 {number}）已通过预审，部门正在办理。")
        }
        CaseStatus::Returned => format!(
            "【办事通】您的办件（受理编号 {number}）需补正材料，请登录办事通查看一次性告知，补正后重新提交。"
        ),
        CaseStatus::Rejected => format!(
            "【办事通】您的办件（受理编号 {number}）不予受理，请登录办事通查看原因。"
        ),
        CaseStatus::Completed => format!(
            "【办事通】您的办件（受理编号 {number}）已办结，请登录办事通查看办理结果。"
        ),
        CaseStatus::Draft | CaseStatus::Withdrawn => return None,
    };
    Some(text)
}

/// After a committed status change of `case_id`: the SMS for its state now (and for each of
/// its 一件事 siblings whose state changed with it), if that state is told by SMS, was not told
/// yet, and the applicant has not turned notices off. Never fails.
pub async fn status_changed(state: &AppState, case_id: &str) {
    let mut ids = vec![case_id.to_string()];
    match siblings(state, case_id).await {
        Ok(more) => ids.extend(more),
        Err(e) => tracing::warn!(case_id, error = %e, "status SMS: siblings not read"),
    }
    for id in ids {
        if let Err(e) = send(state, &id).await {
            tracing::warn!(case_id = id, error = %e, "status SMS not sent");
        }
    }
}

/// The other members of the 一件事 `case_id` belongs to, if any.
async fn siblings(state: &AppState, case_id: &str) -> AppResult<Vec<String>> {
    let rows = sqlx::query(
        "SELECT s.id FROM cases c JOIN cases s ON s.bundle_case_id = c.bundle_case_id \
         WHERE c.id = $1 AND s.id <> c.id ORDER BY s.id",
    )
    .bind(case_id)
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok(r.try_get::<String, _>("id")?))
        .collect()
}

async fn send(state: &AppState, case_id: &str) -> AppResult<()> {
    if !enabled(state, case_id).await? {
        return Ok(());
    }
    let Some(case) = store::find(&state.db, case_id).await? else {
        return Ok(());
    };
    let Some(text) = case
        .number
        .as_deref()
        .and_then(|number| status_text(case.status, number))
    else {
        return Ok(());
    };
    // Claims this status: of two callers reporting the same change, one texts it.
    let claimed = sqlx::query(
        "UPDATE cases SET sms_status = $2 WHERE id = $1 AND (sms_status IS NULL OR sms_status <> $2)",
    )
    .bind(case_id)
    .bind(case.status.as_str())
    .execute(&state.db.pool)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(());
    }
    state.sms.send(&phone_of(&case), &text).await
}

/// The form's mobile (the one it promised the results to), else the sign-in phone.
fn phone_of(case: &store::CaseRow) -> String {
    ["phone", "contact_phone"]
        .iter()
        .filter_map(|field| case.form.get(*field))
        .find_map(|value| validate_mobile(value).ok())
        .unwrap_or_else(|| case.applicant_phone.clone())
}

/// Whether the applicant wants this case's status changes by SMS (on by default).
pub async fn enabled(state: &AppState, case_id: &str) -> AppResult<bool> {
    let row = sqlx::query("SELECT sms_notices FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_optional(&state.db.pool)
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i64, _>("sms_notices")? == 1,
        None => false,
    })
}
