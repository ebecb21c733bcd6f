//! Drafts, publication and kept versions of the catalog's published documents — an item's
//! 办事指南 ([`crate::catalog::admin`]) and a 一件事 ([`crate::bundles::admin`]) — written once.
//!
//! A manager's edit is saved whole as the document's draft (one per document). Publishing
//! checks the document with the shared rules ([`Document::problems`], 422 with `fields`), then
//! in one transaction writes it as the next version, keeps that version (who, when, note),
//! removes the draft, raises the catalog revision and writes the audit entry; this server then
//! rebuilds its catalog and the others follow ([`super::follow`]). Restoring publishes a kept
//! version again as a new one.

use std::collections::BTreeMap;
use std::future::Future;

use app::api::{DraftMark, GuideVersion, Published};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::store::{self, from_json, to_json};
use crate::audit;
use crate::auth::StaffUser;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::AppState;

const MAX_NOTE: usize = 200;

/// Where one kind of document lives and how the audit log names its steps. The names are
/// fixed strings, never user input.
pub struct Kind {
    /// The published documents, with `code`, `version` and [`Kind::column`].
    pub table: &'static str,
    pub column: &'static str,
    /// `(key, version, <column>, published_by, published_at, note, restored_from)`.
    pub versions: &'static str,
    /// `(key, <column>, saved_by, saved_at)`.
    pub drafts: &'static str,
    pub key: &'static str,
    /// e.g. `事项`: in messages and audit actions (`保存事项草稿`, `发布事项`).
    pub noun: &'static str,
}

/// A published catalog document.
pub trait Document: Serialize + DeserializeOwned + Send + Sync {
    const KIND: Kind;
    fn code(&self) -> &str;
    fn name(&self) -> &str;
    /// What the shared rules find wrong: field path → Chinese message (empty when fine).
    fn problems(&self, db: &Db)
        -> impl Future<Output = AppResult<BTreeMap<String, String>>> + Send;
    /// Writes the document as published version `next` if `current` is still the published
    /// one (and whatever else follows from it, like an item's themes); the rows it updated.
    fn write_published(
        &self,
        tx: &mut AnyConnection,
        current: i64,
        next: i64,
    ) -> impl Future<Output = AppResult<u64>> + Send;
}

pub fn not_found<T: Document>(code: &str) -> AppError {
    AppError::not_found(format!("没有找到编码为 {code} 的{}", T::KIND.noun))
}

/// The published document and its version; 404 for an unknown code.
pub async fn published<T: Document>(conn: &mut AnyConnection, code: &str) -> AppResult<(T, i64)> {
    let k = T::KIND;
    let row = sqlx::query(&format!(
        "SELECT {}, version FROM {} WHERE code = $1",
        k.column, k.table
    ))
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| not_found::<T>(code))?;
    Ok((from_json(row.try_get(0)?)?, row.try_get("version")?))
}

/// The waiting draft, with who saved it and when.
pub async fn draft<T: Document>(db: &Db, code: &str) -> AppResult<Option<(T, DraftMark)>> {
    let k = T::KIND;
    let row = sqlx::query(&format!(
        "SELECT {}, saved_by, saved_at FROM {} WHERE {} = $1",
        k.column, k.drafts, k.key
    ))
    .bind(code)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| {
        Ok((
            from_json(r.try_get(0)?)?,
            DraftMark {
                saved_by: r.try_get("saved_by")?,
                saved_at: r.try_get("saved_at")?,
            },
        ))
    })
    .transpose()
}

/// Saves `document` as its draft (replacing an earlier one), audited. An incomplete draft is
/// kept as it is; only publication requires a document without problems.
pub async fn save_draft<T: Document>(
    db: &Db,
    staff: &StaffUser,
    address: &str,
    document: &T,
) -> AppResult<()> {
    let k = T::KIND;
    let code = document.code();
    let mut tx = db.pool.begin().await?;
    published::<T>(&mut tx, code).await?;
    let actor = staff.audit_name();
    sqlx::query(&format!("DELETE FROM {} WHERE {} = $1", k.drafts, k.key))
        .bind(code)
        .execute(&mut *tx)
        .await?;
    sqlx::query(&format!(
        "INSERT INTO {} ({}, {}, saved_by, saved_at) VALUES ($1, $2, $3, $4)",
        k.drafts, k.key, k.column
    ))
    .bind(code)
    .bind(to_json(document)?)
    .bind(&actor)
    .bind(clock::now_text())
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action: &format!("保存{}草稿", k.noun),
            detail: &format!("{code} {}", document.name()),
            case_id: None,
            address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Discards the draft, audited; 404 when there is none.
pub async fn discard_draft<T: Document>(
    db: &Db,
    staff: &StaffUser,
    address: &str,
    code: &str,
) -> AppResult<()> {
    let k = T::KIND;
    let mut tx = db.pool.begin().await?;
    let gone = sqlx::query(&format!("DELETE FROM {} WHERE {} = $1", k.drafts, k.key))
        .bind(code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::not_found(format!("{}{code} 没有草稿", k.noun)));
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &staff.audit_name(),
            action: &format!("删除{}草稿", k.noun),
            detail: code,
            case_id: None,
            address,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One kept version.
pub async fn kept<T: Document>(db: &Db, code: &str, version: i64) -> AppResult<T> {
    let k = T::KIND;
    let row = sqlx::query(&format!(
        "SELECT {} FROM {} WHERE {} = $1 AND version = $2",
        k.column, k.versions, k.key
    ))
    .bind(code)
    .bind(version)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::not_found(format!("{}{code} 没有第 {version} 版", k.noun)))?;
    from_json(row.try_get(0)?)
}

/// The kept versions, newest first.
pub async fn versions<T: Document>(db: &Db, code: &str) -> AppResult<Vec<GuideVersion>> {
    let k = T::KIND;
    let rows = sqlx::query(&format!(
        "SELECT version, published_by, published_at, note, restored_from FROM {} \
         WHERE {} = $1 ORDER BY version DESC",
        k.versions, k.key
    ))
    .bind(code)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(GuideVersion {
                version: r.try_get("version")?,
                published_by: r.try_get("published_by")?,
                published_at: r.try_get("published_at")?,
                note: r.try_get("note")?,
                restored_from: r.try_get("restored_from")?,
            })
        })
        .collect()
}

