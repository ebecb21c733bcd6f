//! The applicant's side of a bundle: start a draft, autosave it, upload each material once,
//! submit once (idempotently) — which fans out into one case per member — and follow progress.

use std::collections::{BTreeMap, HashSet};

use app::api::{
    BundleApplication, BundleApplicationDetail, BundleApplicationList, BundleSubmitted, FieldKind,
    NameProblemKind, NewBundleApplication, UploadInfo,
};
use app::rules::bundle::{
    company_form_values, member_answers, member_form_values, members_for, merged_materials,
    needs_company_facts, open_questions, valid_bundle_answers, validate_bundle_form,
    validate_company,
};
use app::rules::company_name::check_name;
use app::rules::form::check_length;
use app::rules::tailor::valid_answers;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use sqlx::Row;

use super::store::{self, BundleCaseRow};
use super::{bundle_not_found, member_codes, view};
use crate::audit;
use crate::auth::{Applicant, ApplicantUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::secrets;
use crate::workflow::case_store;
use crate::workflow::files::{clean_file_name, record_upload, store_file, Owner, Stored};
use crate::workflow::members::{self, MemberPlan};
use crate::workflow::submit::{self, Submitter};
use crate::workflow::{changed_meanwhile, idempotency};
use crate::AppState;

const MAX_OPEN_DRAFTS: i64 = 20;
/// Longest value kept for one form field (as for single cases).
const MAX_SHAREHOLDERS: usize = 100;
const MAX_SCOPE_ENTRIES: usize = 100;

fn not_found() -> AppError {
    AppError::not_found("没有找到该“一件事”申请，请从“我的一件事”重新进入")
}

/// The application if it belongs to `user`; the same 404 as for one that does not exist.
async fn owned(db: &Db, user: &ApplicantUser, id: &str) -> AppResult<BundleCaseRow> {
    store::find(&db.pool, id)
        .await?
        .filter(|b| b.applicant_id == user.id)
        .ok_or_else(not_found)
}

fn ensure_draft(row: &BundleCaseRow) -> AppResult<()> {
    if row.is_draft() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "invalid_state",
            "该“一件事”已提交，不能再修改；需要补正的事项请在对应办件中修改后重新提交",
        ))
    }
}

async fn detail_response(state: &AppState, id: &str) -> AppResult<Json<BundleApplicationDetail>> {
    let row = store::find(&state.db.pool, id)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(view::detail(state, &row).await?))
}

