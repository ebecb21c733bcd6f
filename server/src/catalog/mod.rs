//! 办事指南: the service catalog, its search, and its API routes.

pub mod admin;
pub mod data;
pub mod exchange;
pub mod follow;
pub mod search;
pub mod standard;
pub mod store;
pub mod versions;
pub mod vocabulary;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;

use app::api::{Audience, CatalogOverview, DepartmentCount, Form, ItemDetail, ItemList};
use axum::extract::{Path, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;
use search::{SearchIndex, SearchQuery};

/// The catalog as the list endpoints serve it: built from the database, swapped whole on import.
pub struct Catalog {
    pub district: String,
    pub demo: bool,
    pub overview: CatalogOverview,
    pub index: SearchIndex,
    /// The database's catalog revision this snapshot was built from ([`follow`]).
    pub revision: i64,
    /// Serialised answers to recent list queries. People search for the same few things
    /// (身份证, 生孩子 …); it lives and dies with this snapshot, so an import never serves stale
    /// results.
    answers: Mutex<HashMap<String, Bytes>>,
}

/// Enough for every common query; beyond it the cache starts over rather than tracking age.
const CACHED_ANSWERS: usize = 2000;

impl Catalog {
    /// A serialised answer kept for `key` in this snapshot.
    fn cached(&self, key: &str) -> Option<Bytes> {
        self.answers.lock().expect("answers lock").get(key).cloned()
    }

    /// Keeps `body` as the answer for `key` while this snapshot lives.
    fn remember(&self, key: String, body: Bytes) {
        let mut answers = self.answers.lock().expect("answers lock");
        if answers.len() >= CACHED_ANSWERS {
            answers.clear();
        }
        answers.insert(key, body);
    }

    pub async fn load(db: &Db) -> AppResult<Catalog> {
        // Read first: a publication while this loads raises it again, and is then seen.
        let revision = store::revision(db).await?;
        let departments = store::departments(db).await?;
        let themes = store::themes(db).await?;
        let mut guides = store::all_guides(db).await?;
        // The everyday words managers taught the search join their items' keywords.
        vocabulary::add_words(db, &mut guides).await?;
        let demo = guides.iter().any(|(_, _, demo)| *demo);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (guide, _, _) in &guides {
            *counts.entry(guide.department.clone()).or_default() += 1;
        }
        let names: HashMap<String, String> = departments
            .iter()
            .map(|d| (d.code.clone(), d.name.clone()))
            .collect();
        let bundles = crate::workflow::bundle_store::bundles(db).await?;
        let index = SearchIndex::build(
            guides.into_iter().map(|(g, popularity, _)| (g, popularity)),
            |code| names.get(code).cloned().unwrap_or_else(|| code.to_string()),
        )
        .with_bundles(bundles.into_iter().map(|(b, _)| b));
        let district = store::setting(db, "district")
            .await?
            .unwrap_or_else(|| "示范区".into());
        let overview = CatalogOverview {
            district: district.clone(),
            departments: departments
                .into_iter()
                .map(|d| DepartmentCount {
                    items: counts.get(&d.code).copied().unwrap_or(0),
                    department: d,
                })
                .collect(),
            themes,
            popular: index.popular(12),
            item_count: index.len(),
            demo,
        };
        Ok(Catalog {
            district,
            demo,
            overview,
            index,
            revision,
            answers: Mutex::default(),
        })
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(list_items))
        .routes(routes!(item_detail))
        .routes(routes!(form))
        .merge(admin::router())
        .merge(exchange::router())
        .merge(standard::router())
}

/// Home page data: district, departments, themes, most-used items.
#[utoipa::path(get, path = "/api/catalog", tag = "办事指南",
    responses((status = 200, body = CatalogOverview)))]
pub async fn overview(State(state): State<AppState>) -> Json<CatalogOverview> {
    Json(state.catalog().overview.clone())
}

