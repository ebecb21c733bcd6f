//! Idempotent submission: an `Idempotency-Key` header names one submission of one case or
//! bundle application. The first answer's facts are stored with the key in the submission's
//! transaction; a retry with the same key answers them again, and a key used for something
//! else is refused (409).

use axum::http::HeaderMap;
use sqlx::AnyConnection;

use crate::db::Db;
use crate::error::{AppError, AppResult};

/// What can be submitted: each keeps its keys in its own table.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A single case (`case_submissions`).
    Case,
    /// A bundle application (`bundle_submissions`).
    Bundle,
}

impl Target {
    fn table(self) -> &'static str {
        match self {
            Target::Case => "case_submissions",
            Target::Bundle => "bundle_submissions",
        }
    }

    fn id_column(self) -> &'static str {
        match self {
            Target::Case => "case_id",
            Target::Bundle => "bundle_case_id",
        }
    }
}

/// The `Idempotency-Key` header: required, 8–100 visible ASCII characters.
pub fn key(headers: &HeaderMap) -> AppResult<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if !(8..=100).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_param(
            "Idempotency-Key",
            "提交申请需要 Idempotency-Key 请求头（8–100 个字符，每次新的提交使用新的值）",
        ));
    }
    Ok(key.to_string())
}

/// The facts of a stored first answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Earlier {
    pub target_id: String,
    pub number: String,
    pub due_date: Option<String>,
}

/// The stored answer of an earlier submission of `target_id` with the same key; 409 when the
/// key was used for another one.
pub async fn earlier(
    db: &Db,
    target: Target,
    applicant_id: &str,
    key: &str,
    target_id: &str,
) -> AppResult<Option<Earlier>> {
    let due_date = match target {
        Target::Case => "due_date",
        Target::Bundle => "CAST(NULL AS TEXT)",
    };
    let sql = format!(
        "SELECT {} AS target_id, number, {due_date} AS due_date FROM {} \
         WHERE applicant_id = $1 AND idempotency_key = $2",
        target.id_column(),
        target.table()
    );
    let found: Option<Earlier> = sqlx::query_as(&sql)
        .bind(applicant_id)
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    match found {
        Some(e) if e.target_id == target_id => Ok(Some(e)),
        Some(_) => Err(AppError::conflict(
            "idempotency_key_reused",
            "该 Idempotency-Key 已用于另一件申请，请为每次提交使用新的值",
        )),
        None => Ok(None),
    }
}

/// Stores the first answer with its key, in the submission's transaction.
pub async fn remember(
    tx: &mut AnyConnection,
    target: Target,
    applicant_id: &str,
    key: &str,
    first: &Earlier,
    now: &str,
) -> AppResult<()> {
    match target {
        Target::Case => {
            sqlx::query(
                "INSERT INTO case_submissions (applicant_id, idempotency_key, case_id, number, due_date, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(applicant_id)
            .bind(key)
            .bind(&first.target_id)
            .bind(&first.number)
            .bind(&first.due_date)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        Target::Bundle => {
            sqlx::query(
                "INSERT INTO bundle_submissions (bundle_case_id, applicant_id, idempotency_key, number, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&first.target_id)
            .bind(applicant_id)
            .bind(key)
            .bind(&first.number)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}
