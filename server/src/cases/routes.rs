//! The applicant's side: start a draft, autosave it, submit (idempotently), withdraw, list.

use std::collections::BTreeMap;

use app::api::{
    CaseAction, CaseDetail, CaseList, DraftUpdate, FieldKind, ItemGuide, NewApplication,
    OnlineLevel, Submitted, Verdict,
};
use app::rules::case_flow::Actor;
use app::rules::form::{applicant_name, check_length, form_for, validate_form};
use app::rules::tailor::{tailor, valid_answers};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use sqlx::Row;

use super::store::{self, CaseRow};
use super::view::{self, Viewer};
use crate::auth::{Applicant, ApplicantUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::secrets;
use crate::workflow::submit::{self, Submitter};
use crate::workflow::{self, ensure_editable, ensure_not_held, Change, Record, APPLICANT};
use crate::workflow::{fetched, idempotency};
use crate::AppState;

const MAX_OPEN_DRAFTS: i64 = 50;

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

async fn detail_response(state: &AppState, case_id: &str) -> AppResult<Json<CaseDetail>> {
    let case = store::find(&state.db, case_id)
        .await?
        .ok_or_else(not_found)?;
    owner_view(state, &case).await
}

/// The case as its applicant sees it.
async fn owner_view(state: &AppState, case: &CaseRow) -> AppResult<Json<CaseDetail>> {
    let today = clock::today_beijing();
    let detail = view::detail(&state.db, &state.calendar(), case, Viewer::Owner, today).await?;
    Ok(Json(detail))
}

/// Starts a draft application (草稿) for an item that can be applied for online, or reopens
/// the applicant's draft of that item when there is one (same id, fields and uploads).
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
        "SELECT i.guide, i.version, d.name AS department_name FROM items i JOIN departments d ON d.code = i.department_code \
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
    // 在线申请 again for the same item reopens the draft already started (its fields, answers
    // and uploads), rather than starting a second one; answers given now replace the saved ones.
    let existing = sqlx::query(
        "SELECT id FROM cases WHERE applicant_id = $1 AND item_code = $2 AND status = 'draft' \
         AND bundle_case_id IS NULL AND demo = 0 ORDER BY updated_at DESC, seq DESC LIMIT 1",
    )
    .bind(&user.id)
    .bind(&guide.code)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(existing) = existing {
        let id: String = existing.try_get("id")?;
        let answers = valid_answers(&store::guide(db, &id).await?, &request.answers);
        if !answers.is_empty() {
            sqlx::query(
                "UPDATE cases SET answers = $2, updated_at = $3 WHERE id = $1 AND status = 'draft'",
            )
            .bind(&id)
            .bind(store::to_json(&answers)?)
            .bind(clock::now_text())
            .execute(&db.pool)
            .await?;
        }
        return detail_response(&state, &id).await;
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
         form, answers, applicant_name, created_at, updated_at, seq, guide_version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, '', $10, $10, $11, $12)",
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
    .bind(row.try_get::<i64, _>("version")?)
    .execute(&mut *tx)
    .await?;
    // 自动获取: a company of the district is never asked for its own 营业执照.
    if let Some(uscc) = &user.uscc {
        fetched::attach_licence(&state, &mut tx, &id, &guide, uscc, &now).await?;
    }
    Record {
        case_id: &id,
        timeline_actor: APPLICANT,
        title: "创建申请草稿",
        detail: None,
        audit_actor: &user.audit_name(),
        audit_action: "创建草稿",
        audit_detail: &format!("{} {}", guide.code, guide.name),
        message: None,
    }
    .write(&mut tx, &address)
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
        cases: view::summaries(&state.db, &state.calendar(), &cases, today).await?,
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
    owner_view(&state, &case).await
}

/// Autosaves a draft (or a returned case being corrected). Values are kept as typed — even
/// invalid ones — so nothing a person typed is lost; they are checked on submission.
#[utoipa::path(put, path = "/api/applications/{id}", tag = "网上申请",
    params(("id" = String, Path, description = "办件 id")),
    request_body = DraftUpdate,
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "办件已提交，不能修改"),
        (status = 422, body = app::api::ApiError, description = "内容超过该栏的字数上限，fields 指明哪一栏"),
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
    // Only the form's own fields are kept, each within the length the field itself allows
    // (`rules::form::max_chars`, the submission's limit too): that bounds what a client can store.
    for field in form_for(&guide) {
        if let Some(value) = update.form.get(&field.id) {
            match check_length(&field, value) {
                Ok(()) => {
                    form.insert(field.id, value.clone());
                }
                Err(error) => {
                    too_long.insert(field.id, error.message);
                }
            }
        }
    }
    if !too_long.is_empty() {
        return Err(AppError::invalid(too_long));
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
    responses((status = 200, body = CaseDetail),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"), (status = 404, body = app::api::ApiError), (status = 409, body = app::api::ApiError)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let case = owned(db, &user, &id).await?;
    let to = workflow::next(case.status, CaseAction::Withdraw, Actor::Applicant)?;
    let mut tx = db.pool.begin().await?;
    let change = Change::start(&mut tx, &case, to).await?;
    let message = case
        .number
        .as_ref()
        .map(|number| format!("您已撤回“{}”的申请（受理编号 {number}）。", case.item_name));
    let record = Record {
        case_id: &id,
        timeline_actor: APPLICANT,
        title: "撤回申请",
        detail: None,
        audit_actor: &user.audit_name(),
        audit_action: "撤回申请",
        audit_detail: case.status.label(),
        message: message.as_deref().map(|m| (user.id.as_str(), m)),
    };
    // A bundle member: the members waiting for it end too, and the bundle may be over.
    change.finish(&state, &mut tx, record, &address).await?;
    tx.commit().await?;
    detail_response(&state, &id).await
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
        ("Idempotency-Key" = String, Header, min_length = 8, max_length = 100, description = "8–100 个字符；重试时使用同一值"),
    ),
    responses(
        (status = 200, body = Submitted),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
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
    let key = idempotency::key(&headers)?;
    let case = owned(db, &user, &id).await?;
    if let Some(answer) = submit::earlier_case(db, &user.id, &key, &id).await? {
        return Ok(Json(answer));
    }
    ensure_not_held(&case)?;
    let to = workflow::next(case.status, CaseAction::Submit, Actor::Applicant)?;

    let guide = store::guide(db, &id).await?;
    // 自动获取: what the government holds is attached now, with the form's facts, before the
    // materials are checked.
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    fetched::attach_system_records(
        &state,
        &mut tx,
        &id,
        &guide,
        &case.answers,
        &case.form,
        &now,
    )
    .await?;
    if let Some(uscc) = &user.uscc {
        fetched::attach_licence(&state, &mut tx, &id, &guide, uscc, &now).await?;
    }
    tx.commit().await?;
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

    let name = applicant_name(&clean).unwrap_or("");
    let who = Submitter {
        applicant_id: &user.id,
        actor: &user.audit_name(),
        key: &key,
        address: &address,
    };
    Ok(Json(
        submit::case(&state, &who, &case, to, &clean, name, guide.promised_days).await?,
    ))
}
