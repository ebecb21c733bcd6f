//! Material uploads: streamed to disk, recognised by content, stored content-addressed.
//!
//! A file is never held in memory: the body streams into a temporary file under the upload
//! directory while its sha256 is computed, is refused as soon as it passes 20 MiB, and is
//! then renamed to `<upload dir>/<sha256>` — a rename within one directory tree is atomic,
//! so a crash leaves either no file or the whole file, never half of one under a final name.

use std::path::{Path as FsPath, PathBuf};

use app::api::UploadInfo;
use app::rules::tailor::tailor;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use futures_util::StreamExt;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};
use sqlx::Row;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::routes::{ensure_editable, owned};
use super::store;
use crate::audit;
use crate::auth::{Applicant, Principal, SignedIn};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::secrets;
use crate::upload_quota::{self, UploadLimit};
use crate::AppState;

pub use crate::upload_quota::MAX_FILE_BYTES;

/// The upload route, kept apart so the global 64 KB request limit does not apply to it: it
/// counts the bytes itself while streaming.
pub fn upload_router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/applications/{id}/materials/{material_id}",
            put(upload),
        )
        .layer(DefaultBodyLimit::disable())
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/files/{upload_id}", get(download))
}

/// The file type from its first bytes (never from its name or the declared Content-Type).
fn sniff(head: &[u8]) -> AppResult<&'static str> {
    if head.starts_with(b"%PDF-") {
        Ok("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok("image/png")
    } else {
        Err(AppError::UnsupportedType {
            message: "只能上传 PDF、JPG 或 PNG 文件（按文件内容识别）".into(),
        })
    }
}

/// Characters that change the direction of the text around them (U+202A–U+202E, U+2066–U+2069,
/// the marks U+200E, U+200F and U+061C): `发票\u{202E}fdp.exe` shows as `发票exe.pdf`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Neither a control character nor a direction override.
fn is_shown(c: char) -> bool {
    !c.is_control() && !is_bidi_control(c)
}

/// The extensions of a recognised type, the usual one first.
fn extensions(content_type: &str) -> &'static [&'static str] {
    match content_type {
        "application/pdf" => &["pdf"],
        "image/jpeg" => &["jpg", "jpeg"],
        "image/png" => &["png"],
        _ => &["bin"],
    }
}

/// The name a stored file is downloaded as: the uploaded name without control or direction
/// characters, ending in the extension of the type recognised from its content (`合同.exe`
/// holding a PDF downloads as `合同.pdf`), so the name never promises another program.
pub fn download_name(stored: &str, content_type: &str) -> String {
    let shown: String = stored.chars().filter(|c| is_shown(*c)).collect();
    let shown = shown.trim();
    let known = extensions(content_type);
    let (stem, extension) = match shown.rsplit_once('.') {
        Some((stem, ext)) if !stem.trim().is_empty() => (stem.trim_end(), Some(ext)),
        _ => (shown, None),
    };
    if extension.is_some_and(|e| known.iter().any(|k| e.eq_ignore_ascii_case(k))) {
        return shown.to_string();
    }
    let stem = if stem.trim_matches('.').is_empty() {
        "材料"
    } else {
        stem
    };
    format!("{stem}.{}", known[0])
}

/// A file name fit to store and show: no directories, no control or direction characters, at
/// most 120 characters.
pub(crate) fn clean_file_name(raw: &str) -> AppResult<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| is_shown(*c))
        .collect::<String>()
        .trim()
        .chars()
        .take(120)
        .collect();
    if name.is_empty() || name == "." || name == ".." {
        return Err(AppError::bad_param(
            "name",
            "缺少文件名（参数 name），例如 ?name=身份证.pdf",
        ));
    }
    Ok(name)
}

/// Deletes the `.part` files in `<dir>/tmp` not written to for `idle`: what a crash or a stopped
/// server left behind. A file written more recently may belong to an upload in progress (of
/// this or another server process sharing the directory); no upload outlives its request
/// timeout, so with `idle` at least that long only abandoned files go. Returns how many.
pub fn remove_partial_uploads(dir: &FsPath, idle: std::time::Duration) -> std::io::Result<usize> {
    let entries = match std::fs::read_dir(dir.join("tmp")) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "part") {
            continue;
        }
        let abandoned = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age >= idle);
        if abandoned {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

/// Deletes the temporary file unless the upload completed.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn io_error(e: std::io::Error) -> AppError {
    AppError::Internal(format!("upload storage: {e}"))
}

