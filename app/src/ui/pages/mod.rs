//! One file per route.

pub mod apply;
pub mod appointments;
pub mod book;
pub mod bundle_apply;
pub mod bundles;
pub mod case_detail;
pub mod coverage;
pub mod department;
pub mod form;
pub mod guide;
pub mod home;
pub mod login;
pub mod manager;
pub mod manager_stats;
pub mod map;
pub mod my_cases;
pub mod not_found;
pub mod notice;
pub mod print;
pub mod search;
pub mod site;
pub mod staff_login;
pub mod staff_queue;
pub mod staff_review;
pub mod theme;
pub mod track;
