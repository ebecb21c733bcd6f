//! Staff sign-in with username and password (argon2id hashes).

use std::sync::OnceLock;

use app::api::{Me, StaffLogin};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use sqlx::Row;

use super::session::{self, Principal, StaffUser};
use crate::audit;
use crate::client_address::ClientAddress;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::ratelimit::{self, wait_words};
use crate::AppState;

const MAX_FAILURES: i64 = 10;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// The one answer for an unknown user and a wrong password alike.
const FAILED: &str = "用户名或密码不正确";

/// An argon2id PHC string with a random salt.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("operating system random number generator");
    let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Signs a member of staff in; sets the `bst_session` cookie.
#[utoipa::path(post, path = "/api/staff/login", tag = "登录",
    request_body = StaffLogin,
    responses(
        (status = 200, body = Me, description = "已登录，响应设置 bst_session Cookie"),
        (status = 401, body = app::api::ApiError, description = "用户名或密码不正确"),
        (status = 429, body = app::api::ApiError, description = "失败次数过多"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(request): JsonBody<StaffLogin>,
) -> AppResult<impl IntoResponse> {
    let db = &state.db;
    let username: String = request.username.trim().chars().take(64).collect();
    let bucket = format!("staff_login:{}", username.to_lowercase());
    let (failures, free_at) = ratelimit::recent(db, &bucket, FAILURE_WINDOW_SECS).await?;
    if failures >= MAX_FAILURES {
        let wait = free_at
            .map_or(FAILURE_WINDOW_SECS, |t| t - crate::clock::now_unix())
            .max(1) as u64;
        return Err(AppError::TooManyRequests {
            message: format!("该账号登录失败次数过多，请在 {} 后再试", wait_words(wait)),
            retry_after: wait,
        });
    }
    let row = sqlx::query("SELECT username, display_name, role, department_code, password_hash FROM staff WHERE username = $1")
        .bind(&username)
        .fetch_optional(&db.pool)
        .await?;
    // An unknown user still costs one verification, so timing does not reveal which users exist.
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = match &row {
        Some(r) => r.try_get::<String, _>("password_hash")?,
        None => DUMMY
            .get_or_init(|| hash_password("not a password"))
            .clone(),
    };
    let password = request.password;
    let ok = tokio::task::spawn_blocking(move || verify_password(&stored, &password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(row) = row.filter(|_| ok) else {
        ratelimit::record(db, &bucket, FAILURE_WINDOW_SECS).await?;
        audit::record(
            &db.pool,
            audit::Entry {
                actor: &format!("工作人员账号 {username}"),
                action: "登录失败",
                detail: "用户名或密码不正确",
                case_id: None,
                address: &address,
            },
        )
        .await?;
        return Err(AppError::unauthorized(FAILED));
    };
    let user = StaffUser {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: session::parse_role(&row.try_get::<String, _>("role")?)?,
        department: row.try_get("department_code")?,
    };
    let actor = user.audit_name();
    super::start_session(
        db,
        Principal::Staff(user),
        &actor,
        "工作人员账号密码登录",
        &address,
        &headers,
    )
    .await
}
