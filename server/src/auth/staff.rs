//! Staff sign-in with username and password (argon2id hashes).
//!
//! Guessing is limited where it comes from: per client address (any user names), per account
//! and address, and — far higher — per account from everywhere; so a guesser is stopped
//! without locking the account's owner out elsewhere. Password verifications are bounded in
//! number at once ([`PasswordGate`]), so a flood cannot exhaust memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use app::api::{Me, StaffLogin};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use sqlx::Row;
use tokio::sync::Semaphore;

use super::session::{self, Principal, StaffUser};
use crate::audit;
use crate::client_address::{limit_key, ClientAddress};
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::ratelimit::{self, wait_words};
use crate::secrets;
use crate::AppState;

/// The password of every demo staff account.
pub use app::rules::staff_account::DEMO_PASSWORD;

/// Failed sign-ins (and ones in progress) from one client address, whatever the user names —
/// with random names this is what bounds the password hashing one address can cause.
const PER_ADDRESS: i64 = 20;
/// Failed sign-ins to one account from one client address: stops the guesser there without
/// locking the account's owner out at their own desk.
const PER_ACCOUNT_AND_ADDRESS: i64 = 10;
/// Failed sign-ins to one account from everywhere: a ceiling far above what the owner could
/// cause, against guessing spread over many addresses.
const PER_ACCOUNT: i64 = 100;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;
/// The one answer for an unknown user and a wrong password alike.
const FAILED: &str = "用户名或密码不正确";

/// Bounds how many password verifications run at once: each argon2 verification takes
/// 19 MiB and a core for a moment, so a flood of sign-ins must queue, not fan out. A caller
/// waits briefly for a slot and is otherwise asked to retry (429). The counters show what ran.
pub struct PasswordGate {
    slots: Arc<Semaphore>,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
    verified: AtomicUsize,
}

impl Default for PasswordGate {
    fn default() -> Self {
        PasswordGate {
            slots: Arc::new(Semaphore::new(Self::SLOTS)),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            verified: AtomicUsize::new(0),
        }
    }
}

impl PasswordGate {
    /// Verifications at once.
    pub const SLOTS: usize = 2;
    /// How long a sign-in waits for a slot before it is asked to come back.
    const WAIT: Duration = Duration::from_secs(3);

    /// The most verifications that ever ran at the same time.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// How many verifications are running now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// How many verifications ran.
    pub fn verified(&self) -> usize {
        self.verified.load(Ordering::SeqCst)
    }

    /// Verifies `password` against `stored` (`None`: the dummy hash of an unknown user, which
    /// costs exactly as much). `None` when no slot became free in time. The slot is held by the
    /// verification itself, so a caller that goes away (a dropped connection) does not free it
    /// while the hash still runs.
    async fn verify(
        self: &Arc<Self>,
        stored: Option<String>,
        password: String,
    ) -> AppResult<Option<bool>> {
        let Ok(Ok(permit)) =
            tokio::time::timeout(Self::WAIT, self.slots.clone().acquire_owned()).await
        else {
            return Ok(None);
        };
        let gate = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = gate.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            gate.peak.fetch_max(now, Ordering::SeqCst);
            // An unknown user still costs one verification, so timing does not reveal which
            // users exist.
            static DUMMY: OnceLock<String> = OnceLock::new();
            let known = stored.is_some();
            let hash = stored.unwrap_or_else(|| {
                DUMMY
                    .get_or_init(|| hash_password("not a password"))
                    .clone()
            });
            let ok = verify_password(&hash, &password) && known;
            gate.in_flight.fetch_sub(1, Ordering::SeqCst);
            gate.verified.fetch_add(1, Ordering::SeqCst);
            ok
        })
        .await
        .map(Some)
        .map_err(|e| AppError::Internal(e.to_string()))
    }
}

fn too_many(message: &str, wait: u64) -> AppError {
    AppError::TooManyRequests {
        message: format!("{message}，请在 {} 后再试", wait_words(wait)),
        retry_after: wait,
    }
}

/// A staff account to create (`server staff add`, see `main.rs`).
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    pub role: app::api::StaffRole,
    /// Department code; required for reviewers, none for managers.
    pub department: Option<String>,
    pub password: String,
}

/// The shortest password `add_account` accepts.
pub use app::rules::staff_account::MIN_PASSWORD_CHARS;