/// Search and browse service items, best match first.
#[utoipa::path(get, path = "/api/items", tag = "办事指南",
    params(
        ("q" = Option<String>, Query, max_length = 50, description = "搜索词：中文、拼音全拼或首字母，如 出生、chusheng、csyxzm"),
        ("theme" = Option<String>, Query, max_length = 40, description = "主题编码，如 birth"),
        ("department" = Option<String>, Query, max_length = 40, description = "部门编码，如 ga"),
        ("audience" = Option<String>, Query, pattern = "^(personal|business)$", description = "personal 或 business"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "返回条数，1–100，默认 20"),
        ("offset" = Option<u32>, Query, maximum = 100000, description = "跳过条数，0–100000，默认 0"),
    ),
    responses((status = 200, body = ItemList), (status = 400, body = app::api::ApiError)))]
pub async fn list_items(
    State(state): State<AppState>,
    params: Params,
) -> AppResult<impl IntoResponse> {
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
    let query = SearchQuery {
        text: params.text("q", "搜索词", 50)?,
        theme: params.text("theme", "主题", 40)?,
        department: params.text("department", "部门", 40)?,
        audience,
        limit: params.number("limit", "返回条数", 1..=100)?.unwrap_or(20) as usize,
        offset: params
            .number("offset", "跳过条数", 0..=100_000)?
            .unwrap_or(0) as usize,
    };
    if let (Some(text), 0) = (&query.text, query.offset) {
        state.search_log.note(text);
    }
    let catalog = state.catalog();
    let key = format!("{query:?}");
    let cached = catalog.cached(&key);
    let body = match cached {
        Some(body) => body,
        None => {
            let body = Bytes::from(
                serde_json::to_vec(&catalog.index.search(&query))
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            );
            catalog.remember(key, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}

/// One item's full 办事指南.
#[utoipa::path(get, path = "/api/items/{code}", tag = "办事指南",
    params(("code" = String, Path, description = "事项编码，如 SFQ-GA-0001")),
    responses((status = 200, body = ItemDetail), (status = 404, body = app::api::ApiError)))]
pub async fn item_detail(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<impl IntoResponse> {
    // Read from the database once per catalog snapshot, then answered from its cache like the
    // searches: guides are most of the portal's traffic (the load run), which must not become
    // the primary database's.
    let catalog = state.catalog();
    let key = format!("item:{code}");
    let cached = catalog.cached(&key);
    let body = match cached {
        Some(body) => body,
        None => {
            let mut detail = store::item_detail(&state.db, &code).await?.ok_or_else(|| {
                AppError::not_found(format!(
                    "没有找到编码为 {code} 的事项，请核对事项编码或重新搜索"
                ))
            })?;
            detail.bundles = catalog.index.bundles_of(&code);
            let body = Bytes::from(
                serde_json::to_vec(&detail).map_err(|e| AppError::Internal(e.to_string()))?,
            );
            catalog.remember(key, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}

/// A blank form and its 示范文本.
#[utoipa::path(get, path = "/api/forms/{code}", tag = "办事指南",
    params(("code" = String, Path, description = "表格编码，如 F-GA-0001")),
    responses((status = 200, body = Form), (status = 404, body = app::api::ApiError)))]
pub async fn form(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> AppResult<Json<Form>> {
    store::form(&state.db, &code)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("没有找到编码为 {code} 的表格")))
}

/// Loads the demo catalog (and its demo staff accounts) into an empty database, then (re)builds
/// the in-memory catalog.
pub async fn prepare(
    db: &Db,
    load_demo: bool,
    demo_accounts: bool,
) -> Result<Arc<Catalog>, String> {
    if load_demo && store::is_empty(db).await.map_err(|e| e.to_string())? {
        let data = data::CatalogData::demo()?;
        store::import(db, &data, true)
            .await
            .map_err(|e| e.to_string())?;
        tracing::info!(
            items = data.items.len(),
            "loaded the demo catalog (示范数据)"
        );
    }
    let catalog = Catalog::load(db).await.map_err(|e| e.to_string())?;
    // Demo staff accounts exist only beside the demo catalog, never beside real data, and
    // only where they are allowed (`demo_accounts::allowed`).
    if load_demo && catalog.demo && demo_accounts {
        crate::demo_accounts::ensure(db).await?;
    }
    Ok(Arc::new(catalog))
}
