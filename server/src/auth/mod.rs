//! Sign-in: applicants by mobile number and SMS code, staff by username and password; one
//! session cookie for both, and the extractors handlers use to require either.

pub mod accounts;
pub mod agents;
pub mod otp;
pub mod session;
pub mod sms;
pub mod staff;

use app::api::Me;
use app::rules::phone::mask_mobile;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::AppState;
pub use session::{ApplicantUser, Principal, StaffUser};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(otp::request_code))
        .routes(routes!(otp::login))
        .routes(routes!(logout))
        .routes(routes!(staff::login))
        .routes(routes!(me))
        .routes(routes!(session_info))
        .merge(accounts::router())
}

async fn principal(parts: &Parts, state: &AppState) -> AppResult<Option<Principal>> {
    match session::token_from(&parts.headers) {
        Some(token) => session::lookup(&state.db, &token).await,
        None => Ok(None),
    }
}

/// Anyone signed in; 401 otherwise.
pub struct SignedIn(pub Principal);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        principal(parts, state)
            .await?
            .map(SignedIn)
            .ok_or_else(|| AppError::unauthorized("请先登录"))
    }
}

/// A signed-in applicant; 401 otherwise (staff accounts do not file applications).
pub struct Applicant(pub ApplicantUser);

impl FromRequestParts<AppState> for Applicant {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match principal(parts, state).await? {
            Some(Principal::Applicant(user)) => Ok(Applicant(user)),
            _ => Err(AppError::unauthorized("请先使用手机号和短信验证码登录")),
        }
    }
}

/// A signed-in member of staff; 401 otherwise.
pub struct Staff(pub StaffUser);

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match principal(parts, state).await? {
            Some(Principal::Staff(user)) => Ok(Staff(user)),
            _ => Err(AppError::unauthorized("请先登录工作人员账号")),
        }
    }
}

/// The centre manager (`/api/admin/…`, `/api/manager/…`, a case's audit log): 401 when not
/// signed in as staff, 403 for a reviewer (who is told the pages are the managers').
pub struct CentreManager(pub StaffUser);

impl FromRequestParts<AppState> for CentreManager {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Staff(user) = Staff::from_request_parts(parts, state).await?;
        if user.is_manager() {
            Ok(CentreManager(user))
        } else {
            Err(AppError::Forbidden {
                message: "中心管理功能仅对政务服务中心管理者开放".into(),
            })
        }
    }
}

/// What `GET /api/me` answers for `principal`.
/// Ends a successful sign-in of either kind: a new session, its audit entry (who, how, from
/// where), the session cookie, and who is now signed in.
pub(crate) async fn start_session(
    state: &AppState,
    principal: Principal,
    actor: &str,
    how: &str,
    address: &str,
    headers: &HeaderMap,
) -> AppResult<impl IntoResponse> {
    let db = &state.db;
    let token = session::create(db, &principal).await?;
    crate::audit::record(
        &db.pool,
        crate::audit::Entry {
            actor,
            action: "登录",
            detail: how,
            case_id: None,
            address,
        },
    )
    .await?;
    let me = me_of(db, &principal).await?;
    Ok((
        AppendHeaders([(
            header::SET_COOKIE,
            session::set_cookie(Some(&token), headers, &state.deployment),
        )]),
        Json(me),
    ))
}

pub async fn me_of(db: &Db, principal: &Principal) -> AppResult<Me> {
    Ok(match principal {
        Principal::Applicant(user) => {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM messages WHERE applicant_id = $1 AND is_read = 0",
            )
            .bind(&user.id)
            .fetch_one(&db.pool)
            .await?;
            Me::Applicant {
                phone_masked: mask_mobile(&user.phone),
                uscc: user.uscc.clone(),
                unread_messages: row.try_get::<i64, _>("n")? as u32,
            }
        }
        Principal::Staff(user) => {
            let department_name = match &user.department {
                Some(code) => sqlx::query("SELECT name FROM departments WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&db.pool)
                    .await?
                    .map(|r| r.try_get::<String, _>("name"))
                    .transpose()?,
                None => None,
            };
            Me::Staff {
                username: user.username.clone(),
                display_name: user.display_name.clone(),
                role: user.role,
                department: user.department.clone(),
                department_name,
            }
        }
    })
}

/// Who is signed in.
#[utoipa::path(get, path = "/api/me", tag = "登录",
    responses((status = 200, body = Me), (status = 401, body = app::api::ApiError, description = "未登录")))]
pub async fn me(
    State(state): State<AppState>,
    SignedIn(principal): SignedIn,
) -> AppResult<Json<Me>> {
    Ok(Json(me_of(&state.db, &principal).await?))
}

/// Who is signed in, if anyone: 200 either way (the page header asks on every first visit).
#[utoipa::path(get, path = "/api/session", tag = "登录",
    responses((status = 200, body = app::api::SessionInfo)))]
pub async fn session_info(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Json<app::api::SessionInfo>> {
    let principal = match session::token_from(&headers) {
        Some(token) => session::lookup(&state.db, &token).await?,
        None => None,
    };
    let me = match principal {
        Some(principal) => Some(me_of(&state.db, &principal).await?),
        None => None,
    };
    Ok(Json(app::api::SessionInfo { me }))
}

/// Ends the session and clears the cookie (also when it had already expired).
#[utoipa::path(post, path = "/api/auth/logout", tag = "登录", responses((status = 204, description = "已退出")))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<impl IntoResponse> {
    if let Some(token) = session::token_from(&headers) {
        session::delete(&state.db, &token).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(
            header::SET_COOKIE,
            session::set_cookie(None, &headers, &state.deployment),
        )]),
    ))
}
