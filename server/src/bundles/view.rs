//! What the API shows of a bundle application: the draft, the combined progress of its member
//! cases, the ONE merged 一次性告知, and 企业开办's working-hours clock.

use std::collections::HashMap;

use app::api::{
    BundleApplicationDetail, BundleApplicationList, BundleApplicationSummary, BundleMaterial,
    BundleMemberProgress, BundleNotice, BundleStatus, CaseStatus, DepartmentNotices, HourClock,
    ItemGuide, MemberNotice,
};
use app::rules::bundle::{
    asked_form, member_stages, members_for, merged_materials, needs_company_facts, open_questions,
    replaced_forms, total_promised_days,
};
use app::rules::form::applicant_name;
use app::rules::phone::mask_name;
use app::rules::workdays::HolidayCalendar;
use app::rules::working_hours::{duration_words, working_seconds_between};
use axum::extract::State;
use axum::Json;

use super::store::{self, BundleCaseRow};
use super::{member_codes, member_view, promised_hours};
use crate::auth::CentreManager;
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::workflow::case_store::{self, CaseRow};
use crate::AppState;

/// Over, or approved: the department has decided.
fn decided(status: CaseStatus) -> bool {
    matches!(
        status,
        CaseStatus::Approved | CaseStatus::Completed | CaseStatus::Rejected | CaseStatus::Withdrawn
    )
}

/// Draft until submitted; then done once every member case is over, needing correction while
/// any is returned, else in progress.
pub fn status_of(row: &BundleCaseRow, members: &[CaseStatus]) -> BundleStatus {
    if row.is_draft() {
        BundleStatus::Draft
    } else if !members.is_empty() && members.iter().all(|s| s.is_final()) {
        BundleStatus::Done
    } else if members.contains(&CaseStatus::Returned) {
        BundleStatus::NeedsCorrection
    } else {
        BundleStatus::InProgress
    }
}

/// The working-hours clock of a submitted bundle that promises hours (企业开办).
pub fn hour_clock(calendar: &HolidayCalendar, row: &BundleCaseRow, now: i64) -> Option<HourClock> {
    let promised = promised_hours(&row.bundle.code)?;
    let started_at = row.hours_started_at.clone()?;
    let started = clock::parse_rfc3339(&started_at)?;
    let stopped = row
        .last_member_approved_at
        .as_deref()
        .and_then(clock::parse_rfc3339);
    let seconds = working_seconds_between(calendar, started, stopped.unwrap_or(now)).ok();
    let within = seconds.map(|s| s <= i64::from(promised) * 3600);
    let text = match (seconds, stopped) {
        (None, _) => format!(
            "承诺 {promised} 个工作小时内办结；所跨年份的节假日安排尚未公布，暂无法计算用时"
        ),
        (Some(s), None) => format!(
            "已用 {}（工作时间），承诺 {promised} 小时内办结{}",
            duration_words(s),
            if within == Some(false) {
                "，已超时"
            } else {
                ""
            }
        ),
        (Some(s), Some(_)) => format!(
            "用时 {}（工作时间），{}",
            duration_words(s),
            if within == Some(true) {
                format!("在承诺的 {promised} 小时内办结")
            } else {
                format!("超过承诺的 {promised} 小时")
            }
        ),
    };
    Some(HourClock {
        started_at,
        stopped_at: row.last_member_approved_at.clone(),
        running: stopped.is_none(),
        working_minutes: seconds.map(|s| u32::try_from(s / 60).unwrap_or(u32::MAX)),
        promised_hours: promised,
        within_promise: within,
        text,
    })
}

/// The ONE 一次性告知: every returned member's notice, grouped by department (in bundle order).
pub fn merged_notice(members: &[CaseRow]) -> Option<BundleNotice> {
    let mut departments: Vec<DepartmentNotices> = Vec::new();
    let mut problems = 0;
    let mut respond_by: Option<String> = None;
    for case in members.iter().filter(|c| c.status == CaseStatus::Returned) {
        let Some(notice) = case.notice.clone() else {
            continue;
        };
        problems += notice.problems.len() as u32;
        if !notice.respond_by.is_empty()
            && respond_by.as_ref().is_none_or(|r| notice.respond_by < *r)
        {
            respond_by = Some(notice.respond_by.clone());
        }
        let entry = MemberNotice {
            case_id: case.id.clone(),
            item_code: case.item_code.clone(),
            item_name: case.item_name.clone(),
            number: case.number.clone(),
            notice,
        };
        match departments
            .iter_mut()
            .find(|d| d.department == case.department_name)
        {
            Some(group) => group.cases.push(entry),
            None => departments.push(DepartmentNotices {
                department: case.department_name.clone(),
                cases: vec![entry],
            }),
        }
    }
    (!departments.is_empty()).then(|| BundleNotice {
        problem_count: problems,
        respond_by: respond_by.unwrap_or_default(),
        departments,
    })
}

