//! The applicant's side: start a draft, autosave it, submit (idempotently), withdraw, list.

use std::collections::BTreeMap;

use app::api::{
    CaseAction, CaseDetail, CaseList, CaseStatus, DraftUpdate, FieldKind, ItemGuide,
    NewApplication, OnlineLevel, Submitted, Verdict,
};
use app::rules::case_flow::{next_status, Actor};
use app::rules::form::{applicant_name, form_for, validate_form};
use app::rules::tailor::{tailor, valid_answers};
use app::rules::date::Date;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use sqlx::Row;

use super::store::{self, CaseRow};
use super::view::{self, Viewer};
use crate::audit;
use crate::auth::{Applicant, ApplicantUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::secrets;
use crate::AppState;

/// Longest value kept for one form field (the longest valid one, 补充说明, is 2000).
const MAX_VALUE_CHARS: usize = 4000;
const MAX_OPEN_DRAFTS: i64 = 50;
pub const APPLICANT: &str = "申请人";

pub fn not_found() -> AppError {
    AppError::not_found("没有找到该办件，请从“我的办件”重新进入")
}

/// The case if it belongs to `user`; the same 404 as for a case that does not exist, so ids
/// of other people's cases cannot be probed.
pub async fn owned(db: &Db, user: &ApplicantUser, id: &str) -> AppResult<CaseRow> {
    store::find(db, id)
        .await?
        .filter(|c| c.applicant_id == user.id)
        .ok_or_else(not_found)
}

/// 409 with the state machine's own explanation.
pub fn transition(from: CaseStatus, action: CaseAction, actor: Actor) -> AppResult<CaseStatus> {
    next_status(from, action, actor)
        .map_err(|e| AppError::conflict("invalid_transition", e.message))
}

/// A bundle member waiting for its predecessors is submitted by the system when they are
/// approved; until then the applicant cannot change or submit it.
pub fn ensure_not_held(case: &CaseRow) -> AppResult<()> {
    if case.is_held() {
        Err(AppError::conflict(
            "waiting_for_predecessor",
            format!(
                "该事项属于“一件事一次办”，需等待前置事项（{}）办结后由系统自动提交，暂不能修改或提交",
                case.waiting_for.join("、")
            ),
        ))
    } else {
        Ok(())
    }
}

/// Only drafts and returned cases can be edited or given new files.
pub fn ensure_editable(status: CaseStatus) -> AppResult<()> {
    if matches!(status, CaseStatus::Draft | CaseStatus::Returned) {
        Ok(())
    } else {
        Err(AppError::conflict(
            "invalid_state",
            format!(
                "办件当前状态为“{}”，不能再修改申请内容或材料",
                status.label()
            ),
        ))
    }
}

async fn detail_response(state: &AppState, case_id: &str) -> AppResult<Json<CaseDetail>> {
    let case = store::find(&state.db, case_id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(
        view::detail(
            &state.db,
            &state.calendar,
            &case,
            Viewer::Owner,
            clock::today_beijing(),
        )
        .await?,
    ))
}

/// Starts a draft application (草稿) for an item that can be applied for online.
#[utoipa::path(post, path = "/api/applications", tag = "网上申请",
    request_body = NewApplication,
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError, description = "没有这个事项"),
        (status = 422, body = app::api::ApiError, description = "该事项暂不支持网上申请，或需以企业身份登录"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<NewApplication>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let code = request.item_code.trim();
    let row = sqlx::query(
        "SELECT i.guide, d.name AS department_name FROM items i JOIN departments d ON d.code = i.department_code \
         WHERE i.code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::not_found(format!("没有找到编码为 {code} 的事项，请核对事项编码或重新搜索")))?;
    let guide: ItemGuide = store::from_json(&row.try_get::<String, _>("guide")?)?;
    if guide.online_level < OnlineLevel::PreReview {
        return Err(AppError::unprocessable(
            "not_online",
            "该事项暂不支持网上申请，请到窗口办理",
        ));
    }
    // A business item asks for the business's code — except one setting a business up
    // (企业设立登记), whose form has no code to ask for yet.
    let asks_uscc = form_for(&guide).iter().any(|f| f.kind == FieldKind::Uscc);
    if guide.audience == app::api::Audience::Business && user.uscc.is_none() && asks_uscc {
        return Err(AppError::unprocessable(
            "business_sign_in_required",
            "该事项由企业（法人）申请，请退出后填写统一社会信用代码，以企业身份登录再申请",
        ));
    }
    let drafts =
        sqlx::query("SELECT COUNT(*) AS n FROM cases WHERE applicant_id = $1 AND status = 'draft'")
            .bind(&user.id)
            .fetch_one(&db.pool)
            .await?
            .try_get::<i64, _>("n")?;
    if drafts >= MAX_OPEN_DRAFTS {
        return Err(AppError::conflict(
            "too_many_drafts",
            format!("您已有 {drafts} 份未提交的草稿，请先提交或撤回部分草稿再新建"),
        ));
    }

    // Prefill what the sign-in already proves: the mobile number and the business code.
    let mut form = BTreeMap::new();
    for field in form_for(&guide) {
        let known = match field.kind {
            FieldKind::Mobile => Some(user.phone.clone()),
            FieldKind::Uscc => user.uscc.clone(),
            _ => None,
        };
        if let Some(value) = known {
            form.insert(field.id, value);
        }
    }
    let answers = valid_answers(&guide, &request.answers);
    let id = secrets::new_id();
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO cases (id, applicant_id, item_code, item_name, department_code, department_name, guide, status, \
         form, answers, applicant_name, created_at, updated_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, '', $10, $10, $11)",
    )
    .bind(&id)
    .bind(&user.id)
    .bind(&guide.code)
    .bind(&guide.name)
    .bind(&guide.department)
    .bind(row.try_get::<String, _>("department_name")?)
    .bind(store::to_json(&guide)?)
    .bind(store::to_json(&form)?)
    .bind(store::to_json(&answers)?)
    .bind(&now)
    .bind(clock::next_seq())
    .execute(&mut *tx)
    .await?;
    store::add_event(&mut *tx, &id, APPLICANT, "创建申请草稿", None).await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: "创建草稿",
            detail: &format!("{} {}", guide.code, guide.name),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    detail_response(&state, &id).await
}

