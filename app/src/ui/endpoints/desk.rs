//! Typed calls of 预约 at the window (see [`crate::ui::http`]): one booking, 签到, a site's day.

use crate::api::{DeskBooking, DeskDay};
use crate::ui::http::{self, encode, ApiResult};

/// `GET /api/staff/appointments/{id}` → `DeskBooking`.
pub async fn booking(id: String) -> ApiResult<DeskBooking> {
    http::get(&format!("/api/staff/appointments/{}", encode(&id))).await
}

/// `POST /api/staff/appointments/{id}/check-in` → the checked-in `DeskBooking`.
pub async fn check_in(id: String) -> ApiResult<DeskBooking> {
    http::post_empty(&format!("/api/staff/appointments/{}/check-in", encode(&id))).await
}

/// `GET /api/staff/bookings?date=` → `DeskDay` (today when `date` is empty).
pub async fn day(date: String) -> ApiResult<DeskDay> {
    if date.is_empty() {
        http::get("/api/staff/bookings").await
    } else {
        http::get(&format!("/api/staff/bookings?date={}", encode(&date))).await
    }
}
