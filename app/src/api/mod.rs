//! Wire types shared by the browser client and the API server.
//!
//! A type changed here changes both sides at once: the server serialises exactly these structs and
//! the client deserialises them.

mod administration;
mod bundle_admin;
mod bundle_applications;
mod bundles;
mod calendar;
mod cases;
mod catalog;
mod catalog_admin;
mod catalog_exchange;
mod desk;
mod error;
mod site_admin;
mod sites;
mod stats;
pub mod wire_name;

pub use administration::*;
pub use bundle_admin::*;
pub use bundle_applications::*;
pub use bundles::*;
pub use calendar::*;
pub use cases::*;
pub use catalog::*;
pub use catalog_admin::*;
pub use catalog_exchange::*;
pub use desk::*;
pub use error::*;
pub use site_admin::*;
pub use sites::*;
pub use stats::*;

use serde::{Deserialize, Serialize};

/// The 12345 government service hotline, offered wherever a citizen may be stuck.
pub const HOTLINE: &str = "12345";

/// `GET /api/health` (liveness) and `GET /api/ready` (readiness).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`: the server answers (`/api/health`), and for `/api/ready` also its database
    /// and file store.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}
