//! Liveness and readiness for load balancers and orchestrators.
//!
//! - `GET /api/health` (liveness) answers from memory: the process serves requests.
//! - `GET /api/ready` (readiness) answers 200 only when this server can do its work: the
//!   database answers `SELECT 1` and the file store takes files ([`file_store`]), each within
//!   [`CHECK_TIMEOUT`]; else 503 in the one error shape, naming each failing part in `fields`.
//!   A balancer sends no citizen to a server that would fail them.

use std::collections::BTreeMap;
use std::time::Duration;

use app::api::Health;
use axum::extract::State;
use axum::Json;

use crate::error::{AppError, AppResult};
use crate::{secrets, AppState};

/// How long one check may take before the part counts as not ready.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// Liveness and which database backs this server (no database query: cheap).
#[utoipa::path(get, path = "/api/health", tag = "系统", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        database: state.db.backend.name().into(),
    })
}

/// Readiness: the database and the file store answer.
#[utoipa::path(
    get,
    path = "/api/ready",
    tag = "系统",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "数据库或文件存储不可用（code `not_ready`，fields 说明哪一项）", body = app::api::ApiError),
    )
)]
pub async fn ready(State(state): State<AppState>) -> AppResult<Json<Health>> {
    let mut failing = BTreeMap::new();
    let database = tokio::time::timeout(
        CHECK_TIMEOUT,
        sqlx::query("SELECT 1").execute(&state.db.pool),
    )
    .await;
    match database {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database");
            failing.insert("database".to_string(), "数据库无法访问".to_string());
        }
        Err(_) => {
            tracing::warn!("readiness: database did not answer in time");
            failing.insert("database".to_string(), "数据库响应超时".to_string());
        }
    }
    match tokio::time::timeout(CHECK_TIMEOUT, file_store(&state)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: file store");
            failing.insert("file_store".to_string(), "文件存储无法写入".to_string());
        }
        Err(_) => {
            tracing::warn!("readiness: file store did not answer in time");
            failing.insert("file_store".to_string(), "文件存储响应超时".to_string());
        }
    }
    if !failing.is_empty() {
        return Err(AppError::Unavailable {
            code: "not_ready",
            message: format!(
                "本服务器暂不能受理请求：{}",
                failing.values().cloned().collect::<Vec<_>>().join("；")
            ),
            fields: failing,
        });
    }
    Ok(Json(Health {
        status: "ok".into(),
        database: state.db.backend.name().into(),
    }))
}

/// Whether the file store takes files: for a local folder, a probe file can be written to and
/// removed from its temporary directory, where uploads are written first; the database and S3
/// stores answer their own check (`FileStore::check`).
pub async fn file_store(state: &AppState) -> Result<(), String> {
    let Some(dir) = state.files.local_dir() else {
        return state.files.check().await.map_err(|e| e.to_string());
    };
    let tmp = dir.join("tmp");
    tokio::fs::create_dir_all(&tmp)
        .await
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    let probe = tmp.join(format!("ready-{}.probe", secrets::new_id()));
    tokio::fs::write(&probe, b"ready")
        .await
        .map_err(|e| format!("{}: {e}", probe.display()))?;
    tokio::fs::remove_file(&probe)
        .await
        .map_err(|e| format!("{}: {e}", probe.display()))
}
