//! 预约 at the window: a booking as the staff of its site see it (`GET
//! /api/staff/appointments/{id}`, 签到 with `POST …/check-in`), a site's day of bookings (`GET
//! /api/staff/bookings?date=`), and the applicant's reminder setting (`PUT
//! /api/appointments/{id}/reminder`).

use serde::{Deserialize, Serialize};

use crate::api::AppointmentStatus;

/// Where a booked person stands on the day (see `rules::appointment::attendance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// 已到: checked in at the window.
    Arrived,
    /// 未到: not checked in, and the booked half hour is over (or the day has passed).
    Missed,
    /// 待到: not checked in yet, the half hour has not ended.
    Expected,
}

/// One booking as the staff of its site see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskBooking {
    pub id: String,
    /// 预约号, e.g. `A-20261126-0031`.
    pub ticket: String,
    pub site_code: String,
    pub site_name: String,
    pub item_code: String,
    pub item_name: String,
    pub category: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    /// The mobile number the person booked with, in full: only staff of the site see it, to
    /// call a person who does not come.
    pub phone: String,
    /// The business the booking was made for (its registered name), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    pub status: AppointmentStatus,
    /// `None` for a cancelled booking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// When the person was checked in, Beijing time `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_at: Option<String>,
    /// Who checked the person in (display name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in_by: Option<String>,
    /// Whether 签到 can be pressed now (booked, not yet checked in, and today is the day).
    pub can_check_in: bool,
    /// Why 签到 cannot be pressed, when it cannot, e.g. `预约日期是12月3日 周四，当天才能签到`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /api/staff/bookings?date=`: one site's bookings of one day, by time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskDay {
    pub site_code: String,
    pub site_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Today in Beijing, `YYYY-MM-DD` (for the date switch).
    pub today: String,
    pub bookings: Vec<DeskBooking>,
    /// 已到.
    pub arrived: u32,
    /// 未到.
    pub missed: u32,
    /// 待到.
    pub expected: u32,
    /// Cancelled bookings of the day (listed after the others).
    pub cancelled: u32,
}

/// Whether an appointment's reminder SMS the day before is sent (on unless turned off).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentReminder {
    pub enabled: bool,
}
