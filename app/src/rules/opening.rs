//! Whether a service site is open: its weekly hours read against the official holiday calendar.
//!
//! The rules, in order:
//! - a public holiday or 调休 rest day ([`DayKind::Holiday`]) closes the site, unless it is open
//!   on holidays (then it keeps that weekday's hours);
//! - a 调休 working Saturday or Sunday ([`DayKind::WorkingSwap`]) is an ordinary working day, so
//!   the site keeps its Monday hours, even if it never opens at weekends;
//! - any other day uses that weekday's own periods (weekend service where the site lists
//!   Saturday or Sunday hours).
//!
//! Periods are `[open, close)` in minutes of the Beijing day. Like the rest of `rules`, nothing
//! here reads a clock: callers pass the date and the minute.

use super::date::{Date, Weekday};
use super::workdays::{CalendarError, DayKind, HolidayCalendar};
use crate::api::{Closure, DayOutlook, OpeningHours, Period};

/// How far ahead [`OpenState::next_open`] looks.
const LOOKAHEAD_DAYS: i32 = 14;

/// Minutes in a day; `24:00` closes a period at midnight.
const DAY_MINUTES: u16 = 24 * 60;

/// A site's state at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenState {
    pub open_now: bool,
    /// Today's periods under the rules above (empty when closed all day).
    pub today_periods: Vec<Period>,
    /// Why it is closed now, e.g. `国庆节休息`, `周日休息`, `午间休息，13:30 开门`, `今日已下班`;
    /// `None` while open.
    pub closed_reason: Option<String>,
    /// When closed: the next opening within two weeks, e.g. `今天 13:30`, `明天 9:00`,
    /// `10月8日（周四）9:00`. `None` while open, or when nothing opens in the published calendar.
    pub next_open: Option<String>,
}

/// Parses `HH:MM` (zero-padded, `00:00`–`24:00`) into minutes since midnight.
pub fn parse_hhmm(s: &str) -> Option<u16> {
    let b = s.as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let hours = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    let minutes = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= DAY_MINUTES).then_some(total)
}

/// Minutes since midnight as shown to people: `9:00`, `13:30`, `24:00`.
pub fn format_minutes(minutes: u16) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// 1 = Monday … 7 = Sunday, as in [`crate::api::DayHours::weekday`].
pub fn weekday_number(weekday: Weekday) -> u8 {
    match weekday {
        Weekday::Mon => 1,
        Weekday::Tue => 2,
        Weekday::Wed => 3,
        Weekday::Thu => 4,
        Weekday::Fri => 5,
        Weekday::Sat => 6,
        Weekday::Sun => 7,
    }
}

const WEEKDAY_NAMES: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// Checks a site's hours as loaded from data: weekdays 1–7 listed at most once, every time
/// `HH:MM`, each period closing after it opens, periods in order without overlapping.
pub fn validate_hours(hours: &OpeningHours) -> Result<(), String> {
    let mut seen = [false; 7];
    for day in &hours.weekly {
        let index = match day.weekday {
            1..=7 => usize::from(day.weekday - 1),
            other => {
                return Err(format!(
                    "营业时间中的星期 {other} 无效，应为 1（周一）至 7（周日）"
                ))
            }
        };
        let name = WEEKDAY_NAMES[index];
        if std::mem::replace(&mut seen[index], true) {
            return Err(format!("营业时间中{name}重复出现"));
        }
        let mut previous_close = 0;
        for period in &day.periods {
            let open = parse_hhmm(&period.open)
                .ok_or_else(|| format!("{name}的开门时间“{}”无效，应为 HH:MM", period.open))?;
            let close = parse_hhmm(&period.close)
                .ok_or_else(|| format!("{name}的关门时间“{}”无效，应为 HH:MM", period.close))?;
            if open >= close {
                return Err(format!(
                    "{name}的时段 {}–{} 不是先开门后关门",
                    period.open, period.close
                ));
            }
            if open < previous_close {
                return Err(format!(
                    "{name}的时段 {}–{} 与前一时段重叠或顺序颠倒",
                    period.open, period.close
                ));
            }
            previous_close = close;
        }
    }
    Ok(())
}

