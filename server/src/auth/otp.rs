//! Applicant sign-in with a mobile number and a six-digit one-time code (短信验证码).
//!
//! Codes are random, stored only as a sha256 of number and code, valid for five minutes and
//! once. Guessing is bounded twice over: a code can be compared at most five times — the count
//! is taken in the same statement that lets a guess be compared, so parallel guesses cannot
//! pass it — and the fifth wrong one locks the number for fifteen minutes; and sending is
//! limited per number (one a minute, five an hour) and per client address (twenty an hour), so
//! the SMS gateway cannot be turned against a number or run up a bill. Codes for a number that
//! has no live code are compared with nothing and lock nothing (else anyone could lock anyone's
//! number); they count, with every other wrong code, against the client address.
//!
//! Acting for a business (a 统一社会信用代码 given with the number) needs a registered company
//! the number belongs to ([`crate::companies`]): an unregistered or closed company is refused
//! before a code is sent; whether the number belongs to the company is only said once the
//! right code proved the caller holds the number, and that refusal leaves the code unspent so
//! a mistyped code of the company can be corrected without a new SMS.

use app::api::{Me, OtpLogin, OtpRequest, OtpSent};
use app::rules::phone::{mask_mobile, validate_mobile};
use app::rules::uscc::validate_uscc;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::Json;
use sqlx::Row;

use super::session::{ApplicantUser, Principal};
use crate::client_address::{limit_key, ClientAddress};
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::ratelimit::{self, wait_words};
use crate::secrets;
use crate::AppState;

pub const CODE_LIFETIME_SECS: i64 = 5 * 60;
pub const RESEND_AFTER_SECS: i64 = 60;
const PER_NUMBER_PER_HOUR: i64 = 5;
const PER_ADDRESS_PER_HOUR: i64 = 20;
const MAX_WRONG_CODES: i64 = 5;
const LOCK_SECS: i64 = 15 * 60;
/// Wrong or pointless codes one client address may send in an hour, whatever the numbers.
const WRONG_PER_ADDRESS_PER_HOUR: i64 = 30;

fn code_hash(phone: &str, code: &str) -> String {
    secrets::sha256_hex(format!("{phone}:{code}").as_bytes())
}

/// The validated number and optional business code of a request.
fn identity(phone: &str, uscc: Option<&str>) -> AppResult<(String, Option<String>)> {
    let phone = validate_mobile(phone).map_err(|e| AppError::bad_param("phone", e.message))?;
    let uscc = match uscc.map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => Some(validate_uscc(u).map_err(|e| AppError::bad_param("uscc", e.message))?),
    };
    Ok((phone, uscc))
}

/// 423 while the number is locked after too many wrong codes.
async fn check_lock(db: &Db, phone: &str) -> AppResult<()> {
    let row = sqlx::query("SELECT locked_until FROM otp_locks WHERE phone = $1")
        .bind(phone)
        .fetch_optional(&db.pool)
        .await?;
    let until = match row {
        Some(r) => r.try_get::<Option<String>, _>("locked_until")?,
        None => None,
    };
    match until.and_then(|u| clock::parse_rfc3339(&u)) {
        Some(until) if until > clock::now_unix() => Err(locked(until)),
        _ => Ok(()),
    }
}

fn locked(until: i64) -> AppError {
    AppError::Locked {
        message: format!(
            "验证码错误次数过多，该手机号已暂时锁定，请于{}（北京时间）后再试",
            clock::beijing_minute(until + 59)
        ),
    }
}

/// Codes sent since `since` by number or by address: how many, the oldest and the newest.
async fn count_since(
    db: &Db,
    column: &str,
    value: &str,
    since: i64,
) -> AppResult<(i64, Option<i64>, Option<i64>)> {
    // `column` is one of two fixed names chosen below, never user input.
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest \
         FROM otp_codes WHERE {column} = $1 AND created_at > $2"
    ))
    .bind(value)
    .bind(clock::rfc3339(since))
    .fetch_one(&db.pool)
    .await?;
    let time = |name: &str| -> AppResult<Option<i64>> {
        Ok(row
            .try_get::<Option<String>, _>(name)?
            .and_then(|t| clock::parse_rfc3339(&t)))
    };
    Ok((row.try_get("n")?, time("oldest")?, time("newest")?))
}

