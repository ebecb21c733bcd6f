//! Sessions: a random token in an HttpOnly cookie, stored server-side only as its sha256.
//!
//! A session acting for a business is only as good as the authorisation behind it: each lookup
//! checks again that the number may still act for the company ([`crate::companies::role`]); if
//! the authorisation was revoked or expired or the company closed, the session is ended and the
//! request answers 401 saying why.

use app::api::StaffRole;
use axum::http::{header, HeaderMap, HeaderValue};
use sqlx::Row;

use crate::client_address::Deployment;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::secrets;

pub const COOKIE: &str = "bst_session";

/// How long a sign-in lasts: one working day.
pub const LIFETIME_SECS: i64 = 8 * 3600;

/// Who a session belongs to.
#[derive(Debug, Clone)]
pub enum Principal {
    Applicant(ApplicantUser),
    Staff(StaffUser),
}

/// A signed-in applicant: a person, or a person acting for the business `uscc`.
#[derive(Debug, Clone)]
pub struct ApplicantUser {
    pub id: String,
    pub phone: String,
    pub uscc: Option<String>,
}

impl ApplicantUser {
    /// How the audit log names this applicant: masked phone plus the stable id.
    pub fn audit_name(&self) -> String {
        let masked = app::rules::phone::mask_mobile(&self.phone);
        match &self.uscc {
            Some(uscc) => format!("申请人 {masked}（企业 {uscc}，编号 {}）", &self.id[..8]),
            None => format!("申请人 {masked}（编号 {}）", &self.id[..8]),
        }
    }
}

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub department: Option<String>,
}

impl StaffUser {
    pub fn is_manager(&self) -> bool {
        self.role == StaffRole::Manager
    }

    /// Whether this member of staff may see and act on a case of `department`.
    pub fn covers(&self, department: &str) -> bool {
        self.is_manager() || self.department.as_deref() == Some(department)
    }

    pub fn audit_name(&self) -> String {
        format!("{}（{}）", self.display_name, self.username)
    }
}

/// Starts a session; returns the token for the cookie.
pub async fn create(db: &Db, principal: &Principal) -> AppResult<String> {
    let token = secrets::session_token();
    let now = clock::now_unix();
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(clock::rfc3339(now))
        .execute(&db.pool)
        .await?;
    let (applicant, staff) = match principal {
        Principal::Applicant(a) => (Some(a.id.as_str()), None),
        Principal::Staff(s) => (None, Some(s.username.as_str())),
    };
    sqlx::query(
        "INSERT INTO sessions (token_hash, applicant_id, staff_username, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(secrets::sha256_hex(token.as_bytes()))
    .bind(applicant)
    .bind(staff)
    .bind(clock::rfc3339(now))
    .bind(clock::rfc3339(now + LIFETIME_SECS))
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// The principal of a live session token.
pub async fn lookup(db: &Db, token: &str) -> AppResult<Option<Principal>> {
    let row = sqlx::query(
        "SELECT s.applicant_id, a.phone, a.uscc, s.staff_username, st.display_name, st.role, st.department_code, st.disabled \
         FROM sessions s \
         LEFT JOIN applicants a ON a.id = s.applicant_id \
         LEFT JOIN staff st ON st.username = s.staff_username \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(secrets::sha256_hex(token.as_bytes()))
    .bind(clock::now_text())
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    if let Some(id) = row.try_get::<Option<String>, _>("applicant_id")? {
        let uscc: String = row.try_get("uscc")?;
        let phone: String = row.try_get("phone")?;
        if !uscc.is_empty() && crate::companies::role(db, &phone, &uscc).await?.is_err() {
            delete(db, token).await?;
            return Err(AppError::unauthorized(
                "您以该企业名义办事的授权已失效（经办授权已撤销或到期，或企业已注销、未在本区登记），请重新登录",
            ));
        }
        return Ok(Some(Principal::Applicant(ApplicantUser {
            id,
            phone,
            uscc: Some(uscc).filter(|u| !u.is_empty()),
        })));
    }
    let Some(username) = row.try_get::<Option<String>, _>("staff_username")? else {
        return Ok(None);
    };
    if row.try_get::<i64, _>("disabled")? != 0 {
        // Disabling ends an account's sessions; one that slipped in meanwhile ends here.
        delete(db, token).await?;
        return Ok(None);
    }
    let role: String = row.try_get("role")?;
    Ok(Some(Principal::Staff(StaffUser {
        username,
        display_name: row.try_get("display_name")?,
        role: parse_role(&role)?,
        department: row.try_get("department_code")?,
    })))
}

pub fn parse_role(role: &str) -> AppResult<StaffRole> {
    app::api::wire_name::parse(role)
        .ok_or_else(|| AppError::Internal(format!("staff role {role:?}")))
}

/// Ends every session of the staff account `username` (disabled, or its password reset).
pub async fn end_staff_sessions<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    username: &str,
) -> AppResult<u64> {
    Ok(
        sqlx::query("DELETE FROM sessions WHERE staff_username = $1")
            .bind(username)
            .execute(executor)
            .await?
            .rows_affected(),
    )
}

pub async fn delete(db: &Db, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(secrets::sha256_hex(token.as_bytes()))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The session token sent by the browser, if any.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Set-Cookie` value for `token`; `None` clears the cookie. `Secure` is added when the
/// site is public over https (`PUBLIC_URL=https://…`) or the request reached the proxy over
/// https (a plain-http local run must still be able to sign in).
pub fn set_cookie(
    token: Option<&str>,
    request: &HeaderMap,
    deployment: &Deployment,
) -> HeaderValue {
    let secure = deployment.https()
        || request
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let (value, max_age) = match token {
        Some(t) => (t, LIFETIME_SECS),
        None => ("", 0),
    };
    let cookie = format!(
        "{COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie).expect("cookie is ASCII")
}
