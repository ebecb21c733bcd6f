//! Building what the API shows of a case: list rows with deadline warnings, and the full detail
//! as its owner or a member of staff sees it.

use app::api::{
    CaseAction, CaseDetail, CaseMaterial, CaseStatus, CaseSummary, ItemGuide, Verdict, Warning,
};
use app::rules::case_flow::{allowed_actions, awaits_department, Actor};
use app::rules::date::Date;
use app::rules::form::{applicant_name, form_for};
use app::rules::phone::mask_name;
use app::rules::tailor::tailor;
use app::rules::workdays::HolidayCalendar;
use app::rules::working_hours::acceptance_day;

use super::store::{self, CaseRow};
use crate::auth::StaffUser;
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;

/// Who is looking at a case.
#[derive(Clone, Copy)]
pub enum Viewer<'a> {
    Owner,
    Staff(&'a StaffUser),
}

/// Working days left and the warning, while the department still has to act.
pub fn deadline(
    calendar: &HolidayCalendar,
    status: CaseStatus,
    due: Option<&str>,
    today: Date,
) -> (Option<i64>, Option<Warning>) {
    if !awaits_department(status) {
        return (None, None);
    }
    let Some(left) = due
        .and_then(Date::parse)
        .and_then(|due| calendar.working_days_between(today, due).ok())
    else {
        return (None, None);
    };
    let warning = if left < 0 {
        Some(Warning::Red)
    } else if left <= 1 {
        Some(Warning::Yellow)
    } else {
        None
    };
    (Some(left), warning)
}

pub fn summary(case: &CaseRow, calendar: &HolidayCalendar, today: Date) -> CaseSummary {
    let name = if case.applicant_name.is_empty() {
        applicant_name(&case.form).unwrap_or("").to_string()
    } else {
        case.applicant_name.clone()
    };
    let (days_left, warning) = deadline(calendar, case.status, case.due_date.as_deref(), today);
    CaseSummary {
        id: case.id.clone(),
        number: case.number.clone(),
        item_code: case.item_code.clone(),
        item_name: case.item_name.clone(),
        department: case.department_name.clone(),
        department_code: case.department_code.clone(),
        status: case.status,
        applicant: mask_name(&name),
        created_at: case.created_at.clone(),
        submitted_at: case.submitted_at.clone(),
        due_date: case.due_date.clone(),
        days_left,
        warning,
    }
}

/// Most urgent first: overdue, then due within a day, then fewest working days left, then the
/// longest waiting.
pub fn sort_by_urgency(cases: &mut [CaseSummary]) {
    let rank = |w: Option<Warning>| match w {
        Some(Warning::Red) => 0,
        Some(Warning::Yellow) => 1,
        None => 2,
    };
    cases.sort_by(|a, b| {
        (
            rank(a.warning),
            a.days_left.unwrap_or(i64::MAX),
            &a.submitted_at,
        )
            .cmp(&(
                rank(b.warning),
                b.days_left.unwrap_or(i64::MAX),
                &b.submitted_at,
            ))
    });
}

/// The materials that apply to this case under its answers, with their verdicts and uploads.
pub async fn materials(
    db: &Db,
    case: &CaseRow,
    guide: &ItemGuide,
    viewer: Viewer<'_>,
) -> AppResult<Vec<CaseMaterial>> {
    let mut uploads = store::uploads(db, &case.id).await?;
    let reviews = store::reviews(db, &case.id).await?;
    // 一次性告知: the applicant learns the verdicts all at once with the decision, not one by one
    // while the reviewer is still working through the file.
    let hide_verdicts = matches!(viewer, Viewer::Owner) && case.status == CaseStatus::Submitted;
    Ok(tailor(guide, &case.answers)
        .materials
        .into_iter()
        .map(|shown| {
            let m = shown.item;
            let review = reviews.get(&m.id).filter(|_| !hide_verdicts);
            CaseMaterial {
                required: !m.tolerance,
                tolerance_allowed: m.tolerance,
                pledge_allowed: m.pledge,
                verdict: review.map_or(Verdict::Pending, |r| r.verdict),
                reason: review.and_then(|r| r.reason.clone()),
                deadline: review.and_then(|r| r.deadline.clone()),
                uploads: uploads.remove(&m.id).unwrap_or_default(),
                material_id: m.id,
                name: m.name,
                note: m.note,
            }
        })
        .collect())
}

pub async fn detail(
    db: &Db,
    calendar: &HolidayCalendar,
    case: &CaseRow,
    viewer: Viewer<'_>,
    today: Date,
) -> AppResult<CaseDetail> {
    let guide = store::guide(db, &case.id).await?;
    let mut actions: Vec<CaseAction> = match viewer {
        Viewer::Owner => allowed_actions(case.status, Actor::Applicant),
        Viewer::Staff(_) => allowed_actions(case.status, Actor::Staff),
    };
    if case.is_held() {
        // Submitted by the system once its bundle predecessors are approved.
        actions.retain(|a| *a != CaseAction::Submit);
    }
    // The 受理日 of a submitted case, as its due date was counted from it.
    let acceptance = case
        .submitted_at
        .as_deref()
        .filter(|_| case.due_date.is_some())
        .and_then(clock::parse_rfc3339)
        .and_then(|at| acceptance_day(calendar, at).ok());
    Ok(CaseDetail {
        accepted_on: acceptance.map(|a| a.day.to_string()),
        acceptance_deferred: acceptance.is_some_and(|a| a.deferred),
        summary: summary(case, calendar, today),
        form_spec: form_for(&guide),
        form: case.form.clone(),
        answers: case.answers.clone(),
        materials: materials(db, case, &guide, viewer).await?,
        timeline: store::events(db, &case.id).await?,
        notice: case
            .notice
            .clone()
            .filter(|_| case.status == CaseStatus::Returned),
        outcome: case.outcome.clone(),
        rating: store::rating(db, &case.id).await?,
        actions,
    })
}
