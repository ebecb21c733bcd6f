//! Sliding-window rate limits kept in the database, so they hold across restarts and across
//! several server processes sharing one PostgreSQL.
//!
//! Rows expire: [`purge_expired`] deletes every event older than [`MAX_WINDOW_SECS`] (no limit
//! looks further back), at start-up and every few minutes ([`crate::start_background`]), so
//! buckets that are never hit again — one per address, per user name, per 受理编号 — do not
//! stay in the table forever.

use crate::clock;
use crate::db::Db;
use crate::error::AppResult;
use sqlx::Row;

/// The longest window any limit uses; events older than this are deleted by [`purge_expired`].
pub const MAX_WINDOW_SECS: i64 = 24 * 3600;

/// Deletes the events that every window has left; returns how many were deleted.
pub async fn purge_expired(db: &Db) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM rate_events WHERE created_at <= $1")
        .bind(clock::rfc3339(clock::now_unix() - MAX_WINDOW_SECS))
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

/// How many events of `bucket` happened in the last `window_secs`, and when the oldest of them
/// leaves the window (Unix seconds) — the moment one more is allowed again.
pub async fn recent(db: &Db, bucket: &str, window_secs: i64) -> AppResult<(i64, Option<i64>)> {
    debug_assert!(
        window_secs <= MAX_WINDOW_SECS,
        "window longer than the purge keeps"
    );
    let since = clock::rfc3339(clock::now_unix() - window_secs);
    let row = sqlx::query(
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM rate_events WHERE bucket = $1 AND created_at > $2",
    )
    .bind(bucket)
    .bind(&since)
    .fetch_one(&db.pool)
    .await?;
    let oldest: Option<String> = row.try_get("oldest")?;
    Ok((
        row.try_get("n")?,
        oldest
            .and_then(|t| clock::parse_rfc3339(&t))
            .map(|t| t + window_secs),
    ))
}

/// Records one event of `bucket` and forgets the ones that left the window.
pub async fn record(db: &Db, bucket: &str, window_secs: i64) -> AppResult<()> {
    let now = clock::now_unix();
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND created_at <= $2")
        .bind(bucket)
        .bind(clock::rfc3339(now - window_secs))
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO rate_events (bucket, created_at) VALUES ($1, $2)")
        .bind(bucket)
        .bind(clock::rfc3339(now))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Checks the limit and, when under it, records the event. `Err(seconds to wait)` when over.
pub async fn hit(db: &Db, bucket: &str, window_secs: i64, max: i64) -> AppResult<Result<(), u64>> {
    let (count, free_at) = recent(db, bucket, window_secs).await?;
    if count >= max {
        let wait = free_at
            .map_or(window_secs, |t| t - clock::now_unix())
            .max(1);
        return Ok(Err(wait as u64));
    }
    record(db, bucket, window_secs).await?;
    Ok(Ok(()))
}

/// Reserves one event of `bucket` if fewer than `max` are in the window, race-free: the event
/// is written first and then counted, so of any number of simultaneous callers at most `max`
/// are let through (a simultaneous burst may see all of its members refused). `Ok(id)` names
/// the reservation for [`give_back`]; `Err(seconds to wait)` when over. A refused event is not
/// kept, so a flood does not grow the table beyond `max` rows per bucket and window.
pub async fn take(
    db: &Db,
    bucket: &str,
    window_secs: i64,
    max: i64,
) -> AppResult<Result<String, u64>> {
    let wait = |free_at: Option<i64>| {
        free_at
            .map_or(window_secs, |t| t - clock::now_unix())
            .max(1) as u64
    };
    let (count, free_at) = recent(db, bucket, window_secs).await?;
    if count >= max {
        return Ok(Err(wait(free_at)));
    }
    let id = crate::secrets::new_id();
    let now = clock::now_unix();
    sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND created_at <= $2")
        .bind(bucket)
        .bind(clock::rfc3339(now - window_secs))
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO rate_events (bucket, created_at, id) VALUES ($1, $2, $3)")
        .bind(bucket)
        .bind(clock::rfc3339(now))
        .bind(&id)
        .execute(&db.pool)
        .await?;
    let (count, free_at) = recent(db, bucket, window_secs).await?;
    if count > max {
        // Others got there first. Taking this one back keeps the bound: whoever counts last
        // among those let through sees all of their events, so never more than `max` pass.
        give_back(db, &id).await?;
        return Ok(Err(wait(free_at)));
    }
    Ok(Ok(id))
}

/// Takes back a reservation of [`take`].
pub async fn give_back(db: &Db, id: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM rate_events WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// `N 秒` or `N 分钟` for a waiting time.
pub fn wait_words(seconds: u64) -> String {
    if seconds < 120 {
        format!("{seconds} 秒")
    } else {
        format!("{} 分钟", seconds.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_for_waiting() {
        assert_eq!(wait_words(45), "45 秒");
        assert_eq!(wait_words(3000), "50 分钟");
    }
}
