//! API tests through the real router, each on SQLite and on PostgreSQL.

mod common;

mod calendar;
mod catalog;
mod platform;
