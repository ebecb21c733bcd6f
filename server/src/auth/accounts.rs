//! Staff accounts managed by the centre's managers (`/manager/staff`): list, create, disable or
//! enable, reset the password. New and reset accounts get a one-time password, shown once to
//! the manager; the person must choose their own at the next sign-in ([`super::staff::login`]).
//! A disabled account's sessions end at once. Every change is in the audit log.

use std::collections::BTreeMap;

use app::api::{
    NewStaffAccount, OneTimePassword, StaffAccount, StaffAccountList, StaffAccountStatus, StaffRole,
};
use app::rules::staff_account::{check_display_name, check_username};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::session::{self, StaffUser};
use super::staff::{hash_password, insert_account, one_time_password};
use super::CentreManager;
use crate::audit;
use crate::client_address::ClientAddress;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(set_status))
        .routes(routes!(reset_password))
}

const COLUMNS: &str =
    "s.username, s.display_name, s.role, s.department_code, d.name AS department_name, \
     s.disabled, s.must_change_password, s.created_at \
     FROM staff s LEFT JOIN departments d ON d.code = s.department_code";

fn account_of(row: &sqlx::any::AnyRow) -> AppResult<StaffAccount> {
    Ok(StaffAccount {
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: session::parse_role(&row.try_get::<String, _>("role")?)?,
        department: row.try_get("department_code")?,
        department_name: row.try_get("department_name")?,
        enabled: row.try_get::<i64, _>("disabled")? == 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

async fn account(db: &Db, username: &str) -> AppResult<StaffAccount> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE s.username = $1"))
        .bind(username)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| AppError::not_found(format!("没有用户名为 {username} 的工作人员账号")))?;
    account_of(&row)
}

/// Every staff account: managers first, then by department and user name.
#[utoipa::path(get, path = "/api/admin/staff", tag = "中心管理",
    responses(
        (status = 200, body = StaffAccountList),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
) -> AppResult<Json<StaffAccountList>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} ORDER BY CASE WHEN s.role = 'manager' THEN 0 ELSE 1 END, \
         s.department_code, s.username"
    ))
    .fetch_all(&state.db.pool)
    .await?;
    let accounts = rows.iter().map(account_of).collect::<AppResult<_>>()?;
    Ok(Json(StaffAccountList { accounts }))
}

/// Every problem with a new account, by field (`username`, `display_name`, `department`).
async fn problems(db: &Db, new: &NewStaffAccount) -> AppResult<BTreeMap<String, String>> {
    let mut fields = BTreeMap::new();
    let username = new.username.trim();
    if let Err(e) = check_username(username) {
        fields.insert("username".into(), e.message);
    } else {
        let taken = sqlx::query("SELECT username FROM staff WHERE LOWER(username) = $1")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
        if taken.is_some() {
            fields.insert(
                "username".into(),
                format!("用户名 {username} 已被使用，请换一个"),
            );
        }
    }
    if let Err(e) = check_display_name(&new.display_name) {
        fields.insert("display_name".into(), e.message);
    }
    let department = new
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    match (new.role, department) {
        (StaffRole::Reviewer, None) => {
            fields.insert("department".into(), "请选择审核人员所属的部门".into());
        }
        (StaffRole::Manager, Some(_)) => {
            fields.insert(
                "department".into(),
                "中心管理者管理所有部门，不选部门".into(),
            );
        }
        (StaffRole::Reviewer, Some(code)) => {
            let known = sqlx::query("SELECT code FROM departments WHERE code = $1")
                .bind(code)
                .fetch_optional(&db.pool)
                .await?;
            if known.is_none() {
                fields.insert("department".into(), format!("没有编码为 {code} 的部门"));
            }
        }
        (StaffRole::Manager, None) => {}
    }
    Ok(fields)
}

async fn one_time_hash(username: &str) -> AppResult<(String, String)> {
    let password = one_time_password(username);
    let plain = password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&plain))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((password, hash))
}

fn role_words(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Manager => "中心管理者",
        StaffRole::Reviewer => "审核人员",
    }
}