/// Streams `body` into the upload directory; returns (content type, size, sha256). Shared by
/// single-case and bundle uploads: a file is stored once under its sha256 whoever refers to it.
/// At most `limit.max_bytes` are accepted (the 20 MB file limit or the quota left, see
/// [`crate::upload_quota`]); a declared Content-Length over it is refused before reading.
pub(crate) async fn store_file(
    dir: &FsPath,
    headers: &HeaderMap,
    body: Body,
    limit: &UploadLimit,
) -> AppResult<(&'static str, u64, String)> {
    let declared_length: Option<u64> = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    if declared_length.is_some_and(|n| n > limit.max_bytes) {
        return Err(limit.error());
    }
    let tmp_dir = dir.join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(io_error)?;
    let mut temp = TempFile {
        path: tmp_dir.join(format!("{}.part", secrets::new_id())),
        keep: false,
    };
    let mut file = tokio::fs::File::create(&temp.path)
        .await
        .map_err(io_error)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut content_type = None;
    // The first bytes are held back until there are enough to recognise the type.
    let mut head = Vec::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| AppError::bad_param("body", "文件上传中断，请重新上传"))?;
        size += chunk.len() as u64;
        if size > limit.max_bytes {
            return Err(limit.error());
        }
        let data: &[u8] = if content_type.is_none() {
            head.extend_from_slice(&chunk);
            if head.len() < 8 {
                continue;
            }
            content_type = Some(sniff(&head)?);
            &head
        } else {
            &chunk
        };
        hasher.update(data);
        file.write_all(data).await.map_err(io_error)?;
        if !head.is_empty() {
            head = Vec::new();
        }
    }
    if size == 0 {
        return Err(AppError::bad_param(
            "body",
            "上传的文件是空的，请重新选择文件",
        ));
    }
    let content_type = match content_type {
        Some(t) => t,
        None => {
            // A file shorter than eight bytes: whatever arrived is the head.
            let t = sniff(&head)?;
            hasher.update(&head);
            file.write_all(&head).await.map_err(io_error)?;
            t
        }
    };
    file.flush().await.map_err(io_error)?;
    file.sync_all().await.map_err(io_error)?;
    drop(file);
    let sha256 = secrets::hex(&hasher.finalize());
    let target = dir.join(&sha256);
    if tokio::fs::try_exists(&target).await.map_err(io_error)? {
        // The same content is already stored; the temporary copy is dropped.
    } else {
        tokio::fs::rename(&temp.path, &target)
            .await
            .map_err(io_error)?;
        temp.keep = true;
    }
    Ok((content_type, size, sha256))
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
        ("name" = String, Query, description = "原文件名，如 身份证.pdf"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "文件内容，最大 20 MB"),
    responses(
        (status = 200, body = UploadInfo),
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
    super::routes::ensure_not_held(&case)?;
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
    let (content_type, size, sha256) =
        store_file(&state.upload_dir, &headers, body, &limit).await?;

    let upload_id = secrets::new_id();
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    // Still editable? (The case may have been submitted while the file was arriving.)
    let editable = sqlx::query(
        "UPDATE cases SET updated_at = $2 WHERE id = $1 AND status IN ('draft', 'returned')",
    )
    .bind(&id)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if editable == 0 {
        let status = store::find(db, &id)
            .await?
            .map(|c| c.status)
            .unwrap_or(case.status);
        return Err(ensure_editable(status)
            .err()
            .unwrap_or_else(super::routes::changed_meanwhile));
    }
    sqlx::query("UPDATE uploads SET is_current = 0 WHERE case_id = $1 AND material_id = $2")
        .bind(&id)
        .bind(&material_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO uploads (id, case_id, material_id, file_name, content_type, size, sha256, is_current, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)",
    )
    .bind(&upload_id)
    .bind(&id)
    .bind(&material_id)
    .bind(&file_name)
    .bind(content_type)
    .bind(size as i64)
    .bind(&sha256)
    .bind(&now)
    .bind(clock::next_seq())
    .execute(&mut *tx)
    .await?;
    // A new file needs a new look: the old verdict was about the old file.
    sqlx::query("DELETE FROM material_reviews WHERE case_id = $1 AND material_id = $2")
        .bind(&id)
        .bind(&material_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: "上传材料",
            detail: &format!(
                "{}：{file_name}（{content_type}，{size} 字节，sha256 {sha256}）",
                material.name
            ),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(UploadInfo {
        id: upload_id,
        file_name,
        content_type: content_type.into(),
        size,
        sha256,
        uploaded_at: now,
        current: true,
    }))
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
        audit::record(
            &db.pool,
            audit::Entry {
                actor: &staff.audit_name(),
                action: "查看材料",
                detail: &file_name,
                case_id: Some(&case_id),
                address: &address,
            },
        )
        .await?;
    }
    let sha256: String = row.try_get("sha256")?;
    let file = tokio::fs::File::open(state.upload_dir.join(&sha256))
        .await
        .map_err(|e| {
            tracing::error!(%sha256, error = %e, "stored upload is missing");
            not_found()
        })?;
    // Read in 64 KiB chunks, so a 20 MB file costs 64 KiB of memory.
    let stream = futures_util::stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err::<axum::body::Bytes, _>(e), None)),
        }
    });
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