/// The members a bundle application shows, with their cases' progress: before submission the
/// members the answers include, after it those that became cases (in bundle order).
pub fn member_progress(
    row: &BundleCaseRow,
    cases: &[CaseRow],
    guides: &[ItemGuide],
    departments: &HashMap<String, String>,
) -> Vec<BundleMemberProgress> {
    let bundle = &row.bundle;
    let answers = &row.answers;
    let stages = member_stages(bundle, answers);
    let shown: Vec<_> = if row.is_draft() {
        members_for(bundle, answers)
    } else {
        bundle
            .members
            .iter()
            .filter(|m| cases.iter().any(|c| c.item_code == m.item_code))
            .collect()
    };
    shown
        .into_iter()
        .map(|member| {
            let view = member_view(bundle, member, answers, guides, departments, &stages);
            let case = cases.iter().find(|c| c.item_code == member.item_code);
            BundleMemberProgress {
                item_code: view.item_code,
                item_name: case.map_or(view.name, |c| c.item_name.clone()),
                short_name: view.short_name,
                department_code: view.department_code,
                department: case.map_or(view.department, |c| c.department_name.clone()),
                stage: view.stage,
                promised_days: view.promised_days,
                case_id: case.map(|c| c.id.clone()),
                number: case.and_then(|c| c.number.clone()),
                status: case.map(|c| c.status),
                waiting_for: case
                    .filter(|c| c.is_held())
                    .map(|c| c.waiting_for.clone())
                    .unwrap_or_default(),
                due_date: case.and_then(|c| c.due_date.clone()),
            }
        })
        .collect()
}

/// A bundle application's member cases (none for a draft) and its members' progress.
pub async fn progress(
    db: &Db,
    row: &BundleCaseRow,
) -> AppResult<(Vec<CaseRow>, Vec<BundleMemberProgress>)> {
    let guides = store::guides(db, &member_codes(&row.bundle)).await?;
    let departments = store::department_names(db).await?;
    let cases = if row.is_draft() {
        Vec::new()
    } else {
        case_store::of_bundle(&db.pool, &row.id).await?
    };
    let members = member_progress(row, &cases, &guides, &departments);
    Ok((cases, members))
}

/// One case status summing up a bundle for `/api/track` (documented on `TrackResult::status`):
/// 需补正 while any member is returned; 预审通过 when every open member is approved; 待预审
/// while others are with their departments or held; once all are over, 已办结 if any member
/// was completed, else 不予受理 if any was refused, else 已撤回.
pub fn track_status(status: BundleStatus, members: &[CaseStatus]) -> CaseStatus {
    match status {
        BundleStatus::Draft => CaseStatus::Draft,
        BundleStatus::NeedsCorrection => CaseStatus::Returned,
        BundleStatus::InProgress => {
            let mut open = members.iter().filter(|s| !s.is_final()).peekable();
            if open.peek().is_some() && open.all(|s| *s == CaseStatus::Approved) {
                CaseStatus::Approved
            } else {
                CaseStatus::Submitted
            }
        }
        BundleStatus::Done => [CaseStatus::Completed, CaseStatus::Rejected]
            .into_iter()
            .find(|s| members.contains(s))
            .unwrap_or(CaseStatus::Withdrawn),
    }
}