/// The listed periods of weekday `number` (1–7), in order; malformed ones (refused by
/// [`validate_hours`] when data is loaded) are left out rather than guessed at.
fn listed(hours: &OpeningHours, number: u8) -> Vec<(u16, u16, &Period)> {
    let mut periods: Vec<_> = hours
        .weekly
        .iter()
        .filter(|day| day.weekday == number)
        .flat_map(|day| &day.periods)
        .filter_map(|p| match (parse_hhmm(&p.open), parse_hhmm(&p.close)) {
            (Some(open), Some(close)) if open < close => Some((open, close, p)),
            _ => None,
        })
        .collect();
    periods.sort_by_key(|&(open, close, _)| (open, close));
    periods
}

/// Why a site is closed all day.
enum Rest {
    /// A holiday (`国庆节`) or a weekday it never opens (`周日`).
    Day(String),
    /// A temporary closure, with its reason.
    Closure(String),
}

/// What one date looks like for a site.
struct DayPlan<'a> {
    periods: Vec<(u16, u16, &'a Period)>,
    /// When closed all day: why.
    rest: Option<Rest>,
    /// When open on a special day: `调休上班`, `国庆节照常服务`.
    special: Option<String>,
}

/// The temporary closure covering `date`, if any (malformed dates never match).
pub fn closure_on(hours: &OpeningHours, date: Date) -> Option<&Closure> {
    hours.closures.iter().find(|c| {
        matches!((Date::parse(&c.first), Date::parse(&c.last)),
            (Some(first), Some(last)) if first <= date && date <= last)
    })
}

fn day_plan<'a>(
    hours: &'a OpeningHours,
    calendar: &HolidayCalendar,
    date: Date,
) -> Result<DayPlan<'a>, CalendarError> {
    // A closure holds whatever the calendar says, also in a year not yet published.
    if let Some(closure) = closure_on(hours, date) {
        return Ok(DayPlan {
            periods: Vec::new(),
            rest: Some(Rest::Closure(closure.reason.clone())),
            special: None,
        });
    }
    let weekday = date.weekday();
    let own = listed(hours, weekday_number(weekday));
    let (periods, special, rest) = match calendar.day_kind(date)? {
        DayKind::Holiday(name) if !hours.open_on_holidays => (Vec::new(), None, Some(name)),
        DayKind::Holiday(name) => (own, Some(format!("{name}照常服务")), None),
        DayKind::WorkingSwap => {
            let monday = listed(hours, 1);
            let periods = if monday.is_empty() { own } else { monday };
            (periods, Some("调休上班".to_string()), None)
        }
        DayKind::Weekend(_) | DayKind::Working => (own, None, None),
    };
    let rest = match (periods.is_empty(), rest) {
        (false, _) => None,
        (true, Some(holiday)) => Some(Rest::Day(holiday)),
        (true, None) => Some(Rest::Day(weekday.chinese().to_string())),
    };
    let special = if periods.is_empty() { None } else { special };
    Ok(DayPlan {
        periods,
        rest,
        special,
    })
}

fn join_periods(periods: &[(u16, u16, &Period)]) -> String {
    if let [(0, DAY_MINUTES, _)] = periods {
        return "全天 24 小时".to_string();
    }
    periods
        .iter()
        .map(|&(open, close, _)| format!("{}–{}", format_minutes(open), format_minutes(close)))
        .collect::<Vec<_>>()
        .join("，")
}

/// The first opening after `date`, within [`LOOKAHEAD_DAYS`], in words.
fn next_opening_day(
    hours: &OpeningHours,
    calendar: &HolidayCalendar,
    date: Date,
) -> Option<String> {
    (1..=LOOKAHEAD_DAYS).find_map(|offset| {
        let day = date.add_days(offset);
        // A year whose schedule is not published yet: stop rather than guess.
        let plan = day_plan(hours, calendar, day).ok()?;
        let &(open, _, _) = plan.periods.first()?;
        let at = format_minutes(open);
        Some(match offset {
            1 => format!("明天 {at}"),
            2 => format!("后天 {at}"),
            _ => format!("{}（{}）{at}", day.chinese_short(), day.weekday().chinese()),
        })
    })
}

