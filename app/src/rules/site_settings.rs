//! A site's settings as a manager edits them (`/manager/sites/:code`): the checks the page shows
//! as the manager types and the server applies before storing, and the conversions between the
//! form ([`SiteSettings`]) and the stored hours ([`OpeningHours`]).
//!
//! A weekday is one opening and one closing time with an optional lunch break inside them.
//! Stored hours with more periods (e.g. a 延时服务 evening right after 17:00) are read as their
//! first opening, last closing and first gap; adjoining periods are one stretch.

use std::collections::{BTreeMap, HashSet};
use std::ops::RangeInclusive;

use super::date::Date;
use super::opening::{format_minutes, parse_hhmm};
use crate::api::{
    AppointmentQueue, Closure, DayHours, DaySchedule, OpeningHours, Period, SiteSettings,
};

/// The appointment queues a site can offer, in display order.
pub const APPOINTMENT_CATEGORIES: [&str; 5] =
    ["户籍身份证", "社保医保", "企业开办", "婚姻登记", "综合业务"];

/// Seats per half-hour slot and queue.
pub const CAPACITY: RangeInclusive<u32> = 1..=200;

/// The longest temporary closure accepted, days.
const MAX_CLOSURE_DAYS: i64 = 366;

const REASON_MAX: usize = 60;
const NOTE_MAX: usize = 200;

const WEEKDAY_NAMES: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn weekday_name(weekday: u8) -> &'static str {
    WEEKDAY_NAMES
        .get(usize::from(weekday.wrapping_sub(1)))
        .copied()
        .unwrap_or("某日")
}

/// `HH:MM` as stored (zero-padded).
fn stored(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The form of stored `hours` for weekday `weekday` (1–7).
fn day_schedule(hours: &OpeningHours, weekday: u8) -> DaySchedule {
    let mut periods: Vec<(u16, u16)> = hours
        .weekly
        .iter()
        .filter(|d| d.weekday == weekday)
        .flat_map(|d| &d.periods)
        .filter_map(|p| Some((parse_hhmm(&p.open)?, parse_hhmm(&p.close)?)))
        .filter(|(open, close)| open < close)
        .collect();
    periods.sort();
    // Adjoining periods are one stretch.
    let mut stretches: Vec<(u16, u16)> = Vec::new();
    for (open, close) in periods {
        match stretches.last_mut() {
            Some(last) if open <= last.1 => last.1 = last.1.max(close),
            _ => stretches.push((open, close)),
        }
    }
    let (Some(first), Some(last)) = (stretches.first(), stretches.last()) else {
        return DaySchedule {
            weekday,
            open: false,
            opens: String::new(),
            closes: String::new(),
            lunch_start: String::new(),
            lunch_end: String::new(),
        };
    };
    let (lunch_start, lunch_end) = match stretches.get(1) {
        Some(second) => (stored(first.1), stored(second.0)),
        None => (String::new(), String::new()),
    };
    DaySchedule {
        weekday,
        open: true,
        opens: stored(first.0),
        closes: stored(last.1),
        lunch_start,
        lunch_end,
    }
}

/// The form of a site's stored hours, items and queues.
pub fn settings_of(
    hours: &OpeningHours,
    items: &[String],
    queues: &[AppointmentQueue],
) -> SiteSettings {
    SiteSettings {
        days: (1..=7).map(|n| day_schedule(hours, n)).collect(),
        open_on_holidays: hours.open_on_holidays,
        note: hours.note.clone().unwrap_or_default(),
        closures: hours.closures.clone(),
        items: items.to_vec(),
        queues: queues.to_vec(),
    }
}

/// The periods of one form day, when its times can be read (else none: the day shows closed
/// in a preview until it is fixed, and [`check_site_settings`] names the problem).
fn periods_of(day: &DaySchedule) -> Vec<Period> {
    if !day.open {
        return Vec::new();
    }
    let (Some(opens), Some(closes)) = (parse_hhmm(day.opens.trim()), parse_hhmm(day.closes.trim()))
    else {
        return Vec::new();
    };
    if opens >= closes {
        return Vec::new();
    }
    let period = |open: u16, close: u16| Period {
        open: stored(open),
        close: stored(close),
    };
    match (
        parse_hhmm(day.lunch_start.trim()),
        parse_hhmm(day.lunch_end.trim()),
    ) {
        (Some(start), Some(end)) if opens < start && start < end && end < closes => {
            vec![period(opens, start), period(end, closes)]
        }
        _ => vec![period(opens, closes)],
    }
}

/// The hours the form stands for: what is stored, and what the preview shows while typing.
pub fn hours_of(settings: &SiteSettings) -> OpeningHours {
    let mut closures: Vec<Closure> = settings
        .closures
        .iter()
        .map(|c| Closure {
            first: c.first.trim().to_string(),
            last: c.last.trim().to_string(),
            reason: c.reason.trim().to_string(),
        })
        .collect();
    closures.sort_by(|a, b| (&a.first, &a.last).cmp(&(&b.first, &b.last)));
    let note = settings.note.trim();
    OpeningHours {
        weekly: settings
            .days
            .iter()
            .map(|day| DayHours {
                weekday: day.weekday,
                periods: periods_of(day),
            })
            .filter(|day| !day.periods.is_empty())
            .collect(),
        open_on_holidays: settings.open_on_holidays,
        note: (!note.is_empty()).then(|| note.to_string()),
        closures,
    }
}

fn time_in(text: &str, what: &str) -> Result<u16, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("请填写{what}（HH:MM，如 09:00）"));
    }
    parse_hhmm(text).ok_or_else(|| format!("{what}“{text}”无效，应为 HH:MM，如 09:00"))
}

