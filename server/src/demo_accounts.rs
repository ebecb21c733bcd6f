//! Demo staff accounts, created only together with the demo catalog (示范数据).
//!
//! Every account's password is [`DEMO_PASSWORD`]; the accounts exist to try the review side
//! of 网上预审 and must never exist on a server with real data, which is why they are created
//! from `catalog::prepare` only when the demo catalog is loaded.
//!
//! | username | who |
//! | --- | --- |
//! | `<department code>_reviewer`, e.g. `ga_reviewer`, `sj_reviewer` | that department's 审核人员 (see [`DEMO_ACCOUNTS`]) |
//! | `manager` | 中心管理者: every department, 红黄牌督办, 差评整改, audit log |
//! | `wenchang_staff` | window staff of 文昌街道便民服务中心 (ST-03): that site's 预约 only |
//!
//! The department reviewers work at the windows of the district hall (`HALL`): they see and
//! check in the hall's appointments (`staff.site_code`, migration 0019); `wenchang_staff`
//! serves the windows of one street centre and reviews no department's cases.
//!
//! Because the password is public, demo accounts belong to a demonstration on one's own
//! computer: [`allowed`] lets them exist (and sign in) only when the server listens on a
//! loopback `HOST`, unless `DEMO_ACCOUNTS=1` asks for them explicitly. Otherwise none are
//! created and the demo password is refused at sign-in (accounts made by an earlier loopback
//! run included); operators create real accounts with `server staff add`
//! ([`crate::auth::staff::add_account`]).
//!
//! Applicants sign in with any mobile number; [`DEMO_APPLICANT_PHONE`] is the number to use in
//! demonstrations. Its codes are random like everyone's and, with the development SMS setting,
//! are found in the `sms_outbox` table and the server log.

use std::sync::OnceLock;

use app::api::StaffRole;
use sqlx::Row;

use crate::auth::staff::hash_password;
use crate::clock;
use crate::db::Db;

pub use crate::auth::staff::DEMO_PASSWORD;

/// The mobile number demonstrations sign in with (its code goes to the development outbox).
pub const DEMO_APPLICANT_PHONE: &str = "13800138000";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: StaffRole,
    /// Department code for reviewers.
    pub department: Option<&'static str>,
    /// The service site whose window this account serves (its 预约 and 签到).
    pub site: Option<&'static str>,
}

const fn reviewer(
    username: &'static str,
    display_name: &'static str,
    department: &'static str,
) -> DemoAccount {
    DemoAccount {
        username,
        display_name,
        role: StaffRole::Reviewer,
        department: Some(department),
        site: Some("HALL"),
    }
}

/// Every demo staff account: one reviewer per demo department (at the hall's windows), the
/// centre manager, and the window staff of one street centre.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    reviewer("ga_reviewer", "公安审核员 王*", "ga"),
    reviewer("mz_reviewer", "民政审核员 李*", "mz"),
    reviewer("rs_reviewer", "人社审核员 张*", "rs"),
    reviewer("yb_reviewer", "医保审核员 刘*", "yb"),
    reviewer("wj_reviewer", "卫健审核员 陈*", "wj"),
    reviewer("sj_reviewer", "市场监管审核员 杨*", "sj"),
    reviewer("sw_reviewer", "税务审核员 赵*", "sw"),
    reviewer("zj_reviewer", "住建审核员 黄*", "zj"),
    reviewer("zr_reviewer", "不动产审核员 周*", "zr"),
    reviewer("jy_reviewer", "教育审核员 吴*", "jy"),
    reviewer("cl_reviewer", "残联审核员 徐*", "cl"),
    reviewer("gj_reviewer", "公积金审核员 孙*", "gj"),
    reviewer("jt_reviewer", "交通审核员 胡*", "jt"),
    reviewer("cg_reviewer", "城管审核员 朱*", "cg"),
    reviewer("wl_reviewer", "文旅审核员 高*", "wl"),
    reviewer("gy_reviewer", "水电气审核员 林*", "gy"),
    DemoAccount {
        username: "manager",
        display_name: "中心管理者 郑*",
        role: StaffRole::Manager,
        department: None,
        site: None,
    },
    DemoAccount {
        username: "wenchang_staff",
        display_name: "文昌街道窗口人员 何*",
        role: StaffRole::Reviewer,
        department: None,
        site: Some("ST-03"),
    },
];

