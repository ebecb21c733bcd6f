//! The district's company register (企业登记簿) and who may act for a company.
//!
//! An applicant acts for a business by signing in with its 统一社会信用代码. That needs a
//! registered, active company and a phone that belongs to it: the 法定代表人's mobile, or the
//! mobile of a 经办人 the company authorised whose authorisation has not expired or been revoked.
//!
//! What a refusal says is chosen so it tells nobody more than they could know:
//! - whether a code is registered (and active) is public in any register of companies, so it is
//!   said as soon as a code is asked for (`POST /api/auth/otp`);
//! - whether a phone belongs to a company is only said after the SMS code proved the caller
//!   holds that phone (`POST /api/auth/login`), so nobody learns which numbers belong to which
//!   companies but their own.
//!
//! The session keeps trusting the code only while the phone still may act: every request of a
//! business session checks again ([`crate::auth::session::lookup`]), so a revoked or expired
//! authorisation, or a closed company, ends the session at its next request.
//!
//! Companies join the register from three places: the demo district's companies
//! (`demo/companies.json`, 示范数据, with `DEMO_DATA`), 企业开办 when the 营业执照 is issued
//! ([`register_from_licence`]), and a 法定代表人 authorising a 经办人 ([`crate::auth::agents`]).

use app::rules::phone::validate_mobile;
use app::rules::uscc::validate_uscc;
use serde::Deserialize;
use sqlx::{AnyConnection, Row};

use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// How a phone belongs to a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    LegalRep,
    Agent,
}

/// Why a phone may not act for a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotRegistered,
    Closed,
    NotOurs,
}

impl Refusal {
    /// The answer: 403 naming the `uscc` field.
    pub fn error(self) -> AppError {
        let (code, message) = match self {
            Refusal::NotRegistered => (
                "company_not_registered",
                "该统一社会信用代码未在本区登记，请核对后重新输入；个人办事请不填写此项",
            ),
            Refusal::Closed => (
                "company_closed",
                "该企业已注销或被吊销营业执照，不能以该企业名义办事",
            ),
            Refusal::NotOurs => (
                "not_company_agent",
                "此手机号码不是该企业的法定代表人或已授权的经办人；请使用法定代表人手机登录，或请法定代表人先授权您为经办人",
            ),
        };
        AppError::ForbiddenField {
            code,
            field: "uscc",
            message: message.into(),
        }
    }
}

/// Whether the company `uscc` is registered and active (what anyone may know).
pub async fn standing(db: &Db, uscc: &str) -> AppResult<Result<String, Refusal>> {
    let row = sqlx::query("SELECT status, legal_rep_phone FROM companies WHERE uscc = $1")
        .bind(uscc)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else {
        return Ok(Err(Refusal::NotRegistered));
    };
    if row.try_get::<String, _>("status")? != "active" {
        return Ok(Err(Refusal::Closed));
    }
    Ok(Ok(row.try_get("legal_rep_phone")?))
}

/// How `phone` may act for `uscc` now, or why it may not.
pub async fn role(db: &Db, phone: &str, uscc: &str) -> AppResult<Result<Role, Refusal>> {
    let legal_rep_phone = match standing(db, uscc).await? {
        Ok(p) => p,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if legal_rep_phone == phone {
        return Ok(Ok(Role::LegalRep));
    }
    let agent = sqlx::query(
        "SELECT 1 AS one FROM company_agents WHERE uscc = $1 AND phone = $2 \
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)",
    )
    .bind(uscc)
    .bind(phone)
    .bind(clock::now_text())
    .fetch_optional(&db.pool)
    .await?;
    Ok(if agent.is_some() {
        Ok(Role::Agent)
    } else {
        Err(Refusal::NotOurs)
    })
}

/// What the register says of an active company: the facts its 营业执照 shows.
pub struct Registered {
    pub name: String,
    pub legal_rep_name: String,
    /// RFC 3339, when it entered the register (the licence's issue for 企业开办).
    pub registered_at: String,
}

/// The register's entry of `uscc` if the company is active.
pub async fn registered(conn: &mut AnyConnection, uscc: &str) -> AppResult<Option<Registered>> {
    let row = sqlx::query(
        "SELECT name, legal_rep_name, registered_at FROM companies WHERE uscc = $1 AND status = 'active'",
    )
    .bind(uscc)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Registered {
            name: r.try_get("name")?,
            legal_rep_name: r.try_get("legal_rep_name")?,
            registered_at: r.try_get("registered_at")?,
        })
    })
    .transpose()
}

/// A company entering the register.
pub struct NewCompany<'a> {
    pub uscc: &'a str,
    pub name: &'a str,
    pub legal_rep_name: &'a str,
    pub legal_rep_phone: &'a str,
    pub source: &'a str,
}

/// Adds a company (an already registered code is left as it is).
pub async fn insert(tx: &mut AnyConnection, company: &NewCompany<'_>, now: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO companies (uscc, name, legal_rep_name, legal_rep_phone, status, source, registered_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6) ON CONFLICT (uscc) DO NOTHING",
    )
    .bind(company.uscc)
    .bind(company.name)
    .bind(company.legal_rep_name)
    .bind(company.legal_rep_phone)
    .bind(company.source)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Authorises (or authorises again, replacing an ended or earlier authorisation) `phone` as a
