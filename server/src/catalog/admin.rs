//! Catalog management by the centre's managers: an item's edited 办事指南 is a draft until it
//! is published; every published version is kept (who, when, note) and an older one can be
//! restored as a new version, through the path every catalog document shares
//! ([`super::versions`]). Publication checks the guide with the shared rules
//! (`app::rules::catalog::check_guide`, 422 with `fields`).
//!
//! Reviewers are refused (403); signed-out visitors 401.

use std::collections::{BTreeMap, BTreeSet};

use app::api::{
    guide_field_label, CatalogAdminItem, CatalogAdminList, CatalogEditor, DraftMark, DraftSave,
    FormSummary, GuideChange, ItemGuide, PublishRequest, Published,
};
use app::rules::catalog::{check_guide, diff_guides, CatalogRefs, GuideProblems};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, to_json};
use super::versions::{self, Document, Kind};
use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(editor))
        .routes(routes!(save_draft, discard_draft))
        .routes(routes!(publish))
        .routes(routes!(version_guide))
        .routes(routes!(restore))
}

/// The items, with their published version and whether a draft waits.
#[utoipa::path(get, path = "/api/admin/catalog/items", tag = "事项管理",
    params(
        ("q" = Option<String>, Query, max_length = 50, description = "按事项名称、编码或部门筛选"),
        ("drafts" = Option<u32>, Query, maximum = 1, description = "1：只列出有草稿的事项"),
    ),
    responses(
        (status = 200, body = CatalogAdminList),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
    params: Params,
) -> AppResult<Json<CatalogAdminList>> {
    let q = params.text("q", "筛选词", 50)?;
    let drafts_only = params.number("drafts", "只看草稿", 0..=1)? == Some(1);
    let rows = sqlx::query(
        "SELECT i.code, i.name, i.version, d.name AS department, r.saved_by, r.saved_at \
         FROM items i JOIN departments d ON d.code = i.department_code \
         LEFT JOIN item_drafts r ON r.item_code = i.code ORDER BY i.code",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut items = Vec::new();
    for r in rows {
        let item = CatalogAdminItem {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            department: r.try_get("department")?,
            version: r.try_get("version")?,
            draft: match r.try_get::<Option<String>, _>("saved_by")? {
                Some(saved_by) => Some(DraftMark {
                    saved_by,
                    saved_at: r.try_get("saved_at")?,
                }),
                None => None,
            },
        };
        let matches = q.as_deref().is_none_or(|q| {
            item.name.contains(q)
                || item.code.to_lowercase().contains(&q.to_lowercase())
                || item.department.contains(q)
        });
        if matches && (!drafts_only || item.draft.is_some()) {
            items.push(item);
        }
    }
    Ok(Json(CatalogAdminList {
        items,
        revision: store::revision(&state.db).await?,
    }))
}

/// The published guide with its version, the draft and its changes, the kept versions, and
/// the departments, themes and forms a guide may refer to.
#[utoipa::path(get, path = "/api/admin/catalog/items/{code}", tag = "事项管理",
    params(("code" = String, Path, description = "事项编码，如 SFQ-GA-0001")),
    responses(
        (status = 200, body = CatalogEditor),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
    ))]
pub async fn editor(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
    Path(code): Path<String>,
) -> AppResult<Json<CatalogEditor>> {
    Ok(Json(load_editor(&state.db, &code).await?))
}

async fn load_editor(db: &Db, code: &str) -> AppResult<CatalogEditor> {
    let (published, version) =
        versions::published::<ItemGuide>(&mut *db.pool.acquire().await?, code).await?;
    let (draft, draft_mark) = versions::draft::<ItemGuide>(db, code).await?.unzip();
    let changes = draft
        .as_ref()
        .map(|d| changes(&published, d))
        .unwrap_or_default();
    let forms = form_summaries(db).await?;
    let problems = match &draft {
        Some(d) => check_guide(d, &refs(db, &forms).await?),
        None => GuideProblems::new(),
    };
    Ok(CatalogEditor {
        published,
        version,
        draft,
        draft_mark,
        changes,
        problems,
        versions: versions::versions::<ItemGuide>(db, code).await?,
        departments: store::departments(db).await?,
        themes: store::themes(db).await?,
        forms,
    })
}

/// Saves the manager's edited guide as the item's draft (replacing an earlier draft). An
/// incomplete draft is kept as it is, with its problems in the answer; only publication
/// requires a guide without problems.
#[utoipa::path(put, path = "/api/admin/catalog/items/{code}/draft", tag = "事项管理",
    params(("code" = String, Path, description = "事项编码")),
    request_body = DraftSave,
    responses(
        (status = 200, body = CatalogEditor, description = "草稿已保存；problems 列出发布前还需修改之处"),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
        (status = 422, body = app::api::ApiError, description = "事项编码与地址不一致（fields.code）"),
    ))]
pub async fn save_draft(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    JsonBody(save): JsonBody<DraftSave>,
) -> AppResult<Json<CatalogEditor>> {
    if save.guide.code != code {
        return Err(AppError::UnprocessableField {
            field: "code".into(),
            message: format!("事项编码不能修改（应为 {code}）"),
        });
    }
    versions::save_draft(&state.db, &staff, &address, &save.guide).await?;
    Ok(Json(load_editor(&state.db, &code).await?))
}

