//! Working hours (工作时间): how much of a span fell inside the service centre's opening hours.
//!
//! The 企业开办 promise (“3 个工作小时内办结”) is counted in working hours: only time on working
//! days of the shared holiday calendar ([`HolidayCalendar`], with 调休 working weekends) and
//! inside the windows 9:00–12:00 and 13:30–17:00 Beijing time counts. A case submitted on Friday
//! at 16:30 and approved on Monday at 9:30 took one working hour.
//!
//! The same windows decide the 受理日 of an online submission ([`acceptance_day`]): a case
//! submitted after 17:00 or on a rest day is accepted on the next working day, and its promised
//! working days count from there.
//!
//! Pure: the caller passes the instants (Unix seconds), never the clock.

use super::date::Date;
use super::workdays::{CalendarError, HolidayCalendar};

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;
const DAY_SECS: i64 = 86_400;

/// The service windows of a working day, as seconds after midnight Beijing time:
/// 9:00–12:00 and 13:30–17:00.
pub const WINDOWS: [(i64, i64); 2] = [(9 * 3600, 12 * 3600), (13 * 3600 + 1800, 17 * 3600)];

/// Working seconds in one whole working day (6.5 hours).
pub const WORKING_DAY_SECS: i64 = (12 - 9) * 3600 + (17 * 3600 - (13 * 3600 + 1800));

/// Working seconds from `from` to `to` (Unix seconds): the parts of the span that lie inside
/// [`WINDOWS`] on working days. Zero when `to` is not after `from`. Fails when the span reaches a
/// day of a year whose holiday schedule is not loaded — a guess could be off by a whole holiday.
pub fn working_seconds_between(
    calendar: &HolidayCalendar,
    from: i64,
    to: i64,
) -> Result<i64, CalendarError> {
    if to <= from {
        return Ok(0);
    }
    let (start, end) = (from + BEIJING_OFFSET_SECS, to + BEIJING_OFFSET_SECS);
    let (first_day, last_day) = (start.div_euclid(DAY_SECS), end.div_euclid(DAY_SECS));
    let mut total = 0;
    for day in first_day..=last_day {
        let midnight = day * DAY_SECS;
        // The windows of this day that the span overlaps; a day outside them needs no calendar.
        let overlap: i64 = WINDOWS
            .iter()
            .map(|(open, close)| (end.min(midnight + close) - start.max(midnight + open)).max(0))
            .sum();
        if overlap > 0 && calendar.is_working_day(Date::from_unix_days(day))? {
            total += overlap;
        }
    }
    Ok(total)
}

/// When an online submission is accepted (受理日).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptance {
    /// The Beijing date the case is accepted; promised working days count from it.
    pub day: Date,
    /// Submitted outside working hours and accepted on a later day than it was submitted.
    pub deferred: bool,
}

impl Acceptance {
    /// `非工作时间提交，顺延至 11月26日 受理` for a deferred acceptance, else `None`.
    pub fn note(&self) -> Option<String> {
        self.deferred.then(|| deferred_note(self.day))
    }
}

/// The sentence a case shows when its acceptance was put off to `day`.
pub fn deferred_note(day: Date) -> String {
    format!("非工作时间提交，顺延至 {} 受理", day.chinese_short())
}

/// The 受理日 of a submission at `submitted_at` (Unix seconds): the same day when it arrives on a
/// working day before 17:00 Beijing time (before 9:00 or in the lunch break it waits for the next
/// window of that day), otherwise the next working day. Fails when a day it has to look at lies
/// in a year whose holiday schedule is not loaded.
pub fn acceptance_day(
    calendar: &HolidayCalendar,
    submitted_at: i64,
) -> Result<Acceptance, CalendarError> {
    let local = submitted_at + BEIJING_OFFSET_SECS;
    let submitted_on = Date::from_unix_days(local.div_euclid(DAY_SECS));
    let second_of_day = local.rem_euclid(DAY_SECS);
    let closing = WINDOWS[WINDOWS.len() - 1].1;
    let mut day = submitted_on;
    if !(calendar.is_working_day(day)? && second_of_day < closing) {
        day = day.succ();
        while !calendar.is_working_day(day)? {
            day = day.succ();
        }
    }
    Ok(Acceptance {
        day,
        deferred: day != submitted_on,
    })
}

