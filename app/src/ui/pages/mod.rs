//! One file per route.

pub mod department;
pub mod form;
pub mod guide;
pub mod home;
pub mod not_found;
pub mod print;
pub mod search;
pub mod theme;
