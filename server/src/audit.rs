//! The audit log: who did what, when, to which case, from which address.
//!
//! Append-only by construction: this module only inserts and reads; nothing in the server
//! updates or deletes `audit_log` rows. Entries are written in the same transaction as the
//! change they record, so the log never claims something that was rolled back.

use app::api::AuditEntry;
use sqlx::{Any, Executor, Row};

use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::secrets;

/// One entry to append.
pub struct Entry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
    pub case_id: Option<&'a str>,
    pub address: &'a str,
}

pub async fn record<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    entry: Entry<'_>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, actor, action, detail, case_id, client_address, created_at, seq) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(secrets::new_id())
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.detail)
    .bind(entry.case_id)
    .bind(entry.address)
    .bind(clock::now_text())
    .bind(clock::next_seq())
    .execute(executor)
    .await?;
    Ok(())
}

/// A case's entries, oldest first.
pub async fn for_case(db: &Db, case_id: &str) -> AppResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT created_at, actor, action, detail, client_address FROM audit_log WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                at: r.try_get("created_at")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                detail: r.try_get("detail")?,
                address: r.try_get("client_address")?,
            })
        })
        .collect()
}
