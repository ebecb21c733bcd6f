//! Sites and the district map in the database, and the demo files they are loaded from.

use std::collections::{BTreeSet, HashMap, HashSet};

use app::api::{AppointmentQueue, DistrictMap, OpeningHours, Site, SiteLevel};
use app::rules::opening::validate_hours;
use sqlx::Row;

use crate::db::Db;
use crate::error::{AppError, AppResult};

/// The demo sites and map compiled into the binary.
pub fn demo() -> Result<(Vec<Site>, DistrictMap), String> {
    let sites = serde_json::from_str(include_str!("../../demo/sites.json"))
        .map_err(|e| format!("demo/sites.json: {e}"))?;
    let map = serde_json::from_str(include_str!("../../demo/district-map.json"))
        .map_err(|e| format!("demo/district-map.json: {e}"))?;
    Ok((sites, map))
}

/// Every problem with `sites` as readable lines: duplicate codes, invalid hours, item codes not in
/// `items`, coordinates outside the globe.
pub fn problems(sites: &[Site], items: &HashSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut codes = BTreeSet::new();
    for site in sites {
        let code = &site.code;
        if !codes.insert(code.as_str()) {
            problems.push(format!("{code}: duplicate site code"));
        }
        if let Err(e) = validate_hours(&site.hours) {
            problems.push(format!("{code}: {e}"));
        }
        if !(site.lat.abs() <= 90.0 && site.lng.abs() <= 180.0) {
            problems.push(format!(
                "{code}: coordinates {},{} out of range",
                site.lat, site.lng
            ));
        }
        let mut seen = HashSet::new();
        for item in &site.items {
            if !items.contains(item) {
                problems.push(format!("{code}: unknown item {item}"));
            }
            if !seen.insert(item) {
                problems.push(format!("{code}: item {item} listed twice"));
            }
        }
    }
    problems
}

pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM sites")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<i64, _>("n")? == 0)
}

/// Replaces every site and the map in one transaction, after checking the sites against the
/// catalog in the database.
pub async fn import(db: &Db, sites: &[Site], map: &DistrictMap, demo: bool) -> Result<(), String> {
    let items: HashSet<String> = sqlx::query("SELECT code FROM items")
        .fetch_all(&db.pool)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get("code"))
        .collect();
    if let problems @ [_, ..] = problems(sites, &items).as_slice() {
        return Err(format!(
            "service sites are inconsistent:\n{}",
            problems.join("\n")
        ));
    }
    write(db, sites, map, demo).await.map_err(|e| e.to_string())
}

