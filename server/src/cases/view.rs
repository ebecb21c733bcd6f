//! Building what the API shows of a case: list rows with deadline warnings, and the full detail
//! as its owner or a member of staff sees it.

use std::collections::HashMap;

use app::api::{
    CaseAction, CaseBundle, CaseDetail, CaseMaterial, CaseSibling, CaseStatus, CaseSummary,
    CompanySheet, ItemGuide, Verdict, Warning,
};
use app::rules::auto_fetch::{system_record, AutoFetch};
use app::rules::case_flow::{allowed_actions, awaits_department, Actor};
use app::rules::date::Date;
use app::rules::form::{applicant_name, form_for};
use app::rules::phone::mask_name;
use app::rules::tailor::tailor;
use app::rules::workdays::HolidayCalendar;
use app::rules::working_hours::acceptance_day;

use super::store::{self, CaseRow};
use crate::auth::StaffUser;
use crate::bundles::view as bundle_view;
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::workflow::bundle_store::{self, BundleCaseRow};

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
        updated_at: Some(case.updated_at.clone()),
        submitted_at: case.submitted_at.clone(),
        due_date: case.due_date.clone(),
        days_left,
        warning,
        bundle: None,
    }
}

/// The latest promised due date of the members a held case waits for (among `members`, the
/// cases of its 一件事); `None` when it is not held or one of them has no due date.
fn expected_by(case: &CaseRow, members: &[CaseRow]) -> Option<String> {
    if !case.is_held() {
        return None;
    }
    case.waiting_for
        .iter()
        .map(|code| {
            members
                .iter()
                .find(|m| &m.item_code == code && m.bundle_case_id == case.bundle_case_id)
                .and_then(|m| m.due_date.clone())
        })
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()
}

/// What a case's summary says of its 一件事: which one, and while held, the short names of the
/// members it waits for and when they are due.
fn bundle_ref(case: &CaseRow, bundle: &BundleCaseRow, members: &[CaseRow]) -> CaseBundle {
    let short_name = |code: &String| {
        bundle
            .bundle
            .members
            .iter()
            .find(|m| &m.item_code == code)
            .map_or_else(|| code.clone(), |m| m.name.clone())
    };
    CaseBundle {
        id: bundle.id.clone(),
        name: bundle.bundle.name.clone(),
        number: bundle.number.clone(),
        waiting_for: if case.is_held() {
            case.waiting_for.iter().map(short_name).collect()
        } else {
            Vec::new()
        },
        expected_by: expected_by(case, members),
    }
}

/// The bundle applications of `cases`, each read once.
async fn bundles_of(db: &Db, cases: &[CaseRow]) -> AppResult<HashMap<String, BundleCaseRow>> {
    let mut found = HashMap::new();
    for id in cases.iter().filter_map(|c| c.bundle_case_id.as_ref()) {
        if !found.contains_key(id) {
            if let Some(row) = bundle_store::find(&db.pool, id).await? {
                found.insert(id.clone(), row);
            }
        }
    }
    Ok(found)
}

/// Summaries of `cases` (in the same order), each with its 一件事 if it has one.
pub async fn summaries(
    db: &Db,
    calendar: &HolidayCalendar,
    cases: &[CaseRow],
    today: Date,
) -> AppResult<Vec<CaseSummary>> {
    let bundles = bundles_of(db, cases).await?;
    Ok(cases
        .iter()
        .map(|c| {
            let mut s = summary(c, calendar, today);
            s.bundle = c
                .bundle_case_id
                .as_ref()
                .and_then(|id| bundles.get(id))
                .map(|b| bundle_ref(c, b, cases));
            s
        })
        .collect())
}

/// 企业开办's company facts on the member they were asked for (企业设立登记).
async fn company_sheet(
    db: &Db,
    case: &CaseRow,
    bundle: &BundleCaseRow,
) -> AppResult<Option<CompanySheet>> {
    let Some(facts) = bundle
        .company
        .clone()
        .filter(|_| bundle.bundle.company_facts_for.as_deref() == Some(case.item_code.as_str()))
    else {
        return Ok(None);
    };
    let scopes = bundle_store::scopes(db).await?;
    let scope_names = facts
        .business_scope
        .iter()
        .map(|c| {
            scopes
                .iter()
                .find(|s| &s.code == c)
                .map_or_else(|| c.clone(), |s| s.name.clone())
        })
        .collect();
    let n = &facts.name;
    Ok(Some(CompanySheet {
        company_name: format!(
            "{}{}{}{}",
            n.district, n.trade_name, n.industry, n.organisation
        ),
        facts,
        scope_names,
    }))
}

/// The other members of the case's 一件事 in bundle order, as `viewer` may follow them.
fn siblings(
    case: &CaseRow,
    bundle: &BundleCaseRow,
    members: &[CaseRow],
    viewer: Viewer<'_>,
) -> Vec<CaseSibling> {
    bundle
        .bundle
        .members
        .iter()
        .filter_map(|m| {
            let c = members
                .iter()
                .find(|c| c.item_code == m.item_code && c.id != case.id)?;
            Some(CaseSibling {
                case_id: c.id.clone(),
                short_name: m.name.clone(),
                item_name: c.item_name.clone(),
                department: c.department_name.clone(),
                status: c.status,
                waiting: c.is_held(),
                number: c.number.clone(),
                open: match viewer {
                    Viewer::Owner => true,
                    Viewer::Staff(staff) => c.number.is_some() && staff.covers(&c.department_code),
                },
            })
        })
        .collect()
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
            let uploads = uploads.remove(&m.id).unwrap_or_default();
            // 自动获取: fetched by the system (or to be, at submission), never 必传.
            let auto_fetched = uploads
                .iter()
                .find(|u| u.current)
                .and_then(|u| u.fetched.as_ref())
                .map(|source| format!("已自动获取：{source}"))
                .or_else(|| {
                    system_record(&m)
                        .then(|| format!("{}（提交时自动获取）", AutoFetch::SystemRecord.words()))
                });
            CaseMaterial {
                required: !m.tolerance && auto_fetched.is_none(),
                auto_fetched,
                tolerance_allowed: m.tolerance,
                pledge_allowed: m.pledge,
                verdict: review.map_or(Verdict::Pending, |r| r.verdict),
                reason: review.and_then(|r| r.reason.clone()),
                deadline: review.and_then(|r| r.deadline.clone()),
                uploads,
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
    let bundle = match &case.bundle_case_id {
        Some(id) => bundle_store::find(&db.pool, id).await?,
        None => None,
    };
    let mut summary = summary(case, calendar, today);
    let siblings = match &bundle {
        Some(b) => {
            let members = store::of_bundle(&db.pool, &b.id).await?;
            summary.bundle = Some(bundle_ref(case, b, &members));
            siblings(case, b, &members, viewer)
        }
        None => Vec::new(),
    };
    let company = match &bundle {
        Some(b) => company_sheet(db, case, b).await?,
        None => None,
    };
    let hour_clock = bundle
        .as_ref()
        .and_then(|b| bundle_view::hour_clock(calendar, b, clock::now_unix()));
    Ok(CaseDetail {
        accepted_on: acceptance.map(|a| a.day.to_string()),
        acceptance_deferred: acceptance.is_some_and(|a| a.deferred),
        siblings,
        company,
        hour_clock,
        guide_version: case.guide_version,
        summary,
        form_spec: form_for(&guide),
        form: case.form.clone(),
        answers: case.answers.clone(),
        situations: guide.situations.clone(),
        open_questions: tailor(&guide, &case.answers).open_questions,
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