fn check_day(i: usize, day: &DaySchedule, problems: &mut BTreeMap<String, String>) {
    if !day.open {
        return;
    }
    let name = weekday_name(day.weekday);
    let key = |field: &str| format!("days.{i}.{field}");
    let opens = time_in(&day.opens, &format!("{name}的开门时间"));
    let closes = time_in(&day.closes, &format!("{name}的关门时间"));
    let (opens, closes) = match (opens, closes) {
        (Ok(opens), Ok(closes)) => (opens, closes),
        (opens, closes) => {
            if let Err(e) = opens {
                problems.insert(key("opens"), e);
            }
            if let Err(e) = closes {
                problems.insert(key("closes"), e);
            }
            return;
        }
    };
    if closes <= opens {
        problems.insert(
            key("closes"),
            format!("{name}的关门时间应晚于开门时间 {}", format_minutes(opens)),
        );
        return;
    }
    let (start, end) = (day.lunch_start.trim(), day.lunch_end.trim());
    if start.is_empty() && end.is_empty() {
        return;
    }
    if start.is_empty() || end.is_empty() {
        let missing = if start.is_empty() {
            "lunch_start"
        } else {
            "lunch_end"
        };
        problems.insert(
            key(missing),
            format!("{name}的午休须同时填写开始和结束时间；没有午休时两项都留空"),
        );
        return;
    }
    let start_at = time_in(start, &format!("{name}的午休开始时间"));
    let end_at = time_in(end, &format!("{name}的午休结束时间"));
    let (start_at, end_at) = match (start_at, end_at) {
        (Ok(s), Ok(e)) => (s, e),
        (s, e) => {
            if let Err(msg) = s {
                problems.insert(key("lunch_start"), msg);
            }
            if let Err(msg) = e {
                problems.insert(key("lunch_end"), msg);
            }
            return;
        }
    };
    if end_at <= start_at {
        problems.insert(
            key("lunch_end"),
            format!(
                "{name}的午休结束时间应晚于开始时间 {}",
                format_minutes(start_at)
            ),
        );
    } else if start_at <= opens || end_at >= closes {
        problems.insert(
            key("lunch_start"),
            format!(
                "{name}的午休 {}–{} 应在营业时间 {}–{} 之内",
                format_minutes(start_at),
                format_minutes(end_at),
                format_minutes(opens),
                format_minutes(closes)
            ),
        );
    }
}