/// My applications (我的办件), newest first.
#[utoipa::path(get, path = "/api/applications", tag = "网上申请",
    responses((status = 200, body = CaseList), (status = 401, body = app::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Applicant(user): Applicant,
) -> AppResult<Json<CaseList>> {
    let today = clock::today_beijing();
    let cases = store::of_applicant(&state.db, &user.id).await?;
    Ok(Json(CaseList {
        cases: cases
            .iter()
            .map(|c| view::summary(c, &state.calendar, today))
            .collect(),
    }))
}

/// One of my applications in full.
#[utoipa::path(get, path = "/api/applications/{id}", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    responses((status = 200, body = CaseDetail), (status = 401, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn get_one(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    let case = owned(&state.db, &user, &id).await?;
    Ok(Json(
        view::detail(
            &state.db,
            &state.calendar,
            &case,
            Viewer::Owner,
            clock::today_beijing(),
        )
        .await?,
    ))
}

/// Autosaves a draft (or a returned case being corrected). Values are kept as typed — even
/// invalid ones — so nothing a person typed is lost; they are checked on submission.
#[utoipa::path(put, path = "/api/applications/{id}", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    request_body = DraftUpdate,
    responses(
        (status = 200, body = CaseDetail),
        (status = 400, body = app::api::ApiError, description = "内容过长"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "办件已提交，不能修改"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<DraftUpdate>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let case = owned(db, &user, &id).await?;
    ensure_editable(case.status)?;
    ensure_not_held(&case)?;
    let guide = store::guide(db, &id).await?;
    let mut form = BTreeMap::new();
    let mut too_long = BTreeMap::new();
    // Only the form's own fields are kept: that also bounds what a client can store.
    for field in form_for(&guide) {
        if let Some(value) = update.form.get(&field.id) {
            if value.chars().count() > MAX_VALUE_CHARS {
                too_long.insert(
                    field.id.clone(),
                    format!("{}内容过长，最多 {MAX_VALUE_CHARS} 个字", field.label),
                );
            } else {
                form.insert(field.id, value.clone());
            }
        }
    }
    if !too_long.is_empty() {
        return Err(AppError::fields(too_long));
    }
    let answers = valid_answers(&guide, &update.answers);
    let done = sqlx::query(
        "UPDATE cases SET form = $2, answers = $3, updated_at = $4 WHERE id = $1 AND status IN ('draft', 'returned')",
    )
    .bind(&id)
    .bind(store::to_json(&form)?)
    .bind(store::to_json(&answers)?)
    .bind(clock::now_text())
    .execute(&db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        let now = store::find(db, &id).await?.ok_or_else(not_found)?;
        ensure_editable(now.status)?;
    }
    detail_response(&state, &id).await
}

/// Withdraws (撤回) a draft, a submitted case or a returned one.
#[utoipa::path(post, path = "/api/applications/{id}/withdraw", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    responses((status = 200, body = CaseDetail), (status = 404, body = app::api::ApiError), (status = 409, body = app::api::ApiError)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let case = owned(db, &user, &id).await?;
    let to = transition(case.status, CaseAction::Withdraw, Actor::Applicant)?;
    let mut tx = db.pool.begin().await?;
    // Bundle first, then case: the same lock order as every other change to a bundle member.
    crate::bundles::flow::lock_bundle(&mut tx, &case).await?;
    if !store::change_status(&mut tx, &id, case.status, to).await? {
        return Err(changed_meanwhile());
    }
    store::add_event(&mut *tx, &id, APPLICANT, "撤回申请", None).await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: "撤回申请",
            detail: case.status.label(),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    if let Some(number) = &case.number {
        store::add_message(
            &mut *tx,
            &user.id,
            &id,
            &format!("您已撤回“{}”的申请（受理编号 {number}）。", case.item_name),
        )
        .await?;
    }
    // A bundle member: the members waiting for it end too, and the bundle may be over.
    crate::bundles::flow::member_changed(&state, &mut tx, &case, to, &address).await?;
    tx.commit().await?;
    detail_response(&state, &id).await
}