/// Whether the site is open at `minute_of_day` (0–1439, Beijing time) on `date`, and if not, why
/// and when it opens next. Fails only when `date`'s year has no published holiday schedule.
pub fn open_state(
    hours: &OpeningHours,
    calendar: &HolidayCalendar,
    date: Date,
    minute_of_day: u16,
) -> Result<OpenState, CalendarError> {
    let plan = day_plan(hours, calendar, date)?;
    let today_periods: Vec<Period> = plan.periods.iter().map(|&(_, _, p)| p.clone()).collect();
    let now = minute_of_day;
    if plan
        .periods
        .iter()
        .any(|&(open, close, _)| open <= now && now < close)
    {
        return Ok(OpenState {
            open_now: true,
            today_periods,
            closed_reason: None,
            next_open: None,
        });
    }
    let later_today = plan.periods.iter().find(|&&(open, _, _)| open > now);
    let (closed_reason, next_open) = match (later_today, &plan.rest) {
        (Some(&(open, _, _)), _) => {
            let at = format_minutes(open);
            let earlier_close = plan
                .periods
                .iter()
                .filter(|&&(_, close, _)| close <= now)
                .map(|&(_, close, _)| close)
                .max();
            let reason = match earlier_close {
                None => format!("未到服务时间，{at} 开门"),
                // A break that starts late in the morning or early in the afternoon is lunch.
                Some(close) if (11 * 60..=14 * 60 + 30).contains(&close) => {
                    format!("午间休息，{at} 开门")
                }
                Some(_) => format!("暂停服务，{at} 开门"),
            };
            (reason, Some(format!("今天 {at}")))
        }
        (None, Some(Rest::Day(rest))) => (
            format!("{rest}休息"),
            next_opening_day(hours, calendar, date),
        ),
        (None, Some(Rest::Closure(reason))) => (
            format!("临时停止服务：{reason}"),
            next_opening_day(hours, calendar, date),
        ),
        (None, None) => (
            "今日已下班".to_string(),
            next_opening_day(hours, calendar, date),
        ),
    };
    Ok(OpenState {
        open_now: false,
        today_periods,
        closed_reason: Some(closed_reason),
        next_open,
    })
}

/// One date in words, and whether the site opens at all that day: `9:00–12:00，13:30–17:00`,
/// `9:00–12:00，13:30–17:00（调休上班）`, `9:00–17:00（国庆节照常服务）`, `休息（国庆节）`,
/// `暂停服务（系统升级，暂停对外服务）`.
///
/// Never fails: in a year whose holiday schedule is not published yet it gives the weekday's
/// regular hours and says that holidays are not accounted for.
pub fn day_words(hours: &OpeningHours, calendar: &HolidayCalendar, date: Date) -> (bool, String) {
    match day_plan(hours, calendar, date) {
        Ok(plan) => match (plan.rest, plan.special) {
            (Some(Rest::Day(rest)), _) => (false, format!("休息（{rest}）")),
            (Some(Rest::Closure(reason)), _) => (false, format!("暂停服务（{reason}）")),
            (None, Some(special)) => (
                true,
                format!("{}（{special}）", join_periods(&plan.periods)),
            ),
            (None, None) => (true, join_periods(&plan.periods)),
        },
        Err(_) => {
            let weekday = date.weekday();
            let own = listed(hours, weekday_number(weekday));
            if own.is_empty() {
                (false, format!("休息（{}）", weekday.chinese()))
            } else {
                (
                    true,
                    format!("{}（节假日安排未公布，以现场公告为准）", join_periods(&own)),
                )
            }
        }
    }
}

/// Today's hours in words for a list: `今天 9:00–12:00，13:30–17:00`, `今天休息（国庆节）`,
/// `今天 9:00–12:00，13:30–17:00（调休上班）`, `今天 9:00–17:00（国庆节照常服务）`,
/// `今天暂停服务（系统升级，暂停对外服务）` ([`day_words`] of today).
pub fn today_label(hours: &OpeningHours, calendar: &HolidayCalendar, date: Date) -> String {
    match day_words(hours, calendar, date) {
        (true, words) => format!("今天 {words}"),
        (false, words) => format!("今天{words}"),
    }
}

