//! 站内消息: what happened to the applicant's cases.

use app::api::{Message, MessageList};
use axum::extract::State;
use axum::Json;
use sqlx::Row;

use crate::auth::Applicant;
use crate::db::Db;
use crate::error::AppResult;
use crate::AppState;

async fn list_of(db: &Db, applicant_id: &str) -> AppResult<MessageList> {
    let rows = sqlx::query(
        "SELECT id, case_id, body, created_at, is_read FROM messages WHERE applicant_id = $1 ORDER BY seq DESC LIMIT 200",
    )
    .bind(applicant_id)
    .fetch_all(&db.pool)
    .await?;
    let messages = rows
        .iter()
        .map(|r| {
            Ok(Message {
                id: r.try_get("id")?,
                case_id: r.try_get("case_id")?,
                text: r.try_get("body")?,
                at: r.try_get("created_at")?,
                read: r.try_get::<i64, _>("is_read")? == 1,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let unread =
        sqlx::query("SELECT COUNT(*) AS n FROM messages WHERE applicant_id = $1 AND is_read = 0")
            .bind(applicant_id)
            .fetch_one(&db.pool)
            .await?
            .try_get::<i64, _>("n")?;
    Ok(MessageList {
        messages,
        unread: unread as u32,
    })
}

/// My messages, newest first.
#[utoipa::path(get, path = "/api/messages", tag = "消息",
    responses((status = 200, body = MessageList), (status = 401, body = app::api::ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    Applicant(user): Applicant,
) -> AppResult<Json<MessageList>> {
    Ok(Json(list_of(&state.db, &user.id).await?))
}

/// Marks all my messages read.
#[utoipa::path(post, path = "/api/messages/read", tag = "消息",
    responses((status = 200, body = MessageList), (status = 401, body = app::api::ApiError)))]
pub async fn mark_read(
    State(state): State<AppState>,
    Applicant(user): Applicant,
) -> AppResult<Json<MessageList>> {
    sqlx::query("UPDATE messages SET is_read = 1 WHERE applicant_id = $1 AND is_read = 0")
        .bind(&user.id)
        .execute(&state.db.pool)
        .await?;
    Ok(Json(list_of(&state.db, &user.id).await?))
}