pub fn changed_meanwhile() -> AppError {
    AppError::conflict("invalid_transition", "办件状态刚刚发生了变化，请刷新后重试")
}

/// The `Idempotency-Key` header: required, 8–100 visible ASCII characters.
pub(crate) fn idempotency_key(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if !(8..=100).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_param(
            "Idempotency-Key",
            "提交申请需要 Idempotency-Key 请求头（8–100 个字符，每次新的提交使用新的值）",
        ));
    }
    Ok(key.to_string())
}

async fn earlier_submission(
    db: &Db,
    applicant_id: &str,
    key: &str,
) -> AppResult<Option<(String, Submitted)>> {
    let row = sqlx::query(
        "SELECT case_id, number, due_date FROM case_submissions WHERE applicant_id = $1 AND idempotency_key = $2",
    )
    .bind(applicant_id)
    .bind(key)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        let case_id: String = r.try_get("case_id")?;
        Ok((
            case_id.clone(),
            Submitted {
                id: case_id,
                number: r.try_get("number")?,
                due_date: r.try_get("due_date")?,
            },
        ))
    })
    .transpose()
}

/// Every problem that stops a submission, by field id: form fields, and materials
/// (`material:<id>`). A material that depends on an unanswered 情形 question counts as needed —
/// better one upload too many than a wasted trip — and its message says how to settle it.
fn submission_problems(
    guide: &ItemGuide,
    case: &CaseRow,
    uploaded: &std::collections::HashSet<String>,
    rejected: &std::collections::HashSet<String>,
) -> Result<BTreeMap<String, String>, BTreeMap<String, String>> {
    let (clean, mut problems) =
        match validate_form(&form_for(guide), &case.form, clock::today_beijing()) {
            Ok(clean) => (clean, BTreeMap::new()),
            Err(errors) => (BTreeMap::new(), errors),
        };
    for shown in tailor(guide, &case.answers).materials {
        let m = &shown.item;
        let key = format!("material:{}", m.id);
        if rejected.contains(&m.id) {
            problems.insert(key, format!("请按一次性告知书重新上传：{}", m.name));
        } else if !m.tolerance && !uploaded.contains(&m.id) {
            let mut message = format!("请上传：{}", m.name);
            let open = guide
                .situations
                .iter()
                .filter(|s| m.when.contains_key(&s.id) && !case.answers.contains_key(&s.id));
            for situation in open {
                message.push_str(&format!("（如不需要，请先回答“{}”）", situation.question));
            }
            problems.insert(key, message);
        }
    }
    if problems.is_empty() {
        Ok(clean)
    } else {
        Err(problems)
    }
}