async fn write(db: &Db, sites: &[Site], map: &DistrictMap, demo: bool) -> AppResult<()> {
    let mut tx = db.pool.begin().await?;
    for table in ["site_items", "sites", "district_map"] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("INSERT INTO district_map (id, document) VALUES (1, $1)")
        .bind(to_json(map)?)
        .execute(&mut *tx)
        .await?;
    for (order, site) in sites.iter().enumerate() {
        sqlx::query(
            "INSERT INTO sites (code, name, level, street, address, phone, lat, lng, hours, accessibility, \
             parking, transit, demo, sort_order, appointment_queues) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&site.code)
        .bind(&site.name)
        .bind(site.level.as_str())
        .bind(&site.street)
        .bind(&site.address)
        .bind(&site.phone)
        .bind(site.lat)
        .bind(site.lng)
        .bind(to_json(&site.hours)?)
        .bind(to_json(&site.accessibility)?)
        .bind(&site.parking)
        .bind(&site.transit)
        .bind(i64::from(demo && site.demo))
        .bind(order as i64)
        .bind(site.appointment_queues.as_ref().map(to_json).transpose()?)
        .execute(&mut *tx)
        .await?;
        insert_items(&mut tx, &site.code, &site.items).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_items(tx: &mut sqlx::AnyConnection, site: &str, items: &[String]) -> AppResult<()> {
    if items.is_empty() {
        return Ok(());
    }
    // One statement per site: a round trip per link would dominate start-up on PostgreSQL.
    let values: Vec<String> = (0..items.len())
        .map(|i| format!("($1, ${})", i + 2))
        .collect();
    let sql = format!(
        "INSERT INTO site_items (site_code, item_code) VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(site);
    for item in items {
        query = query.bind(item);
    }
    query.execute(&mut *tx).await?;
    Ok(())
}

/// What a manager changes of one site, as stored.
pub struct Change<'a> {
    pub code: &'a str,
    pub hours: &'a OpeningHours,
    pub items: &'a [String],
    pub queues: &'a [AppointmentQueue],
    pub by: &'a str,
    pub at: &'a str,
}

/// Writes a manager's change of one site inside the caller's transaction; whether the site
/// exists.
pub async fn save(tx: &mut sqlx::AnyConnection, change: &Change<'_>) -> AppResult<bool> {
    let updated = sqlx::query(
        "UPDATE sites SET hours = $1, appointment_queues = $2, updated_by = $3, updated_at = $4 \
         WHERE code = $5",
    )
    .bind(to_json(change.hours)?)
    .bind(to_json(&change.queues)?)
    .bind(change.by)
    .bind(change.at)
    .bind(change.code)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM site_items WHERE site_code = $1")
        .bind(change.code)
        .execute(&mut *tx)
        .await?;
    insert_items(tx, change.code, change.items).await?;
    Ok(true)
}

/// Who changed each site last and when, by code (sites never changed are absent).
pub async fn last_changes(db: &Db) -> AppResult<HashMap<String, (String, String)>> {
    let rows =
        sqlx::query("SELECT code, updated_by, updated_at FROM sites WHERE updated_by IS NOT NULL")
            .fetch_all(&db.pool)
            .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                (r.try_get("updated_by")?, r.try_get("updated_at")?),
            ))
        })
        .collect()
}

/// Every site with its items, in file order.
pub async fn sites(db: &Db) -> AppResult<Vec<Site>> {
    let mut items: HashMap<String, Vec<String>> = HashMap::new();
    for row in
        sqlx::query("SELECT site_code, item_code FROM site_items ORDER BY site_code, item_code")
            .fetch_all(&db.pool)
            .await?
    {
        items
            .entry(row.try_get("site_code")?)
            .or_default()
            .push(row.try_get("item_code")?);
    }
    let rows = sqlx::query(
        "SELECT code, name, level, street, address, phone, lat, lng, hours, accessibility, parking, transit, demo, \
         appointment_queues FROM sites ORDER BY sort_order, code",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            let level: String = r.try_get("level")?;
            Ok(Site {
                items: items.remove(&code).unwrap_or_default(),
                name: r.try_get("name")?,
                level: SiteLevel::parse(&level)
                    .ok_or_else(|| AppError::Internal(format!("site level {level:?}")))?,
                street: r.try_get("street")?,
                address: r.try_get("address")?,
                phone: r.try_get("phone")?,
                lat: r.try_get("lat")?,
                lng: r.try_get("lng")?,
                hours: from_json::<OpeningHours>(r.try_get("hours")?)?,
                accessibility: from_json(r.try_get("accessibility")?)?,
                parking: r.try_get("parking")?,
                transit: r.try_get("transit")?,
                demo: r.try_get::<i64, _>("demo")? == 1,
                appointment_queues: r
                    .try_get::<Option<String>, _>("appointment_queues")?
                    .map(from_json)
                    .transpose()?,
                code,
            })
        })
        .collect()
}

pub async fn district_map(db: &Db) -> AppResult<Option<DistrictMap>> {
    let row = sqlx::query("SELECT document FROM district_map WHERE id = 1")
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| from_json(r.try_get("document")?)).transpose()
}

fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: String) -> AppResult<T> {
    serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("stored JSON: {e}")))
}
