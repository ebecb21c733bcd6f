//! The API's endpoints as typed functions, one file per area, all built on [`crate::ui::http`].

pub mod admin;
pub mod bundle_admin;
pub mod bundles;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod catalog_admin;
pub mod catalog_exchange;
pub mod desk;
pub mod sites;
pub mod staff;
