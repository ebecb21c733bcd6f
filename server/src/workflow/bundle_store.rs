//! Bundle reads and writes: the bundle definitions, registered names, business scopes, and
//! bundle applications with their uploads.

use std::collections::{BTreeMap, HashMap};

use app::api::{
    Bundle, BusinessScope, CaseStatus, CompanyFacts, ItemGuide, RegisteredName, UploadInfo,
};
use app::rules::tailor::Answers;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow, Row};

use super::case_store::{from_json, parse_status, to_json, UploadRecord, UPLOAD_COLUMNS};
use crate::clock;
use crate::db::Db;
use crate::error::AppResult;

/// The demo files: bundles, the district's registered names, the business scope list.
pub struct DemoData {
    pub bundles: Vec<Bundle>,
    pub names: Vec<RegisteredName>,
    pub scopes: Vec<BusinessScope>,
}

pub fn demo() -> Result<DemoData, String> {
    fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
        serde_json::from_str(text).map_err(|e| format!("demo/{name}: {e}"))
    }
    Ok(DemoData {
        bundles: parse("bundles.json", include_str!("../../demo/bundles.json"))?,
        names: parse(
            "registered-names.json",
            include_str!("../../demo/registered-names.json"),
        )?,
        scopes: parse(
            "business-scope.json",
            include_str!("../../demo/business-scope.json"),
        )?,
    })
}

async fn count(db: &Db, table: &str) -> AppResult<i64> {
    // `table` is one of the fixed names below, never user input.
    let row = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get("n")?)
}

/// Loads each demo table that is still empty, in one transaction.
pub async fn import_demo(db: &Db, demo: &DemoData) -> AppResult<(usize, usize, usize)> {
    let DemoData {
        bundles,
        names,
        scopes,
    } = demo;
    let load_bundles = count(db, "bundles").await? == 0;
    let load_names = count(db, "registered_names").await? == 0;
    let load_scopes = count(db, "business_scopes").await? == 0;
    let mut tx = db.pool.begin().await?;
    let mut loaded = (0, 0, 0);
    if load_bundles {
        for (order, b) in bundles.iter().enumerate() {
            sqlx::query(
                "INSERT INTO bundles (code, document, sort_order, demo) VALUES ($1, $2, $3, 1)",
            )
            .bind(&b.code)
            .bind(to_json(b)?)
            .bind(order as i64)
            .execute(&mut *tx)
            .await?;
        }
        loaded.0 = bundles.len();
    }
    if load_names {
        let now = clock::now_text();
        for n in names {
            sqlx::query(
                "INSERT INTO registered_names (name, trade_name, industry, uscc, registered_at) VALUES ($1, $2, $3, NULL, $4)",
            )
            .bind(&n.name)
            .bind(&n.trade_name)
            .bind(&n.industry)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        loaded.1 = names.len();
    }
    if load_scopes {
        for (order, s) in scopes.iter().enumerate() {
            sqlx::query(
                "INSERT INTO business_scopes (code, document, sort_order) VALUES ($1, $2, $3)",
            )
            .bind(&s.code)
            .bind(to_json(s)?)
            .bind(order as i64)
            .execute(&mut *tx)
            .await?;
        }
        loaded.2 = scopes.len();
    }
    tx.commit().await?;
    Ok(loaded)
}

/// Every bundle in order, with its demo flag.
pub async fn bundles(db: &Db) -> AppResult<Vec<(Bundle, bool)>> {
    let rows = sqlx::query("SELECT document, demo FROM bundles ORDER BY sort_order, code")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                from_json(&r.try_get::<String, _>("document")?)?,
                r.try_get::<i64, _>("demo")? == 1,
            ))
        })
        .collect()
}

pub async fn bundle(db: &Db, code: &str) -> AppResult<Option<(Bundle, bool)>> {
    let row = sqlx::query("SELECT document, demo FROM bundles WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| {
        Ok((
            from_json(&r.try_get::<String, _>("document")?)?,
            r.try_get::<i64, _>("demo")? == 1,
        ))
    })
    .transpose()
}

pub async fn registered_names(db: &Db) -> AppResult<Vec<RegisteredName>> {
    let rows = sqlx::query("SELECT name, trade_name, industry FROM registered_names ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(RegisteredName {
                name: r.try_get("name")?,
                trade_name: r.try_get("trade_name")?,
                industry: r.try_get("industry")?,
            })
        })
        .collect()
}

pub async fn scopes(db: &Db) -> AppResult<Vec<BusinessScope>> {
    let rows = sqlx::query("SELECT document FROM business_scopes ORDER BY sort_order, code")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| from_json(&r.try_get::<String, _>("document")?))
        .collect()
}

/// The guides of the given items that the catalog has (item code → guide).
pub async fn guides(db: &Db, codes: &[&str]) -> AppResult<Vec<ItemGuide>> {
    let mut guides = Vec::new();
    for code in codes {
        if let Some(row) = sqlx::query("SELECT guide FROM items WHERE code = $1")
            .bind(*code)
            .fetch_optional(&db.pool)
            .await?
        {
            guides.push(from_json(&row.try_get::<String, _>("guide")?)?);
        }
    }
    Ok(guides)
}

