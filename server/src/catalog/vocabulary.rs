//! Search vocabulary: what people search for, and the everyday words managers teach the search
//! (`/manager/search`: 办护照 → 普通护照签发).
//!
//! Searches are counted in memory ([`SearchLog::note`], no database work on the search path) and
//! written every minute ([`flush`]) as (Beijing day, text, times): no person, address or
//! session is kept, and texts that look like a personal number (six digits or more: phone,
//! ID card) are not kept at all. A word a manager adds is stored in `search_words` and joins the
//! item's keywords when the catalog snapshot is built ([`add_words`]), so the search finds it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use app::api::{ItemGuide, NewSearchWord, SearchInsights, SearchTerm, SearchWord};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::search::SearchQuery;
use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::{audit, clock, AppState};

/// How many days the manager's page looks back.
pub const DAYS: u32 = 30;
/// How often the counted searches are written.
pub const FLUSH_EVERY: Duration = Duration::from_secs(60);
/// Different texts counted between two writes at most (a flood of random texts is dropped).
const MAX_PENDING: usize = 5000;
/// The longest everyday word.
const MAX_WORD_CHARS: usize = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(insights))
        .routes(routes!(add_word))
        .routes(routes!(delete_word))
}

/// Searches counted since the last write: text → times.
#[derive(Default)]
pub struct SearchLog {
    pending: Mutex<HashMap<String, u32>>,
}

/// The text as it is kept: trimmed, inner spaces folded; `None` for nothing to keep, or for a
/// text with six digits or more (a phone or ID number someone typed into the search box).
fn kept_text(text: &str) -> Option<String> {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let digits = app::rules::normalize_number(&text)
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    (!text.is_empty() && digits < 6).then_some(text)
}

impl SearchLog {
    /// Counts one search for `text`.
    pub fn note(&self, text: &str) {
        let Some(text) = kept_text(text) else { return };
        let mut pending = self.pending.lock().expect("search log lock");
        if pending.len() < MAX_PENDING || pending.contains_key(&text) {
            *pending.entry(text).or_default() += 1;
        }
    }

    fn take(&self) -> HashMap<String, u32> {
        std::mem::take(&mut *self.pending.lock().expect("search log lock"))
    }
}

/// How many items and 一件事 `text` finds in the current snapshot.
fn results(state: &AppState, text: &str) -> u32 {
    let list = state.catalog().index.search(&SearchQuery {
        text: Some(text.to_string()),
        theme: None,
        department: None,
        audience: None,
        limit: 1,
        offset: 0,
    });
    (list.total + list.bundles.len()) as u32
}

/// Writes the counted searches under today's Beijing date.
pub async fn flush(state: &AppState) -> AppResult<()> {
    let pending = state.search_log.take();
    if pending.is_empty() {
        return Ok(());
    }
    let day = clock::today_beijing().to_string();
    let mut tx = state.db.pool.begin().await?;
    for (text, times) in pending {
        sqlx::query(
            "INSERT INTO search_log (day, query, results, times) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day, query) DO UPDATE SET times = search_log.times + excluded.times, \
             results = excluded.results",
        )
        .bind(&day)
        .bind(&text)
        .bind(i64::from(results(state, &text)))
        .bind(i64::from(times))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Writes the counted searches every [`FLUSH_EVERY`]; runs for the server's life.
pub async fn keep_writing(state: AppState) {
    let mut every = tokio::time::interval(FLUSH_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = flush(&state).await {
            tracing::warn!(error = %e, "could not write the search log");
        }
    }
}

/// Adds the managers' everyday words to the keywords of their items (for the index build).
pub async fn add_words(db: &Db, guides: &mut [(ItemGuide, i64, bool)]) -> AppResult<()> {
    let rows = sqlx::query("SELECT word, item_code FROM search_words ORDER BY added_at, word")
        .fetch_all(&db.pool)
        .await?;
    let mut words: HashMap<String, Vec<String>> = HashMap::new();
    for row in &rows {
        words
            .entry(row.try_get("item_code")?)
            .or_default()
            .push(row.try_get("word")?);
    }
    for (guide, _, _) in guides.iter_mut() {
        if let Some(extra) = words.remove(&guide.code) {
            for word in extra {
                if !guide.keywords.contains(&word) {
                    guide.keywords.push(word);
                }
            }
        }
    }
    Ok(())
}

async fn words(state: &AppState) -> AppResult<Vec<SearchWord>> {
    let catalog = state.catalog();
    let rows = sqlx::query(
        "SELECT word, item_code, added_by, added_at FROM search_words ORDER BY added_at DESC, word",
    )
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let item_code: String = r.try_get("item_code")?;
            Ok(SearchWord {
                word: r.try_get("word")?,
                item_name: catalog
                    .index
                    .summary(&item_code)
                    .map_or_else(|| "（事项已不在目录中）".to_string(), |i| i.name.clone()),
                item_code,
                added_by: r.try_get("added_by")?,
                added_at: r.try_get("added_at")?,
            })
        })
        .collect()
}