/// Starts a bundle draft, or reopens the applicant's draft of that 一件事 when there is one.
/// Any signed-in applicant may apply: 企业开办 is for a company that does
/// not exist yet, so no business sign-in is asked.
#[utoipa::path(post, path = "/api/bundle-applications", tag = "一件事一次办",
    request_body = NewBundleApplication,
    responses(
        (status = 200, body = BundleApplicationDetail),
        (status = 401, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError, description = "没有这个“一件事”"),
        (status = 409, body = app::api::ApiError, description = "未提交的草稿过多"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<NewBundleApplication>,
) -> AppResult<Json<BundleApplicationDetail>> {
    let db = &state.db;
    let code = request.bundle_code.trim();
    let (bundle, _) = store::bundle(db, code)
        .await?
        .ok_or_else(|| bundle_not_found(code))?;
    // 在线申请 again reopens the draft of this 一件事 already started (fields, uploads), with
    // the answers given now, if any, instead of starting a second one.
    let existing = sqlx::query(
        "SELECT id FROM bundle_cases WHERE applicant_id = $1 AND bundle_code = $2 AND status = 'draft' \
         ORDER BY updated_at DESC, seq DESC LIMIT 1",
    )
    .bind(&user.id)
    .bind(&bundle.code)
    .fetch_optional(&db.pool)
    .await?;
    if let Some(existing) = existing {
        let id: String = existing.try_get("id")?;
        let row = store::find(&db.pool, &id).await?.ok_or_else(not_found)?;
        let answers = valid_bundle_answers(&row.bundle, &request.answers);
        if !answers.is_empty() {
            sqlx::query(
                "UPDATE bundle_cases SET answers = $2, updated_at = $3 WHERE id = $1 AND status = 'draft'",
            )
            .bind(&id)
            .bind(case_store::to_json(&answers)?)
            .bind(clock::now_text())
            .execute(&db.pool)
            .await?;
        }
        return detail_response(&state, &id).await;
    }
    let drafts = sqlx::query(
        "SELECT COUNT(*) AS n FROM bundle_cases WHERE applicant_id = $1 AND status = 'draft'",
    )
    .bind(&user.id)
    .fetch_one(&db.pool)
    .await?
    .try_get::<i64, _>("n")?;
    if drafts >= MAX_OPEN_DRAFTS {
        return Err(AppError::conflict(
            "too_many_drafts",
            format!("您已有 {drafts} 份未提交的“一件事”草稿，请先提交部分草稿再新建"),
        ));
    }
    // Prefill what the sign-in proves: the mobile number.
    let form: BTreeMap<String, String> = bundle
        .form
        .iter()
        .filter(|f| f.issued_by.is_empty() && f.spec.kind == FieldKind::Mobile)
        .map(|f| (f.spec.id.clone(), user.phone.clone()))
        .collect();
    let answers = valid_bundle_answers(&bundle, &request.answers);
    let id = secrets::new_id();
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO bundle_cases (id, bundle_code, bundle_name, bundle, applicant_id, status, answers, form, \
         created_at, updated_at, seq, bundle_version) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $8, $9, (SELECT version FROM bundles WHERE code = $2))",
    )
    .bind(&id)
    .bind(&bundle.code)
    .bind(&bundle.name)
    .bind(case_store::to_json(&bundle)?)
    .bind(&user.id)
    .bind(case_store::to_json(&answers)?)
    .bind(case_store::to_json(&form)?)
    .bind(&now)
    .bind(clock::next_seq())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: "创建一件事草稿",
            detail: &format!("{} {}", bundle.code, bundle.name),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    detail_response(&state, &id).await
}