/// Creates a staff account with an argon2id hash of its password. Refuses (with the reason, in
/// Chinese) a user name that is not 3–32 lowercase letters, digits, `_`, `.` or `-`, or that
/// exists already (in any case); a reviewer without an existing department or a manager with
/// one; a password that fails the policy (`app::rules::staff_account::check_password`: at least
/// [`MIN_PASSWORD_CHARS`] characters, letters and digits, not the user name nor the public demo
/// password).
pub async fn add_account(db: &crate::db::Db, account: &NewStaff) -> Result<(), String> {
    use app::api::StaffRole;
    use app::rules::staff_account::{check_display_name, check_password, check_username};
    let username = account.username.trim();
    check_username(username).map_err(|e| format!("用户名 {username:?} 不可用：{e}"))?;
    let display_name = account.display_name.trim();
    check_display_name(display_name).map_err(|e| format!("姓名（--name）：{e}"))?;
    let password = account.password.trim_end_matches(['\r', '\n']);
    check_password(password, username).map_err(|e| e.message.replacen("新密码", "密码", 1))?;
    let department = account
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let role = match (account.role, department) {
        (StaffRole::Reviewer, None) => {
            return Err("审核人员（reviewer）须用 --department 指定所属部门编码，如 ga".into())
        }
        (StaffRole::Manager, Some(_)) => {
            return Err("中心管理者（manager）管理所有部门，不能指定 --department".into())
        }
        (StaffRole::Reviewer, Some(code)) => {
            let known = sqlx::query("SELECT code FROM departments WHERE code = $1")
                .bind(code)
                .fetch_optional(&db.pool)
                .await
                .map_err(|e| e.to_string())?;
            if known.is_none() {
                return Err(format!("没有编码为 {code} 的部门"));
            }
            "reviewer"
        }
        (StaffRole::Manager, None) => "manager",
    };
    let existing = sqlx::query("SELECT username FROM staff WHERE LOWER(username) = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    if existing.is_some() {
        return Err(format!("用户名 {username} 已存在"));
    }
    insert_account(
        &db.pool,
        username,
        display_name,
        role,
        department,
        &hash_password(password),
        false,
    )
    .await
    .map_err(|e| e.to_string())
}

/// Inserts a staff account row (checked by the caller); `must_change` marks a one-time
/// password the person replaces at the next sign-in.
pub(crate) async fn insert_account<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    username: &str,
    display_name: &str,
    role: &str,
    department: Option<&str>,
    hash: &str,
    must_change: bool,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO staff (username, display_name, role, department_code, password_hash, created_at, must_change_password) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(username)
    .bind(display_name)
    .bind(role)
    .bind(department)
    .bind(hash)
    .bind(crate::clock::now_text())
    .bind(i64::from(must_change))
    .execute(executor)
    .await?;
    Ok(())
}

