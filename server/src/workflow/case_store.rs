//! Case reads and writes in the database.
//!
//! Writes that belong together (a status change with its timeline event, audit entry and
//! applicant message) take a transaction from the caller, so they commit or vanish together.

use std::collections::{BTreeMap, HashMap};

use app::api::wire_name;
use app::api::{CaseEvent, CaseStatus, ItemGuide, Notice, Outcome, Rating, UploadInfo, Verdict};
use app::rules::date::Date;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor, FromRow, Row};

use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::secrets;

/// One case as stored (with its applicant's sign-in phone, for `/track`).
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub id: String,
    pub applicant_id: String,
    pub applicant_phone: String,
    pub item_code: String,
    pub item_name: String,
    pub department_code: String,
    pub department_name: String,
    pub status: CaseStatus,
    pub form: BTreeMap<String, String>,
    pub answers: BTreeMap<String, String>,
    pub applicant_name: String,
    pub number: Option<String>,
    pub due_date: Option<String>,
    pub notice: Option<Notice>,
    pub outcome: Option<Outcome>,
    pub created_at: String,
    /// The last change: a save, an upload or a change of status.
    pub updated_at: String,
    pub submitted_at: Option<String>,
    /// The bundle application (一件事一次办) this case is a member of.
    pub bundle_case_id: Option<String>,
    /// Bundle members (item codes) still to be approved before this one is submitted.
    pub waiting_for: Vec<String>,
    /// The published version of the item's 办事指南 the case was filed under (its copy is
    /// `cases.guide`); absent only for cases older than catalog versions.
    pub guide_version: Option<i64>,
}

impl CaseRow {
    /// A bundle member held back until its predecessors are approved: not the applicant's to
    /// submit or edit, and in no queue.
    pub fn is_held(&self) -> bool {
        self.status == CaseStatus::Draft && !self.waiting_for.is_empty()
    }
}

const COLUMNS: &str =
    "c.id, c.applicant_id, a.phone AS applicant_phone, c.item_code, c.item_name, \
    c.department_code, c.department_name, c.status, c.form, c.answers, c.applicant_name, c.number, \
    c.due_date, c.notice, c.outcome, c.created_at, c.updated_at, c.submitted_at, c.bundle_case_id, c.waiting_for, c.guide_version";

// Generated demo history (`cases.demo = 1`, see `stats::demo_history`) only feeds the
// indicators: no applicant, queue or lookup reads it as a case.
const FROM: &str = "FROM cases c JOIN applicants a ON a.id = c.applicant_id AND c.demo = 0";

pub fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> AppResult<T> {
    serde_json::from_str(text).map_err(|e| AppError::Internal(format!("stored JSON: {e}")))
}

pub fn parse_status(text: &str) -> AppResult<CaseStatus> {
    parse_text("case status", text)
}

/// A `cases` row (with [`COLUMNS`]) as the database has it; JSON columns still text.
#[derive(sqlx::FromRow)]
struct CaseRecord {
    id: String,
    applicant_id: String,
    applicant_phone: String,
    item_code: String,
    item_name: String,
    department_code: String,
    department_name: String,
    #[sqlx(try_from = "String")]
    status: CaseStatus,
    form: String,
    answers: String,
    applicant_name: String,
    number: Option<String>,
    due_date: Option<String>,
    notice: Option<String>,
    outcome: Option<String>,
    created_at: String,
    updated_at: String,
    submitted_at: Option<String>,
    bundle_case_id: Option<String>,
    waiting_for: Option<String>,
    guide_version: Option<i64>,
}

fn optional_json<T: serde::de::DeserializeOwned>(text: Option<String>) -> AppResult<Option<T>> {
    text.map(|t| from_json(&t)).transpose()
}

fn case_from_row(row: &AnyRow) -> AppResult<CaseRow> {
    let r = CaseRecord::from_row(row)?;
    Ok(CaseRow {
        id: r.id,
        applicant_id: r.applicant_id,
        applicant_phone: r.applicant_phone,
        item_code: r.item_code,
        item_name: r.item_name,
        department_code: r.department_code,
        department_name: r.department_name,
        status: r.status,
        form: from_json(&r.form)?,
        answers: from_json(&r.answers)?,
        applicant_name: r.applicant_name,
        number: r.number,
        due_date: r.due_date,
        notice: optional_json(r.notice)?,
        outcome: optional_json(r.outcome)?,
        created_at: r.created_at,
        updated_at: r.updated_at,
        submitted_at: r.submitted_at,
        bundle_case_id: r.bundle_case_id,
        waiting_for: optional_json(r.waiting_for)?.unwrap_or_default(),
        guide_version: r.guide_version,
    })
}

pub async fn find(db: &Db, id: &str) -> AppResult<Option<CaseRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(case_from_row).transpose()
}

pub async fn find_by_number(db: &Db, number: &str) -> AppResult<Option<CaseRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} {FROM} WHERE c.number = $1"))
        .bind(number)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(case_from_row).transpose()
}