/// The top searches and those that find nothing, over the last [`DAYS`] days, and the words
/// managers added.
#[utoipa::path(get, path = "/api/admin/search", tag = "中心管理",
    responses(
        (status = 200, body = SearchInsights),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
    ))]
pub async fn insights(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
) -> AppResult<Json<SearchInsights>> {
    flush(&state).await?;
    let since = clock::today_beijing().add_days(1 - DAYS as i32).to_string();
    let rows = sqlx::query(
        "SELECT query, CAST(SUM(times) AS BIGINT) AS times, MAX(day) AS last_day FROM search_log \
         WHERE day >= $1 GROUP BY query ORDER BY SUM(times) DESC, query LIMIT 1000",
    )
    .bind(&since)
    .fetch_all(&state.db.pool)
    .await?;
    let mut terms = Vec::new();
    for row in &rows {
        let text: String = row.try_get("query")?;
        terms.push(SearchTerm {
            results: results(&state, &text),
            searches: row.try_get::<i64, _>("times")? as u32,
            last_day: row.try_get("last_day")?,
            text,
        });
    }
    let not_found: Vec<SearchTerm> = terms
        .iter()
        .filter(|t| t.results == 0)
        .take(30)
        .cloned()
        .collect();
    terms.truncate(30);
    Ok(Json(SearchInsights {
        days: DAYS,
        top: terms,
        not_found,
        words: words(&state).await?,
    }))
}

/// Teaches the search an everyday word for an item; the search finds it at once.
#[utoipa::path(post, path = "/api/admin/search/words", tag = "中心管理",
    request_body = NewSearchWord,
    responses(
        (status = 201, body = SearchWord),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 422, body = app::api::ApiError, description = "词语或事项不正确（fields.word、fields.item_code）"),
    ))]
pub async fn add_word(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    JsonBody(new): JsonBody<NewSearchWord>,
) -> AppResult<(StatusCode, Json<SearchWord>)> {
    let word: String = new.word.split_whitespace().collect::<Vec<_>>().join(" ");
    let code = new.item_code.trim();
    let mut fields = std::collections::BTreeMap::new();
    if word.is_empty() {
        fields.insert(
            "word".to_string(),
            "请填写群众常说的词语，例如 办护照".to_string(),
        );
    } else if word.chars().count() > MAX_WORD_CHARS {
        fields.insert(
            "word".to_string(),
            format!("词语最多 {MAX_WORD_CHARS} 个字"),
        );
    } else if kept_text(&word).is_none() {
        fields.insert("word".to_string(), "词语不能是一串号码".to_string());
    }
    let catalog = state.catalog();
    let item = catalog.index.summary(code);
    match item {
        None if code.is_empty() => {
            fields.insert("item_code".to_string(), "请选择事项".to_string());
        }
        None => {
            fields.insert("item_code".to_string(), format!("没有编码为 {code} 的事项"));
        }
        Some(item) => {
            let known =
                sqlx::query("SELECT word FROM search_words WHERE word = $1 AND item_code = $2")
                    .bind(&word)
                    .bind(code)
                    .fetch_optional(&state.db.pool)
                    .await?;
            if known.is_some() {
                fields.insert(
                    "word".to_string(),
                    format!("“{word}”已是“{}”的搜索词", item.name),
                );
            }
        }
    }
    if !fields.is_empty() {
        return Err(AppError::invalid(fields));
    }
    let item_name = item.map(|i| i.name.clone()).unwrap_or_default();
    let by = manager.audit_name();
    let at = clock::now_text();
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO search_words (word, item_code, added_by, added_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&word)
    .bind(code)
    .bind(&by)
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &by,
            action: "添加搜索词",
            detail: &format!("“{word}” → {code} {item_name}"),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    // Every server rebuilds its search index when it sees the catalog's revision change.
    super::store::bump_revision(&mut tx).await?;
    tx.commit().await?;
    state.reload_catalog().await?;
    Ok((
        StatusCode::CREATED,
        Json(SearchWord {
            word,
            item_code: code.to_string(),
            item_name,
            added_by: by,
            added_at: at,
        }),
    ))
}

/// Removes an everyday word from an item; the search no longer finds the item by it.
#[utoipa::path(delete, path = "/api/admin/search/words/{item_code}/{word}", tag = "中心管理",
    params(
        ("item_code" = String, Path, description = "事项编码"),
        ("word" = String, Path, description = "搜索词，如 良民证"),
    ),
    responses(
        (status = 204, description = "已删除"),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 404, body = app::api::ApiError, description = "该事项没有这个搜索词"),
    ))]
pub async fn delete_word(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path((item_code, word)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    let mut tx = state.db.pool.begin().await?;
    let gone = sqlx::query("DELETE FROM search_words WHERE word = $1 AND item_code = $2")
        .bind(&word)
        .bind(&item_code)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if gone == 0 {
        return Err(AppError::not_found(format!(
            "事项 {item_code} 没有搜索词“{word}”"
        )));
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &manager.audit_name(),
            action: "删除搜索词",
            detail: &format!("“{word}” → {item_code}"),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    super::store::bump_revision(&mut tx).await?;
    tx.commit().await?;
    state.reload_catalog().await?;
    Ok(StatusCode::NO_CONTENT)
}