fn check_closure(i: usize, closure: &Closure, problems: &mut BTreeMap<String, String>) {
    let n = i + 1;
    let key = |field: &str| format!("closures.{i}.{field}");
    let date = |text: &str, what: &str| -> Result<Date, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("请填写第 {n} 项临时停止服务的{what}"));
        }
        Date::parse(text).ok_or_else(|| {
            format!("第 {n} 项临时停止服务的{what}“{text}”不是有效日期，应为 YYYY-MM-DD")
        })
    };
    let first = date(&closure.first, "开始日期");
    let last = date(&closure.last, "结束日期");
    match (first, last) {
        (Ok(first), Ok(last)) if last < first => {
            problems.insert(
                key("last"),
                format!(
                    "第 {n} 项临时停止服务的结束日期应不早于开始日期 {}",
                    first.chinese_short()
                ),
            );
        }
        (Ok(first), Ok(last)) if first.days_until(last) + 1 > MAX_CLOSURE_DAYS => {
            problems.insert(
                key("last"),
                format!("第 {n} 项临时停止服务超过 {MAX_CLOSURE_DAYS} 天，请核对结束日期"),
            );
        }
        (first, last) => {
            if let Err(e) = first {
                problems.insert(key("first"), e);
            }
            if let Err(e) = last {
                problems.insert(key("last"), e);
            }
        }
    }
    let reason = closure.reason.trim();
    if reason.is_empty() {
        problems.insert(
            key("reason"),
            format!("请填写第 {n} 项临时停止服务的原因，例如 系统升级，暂停对外服务"),
        );
    } else if reason.chars().count() > REASON_MAX {
        problems.insert(
            key("reason"),
            format!("第 {n} 项临时停止服务的原因不超过 {REASON_MAX} 个字"),
        );
    }
}

