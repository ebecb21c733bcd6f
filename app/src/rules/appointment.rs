//! 预约 rules shared by the guide, the booking page and the server: whether an item can be
//! booked at a site, whether a booked person counts as 已到, 未到 or 待到 at the window, and
//! when the reminder SMS the day before may go out.
//!
//! One rule decides "可预约" everywhere: the item's guide says it supports appointments
//! (`ItemGuide::appointment`, copied into `ItemSummary::appointment`) and the site is one with
//! half-hour queues (the district hall, a street centre or a community station; 政务服务驿站
//! take walk-ins only). The guide, the site page, the booking page and the server's slots and
//! booking all ask [`bookable`].

use super::date::Date;
pub use crate::api::Attendance;
use crate::api::SiteLevel;

/// Whether an item whose guide says `item_appointment` can be booked at a site of `level`.
pub fn bookable(item_appointment: bool, level: SiteLevel) -> bool {
    item_appointment && site_takes_bookings(level)
}

/// Whether a site of `level` has appointment queues at all (驿站: walk in).
pub fn site_takes_bookings(level: SiteLevel) -> bool {
    level != SiteLevel::Station
}

impl Attendance {
    pub fn label(self) -> &'static str {
        match self {
            Attendance::Arrived => "已到",
            Attendance::Missed => "未到",
            Attendance::Expected => "待到",
        }
    }
}

/// The attendance of a live (not cancelled) booking on `date` ending at `end` (`HH:MM`), at
/// the Beijing moment `today` / `now` (`YYYY-MM-DD` / `HH:MM`, compared as text).
pub fn attendance(checked_in: bool, date: &str, end: &str, today: &str, now: &str) -> Attendance {
    if checked_in {
        Attendance::Arrived
    } else if date < today || (date == today && end <= now) {
        Attendance::Missed
    } else {
        Attendance::Expected
    }
}

/// Whether the window can check a person in now: only on the booked day itself (someone who
/// comes on another day is served as a walk-in or rebooks).
pub fn check_in_open(date: &str, today: &str) -> bool {
    date == today
}

/// The reminder SMS goes out on the calendar day before the appointment, between 09:00 and
/// 20:00 Beijing time (nobody is woken by it). A Monday's appointment is reminded on the Sunday
/// before: what matters is that the person is told the day before, not whether the office is
/// open on that day (the server sends from its periodic job, whatever the calendar says).
pub const REMIND_FROM: &str = "09:00";
pub const REMIND_UNTIL: &str = "20:00";

/// Whether the reminder of an appointment on `date` is due at the Beijing moment `today` /
/// `now` (`HH:MM`).
pub fn reminder_due(date: Date, today: Date, now: &str) -> bool {
    date == today.succ() && (REMIND_FROM..REMIND_UNTIL).contains(&now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_items_with_appointments_at_sites_with_queues() {
        assert!(bookable(true, SiteLevel::Hall));
        assert!(bookable(true, SiteLevel::Street));
        assert!(bookable(true, SiteLevel::Community));
        assert!(!bookable(true, SiteLevel::Station));
        assert!(!bookable(false, SiteLevel::Hall));
    }

    #[test]
    fn attendance_follows_check_in_and_the_clock() {
        let at = |checked, date, now| attendance(checked, date, "09:30", "2026-12-02", now);
        assert_eq!(at(true, "2026-12-02", "08:00"), Attendance::Arrived);
        assert_eq!(at(false, "2026-12-02", "09:29"), Attendance::Expected);
        assert_eq!(at(false, "2026-12-02", "09:30"), Attendance::Missed);
        assert_eq!(at(false, "2026-12-01", "08:00"), Attendance::Missed);
        assert_eq!(at(false, "2026-12-03", "18:00"), Attendance::Expected);
        assert_eq!(Attendance::Missed.label(), "未到");
        assert!(check_in_open("2026-12-02", "2026-12-02"));
        assert!(!check_in_open("2026-12-03", "2026-12-02"));
    }

    #[test]
    fn reminders_the_day_before_in_waking_hours() {
        let day = |s| Date::parse(s).unwrap();
        let (monday, sunday) = (day("2026-12-07"), day("2026-12-06"));
        assert!(reminder_due(monday, sunday, "09:00"));
        assert!(reminder_due(monday, sunday, "19:59"));
        assert!(!reminder_due(monday, sunday, "08:59"));
        assert!(!reminder_due(monday, sunday, "20:00"));
        assert!(!reminder_due(monday, day("2026-12-05"), "10:00"));
        assert!(!reminder_due(monday, monday, "10:00"));
    }
}
