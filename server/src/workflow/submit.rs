//! Submission of a checked case or bundle application, idempotent by its `Idempotency-Key`
//! ([`super::idempotency`]): the 受理编号, due date, status, key, timeline, audit entry and
//! message in one transaction. The routes check everything before and call these.

use std::collections::BTreeMap;

use app::api::{BundleSubmitted, CaseStatus, Submitted};
use app::rules::date::Date;

use super::bundle_store::{BundleCaseRow, BundleUpload};
use super::case_store::{self, CaseRow};
use super::idempotency::{self, Earlier, Target};
use super::members::{self, FanOut, MemberPlan};
use super::{changed_meanwhile, Record, APPLICANT};
use crate::audit;
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::AppState;

/// Who submits, and with which key.
pub struct Submitter<'a> {
    pub applicant_id: &'a str,
    /// As the audit log names them.
    pub actor: &'a str,
    pub key: &'a str,
    pub address: &'a str,
}

/// The answer of an earlier submission of case `case_id` with the same key (409 when the key
/// was used for another one).
pub async fn earlier_case(
    db: &Db,
    applicant_id: &str,
    key: &str,
    case_id: &str,
) -> AppResult<Option<Submitted>> {
    Ok(
        idempotency::earlier(db, Target::Case, applicant_id, key, case_id)
            .await?
            .map(|e| Submitted {
                id: e.target_id,
                number: e.number,
                due_date: e.due_date,
            }),
    )
}

/// Submits (or resubmits, after 补正) a checked case: `to` is the state machine's answer for
/// the submission, `clean` the validated form and `name` the applicant's name in it.
pub async fn case(
    state: &AppState,
    who: &Submitter<'_>,
    case: &CaseRow,
    to: CaseStatus,
    clean: &BTreeMap<String, String>,
    name: &str,
    promised_days: u32,
) -> AppResult<Submitted> {
    let db = &state.db;
    let id = &case.id;
    let now_secs = state.clock.now_unix();
    let today = Date::from_unix_seconds_beijing(now_secs);
    let now = clock::rfc3339(now_secs);
    // Promised days count from the 受理日: after hours or on a rest day, the next working day.
    let (due_date, due_words) = members::due(&state.calendar(), &now, promised_days);

    let mut tx = db.pool.begin().await?;
    // A submission changes no other member of a bundle (held members are not the applicant's
    // to submit), so it takes no bundle hooks.
    if !case_store::change_status(&mut tx, id, case.status, to).await? {
        drop(tx);
        // A simultaneous retry with the same key may have won the race.
        return match earlier_case(db, who.applicant_id, who.key, id).await? {
            Some(answer) => Ok(answer),
            None => Err(changed_meanwhile()),
        };
    }
    let number = match &case.number {
        Some(n) => n.clone(),
        None => case_store::next_number(&mut tx, today).await?,
    };
    // The case keeps the guide it was filed under; a case older than catalog versions is
    // recorded under the version published now.
    sqlx::query(
        "UPDATE cases SET number = $2, due_date = $3, submitted_at = $4, form = $5, applicant_name = $6, \
         guide_version = COALESCE(guide_version, (SELECT i.version FROM items i WHERE i.code = cases.item_code)) \
         WHERE id = $1",
    )
    .bind(id)
    .bind(&number)
    .bind(&due_date)
    .bind(&now)
    .bind(case_store::to_json(clean)?)
    .bind(name)
    .execute(&mut *tx)
    .await?;
    let first = Earlier {
        target_id: id.clone(),
        number,
        due_date,
    };
    idempotency::remember(
        &mut tx,
        Target::Case,
        who.applicant_id,
        who.key,
        &first,
        &now,
    )
    .await?;
    let number = &first.number;
    let resubmission = case.status == CaseStatus::Returned;
    let title = if resubmission {
        "补正后重新提交"
    } else {
        "提交申请"
    };
    let message =
        format!(
        "您的“{}”申请已{}，受理编号 {number}，{due_words}。可凭受理编号和手机号后四位查询进度。",
        case.item_name,
        if resubmission { "重新提交" } else { "提交" }
    );
    Record {
        case_id: id,
        timeline_actor: APPLICANT,
        title,
        detail: Some(&format!("受理编号 {number}，{due_words}")),
        audit_actor: who.actor,
        audit_action: title,
        audit_detail: &format!("受理编号 {number}"),
        message: Some((who.applicant_id, &message)),
    }
    .write(&mut tx, who.address)
    .await?;
    tx.commit().await?;
    super::notices::status_changed(state, id).await;
    Ok(Submitted {
        id: first.target_id,
        number: first.number,
        due_date: first.due_date,
    })
}