/// A working time in words: `2 小时 5 分钟`, `45 分钟`, `3 小时`, `不到 1 分钟`.
pub fn duration_words(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match (minutes / 60, minutes % 60) {
        (0, 0) => "不到 1 分钟".to_string(),
        (0, m) => format!("{m} 分钟"),
        (h, 0) => format!("{h} 小时"),
        (h, m) => format!("{h} 小时 {m} 分钟"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> &'static HolidayCalendar {
        HolidayCalendar::official()
    }

    /// Unix seconds of a Beijing wall-clock time `YYYY-MM-DD HH:MM`.
    fn at(text: &str) -> i64 {
        let (date, time) = text.split_once(' ').unwrap();
        let (h, m) = time.split_once(':').unwrap();
        let date = Date::parse(date).unwrap();
        date.to_unix_days() * DAY_SECS
            + h.parse::<i64>().unwrap() * 3600
            + m.parse::<i64>().unwrap() * 60
            - BEIJING_OFFSET_SECS
    }

    fn hours(from: &str, to: &str) -> f64 {
        working_seconds_between(calendar(), at(from), at(to)).unwrap() as f64 / 3600.0
    }

    #[test]
    fn inside_one_window() {
        // 2026-11-25 is a Wednesday.
        assert_eq!(hours("2026-11-25 09:30", "2026-11-25 11:00"), 1.5);
        assert_eq!(hours("2026-11-25 09:00", "2026-11-25 09:00"), 0.0);
        assert_eq!(
            hours("2026-11-25 11:00", "2026-11-25 09:30"),
            0.0,
            "backwards is zero"
        );
    }

    #[test]
    fn lunch_break_and_evenings_do_not_count() {
        assert_eq!(hours("2026-11-25 11:00", "2026-11-25 14:30"), 2.0);
        assert_eq!(hours("2026-11-25 12:10", "2026-11-25 13:20"), 0.0);
        assert_eq!(hours("2026-11-25 07:00", "2026-11-25 19:00"), 6.5);
        assert_eq!(WORKING_DAY_SECS, 6 * 3600 + 1800);
        // Overnight: 16:30–17:00 and 9:00–9:30.
        assert_eq!(hours("2026-11-25 16:30", "2026-11-26 09:30"), 1.0);
        // Midnight in Beijing is 16:00 UTC: the day boundary is Beijing's.
        assert_eq!(hours("2026-11-25 23:59", "2026-11-26 00:01"), 0.0);
    }

    #[test]
    fn weekends_are_skipped() {
        // Friday 2026-11-27 16:30 → Monday 2026-11-30 09:30.
        assert_eq!(hours("2026-11-27 16:30", "2026-11-30 09:30"), 1.0);
        assert_eq!(hours("2026-11-28 09:00", "2026-11-29 17:00"), 0.0);
    }

    #[test]
    fn holidays_and_swapped_working_days_follow_the_calendar() {
        // 国庆节 2026-10-01…07 are rest days; Saturday 2026-10-10 is a 调休 working day.
        assert_eq!(hours("2026-09-30 16:00", "2026-10-08 10:00"), 2.0);
        assert_eq!(hours("2026-10-10 09:00", "2026-10-10 17:00"), 6.5);
        // Two whole working weeks (10 working days), Monday to Monday.
        assert_eq!(hours("2026-11-02 00:00", "2026-11-16 00:00"), 65.0);
    }

    #[test]
    fn unpublished_years_are_errors() {
        let error =
            working_seconds_between(calendar(), at("2026-12-31 09:00"), at("2030-01-02 10:00"))
                .unwrap_err();
        assert_eq!(error, CalendarError::YearNotPublished(2027));
        // Time outside the windows never asks the calendar.
        assert_eq!(
            working_seconds_between(calendar(), at("2030-01-02 18:00"), at("2030-01-02 20:00")),
            Ok(0)
        );
    }

    fn accepted(text: &str) -> (String, bool) {
        let a = acceptance_day(calendar(), at(text)).unwrap();
        (a.day.to_string(), a.deferred)
    }

    #[test]
    fn submissions_in_working_hours_are_accepted_the_same_day() {
        // 2026-11-25 is a Wednesday.
        assert_eq!(accepted("2026-11-25 09:00"), ("2026-11-25".into(), false));
        assert_eq!(accepted("2026-11-25 16:59"), ("2026-11-25".into(), false));
        // Early in the morning and in the lunch break: the next window is the same day.
        assert_eq!(accepted("2026-11-25 00:00"), ("2026-11-25".into(), false));
        assert_eq!(accepted("2026-11-25 12:30"), ("2026-11-25".into(), false));
    }

    #[test]
    fn after_hours_and_rest_days_move_to_the_next_working_day() {
        assert_eq!(accepted("2026-11-25 17:00"), ("2026-11-26".into(), true));
        assert_eq!(accepted("2026-11-25 23:22"), ("2026-11-26".into(), true));
        // Friday evening and the weekend: Monday.
        assert_eq!(accepted("2026-11-27 18:00"), ("2026-11-30".into(), true));
        assert_eq!(accepted("2026-11-28 10:00"), ("2026-11-30".into(), true));
        assert_eq!(accepted("2026-11-29 08:00"), ("2026-11-30".into(), true));
        // 国庆节: 2026-09-30 evening → 2026-10-08; the 调休 Saturday 2026-10-10 is a working day.
        assert_eq!(accepted("2026-09-30 20:00"), ("2026-10-08".into(), true));
        assert_eq!(accepted("2026-10-10 10:00"), ("2026-10-10".into(), false));
        assert_eq!(accepted("2026-10-09 17:30"), ("2026-10-10".into(), true));
    }

    #[test]
    fn an_immediate_item_submitted_at_night_is_due_on_the_next_working_day_not_today() {
        let a = acceptance_day(calendar(), at("2026-11-25 23:22")).unwrap();
        assert_eq!(calendar().due_date(a.day, 0).unwrap().due, "2026-11-26");
        assert_eq!(calendar().due_date(a.day, 1).unwrap().due, "2026-11-27");
    }

    #[test]
    fn the_deferral_is_explained_and_unpublished_years_fail() {
        let a = acceptance_day(calendar(), at("2026-11-25 23:22")).unwrap();
        assert_eq!(
            a.note().as_deref(),
            Some("非工作时间提交，顺延至 11月26日 受理")
        );
        let a = acceptance_day(calendar(), at("2026-11-25 10:00")).unwrap();
        assert_eq!(a.note(), None);
        // New Year's Eve 2026 after hours needs the 2027 schedule.
        assert_eq!(
            acceptance_day(calendar(), at("2026-12-31 18:00")),
            Err(CalendarError::YearNotPublished(2027))
        );
    }

    #[test]
    fn words() {
        assert_eq!(duration_words(0), "不到 1 分钟");
        assert_eq!(duration_words(59), "不到 1 分钟");
        assert_eq!(duration_words(45 * 60), "45 分钟");
        assert_eq!(duration_words(3 * 3600), "3 小时");
        assert_eq!(duration_words(2 * 3600 + 5 * 60 + 30), "2 小时 5 分钟");
        assert_eq!(duration_words(-5), "不到 1 分钟");
    }
}
