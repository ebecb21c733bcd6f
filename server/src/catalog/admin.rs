//! Catalog management by the centre's managers: an item's edited 办事指南 is a draft until it
//! is published; every published version is kept (who, when, note) and an older one can be
//! restored as a new version. Publication checks the guide with the shared rules
//! (`app::rules::catalog::check_guide`, 422 with `fields`), writes the audit log in the same
//! transaction, raises the catalog revision and rebuilds this server's catalog; the others
//! follow within seconds ([`super::follow`]).
//!
//! Reviewers are refused (403); signed-out visitors 401.

use std::collections::BTreeSet;

use app::api::{
    guide_field_label, CatalogAdminItem, CatalogAdminList, CatalogEditor, DraftMark, DraftSave,
    FormSummary, GuideChange, GuideVersion, ItemGuide, PublishRequest, Published,
};
use app::rules::catalog::{check_guide, diff_guides, CatalogRefs, GuideProblems};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, from_json, to_json};
use crate::audit;
use crate::auth::{CentreManager, StaffUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::AppState;

const MAX_NOTE: usize = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(editor))
        .routes(routes!(save_draft, discard_draft))
        .routes(routes!(publish))
        .routes(routes!(version_guide))
        .routes(routes!(restore))
}

/// Catalog management is the centre managers' work; a reviewer is told so (403).
fn no_item(code: &str) -> AppError {
    AppError::not_found(format!("没有找到编码为 {code} 的事项"))
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
    CentreManager(staff): CentreManager,
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
    CentreManager(staff): CentreManager,
    Path(code): Path<String>,
) -> AppResult<Json<CatalogEditor>> {
    Ok(Json(load_editor(&state.db, &code).await?))
}

async fn load_editor(db: &Db, code: &str) -> AppResult<CatalogEditor> {
    let (published, version) = published(&mut *db.pool.acquire().await?, code).await?;
    let draft =
        sqlx::query("SELECT guide, saved_by, saved_at FROM item_drafts WHERE item_code = $1")
            .bind(code)
            .fetch_optional(&db.pool)
            .await?;
    let (draft, draft_mark) = match draft {
        Some(r) => (
            Some(from_json::<ItemGuide>(r.try_get("guide")?)?),
            Some(DraftMark {
                saved_by: r.try_get("saved_by")?,
                saved_at: r.try_get("saved_at")?,
            }),
        ),
        None => (None, None),
    };
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
        versions: versions(db, code).await?,
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
    let db = &state.db;
    let mut tx = db.pool.begin().await?;
    published(&mut tx, &code).await?;
    let actor = staff.audit_name();
    sqlx::query("DELETE FROM item_drafts WHERE item_code = $1")
        .bind(&code)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO item_drafts (item_code, guide, saved_by, saved_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&code)
    .bind(to_json(&save.guide)?)
    .bind(&actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action: "保存事项草稿",
            detail: &format!("{code} {}", save.guide.name),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(load_editor(db, &code).await?))
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
    let mut tx = state.db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM item_drafts WHERE item_code = $1")
        .bind(&code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::not_found(format!("事项 {code} 没有草稿")));
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &staff.audit_name(),
            action: "删除事项草稿",
            detail: &code,
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
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
    let note = checked_note(&request.note)?;
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    let (_, version) = published(&mut conn, &code).await?;
    let Some(row) = sqlx::query("SELECT guide FROM item_drafts WHERE item_code = $1")
        .bind(&code)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Err(AppError::conflict(
            "no_draft",
            "该事项没有待发布的草稿，请先修改并保存草稿",
        ));
    };
    drop(conn);
    let guide: ItemGuide = from_json(row.try_get("guide")?)?;
    let answer = write_version(&state, &staff, &address, &guide, version, &note, None).await?;
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
    CentreManager(staff): CentreManager,
    Path((code, version)): Path<(String, i64)>,
) -> AppResult<Json<ItemGuide>> {
    Ok(Json(kept_version(&state.db, &code, version).await?))
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
    let note = checked_note(&request.note)?;
    let (_, version) = published(&mut *state.db.pool.acquire().await?, &code).await?;
    let guide = kept_version(&state.db, &code, from).await?;
    if from == version {
        return Err(AppError::UnprocessableField {
            field: "version".into(),
            message: format!("第 {from} 版就是当前发布的版本，无需恢复"),
        });
    }
    let answer =
        write_version(&state, &staff, &address, &guide, version, &note, Some(from)).await?;
    Ok(Json(answer))
}