/// Creates an account with a one-time password (answered once, never stored in the clear).
#[utoipa::path(post, path = "/api/admin/staff", tag = "中心管理",
    request_body = NewStaffAccount,
    responses(
        (status = 201, body = OneTimePassword, description = "已创建；一次性密码只显示这一次"),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 422, body = app::api::ApiError, description = "用户名、姓名或部门不正确（fields 指明）"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    JsonBody(new): JsonBody<NewStaffAccount>,
) -> AppResult<(StatusCode, Json<OneTimePassword>)> {
    let fields = problems(&state.db, &new).await?;
    if !fields.is_empty() {
        return Err(AppError::invalid(fields));
    }
    let username = new.username.trim();
    let display_name = new.display_name.trim();
    let department = new
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let (password, hash) = one_time_hash(username).await?;
    let mut tx = state.db.pool.begin().await?;
    insert_account(
        &mut *tx,
        username,
        display_name,
        app::api::wire_name::of(&new.role),
        department,
        &hash,
        true,
    )
    .await?;
    let detail = format!(
        "{username}（{display_name}，{}{}），已设一次性密码",
        role_words(new.role),
        department
            .map(|d| format!("，部门 {d}"))
            .unwrap_or_default()
    );
    record(&mut tx, &manager, "新建工作人员账号", &detail, &address).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(OneTimePassword {
            account: account(&state.db, username).await?,
            one_time_password: password,
        }),
    ))
}

async fn record(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    manager: &StaffUser,
    action: &str,
    detail: &str,
    address: &str,
) -> AppResult<()> {
    audit::record(
        &mut **tx,
        audit::Entry {
            actor: &manager.audit_name(),
            action,
            detail,
            case_id: None,
            address,
        },
    )
    .await
}

/// Disables (its sessions end at once) or enables an account. A manager cannot disable their
/// own account.
#[utoipa::path(put, path = "/api/admin/staff/{username}/status", tag = "中心管理",
    params(("username" = String, Path, description = "用户名")),
    request_body = StaffAccountStatus,
    responses(
        (status = 200, body = StaffAccount),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 404, body = app::api::ApiError, description = "没有这个账号"),
        (status = 422, body = app::api::ApiError, description = "不能停用自己的账号（fields.enabled）"),
    ))]
pub async fn set_status(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(username): Path<String>,
    JsonBody(status): JsonBody<StaffAccountStatus>,
) -> AppResult<Json<StaffAccount>> {
    let before = account(&state.db, &username).await?;
    if !status.enabled && username == manager.username {
        return Err(AppError::UnprocessableField {
            field: "enabled".into(),
            message: "不能停用自己正在使用的账号".into(),
        });
    }
    if before.enabled != status.enabled {
        let mut tx = state.db.pool.begin().await?;
        sqlx::query("UPDATE staff SET disabled = $1 WHERE username = $2")
            .bind(i64::from(!status.enabled))
            .bind(&username)
            .execute(&mut *tx)
            .await?;
        let (action, detail) = if status.enabled {
            (
                "启用工作人员账号",
                format!("{username}（{}）", before.display_name),
            )
        } else {
            let ended = session::end_staff_sessions(&mut *tx, &username).await?;
            (
                "停用工作人员账号",
                format!(
                    "{username}（{}），结束登录会话 {ended} 个",
                    before.display_name
                ),
            )
        };
        record(&mut tx, &manager, action, &detail, &address).await?;
        tx.commit().await?;
    }
    Ok(Json(account(&state.db, &username).await?))
}

/// Sets a new one-time password (answered once) and ends the account's sessions; the person
/// chooses their own password at the next sign-in.
#[utoipa::path(post, path = "/api/admin/staff/{username}/password-reset", tag = "中心管理",
    params(("username" = String, Path, description = "用户名")),
    responses(
        (status = 200, body = OneTimePassword, description = "一次性密码只显示这一次"),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 404, body = app::api::ApiError, description = "没有这个账号"),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(username): Path<String>,
) -> AppResult<Json<OneTimePassword>> {
    let before = account(&state.db, &username).await?;
    let (password, hash) = one_time_hash(&username).await?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE staff SET password_hash = $1, must_change_password = 1 WHERE username = $2",
    )
    .bind(hash)
    .bind(&username)
    .execute(&mut *tx)
    .await?;
    let ended = session::end_staff_sessions(&mut *tx, &username).await?;
    let detail = format!(
        "{username}（{}），已设一次性密码，结束登录会话 {ended} 个",
        before.display_name
    );
    record(&mut tx, &manager, "重置工作人员密码", &detail, &address).await?;
    tx.commit().await?;
    Ok(Json(OneTimePassword {
        account: account(&state.db, &username).await?,
        one_time_password: password,
    }))
}
