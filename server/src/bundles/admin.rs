//! Bundle management by the centre's managers: a 一件事's name, summary, audience, member items
//! (order, 前置), 情形 questions and merged form mapping are edited as a draft and published
//! like an item's 办事指南, through the same path ([`crate::catalog::versions`]). The bundle
//! rules (`app::rules::bundle::check_bundle`) check the draft on save and refuse publication
//! (422, `fields` by path) while anything is wrong. Applications already started keep the copy
//! of the bundle they were started with (and its version, `bundle_cases.bundle_version`).
//!
//! Reviewers are refused (403); signed-out visitors 401.

use std::collections::BTreeMap;

use app::api::{
    bundle_field_label, Bundle, BundleAdminItem, BundleAdminList, BundleDraftSave, BundleEditor,
    GuideChange, MemberChoice, PublishRequest, Published,
};
use app::rules::bundle::check_bundle;
use app::rules::catalog::diff_documents;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::{AnyConnection, Row};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{member_codes, store};
use crate::auth::CentreManager;
use crate::catalog::store::{revision, to_json};
use crate::catalog::versions::{self, Document, Kind};
use crate::client_address::ClientAddress;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(editor))
        .routes(routes!(save_draft, discard_draft))
        .routes(routes!(publish))
        .routes(routes!(version_bundle))
        .routes(routes!(restore))
}

impl Document for Bundle {
    const KIND: Kind = Kind {
        table: "bundles",
        column: "document",
        versions: "bundle_versions",
        drafts: "bundle_drafts",
        key: "bundle_code",
        noun: "“一件事”",
    };

    fn code(&self) -> &str {
        &self.code
    }

    fn name(&self) -> &str {
        &self.name
    }

    async fn problems(&self, db: &Db) -> AppResult<BTreeMap<String, String>> {
        Ok(check_bundle(
            self,
            &store::guides(db, &member_codes(self)).await?,
        ))
    }

    async fn write_published(
        &self,
        tx: &mut AnyConnection,
        current: i64,
        next: i64,
    ) -> AppResult<u64> {
        Ok(sqlx::query(
            "UPDATE bundles SET document = $2, version = $3 WHERE code = $1 AND version = $4",
        )
        .bind(&self.code)
        .bind(to_json(self)?)
        .bind(next)
        .bind(current)
        .execute(&mut *tx)
        .await?
        .rows_affected())
    }
}

/// The bundles, with their published version and whether a draft waits.
#[utoipa::path(get, path = "/api/admin/catalog/bundles", tag = "事项管理",
    responses(
        (status = 200, body = BundleAdminList),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CentreManager(_staff): CentreManager,
) -> AppResult<Json<BundleAdminList>> {
    let rows = sqlx::query(
        "SELECT b.document, b.version, r.saved_by, r.saved_at FROM bundles b \
         LEFT JOIN bundle_drafts r ON r.bundle_code = b.code ORDER BY b.sort_order, b.code",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut bundles = Vec::new();
    for r in rows {
        let bundle: Bundle = crate::catalog::store::from_json(r.try_get("document")?)?;
        bundles.push(BundleAdminItem {
            members: bundle.members.len(),
            code: bundle.code,
            name: bundle.name,
            icon: bundle.icon,
            version: r.try_get("version")?,
            draft: match r.try_get::<Option<String>, _>("saved_by")? {
                Some(saved_by) => Some(app::api::DraftMark {
                    saved_by,
                    saved_at: r.try_get("saved_at")?,
                }),
                None => None,
            },
        });
    }
    Ok(Json(BundleAdminList {
        bundles,
        revision: revision(&state.db).await?,
    }))
}

/// The published bundle with its version, the draft with its changes and problems, the kept
/// versions, the items members may be chosen from, and the members' guides.
#[utoipa::path(get, path = "/api/admin/catalog/bundles/{code}", tag = "事项管理",
    params(("code" = String, Path, description = "一件事编码，如 birth")),
    responses(
        (status = 200, body = BundleEditor),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
    ))]
pub async fn editor(
    State(state): State<AppState>,
    CentreManager(_staff): CentreManager,
    Path(code): Path<String>,
) -> AppResult<Json<BundleEditor>> {
    Ok(Json(load_editor(&state.db, &code).await?))
}

