//! Member cases of a bundle application: creating them on submission (the fan-out), and moving
//! the held ones on when a member is decided.
//!
//! Held members are ordinary cases in `draft` without a 受理编号, with `waiting_for` listing
//! the members still to be approved: no queue lists them and the applicant cannot submit them
//! ([`super::ensure_not_held`]). [`member_changed`] runs inside the transaction of every
//! staff decision and applicant withdrawal of a member case (through [`super::Change`]):
//!
//! * approval of 企业设立登记 / 个体工商户登记 issues the 统一社会信用代码, registers the name
//!   and fills the code into the later members' forms;
//! * approval of a member that `produces` a material (营业执照, 出生医学证明 …) attaches an
//!   electronic copy (电子证照) to the held members that use it;
//! * held members whose predecessors are all approved are submitted into their department's
//!   queue (“前置事项已办结，自动提交”);
//! * rejection or withdrawal ends the held members that depend on it, so the bundle can end;
//! * the working-hours clock stops when every member is decided, and the bundle is done when
//!   every member case is over.
//!
//! Concurrency: a decision or withdrawal of a member first updates the bundle's row
//! ([`lock_bundle`]), which serialises changes to the members of one bundle (PostgreSQL row
//! lock; SQLite's single writer) and fixes one lock order (bundle, then cases). The second of two
//! simultaneous decisions then reads the first one's committed result, so two approvals cannot
//! both miss that a successor became ready.

use std::collections::BTreeMap;

use app::api::{
    Bundle, BundleCase, BundleMember, BusinessScope, CaseStatus, CompanyFacts, FieldKind, ItemGuide,
};
use app::rules::bundle::{
    covered_by_form, member_form_values, members_for, merged_materials, ready_members,
};
use app::rules::company_name::full_name;
use app::rules::date::Date;
use app::rules::form::applicant_name;
use app::rules::form::form_for;
use app::rules::tailor::{tailor, Answers};
use app::rules::uscc::make_uscc;
use app::rules::workdays::HolidayCalendar;
use app::rules::working_hours::acceptance_day;
use sqlx::{AnyConnection, Row};

use super::bundle_store::{self, BundleCaseRow, BundleUpload};
use super::case_store::{self, CaseRow};
use super::{files, pdf};
use super::{Record, APPLICANT, SYSTEM};
use crate::audit;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::secrets;
use crate::AppState;

/// The 6-digit administrative division of 示范区 in the codes it issues (demo).
pub const AREA_CODE: &str = "610113";

/// 企业设立登记: issues a company's code (organisation type `1`).
pub const COMPANY_REGISTRATION: &str = "SFQ-SJ-0501";
/// 个体工商户登记: issues an individual business's code (organisation type `2`).
pub const INDIVIDUAL_REGISTRATION: &str = "SFQ-SJ-0502";

const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The due date of a case submitted at `submitted_at` (stored RFC 3339 text) and how to say
/// it, as a single submission does: the promised working days count from the 受理日
/// ([`acceptance_day`]), which an after-hours submission moves to the next working day.
pub fn due(
    calendar: &HolidayCalendar,
    submitted_at: &str,
    promised_days: u32,
) -> (Option<String>, String) {
    let secs = clock::parse_rfc3339(submitted_at).unwrap_or_else(clock::now_unix);
    let acceptance = match acceptance_day(calendar, secs) {
        Ok(a) => a,
        Err(e) => return (None, e.to_string()),
    };
    match calendar.due_date(acceptance.day, promised_days) {
        Ok(d) => {
            let deferred = acceptance
                .note()
                .map(|n| format!("，{n}"))
                .unwrap_or_default();
            let words = format!(
                "承诺办结日期 {}（{promised_days} 个工作日{deferred}）",
                d.due
            );
            (Some(d.due), words)
        }
        Err(e) => (None, e.to_string()),
    }
}

/// Short names (as the bundle calls them) of member item codes, joined with 、.
pub fn short_names(members: &[BundleMember], codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            members
                .iter()
                .find(|m| &m.item_code == c)
                .map_or(c.as_str(), |m| m.name.as_str())
        })
        .map(|n| format!("“{n}”"))
        .collect::<Vec<_>>()
        .join("、")
}