/// Discards the item's draft; the published guide stays as it is.
#[utoipa::path(delete, path = "/api/admin/catalog/items/{code}/draft", tag = "事项管理",
    params(("code" = String, Path, description = "事项编码")),
    responses(
        (status = 204, description = "草稿已删除"),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError, description = "没有该事项或没有草稿"),
    ))]
pub async fn discard_draft(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
) -> AppResult<StatusCode> {
    versions::discard_draft::<ItemGuide>(&state.db, &staff, &address, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes the saved draft as the item's next version, if it passes every check.
#[utoipa::path(post, path = "/api/admin/catalog/items/{code}/publish", tag = "事项管理",
    params(("code" = String, Path, description = "事项编码")),
    request_body = PublishRequest,
    responses(
        (status = 200, body = Published),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "没有草稿，或同时有人发布了新版本"),
        (status = 422, body = app::api::ApiError, description = "办事指南有需要修改之处，fields 逐项指明（如 promised_days、materials[2].name）"),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> AppResult<Json<Published>> {
    let answer =
        versions::publish_draft::<ItemGuide>(&state, &staff, &address, &code, &request.note)
            .await?;
    Ok(Json(answer))
}

/// One kept version's guide.
#[utoipa::path(get, path = "/api/admin/catalog/items/{code}/versions/{version}", tag = "事项管理",
    params(
        ("code" = String, Path, description = "事项编码"),
        ("version" = i64, Path, minimum = 1, description = "版本号"),
    ),
    responses(
        (status = 200, body = ItemGuide),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
    ))]
pub async fn version_guide(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
    Path((code, version)): Path<(String, i64)>,
) -> AppResult<Json<ItemGuide>> {
    Ok(Json(versions::kept(&state.db, &code, version).await?))
}

/// Publishes an older version again, as a new version (the versions between stay kept). A
/// waiting draft is left alone.
#[utoipa::path(post, path = "/api/admin/catalog/items/{code}/versions/{version}/restore", tag = "事项管理",
    params(
        ("code" = String, Path, description = "事项编码"),
        ("version" = i64, Path, minimum = 1, description = "要恢复的版本号"),
    ),
    request_body = PublishRequest,
    responses(
        (status = 200, body = Published),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "同时有人发布了新版本"),
        (status = 422, body = app::api::ApiError, description = "该版本不符合现行规则或说明无效，fields 指明"),
    ))]
pub async fn restore(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path((code, from)): Path<(String, i64)>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> AppResult<Json<Published>> {
    let answer =
        versions::restore::<ItemGuide>(&state, &staff, &address, &code, from, &request.note)
            .await?;
    Ok(Json(answer))
}

impl Document for ItemGuide {
    const KIND: Kind = Kind {
        table: "items",
        column: "guide",
        versions: "item_versions",
        drafts: "item_drafts",
        key: "item_code",
        noun: "事项",
    };

    fn code(&self) -> &str {
        &self.code
    }

    fn name(&self) -> &str {
        &self.name
    }

    async fn problems(&self, db: &Db) -> AppResult<BTreeMap<String, String>> {
        let forms = form_summaries(db).await?;
        Ok(check_guide(self, &refs(db, &forms).await?))
    }

    /// The guide, its columns read by the lists, and its themes.
    async fn write_published(
        &self,
        tx: &mut AnyConnection,
        current: i64,
        next: i64,
    ) -> AppResult<u64> {
        let updated = sqlx::query(
            "UPDATE items SET guide = $2, name = $3, department_code = $4, audience = $5, version = $6 \
             WHERE code = $1 AND version = $7",
        )
        .bind(&self.code)
        .bind(to_json(self)?)
        .bind(&self.name)
        .bind(&self.department)
        .bind(self.audience.as_str())
        .bind(next)
        .bind(current)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Ok(0);
        }
        sqlx::query("DELETE FROM item_themes WHERE item_code = $1")
            .bind(&self.code)
            .execute(&mut *tx)
            .await?;
        let themes: BTreeSet<&String> = self.themes.iter().collect();
        for theme in themes {
            sqlx::query("INSERT INTO item_themes (item_code, theme_code) VALUES ($1, $2)")
                .bind(&self.code)
                .bind(theme)
                .execute(&mut *tx)
                .await?;
        }
        Ok(updated)
    }
}

pub(super) async fn form_summaries(db: &Db) -> AppResult<Vec<FormSummary>> {
    let rows = sqlx::query("SELECT code, title FROM forms ORDER BY code")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(FormSummary {
                code: r.try_get("code")?,
                title: r.try_get("title")?,
            })
        })
        .collect()
}

pub(super) async fn refs(db: &Db, forms: &[FormSummary]) -> AppResult<CatalogRefs> {
    Ok(CatalogRefs {
        departments: store::departments(db)
            .await?
            .into_iter()
            .map(|d| d.code)
            .collect(),
        themes: store::themes(db)
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect(),
        forms: forms.iter().map(|f| f.code.clone()).collect(),
    })
}

/// `after` against `before`, field by field, with Chinese field names.
pub fn changes(before: &ItemGuide, after: &ItemGuide) -> Vec<GuideChange> {
    diff_guides(before, after)
        .into_iter()
        .map(|c| GuideChange {
            label: guide_field_label(&c.path),
            path: c.path,
            before: c.before,
            after: c.after,
        })
        .collect()
}