/// The guide the case was filed under.
pub async fn guide(db: &Db, case_id: &str) -> AppResult<ItemGuide> {
    let row = sqlx::query("SELECT guide FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&db.pool)
        .await?;
    from_json(&row.try_get::<String, _>("guide")?)
}

/// An applicant's cases, newest first.
pub async fn of_applicant(db: &Db, applicant_id: &str) -> AppResult<Vec<CaseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.applicant_id = $1 ORDER BY c.seq DESC"
    ))
    .bind(applicant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(case_from_row).collect()
}

/// A bundle application's member cases, in the order they were created (bundle order).
pub async fn of_bundle<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    bundle_case_id: &str,
) -> AppResult<Vec<CaseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.bundle_case_id = $1 ORDER BY c.seq"
    ))
    .bind(bundle_case_id)
    .fetch_all(executor)
    .await?;
    rows.iter().map(case_from_row).collect()
}

/// Cases staff may see: submitted at least once (drafts are the applicant's own business),
/// of one department unless `department` is `None`, optionally in one status.
/// What a staff queue lists: submitted cases, narrowed by these.
#[derive(Debug, Default)]
pub struct StaffFilter {
    /// A reviewer's department; `None` for every department.
    pub department: Option<String>,
    pub status: Option<CaseStatus>,
    pub item_code: Option<String>,
    /// Lower-case text that the 受理编号 (the case's or its 一件事's), the applicant's name or
    /// the form must contain — or, when `phone_digits` is set, the sign-in phone or the form
    /// those digits: a coarse pass that the caller refines.
    pub contains: Option<String>,
    pub phone_digits: Option<String>,
}

/// `%text%` for `LIKE … ESCAPE '\'`, with the wildcards in `text` taken literally.
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub async fn for_staff(db: &Db, filter: &StaffFilter) -> AppResult<Vec<CaseRow>> {
    let mut sql = format!("SELECT {COLUMNS} {FROM} WHERE c.number IS NOT NULL");
    let mut binds = Vec::new();
    if let Some(d) = &filter.department {
        binds.push(d.to_string());
        sql.push_str(&format!(" AND c.department_code = ${}", binds.len()));
    }
    if let Some(s) = filter.status {
        binds.push(s.as_str().to_string());
        sql.push_str(&format!(" AND c.status = ${}", binds.len()));
    }
    if let Some(code) = &filter.item_code {
        binds.push(code.clone());
        sql.push_str(&format!(" AND c.item_code = ${}", binds.len()));
    }
    if let Some(text) = &filter.contains {
        binds.push(like_pattern(text));
        let n = binds.len();
        let mut any = format!(
            "LOWER(c.number) LIKE ${n} ESCAPE '\\' \
             OR LOWER(c.applicant_name) LIKE ${n} ESCAPE '\\' \
             OR LOWER(c.form) LIKE ${n} ESCAPE '\\' \
             OR c.bundle_case_id IN (SELECT b.id FROM bundle_cases b \
                WHERE LOWER(b.number) LIKE ${n} ESCAPE '\\')"
        );
        if let Some(digits) = &filter.phone_digits {
            binds.push(like_pattern(digits));
            let d = binds.len();
            any.push_str(&format!(
                " OR a.phone LIKE ${d} ESCAPE '\\' OR c.form LIKE ${d} ESCAPE '\\'"
            ));
        }
        sql.push_str(&format!(" AND ({any})"));
    }
    sql.push_str(" ORDER BY c.seq LIMIT 2000");
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    query
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(case_from_row)
        .collect()
}

/// Cases whose promised deadline is running (for the supervision view).
pub async fn awaiting_department(db: &Db) -> AppResult<Vec<CaseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} {FROM} WHERE c.status IN ('submitted', 'approved') AND c.due_date IS NOT NULL ORDER BY c.seq"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(case_from_row).collect()
}

/// Every upload of a case by material, newest first.
pub async fn uploads(db: &Db, case_id: &str) -> AppResult<HashMap<String, Vec<UploadInfo>>> {
    let rows: Vec<UploadRecord> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE case_id = $1 ORDER BY seq DESC"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    let mut by_material: HashMap<String, Vec<UploadInfo>> = HashMap::new();
    for record in rows {
        by_material
            .entry(record.material_id.clone())
            .or_default()
            .push(record.into());
    }
    Ok(by_material)
}

/// The columns of an [`UploadRecord`].
pub const UPLOAD_COLUMNS: &str =
    "id, material_id, file_name, content_type, size, sha256, is_current, created_at, fetched";

/// An `uploads` or `bundle_uploads` row (see [`UPLOAD_COLUMNS`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRecord {
    pub material_id: String,
    id: String,
    file_name: String,
    content_type: String,
    size: i64,
    sha256: String,
    is_current: i64,
    created_at: String,
    fetched: Option<String>,
}

