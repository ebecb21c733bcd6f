//! Every server serves the catalog as last published, on whichever server that happened.
//!
//! A publication raises the revision in `catalog_revision` in its own transaction. Each server
//! reads that one row every [`EVERY`] and rebuilds its in-memory catalog (search index, answer
//! cache, overview) when it differs from the snapshot's; the server that published rebuilds at
//! once ([`crate::AppState::reload_catalog`]). Guides (`/api/items/{code}`) are read from the
//! database and change everywhere immediately.

use std::time::Duration;

use crate::error::AppResult;
use crate::AppState;

/// How often each server checks the revision: one primary-key read.
pub const EVERY: Duration = Duration::from_secs(2);

/// Rebuilds the catalog if the database's revision moved past the snapshot's; whether it did.
pub async fn catch_up(state: &AppState) -> AppResult<bool> {
    let current = super::store::revision(&state.db).await?;
    if current == state.catalog().revision {
        return Ok(false);
    }
    state.reload_catalog().await?;
    tracing::info!(
        revision = current,
        "catalog changed: rebuilt the search index"
    );
    Ok(true)
}

/// Checks every [`EVERY`] for as long as the server runs.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(e) = catch_up(&state).await {
                tracing::warn!(error = %e, "could not check the catalog revision");
            }
        }
    })
}