async fn load_editor(db: &Db, code: &str) -> AppResult<BundleEditor> {
    let (published, version) =
        versions::published::<Bundle>(&mut *db.pool.acquire().await?, code).await?;
    let (draft, draft_mark) = versions::draft::<Bundle>(db, code).await?.unzip();
    let mut codes = member_codes(&published);
    if let Some(d) = &draft {
        codes.extend(
            member_codes(d)
                .into_iter()
                .filter(|c| !codes.contains(c))
                .collect::<Vec<_>>(),
        );
    }
    let guides = store::guides(db, &codes).await?;
    let (changes, problems) = match &draft {
        Some(d) => (changes(&published, d), d.problems(db).await?),
        None => (Vec::new(), BTreeMap::new()),
    };
    let items = sqlx::query("SELECT code, name, department_code FROM items ORDER BY code")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(MemberChoice {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                department: r.try_get("department_code")?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(BundleEditor {
        published,
        version,
        draft,
        draft_mark,
        changes,
        problems,
        versions: versions::versions::<Bundle>(db, code).await?,
        items,
        guides,
    })
}

/// `after` against `before`, field by field, with Chinese field names.
fn changes(before: &Bundle, after: &Bundle) -> Vec<GuideChange> {
    diff_documents(before, after)
        .into_iter()
        .map(|c| GuideChange {
            label: bundle_field_label(&c.path),
            path: c.path,
            before: c.before,
            after: c.after,
        })
        .collect()
}

/// Saves the manager's edited bundle as its draft (replacing an earlier one). An incomplete
/// draft is kept as it is, with its problems in the answer.
#[utoipa::path(put, path = "/api/admin/catalog/bundles/{code}/draft", tag = "事项管理",
    params(("code" = String, Path, description = "一件事编码")),
    request_body = BundleDraftSave,
    responses(
        (status = 200, body = BundleEditor, description = "草稿已保存；problems 列出发布前还需修改之处"),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
        (status = 422, body = app::api::ApiError, description = "编码与地址不一致（fields.code）"),
    ))]
pub async fn save_draft(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    JsonBody(save): JsonBody<BundleDraftSave>,
) -> AppResult<Json<BundleEditor>> {
    if save.bundle.code != code {
        return Err(AppError::UnprocessableField {
            field: "code".into(),
            message: format!("“一件事”的编码不能修改（应为 {code}）"),
        });
    }
    versions::save_draft(&state.db, &staff, &address, &save.bundle).await?;
    Ok(Json(load_editor(&state.db, &code).await?))
}

/// Discards the bundle's draft; the published bundle stays as it is.
#[utoipa::path(delete, path = "/api/admin/catalog/bundles/{code}/draft", tag = "事项管理",
    params(("code" = String, Path, description = "一件事编码")),
    responses(
        (status = 204, description = "草稿已删除"),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError, description = "没有该“一件事”或没有草稿"),
    ))]
pub async fn discard_draft(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
) -> AppResult<StatusCode> {
    versions::discard_draft::<Bundle>(&state.db, &staff, &address, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes the saved draft as the bundle's next version, if the bundle rules find nothing.
#[utoipa::path(post, path = "/api/admin/catalog/bundles/{code}/publish", tag = "事项管理",
    params(("code" = String, Path, description = "一件事编码")),
    request_body = PublishRequest,
    responses(
        (status = 200, body = Published),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "没有草稿，或同时有人发布了新版本"),
        (status = 422, body = app::api::ApiError, description = "“一件事”有需要修改之处，fields 逐项指明（如 members[2].after[0]、form[0].maps_to[1].field_id）"),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> AppResult<Json<Published>> {
    let answer =
        versions::publish_draft::<Bundle>(&state, &staff, &address, &code, &request.note).await?;
    Ok(Json(answer))
}

/// One kept version of the bundle.
#[utoipa::path(get, path = "/api/admin/catalog/bundles/{code}/versions/{version}", tag = "事项管理",
    params(
        ("code" = String, Path, description = "一件事编码"),
        ("version" = i64, Path, minimum = 1, description = "版本号"),
    ),
    responses(
        (status = 200, body = Bundle),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError),
    ))]
pub async fn version_bundle(
    State(state): State<AppState>,
    CentreManager(_staff): CentreManager,
    Path((code, version)): Path<(String, i64)>,
) -> AppResult<Json<Bundle>> {
    Ok(Json(versions::kept(&state.db, &code, version).await?))
}

/// Publishes an older version of the bundle again, as a new version.
#[utoipa::path(post, path = "/api/admin/catalog/bundles/{code}/versions/{version}/restore", tag = "事项管理",
    params(
        ("code" = String, Path, description = "一件事编码"),
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
        versions::restore::<Bundle>(&state, &staff, &address, &code, from, &request.note).await?;
    Ok(Json(answer))
}