/// Keeps a document loaded from files (demo data, an import) as its version 1.
pub async fn keep_first<T: Document>(
    tx: &mut AnyConnection,
    document: &T,
    note: &str,
) -> AppResult<()> {
    let k = T::KIND;
    sqlx::query(&format!(
        "INSERT INTO {} ({}, version, {}, published_by, published_at, note) \
         VALUES ($1, 1, $2, $3, $4, $5)",
        k.versions, k.key, k.column
    ))
    .bind(document.code())
    .bind(to_json(document)?)
    .bind(crate::workflow::SYSTEM)
    .bind(clock::now_text())
    .bind(note)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Publishes the saved draft as the next version.
pub async fn publish_draft<T: Document>(
    state: &AppState,
    staff: &StaffUser,
    address: &str,
    code: &str,
    note: &str,
) -> AppResult<Published> {
    let note = checked_note(note)?;
    let (_, version) = published::<T>(&mut *state.db.pool.acquire().await?, code).await?;
    let Some((document, _)) = draft::<T>(&state.db, code).await? else {
        return Err(AppError::conflict(
            "no_draft",
            format!("该{}没有待发布的草稿，请先修改并保存草稿", T::KIND.noun),
        ));
    };
    write_version(state, staff, address, &document, version, &note, None).await
}

/// Publishes kept version `from` again as a new version (the versions between stay kept); a
/// waiting draft is left alone.
pub async fn restore<T: Document>(
    state: &AppState,
    staff: &StaffUser,
    address: &str,
    code: &str,
    from: i64,
    note: &str,
) -> AppResult<Published> {
    let note = checked_note(note)?;
    let (_, version) = published::<T>(&mut *state.db.pool.acquire().await?, code).await?;
    let document = kept::<T>(&state.db, code, from).await?;
    if from == version {
        return Err(AppError::UnprocessableField {
            field: "version".into(),
            message: format!("第 {from} 版就是当前发布的版本，无需恢复"),
        });
    }
    write_version(state, staff, address, &document, version, &note, Some(from)).await
}

fn checked_note(note: &str) -> AppResult<String> {
    let note = note.trim();
    let message = if note.is_empty() {
        "请填写发布说明，写明这次改了什么"
    } else if note.chars().count() > MAX_NOTE {
        "发布说明不能超过 200 个字"
    } else {
        return Ok(note.to_string());
    };
    Err(AppError::UnprocessableField {
        field: "note".into(),
        message: message.into(),
    })
}

/// Publishes `document` as version `current + 1`: checked, written with its kept version, audit
/// entry and the raised revision in one transaction; then this server's catalog is rebuilt.
async fn write_version<T: Document>(
    state: &AppState,
    staff: &StaffUser,
    address: &str,
    document: &T,
    current: i64,
    note: &str,
    restored_from: Option<i64>,
) -> AppResult<Published> {
    let k = T::KIND;
    let db = &state.db;
    let problems = document.problems(db).await?;
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let code = document.code();
    let next = current + 1;
    let actor = staff.audit_name();
    let mut tx = db.pool.begin().await?;
    if document.write_published(&mut tx, current, next).await? == 0 {
        return Err(AppError::conflict(
            "version_changed",
            format!("刚刚有人发布了该{}的新版本，请刷新后查看差异再发布", k.noun),
        ));
    }
    sqlx::query(&format!(
        "INSERT INTO {} ({}, version, {}, published_by, published_at, note, restored_from) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        k.versions, k.key, k.column
    ))
    .bind(code)
    .bind(next)
    .bind(to_json(document)?)
    .bind(&actor)
    .bind(clock::now_text())
    .bind(note)
    .bind(restored_from)
    .execute(&mut *tx)
    .await?;
    if restored_from.is_none() {
        sqlx::query(&format!("DELETE FROM {} WHERE {} = $1", k.drafts, k.key))
            .bind(code)
            .execute(&mut *tx)
            .await?;
    }
    let revision = store::bump_revision(&mut tx).await?;
    let name = document.name();
    let (action, detail) = match restored_from {
        Some(from) => (
            format!("恢复{}版本", k.noun),
            format!("{code} {name}：恢复第 {from} 版为第 {next} 版（{note}）"),
        ),
        None => (
            format!("发布{}", k.noun),
            format!("{code} {name}：发布第 {next} 版（{note}）"),
        ),
    };
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action: &action,
            detail: &detail,
            case_id: None,
            address,
        },
    )
    .await?;
    tx.commit().await?;
    state.reload_catalog().await?;
    Ok(Published {
        code: code.to_string(),
        version: next,
        revision,
    })
}