/// Whether the demo accounts may exist on a server listening on `host`, given `DEMO_ACCOUNTS`
/// (`explicit`): `1` yes, `0` no, unset only on a loopback host (`127.0.0.1`, `::1`,
/// `localhost`) that is not `proxied` — a loopback server behind a reverse proxy
/// (`TRUSTED_PROXIES` or `PUBLIC_URL` set) is served to a network all the same. `Err` names a
/// value that is neither.
pub fn allowed(host: &str, proxied: bool, explicit: Option<&str>) -> Result<bool, String> {
    match explicit.map(str::trim) {
        Some("1" | "true" | "yes") => Ok(true),
        Some("0" | "false" | "no") => Ok(false),
        Some(other) => Err(format!("DEMO_ACCOUNTS={other} 无法识别，应为 1 或 0")),
        None => Ok(is_loopback(host) && !proxied),
    }
}

/// `127.0.0.1` (any 127/8), `::1`, `localhost`.
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim().trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The start-up notice when demo data is loaded but its accounts are refused.
pub const REFUSED_NOTICE: &str = "未创建示范工作人员账号：服务监听的不是本机地址（HOST），或经反向代理对外服务（TRUSTED_PROXIES、PUBLIC_URL）；示范密码公开，在网络上不安全，示范密码也不能登录。请用 `server staff add --username … --name … --role manager` 创建账号；确需在网络上演示时设置 DEMO_ACCOUNTS=1。";

/// Creates the demo accounts that are missing (for departments present in the catalog).
pub async fn ensure(db: &Db) -> Result<(), String> {
    let departments: Vec<String> = sqlx::query("SELECT code FROM departments")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get("code"))
        .collect();
    let existing: Vec<String> = sqlx::query("SELECT username FROM staff")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get("username"))
        .collect();
    let missing: Vec<&DemoAccount> = DEMO_ACCOUNTS
        .iter()
        .filter(|a| !existing.iter().any(|e| e == a.username))
        .filter(|a| {
            a.department
                .is_none_or(|d| departments.iter().any(|c| c == d))
        })
        .collect();
    if !missing.is_empty() {
        create(db, &missing).await?;
    }
    // Accounts made before sites were linked to staff (migration 0019) get their site too.
    for account in DEMO_ACCOUNTS {
        if let Some(site) = account.site {
            sqlx::query(
                "UPDATE staff SET site_code = $1 WHERE username = $2 AND site_code IS NULL",
            )
            .bind(site)
            .bind(account.username)
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

async fn create(db: &Db, missing: &[&DemoAccount]) -> Result<(), String> {
    // One hash for all: the password is public anyway, and hashing is deliberately slow.
    static HASH: OnceLock<String> = OnceLock::new();
    let hash = HASH.get_or_init(|| hash_password(DEMO_PASSWORD));
    for account in missing {
        sqlx::query(
            "INSERT INTO staff (username, display_name, role, department_code, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING",
        )
        .bind(account.username)
        .bind(account.display_name)
        .bind(app::api::wire_name::of(&account.role))
        .bind(account.department)
        .bind(hash)
        .bind(clock::now_text())
        .execute(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    }
    tracing::warn!(
        accounts = missing.len(),
        "created demo staff accounts (示范账号，密码 {DEMO_PASSWORD})"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_accounts_only_on_loopback_unless_asked() {
        assert_eq!(allowed("127.0.0.1", false, None), Ok(true));
        assert_eq!(allowed("::1", false, None), Ok(true));
        assert_eq!(allowed("localhost", false, None), Ok(true));
        assert_eq!(allowed("127.0.0.1", true, None), Ok(false));
        assert_eq!(allowed("0.0.0.0", false, None), Ok(false));
        assert_eq!(allowed("192.168.1.20", false, None), Ok(false));
        assert_eq!(allowed("0.0.0.0", false, Some("1")), Ok(true));
        assert_eq!(allowed("127.0.0.1", false, Some("0")), Ok(false));
        assert!(allowed("0.0.0.0", false, Some("maybe")).is_err());
    }

    #[test]
    fn every_demo_department_has_a_reviewer() {
        let data = crate::catalog::data::CatalogData::demo().expect("demo catalog");
        for department in &data.departments {
            let username = format!("{}_reviewer", department.code);
            let account = DEMO_ACCOUNTS.iter().find(|a| a.username == username);
            let account =
                account.unwrap_or_else(|| panic!("no demo reviewer for {}", department.code));
            assert_eq!(account.department, Some(department.code.as_str()));
            assert!(
                account.display_name.starts_with(&department.short_name),
                "{}",
                account.display_name
            );
        }
    }
}
