//! 好差评: the applicant rates a finished case once; every 差评 goes to the centre manager,
//! whose 整改 answer is sent back to the applicant.

use app::api::wire_name;
use app::api::{CaseStatus, FollowUpList, NewRating, Rating, RatingFollowUp, Rectification};
use axum::extract::{Path, State};
use axum::Json;
use sqlx::Row;

use super::routes::owned;
use super::store;
use super::view;
use crate::audit;
use crate::auth::{Applicant, CentreManager};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::AppState;

const MAX_COMMENT: usize = 500;
const MAX_ANSWER: usize = 1000;

/// Rates a finished case (已办结 or 不予受理), once.
#[utoipa::path(post, path = "/api/applications/{id}/rating", tag = "好差评",
    params(("id" = String, Path, description = "办件 id")),
    request_body = NewRating,
    responses(
        (status = 200, body = Rating),
        (status = 401, body = app::api::ApiError, description = "未登录（申请人）"),
        (status = 400, body = app::api::ApiError, description = "评价内容过长"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "尚未办结或已评价"),
    ))]
pub async fn rate(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    JsonBody(rating): JsonBody<NewRating>,
) -> AppResult<Json<Rating>> {
    let db = &state.db;
    let case = owned(db, &user, &id).await?;
    if !matches!(case.status, CaseStatus::Completed | CaseStatus::Rejected) {
        return Err(AppError::conflict(
            "not_final",
            format!("办件办结后才能评价，该办件当前为“{}”", case.status.label()),
        ));
    }
    let comment = rating.comment.trim().to_string();
    let length = comment.chars().count();
    if length > MAX_COMMENT {
        return Err(AppError::bad_param(
            "comment",
            format!("评价内容最多{MAX_COMMENT}个字，您填写了{length}个字"),
        ));
    }
    let already = || AppError::conflict("already_rated", "您已评价过该办件，每件办件只能评价一次");
    if store::rating(db, &id).await?.is_some() {
        return Err(already());
    }
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO ratings (case_id, level, is_bad, comment, created_at, seq) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (case_id) DO NOTHING",
    )
    .bind(&id)
    .bind(wire_name::of(&rating.level))
    .bind(i64::from(rating.level.is_bad()))
    .bind(&comment)
    .bind(&now)
    .bind(clock::next_seq())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Err(already());
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &user.audit_name(),
            action: "评价",
            detail: rating.level.label(),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    let stored = store::rating(db, &id)
        .await?
        .ok_or_else(|| AppError::Internal("rating vanished".into()))?;
    Ok(Json(stored))
}

async fn follow_up(state: &AppState, case_id: &str) -> AppResult<Option<RatingFollowUp>> {
    let Some(case) = store::find(&state.db, case_id).await? else {
        return Ok(None);
    };
    let Some(rating) = store::rating(&state.db, case_id).await? else {
        return Ok(None);
    };
    Ok(Some(RatingFollowUp {
        case: view::summary(&case, &state.calendar(), clock::today_beijing()),
        rating,
    }))
}

/// Every 差评, unanswered first, then newest first (centre manager only).
#[utoipa::path(get, path = "/api/manager/ratings", tag = "好差评",
    responses((status = 200, body = FollowUpList), (status = 401, body = app::api::ApiError), (status = 403, body = app::api::ApiError, description = "不是中心管理人员")))]
pub async fn bad_ratings(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
) -> AppResult<Json<FollowUpList>> {
    let rows = sqlx::query(
        "SELECT case_id FROM ratings WHERE is_bad = 1 \
         ORDER BY CASE WHEN rectification IS NULL THEN 0 ELSE 1 END, seq DESC LIMIT 500",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let mut follow_ups = Vec::new();
    for row in &rows {
        if let Some(f) = follow_up(&state, &row.try_get::<String, _>("case_id")?).await? {
            follow_ups.push(f);
        }
    }
    Ok(Json(FollowUpList { follow_ups }))
}

/// Records the 整改 answer to a 差评 and sends it to the applicant.
#[utoipa::path(post, path = "/api/manager/ratings/{case_id}/rectification", tag = "好差评",
    params(("case_id" = String, Path, description = "办件 id")),
    request_body = Rectification,
    responses(
        (status = 200, body = RatingFollowUp),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 400, body = app::api::ApiError, description = "答复为空或过长"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 404, body = app::api::ApiError, description = "没有该差评"),
        (status = 409, body = app::api::ApiError, description = "已经答复过"),
    ))]
pub async fn rectify(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(case_id): Path<String>,
    JsonBody(rectification): JsonBody<Rectification>,
) -> AppResult<Json<RatingFollowUp>> {
    let db = &state.db;
    let answer = rectification.answer.trim().to_string();
    if answer.is_empty() {
        return Err(AppError::bad_param("answer", "请填写整改答复"));
    }
    if answer.chars().count() > MAX_ANSWER {
        return Err(AppError::bad_param(
            "answer",
            format!("整改答复最多{MAX_ANSWER}个字"),
        ));
    }
    let case = store::find(db, &case_id)
        .await?
        .ok_or_else(|| AppError::not_found("没有找到该差评"))?;
    let rating = store::rating(db, &case_id)
        .await?
        .filter(|r| r.level.is_bad())
        .ok_or_else(|| AppError::not_found("没有找到该差评"))?;
    let answered = || AppError::conflict("already_answered", "该差评已经答复过整改情况");
    if rating.rectification.is_some() {
        return Err(answered());
    }
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE ratings SET rectification = $2, rectified_at = $3, rectified_by = $4 \
         WHERE case_id = $1 AND rectification IS NULL",
    )
    .bind(&case_id)
    .bind(&answer)
    .bind(&now)
    .bind(&manager.username)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if done == 0 {
        return Err(answered());
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &manager.audit_name(),
            action: "差评整改答复",
            detail: &answer,
            case_id: Some(&case_id),
            address: &address,
        },
    )
    .await?;
    store::add_message(
        &mut *tx,
        &case.applicant_id,
        &case_id,
        &format!("您对“{}”的评价已收到整改答复：{answer}", case.item_name),
    )
    .await?;
    tx.commit().await?;
    follow_up(&state, &case_id)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::Internal("follow-up vanished".into()))
}
