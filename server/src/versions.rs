//! Version counters that keep every server's in-memory copy of shared settings current.
//!
//! A change raises a named counter in `counters` in the transaction that makes it; the server
//! that made it reloads at once, every other server reads the counter every few seconds
//! ([`follow`]) and reloads when it moved. Used by the holiday years
//! (`holiday_years_version`, [`crate::calendar::years`]) and the service sites
//! (`sites_version`, [`crate::sites::admin`]).

use std::future::Future;
use std::time::Duration;

use sqlx::Row;

use crate::db::Db;
use crate::error::AppResult;
use crate::AppState;

/// The counter's value (0 before its first change).
pub async fn read(db: &Db, name: &str) -> AppResult<i64> {
    let row = sqlx::query("SELECT value FROM counters WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        Some(row) => row.try_get("value")?,
        None => 0,
    })
}

/// Raises the counter, inside the caller's transaction.
pub async fn bump(tx: &mut sqlx::AnyConnection, name: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO counters (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1",
    )
    .bind(name)
    .execute(tx)
    .await?;
    Ok(())
}

/// Every `every`, for the server's life: when counter `name` differs from `seen(state)`,
/// `reload(state)` (which notes the version it loaded).
pub async fn follow<F, Fut>(
    state: AppState,
    name: &'static str,
    every: Duration,
    seen: fn(&AppState) -> i64,
    reload: F,
) where
    F: Fn(AppState) -> Fut,
    Fut: Future<Output = AppResult<()>>,
{
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let changed = match read(&state.db, name).await {
            Ok(current) => current != seen(&state),
            Err(e) => {
                tracing::warn!(error = %e, counter = name, "could not read a version counter");
                false
            }
        };
        if changed {
            if let Err(e) = reload(state.clone()).await {
                tracing::warn!(error = %e, counter = name, "could not reload after a change");
            }
        }
    }
}