/// Every problem with `settings`, by field (see [`SiteSettings`] for the keys); each message
/// is a Chinese sentence naming the field. `item_exists` says whether an item code is in the
/// catalog.
pub fn check_site_settings(
    settings: &SiteSettings,
    item_exists: impl Fn(&str) -> bool,
) -> Result<(), BTreeMap<String, String>> {
    let mut problems = BTreeMap::new();
    let weekdays: Vec<u8> = settings.days.iter().map(|d| d.weekday).collect();
    if weekdays != [1, 2, 3, 4, 5, 6, 7] {
        problems.insert(
            "days".into(),
            "营业时间应依次列出周一至周日，每天一项".into(),
        );
    } else {
        for (i, day) in settings.days.iter().enumerate() {
            check_day(i, day, &mut problems);
        }
    }
    if settings.note.trim().chars().count() > NOTE_MAX {
        problems.insert("note".into(), format!("办公时间说明不超过 {NOTE_MAX} 个字"));
    }
    for (i, closure) in settings.closures.iter().enumerate() {
        check_closure(i, closure, &mut problems);
    }
    let mut seen = HashSet::new();
    if settings.items.is_empty() {
        problems.insert("items".into(), "请至少选择一项可办理的事项".into());
    }
    let unknown: Vec<&str> = settings
        .items
        .iter()
        .map(|code| code.trim())
        .filter(|code| !item_exists(code))
        .collect();
    let repeated: Vec<&str> = settings
        .items
        .iter()
        .map(|code| code.trim())
        .filter(|code| !seen.insert(*code))
        .collect();
    if !unknown.is_empty() {
        problems.insert(
            "items".into(),
            format!("可办理的事项中没有这些编码的事项：{}", unknown.join("、")),
        );
    } else if !repeated.is_empty() {
        problems.insert(
            "items".into(),
            format!("可办理的事项重复：{}", repeated.join("、")),
        );
    }
    let mut categories = HashSet::new();
    for (i, queue) in settings.queues.iter().enumerate() {
        let category = queue.category.trim();
        if !APPOINTMENT_CATEGORIES.contains(&category) {
            problems.insert(
                format!("queues.{i}.category"),
                format!(
                    "预约类别“{category}”无效，应为 {}",
                    APPOINTMENT_CATEGORIES.join("、")
                ),
            );
        } else if !categories.insert(category) {
            problems.insert(
                format!("queues.{i}.category"),
                format!("预约类别“{category}”重复"),
            );
        }
        if !CAPACITY.contains(&queue.capacity) {
            problems.insert(
                format!("queues.{i}.capacity"),
                format!(
                    "“{category}”每个时段的可预约人数应为 {}–{} 人",
                    CAPACITY.start(),
                    CAPACITY.end()
                ),
            );
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::opening::{closure_notice, days_ahead, open_state};
    use crate::rules::workdays::HolidayCalendar;

    fn day(weekday: u8, times: Option<(&str, &str, &str, &str)>) -> DaySchedule {
        let (opens, closes, lunch_start, lunch_end) = times.unwrap_or_default();
        DaySchedule {
            weekday,
            open: times.is_some(),
            opens: opens.into(),
            closes: closes.into(),
            lunch_start: lunch_start.into(),
            lunch_end: lunch_end.into(),
        }
    }

    fn form() -> SiteSettings {
        let weekday = Some(("09:00", "17:00", "12:00", "13:30"));
        SiteSettings {
            days: (1..=7)
                .map(|n| match n {
                    1..=5 => day(n, weekday),
                    6 => day(6, Some(("09:00", "12:00", "", ""))),
                    _ => day(7, None),
                })
                .collect(),
            open_on_holidays: false,
            note: String::new(),
            closures: vec![Closure {
                first: "2026-12-07".into(),
                last: "2026-12-08".into(),
                reason: "系统升级，暂停对外服务".into(),
            }],
            items: vec!["SFQ-GA-0001".into()],
            queues: vec![AppointmentQueue {
                category: "综合业务".into(),
                capacity: 4,
            }],
        }
    }

    fn known(code: &str) -> bool {
        code.starts_with("SFQ-")
    }

    #[test]
    fn a_good_form_passes_and_round_trips() {
        let settings = form();
        assert_eq!(check_site_settings(&settings, known), Ok(()));
        let hours = hours_of(&settings);
        assert_eq!(hours.weekly.len(), 6, "Sunday closed");
        assert_eq!(
            hours.weekly[0].periods,
            vec![
                Period {
                    open: "09:00".into(),
                    close: "12:00".into()
                },
                Period {
                    open: "13:30".into(),
                    close: "17:00".into()
                },
            ]
        );
        assert_eq!(hours.weekly[5].periods.len(), 1);
        let back = settings_of(&hours, &settings.items, &settings.queues);
        assert_eq!(back, settings);
    }

    #[test]
    fn adjoining_periods_read_as_one_stretch() {
        let hours = OpeningHours {
            weekly: vec![DayHours {
                weekday: 3,
                periods: vec![
                    Period {
                        open: "09:00".into(),
                        close: "12:00".into(),
                    },
                    Period {
                        open: "13:30".into(),
                        close: "17:00".into(),
                    },
                    Period {
                        open: "17:00".into(),
                        close: "19:00".into(),
                    },
                ],
            }],
            open_on_holidays: false,
            note: None,
            closures: Vec::new(),
        };
        let wednesday = &settings_of(&hours, &[], &[]).days[2];
        assert_eq!(
            (wednesday.opens.as_str(), wednesday.closes.as_str()),
            ("09:00", "19:00")
        );
        assert_eq!(
            (wednesday.lunch_start.as_str(), wednesday.lunch_end.as_str()),
            ("12:00", "13:30")
        );
    }

    #[test]
    fn mistakes_are_named_by_field() {
        let mut bad = form();
        bad.days[5] = day(6, Some(("12:00", "09:00", "", "")));
        bad.days[0] = day(1, Some(("09:00", "17:00", "08:00", "13:00")));
        bad.days[1] = day(2, Some(("09:00", "17:00", "12:00", "")));
        bad.days[2] = day(3, Some(("9:00", "", "", "")));
        bad.closures[0].last = "2026-12-01".into();
        bad.closures.push(Closure {
            first: String::new(),
            last: "2026-12-20".into(),
            reason: " ".into(),
        });
        bad.items.push("NOPE-1".into());
        bad.queues.push(AppointmentQueue {
            category: "综合业务".into(),
            capacity: 0,
        });
        let problems = check_site_settings(&bad, known).unwrap_err();
        let says = |key: &str, part: &str| {
            let message = problems
                .get(key)
                .unwrap_or_else(|| panic!("{key}: {problems:?}"));
            assert!(message.contains(part), "{key}: {message}");
        };
        says("days.5.closes", "周六的关门时间应晚于开门时间 12:00");
        says(
            "days.0.lunch_start",
            "周一的午休 8:00–13:00 应在营业时间 9:00–17:00 之内",
        );
        says("days.1.lunch_end", "同时填写");
        says("days.2.opens", "周三的开门时间“9:00”无效");
        says("days.2.closes", "请填写周三的关门时间");
        says("closures.0.last", "结束日期应不早于开始日期 12月7日");
        says("closures.1.first", "请填写第 2 项临时停止服务的开始日期");
        says("closures.1.reason", "原因");
        says("items", "NOPE-1");
        says("queues.1.category", "重复");
        says("queues.1.capacity", "1–200");
        assert!(!problems.contains_key("days.3.opens"));
        // A closed day's times are not checked.
        let mut closed = form();
        closed.days[6] = DaySchedule {
            open: false,
            opens: "bad".into(),
            ..closed.days[6].clone()
        };
        assert_eq!(check_site_settings(&closed, known), Ok(()));
        let mut none = form();
        none.items.clear();
        none.days.pop();
        let problems = check_site_settings(&none, known).unwrap_err();
        assert!(problems["items"].contains("至少"));
        assert!(problems["days"].contains("周一至周日"));
        none = form();
        none.queues[0].capacity = 201;
        assert!(
            check_site_settings(&none, known).unwrap_err()["queues.0.capacity"].contains("200")
        );
    }

    #[test]
    fn the_week_ahead_shows_closures_lunch_and_holidays() {
        let calendar = HolidayCalendar::official();
        let hours = hours_of(&form());
        // From Friday 2026-12-04: Saturday morning, Sunday closed, Monday and Tuesday closed
        // for the upgrade, then the usual lunch break.
        let week = days_ahead(&hours, calendar, Date::parse("2026-12-04").unwrap(), 7);
        let words: Vec<(&str, bool, &str)> = week
            .iter()
            .map(|d| (d.date.as_str(), d.open, d.hours.as_str()))
            .collect();
        assert_eq!(
            words,
            [
                ("2026-12-04", true, "9:00–12:00，13:30–17:00"),
                ("2026-12-05", true, "9:00–12:00"),
                ("2026-12-06", false, "休息（周日）"),
                ("2026-12-07", false, "暂停服务（系统升级，暂停对外服务）"),
                ("2026-12-08", false, "暂停服务（系统升级，暂停对外服务）"),
                ("2026-12-09", true, "9:00–12:00，13:30–17:00"),
                ("2026-12-10", true, "9:00–12:00，13:30–17:00"),
            ]
        );
        let state = open_state(&hours, calendar, Date::parse("2026-12-07").unwrap(), 600).unwrap();
        assert!(!state.open_now);
        assert!(state.today_periods.is_empty());
        assert_eq!(
            state.closed_reason.as_deref(),
            Some("临时停止服务：系统升级，暂停对外服务")
        );
        assert_eq!(state.next_open.as_deref(), Some("后天 9:00"));
        // Announced two weeks ahead, and while it runs; not after.
        let notice = |d: &str| closure_notice(&hours, Date::parse(d).unwrap());
        assert_eq!(notice("2026-11-22"), None);
        assert_eq!(
            notice("2026-11-23").as_deref(),
            Some("临时停止服务 12月7日至12月8日：系统升级，暂停对外服务")
        );
        assert!(notice("2026-12-08").is_some());
        assert_eq!(notice("2026-12-09"), None);
        // A closure holds in a year whose holidays are not published yet.
        let mut later = form();
        later.closures[0].first = "2027-03-01".into();
        later.closures[0].last = "2027-03-01".into();
        let week = days_ahead(
            &hours_of(&later),
            calendar,
            Date::parse("2027-03-01").unwrap(),
            2,
        );
        assert_eq!(week[0].hours, "暂停服务（系统升级，暂停对外服务）");
        assert!(week[1].hours.contains("节假日安排未公布"));
    }
}