async fn check_send_limits(db: &Db, phone: &str, address: &str) -> AppResult<()> {
    let now = clock::now_unix();
    let too_many = |message: String, wait: i64| AppError::TooManyRequests {
        message,
        retry_after: wait.max(1) as u64,
    };
    let (recent, _, newest) = count_since(db, "phone", phone, now - RESEND_AFTER_SECS).await?;
    if recent > 0 {
        let wait = newest
            .map_or(RESEND_AFTER_SECS, |t| t + RESEND_AFTER_SECS - now)
            .max(1);
        return Err(too_many(
            format!("验证码已发送，请在 {wait} 秒后重新获取"),
            wait,
        ));
    }
    let (hourly, oldest, _) = count_since(db, "phone", phone, now - 3600).await?;
    if hourly >= PER_NUMBER_PER_HOUR {
        let wait = oldest.map_or(3600, |t| t + 3600 - now).max(1);
        return Err(too_many(
            format!(
                "该手机号一小时内获取验证码次数过多，请在 {} 后再试",
                wait_words(wait as u64)
            ),
            wait,
        ));
    }
    let (by_address, oldest, _) = count_since(db, "client_address", address, now - 3600).await?;
    if by_address >= PER_ADDRESS_PER_HOUR {
        let wait = oldest.map_or(3600, |t| t + 3600 - now).max(1);
        return Err(too_many(
            format!(
                "当前网络获取验证码过于频繁，请在 {} 后再试",
                wait_words(wait as u64)
            ),
            wait,
        ));
    }
    Ok(())
}

/// Sends a six-digit code to the number by SMS.
#[utoipa::path(post, path = "/api/auth/otp", tag = "登录",
    request_body = OtpRequest,
    responses(
        (status = 200, body = OtpSent),
        (status = 400, body = app::api::ApiError, description = "手机号或统一社会信用代码格式错误"),
        (status = 403, body = app::api::ApiError, description = "统一社会信用代码未在本区登记，或该企业已注销（fields.uscc）"),
        (status = 423, body = app::api::ApiError, description = "验证码错误次数过多，暂时锁定"),
        (status = 429, body = app::api::ApiError, description = "获取过于频繁"),
    ))]
