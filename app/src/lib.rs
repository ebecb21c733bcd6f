//! 办事通 — shared crate.
//!
//! Always compiled: [`api`] (the serde wire types both sides exchange) and [`rules`] (pure domain
//! rules: check digits, the working-day calendar, situational tailoring). With the `ui` feature it
//! is also the Leptos browser client.

pub mod api;
pub mod rules;

#[cfg(feature = "ui")]
pub mod ui;
