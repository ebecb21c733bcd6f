//! 一件事一次办: bundles of items from several departments applied for with one form, one set of
//! materials and one submission — and 企业开办 with its 名称自主申报 and company facts.
//!
//! * The bundles, the district's registered company names and the business scope list are
//!   loaded with the demo data ([`prepare`]); a demo bundle inconsistent with the demo catalog
//!   (`rules::bundle::check_bundle`) stops the server from starting.
//! * A bundle application is a draft until submitted ([`apply`]); its submission creates, in one
//!   transaction, one ordinary 网上预审 case per included member
//!   ([`crate::workflow::members`], through [`crate::workflow::submit`]). Members without
//!   predecessors go straight into their department's queue; the others are held as drafts
//!   without a 受理编号 (so no queue lists them) until every predecessor is approved, when the
//!   system submits them.
//! * The progress view ([`view`]) reads the member cases: their states, the ONE merged 一次性告知
//!   and, for 企业开办, the working-hours clock.

pub mod admin;
pub mod apply;
pub use crate::workflow::bundle_store as store;
pub mod view;

use std::collections::{BTreeMap, HashMap};

use app::api::{
    Audience, Bundle, BundleDetail, BundleList, BundleMember, BundleMemberView, BundleSummary,
    BusinessScopeList, Handling, ItemGuide, NameCheckRequest, NameCheckResult,
};
use app::rules::bundle::{
    check_bundle, member_applies, member_stages, members_for, merged_materials, open_questions,
    replaced_forms, statutory_days_sum, total_promised_days, valid_bundle_answers,
};
use app::rules::company_name::check_name;
use app::rules::tailor::{answers_from_query, Answers, Applies};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::client_address::ClientAddress;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::ratelimit::{self, wait_words};
use crate::AppState;

/// Bundles promising to be done within so many working hours (企业开办: 3 个工作小时).
const PROMISED_HOURS: &[(&str, u32)] = &[("company", 3)];

/// The working-hours promise of a bundle, if it makes one.
pub fn promised_hours(bundle_code: &str) -> Option<u32> {
    PROMISED_HOURS
        .iter()
        .find(|(code, _)| *code == bundle_code)
        .map(|(_, hours)| *hours)
}

const NAME_CHECKS_PER_ADDRESS: i64 = 60;
const NAME_CHECK_WINDOW_SECS: i64 = 60;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(name_check))
        .routes(routes!(business_scopes))
        .routes(routes!(apply::create, apply::list))
        .routes(routes!(apply::get_one, apply::update))
        .routes(routes!(apply::submit))
        .routes(routes!(view::manager_list))
        .merge(admin::router())
}

/// The bundle upload route, outside the global 64 KB request limit (it counts while streaming,
/// like [`crate::cases::files::upload_router`]).
pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apply::upload))
        .layer(DefaultBodyLimit::disable())
}