/// Replaces the password of `username` (just verified as `old`) with `new`, after the policy
/// (422 `fields.new_password`); the one-time mark is cleared.
async fn set_own_password(state: &AppState, username: &str, old: &str, new: &str) -> AppResult<()> {
    let refuse = |message: String| AppError::UnprocessableField {
        field: "new_password".into(),
        message,
    };
    app::rules::staff_account::check_password(new, username).map_err(|e| refuse(e.message))?;
    if new == old {
        return Err(refuse("新密码不能与原密码（一次性密码）相同".into()));
    }
    let new = new.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    sqlx::query(
        "UPDATE staff SET password_hash = $1, must_change_password = 0 WHERE username = $2",
    )
    .bind(hash)
    .bind(username)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

/// A one-time password for `username`: 12 characters without look-alikes (no 0/o, 1/l/i), with
/// letters and digits, that passes the password policy.
pub fn one_time_password(username: &str) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    loop {
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).expect("operating system random number generator");
        // Bytes beyond the last whole multiple of the alphabet are dropped, so that every
        // character is equally likely.
        let whole = 256 - 256 % ALPHABET.len();
        let password: String = bytes
            .iter()
            .filter(|b| usize::from(**b) < whole)
            .take(12)
            .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
            .collect();
        if password.len() == 12
            && app::rules::staff_account::check_password(&password, username).is_ok()
        {
            return password;
        }
    }
}

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
        (status = 403, body = app::api::ApiError, description = "示范密码在非本机部署上已停用，或账号已停用"),
        (status = 409, body = app::api::ApiError, description = "一次性密码：须在 new_password 中设置新密码（code 为 password_change_required）"),
        (status = 422, body = app::api::ApiError, description = "新密码不符合密码规则（fields.new_password）"),
        (status = 429, body = app::api::ApiError, description = "失败次数过多"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(request): JsonBody<StaffLogin>,
) -> AppResult<impl IntoResponse> {
    let db = &state.db;
    if !state.demo_accounts && secrets::same(&request.password, DEMO_PASSWORD) {
        // The demo password is public: refused for every account where demo accounts are not
        // allowed (a non-loopback HOST), before any limit or hash is spent on it.
        return Err(AppError::Forbidden {
            message: "示范账号（示范密码）在本服务器上已停用，请使用管理员为您创建的账号登录"
                .into(),
        });
    }
    let username: String = request.username.trim().chars().take(64).collect();
    // User names are counted case-insensitively, whether or not such a user exists: a limit
    // that only known names reach would tell which names exist.
    let name = username.to_lowercase();
    let place = limit_key(&address);
    // Distinct prefixes, and the place (an address, no spaces) before the free-form name, so
    // that no user name can write into another account's or another place's bucket.
    let account_bucket = format!("staff_login_account:{name}");
    let (failures, free_at) = ratelimit::recent(db, &account_bucket, FAILURE_WINDOW_SECS).await?;
    if failures >= PER_ACCOUNT {
        let wait = free_at
            .map_or(FAILURE_WINDOW_SECS, |t| t - crate::clock::now_unix())
            .max(1) as u64;
        return Err(too_many(
            "该账号近期登录失败次数过多，已暂停登录；如非本人操作请联系中心管理员",
            wait,
        ));
    }
    // Reserved before the password is verified (so parallel attempts cannot pass the limits),
    // given back when the attempt did not fail.
    let pair = match ratelimit::take(
        db,
        &format!("staff_login_pair:{place} {name}"),
        FAILURE_WINDOW_SECS,
        PER_ACCOUNT_AND_ADDRESS,
    )
    .await?
    {
        Ok(id) => id,
        Err(wait) => return Err(too_many("该账号登录失败次数过多", wait)),
    };
    let from_here = match ratelimit::take(
        db,
        &format!("staff_login_address:{place}"),
        FAILURE_WINDOW_SECS,
        PER_ADDRESS,
    )
    .await?
    {
        Ok(id) => id,
        Err(wait) => {
            ratelimit::give_back(db, &pair).await?;
            return Err(too_many("当前网络登录失败次数过多", wait));
        }
    };
    let row = sqlx::query("SELECT username, display_name, role, department_code, password_hash, disabled, must_change_password FROM staff WHERE username = $1")
        .bind(&username)
        .fetch_optional(&db.pool)
        .await?;
    let stored = match &row {
        Some(r) => Some(r.try_get::<String, _>("password_hash")?),
        None => None,
    };
    let Some(ok) = state
        .password_gate
        .verify(stored, request.password.clone())
        .await?
    else {
        ratelimit::give_back(db, &pair).await?;
        ratelimit::give_back(db, &from_here).await?;
        return Err(AppError::TooManyRequests {
            message: "当前登录的人较多，请在 3 秒后再试".into(),
            retry_after: 3,
        });
    };
    let Some(row) = row.filter(|_| ok) else {
        ratelimit::record(db, &account_bucket, FAILURE_WINDOW_SECS).await?;
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
    ratelimit::give_back(db, &pair).await?;
    ratelimit::give_back(db, &from_here).await?;
    let account = format!("工作人员账号 {username}");
    if row.try_get::<i64, _>("disabled")? != 0 {
        audit::record(
            &db.pool,
            audit::Entry {
                actor: &account,
                action: "登录被拒绝",
                detail: "账号已停用",
                case_id: None,
                address: &address,
            },
        )
        .await?;
        return Err(AppError::Forbidden {
            message: "该账号已停用，请联系中心管理者".into(),
        });
    }
    let must_change = row.try_get::<i64, _>("must_change_password")? != 0;
    match &request.new_password {
        Some(new_password) => {
            set_own_password(&state, &username, &request.password, new_password).await?;
            audit::record(
                &db.pool,
                audit::Entry {
                    actor: &account,
                    action: "设置新密码",
                    detail: if must_change {
                        "以一次性密码登录后设置本人密码"
                    } else {
                        "登录时更换本人密码"
                    },
                    case_id: None,
                    address: &address,
                },
            )
            .await?;
        }
        None if must_change => {
            return Err(AppError::conflict(
                "password_change_required",
                "这是中心管理者为您设置的一次性密码，请设置您自己的新密码后登录",
            ));
        }
        None => {}
    }
    let user = StaffUser {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: session::parse_role(&row.try_get::<String, _>("role")?)?,
        department: row.try_get("department_code")?,
    };
    let actor = user.audit_name();
    super::start_session(
        &state,
        Principal::Staff(user),
        &actor,
        "工作人员账号密码登录",
        &address,
        &headers,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers dropped while their password is being verified (a hung-up connection) must not
    /// free the slot before the verification ends, or waves of hang-ups would run unbounded
    /// numbers of hashes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dropped_callers_keep_their_slots() {
        let gate = Arc::new(PasswordGate::default());
        let wait_for = |done: &dyn Fn() -> bool| {
            let started = std::time::Instant::now();
            while !done() && started.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_micros(200));
            }
        };
        let wave = || -> Vec<tokio::task::JoinHandle<_>> {
            (0..4)
                .map(|_| {
                    let gate = gate.clone();
                    tokio::spawn(async move { gate.verify(None, "guess".into()).await })
                })
                .collect()
        };
        let mut hashing = wave();
        wait_for(&|| gate.in_flight() >= PasswordGate::SLOTS);
        for _ in 0..10 {
            // The next callers queue at the gate, then those being served hang up.
            let queued = wave();
            std::thread::sleep(Duration::from_millis(2));
            for caller in &hashing {
                caller.abort();
            }
            std::thread::sleep(Duration::from_millis(2));
            hashing = queued;
        }
        for caller in &hashing {
            caller.abort();
        }
        wait_for(&|| gate.in_flight() == 0);
        assert!(gate.verified() >= PasswordGate::SLOTS);
        assert!(
            gate.peak() <= PasswordGate::SLOTS,
            "{} verifications ran at once",
            gate.peak()
        );
    }
}
