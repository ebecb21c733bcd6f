//! API tests through the real router, each on SQLite and on PostgreSQL.

mod common;

mod administration;
mod appointments;
mod auto_fetch;
mod bundle_admin;
mod bundles;
mod calendar;
mod catalog;
mod catalog_admin;
mod catalog_exchange;
mod companies;
mod file_stores;
mod hardening;
mod limits;
mod openapi;
mod operations;
mod platform;
mod pre_review;
mod site_admin;
mod sites;
mod sms_notices;
mod stats;
mod wire;