/// Submits a draft, or resubmits a corrected case, with an `Idempotency-Key` header.
///
/// Everything is checked first (every bad field and missing material is named at once); then
/// the 受理编号, due date, status, timeline, audit entry and message are written in one
/// transaction. Repeating a request with the same key returns the first answer unchanged.
#[utoipa::path(post, path = "/api/applications/{id}/submit", tag = "网上申请",
    params(
        ("id" = String, Path, description = "办件 id"),
        ("Idempotency-Key" = String, Header, description = "8–100 个字符；重试时使用同一值"),
    ),
    responses(
        (status = 200, body = Submitted),
        (status = 400, body = app::api::ApiError, description = "表单或材料有误，fields 逐项列出"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "办件当前状态不能提交"),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Json<Submitted>> {
    let db = &state.db;
    let key = idempotency_key(&headers)?;
    let case = owned(db, &user, &id).await?;
    if let Some(answer) = repeated(db, &user, &key, &id).await? {
        return Ok(Json(answer));
    }
    ensure_not_held(&case)?;
    let to = transition(case.status, CaseAction::Submit, Actor::Applicant)?;

    let guide = store::guide(db, &id).await?;
    let uploads = store::uploads(db, &id).await?;
    let uploaded = uploads
        .iter()
        .filter(|(_, list)| list.iter().any(|u| u.current))
        .map(|(m, _)| m.clone())
        .collect();
    let reviews = store::reviews(db, &id).await?;
    let rejected = reviews
        .iter()
        .filter(|(_, r)| r.verdict == Verdict::Rejected)
        .map(|(m, _)| m.clone())
        .collect();
    let clean =
        submission_problems(&guide, &case, &uploaded, &rejected).map_err(AppError::fields)?;

    let now_secs = state.clock.now_unix();
    let today = Date::from_unix_seconds_beijing(now_secs);
    let now = clock::rfc3339(now_secs);
    // Promised days count from the 受理日: after hours or on a rest day, the next working day.
    let (due_date, due_words) = crate::bundles::flow::due(&state.calendar, &now, guide.promised_days);
    let name = applicant_name(&clean).unwrap_or("").to_string();

    let mut tx = db.pool.begin().await?;
    if !store::change_status(&mut tx, &id, case.status, to).await? {
        drop(tx);
        // A simultaneous retry with the same key may have won the race.
        return match repeated(db, &user, &key, &id).await? {
            Some(answer) => Ok(Json(answer)),
            None => Err(changed_meanwhile()),
        };
    }
    let number = match &case.number {
        Some(n) => n.clone(),
        None => store::next_number(&mut tx, today).await?,
    };
    sqlx::query(
        "UPDATE cases SET number = $2, due_date = $3, submitted_at = $4, form = $5, applicant_name = $6 WHERE id = $1",
    )
    .bind(&id)
    .bind(&number)
    .bind(&due_date)
    .bind(&now)
    .bind(store::to_json(&clean)?)
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO case_submissions (applicant_id, idempotency_key, case_id, number, due_date, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&user.id)
    .bind(&key)
    .bind(&id)
    .bind(&number)
    .bind(&due_date)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let resubmission = case.status == CaseStatus::Returned;
    let title = if resubmission {
        "补正后重新提交"
    } else {
        "提交申请"
    };
    store::add_event(
        &mut *tx,
        &id,
        APPLICANT,
        title,
        Some(&format!("受理编号 {number}，{due_words}")),
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: title,
            detail: &format!("受理编号 {number}"),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    store::add_message(
        &mut *tx,
        &user.id,
        &id,
        &format!(
            "您的“{}”申请已{}，受理编号 {number}，{due_words}。可凭受理编号和手机号后四位查询进度。",
            case.item_name,
            if resubmission { "重新提交" } else { "提交" }
        ),
    )
    .await?;
    tx.commit().await?;
    super::sms_notices::status_changed(&state, &id).await;
    Ok(Json(Submitted {
        id,
        number,
        due_date,
    }))
}

/// The stored answer of an earlier submission with the same key; 409 when the key was used
/// for another case.
async fn repeated(
    db: &Db,
    user: &ApplicantUser,
    key: &str,
    case_id: &str,
) -> AppResult<Option<Submitted>> {
    match earlier_submission(db, &user.id, key).await? {
        Some((earlier, answer)) if earlier == case_id => Ok(Some(answer)),
        Some(_) => Err(AppError::conflict(
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一件申请，请为每次提交使用新的值",
        )),
        None => Ok(None),
    }
}