/// How many days a site's page shows ahead, today included.
pub const WEEK_AHEAD: i32 = 7;

/// `days` dates from `from` as citizens see them (the site page's week and the manager's
/// preview of it).
pub fn days_ahead(
    hours: &OpeningHours,
    calendar: &HolidayCalendar,
    from: Date,
    days: i32,
) -> Vec<DayOutlook> {
    (0..days)
        .map(|offset| {
            let date = from.add_days(offset);
            let (open, hours) = day_words(hours, calendar, date);
            DayOutlook {
                date: date.to_string(),
                open,
                hours,
            }
        })
        .collect()
}

/// How far ahead a temporary closure is announced.
pub const NOTICE_DAYS: i32 = 14;

/// The temporary closures running on `today` or starting within [`NOTICE_DAYS`], as one notice:
/// `临时停止服务 12月5日至12月6日：系统升级，暂停对外服务` (several joined with `；`).
pub fn closure_notice(hours: &OpeningHours, today: Date) -> Option<String> {
    let horizon = today.add_days(NOTICE_DAYS);
    let mut shown: Vec<(Date, String)> = hours
        .closures
        .iter()
        .filter_map(|c| {
            let (first, last) = (Date::parse(&c.first)?, Date::parse(&c.last)?);
            (last >= today && first <= horizon).then(|| {
                let span = if first == last {
                    first.chinese_short()
                } else {
                    format!("{}至{}", first.chinese_short(), last.chinese_short())
                };
                (first, format!("{span}：{}", c.reason.trim()))
            })
        })
        .collect();
    if shown.is_empty() {
        return None;
    }
    shown.sort();
    let lines: Vec<String> = shown.into_iter().map(|(_, line)| line).collect();
    Some(format!("临时停止服务 {}", lines.join("；")))
}