fn checked_note(note: &str) -> AppResult<String> {
    let note = note.trim();
    let message = if note.is_empty() {
        "请填写发布说明，写明这次改了什么"
    } else if note.chars().count() > MAX_NOTE {
        "发布说明不能超过 200 个字"
    } else {
        return Ok(note.to_string());
    };
    Err(AppError::UnprocessableField {
        field: "note".into(),
        message: message.into(),
    })
}

/// Publishes `guide` as version `current + 1`: checked, written with its kept version, audit
/// entry and the raised revision in one transaction; then this server's catalog is rebuilt.
async fn write_version(
    state: &AppState,
    staff: &StaffUser,
    address: &str,
    guide: &ItemGuide,
    current: i64,
    note: &str,
    restored_from: Option<i64>,
) -> AppResult<Published> {
    let db = &state.db;
    let forms = form_summaries(db).await?;
    let problems = check_guide(guide, &refs(db, &forms).await?);
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let next = current + 1;
    let actor = staff.audit_name();
    let now = clock::now_text();
    let json = to_json(guide)?;
    let mut tx = db.pool.begin().await?;
    let updated = sqlx::query(
        "UPDATE items SET guide = $2, name = $3, department_code = $4, audience = $5, version = $6 \
         WHERE code = $1 AND version = $7",
    )
    .bind(&guide.code)
    .bind(&json)
    .bind(&guide.name)
    .bind(&guide.department)
    .bind(guide.audience.as_str())
    .bind(next)
    .bind(current)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::conflict(
            "version_changed",
            "刚刚有人发布了该事项的新版本，请刷新后查看差异再发布",
        ));
    }
    sqlx::query("DELETE FROM item_themes WHERE item_code = $1")
        .bind(&guide.code)
        .execute(&mut *tx)
        .await?;
    let themes: BTreeSet<&String> = guide.themes.iter().collect();
    for theme in themes {
        sqlx::query("INSERT INTO item_themes (item_code, theme_code) VALUES ($1, $2)")
            .bind(&guide.code)
            .bind(theme)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO item_versions (item_code, version, guide, published_by, published_at, note, restored_from) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&guide.code)
    .bind(next)
    .bind(&json)
    .bind(&actor)
    .bind(&now)
    .bind(note)
    .bind(restored_from)
    .execute(&mut *tx)
    .await?;
    if restored_from.is_none() {
        sqlx::query("DELETE FROM item_drafts WHERE item_code = $1")
            .bind(&guide.code)
            .execute(&mut *tx)
            .await?;
    }
    let revision = store::bump_revision(&mut tx).await?;
    let (action, detail) = match restored_from {
        Some(from) => (
            "恢复事项版本",
            format!(
                "{} {}：恢复第 {from} 版为第 {next} 版（{note}）",
                guide.code, guide.name
            ),
        ),
        None => (
            "发布事项",
            format!("{} {}：发布第 {next} 版（{note}）", guide.code, guide.name),
        ),
    };
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action,
            detail: &detail,
            case_id: None,
            address,
        },
    )
    .await?;
    tx.commit().await?;
    state.reload_catalog().await?;
    Ok(Published {
        code: guide.code.clone(),
        version: next,
        revision,
    })
}

/// The published guide and its version; 404 for an unknown item.
async fn published(conn: &mut AnyConnection, code: &str) -> AppResult<(ItemGuide, i64)> {
    let row = sqlx::query("SELECT guide, version FROM items WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| no_item(code))?;
    Ok((from_json(row.try_get("guide")?)?, row.try_get("version")?))
}

async fn kept_version(db: &Db, code: &str, version: i64) -> AppResult<ItemGuide> {
    let row = sqlx::query("SELECT guide FROM item_versions WHERE item_code = $1 AND version = $2")
        .bind(code)
        .bind(version)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::not_found(format!("事项 {code} 没有第 {version} 版")))?;
    from_json(row.try_get("guide")?)
}

/// The item's kept versions, newest first.
async fn versions(db: &Db, code: &str) -> AppResult<Vec<GuideVersion>> {
    let rows = sqlx::query(
        "SELECT version, published_by, published_at, note, restored_from FROM item_versions \
         WHERE item_code = $1 ORDER BY version DESC",
    )
    .bind(code)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GuideVersion {
                version: r.try_get("version")?,
                published_by: r.try_get("published_by")?,
                published_at: r.try_get("published_at")?,
                note: r.try_get("note")?,
                restored_from: r.try_get("restored_from")?,
            })
        })
        .collect()
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
