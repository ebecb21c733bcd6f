//! The working-day calendar: which days count towards a 承诺时限 and when a case is due.
//!
//! China moves working days around each year (调休): holidays can take a weekday off and a
//! Saturday or Sunday can become a working day. The State Council publishes the next year's
//! schedule each November, so the calendar is data (`app/data/holidays-cn.json`), loaded per
//! year. A date in a year whose schedule is not loaded is an error, never a guess: a due date
//! computed from plain weekends could promise citizens a day the centre is closed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use super::date::{Date, Weekday};
use crate::api::{DueDate, SkippedDay};

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    /// An ordinary Monday–Friday.
    Working,
    /// 调休上班: a Saturday or Sunday that is a working day this year.
    WorkingSwap,
    /// An ordinary Saturday or Sunday.
    Weekend(Weekday),
    /// A public holiday or a 调休 rest day, with the holiday's name, e.g. `春节`.
    Holiday(String),
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::WorkingSwap)
    }

    /// A short Chinese label: `工作日`, `调休上班`, `周六`, `周日` or the holiday's name.
    pub fn label(&self) -> &str {
        match self {
            DayKind::Working => "工作日",
            DayKind::WorkingSwap => "调休上班",
            DayKind::Weekend(weekday) => weekday.chinese(),
            DayKind::Holiday(name) => name,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// The holiday schedule of this year is not loaded (usually: not yet published).
    YearNotPublished(i32),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarError::YearNotPublished(year) => {
                write!(f, "{year}年的法定节假日安排尚未公布，暂无法计算办结日期")
            }
        }
    }
}

impl std::error::Error for CalendarError {}

/// One year's published schedule.
#[derive(Debug, Clone, Default, PartialEq)]
struct YearSchedule {
    /// Rest days, with the name of the holiday they belong to.
    off: BTreeMap<Date, String>,
    /// 调休上班 weekend days.
    work: BTreeSet<Date>,
}

/// One year's rest days (with their holiday's name) and 调休上班 days, each in date order.
pub type YearDays = (Vec<(Date, String)>, Vec<Date>);

/// The working-day calendar of the years whose schedules are loaded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HolidayCalendar {
    years: BTreeMap<i32, YearSchedule>,
}

// The file format of `app/data/holidays-cn.json`.
#[derive(Deserialize)]
struct CalendarFile {
    years: BTreeMap<String, YearFile>,
}

#[derive(Deserialize)]
struct YearFile {
    holidays: Vec<HolidayFile>,
    #[serde(default)]
    work: Vec<String>,
}

#[derive(Deserialize)]
struct HolidayFile {
    name: String,
    off: Vec<String>,
}

fn parse_day(s: &str, year: i32) -> Result<Date, String> {
    let date =
        Date::parse(s).ok_or_else(|| format!("节假日数据中的日期“{s}”无效，应为 YYYY-MM-DD"))?;
    if date.year != year {
        return Err(format!("节假日数据中的日期 {date} 不属于{year}年"));
    }
    Ok(date)
}