/// Loads the demo bundles, registered names and business scope list into empty tables, after
/// checking every demo bundle against the demo catalog: an inconsistent bundle would fan out
/// into cases nobody can complete, so the server refuses to start instead.
pub async fn prepare(db: &Db, load_demo: bool) -> Result<(), String> {
    if !load_demo {
        return Ok(());
    }
    let demo = store::demo()?;
    let catalog = crate::catalog::data::CatalogData::demo()?;
    let mut problems = Vec::new();
    let mut codes = Vec::new();
    for b in &demo.bundles {
        if codes.contains(&b.code.as_str()) {
            problems.push(format!("{}: duplicate bundle code", b.code));
        }
        codes.push(b.code.as_str());
        problems.extend(
            check_bundle(b, &catalog.items)
                .into_iter()
                .map(|(path, message)| format!("{}: {path}: {message}", b.code)),
        );
    }
    for s in &demo.scopes {
        if let Some(item) = &s.permit_item {
            if !catalog.items.iter().any(|i| &i.code == item) {
                problems.push(format!(
                    "business-scope.json: {} needs permit {item}, which is not in the catalog",
                    s.code
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "demo bundles are inconsistent with the catalog:\n{}",
            problems.join("\n")
        ));
    }
    let (b, n, s) = store::import_demo(db, &demo)
        .await
        .map_err(|e| e.to_string())?;
    if b > 0 {
        // The demo bundles just loaded are their version 1 (the catalog keeps versions; the
        // workflow store that loaded them does not depend on it).
        let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
        for bundle in &demo.bundles {
            crate::catalog::versions::keep_first(&mut tx, bundle, "导入示范数据")
                .await
                .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    if b + n + s > 0 {
        tracing::info!(
            bundles = b,
            registered_names = n,
            business_scopes = s,
            "loaded the demo bundles (示范数据)"
        );
    }
    Ok(())
}

pub fn bundle_not_found(code: &str) -> AppError {
    AppError::not_found(format!(
        "没有找到编码为 {code} 的“一件事”，请从“一件事一次办”列表重新进入"
    ))
}

/// Member codes of a bundle (every member, whatever the answers).
pub fn member_codes(bundle: &Bundle) -> Vec<&str> {
    bundle
        .members
        .iter()
        .map(|m| m.item_code.as_str())
        .collect()
}

/// A member as the bundle page shows it.
pub fn member_view(
    bundle: &Bundle,
    member: &BundleMember,
    answers: &Answers,
    guides: &[ItemGuide],
    departments: &HashMap<String, String>,
    stages: &BTreeMap<String, u32>,
) -> BundleMemberView {
    let guide = guides.iter().find(|g| g.code == member.item_code);
    let included: Vec<&str> = members_for(bundle, answers)
        .iter()
        .map(|m| m.item_code.as_str())
        .collect();
    BundleMemberView {
        item_code: member.item_code.clone(),
        name: guide.map_or_else(|| member.name.clone(), |g| g.name.clone()),
        short_name: member.name.clone(),
        department_code: member.department.clone(),
        department: departments
            .get(&member.department)
            .cloned()
            .unwrap_or_else(|| member.department.clone()),
        promised_days: guide.map_or(0, |g| g.promised_days),
        statutory_days: guide.map_or(0, |g| g.statutory_days),
        handling: guide.map_or(Handling::Promised, |g| g.handling),
        after: member
            .after
            .iter()
            .filter(|a| included.contains(&a.as_str()))
            .cloned()
            .collect(),
        stage: stages.get(&member.item_code).copied().unwrap_or(1),
        depends: member_applies(member, &valid_bundle_answers(bundle, answers)) == Applies::Depends,
    }
}

/// Every 一件事, optionally for one audience.
#[utoipa::path(get, path = "/api/bundles", tag = "一件事一次办",
    params(("audience" = Option<String>, Query, pattern = "^(personal|business)$", description = "personal（个人）或 business（法人）")),
    responses((status = 200, body = BundleList), (status = 400, body = app::api::ApiError)))]
pub async fn list(State(state): State<AppState>, params: Params) -> AppResult<Json<BundleList>> {
    let audience = match params.text("audience", "办事对象", 16)? {
        None => None,
        Some(a) => Some(
            Audience::parse(&a)
                .filter(|a| *a != Audience::Both)
                .ok_or_else(|| {
                    AppError::bad_param(
                        "audience",
                        "办事对象（参数 audience）只能是 personal（个人）或 business（法人）",
                    )
                })?,
        ),
    };
    let db = &state.db;
    let guides: Vec<ItemGuide> = crate::catalog::store::all_guides(db)
        .await?
        .into_iter()
        .map(|(g, _, _)| g)
        .collect();
    let departments = crate::catalog::store::departments(db).await?;
    let everything = Answers::new();
    let bundles = store::bundles(db)
        .await?
        .into_iter()
        .map(|(b, _)| b)
        .filter(|b| audience.is_none_or(|a| b.audience.serves(a)))
        .map(|b| {
            let mut short: Vec<String> = Vec::new();
            for m in &b.members {
                let name = departments
                    .iter()
                    .find(|d| d.code == m.department)
                    .map_or_else(|| m.department.clone(), |d| d.short_name.clone());
                if !short.contains(&name) {
                    short.push(name);
                }
            }
            BundleSummary {
                members: b.members.iter().map(|m| m.name.clone()).collect(),
                departments: short,
                total_promised_days: total_promised_days(&b, &everything, &guides),
                statutory_days_sum: statutory_days_sum(&b, &everything, &guides),
                code: b.code,
                name: b.name,
                audience: b.audience,
                summary: b.summary,
                icon: b.icon,
            }
        })
        .collect();
    Ok(Json(BundleList { bundles }))
}

/// One 一件事 tailored to the answers: the members that apply, the one merged set of materials,
/// the forms it replaces and how long it takes.
#[utoipa::path(get, path = "/api/bundles/{code}", tag = "一件事一次办",
    params(
        ("code" = String, Path, description = "一件事编码，如 birth、company"),
        ("a" = Option<String>, Query, max_length = 1000, description = "情形答案，如 settle.yes~sscard.no"),
    ),
    responses((status = 200, body = BundleDetail), (status = 400, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn detail(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Params,
) -> AppResult<Json<BundleDetail>> {
    let db = &state.db;
    let (bundle, demo) = store::bundle(db, &code)
        .await?
        .ok_or_else(|| bundle_not_found(&code))?;
    let query = params.text("a", "情形答案", 1000)?.unwrap_or_default();
    let answers = valid_bundle_answers(&bundle, &answers_from_query(&query));
    let guides = store::guides(db, &member_codes(&bundle)).await?;
    let departments = store::department_names(db).await?;
    let stages = member_stages(&bundle, &answers);
    let members_shown = members_for(&bundle, &answers)
        .into_iter()
        .map(|m| member_view(&bundle, m, &answers, &guides, &departments, &stages))
        .collect();
    Ok(Json(BundleDetail {
        members_shown,
        materials: merged_materials(&bundle, &answers, &guides),
        replaced_forms: replaced_forms(&bundle, &answers, &guides),
        total_promised_days: total_promised_days(&bundle, &answers, &guides),
        statutory_days_sum: statutory_days_sum(&bundle, &answers, &guides),
        open_questions: open_questions(&bundle, &answers),
        demo,
        bundle,
    }))
}

/// 名称自主申报: checks a proposed company name against the naming rules and the names
/// registered in the district. No sign-in needed; limited per client address.
#[utoipa::path(post, path = "/api/name-check", tag = "一件事一次办",
    request_body = NameCheckRequest,
    responses(
        (status = 200, body = NameCheckResult),
        (status = 400, body = app::api::ApiError),
        (status = 429, body = app::api::ApiError, description = "查询过于频繁"),
    ))]
pub async fn name_check(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<NameCheckRequest>,
) -> AppResult<Json<NameCheckResult>> {
    for (field, label, value) in [
        ("district", "行政区划", &request.district),
        ("trade_name", "字号", &request.trade_name),
        ("industry", "行业表述", &request.industry),
        ("organisation", "组织形式", &request.organisation),
    ] {
        if value.chars().count() > 50 {
            return Err(AppError::bad_param(field, format!("{label}最多 50 个字")));
        }
    }
    let bucket = format!("name_check:{}", crate::client_address::limit_key(&address));
    if let Err(wait) = ratelimit::hit(
        &state.db,
        &bucket,
        NAME_CHECK_WINDOW_SECS,
        NAME_CHECKS_PER_ADDRESS,
    )
    .await?
    {
        return Err(AppError::TooManyRequests {
            message: format!("名称查询过于频繁，请在 {} 后再试", wait_words(wait)),
            retry_after: wait,
        });
    }
    let registered = store::registered_names(&state.db).await?;
    Ok(Json(check_name(&request, &registered)))
}

/// The standard business scope list (经营范围规范表述) 企业开办 chooses from.
#[utoipa::path(get, path = "/api/business-scopes", tag = "一件事一次办",
    responses((status = 200, body = BusinessScopeList)))]
pub async fn business_scopes(State(state): State<AppState>) -> AppResult<Json<BusinessScopeList>> {
    Ok(Json(BusinessScopeList {
        scopes: store::scopes(&state.db).await?,
    }))
}