/// My bundle applications, newest first.
#[utoipa::path(get, path = "/api/bundle-applications", tag = "一件事一次办",
    responses((status = 200, body = BundleApplicationList), (status = 401, body = app::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Applicant(user): Applicant,
) -> AppResult<Json<BundleApplicationList>> {
    let rows = store::of_applicant(&state.db, &user.id).await?;
    Ok(Json(view::summaries(&state, &rows, Some(&user.id)).await?))
}

/// One of my bundle applications: the draft, or the combined progress of its member cases
/// (each member's state and department, what it waits for, the one merged 一次性告知, the issued
/// 统一社会信用代码 and, for 企业开办, the working-hours clock).
#[utoipa::path(get, path = "/api/bundle-applications/{id}", tag = "一件事一次办",
    params(("id" = String, Path, description = "一件事申请 id")),
    responses((status = 200, body = BundleApplicationDetail), (status = 401, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn get_one(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
) -> AppResult<Json<BundleApplicationDetail>> {
    let row = owned(&state.db, &user, &id).await?;
    Ok(Json(view::detail(&state, &row).await?))
}

/// Autosaves a bundle draft: answers, the one form and the company facts, kept as typed (even
/// invalid values) and checked on submission.
#[utoipa::path(put, path = "/api/bundle-applications/{id}", tag = "一件事一次办",
    params(("id" = String, Path, description = "一件事申请 id")),
    request_body = BundleApplication,
    responses(
        (status = 200, body = BundleApplicationDetail),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 400, body = app::api::ApiError, description = "内容过长"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "已提交，不能修改"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<BundleApplication>,
) -> AppResult<Json<BundleApplicationDetail>> {
    let db = &state.db;
    let row = owned(db, &user, &id).await?;
    ensure_draft(&row)?;
    let mut form = BTreeMap::new();
    let mut errors = BTreeMap::new();
    // Only the bundle's own, asked fields are kept: that also bounds what a client can store.
    for field in row.bundle.form.iter().filter(|f| f.issued_by.is_empty()) {
        if let Some(value) = update.form.get(&field.spec.id) {
            match check_length(&field.spec, value) {
                Ok(()) => {
                    form.insert(field.spec.id.clone(), value.clone());
                }
                Err(error) => {
                    errors.insert(field.spec.id.clone(), error.message);
                }
            }
        }
    }
    if let Some(company) = &update.company {
        if company.shareholders.len() > MAX_SHAREHOLDERS {
            errors.insert(
                "shareholders".into(),
                format!("股东（出资人）最多填写 {MAX_SHAREHOLDERS} 位"),
            );
        }
        if company.business_scope.len() > MAX_SCOPE_ENTRIES {
            errors.insert(
                "business_scope".into(),
                format!("经营范围最多选择 {MAX_SCOPE_ENTRIES} 项"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let answers = valid_bundle_answers(&row.bundle, &update.answers);
    let company = update
        .company
        .as_ref()
        .map(case_store::to_json)
        .transpose()?;
    let done = sqlx::query(
        "UPDATE bundle_cases SET answers = $2, form = $3, company = $4, updated_at = $5 WHERE id = $1 AND status = 'draft'",
    )
    .bind(&id)
    .bind(case_store::to_json(&answers)?)
    .bind(case_store::to_json(&form)?)
    .bind(&company)
    .bind(clock::now_text())
    .execute(&db.pool)
    .await?
    .rows_affected();
    if done == 0 {
        ensure_draft(&store::find(&db.pool, &id).await?.ok_or_else(not_found)?)?;
    }
    detail_response(&state, &id).await
}

/// Uploads one material of the bundle's single set, once for every member that uses it. The
/// same streamed upload and content checks as single cases (PDF, JPG or PNG, at most 20 MB).
#[utoipa::path(put, path = "/api/bundle-applications/{id}/materials/{material_id}", tag = "一件事一次办",
    params(
        ("id" = String, Path, description = "一件事申请 id"),
        ("material_id" = String, Path, description = "材料 id，如 parents_id_cards"),
        ("name" = String, Query, min_length = 1, max_length = 400, description = "原文件名，如 身份证.pdf"),
    ),
    request_body(content(("application/octet-stream")), description = "文件内容，最大 20 MB"),
    responses(
        (status = 200, body = UploadInfo),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 404, body = app::api::ApiError, description = "没有该申请，或不需要这项材料"),
        (status = 409, body = app::api::ApiError, description = "已提交，不能上传"),
        (status = 413, body = app::api::ApiError, description = "文件超过 20 MB，或超过申请、申请人的上传总量（quota_exceeded）"),
        (status = 415, body = app::api::ApiError, description = "不是 PDF、JPG 或 PNG"),
        (status = 422, body = app::api::ApiError, description = "该材料由前一事项办结后自动提供，或文件个数已达上限（quota_exceeded）"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path((id, material_id)): Path<(String, String)>,
    params: Params,
    headers: HeaderMap,
    body: Body,
) -> AppResult<Json<UploadInfo>> {
    let db = &state.db;
    let file_name = clean_file_name(&params.required_text("name", "文件名", 400)?)?;
    let row = owned(db, &user, &id).await?;
    ensure_draft(&row)?;
    let guides = store::guides(db, &member_codes(&row.bundle)).await?;
    let material = merged_materials(&row.bundle, &row.answers, &guides)
        .into_iter()
        .find(|m| m.material_id == material_id)
        .ok_or_else(|| AppError::not_found("该“一件事”不需要这项材料，请刷新页面后重试"))?;
    if let Some(provider) = &material.provided_by {
        let name = row
            .bundle
            .members
            .iter()
            .find(|m| &m.item_code == provider)
            .map_or(provider.as_str(), |m| m.name.as_str());
        return Err(AppError::unprocessable(
            "provided_by_member",
            format!("{}由“{name}”办结后自动提供，无需上传", material.name),
        ));
    }
    let limit = crate::upload_quota::budget(
        db,
        &state.upload_quota,
        &user.id,
        crate::upload_quota::Container::Bundle(&id),
    )
    .await?;
    let (content_type, size, sha256) = store_file(&state.files, &headers, body, &limit).await?;

    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    let file = Stored {
        file_name: &file_name,
        content_type,
        size,
        sha256: &sha256,
        fetched: None,
    };
    let recorded = record_upload(
        &mut tx,
        Owner::Bundle(&id),
        &material_id,
        &material.name,
        &file,
        &now,
        &user.audit_name(),
        &address,
    )
    .await?;
    let Some(info) = recorded else {
        // Submitted while the file was arriving.
        let now = store::find(&db.pool, &id).await?.ok_or_else(not_found)?;
        return Err(ensure_draft(&now).err().unwrap_or_else(changed_meanwhile));
    };
    tx.commit().await?;
    Ok(Json(info))
}

/// Every problem that stops a submission, by key: `answers.<question>`, the bundle form's field
/// ids, the company facts' paths (`shareholders`, `shareholders.1.id_number`, `name`,
/// `legal_rep.phone` …), `company.name` for the 名称自主申报 check, `company_type`, and
/// `material:<id>`. On success the clean form values (company facts folded in).
async fn submission_problems(
    db: &Db,
    row: &BundleCaseRow,
    guides: &[app::api::ItemGuide],
    uploaded: &HashSet<String>,
) -> AppResult<Result<BTreeMap<String, String>, BTreeMap<String, String>>> {
    let bundle = &row.bundle;
    let answers = &row.answers;
    let today = clock::today_beijing();
    let mut problems = BTreeMap::new();
    for question in open_questions(bundle, answers) {
        let text = bundle
            .situations
            .iter()
            .find(|s| s.id == question)
            .map_or(question.as_str(), |s| s.question.as_str());
        problems.insert(format!("answers.{question}"), format!("请先回答：{text}"));
    }
    let mut values = row.form.clone();
    if needs_company_facts(bundle, answers) {
        match &row.company {
            None => {
                problems.insert(
                    "company".into(),
                    "请填写企业开办信息：企业名称、股东（出资人）、法定代表人、住所和经营范围"
                        .into(),
                );
            }
            Some(facts) => {
                values.extend(company_form_values(facts));
                let scopes = store::scopes(db).await?;
                if let Err(errors) = validate_company(facts, &scopes, today) {
                    problems.extend(errors);
                }
                // The kind of company must be the one the questions were answered for.
                let member = bundle
                    .members
                    .iter()
                    .find(|m| Some(&m.item_code) == bundle.company_facts_for.as_ref());
                let asked =
                    member.and_then(|m| member_answers(answers, m).get("company_type").cloned());
                if asked
                    .as_deref()
                    .is_some_and(|a| a != facts.company_type.as_str())
                {
                    problems.insert(
                        "company_type".into(),
                        format!(
                            "企业类型“{}”与前面所选的企业类型不一致，请核对",
                            facts.company_type.label()
                        ),
                    );
                }
                let check = check_name(&facts.name, &store::registered_names(db).await?);
                // Format problems are named under `name` already.
                if let Some(p) = check
                    .problems
                    .iter()
                    .find(|p| p.kind != NameProblemKind::Format)
                {
                    problems.insert(
                        "company.name".into(),
                        format!(
                            "企业名称“{}”{}：{}。{}",
                            check.full_name,
                            p.kind.label(),
                            p.message,
                            p.suggestion
                        ),
                    );
                }
            }
        }
    }
    let clean = match validate_bundle_form(bundle, answers, &values, today) {
        Ok(clean) => Some(clean),
        Err(errors) => {
            problems.extend(errors);
            None
        }
    };
    for m in merged_materials(bundle, answers, guides) {
        if m.required && !uploaded.contains(&m.material_id) {
            problems.insert(
                format!("material:{}", m.material_id),
                format!("请上传：{}", m.name),
            );
        }
    }
    Ok(match clean {
        Some(clean) if problems.is_empty() => Ok(clean),
        _ => Err(problems),
    })
}

/// Submits a bundle with an `Idempotency-Key` header: ONE submission for every member.
///
/// Everything is checked first and every problem named at once (400 with `fields`). Then, in
/// one transaction, the bundle gets its 受理编号 and one case is created per included member,
/// with its share of the form, its answers, its department and the uploaded materials it uses:
/// members waiting for nobody are submitted into their department's queue (with their own
/// 受理编号), the others wait until their predecessors are approved. Repeating the request with
/// the same key answers the first result again.
#[utoipa::path(post, path = "/api/bundle-applications/{id}/submit", tag = "一件事一次办",
    params(
        ("id" = String, Path, description = "一件事申请 id"),
        ("Idempotency-Key" = String, Header, min_length = 8, max_length = 100, description = "8–100 个字符；重试时使用同一值"),
    ),
    responses(
        (status = 200, body = BundleSubmitted),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 400, body = app::api::ApiError, description = "情形、表单、企业信息、名称或材料有误，fields 逐项列出（如 shareholders、shareholders.1.id_number、company.name、material:<id>）"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "已提交"),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> AppResult<Json<BundleSubmitted>> {
    let db = &state.db;
    let key = idempotency::key(&headers)?;
    let row = owned(db, &user, &id).await?;
    if let Some(answer) = submit::earlier_bundle(db, &user.id, &key, &id).await? {
        return Ok(Json(answer));
    }
    ensure_draft(&row)?;
    let bundle = &row.bundle;
    let guides = store::guides(db, &member_codes(bundle)).await?;
    let uploads: Vec<_> = store::uploads(db, &id)
        .await?
        .into_iter()
        .filter(|u| u.info.current)
        .collect();
    let uploaded: HashSet<String> = uploads.iter().map(|u| u.material_id.clone()).collect();
    let clean = submission_problems(db, &row, &guides, &uploaded)
        .await?
        .map_err(AppError::fields)?;

    // Each included member's case, planned before the transaction.
    let departments = store::department_names(db).await?;
    let included = members_for(bundle, &row.answers);
    let included_codes: Vec<&str> = included.iter().map(|m| m.item_code.as_str()).collect();
    let fanned = member_form_values(bundle, &clean);
    let company = row
        .company
        .as_ref()
        .filter(|_| needs_company_facts(bundle, &row.answers));
    let scopes = if company.is_some() {
        store::scopes(db).await?
    } else {
        Vec::new()
    };
    let mut plans = Vec::new();
    for member in &included {
        let guide = guides
            .iter()
            .find(|g| g.code == member.item_code)
            .cloned()
            .ok_or_else(|| {
                AppError::unprocessable(
                    "item_missing",
                    format!(
                        "“{}”暂不能网上申请，请到“一件事一次办”综合窗口办理",
                        member.name
                    ),
                )
            })?;
        let mut form = fanned.get(&member.item_code).cloned().unwrap_or_default();
        if let (Some(facts), true) = (
            company,
            bundle.company_facts_for.as_deref() == Some(member.item_code.as_str()),
        ) {
            // The company facts beyond the form, for 设立登记's reviewer.
            let mut remarks = form.get("remarks").cloned().unwrap_or_default();
            if !remarks.is_empty() {
                remarks.push('\n');
            }
            remarks.push_str(&members::company_summary(facts, &scopes));
            form.insert("remarks".into(), remarks.chars().take(2000).collect());
        }
        plans.push(MemberPlan {
            member,
            department_name: departments
                .get(&member.department)
                .cloned()
                .unwrap_or_else(|| member.department.clone()),
            answers: valid_answers(&guide, &member_answers(&row.answers, member)),
            waiting_for: member
                .after
                .iter()
                .filter(|a| included_codes.contains(&a.as_str()))
                .cloned()
                .collect(),
            guide,
            form,
        });
    }
    let mut bundle_form = row.form.clone();
    bundle_form.extend(clean);

    let who = Submitter {
        applicant_id: &user.id,
        actor: &user.audit_name(),
        key: &key,
        address: &address,
    };
    Ok(Json(
        submit::bundle(&state, &who, &row, &plans, &bundle_form, &uploads).await?,
    ))
}
