//! Material uploads and downloads of a case. The files themselves are streamed, recognised by
//! content and stored content-addressed by [`crate::workflow::files`].

use app::api::UploadInfo;
use app::rules::tailor::tailor;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sqlx::Row;

use super::routes::owned;
use super::store;
use crate::audit;
use crate::auth::{Applicant, Principal, SignedIn};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::upload_quota;
use crate::workflow::files::{
    clean_file_name, download_name, open_file, record_upload, store_file, Owner, Stored,
};
use crate::workflow::{changed_meanwhile, ensure_editable, ensure_not_held};
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::upload_quota::MAX_FILE_BYTES;
pub use crate::workflow::files::remove_partial_uploads;

/// The upload route, kept apart so the global 64 KB request limit does not apply to it: it
/// counts the bytes itself while streaming.
pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::disable())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}

/// Uploads one material of a draft or returned case: the raw file is the request body.
///
/// The type is recognised from the content (PDF, JPG or PNG); the Content-Type header is
/// ignored. A new upload replaces the current one (older versions are kept) and resets the
/// reviewer's verdict on that material.
#[utoipa::path(put, path = "/api/applications/{id}/materials/{material_id}", tag = "网上申请",
    params(
        ("id" = String, Path, description = "办件 id"),
        ("material_id" = String, Path, description = "材料 id，如 id_card"),
        ("name" = String, Query, min_length = 1, max_length = 400, description = "原文件名，如 身份证.pdf"),
    ),
    request_body(content(("application/octet-stream")), description = "文件内容，最大 20 MB"),
    responses(
        (status = 200, body = UploadInfo),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 404, body = app::api::ApiError, description = "没有该办件或该办件不需要这项材料"),
        (status = 409, body = app::api::ApiError, description = "办件已提交，不能上传"),
        (status = 413, body = app::api::ApiError, description = "文件超过 20 MB，或超过办件、申请人的上传总量（quota_exceeded）"),
        (status = 415, body = app::api::ApiError, description = "不是 PDF、JPG 或 PNG"),
        (status = 422, body = app::api::ApiError, description = "办件或申请人的文件个数已达上限（quota_exceeded）"),
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
    let case = owned(db, &user, &id).await?;
    ensure_editable(case.status)?;
    ensure_not_held(&case)?;
    let guide = store::guide(db, &id).await?;
    let material = tailor(&guide, &case.answers)
        .materials
        .into_iter()
        .map(|m| m.item)
        .find(|m| m.id == material_id)
        .ok_or_else(|| AppError::not_found("该办件不需要这项材料，请刷新页面后重试"))?;
    let limit = upload_quota::budget(
        db,
        &state.upload_quota,
        &user.id,
        upload_quota::Container::Case(&id),
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
        Owner::Case(&id),
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
        let status = store::find(db, &id)
            .await?
            .map(|c| c.status)
            .unwrap_or(case.status);
        return Err(ensure_editable(status)
            .err()
            .unwrap_or_else(changed_meanwhile));
    };
    // A new file needs a new look: the old verdict was about the old file.
    sqlx::query("DELETE FROM material_reviews WHERE case_id = $1 AND material_id = $2")
        .bind(&id)
        .bind(&material_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(info))
}

/// RFC 5987 `attr-char`s stay as they are; everything else is percent-encoded.
const FILENAME_SAFE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// Downloads an uploaded file: for its owner, and for staff of the case's department and the
/// manager once the case has been submitted. Anyone else gets the same 404 as for a file that
/// does not exist.
#[utoipa::path(get, path = "/api/files/{upload_id}", tag = "网上申请",
    params(("upload_id" = String, Path, description = "上传记录 id")),
    responses(
        (status = 200, content_type = "application/octet-stream", description = "文件内容（附件下载）"),
        (status = 401, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError),
    ))]
pub async fn download(
    State(state): State<AppState>,
    SignedIn(principal): SignedIn,
    ClientAddress(address): ClientAddress,
    Path(upload_id): Path<String>,
) -> AppResult<Response> {
    let db = &state.db;
    let not_found = || AppError::not_found("没有找到该文件");
    let row = sqlx::query(
        "SELECT u.file_name, u.content_type, u.size, u.sha256, u.case_id, c.applicant_id, c.department_code, c.number \
         FROM uploads u JOIN cases c ON c.id = u.case_id WHERE u.id = $1",
    )
    .bind(&upload_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(not_found)?;
    let case_id: String = row.try_get("case_id")?;
    let file_name: String = row.try_get("file_name")?;
    let allowed = match &principal {
        Principal::Applicant(user) => row.try_get::<String, _>("applicant_id")? == user.id,
        Principal::Staff(staff) => {
            row.try_get::<Option<String>, _>("number")?.is_some()
                && staff.covers(&row.try_get::<String, _>("department_code")?)
        }
    };
    if !allowed {
        return Err(not_found());
    }
    if let Principal::Staff(staff) = &principal {
        // Reading an applicant's files is recorded once per person, case and day: a reviewer's
        // previews reloading with the page would otherwise bury the log in repeats.
        let mut tx = db.pool.begin().await?;
        let first_today = sqlx::query(
            "INSERT INTO file_views (username, case_id, day) VALUES ($1, $2, $3) \
             ON CONFLICT (username, case_id, day) DO NOTHING",
        )
        .bind(&staff.username)
        .bind(&case_id)
        .bind(clock::today_beijing().to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if first_today {
            audit::record(
                &mut *tx,
                audit::Entry {
                    actor: &staff.audit_name(),
                    action: "查看材料",
                    detail: &format!("{file_name}（当日首次查看本办件材料）"),
                    case_id: Some(&case_id),
                    address: &address,
                },
            )
            .await?;
        }
        tx.commit().await?;
    }
    let sha256: String = row.try_get("sha256")?;
    // Streamed from the store a chunk at a time, so a 20 MB file is never held in memory.
    let stream = open_file(&state.files, &sha256).await?.ok_or_else(|| {
        tracing::error!(%sha256, store = %state.files.label(), "stored upload is missing");
        not_found()
    })?;
    let content_type: String = row.try_get("content_type")?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        utf8_percent_encode(&download_name(&file_name, &content_type), FILENAME_SAFE)
    );
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|e| AppError::Internal(e.to_string()));
    headers.insert(header::CONTENT_TYPE, value(&content_type)?);
    headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(row.try_get::<i64, _>("size")?),
    );
    headers.insert(header::CONTENT_DISPOSITION, value(&disposition)?);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