/// The company facts in words, added to 企业设立登记's 补充说明 so its reviewer sees them.
pub fn company_summary(facts: &CompanyFacts, scopes: &[BusinessScope]) -> String {
    let holders = facts
        .shareholders
        .iter()
        .map(|s| {
            format!(
                "{}（{}）认缴{}万元，占{}%",
                s.name.trim(),
                s.id_number.trim(),
                s.contribution_wan.trim(),
                s.share_percent.trim()
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let scope = facts
        .business_scope
        .iter()
        .map(|c| {
            scopes
                .iter()
                .find(|s| &s.code == c)
                .map_or(c.as_str(), |s| s.name.as_str())
        })
        .collect::<Vec<_>>()
        .join("、");
    let term = facts
        .term_years
        .map_or_else(|| "长期".to_string(), |y| format!("{y}年"));
    format!(
        "企业类型：{}\n注册资本：{}万元\n股东（出资人）：{holders}\n经营范围：{scope}\n经营期限：{term}",
        facts.company_type.label(),
        facts.registered_capital_wan.trim()
    )
}

/// Everything one member case is created from.
pub struct MemberPlan<'a> {
    pub member: &'a BundleMember,
    pub guide: ItemGuide,
    pub department_name: String,
    pub form: BTreeMap<String, String>,
    pub answers: Answers,
    /// Included predecessors (none approved yet at submission).
    pub waiting_for: Vec<String>,
}

/// What every member case of one submission shares.
pub struct FanOut<'a> {
    pub bundle: &'a BundleCaseRow,
    pub bundle_number: &'a str,
    pub applicant_id: &'a str,
    pub actor: &'a str,
    pub address: &'a str,
    /// The bundle draft's current uploads.
    pub uploads: &'a [BundleUpload],
    pub today: Date,
    pub now: &'a str,
}

/// 一表申请: the member's own application forms (replaced by the one bundle form) filed as
/// documents generated from its share of the form, so its reviewer has them like any upload.
#[allow(clippy::too_many_arguments)]
async fn attach_application_forms(
    state: &AppState,
    tx: &mut AnyConnection,
    bundle: &Bundle,
    bundle_number: &str,
    case_id: &str,
    guide: &ItemGuide,
    answers: &Answers,
    form: &BTreeMap<String, String>,
    now: &str,
) -> AppResult<()> {
    for shown in tailor(guide, answers)
        .materials
        .into_iter()
        .filter(|m| covered_by_form(bundle, &m.item.id))
    {
        let material = shown.item;
        let mut lines = vec![
            format!("事项：{}（{}）", guide.name, guide.code),
            format!("一件事：{}（受理编号 {bundle_number}）", bundle.name),
            String::new(),
        ];
        for spec in form_for(guide) {
            let value = form.get(&spec.id).map(String::as_str).unwrap_or("");
            lines.push(format!(
                "{}：{}",
                spec.label,
                if value.is_empty() {
                    "（未填写）"
                } else {
                    value
                }
            ));
        }
        lines.push(String::new());
        lines.push(format!(
            "由“{}”一表申请生成，申请人已在线确认。",
            bundle.name
        ));
        let pdf = pdf::document(&material.name, &lines);
        let file = files::store_generated(
            state,
            &pdf,
            &format!("{}（一表申请生成）.pdf", material.name),
            now,
        )
        .await?;
        files::attach(
            tx,
            files::Owner::Case(case_id),
            &material.id,
            &files::stored(&file),
            now,
        )
        .await?;
    }
    Ok(())
}

/// Creates one member case: submitted into its department's queue when it waits for nobody,
/// else held. The bundle's uploads of the materials it uses are attached (the same stored
/// files).
pub async fn create_member_case(
    state: &AppState,
    tx: &mut AnyConnection,
    fan: &FanOut<'_>,
    plan: &MemberPlan<'_>,
) -> AppResult<BundleCase> {
    let id = secrets::new_id();
    let guide = &plan.guide;
    let held = !plan.waiting_for.is_empty();
    let (number, due_date, due_words) = if held {
        (None, None, String::new())
    } else {
        let number = case_store::next_number(tx, fan.today).await?;
        let (due_date, words) = due(&state.calendar(), fan.now, guide.promised_days);
        (Some(number), due_date, words)
    };
    sqlx::query(
        "INSERT INTO cases (id, applicant_id, item_code, item_name, department_code, department_name, guide, status, \
         form, answers, applicant_name, number, due_date, created_at, updated_at, submitted_at, seq, bundle_case_id, \
         waiting_for, guide_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16, $17, $18, \
         (SELECT version FROM items WHERE code = $3))",
    )
    .bind(&id)
    .bind(fan.applicant_id)
    .bind(&guide.code)
    .bind(&guide.name)
    .bind(&guide.department)
    .bind(&plan.department_name)
    .bind(case_store::to_json(guide)?)
    .bind((if held { CaseStatus::Draft } else { CaseStatus::Submitted }).as_str())
    .bind(case_store::to_json(&plan.form)?)
    .bind(case_store::to_json(&plan.answers)?)
    .bind(applicant_name(&plan.form).unwrap_or(""))
    .bind(&number)
    .bind(&due_date)
    .bind(fan.now)
    .bind((!held).then_some(fan.now))
    .bind(clock::next_seq())
    .bind(&fan.bundle.id)
    .bind(if held { Some(case_store::to_json(&plan.waiting_for)?) } else { None })
    .execute(&mut *tx)
    .await?;

    // The materials this member needs under its answers, from the one set uploaded.
    for shown in tailor(guide, &plan.answers).materials {
        if let Some(upload) = fan.uploads.iter().find(|u| u.material_id == shown.item.id) {
            files::attach(
                tx,
                files::Owner::Case(&id),
                &shown.item.id,
                &files::stored(&upload.info),
                fan.now,
            )
            .await?;
        }
    }
    // 自动获取: the records the issuing bodies' systems hold (分娩记录 …).
    super::fetched::attach_system_records(
        state,
        tx,
        &id,
        guide,
        &plan.answers,
        &plan.form,
        fan.now,
    )
    .await?;
    let bundle_def = &fan.bundle.bundle;
    attach_application_forms(
        state,
        tx,
        bundle_def,
        fan.bundle_number,
        &id,
        guide,
        &plan.answers,
        &plan.form,
        fan.now,
    )
    .await?;

    let bundle = &fan.bundle.bundle;
    let together = format!(
        "随“{}”一次申请（一件事受理编号 {}）",
        bundle.name, fan.bundle_number
    );
    case_store::add_event(
        &mut *tx,
        &id,
        APPLICANT,
        "一件事一次办：一并申请",
        Some(&together),
    )
    .await?;
    if let Some(number) = &number {
        case_store::add_event(
            &mut *tx,
            &id,
            APPLICANT,
            "提交申请",
            Some(&format!("受理编号 {number}，{due_words}")),
        )
        .await?;
    } else {
        let waits = format!(
            "待{}办结后自动提交",
            short_names(&bundle.members, &plan.waiting_for)
        );
        case_store::add_event(&mut *tx, &id, SYSTEM, "等待前置事项办结", Some(&waits)).await?;
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: fan.actor,
            action: "一件事一次办提交",
            detail: &format!(
                "{}（{}）：{} {}{}",
                bundle.name,
                fan.bundle_number,
                guide.code,
                guide.name,
                number
                    .as_deref()
                    .map(|n| format!("，受理编号 {n}"))
                    .unwrap_or_else(|| "，等待前置事项".into())
            ),
            case_id: Some(&id),
            address: fan.address,
        },
    )
    .await?;
    Ok(BundleCase {
        item_code: guide.code.clone(),
        item_name: guide.name.clone(),
        case_id: id,
        number,
        waiting_for: plan.waiting_for.clone(),
    })
}