/// A bundle application in full: as a draft, or with its member cases' progress.
pub async fn detail(state: &AppState, row: &BundleCaseRow) -> AppResult<BundleApplicationDetail> {
    let db = &state.db;
    let bundle = &row.bundle;
    let answers = &row.answers;
    let guides = store::guides(db, &member_codes(bundle)).await?;
    let departments = store::department_names(db).await?;
    let cases = if row.is_draft() {
        Vec::new()
    } else {
        case_store::of_bundle(&db.pool, &row.id).await?
    };
    let uploads = store::uploads(db, &row.id).await?;
    let materials = merged_materials(bundle, answers, &guides)
        .into_iter()
        .map(|m| BundleMaterial {
            uploads: uploads
                .iter()
                .filter(|u| u.material_id == m.material_id)
                .map(|u| u.info.clone())
                .collect(),
            material: m,
        })
        .collect();
    let members = member_progress(row, &cases, &guides, &departments);
    let statuses: Vec<CaseStatus> = cases.iter().map(|c| c.status).collect();
    Ok(BundleApplicationDetail {
        id: row.id.clone(),
        bundle_code: bundle.code.clone(),
        bundle_name: bundle.name.clone(),
        status: status_of(row, &statuses),
        number: row.number.clone(),
        created_at: row.created_at.clone(),
        submitted_at: row.submitted_at.clone(),
        completed_at: row.completed_at.clone(),
        answers: answers.clone(),
        form: row.form.clone(),
        company: row.company.clone(),
        open_questions: open_questions(bundle, answers),
        form_spec: asked_form(bundle, answers)
            .into_iter()
            .map(|f| f.spec.clone())
            .collect(),
        needs_company: needs_company_facts(bundle, answers),
        materials,
        replaced_forms: replaced_forms(bundle, answers, &guides),
        members,
        notice: merged_notice(&cases),
        uscc: row.uscc.clone(),
        clock: hour_clock(&state.calendar(), row, clock::now_unix()),
        total_promised_days: total_promised_days(bundle, answers, &guides),
    })
}

/// A bundle application as listed, from its member cases' statuses.
pub fn summary(
    calendar: &HolidayCalendar,
    row: &BundleCaseRow,
    statuses: &[CaseStatus],
    now: i64,
) -> BundleApplicationSummary {
    let total = if row.is_draft() {
        members_for(&row.bundle, &row.answers).len()
    } else {
        statuses.len()
    };
    BundleApplicationSummary {
        id: row.id.clone(),
        bundle_code: row.bundle.code.clone(),
        bundle_name: row.bundle.name.clone(),
        icon: row.bundle.icon.clone(),
        status: status_of(row, statuses),
        number: row.number.clone(),
        applicant: mask_name(applicant_name(&row.form).unwrap_or("")),
        created_at: row.created_at.clone(),
        submitted_at: row.submitted_at.clone(),
        completed_at: row.completed_at.clone(),
        members_total: total as u32,
        members_decided: statuses.iter().filter(|s| decided(**s)).count() as u32,
        uscc: row.uscc.clone(),
        clock: hour_clock(calendar, row, now),
    }
}

/// Bundle applications as listed, with their member statuses.
pub async fn summaries(
    state: &AppState,
    rows: &[BundleCaseRow],
    applicant_id: Option<&str>,
) -> AppResult<BundleApplicationList> {
    let statuses = store::member_statuses(&state.db, applicant_id).await?;
    let now = clock::now_unix();
    Ok(BundleApplicationList {
        applications: rows
            .iter()
            .map(|r| {
                summary(
                    &state.calendar(),
                    r,
                    statuses.get(&r.id).map_or(&[][..], Vec::as_slice),
                    now,
                )
            })
            .collect(),
    })
}

/// Every submitted bundle application with its working-hours clock (centre manager), newest
/// first.
#[utoipa::path(get, path = "/api/manager/bundles", tag = "督办",
    responses((status = 200, body = BundleApplicationList), (status = 401, body = app::api::ApiError), (status = 403, body = app::api::ApiError, description = "不是中心管理人员")))]
pub async fn manager_list(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
) -> AppResult<Json<BundleApplicationList>> {
    let rows = store::submitted(&state.db).await?;
    Ok(Json(summaries(&state, &rows, None).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    #[test]
    fn track_status_sums_up_the_members() {
        let progress = BundleStatus::InProgress;
        assert_eq!(track_status(progress, &[Submitted, Draft]), Submitted);
        assert_eq!(track_status(progress, &[Approved, Draft]), Submitted);
        assert_eq!(track_status(progress, &[Approved, Completed]), Approved);
        assert_eq!(track_status(progress, &[]), Submitted);
        assert_eq!(
            track_status(BundleStatus::NeedsCorrection, &[Approved, Returned]),
            Returned
        );
        let done = BundleStatus::Done;
        assert_eq!(track_status(done, &[Rejected, Completed]), Completed);
        assert_eq!(track_status(done, &[Rejected, Withdrawn]), Rejected);
        assert_eq!(track_status(done, &[Withdrawn, Withdrawn]), Withdrawn);
    }
}