impl HolidayCalendar {
    /// Parses a schedule file (the shape of `app/data/holidays-cn.json`). Rejects anything
    /// inconsistent — a bad date, a date under the wrong year, a day both off and working, a
    /// 调休上班 day that is not a weekend — because a typo here silently moves deadlines.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let file: CalendarFile =
            serde_json::from_str(json).map_err(|e| format!("节假日数据格式错误：{e}"))?;
        let mut years = BTreeMap::new();
        for (key, data) in file.years {
            let year: i32 = key
                .parse()
                .map_err(|_| format!("节假日数据中的年份“{key}”无效"))?;
            let mut schedule = YearSchedule::default();
            for holiday in data.holidays {
                if holiday.name.trim().is_empty() {
                    return Err(format!("{year}年有一项节假日没有名称"));
                }
                for s in &holiday.off {
                    let date = parse_day(s, year)?;
                    if schedule.off.insert(date, holiday.name.clone()).is_some() {
                        return Err(format!("{date} 在{year}年的放假安排中重复出现"));
                    }
                }
            }
            for s in &data.work {
                let date = parse_day(s, year)?;
                if schedule.off.contains_key(&date) {
                    return Err(format!("{date} 既是放假日又是调休上班日"));
                }
                if !date.weekday().is_weekend() {
                    return Err(format!("调休上班日 {date} 不是周六或周日"));
                }
                schedule.work.insert(date);
            }
            years.insert(year, schedule);
        }
        Ok(HolidayCalendar { years })
    }

    /// Where the official schedule of `year` comes from: the notice named for that year in the
    /// `source` of `app/data/holidays-cn.json`, if any.
    pub fn official_source(year: i32) -> Option<String> {
        #[derive(Deserialize)]
        struct Source {
            source: String,
        }
        let file: Source =
            serde_json::from_str(include_str!("../../data/holidays-cn.json")).ok()?;
        let mark = format!("{year}年");
        file.source
            .split("; ")
            .find(|part| part.contains(&mark))
            .map(|part| part.trim().to_string())
    }

    /// The official schedules shipped with this build (`app/data/holidays-cn.json`).
    pub fn official() -> &'static HolidayCalendar {
        static OFFICIAL: OnceLock<HolidayCalendar> = OnceLock::new();
        OFFICIAL.get_or_init(|| {
            HolidayCalendar::from_json(include_str!("../../data/holidays-cn.json"))
                .expect("app/data/holidays-cn.json is checked by the unit tests")
        })
    }

    /// Adds the years of `other` (e.g. a schedule published after this build). A year present
    /// in both is replaced by `other`'s: a later file is a correction.
    pub fn extend(&mut self, other: HolidayCalendar) {
        self.years.extend(other.years);
    }

    /// The years whose schedules are loaded, in order.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// Sets (or replaces) the schedule of `year`: its rest days with their holiday's name and
    /// its 调休上班 weekend days. The caller has checked them
    /// (`rules::holiday_year::check_holiday_year`).
    pub fn set_year(
        &mut self,
        year: i32,
        off: impl IntoIterator<Item = (Date, String)>,
        work: impl IntoIterator<Item = Date>,
    ) {
        self.years.insert(
            year,
            YearSchedule {
                off: off.into_iter().collect(),
                work: work.into_iter().collect(),
            },
        );
    }

    /// The schedule of `year`, if loaded: the rest days with their holiday's name, and the
    /// 调休上班 days, each in date order.
    pub fn year_schedule(&self, year: i32) -> Option<YearDays> {
        self.years.get(&year).map(|s| {
            (
                s.off.iter().map(|(d, n)| (*d, n.clone())).collect(),
                s.work.iter().copied().collect(),
            )
        })
    }

    pub fn day_kind(&self, date: Date) -> Result<DayKind, CalendarError> {
        let schedule = self
            .years
            .get(&date.year)
            .ok_or(CalendarError::YearNotPublished(date.year))?;
        // The published lists override the weekday: they exist precisely to move days around.
        Ok(if let Some(name) = schedule.off.get(&date) {
            DayKind::Holiday(name.clone())
        } else if schedule.work.contains(&date) {
            DayKind::WorkingSwap
        } else {
            match date.weekday() {
                weekday @ (Weekday::Sat | Weekday::Sun) => DayKind::Weekend(weekday),
                _ => DayKind::Working,
            }
        })
    }

    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working())
    }

    /// The day `working_days` working days after `accepted`; see [`HolidayCalendar::due_date`].
    pub fn add_working_days(
        &self,
        accepted: Date,
        working_days: u32,
    ) -> Result<Date, CalendarError> {
        self.walk(accepted, working_days, |_, _| ())
    }

    /// When a case accepted on `accepted` with a time limit of `working_days` is due.
    ///
    /// The acceptance day itself is not counted (as the law counts time limits): the due date is
    /// the `working_days`-th working day after it, and every rest day passed over on the way is
    /// listed with its reason. With 0 days (即办件) the case is due the day it is accepted.
    pub fn due_date(&self, accepted: Date, working_days: u32) -> Result<DueDate, CalendarError> {
        let mut skipped = Vec::new();
        let due = self.walk(accepted, working_days, |date, kind| {
            skipped.push(SkippedDay {
                date: date.to_string(),
                reason: kind.label().to_string(),
            })
        })?;
        Ok(DueDate {
            due: due.to_string(),
            skipped,
        })
    }

    /// Steps forward from `from` until `working_days` working days have passed, reporting each
    /// rest day to `on_rest`. The year of `from` must be loaded too, even with 0 days: a start
    /// in an unpublished year is refused like every other date there.
    fn walk(
        &self,
        from: Date,
        working_days: u32,
        mut on_rest: impl FnMut(Date, &DayKind),
    ) -> Result<Date, CalendarError> {
        self.day_kind(from)?;
        let mut date = from;
        let mut left = working_days;
        while left > 0 {
            date = date.succ();
            let kind = self.day_kind(date)?;
            if kind.is_working() {
                left -= 1;
            } else {
                on_rest(date, &kind);
            }
        }
        Ok(date)
    }

    /// Working days after `from` up to and including `to`; negative (the same count, negated)
    /// when `to` is before `from`. For deadline warnings: `working_days_between(today, due)` is
    /// the working days left, 0 on the due day, negative once overdue.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        if to < from {
            return Ok(-self.working_days_between(to, from)?);
        }
        let mut count = 0;
        let mut date = from;
        while date < to {
            date = date.succ();
            count += i64::from(self.is_working_day(date)?);
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn cal() -> &'static HolidayCalendar {
        HolidayCalendar::official()
    }

    fn due(from: &str, n: u32) -> DueDate {
        cal().due_date(d(from), n).unwrap()
    }

    fn skipped(due: &DueDate) -> Vec<(&str, &str)> {
        due.skipped
            .iter()
            .map(|s| (s.date.as_str(), s.reason.as_str()))
            .collect()
    }

    // The official schedules, copied by hand from the State Council notices (and identical to
    // /work/shared/reference/holidays-cn.json) so that a mistake in the data file is caught.
    #[rustfmt::skip]
    const OFF_2025: &[&str] = &[
        "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
        "2025-02-02", "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06",
        "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31",
        "2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
        "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
    ];
    #[rustfmt::skip]
    const WORK_2025: &[&str] = &["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"];
    #[rustfmt::skip]
    const OFF_2026: &[&str] = &[
        "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
        "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
        "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03",
        "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
        "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
        "2026-10-05", "2026-10-06", "2026-10-07",
    ];
    #[rustfmt::skip]
    const WORK_2026: &[&str] = &[
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ];

    #[test]
    fn official_data_loads_2025_and_2026() {
        assert_eq!(cal().years(), [2025, 2026]);
    }

    #[test]
    fn official_data_matches_the_notices_exactly() {
        let off: BTreeSet<Date> = OFF_2025.iter().chain(OFF_2026).map(|s| d(s)).collect();
        let work: BTreeSet<Date> = WORK_2025.iter().chain(WORK_2026).map(|s| d(s)).collect();
        let mut date = d("2025-01-01");
        while date.year <= 2026 {
            let kind = cal().day_kind(date).unwrap();
            if off.contains(&date) {
                assert!(matches!(kind, DayKind::Holiday(_)), "{date} {kind:?}");
            } else if work.contains(&date) {
                assert_eq!(kind, DayKind::WorkingSwap, "{date}");
            } else if date.weekday().is_weekend() {
                assert_eq!(kind, DayKind::Weekend(date.weekday()), "{date}");
            } else {
                assert_eq!(kind, DayKind::Working, "{date}");
            }
            date = date.succ();
        }
    }

    #[test]
    fn holiday_names() {
        let name = |s: &str| cal().day_kind(d(s)).unwrap().label().to_string();
        assert_eq!(name("2025-01-01"), "元旦");
        assert_eq!(name("2025-02-02"), "春节");
        assert_eq!(name("2025-04-04"), "清明节");
        assert_eq!(name("2025-05-05"), "劳动节");
        assert_eq!(name("2025-05-31"), "端午节");
        assert_eq!(name("2025-10-06"), "国庆节、中秋节");
        assert_eq!(name("2026-01-03"), "元旦");
        assert_eq!(name("2026-02-23"), "春节");
        assert_eq!(name("2026-04-06"), "清明节");
        assert_eq!(name("2026-05-01"), "劳动节");
        assert_eq!(name("2026-06-19"), "端午节");
        assert_eq!(name("2026-09-25"), "中秋节");
        assert_eq!(name("2026-10-07"), "国庆节");
        assert_eq!(name("2026-10-10"), "调休上班");
        assert_eq!(name("2026-03-07"), "周六");
        assert_eq!(name("2026-03-08"), "周日");
        assert_eq!(name("2026-03-09"), "工作日");
    }

    #[test]
    fn day_kinds_and_is_working_day() {
        // 2026-01-02 is a Friday taken off for 元旦; 2026-01-04 a Sunday worked in exchange.
        assert_eq!(
            cal().day_kind(d("2026-01-02")).unwrap(),
            DayKind::Holiday("元旦".into())
        );
        assert!(!cal().is_working_day(d("2026-01-02")).unwrap());
        assert_eq!(
            cal().day_kind(d("2026-01-04")).unwrap(),
            DayKind::WorkingSwap
        );
        assert!(cal().is_working_day(d("2026-01-04")).unwrap());
        assert_eq!(
            cal().day_kind(d("2026-03-07")).unwrap(),
            DayKind::Weekend(Weekday::Sat)
        );
        assert_eq!(cal().day_kind(d("2026-03-09")).unwrap(), DayKind::Working);
        assert!(DayKind::Working.is_working() && DayKind::WorkingSwap.is_working());
        assert!(!DayKind::Weekend(Weekday::Sun).is_working());
        assert!(!DayKind::Holiday("春节".into()).is_working());
    }

    #[test]
    fn unpublished_years_are_errors_not_guesses() {
        let err = cal().day_kind(d("2027-01-04")).unwrap_err();
        assert_eq!(err, CalendarError::YearNotPublished(2027));
        assert_eq!(
            err.to_string(),
            "2027年的法定节假日安排尚未公布，暂无法计算办结日期"
        );
        assert_eq!(
            cal().is_working_day(d("2024-12-31")),
            Err(CalendarError::YearNotPublished(2024))
        );
    }

    #[test]
    fn friday_plus_one_is_the_swapped_saturday() {
        let due = due("2026-02-13", 1);
        assert_eq!(due.due, "2026-02-14");
        assert!(due.skipped.is_empty());
    }

    #[test]
    fn spring_festival_is_skipped_with_reasons() {
        let due = due("2026-02-14", 1);
        assert_eq!(due.due, "2026-02-24");
        let expected: Vec<_> = OFF_2026[3..12].iter().map(|&s| (s, "春节")).collect();
        assert_eq!(expected[0].0, "2026-02-15");
        assert_eq!(expected[8].0, "2026-02-23");
        assert_eq!(skipped(&due), expected);
    }

    #[test]
    fn national_day_then_working_saturday() {
        // 09-30 Wed; 10-01..07 off; 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat is worked (3).
        let due = due("2026-09-30", 3);
        assert_eq!(due.due, "2026-10-10");
        assert_eq!(due.skipped.len(), 7);
        assert!(due.skipped.iter().all(|s| s.reason == "国庆节"));
        assert_eq!(due.skipped[0].date, "2026-10-01");
        assert_eq!(due.skipped[6].date, "2026-10-07");
    }

    #[test]
    fn new_year_across_years_lands_on_the_working_sunday() {
        let due = due("2025-12-31", 1);
        assert_eq!(due.due, "2026-01-04");
        assert_eq!(
            skipped(&due),
            [
                ("2026-01-01", "元旦"),
                ("2026-01-02", "元旦"),
                ("2026-01-03", "元旦")
            ]
        );
    }

    #[test]
    fn ordinary_weekend_reasons() {
        let due = due("2026-03-06", 1);
        assert_eq!(due.due, "2026-03-09");
        assert_eq!(
            skipped(&due),
            [("2026-03-07", "周六"), ("2026-03-08", "周日")]
        );
        // Acceptance on a rest day (e.g. at a 24-hour terminal): the day itself is not listed.
        let due = self::due("2026-03-07", 1);
        assert_eq!(due.due, "2026-03-09");
        assert_eq!(skipped(&due), [("2026-03-08", "周日")]);
    }

    #[test]
    fn combined_mid_autumn_and_national_day_2025() {
        // 2025-09-26 Fri: 09-27 Sat rest, 09-28 Sun worked.
        let due = due("2025-09-26", 1);
        assert_eq!(due.due, "2025-09-28");
        assert_eq!(skipped(&due), [("2025-09-27", "周六")]);
        let due = self::due("2025-09-30", 1);
        assert_eq!(due.due, "2025-10-09");
        assert_eq!(due.skipped.len(), 8);
        assert!(due.skipped.iter().all(|s| s.reason == "国庆节、中秋节"));
    }

    #[test]
    fn longer_limits() {
        // 2026-04-30 Thu + 5: 05-01..05 off, 05-06 (1) 07 (2) 08 (3), 09 Sat worked (4), 10 Sun
        // rest, 11 Mon (5).
        let due = due("2026-04-30", 5);
        assert_eq!(due.due, "2026-05-11");
        assert_eq!(due.skipped.len(), 6);
        assert_eq!(due.skipped[5].date, "2026-05-10");
        assert_eq!(due.skipped[5].reason, "周日");
        // 20 working days from 2026-03-02 (Mon), no holidays: four whole weeks.
        assert_eq!(self::due("2026-03-02", 20).due, "2026-03-30");
    }

    #[test]
    fn zero_days_is_due_on_acceptance() {
        let due = due("2026-02-15", 0);
        assert_eq!(due.due, "2026-02-15");
        assert!(due.skipped.is_empty());
    }

    #[test]
    fn a_start_in_an_unpublished_year_fails_even_with_zero_days() {
        assert_eq!(
            cal().due_date(d("2030-01-07"), 0),
            Err(CalendarError::YearNotPublished(2030))
        );
        assert_eq!(
            cal().add_working_days(d("2024-12-31"), 0),
            Err(CalendarError::YearNotPublished(2024))
        );
        // Even when every counted day lies in a published year.
        assert_eq!(
            cal().due_date(d("2024-12-31"), 1),
            Err(CalendarError::YearNotPublished(2024))
        );
    }

    #[test]
    fn due_date_into_an_unpublished_year_fails() {
        assert_eq!(
            cal().due_date(d("2026-12-30"), 5),
            Err(CalendarError::YearNotPublished(2027))
        );
        // Within the year it still works: 12-31 Thu is the first working day.
        assert_eq!(due("2026-12-30", 1).due, "2026-12-31");
        assert_eq!(
            cal().add_working_days(d("2026-12-30"), 1),
            Ok(d("2026-12-31"))
        );
    }

    #[test]
    fn add_working_days_agrees_with_due_date() {
        let mut date = d("2025-01-01");
        while date < d("2026-11-01") {
            for n in [0, 1, 3, 7, 20] {
                let due = cal().due_date(date, n).unwrap();
                assert_eq!(
                    cal().add_working_days(date, n).unwrap().to_string(),
                    due.due
                );
                // The due day is a working day (unless 0 days), and exactly n working days on.
                let due_day = d(&due.due);
                assert_eq!(cal().working_days_between(date, due_day), Ok(i64::from(n)));
                if n > 0 {
                    assert!(cal().is_working_day(due_day).unwrap());
                }
                let span = date.days_until(due_day) as usize;
                assert_eq!(span, n as usize + due.skipped.len(), "{date} + {n}");
            }
            date = date.add_days(5);
        }
    }

    #[test]
    fn working_days_between_counts_after_from_up_to_to() {
        let between = |a: &str, b: &str| cal().working_days_between(d(a), d(b)).unwrap();
        assert_eq!(between("2026-02-13", "2026-02-13"), 0);
        assert_eq!(between("2026-02-13", "2026-02-14"), 1);
        assert_eq!(between("2026-02-13", "2026-02-24"), 2);
        assert_eq!(between("2026-02-14", "2026-02-23"), 0);
        assert_eq!(between("2026-02-24", "2026-02-13"), -2);
        assert_eq!(between("2026-03-06", "2026-03-09"), 1);
        assert_eq!(between("2025-12-31", "2026-01-05"), 2);
        assert_eq!(
            cal().working_days_between(d("2026-12-30"), d("2027-01-05")),
            Err(CalendarError::YearNotPublished(2027))
        );
    }

    #[test]
    fn from_json_and_extend_add_a_published_year() {
        let next = HolidayCalendar::from_json(
            r#"{ "years": { "2027": {
                "holidays": [ { "name": "元旦", "off": ["2027-01-01"] } ],
                "work": ["2027-01-02"] } } }"#,
        )
        .unwrap();
        assert_eq!(next.years(), [2027]);
        let mut calendar = cal().clone();
        calendar.extend(next);
        assert_eq!(calendar.years(), [2025, 2026, 2027]);
        assert_eq!(
            calendar.day_kind(d("2027-01-01")),
            Ok(DayKind::Holiday("元旦".into()))
        );
        assert_eq!(calendar.day_kind(d("2027-01-02")), Ok(DayKind::WorkingSwap));
        // 2026-12-30 Wed: 12-31 (1), 01-01 元旦, 01-02 Sat worked (2), 01-03 Sun, 01-04 (3) …
        assert_eq!(
            calendar.due_date(d("2026-12-30"), 5).unwrap().due,
            "2027-01-06"
        );
    }

    #[test]
    fn extend_replaces_a_corrected_year() {
        let mut calendar = cal().clone();
        let fix = r#"{ "years": { "2026": { "holidays": [ { "name": "测试", "off": ["2026-03-09"] } ] } } }"#;
        calendar.extend(HolidayCalendar::from_json(fix).unwrap());
        assert_eq!(
            calendar.day_kind(d("2026-03-09")),
            Ok(DayKind::Holiday("测试".into()))
        );
        assert_eq!(calendar.day_kind(d("2026-02-16")), Ok(DayKind::Working));
    }

    #[test]
    fn from_json_rejects_inconsistent_data() {
        let bad = |years: &str| {
            HolidayCalendar::from_json(&format!(r#"{{ "years": {{ {years} }} }}"#)).unwrap_err()
        };
        assert!(HolidayCalendar::from_json("not json")
            .unwrap_err()
            .contains("格式错误"));
        assert!(HolidayCalendar::from_json("{}").is_err());
        assert!(bad(r#""20x6": { "holidays": [] }"#).contains("年份"));
        assert!(
            bad(r#""2026": { "holidays": [ { "name": "元旦", "off": ["2026-1-1"] } ] }"#)
                .contains("2026-1-1")
        );
        assert!(
            bad(r#""2026": { "holidays": [ { "name": "元旦", "off": ["2027-01-01"] } ] }"#)
                .contains("不属于2026年")
        );
        assert!(
            bad(r#""2026": { "holidays": [ { "name": " ", "off": ["2026-01-01"] } ] }"#)
                .contains("名称")
        );
        assert!(bad(
            r#""2026": { "holidays": [ { "name": "a", "off": ["2026-01-01"] },
                                               { "name": "b", "off": ["2026-01-01"] } ] }"#
        )
        .contains("重复"));
        assert!(bad(
            r#""2026": { "holidays": [ { "name": "a", "off": ["2026-01-03"] } ],
                                 "work": ["2026-01-03"] }"#
        )
        .contains("既是放假日又是调休上班日"));
        assert!(
            bad(r#""2026": { "holidays": [], "work": ["2026-01-05"] }"#).contains("不是周六或周日")
        );
    }

    #[test]
    fn empty_calendar_knows_no_year() {
        let empty = HolidayCalendar::default();
        assert!(empty.years().is_empty());
        assert_eq!(
            empty.due_date(d("2026-03-02"), 1),
            Err(CalendarError::YearNotPublished(2026))
        );
    }
}