impl From<UploadRecord> for UploadInfo {
    fn from(r: UploadRecord) -> UploadInfo {
        UploadInfo {
            id: r.id,
            file_name: r.file_name,
            content_type: r.content_type,
            size: r.size as u64,
            sha256: r.sha256,
            uploaded_at: r.created_at,
            current: r.is_current == 1,
            fetched: r.fetched,
        }
    }
}

/// A reviewer's verdict on one material.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Review {
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub reason: Option<String>,
    pub deadline: Option<String>,
}

/// A stored enum value (its wire name, [`app::api::wire_name`]); 500 for a value no variant has.
pub fn parse_text<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> AppResult<T> {
    wire_name::parse(text).ok_or_else(|| AppError::Internal(format!("{what} {text:?}")))
}

#[derive(sqlx::FromRow)]
struct MaterialReview {
    material_id: String,
    #[sqlx(flatten)]
    review: Review,
}

pub async fn reviews(db: &Db, case_id: &str) -> AppResult<HashMap<String, Review>> {
    let rows = sqlx::query_as(
        "SELECT material_id, verdict, reason, deadline FROM material_reviews WHERE case_id = $1",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r: MaterialReview| (r.material_id, r.review))
        .collect())
}

/// A case's timeline, oldest first.
pub async fn events(db: &Db, case_id: &str) -> AppResult<Vec<CaseEvent>> {
    #[derive(sqlx::FromRow)]
    struct EventRecord {
        created_at: String,
        actor: String,
        title: String,
        detail: Option<String>,
    }
    let rows: Vec<EventRecord> = sqlx::query_as(
        "SELECT created_at, actor, title, detail FROM case_events WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CaseEvent {
            at: r.created_at,
            actor: r.actor,
            title: r.title,
            detail: r.detail,
        })
        .collect())
}

pub fn rating_from_row(row: &AnyRow) -> AppResult<Rating> {
    let level: String = row.try_get("level")?;
    Ok(Rating {
        level: parse_text("rating level", &level)?,
        comment: row.try_get("comment")?,
        rated_at: row.try_get("created_at")?,
        rectification: row.try_get("rectification")?,
        rectified_at: row.try_get("rectified_at")?,
    })
}

pub async fn rating(db: &Db, case_id: &str) -> AppResult<Option<Rating>> {
    let row = sqlx::query("SELECT level, comment, created_at, rectification, rectified_at FROM ratings WHERE case_id = $1")
        .bind(case_id)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(rating_from_row).transpose()
}

/// The next 受理编号 of `today`'s daily sequence, `SFQ-YYYYMMDD-NNNN` (shared by single cases,
/// bundle applications and their member cases).
pub async fn next_number(tx: &mut AnyConnection, today: Date) -> AppResult<String> {
    let day = format!("{:04}{:02}{:02}", today.year, today.month, today.day);
    let row = sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind(format!("case_number:{day}"))
    .fetch_one(&mut *tx)
    .await?;
    Ok(format!("SFQ-{day}-{:04}", row.try_get::<i64, _>("value")?))
}

/// Moves a case from `from` to `to` only if it is still in `from`: of two simultaneous
/// actions on one case, the second finds the status changed and fails instead of overwriting.
/// The indicators' facts change with it: a return is counted, and a final decision by the
/// department (已办结, 不予受理) is dated.
pub async fn change_status(
    tx: &mut AnyConnection,
    case_id: &str,
    from: CaseStatus,
    to: CaseStatus,
) -> AppResult<bool> {
    let returned = i64::from(to == CaseStatus::Returned);
    let decided = i64::from(matches!(to, CaseStatus::Completed | CaseStatus::Rejected));
    let done = sqlx::query(
        "UPDATE cases SET status = $3, updated_at = $4, returns = returns + $5, \
         decided_at = CASE WHEN $6 = 1 THEN $4 ELSE decided_at END \
         WHERE id = $1 AND status = $2",
    )
    .bind(case_id)
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(clock::now_text())
    .bind(returned)
    .bind(decided)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(done == 1)
}

pub async fn add_event<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    case_id: &str,
    actor: &str,
    title: &str,
    detail: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO case_events (id, case_id, actor, title, detail, created_at, seq) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(secrets::new_id())
    .bind(case_id)
    .bind(actor)
    .bind(title)
    .bind(detail)
    .bind(clock::now_text())
    .bind(clock::next_seq())
    .execute(executor)
    .await?;
    Ok(())
}

/// An in-app message (站内消息) to the case's applicant.
pub async fn add_message<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    applicant_id: &str,
    case_id: &str,
    text: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO messages (id, applicant_id, case_id, body, is_read, created_at, seq) VALUES ($1, $2, $3, $4, 0, $5, $6)",
    )
    .bind(secrets::new_id())
    .bind(applicant_id)
    .bind(case_id)
    .bind(text)
    .bind(clock::now_text())
    .bind(clock::next_seq())
    .execute(executor)
    .await?;
    Ok(())
}
