//! 办事通 — shared crate.
//!
//! Always compiled: [`api`] (the serde wire types both sides exchange), [`rules`] (pure domain
//! rules: check digits, the working-day calendar, situational tailoring) and [`routes`] (the
//! client's route list, which the server also uses to answer unknown paths with 404). With the
//! `ui` feature it is also the Leptos browser client.

pub mod api;
pub mod routes;
pub mod rules;

#[cfg(feature = "ui")]
pub mod ui;
