//! 经办人授权: a company's 法定代表人 authorises a 经办人's mobile to act for the company
//! (`POST /api/company/agents`) and revokes it again (`DELETE /api/company/agents/{phone}`).
//! The register itself, and who may act, is [`crate::companies`].

use app::api::{AgentAuthorised, AuthoriseAgent};
use app::rules::phone::{mask_mobile, validate_mobile};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use super::{Applicant, ApplicantUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::companies::{authorise, role, Role};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(authorise_agent))
        .routes(routes!(revoke_agent))
}

/// The company a signed-in applicant acts for as its 法定代表人; 403 otherwise.
async fn as_legal_rep<'a>(db: &Db, user: &'a ApplicantUser) -> AppResult<&'a str> {
    let Some(uscc) = user.uscc.as_deref() else {
        return Err(AppError::Forbidden {
            message: "请先以企业身份（填写统一社会信用代码）使用法定代表人手机登录".into(),
        });
    };
    if role(db, &user.phone, uscc).await? != Ok(Role::LegalRep) {
        return Err(AppError::Forbidden {
            message: "只有企业的法定代表人可以授权或撤销经办人".into(),
        });
    }
    Ok(uscc)
}

/// 撤销经办人授权: the 法定代表人 ends an authorisation; the 经办人's sessions for the company
/// end at their next request.
#[utoipa::path(delete, path = "/api/company/agents/{phone}", tag = "登录",
    params(("phone" = String, Path, description = "经办人的手机号码")),
    responses(
        (status = 204, description = "已撤销"),
        (status = 400, body = app::api::ApiError, description = "手机号格式错误"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 403, body = app::api::ApiError, description = "未以企业身份登录，或不是该企业的法定代表人"),
        (status = 404, body = app::api::ApiError, description = "该手机号不是本企业在授权期内的经办人"),
    ))]
pub async fn revoke_agent(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Applicant(user): Applicant,
    Path(phone): Path<String>,
) -> AppResult<StatusCode> {
    let db = &state.db;
    let uscc = as_legal_rep(db, &user).await?;
    let phone = validate_mobile(&phone).map_err(|e| AppError::bad_param("phone", e.message))?;
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    let revoked = sqlx::query(
        "UPDATE company_agents SET revoked_at = $3 WHERE uscc = $1 AND phone = $2 \
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(uscc)
    .bind(&phone)
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if revoked == 0 {
        return Err(AppError::not_found("该手机号不是本企业在授权期内的经办人"));
    }
    crate::audit::record(
        &mut *tx,
        crate::audit::Entry {
            actor: &user.audit_name(),
            action: "撤销经办人授权",
            detail: &mask_mobile(&phone),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 经办人授权: the 法定代表人, signed in for the company, authorises a mobile number to act for
/// it (again, if it was authorised before), until `expires_on` (included) or for good.
#[utoipa::path(post, path = "/api/company/agents", tag = "登录",
    request_body = AuthoriseAgent,
    responses(
        (status = 200, body = AgentAuthorised),
        (status = 400, body = app::api::ApiError, description = "手机号、姓名或期限格式错误"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 403, body = app::api::ApiError, description = "未以企业身份登录，或不是该企业的法定代表人"),
    ))]
pub async fn authorise_agent(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Applicant(user): Applicant,
    JsonBody(request): JsonBody<AuthoriseAgent>,
) -> AppResult<Json<AgentAuthorised>> {
    let db = &state.db;
    let uscc = as_legal_rep(db, &user).await?;
    let phone =
        validate_mobile(&request.phone).map_err(|e| AppError::bad_param("phone", e.message))?;
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 30 {
        return Err(AppError::bad_param("name", "请填写经办人姓名（30字以内）"));
    }
    if phone == user.phone {
        return Err(AppError::bad_param(
            "phone",
            "这是法定代表人本人的手机号码，无需授权",
        ));
    }
    let expires_at = match &request.expires_on {
        None => None,
        Some(day) => {
            let date = app::rules::date::Date::parse(day.trim()).ok_or_else(|| {
                AppError::bad_param("expires_on", "授权期限应为日期，如 2026-12-31")
            })?;
            if date < clock::today_beijing() {
                return Err(AppError::bad_param("expires_on", "授权期限不能早于今天"));
            }
            // The end of that day in Beijing (UTC+8) is 16:00 UTC.
            Some(clock::rfc3339(date.to_unix_days() * 86_400 + 16 * 3600))
        }
    };
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    authorise(
        &mut tx,
        uscc,
        &phone,
        name,
        &user.audit_name(),
        expires_at.as_deref(),
        &now,
    )
    .await?;
    crate::audit::record(
        &mut *tx,
        crate::audit::Entry {
            actor: &user.audit_name(),
            action: "授权经办人",
            detail: &format!("{name} {}", mask_mobile(&phone)),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(AgentAuthorised {
        uscc: uscc.to_string(),
        phone_masked: mask_mobile(&phone),
        name: name.to_string(),
        expires_on: request.expires_on.as_ref().map(|d| d.trim().to_string()),
    }))
}