/// Department code → full name.
pub async fn department_names(db: &Db) -> AppResult<HashMap<String, String>> {
    let rows = sqlx::query("SELECT code, name FROM departments")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
        .collect()
}

/// A bundle application as stored.
#[derive(Debug, Clone)]
pub struct BundleCaseRow {
    pub id: String,
    pub number: Option<String>,
    pub bundle: Bundle,
    pub applicant_id: String,
    /// `draft`, `submitted` or `done`.
    pub status: String,
    pub answers: Answers,
    pub form: BTreeMap<String, String>,
    pub company: Option<CompanyFacts>,
    pub uscc: Option<String>,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub completed_at: Option<String>,
    pub hours_started_at: Option<String>,
    pub last_member_approved_at: Option<String>,
}

impl BundleCaseRow {
    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }
}

const COLUMNS: &str =
    "id, number, bundle, applicant_id, status, answers, form, company, uscc, created_at, \
    submitted_at, completed_at, hours_started_at, last_member_approved_at";

/// A `bundle_cases` row (with [`COLUMNS`]) as the database has it; JSON columns still text.
#[derive(sqlx::FromRow)]
struct BundleCaseRecord {
    id: String,
    number: Option<String>,
    bundle: String,
    applicant_id: String,
    status: String,
    answers: String,
    form: String,
    company: Option<String>,
    uscc: Option<String>,
    created_at: String,
    submitted_at: Option<String>,
    completed_at: Option<String>,
    hours_started_at: Option<String>,
    last_member_approved_at: Option<String>,
}

fn row_to_bundle_case(row: &AnyRow) -> AppResult<BundleCaseRow> {
    let r = BundleCaseRecord::from_row(row)?;
    Ok(BundleCaseRow {
        id: r.id,
        number: r.number,
        bundle: from_json(&r.bundle)?,
        applicant_id: r.applicant_id,
        status: r.status,
        answers: from_json(&r.answers)?,
        form: from_json(&r.form)?,
        company: r.company.map(|c| from_json(&c)).transpose()?,
        uscc: r.uscc,
        created_at: r.created_at,
        submitted_at: r.submitted_at,
        completed_at: r.completed_at,
        hours_started_at: r.hours_started_at,
        last_member_approved_at: r.last_member_approved_at,
    })
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    id: &str,
) -> AppResult<Option<BundleCaseRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM bundle_cases WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(row_to_bundle_case).transpose()
}

/// A submitted bundle application by its 受理编号, with its applicant's sign-in phone (for
/// `/api/track`).
pub async fn find_by_number(db: &Db, number: &str) -> AppResult<Option<(BundleCaseRow, String)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, (SELECT a.phone FROM applicants a WHERE a.id = bundle_cases.applicant_id) \
         AS applicant_phone FROM bundle_cases WHERE number = $1"
    ))
    .bind(number)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|r| Ok((row_to_bundle_case(&r)?, r.try_get("applicant_phone")?)))
        .transpose()
}

/// An applicant's bundle applications, newest first.
pub async fn of_applicant(db: &Db, applicant_id: &str) -> AppResult<Vec<BundleCaseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bundle_cases WHERE applicant_id = $1 ORDER BY seq DESC"
    ))
    .bind(applicant_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(row_to_bundle_case).collect()
}

/// Every submitted bundle application, newest first (the manager's overview).
pub async fn submitted(db: &Db) -> AppResult<Vec<BundleCaseRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bundle_cases WHERE status <> 'draft' ORDER BY seq DESC LIMIT 500"
    ))
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(row_to_bundle_case).collect()
}

/// Member case statuses by bundle application, of one applicant or everyone (for lists; the
/// detail reads the cases).
pub async fn member_statuses(
    db: &Db,
    applicant_id: Option<&str>,
) -> AppResult<HashMap<String, Vec<CaseStatus>>> {
    let rows = match applicant_id {
        Some(id) => {
            sqlx::query(
                "SELECT bundle_case_id, status FROM cases WHERE bundle_case_id IS NOT NULL AND applicant_id = $1 ORDER BY seq",
            )
            .bind(id)
            .fetch_all(&db.pool)
            .await?
        }
        None => {
            sqlx::query("SELECT bundle_case_id, status FROM cases WHERE bundle_case_id IS NOT NULL ORDER BY seq")
                .fetch_all(&db.pool)
                .await?
        }
    };
    let mut out: HashMap<String, Vec<CaseStatus>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("bundle_case_id")?)
            .or_default()
            .push(parse_status(&r.try_get::<String, _>("status")?)?);
    }
    Ok(out)
}

/// One stored upload of a bundle draft, with the file's digest (the same file is referenced by
/// every member case using the material).
#[derive(Debug, Clone)]
pub struct BundleUpload {
    pub material_id: String,
    pub info: UploadInfo,
}

/// A bundle draft's uploads, newest first.
pub async fn uploads(db: &Db, bundle_case_id: &str) -> AppResult<Vec<BundleUpload>> {
    let rows: Vec<UploadRecord> = sqlx::query_as(&format!(
        "SELECT {UPLOAD_COLUMNS} FROM bundle_uploads WHERE bundle_case_id = $1 ORDER BY seq DESC"
    ))
    .bind(bundle_case_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BundleUpload {
            material_id: r.material_id.clone(),
            info: r.into(),
        })
        .collect())
}