/// The answer of an earlier submission of bundle application `id` with the same key (409 when
/// the key was used for another one).
pub async fn earlier_bundle(
    db: &Db,
    applicant_id: &str,
    key: &str,
    id: &str,
) -> AppResult<Option<BundleSubmitted>> {
    let Some(e) = idempotency::earlier(db, Target::Bundle, applicant_id, key, id).await? else {
        return Ok(None);
    };
    let cases = case_store::of_bundle(&db.pool, id).await?;
    Ok(Some(BundleSubmitted {
        number: e.number,
        cases: members::bundle_cases(&cases),
    }))
}

/// Submits a checked bundle application: the bundle's 受理编号 and one case per planned member
/// ([`members::create_member_case`]); `form` is the bundle form to keep (clean values folded
/// in), `uploads` its current uploads.
pub async fn bundle(
    state: &AppState,
    who: &Submitter<'_>,
    row: &BundleCaseRow,
    plans: &[MemberPlan<'_>],
    form: &BTreeMap<String, String>,
    uploads: &[BundleUpload],
) -> AppResult<BundleSubmitted> {
    let db = &state.db;
    let id = &row.id;
    let bundle = &row.bundle;
    let now_secs = state.clock.now_unix();
    let today = Date::from_unix_seconds_beijing(now_secs);
    let now = clock::rfc3339(now_secs);
    let mut tx = db.pool.begin().await?;
    let claimed = sqlx::query("UPDATE bundle_cases SET status = 'submitted', updated_at = $2 WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .bind(&now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if claimed == 0 {
        drop(tx);
        // A simultaneous retry with the same key may have won the race.
        return match earlier_bundle(db, who.applicant_id, who.key, id).await? {
            Some(answer) => Ok(answer),
            None => Err(changed_meanwhile()),
        };
    }
    let number = case_store::next_number(&mut tx, today).await?;
    let fan = FanOut {
        bundle: row,
        bundle_number: &number,
        applicant_id: who.applicant_id,
        actor: who.actor,
        address: who.address,
        uploads,
        today,
        now: &now,
    };
    let mut cases = Vec::new();
    for plan in plans {
        cases.push(members::create_member_case(state, &mut tx, &fan, plan).await?);
    }
    sqlx::query(
        "UPDATE bundle_cases SET number = $2, form = $3, submitted_at = $4, hours_started_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(&number)
    .bind(case_store::to_json(form)?)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let first = Earlier {
        target_id: id.clone(),
        number,
        due_date: None,
    };
    idempotency::remember(
        &mut tx,
        Target::Bundle,
        who.applicant_id,
        who.key,
        &first,
        &now,
    )
    .await?;
    let number = first.number;
    let started = cases.iter().filter(|c| c.number.is_some()).count();
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: who.actor,
            action: "提交一件事",
            detail: &format!(
                "{} 受理编号 {number}：{} 个事项，{started} 个已送达部门",
                bundle.name,
                cases.len()
            ),
            case_id: Some(id),
            address: who.address,
        },
    )
    .await?;
    if let Some(first) = cases.first() {
        let waiting = cases.len() - started;
        case_store::add_message(
            &mut *tx,
            who.applicant_id,
            &first.case_id,
            &format!(
                "您的“{}”已一次提交，受理编号 {number}，共 {} 个事项：{started} 个已送达相关部门{}。可在“我的一件事”查看各事项进度。",
                bundle.name,
                cases.len(),
                if waiting > 0 { format!("，{waiting} 个将在前置事项办结后自动提交") } else { String::new() }
            ),
        )
        .await?;
    }
    tx.commit().await?;
    for case in cases.iter().filter(|c| c.number.is_some()) {
        super::notices::status_changed(state, &case.case_id).await;
    }
    Ok(BundleSubmitted { number, cases })
}
