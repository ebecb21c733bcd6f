//! Catalog reads and writes in the database.

use app::api::{Audience, Department, Form, FormSummary, ItemDetail, ItemGuide, Theme};
use sqlx::Row;

use super::data::CatalogData;
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// Replaces the whole catalog with `data` in one transaction.
pub async fn import(db: &Db, data: &CatalogData, demo: bool) -> AppResult<()> {
    let mut tx = db.pool.begin().await?;
    for table in [
        "item_drafts",
        "item_versions",
        "item_themes",
        "items",
        "forms",
        "themes",
        "departments",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await?;
    }
    for (key, value) in [
        ("district", &data.district.district),
        ("demo_note", &data.district.note),
    ] {
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
    }
    for (order, d) in data.departments.iter().enumerate() {
        sqlx::query(
            "INSERT INTO departments (code, name, short_name, phone, service_window, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&d.code)
        .bind(&d.name)
        .bind(&d.short_name)
        .bind(&d.phone)
        .bind(&d.window)
        .bind(order as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (order, t) in data.themes.iter().enumerate() {
        sqlx::query(
            "INSERT INTO themes (code, name, audience, description, icon, sort_order) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&t.code)
        .bind(&t.name)
        .bind(t.audience.as_str())
        .bind(&t.description)
        .bind(&t.icon)
        .bind(order as i64)
        .execute(&mut *tx)
        .await?;
    }
    for f in &data.forms {
        sqlx::query("INSERT INTO forms (code, title, document) VALUES ($1, $2, $3)")
            .bind(&f.code)
            .bind(&f.title)
            .bind(to_json(f)?)
            .execute(&mut *tx)
            .await?;
    }
    for item in &data.items {
        sqlx::query(
            "INSERT INTO items (code, name, department_code, audience, guide, popularity, demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&item.code)
        .bind(&item.name)
        .bind(&item.department)
        .bind(item.audience.as_str())
        .bind(to_json(item)?)
        .bind(data.popularity(&item.code))
        .bind(i64::from(demo))
        .execute(&mut *tx)
        .await?;
        for theme in &item.themes {
            sqlx::query("INSERT INTO item_themes (item_code, theme_code) VALUES ($1, $2)")
                .bind(&item.code)
                .bind(theme)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO item_versions (item_code, version, guide, published_by, published_at, note) \
             VALUES ($1, 1, $2, $3, $4, $5)",
        )
        .bind(&item.code)
        .bind(to_json(item)?)
        .bind(crate::workflow::SYSTEM)
        .bind(crate::clock::now_text())
        .bind(if demo { "导入示范数据" } else { "导入" })
        .execute(&mut *tx)
        .await?;
    }
    bump_revision(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Raises the catalog's revision (every server rebuilds its catalog when it sees it change) and
/// answers the new one.
pub async fn bump_revision(tx: &mut sqlx::AnyConnection) -> AppResult<i64> {
    sqlx::query("UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    let row = sqlx::query("SELECT revision FROM catalog_revision WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    Ok(row.try_get("revision")?)
}

/// The catalog's current revision (cheap: one row).
pub async fn revision(db: &Db) -> AppResult<i64> {
    let row = sqlx::query("SELECT revision FROM catalog_revision WHERE id = 1")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get("revision")?)
}

pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM items")
        .fetch_one(&db.pool)
        .await?;
    Ok(row.try_get::<i64, _>("n")? == 0)
}

pub async fn setting(db: &Db, key: &str) -> AppResult<Option<String>> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|r| r.get("value")))
}

pub async fn departments(db: &Db) -> AppResult<Vec<Department>> {
    let rows = sqlx::query(
        "SELECT code, name, short_name, phone, service_window FROM departments ORDER BY sort_order",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.iter().map(department_from_row).collect())
}

pub async fn themes(db: &Db) -> AppResult<Vec<Theme>> {
    let rows = sqlx::query(
        "SELECT code, name, audience, description, icon FROM themes ORDER BY sort_order",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(theme_from_row).collect()
}

/// Every item's guide with its popularity, for building the search index.
pub async fn all_guides(db: &Db) -> AppResult<Vec<(ItemGuide, i64, bool)>> {
    let rows = sqlx::query("SELECT guide, popularity, demo FROM items ORDER BY code")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                from_json(r.get("guide"))?,
                r.get::<i64, _>("popularity"),
                r.get::<i64, _>("demo") == 1,
            ))
        })
        .collect()
}

pub async fn item_detail(db: &Db, code: &str) -> AppResult<Option<ItemDetail>> {
    let Some(row) = sqlx::query(
        "SELECT i.guide, i.demo, d.code, d.name, d.short_name, d.phone, d.service_window \
         FROM items i JOIN departments d ON d.code = i.department_code WHERE i.code = $1",
    )
    .bind(code)
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let guide: ItemGuide = from_json(row.get("guide"))?;
    let themes = sqlx::query(
        "SELECT t.code, t.name, t.audience, t.description, t.icon FROM themes t \
         JOIN item_themes it ON it.theme_code = t.code WHERE it.item_code = $1 ORDER BY t.sort_order",
    )
    .bind(code)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(theme_from_row)
    .collect::<AppResult<Vec<_>>>()?;
    let mut forms = Vec::new();
    for form_code in guide
        .materials
        .iter()
        .filter_map(|m| m.blank_form.as_deref())
    {
        if forms.iter().any(|f: &FormSummary| f.code == form_code) {
            continue;
        }
        if let Some(form) = sqlx::query("SELECT code, title FROM forms WHERE code = $1")
            .bind(form_code)
            .fetch_optional(&db.pool)
            .await?
        {
            forms.push(FormSummary {
                code: form.get("code"),
                title: form.get("title"),
            });
        }
    }
    Ok(Some(ItemDetail {
        department: department_from_row(&row),
        demo: row.get::<i64, _>("demo") == 1,
        guide,
        themes,
        forms,
        bundles: Vec::new(),
    }))
}

pub async fn form(db: &Db, code: &str) -> AppResult<Option<Form>> {
    let row = sqlx::query("SELECT document FROM forms WHERE code = $1")
        .bind(code)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| from_json(r.get("document"))).transpose()
}

fn department_from_row(row: &sqlx::any::AnyRow) -> Department {
    Department {
        code: row.get("code"),
        name: row.get("name"),
        short_name: row.get("short_name"),
        phone: row.get("phone"),
        window: row.get("service_window"),
    }
}

fn theme_from_row(row: &sqlx::any::AnyRow) -> AppResult<Theme> {
    let audience: String = row.get("audience");
    Ok(Theme {
        code: row.get("code"),
        name: row.get("name"),
        audience: Audience::parse(&audience)
            .ok_or_else(|| AppError::Internal(format!("theme audience {audience:?}")))?,
        description: row.get("description"),
        icon: row.get("icon"),
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(e.to_string()))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: String) -> AppResult<T> {
    serde_json::from_str(&text).map_err(|e| AppError::Internal(format!("stored JSON: {e}")))
}
