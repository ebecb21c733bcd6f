//! 四级四同: the catalog's 事项编码, 名称, 类型 and 设定依据 compared with a standard list that a
//! manager loads (CSV with Chinese headers, or JSON; `app::rules::standard_list`). The demo
//! ships one (`server/demo/standard-list.csv`, labelled as demo) with a few deliberate
//! differences from the demo catalog, loaded beside it on first start.
//!
//! Reviewers are refused (403); signed-out visitors 401.

use app::api::{StandardCheck, StandardEntry, StandardListInfo};
use app::rules::standard_list::{self, CatalogItem};
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store;
use crate::audit;
use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

const DEMO_LIST: &str = include_str!("../../demo/standard-list.csv");
const DEMO_SOURCE: &str = "示范区四级四同标准清单";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(check))
}

/// Loading a list takes the file as its body ([`super::exchange::document_router`]).
pub fn document_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(load))
}

/// Loads the demo standard list when the demo catalog is loaded and no list is.
pub async fn prepare(db: &Db, demo: bool) -> Result<(), String> {
    if !demo {
        return Ok(());
    }
    let loaded = list_info(db).await.map_err(|e| e.to_string())?.is_some();
    if loaded {
        return Ok(());
    }
    let entries =
        standard_list::parse(DEMO_LIST).map_err(|p| format!("demo standard list: {p:?}"))?;
    let mut tx = db.pool.begin().await.map_err(|e| e.to_string())?;
    write(
        &mut tx,
        &entries,
        DEMO_SOURCE,
        true,
        crate::workflow::SYSTEM,
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    tracing::info!(
        entries = entries.len(),
        "loaded the demo 四级四同 standard list"
    );
    Ok(())
}

/// The loaded standard list and where the catalog differs from it, item by item.
#[utoipa::path(get, path = "/api/admin/catalog/standard", tag = "事项管理",
    responses(
        (status = 200, body = StandardCheck),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
    ))]
pub async fn check(
    State(state): State<AppState>,
    CentreManager(_staff): CentreManager,
) -> AppResult<Json<StandardCheck>> {
    Ok(Json(compare(&state.db).await?))
}

/// Replaces the standard list with the uploaded file: CSV (UTF-8, with or without BOM; headers
/// 事项编码, 事项名称, 事项类型, 设定依据) or JSON (a list of entries). Nothing is replaced when
/// any row has a problem (422, `fields` name each row and column).
#[utoipa::path(put, path = "/api/admin/catalog/standard", tag = "事项管理",
    params(("source" = Option<String>, Query, max_length = 100, description = "清单来源，如上传的文件名")),
    request_body(content(
        (String = "text/csv"),
        (Vec<StandardEntry> = "application/json"),
    ), description = "标准清单文件"),
    responses(
        (status = 200, body = StandardCheck),
        (status = 400, body = app::api::ApiError),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 413, body = app::api::ApiError),
        (status = 422, body = app::api::ApiError, description = "清单有问题，fields 逐行指明（如 entries[3].item_type）"),
    ))]
pub async fn load(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    params: Params,
    body: Bytes,
) -> AppResult<Json<StandardCheck>> {
    let source = params
        .text("source", "清单来源", 100)?
        .unwrap_or_else(|| "上传的标准清单".into());
    let text = std::str::from_utf8(&body).map_err(|_| {
        AppError::bad_param(
            "body",
            "文件不是 UTF-8 编码的文本：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后再上传",
        )
    })?;
    let entries = standard_list::parse(text).map_err(AppError::invalid)?;
    let actor = staff.audit_name();
    let mut tx = state.db.pool.begin().await?;
    write(&mut tx, &entries, &source, false, &actor).await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action: "载入四级四同标准清单",
            detail: &format!("{source}（{} 项）", entries.len()),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(compare(&state.db).await?))
}

async fn write(
    tx: &mut sqlx::AnyConnection,
    entries: &[StandardEntry],
    source: &str,
    demo: bool,
    actor: &str,
) -> AppResult<()> {
    for table in ["standard_items", "standard_list"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO standard_list (id, source, demo, loaded_by, loaded_at) VALUES (1, $1, $2, $3, $4)",
    )
    .bind(source)
    .bind(i64::from(demo))
    .bind(actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    for (order, e) in entries.iter().enumerate() {
        sqlx::query(
            "INSERT INTO standard_items (code, name, item_type, legal_basis, sort_order) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(e.code.trim())
        .bind(e.name.trim())
        .bind(e.item_type.trim())
        .bind(e.legal_basis.trim())
        .bind(order as i64)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

async fn list_info(db: &Db) -> AppResult<Option<StandardListInfo>> {
    let Some(row) = sqlx::query(
        "SELECT l.source, l.demo, l.loaded_by, l.loaded_at, \
         (SELECT COUNT(*) FROM standard_items) AS entries FROM standard_list l WHERE l.id = 1",
    )
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(StandardListInfo {
        source: row.try_get("source")?,
        demo: row.try_get::<i64, _>("demo")? == 1,
        loaded_by: row.try_get("loaded_by")?,
        loaded_at: row.try_get("loaded_at")?,
        entries: row.try_get::<i64, _>("entries")? as usize,
    }))
}

async fn compare(db: &Db) -> AppResult<StandardCheck> {
    let Some(list) = list_info(db).await? else {
        return Ok(StandardCheck {
            list: None,
            compared: 0,
            differences: Vec::new(),
        });
    };
    let standard = sqlx::query(
        "SELECT code, name, item_type, legal_basis FROM standard_items ORDER BY sort_order",
    )
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(StandardEntry {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            item_type: r.try_get("item_type")?,
            legal_basis: r.try_get("legal_basis")?,
        })
    })
    .collect::<AppResult<Vec<_>>>()?;
    let guides = store::all_guides(db).await?;
    let catalog: Vec<CatalogItem> = guides
        .iter()
        .map(|(g, _, _)| CatalogItem {
            code: &g.code,
            name: &g.name,
            item_type: &g.item_type,
            legal_basis: &g.legal_basis,
        })
        .collect();
    let (compared, differences) = standard_list::compare(&standard, &catalog);
    Ok(StandardCheck {
        list: Some(list),
        compared,
        differences,
    })
}
