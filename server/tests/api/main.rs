//! API tests through the real router, each on SQLite and on PostgreSQL.

mod common;

mod appointments;
mod bundles;
mod calendar;
mod catalog;
mod companies;
mod hardening;
mod limits;
mod platform;
mod pre_review;
mod sites;
mod sms_notices;
mod stats;
mod wire;