/// The member cases of a submitted bundle as the submission answer lists them.
pub fn bundle_cases(members: &[CaseRow]) -> Vec<BundleCase> {
    members
        .iter()
        .map(|c| BundleCase {
            item_code: c.item_code.clone(),
            item_name: c.item_name.clone(),
            case_id: c.id.clone(),
            number: c.number.clone(),
            waiting_for: if c.is_held() {
                c.waiting_for.clone()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// Takes the bundle's row lock for a change to a member case, before the case itself is
/// changed: every writer to a bundle's members then locks in the same order (bundle, then
/// cases), so a decision releasing a held member and the applicant withdrawing that member
/// cannot deadlock. Does nothing for cases outside bundles.
pub async fn lock_bundle(tx: &mut AnyConnection, case: &CaseRow) -> AppResult<()> {
    if let Some(bundle_id) = &case.bundle_case_id {
        sqlx::query("UPDATE bundle_cases SET updated_at = $2 WHERE id = $1")
            .bind(bundle_id)
            .bind(clock::now_text())
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// Runs in the transaction of a decision on (or withdrawal of) `case`, after its status was
/// changed to `to`. Does nothing for cases outside bundles. See the module documentation.
pub async fn member_changed(
    state: &AppState,
    tx: &mut AnyConnection,
    case: &CaseRow,
    to: CaseStatus,
    address: &str,
) -> AppResult<()> {
    let Some(bundle_id) = case.bundle_case_id.as_deref() else {
        return Ok(());
    };
    let now = clock::now_text();
    // Serialises decisions on the members of one bundle (see the module documentation); the
    // callers normally hold this lock already (`lock_bundle`).
    lock_bundle(tx, case).await?;
    let Some(mut bundle) = bundle_store::find(&mut *tx, bundle_id).await? else {
        return Ok(());
    };
    let today = clock::today_beijing();
    let members = case_store::of_bundle(&mut *tx, bundle_id).await?;
    match to {
        CaseStatus::Approved => {
            if [COMPANY_REGISTRATION, INDIVIDUAL_REGISTRATION].contains(&case.item_code.as_str())
                && bundle.uscc.is_none()
            {
                issue_licence(tx, &mut bundle, case, &now).await?;
            }
            share_results(state, tx, &bundle, case, &members, &now).await?;
        }
        CaseStatus::Rejected | CaseStatus::Withdrawn => {
            stop_dependents(tx, &bundle, case, &members, to, address).await?
        }
        _ => {}
    }
    let members = case_store::of_bundle(&mut *tx, bundle_id).await?;
    move_on(state, tx, &bundle, &members, today, &now, address).await?;

    let members = case_store::of_bundle(&mut *tx, bundle_id).await?;
    let decided = |s: CaseStatus| {
        matches!(
            s,
            CaseStatus::Approved
                | CaseStatus::Completed
                | CaseStatus::Rejected
                | CaseStatus::Withdrawn
        )
    };
    if !members.is_empty() && members.iter().all(|m| decided(m.status)) {
        sqlx::query("UPDATE bundle_cases SET last_member_approved_at = $2 WHERE id = $1 AND last_member_approved_at IS NULL")
            .bind(bundle_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    if !members.is_empty() && members.iter().all(|m| m.status.is_final()) {
        sqlx::query("UPDATE bundle_cases SET status = 'done', completed_at = $2 WHERE id = $1 AND status <> 'done'")
            .bind(bundle_id)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The next organisation code of the demo register: `MA` and seven symbols of the code alphabet.
async fn next_uscc(tx: &mut AnyConnection, individual: bool) -> AppResult<String> {
    let row = sqlx::query(
        "INSERT INTO counters (name, value) VALUES ('uscc_org', 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .fetch_one(&mut *tx)
    .await?;
    let mut n = row.try_get::<i64, _>("value")? as u64;
    let mut digits = [b'0'; 7];
    for d in digits.iter_mut().rev() {
        *d = USCC_ALPHABET[(n % 31) as usize];
        n /= 31;
    }
    let org9 = format!("MA{}", String::from_utf8_lossy(&digits));
    make_uscc('9', if individual { '2' } else { '1' }, AREA_CODE, &org9)
        .ok_or_else(|| AppError::Internal(format!("cannot make a code from {org9}")))
}

/// 营业执照核发: issues the 统一社会信用代码, registers the name (later name checks see it),
/// enters the company in the company register (its 法定代表人 and the applicant may then act
/// for it, [`crate::companies::register_from_licence`]) and fills the code into the bundle
/// form fields it issues.
async fn issue_licence(
    tx: &mut AnyConnection,
    bundle: &mut BundleCaseRow,
    case: &CaseRow,
    now: &str,
) -> AppResult<()> {
    let individual = case.item_code == INDIVIDUAL_REGISTRATION;
    let uscc = next_uscc(tx, individual).await?;
    let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let facts = bundle
        .company
        .as_ref()
        .filter(|_| bundle.bundle.company_facts_for.as_deref() == Some(case.item_code.as_str()));
    let (name, trade_name, industry) = match facts {
        Some(f) => (
            full_name(&f.name),
            strip(&f.name.trade_name),
            strip(&f.name.industry),
        ),
        None => {
            // 个体工商户: only the full name is known.
            let name = strip(
                bundle
                    .form
                    .get("company_name")
                    .or_else(|| case.form.get("company_name"))
                    .map(String::as_str)
                    .unwrap_or(""),
            );
            let trade = name.strip_prefix("示范区").unwrap_or(&name).to_string();
            (name, trade, String::new())
        }
    };
    if !name.is_empty() {
        sqlx::query(
            "INSERT INTO registered_names (name, trade_name, industry, uscc, registered_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(&name)
        .bind(&trade_name)
        .bind(&industry)
        .bind(&uscc)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    let form_value = |id: &str| {
        bundle
            .form
            .get(id)
            .or_else(|| case.form.get(id))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let legal_rep_name = facts
        .map(|f| f.legal_rep.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| form_value("legal_rep_name"))
        .unwrap_or_default();
    let legal_rep_phone = facts
        .map(|f| f.legal_rep.phone.trim().to_string())
        .filter(|p| !p.is_empty())
        .or_else(|| form_value("legal_rep_phone"));
    crate::companies::register_from_licence(
        tx,
        &uscc,
        &name,
        &legal_rep_name,
        legal_rep_phone.as_deref(),
        &bundle.applicant_id,
        now,
    )
    .await?;
    for field in bundle
        .bundle
        .form
        .iter()
        .filter(|f| f.spec.kind == FieldKind::Uscc && f.issued_by.contains(&case.item_code))
    {
        bundle.form.insert(field.spec.id.clone(), uscc.clone());
    }
    sqlx::query("UPDATE bundle_cases SET uscc = $2, form = $3 WHERE id = $1")
        .bind(&bundle.id)
        .bind(&uscc)
        .bind(case_store::to_json(&bundle.form)?)
        .execute(&mut *tx)
        .await?;
    let detail = if name.is_empty() {
        uscc.clone()
    } else {
        format!("{name}：{uscc}")
    };
    case_store::add_event(
        &mut *tx,
        &case.id,
        SYSTEM,
        "核发营业执照（统一社会信用代码）",
        Some(&detail),
    )
    .await?;
    bundle.uscc = Some(uscc);
    Ok(())
}

/// The stored guides of the member cases.
async fn member_guides(tx: &mut AnyConnection, members: &[CaseRow]) -> AppResult<Vec<ItemGuide>> {
    let mut guides = Vec::new();
    for m in members {
        let row = sqlx::query("SELECT guide FROM cases WHERE id = $1")
            .bind(&m.id)
            .fetch_one(&mut *tx)
            .await?;
        guides.push(case_store::from_json(&row.try_get::<String, _>("guide")?)?);
    }
    Ok(guides)
}

/// 电子证照共享: the materials the approved member produces, attached to the held members that
/// use them (each as an `uploads` row of the one stored file).
async fn share_results(
    state: &AppState,
    tx: &mut AnyConnection,
    bundle: &BundleCaseRow,
    case: &CaseRow,
    members: &[CaseRow],
    now: &str,
) -> AppResult<()> {
    let produces = bundle
        .bundle
        .members
        .iter()
        .find(|m| m.item_code == case.item_code)
        .map(|m| m.produces.clone());
    if produces.as_ref().is_none_or(Vec::is_empty) {
        return Ok(());
    }
    let guides = member_guides(tx, members).await?;
    let date = clock::today_beijing();
    for material in merged_materials(&bundle.bundle, &bundle.answers, &guides)
        .into_iter()
        .filter(|m| m.provided_by.as_deref() == Some(case.item_code.as_str()))
    {
        let number = case.number.as_deref().unwrap_or("");
        let mut lines = vec![
            format!("材料：{}", material.name),
            format!("核发事项：{}（受理编号 {number}）", case.item_name),
            format!("核发日期：{date}"),
        ];
        if let Some(name) = bundle.form.get("company_name").filter(|n| !n.is_empty()) {
            lines.push(format!("企业名称：{name}"));
        }
        if let Some(uscc) = &bundle.uscc {
            lines.push(format!("统一社会信用代码：{uscc}"));
        }
        lines.push(format!(
            "由“{}”（受理编号 {}）自动共享，供后续事项审核使用。",
            bundle.bundle.name,
            bundle.number.as_deref().unwrap_or("")
        ));
        lines.push("示范数据，不具法律效力。".into());
        let pdf = pdf::document(&format!("{}（电子证照）", material.name), &lines);
        let file = files::store_generated(
            state,
            &pdf,
            &format!("{}（电子证照）.pdf", material.name),
            now,
        )
        .await?;
        for user in members
            .iter()
            .filter(|m| m.is_held() && material.used_by.contains(&m.item_code))
        {
            files::attach(
                tx,
                files::Owner::Case(&user.id),
                &material.material_id,
                &files::stored(&file),
                now,
            )
            .await?;
            let detail = format!(
                "{}由“{}”（受理编号 {number}）办结后自动提供，无需提交",
                material.name, case.item_name
            );
            case_store::add_event(&mut *tx, &user.id, SYSTEM, "电子证照共享", Some(&detail))
                .await?;
        }
    }
    Ok(())
}

/// A rejected or withdrawn member ends the held members that wait for it (directly or through
/// others): they could never be released, and the bundle could never end.
async fn stop_dependents(
    tx: &mut AnyConnection,
    bundle: &BundleCaseRow,
    case: &CaseRow,
    members: &[CaseRow],
    to: CaseStatus,
    address: &str,
) -> AppResult<()> {
    let mut ended = vec![case.item_code.clone()];
    loop {
        let mut more = false;
        for held in members.iter().filter(|m| m.is_held()) {
            if ended.contains(&held.item_code) {
                continue;
            }
            let waits_for_ended = bundle
                .bundle
                .members
                .iter()
                .find(|m| m.item_code == held.item_code)
                .is_some_and(|m| m.after.iter().any(|a| ended.contains(a)));
            if !waits_for_ended {
                continue;
            }
            ended.push(held.item_code.clone());
            more = true;
            if !case_store::change_status(tx, &held.id, CaseStatus::Draft, CaseStatus::Withdrawn)
                .await?
            {
                continue;
            }
            let detail = format!(
                "前置事项“{}”{}，本事项无法继续办理；如仍需办理，请单独申请",
                case.item_name,
                to.label()
            );
            let message = format!(
                "您在“{}”中申请的“{}”因{detail}。",
                bundle.bundle.name, held.item_name
            );
            Record {
                case_id: &held.id,
                timeline_actor: SYSTEM,
                title: "前置事项未办成，自动终止",
                detail: Some(&detail),
                audit_actor: SYSTEM,
                audit_action: "自动终止",
                audit_detail: &detail,
                message: Some((&held.applicant_id, &message)),
            }
            .write(tx, address)
            .await?;
        }
        if !more {
            return Ok(());
        }
    }
}

/// Brings the held members up to date: issued values into their forms, `waiting_for` to the
/// predecessors still unapproved, and submits those with none left.
async fn move_on(
    state: &AppState,
    tx: &mut AnyConnection,
    bundle: &BundleCaseRow,
    members: &[CaseRow],
    today: Date,
    now: &str,
    address: &str,
) -> AppResult<()> {
    let approved: Vec<String> = members
        .iter()
        .filter(|m| matches!(m.status, CaseStatus::Approved | CaseStatus::Completed))
        .map(|m| m.item_code.clone())
        .collect();
    let ready: Vec<String> = ready_members(&bundle.bundle, &bundle.answers, &approved)
        .iter()
        .map(|m| m.item_code.clone())
        .collect();
    let included: Vec<String> = members_for(&bundle.bundle, &bundle.answers)
        .iter()
        .map(|m| m.item_code.clone())
        .collect();
    let fanned = member_form_values(&bundle.bundle, &bundle.form);
    for held in members.iter().filter(|m| m.is_held()) {
        let mut form = held.form.clone();
        if let Some(values) = fanned.get(&held.item_code) {
            form.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if ready.contains(&held.item_code) {
            release(state, tx, bundle, held, &form, today, now, address).await?;
        } else {
            let waiting: Vec<String> = bundle
                .bundle
                .members
                .iter()
                .find(|m| m.item_code == held.item_code)
                .map(|m| {
                    m.after
                        .iter()
                        .filter(|a| included.contains(a) && !approved.contains(a))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            sqlx::query(
                "UPDATE cases SET form = $2, waiting_for = $3 WHERE id = $1 AND status = 'draft'",
            )
            .bind(&held.id)
            .bind(case_store::to_json(&form)?)
            .bind(case_store::to_json(&waiting)?)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// Submits a held member into its department's queue: “前置事项已办结，自动提交”.
#[allow(clippy::too_many_arguments)]
async fn release(
    state: &AppState,
    tx: &mut AnyConnection,
    bundle: &BundleCaseRow,
    held: &CaseRow,
    form: &BTreeMap<String, String>,
    today: Date,
    now: &str,
    address: &str,
) -> AppResult<()> {
    if !case_store::change_status(tx, &held.id, CaseStatus::Draft, CaseStatus::Submitted).await? {
        return Ok(());
    }
    let row = sqlx::query("SELECT guide FROM cases WHERE id = $1")
        .bind(&held.id)
        .fetch_one(&mut *tx)
        .await?;
    let guide: ItemGuide = case_store::from_json(&row.try_get::<String, _>("guide")?)?;
    let number = case_store::next_number(tx, today).await?;
    let (due_date, due_words) = due(&state.calendar(), now, guide.promised_days);
    sqlx::query(
        "UPDATE cases SET number = $2, due_date = $3, submitted_at = $4, form = $5, applicant_name = $6, waiting_for = NULL \
         WHERE id = $1",
    )
    .bind(&held.id)
    .bind(&number)
    .bind(&due_date)
    .bind(now)
    .bind(case_store::to_json(form)?)
    .bind(applicant_name(form).unwrap_or(""))
    .execute(&mut *tx)
    .await?;
    // The generated application forms again, now with the issued values (统一社会信用代码 …).
    let bundle_number = bundle.number.as_deref().unwrap_or("");
    attach_application_forms(
        state,
        tx,
        &bundle.bundle,
        bundle_number,
        &held.id,
        &guide,
        &held.answers,
        form,
        now,
    )
    .await?;
    let detail = format!("受理编号 {number}，{due_words}");
    let message = format!(
        "您在“{}”中申请的“{}”，前置事项已办结，系统已自动提交，受理编号 {number}，{due_words}。",
        bundle.bundle.name, held.item_name
    );
    Record {
        case_id: &held.id,
        timeline_actor: SYSTEM,
        title: "前置事项已办结，自动提交",
        detail: Some(&detail),
        audit_actor: SYSTEM,
        audit_action: "自动提交",
        audit_detail: &detail,
        message: Some((&held.applicant_id, &message)),
    }
    .write(tx, address)
    .await
}