/// The regular week in words, consecutive days with the same hours grouped:
/// `["周一至周五 9:00–12:00，13:30–17:00", "周六 9:00–12:00"]`. Closed days are left out.
pub fn weekly_lines(hours: &OpeningHours) -> Vec<String> {
    let days: Vec<String> = (1..=7).map(|n| join_periods(&listed(hours, n))).collect();
    let mut lines = Vec::new();
    let mut start = 0;
    while start < 7 {
        let mut end = start;
        while end + 1 < 7 && days[end + 1] == days[start] {
            end += 1;
        }
        if !days[start].is_empty() {
            let names = match end - start {
                0 => WEEKDAY_NAMES[start].to_string(),
                1 => format!("{}、{}", WEEKDAY_NAMES[start], WEEKDAY_NAMES[end]),
                _ => format!("{}至{}", WEEKDAY_NAMES[start], WEEKDAY_NAMES[end]),
            };
            lines.push(format!("{names} {}", days[start]));
        }
        start = end + 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::DayHours;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn cal() -> &'static HolidayCalendar {
        HolidayCalendar::official()
    }

    fn p(open: &str, close: &str) -> Period {
        Period {
            open: open.into(),
            close: close.into(),
        }
    }

    fn week(days: &[(u8, &[(&str, &str)])], open_on_holidays: bool) -> OpeningHours {
        OpeningHours {
            weekly: days
                .iter()
                .map(|&(weekday, periods)| DayHours {
                    weekday,
                    periods: periods.iter().map(|&(o, c)| p(o, c)).collect(),
                })
                .collect(),
            open_on_holidays,
            note: None,
            closures: Vec::new(),
        }
    }

    const LUNCH: &[(&str, &str)] = &[("09:00", "12:00"), ("13:30", "17:00")];
    const MORNING: &[(&str, &str)] = &[("09:00", "12:00")];
    const EVENING: &[(&str, &str)] = &[("09:00", "12:00"), ("13:30", "17:00"), ("17:00", "19:00")];
    const BANK: &[(&str, &str)] = &[("09:00", "17:00")];

    /// A community station: Monday–Friday with a lunch break, never at weekends.
    fn community() -> OpeningHours {
        week(
            &[(1, LUNCH), (2, LUNCH), (3, LUNCH), (4, LUNCH), (5, LUNCH)],
            false,
        )
    }

    /// A street centre with 延时服务 on Wednesday evening and a Saturday morning.
    fn street() -> OpeningHours {
        week(
            &[
                (1, LUNCH),
                (2, LUNCH),
                (3, EVENING),
                (4, LUNCH),
                (5, LUNCH),
                (6, MORNING),
            ],
            false,
        )
    }

    fn bank(open_on_holidays: bool) -> OpeningHours {
        week(
            &(1..=7).map(|n| (n, BANK)).collect::<Vec<_>>(),
            open_on_holidays,
        )
    }

    fn at(hours: &OpeningHours, date: &str, hhmm: &str) -> OpenState {
        open_state(hours, cal(), d(date), parse_hhmm(hhmm).unwrap()).unwrap()
    }

    #[test]
    fn hhmm_parsing_is_strict() {
        assert_eq!(parse_hhmm("09:00"), Some(540));
        assert_eq!(parse_hhmm("13:30"), Some(810));
        assert_eq!(parse_hhmm("00:00"), Some(0));
        assert_eq!(parse_hhmm("24:00"), Some(1440));
        for bad in [
            "9:00", "24:01", "12:60", "25:00", "0900", "09-00", "09:0a", " 09:00", "", "０9:00",
        ] {
            assert_eq!(parse_hhmm(bad), None, "{bad:?}");
        }
        assert_eq!(format_minutes(540), "9:00");
        assert_eq!(format_minutes(810), "13:30");
        assert_eq!(format_minutes(1440), "24:00");
    }

    #[test]
    fn open_in_the_morning_closed_at_lunch() {
        // 2026-03-09 is an ordinary Monday.
        let open = at(&community(), "2026-03-09", "10:00");
        assert!(open.open_now);
        assert_eq!(
            open.today_periods,
            vec![p("09:00", "12:00"), p("13:30", "17:00")]
        );
        assert_eq!(open.closed_reason, None);
        assert_eq!(open.next_open, None);

        let lunch = at(&community(), "2026-03-09", "12:30");
        assert!(!lunch.open_now);
        assert_eq!(lunch.closed_reason.as_deref(), Some("午间休息，13:30 开门"));
        assert_eq!(lunch.next_open.as_deref(), Some("今天 13:30"));
    }

    #[test]
    fn periods_are_half_open() {
        let hours = community();
        assert!(at(&hours, "2026-03-09", "09:00").open_now);
        assert!(at(&hours, "2026-03-09", "11:59").open_now);
        assert!(!at(&hours, "2026-03-09", "12:00").open_now);
        assert!(at(&hours, "2026-03-09", "16:59").open_now);
        let after = at(&hours, "2026-03-09", "17:00");
        assert!(!after.open_now);
        assert_eq!(after.closed_reason.as_deref(), Some("今日已下班"));
        assert_eq!(after.next_open.as_deref(), Some("明天 9:00"));
    }

    #[test]
    fn before_opening() {
        let early = at(&community(), "2026-03-10", "08:15");
        assert!(!early.open_now);
        assert_eq!(
            early.closed_reason.as_deref(),
            Some("未到服务时间，9:00 开门")
        );
        assert_eq!(early.next_open.as_deref(), Some("今天 9:00"));
    }

    #[test]
    fn closed_on_national_day() {
        // 2026-10-01 is a Thursday in the 国庆节 holiday (10-01 to 10-07); the station opens
        // again on Thursday 10-08.
        let state = at(&community(), "2026-10-01", "10:00");
        assert!(!state.open_now);
        assert!(state.today_periods.is_empty());
        assert_eq!(state.closed_reason.as_deref(), Some("国庆节休息"));
        assert_eq!(state.next_open.as_deref(), Some("10月8日（周四）9:00"));
        assert_eq!(
            today_label(&community(), cal(), d("2026-10-01")),
            "今天休息（国庆节）"
        );
        // The street centre's Saturday morning does not open it on 10-03 either.
        assert_eq!(
            at(&street(), "2026-10-03", "10:00")
                .closed_reason
                .as_deref(),
            Some("国庆节休息")
        );
    }

    #[test]
    fn swapped_saturday_uses_monday_hours() {
        // 2026-10-10 is a Saturday worked in exchange for the 国庆节 holiday. The community station
        // never opens on Saturdays, yet today it keeps its Monday hours.
        let hours = community();
        let morning = at(&hours, "2026-10-10", "10:00");
        assert!(morning.open_now);
        assert_eq!(
            morning.today_periods,
            vec![p("09:00", "12:00"), p("13:30", "17:00")]
        );
        assert!(at(&hours, "2026-10-10", "15:00").open_now);
        assert_eq!(
            today_label(&hours, cal(), d("2026-10-10")),
            "今天 9:00–12:00，13:30–17:00（调休上班）"
        );
        // A street centre open only on Saturday mornings keeps its full Monday day as well.
        assert!(at(&street(), "2026-10-10", "15:00").open_now);
        // An ordinary Saturday: closed.
        let saturday = at(&hours, "2026-10-17", "10:00");
        assert_eq!(saturday.closed_reason.as_deref(), Some("周六休息"));
        assert_eq!(saturday.next_open.as_deref(), Some("后天 9:00"));
    }

    #[test]
    fn street_centre_weekend_and_evening_service() {
        let hours = street();
        // Saturday 2026-03-07, morning only.
        let saturday = at(&hours, "2026-03-07", "10:00");
        assert!(saturday.open_now);
        assert_eq!(saturday.today_periods, vec![p("09:00", "12:00")]);
        assert_eq!(
            today_label(&hours, cal(), d("2026-03-07")),
            "今天 9:00–12:00"
        );
        let noon = at(&hours, "2026-03-07", "12:30");
        assert_eq!(noon.closed_reason.as_deref(), Some("今日已下班"));
        assert_eq!(noon.next_open.as_deref(), Some("后天 9:00"));
        // Sunday 2026-03-08: closed until Monday.
        let sunday = at(&hours, "2026-03-08", "10:00");
        assert_eq!(sunday.closed_reason.as_deref(), Some("周日休息"));
        assert_eq!(sunday.next_open.as_deref(), Some("明天 9:00"));
        assert_eq!(
            today_label(&hours, cal(), d("2026-03-08")),
            "今天休息（周日）"
        );
        // Wednesday 2026-03-11: 延时服务 until 19:00.
        assert!(at(&hours, "2026-03-11", "18:30").open_now);
        assert!(!at(&hours, "2026-03-11", "19:00").open_now);
        assert!(!at(&hours, "2026-03-12", "18:30").open_now);
        assert_eq!(
            today_label(&hours, cal(), d("2026-03-11")),
            "今天 9:00–12:00，13:30–17:00，17:00–19:00"
        );
    }

    #[test]
    fn evening_gap_is_not_called_lunch() {
        let hours = week(
            &[(
                4,
                &[("09:00", "12:00"), ("13:30", "17:00"), ("18:00", "20:00")],
            )],
            false,
        );
        let state = at(&hours, "2026-03-12", "17:30");
        assert_eq!(state.closed_reason.as_deref(), Some("暂停服务，18:00 开门"));
        assert_eq!(state.next_open.as_deref(), Some("今天 18:00"));
    }

    #[test]
    fn bank_station_open_on_holidays() {
        let open = bank(true);
        let state = at(&open, "2026-10-01", "10:00");
        assert!(state.open_now);
        assert_eq!(state.today_periods, vec![p("09:00", "17:00")]);
        assert_eq!(
            today_label(&open, cal(), d("2026-10-01")),
            "今天 9:00–17:00（国庆节照常服务）"
        );
        assert!(at(&open, "2026-03-08", "10:00").open_now); // an ordinary Sunday

        let closed = bank(false);
        assert_eq!(
            at(&closed, "2026-10-01", "10:00").closed_reason.as_deref(),
            Some("国庆节休息")
        );
        assert!(at(&closed, "2026-03-08", "10:00").open_now);
    }

    #[test]
    fn round_the_clock_terminal() {
        let hours = week(
            &(1..=7)
                .map(|n| (n, &[("00:00", "24:00")][..]))
                .collect::<Vec<_>>(),
            true,
        );
        assert!(at(&hours, "2026-02-17", "03:00").open_now);
        assert!(
            open_state(&hours, cal(), d("2026-02-17"), 1439)
                .unwrap()
                .open_now
        );
        assert_eq!(
            today_label(&hours, cal(), d("2026-02-17")),
            "今天 全天 24 小时（春节照常服务）"
        );
    }

    #[test]
    fn spring_festival_next_open_skips_the_whole_holiday() {
        // 2026-02-14 is a swapped Saturday, then 02-15 to 02-23 off for 春节.
        let hours = community();
        assert!(at(&hours, "2026-02-14", "10:00").open_now);
        let evening = at(&hours, "2026-02-14", "18:00");
        assert_eq!(evening.closed_reason.as_deref(), Some("今日已下班"));
        assert_eq!(evening.next_open.as_deref(), Some("2月24日（周二）9:00"));
    }

    #[test]
    fn unpublished_year_is_an_error_for_state_but_labelled_with_a_caveat() {
        assert_eq!(
            open_state(&community(), cal(), d("2027-03-01"), 600),
            Err(CalendarError::YearNotPublished(2027))
        );
        assert_eq!(
            today_label(&community(), cal(), d("2027-03-01")),
            "今天 9:00–12:00，13:30–17:00（节假日安排未公布，以现场公告为准）"
        );
        assert_eq!(
            today_label(&community(), cal(), d("2027-03-07")),
            "今天休息（周日）"
        );
        // Looking ahead stops at the end of the published calendar rather than guessing.
        let last = at(&community(), "2026-12-31", "18:00");
        assert_eq!(last.closed_reason.as_deref(), Some("今日已下班"));
        assert_eq!(last.next_open, None);
    }

    #[test]
    fn site_that_never_opens() {
        let hours = week(&[], false);
        let state = at(&hours, "2026-03-09", "10:00");
        assert_eq!(state.closed_reason.as_deref(), Some("周一休息"));
        assert_eq!(state.next_open, None);
    }

    #[test]
    fn weekly_lines_group_equal_days() {
        assert_eq!(
            weekly_lines(&street()),
            [
                "周一、周二 9:00–12:00，13:30–17:00",
                "周三 9:00–12:00，13:30–17:00，17:00–19:00",
                "周四、周五 9:00–12:00，13:30–17:00",
                "周六 9:00–12:00",
            ]
        );
        assert_eq!(
            weekly_lines(&community()),
            ["周一至周五 9:00–12:00，13:30–17:00"]
        );
        assert_eq!(weekly_lines(&bank(true)), ["周一至周日 9:00–17:00"]);
        assert!(weekly_lines(&week(&[], false)).is_empty());
    }

    #[test]
    fn validation_rejects_bad_hours() {
        assert_eq!(validate_hours(&street()), Ok(()));
        assert_eq!(validate_hours(&bank(true)), Ok(()));
        let bad = |days: &[(u8, &[(&str, &str)])]| validate_hours(&week(days, false)).unwrap_err();
        assert!(bad(&[(0, LUNCH)]).contains("星期 0 无效"));
        assert!(bad(&[(8, LUNCH)]).contains("星期 8 无效"));
        assert!(bad(&[(1, LUNCH), (1, MORNING)]).contains("周一重复"));
        assert!(bad(&[(2, &[("9:00", "12:00")])]).contains("周二的开门时间“9:00”无效"));
        assert!(bad(&[(3, &[("09:00", "25:00")])]).contains("关门时间"));
        assert!(bad(&[(4, &[("12:00", "09:00")])]).contains("先开门后关门"));
        assert!(bad(&[(5, &[("13:30", "17:00"), ("09:00", "12:00")])]).contains("重叠"));
        assert!(bad(&[(6, &[("09:00", "12:00"), ("11:00", "17:00")])]).contains("重叠"));
    }
}