/// 经办人 of `uscc`.
pub async fn authorise(
    tx: &mut AnyConnection,
    uscc: &str,
    phone: &str,
    name: &str,
    authorised_by: &str,
    expires_at: Option<&str>,
    now: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO company_agents (uscc, phone, name, authorised_by, authorised_at, expires_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, NULL) \
         ON CONFLICT (uscc, phone) DO UPDATE SET name = excluded.name, \
           authorised_by = excluded.authorised_by, authorised_at = excluded.authorised_at, \
           expires_at = excluded.expires_at, revoked_at = NULL",
    )
    .bind(uscc)
    .bind(phone)
    .bind(name)
    .bind(authorised_by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// 企业开办: the company whose 营业执照 was just issued joins the register. Its 法定代表人
/// mobile is the one in the company facts (or the bundle form) when given, else the
/// applicant's; an applicant who is not the 法定代表人 becomes its 经办人, so whoever set the
/// company up can go on acting for it.
pub async fn register_from_licence(
    tx: &mut AnyConnection,
    uscc: &str,
    name: &str,
    legal_rep_name: &str,
    legal_rep_phone: Option<&str>,
    applicant_id: &str,
    now: &str,
) -> AppResult<()> {
    let applicant_phone: String = sqlx::query("SELECT phone FROM applicants WHERE id = $1")
        .bind(applicant_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("phone")?;
    let legal_rep_phone = legal_rep_phone
        .and_then(|p| validate_mobile(p).ok())
        .unwrap_or_else(|| applicant_phone.clone());
    let shown_name = if name.is_empty() { uscc } else { name };
    insert(
        tx,
        &NewCompany {
            uscc,
            name: shown_name,
            legal_rep_name,
            legal_rep_phone: &legal_rep_phone,
            source: "bundle",
        },
        now,
    )
    .await?;
    if legal_rep_phone != applicant_phone {
        authorise(
            tx,
            uscc,
            &applicant_phone,
            "企业开办申请人",
            "企业开办（设立登记申请人）",
            None,
            now,
        )
        .await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
struct DemoRegister {
    /// 示范数据 label.
    #[allow(dead_code)]
    note: String,
    companies: Vec<DemoCompany>,
}

#[derive(Debug, Deserialize)]
struct DemoCompany {
    uscc: String,
    name: String,
    legal_rep_name: String,
    legal_rep_phone: String,
    #[serde(default)]
    agents: Vec<DemoAgent>,
}

#[derive(Debug, Deserialize)]
struct DemoAgent {
    phone: String,
    name: String,
}

fn demo_register() -> Result<DemoRegister, String> {
    let register: DemoRegister = serde_json::from_str(include_str!("../demo/companies.json"))
        .map_err(|e| format!("demo/companies.json: {e}"))?;
    for c in &register.companies {
        let bad = |what: &str, e: String| format!("demo/companies.json: {} {what}: {e}", c.uscc);
        if validate_uscc(&c.uscc).map_err(|e| bad("uscc", e.message))? != c.uscc {
            return Err(bad("uscc", "not in normal form".into()));
        }
        let phones = std::iter::once(&c.legal_rep_phone).chain(c.agents.iter().map(|a| &a.phone));
        for phone in phones {
            if &validate_mobile(phone).map_err(|e| bad("phone", e.message))? != phone {
                return Err(bad("phone", format!("{phone} not in normal form")));
            }
        }
    }
    Ok(register)
}

/// Loads the demo district's companies (`demo/companies.json`) into an empty register.
pub async fn prepare(db: &Db, load_demo: bool) -> Result<(), String> {
    if !load_demo {
        return Ok(());
    }
    let register = demo_register()?;
    let load = async {
        let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM companies")
            .fetch_one(&db.pool)
            .await?
            .try_get("n")?;
        if existing > 0 {
            return Ok(0);
        }
        let now = clock::now_text();
        let mut tx = db.pool.begin().await?;
        for c in &register.companies {
            insert(
                &mut tx,
                &NewCompany {
                    uscc: &c.uscc,
                    name: &c.name,
                    legal_rep_name: &c.legal_rep_name,
                    legal_rep_phone: &c.legal_rep_phone,
                    source: "demo",
                },
                &now,
            )
            .await?;
            for a in &c.agents {
                let by = format!("法定代表人 {}（示范数据）", c.legal_rep_name);
                authorise(&mut tx, &c.uscc, &a.phone, &a.name, &by, None, &now).await?;
            }
        }
        tx.commit().await?;
        AppResult::Ok(register.companies.len())
    };
    let loaded = load.await.map_err(|e| format!("demo companies: {e}"))?;
    if loaded > 0 {
        tracing::info!(
            companies = loaded,
            "loaded the demo company register (示范数据)"
        );
    }
    Ok(())
}
