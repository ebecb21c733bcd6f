//! Site administration by the centre's managers (`/manager/sites`): weekly hours with the lunch
//! break, temporary closures, the items handled, and the appointment queues with their seats.
//!
//! The form's shape ([`SiteSettings`]) is what a manager fills in; the shared rule
//! [`crate::rules::site_settings`] checks it and turns it into the stored [`OpeningHours`].

use serde::{Deserialize, Serialize};

use super::{AppointmentQueue, Closure, ItemSummary, Site, SiteLevel};

/// One weekday as a manager edits it: opening, closing and an optional lunch break.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaySchedule {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// Open that day; when false the times are ignored.
    pub open: bool,
    /// `HH:MM`, e.g. `09:00`.
    pub opens: String,
    /// `HH:MM`, e.g. `17:00`; after `opens`.
    pub closes: String,
    /// `HH:MM`; empty (with `lunch_end`) for no lunch break.
    #[serde(default)]
    pub lunch_start: String,
    /// `HH:MM`; after `lunch_start`, before `closes`.
    #[serde(default)]
    pub lunch_end: String,
}

/// `PUT /api/admin/sites/{code}`: everything a manager sets for a site. Field errors (422) are
/// keyed `days.N.opens`, `days.N.closes`, `days.N.lunch_start`, `days.N.lunch_end`, `note`,
/// `closures.N.first`, `closures.N.last`, `closures.N.reason`, `items`, `queues`,
/// `queues.N.category` and `queues.N.capacity` (N from 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteSettings {
    /// Monday to Sunday, in that order (seven entries).
    pub days: Vec<DaySchedule>,
    /// Open on public holidays with that weekday's hours (some bank 驿站).
    pub open_on_holidays: bool,
    /// Anything the hours cannot say, e.g. `周三 17:00–19:00 延时服务`; empty for none.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// Codes of the service items handled here.
    pub items: Vec<String>,
    /// Appointment queues; empty where citizens just walk in.
    pub queues: Vec<AppointmentQueue>,
}

/// `GET /api/admin/sites/{code}` and the answer of a save.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagedSite {
    pub site: Site,
    /// The site's current settings in the form's shape.
    pub settings: SiteSettings,
    /// Every item of the catalog, in catalog order, to choose the handled ones from.
    pub catalog: Vec<ItemSummary>,
    /// Who last changed the site here (`姓名（用户名）`), absent for the loaded data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// RFC 3339 UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Appointments already booked on days of the closures (after a save: to be told).
    pub booked_in_closures: u32,
}

/// One line of `GET /api/admin/sites`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagedSiteSummary {
    pub code: String,
    pub name: String,
    pub level: SiteLevel,
    pub street: String,
    /// Today's hours in words, as citizens see them.
    pub today: String,
    /// A temporary closure now or within two weeks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    pub item_count: usize,
    /// e.g. `户籍身份证 6 人、综合业务 6 人`; empty without appointments.
    pub queues: Vec<AppointmentQueue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// `GET /api/admin/sites`: every site, hall first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagedSiteList {
    pub sites: Vec<ManagedSiteSummary>,
}
