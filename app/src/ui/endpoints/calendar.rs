//! The working-day calendar the browser counts with: the years shipped with the build, plus
//! the ones the server knows beyond them (entered by a manager, or `HOLIDAYS_FILE`).

use std::cell::RefCell;
use std::sync::Arc;

use crate::api::{CalendarYears, HolidayYear, KnownYear};
use crate::rules::holiday_year::apply;
use crate::rules::workdays::HolidayCalendar;
use crate::ui::http::{self, encode, ApiResult};

thread_local! {
    /// Fetched once per visit (a manager's save forgets it).
    static CALENDAR: RefCell<Option<Arc<HolidayCalendar>>> = const { RefCell::new(None) };
}

/// `GET /api/calendar/years`: every year the server counts with, and its source.
pub async fn known_years() -> ApiResult<CalendarYears> {
    http::get("/api/calendar/years").await
}

/// The server's calendar, built from [`known_years`]; the build's own years when the server
/// cannot be asked (a due date is then still shown for them).
pub async fn calendar() -> Arc<HolidayCalendar> {
    if let Some(known) = CALENDAR.with_borrow(|c| c.clone()) {
        return known;
    }
    match known_years().await {
        Ok(known) => {
            let mut calendar = HolidayCalendar::official().clone();
            for year in &known.years {
                apply(&mut calendar, &year.schedule);
            }
            let calendar = Arc::new(calendar);
            CALENDAR.set(Some(calendar.clone()));
            calendar
        }
        Err(_) => Arc::new(HolidayCalendar::official().clone()),
    }
}

/// `PUT /api/admin/calendar/years/{year}` (managers): enters a year; the calendar of this page
/// is fetched again next time.
pub async fn enter_year(schedule: &HolidayYear) -> ApiResult<KnownYear> {
    let url = format!(
        "/api/admin/calendar/years/{}",
        encode(&schedule.year.to_string())
    );
    let saved = http::put(&url, schedule).await;
    CALENDAR.set(None);
    saved
}