pub async fn request_code(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    JsonBody(request): JsonBody<OtpRequest>,
) -> AppResult<Json<OtpSent>> {
    let (phone, uscc) = identity(&request.phone, request.uscc.as_deref())?;
    let db = &state.db;
    // Only what any register of companies tells: is the code registered here, and active.
    if let Some(uscc) = &uscc {
        if let Err(refusal) = crate::companies::standing(db, uscc).await? {
            return Err(refusal.error());
        }
    }
    // Codes are counted per address by its limit key (IPv6: its /64).
    let address = limit_key(&address);
    check_lock(db, &phone).await?;
    check_send_limits(db, &phone, &address).await?;

    let code = secrets::otp_code();
    let now = clock::now_unix();
    let mut tx = db.pool.begin().await?;
    // Only the newest code is valid: an older message arriving late must not work.
    sqlx::query("UPDATE otp_codes SET used_at = $2 WHERE phone = $1 AND used_at IS NULL")
        .bind(&phone)
        .bind(clock::rfc3339(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO otp_codes (id, phone, code_hash, client_address, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(secrets::new_id())
    .bind(&phone)
    .bind(code_hash(&phone, &code))
    .bind(&address)
    .bind(clock::rfc3339(now))
    .bind(clock::rfc3339(now + CODE_LIFETIME_SECS))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    let text = format!(
        "【办事通】您的验证码为 {code}，5分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。"
    );
    state.sms.send(&phone, &text).await?;
    state.metrics.otp_sent();
    Ok(Json(OtpSent {
        phone_masked: mask_mobile(&phone),
        expires_in_seconds: CODE_LIFETIME_SECS as u32,
        resend_after_seconds: RESEND_AFTER_SECS as u32,
    }))
}

/// Locks the number after the last allowed wrong code, and spends its live codes.
async fn lock(db: &Db, phone: &str) -> AppResult<AppError> {
    let now = clock::now_unix();
    let until = now + LOCK_SECS;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO otp_locks (phone, failures, locked_until) VALUES ($1, 0, $2) \
         ON CONFLICT (phone) DO UPDATE SET failures = 0, locked_until = excluded.locked_until",
    )
    .bind(phone)
    .bind(clock::rfc3339(until))
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE otp_codes SET used_at = $2 WHERE phone = $1 AND used_at IS NULL")
        .bind(phone)
        .bind(clock::rfc3339(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(locked(until))
}

/// Signs in with the code; sets the `bst_session` cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "登录",
    request_body = OtpLogin,
    responses(
        (status = 200, body = Me, description = "已登录，响应设置 bst_session Cookie"),
        (status = 400, body = app::api::ApiError),
        (status = 401, body = app::api::ApiError, description = "验证码不正确或已失效"),
        (status = 403, body = app::api::ApiError, description = "统一社会信用代码未登记、企业已注销，或此手机号不是该企业的法定代表人或已授权的经办人（fields.uscc）"),
        (status = 423, body = app::api::ApiError, description = "验证码错误次数过多，暂时锁定"),
        (status = 429, body = app::api::ApiError, description = "当前网络验证码错误次数过多"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(request): JsonBody<OtpLogin>,
) -> AppResult<impl IntoResponse> {
    let (phone, uscc) = identity(&request.phone, request.uscc.as_deref())?;
    let code = request.code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::bad_param("code", "验证码应为6位数字"));
    }
    let db = &state.db;
    check_lock(db, &phone).await?;
    let wrong_bucket = format!("otp_wrong:{}", limit_key(&address));
    let (wrong, free_at) = ratelimit::recent(db, &wrong_bucket, 3600).await?;
    if wrong >= WRONG_PER_ADDRESS_PER_HOUR {
        let wait = free_at.map_or(3600, |t| t - clock::now_unix()).max(1) as u64;
        return Err(AppError::TooManyRequests {
            message: format!(
                "当前网络验证码错误次数过多，请在 {} 后再试",
                wait_words(wait)
            ),
            retry_after: wait,
        });
    }

    let now = clock::now_text();
    // One comparison of the newest live code is claimed, and counted, in one statement: of
    // any number of simultaneous guesses at most MAX_WRONG_CODES get a row back to compare.
    let claimed = sqlx::query(
        "UPDATE otp_codes SET attempts = attempts + 1 \
         WHERE id = (SELECT id FROM otp_codes WHERE phone = $1 AND used_at IS NULL AND expires_at > $2 \
                     ORDER BY created_at DESC LIMIT 1) \
           AND used_at IS NULL AND attempts < $3 \
         RETURNING id, code_hash, attempts",
    )
    .bind(&phone)
    .bind(&now)
    .bind(MAX_WRONG_CODES)
    .fetch_optional(&db.pool)
    .await?;
    let Some(claimed) = claimed else {
        // No code was sent, it expired or was used, or its guesses are spent: nothing was
        // compared, so nothing is locked — only the address pays.
        ratelimit::record(db, &wrong_bucket, 3600).await?;
        check_lock(db, &phone).await?;
        return Err(AppError::unauthorized(
            "验证码不正确或已失效，请重新获取验证码",
        ));
    };
    let id: String = claimed.try_get("id")?;
    let attempts: i64 = claimed.try_get("attempts")?;
    let matched = secrets::same(
        &claimed.try_get::<String, _>("code_hash")?,
        &code_hash(&phone, code),
    );
    // The caller holds the number: now it may learn whether the number may act for the
    // company. The code stays unspent, so the company code can be corrected and sent again.
    if matched {
        if let Some(uscc) = &uscc {
            if let Err(refusal) = crate::companies::role(db, &phone, uscc).await? {
                return Err(refusal.error());
            }
        }
    }
    // Single use: of two simultaneous logins with one code, only the first consumes it.
    let consumed = matched
        && sqlx::query("UPDATE otp_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
            .bind(&id)
            .bind(&now)
            .execute(&db.pool)
            .await?
            .rows_affected()
            == 1;
    if !consumed {
        ratelimit::record(db, &wrong_bucket, 3600).await?;
        if attempts >= MAX_WRONG_CODES {
            return Err(lock(db, &phone).await?);
        }
        return Err(AppError::unauthorized(format!(
            "验证码不正确或已失效，还可以再试 {} 次",
            MAX_WRONG_CODES - attempts
        )));
    }

    let row = sqlx::query(
        "INSERT INTO applicants (id, phone, uscc, created_at, last_login_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (phone, uscc) DO UPDATE SET last_login_at = excluded.last_login_at RETURNING id",
    )
    .bind(secrets::new_id())
    .bind(&phone)
    .bind(uscc.clone().unwrap_or_default())
    .bind(&now)
    .fetch_one(&db.pool)
    .await?;
    let user = ApplicantUser {
        id: row.try_get("id")?,
        phone,
        uscc,
    };
    let actor = user.audit_name();
    super::start_session(
        &state,
        Principal::Applicant(user),
        &actor,
        "短信验证码登录",
        &address,
        &headers,
    )
    .await
}
