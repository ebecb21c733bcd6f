//! Typed calls of the sites area (see [`crate::ui::http`]): the district map, coverage, sites,
//! slots, rest days and appointments.

use std::cell::RefCell;

use crate::api::{
    Appointment, AppointmentList, AppointmentReminder, Coverage, DistrictMap, DueDate, Me,
    NewAppointment, SiteDetail, SiteLevel, SiteList, SiteQuery, SkippedDay, SlotList, MAP_URL,
};
use crate::ui::endpoints::cases;
use crate::ui::http::{self, encode, ApiResult};

thread_local! {
    /// The district map changes only with a deployment: fetch it once per visit.
    static MAP: RefCell<Option<DistrictMap>> = const { RefCell::new(None) };
}

/// `GET /api/map` → `DistrictMap` (fetched once per visit).
pub async fn district() -> ApiResult<DistrictMap> {
    if let Some(cached) = MAP.with_borrow(|m| m.clone()) {
        return Ok(cached);
    }
    let map: DistrictMap = http::get(MAP_URL).await?;
    MAP.set(Some(map.clone()));
    Ok(map)
}

/// `GET /api/sites/coverage` → `Coverage`.
pub async fn coverage() -> ApiResult<Coverage> {
    http::get("/api/sites/coverage").await
}

fn near_param(near: (f64, f64)) -> String {
    format!("{:.6},{:.6}", near.0, near.1)
}

/// `GET /api/sites?…` → `SiteList`.
pub async fn sites(query: SiteQuery) -> ApiResult<SiteList> {
    http::get(&query.url(encode)).await
}

/// `GET /api/items/{code}/sites?near=` → `SiteList`.
pub async fn item_sites(code: String, near: Option<(f64, f64)>) -> ApiResult<SiteList> {
    let mut url = format!("/api/items/{}/sites", encode(&code));
    if let Some(near) = near {
        url.push_str("?near=");
        url.push_str(&near_param(near));
    }
    http::get(&url).await
}

/// `GET /api/sites/{code}` → `SiteDetail`.
pub async fn site(code: String) -> ApiResult<SiteDetail> {
    http::get(&format!("/api/sites/{}", encode(&code))).await
}

/// `GET /api/sites/{code}/slots?date=&item=` → `SlotList`.
pub async fn slots(code: String, date: String, item: String) -> ApiResult<SlotList> {
    http::get(&format!(
        "/api/sites/{}/slots?date={}&item={}",
        encode(&code),
        encode(&date),
        encode(&item)
    ))
    .await
}

/// `GET /api/calendar/due?from=&working_days=` → the rest days after `from` (none when the
/// calendar could not be asked).
pub async fn rest_days(from: String, working_days: u32) -> Vec<SkippedDay> {
    let url = format!(
        "/api/calendar/due?from={}&working_days={working_days}",
        encode(&from)
    );
    match http::get::<DueDate>(&url).await {
        Ok(due) => due.skipped,
        Err(_) => Vec::new(),
    }
}

/// Whether an applicant is signed in (`GET /api/session`); `None` when it could not be told.
pub async fn signed_in() -> Option<bool> {
    let info = cases::session().await.ok()?;
    // Staff accounts cannot book.
    Some(matches!(info.me, Some(Me::Applicant { .. })))
}

/// `POST /api/appointments` → `Appointment`.
pub async fn book(body: &NewAppointment) -> ApiResult<Appointment> {
    http::post("/api/appointments", body).await
}

/// `GET /api/appointments` → `AppointmentList`.
pub async fn my_appointments() -> ApiResult<AppointmentList> {
    http::get("/api/appointments").await
}

/// `GET /api/appointments/{id}` → `Appointment`.
pub async fn appointment(id: String) -> ApiResult<Appointment> {
    http::get(&format!("/api/appointments/{}", encode(&id))).await
}

/// `DELETE /api/appointments/{id}` → the cancelled `Appointment`.
pub async fn cancel(id: String) -> ApiResult<Appointment> {
    http::delete(&format!("/api/appointments/{}", encode(&id))).await
}

/// `PUT /api/appointments/{id}/reminder` → the `Appointment` with its reminder setting.
pub async fn set_reminder(id: String, enabled: bool) -> ApiResult<Appointment> {
    http::put(
        &format!("/api/appointments/{}/reminder", encode(&id)),
        &AppointmentReminder { enabled },
    )
    .await
}
