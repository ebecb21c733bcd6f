//! A newly published year of holidays as a manager enters it (`/manager/calendar`): the checks
//! the page shows as the manager types and the server applies before storing, and the
//! conversions between that form ([`HolidayYear`]) and the working-day calendar.
//!
//! A typo here silently moves every due date of the year, so the checks are strict: every date
//! inside the year, each range in order and at most a month long, no two ranges overlapping,
//! 调休上班 days on a Saturday or Sunday and not inside a rest range, and the notice named.

use std::collections::BTreeMap;

use super::date::Date;
use super::workdays::HolidayCalendar;
use crate::api::{HolidayRange, HolidayYear};

/// The years a manager may enter: the schedule is published each November for the next year.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The longest 放假 range accepted (the longest ever published is 9 days; a month catches a
/// typo in the month without refusing anything real).
const MAX_RANGE_DAYS: i64 = 31;

fn parse_in(text: &str, year: i32, what: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("请填写{what}"));
    }
    let date =
        Date::parse(text).ok_or_else(|| format!("{what}“{text}”不是有效日期，应为 YYYY-MM-DD"))?;
    if date.year != year {
        return Err(format!("{what} {date} 不在{year}年内"));
    }
    Ok(date)
}

/// Every problem with `entered`, by field: `year`, `notice_number`, `notice_title`, `holidays`,
/// `holidays.N.name`, `holidays.N.first`, `holidays.N.last` and `work_days.N` (N from 0). Each
/// message is a Chinese sentence naming what is wrong.
pub fn check_holiday_year(entered: &HolidayYear) -> Result<(), BTreeMap<String, String>> {
    let mut problems = BTreeMap::new();
    let year = entered.year;
    if !YEARS.contains(&year) {
        problems.insert(
            "year".into(),
            format!("年份应在 {}–{} 之间", YEARS.start(), YEARS.end()),
        );
        return Err(problems);
    }
    if entered.notice_number.trim().is_empty() {
        problems.insert(
            "notice_number".into(),
            "请填写通知文号，例如 国办发明电〔2026〕7号".into(),
        );
    }
    if entered.notice_title.trim().is_empty() {
        problems.insert(
            "notice_title".into(),
            format!("请填写通知标题，例如 国务院办公厅关于{year}年部分节假日安排的通知"),
        );
    }
    if entered.holidays.is_empty() {
        problems.insert("holidays".into(), "请至少填写一项放假安排".into());
    }
    let mut ranges: Vec<(usize, Date, Date)> = Vec::new();
    for (i, holiday) in entered.holidays.iter().enumerate() {
        let n = i + 1;
        if holiday.name.trim().is_empty() {
            problems.insert(
                format!("holidays.{i}.name"),
                format!("请填写第 {n} 项放假安排的节日名称"),
            );
        }
        let first = parse_in(&holiday.first, year, &format!("第 {n} 项的放假开始日期"));
        let last = parse_in(&holiday.last, year, &format!("第 {n} 项的放假结束日期"));
        if let Err(e) = &first {
            problems.insert(format!("holidays.{i}.first"), e.clone());
        }
        if let Err(e) = &last {
            problems.insert(format!("holidays.{i}.last"), e.clone());
        }
        let (Ok(first), Ok(last)) = (first, last) else {
            continue;
        };
        if last < first {
            problems.insert(
                format!("holidays.{i}.last"),
                format!("第 {n} 项的放假结束日期 {last} 早于开始日期 {first}"),
            );
            continue;
        }
        if first.days_until(last) + 1 > MAX_RANGE_DAYS {
            problems.insert(
                format!("holidays.{i}.last"),
                format!("第 {n} 项放假超过 {MAX_RANGE_DAYS} 天，请检查日期"),
            );
            continue;
        }
        if let Some((j, ..)) = ranges.iter().find(|(_, f, l)| first <= *l && *f <= last) {
            problems.insert(
                format!("holidays.{i}.first"),
                format!("第 {n} 项与第 {} 项的放假日期重叠", j + 1),
            );
            continue;
        }
        ranges.push((i, first, last));
    }
    let mut seen = Vec::new();
    for (i, text) in entered.work_days.iter().enumerate() {
        let n = i + 1;
        let field = format!("work_days.{i}");
        let date = match parse_in(text, year, &format!("第 {n} 个调休上班日")) {
            Ok(date) => date,
            Err(e) => {
                problems.insert(field, e);
                continue;
            }
        };
        if !date.weekday().is_weekend() {
            problems.insert(
                field,
                format!(
                    "调休上班日 {date} 是{}，应为周六或周日（周一至周五本来就上班）",
                    date.weekday().chinese()
                ),
            );
        } else if let Some((j, ..)) = ranges.iter().find(|(_, f, l)| *f <= date && date <= *l) {
            problems.insert(
                field,
                format!("调休上班日 {date} 在第 {} 项的放假日期之内", j + 1),
            );
        } else if seen.contains(&date) {
            problems.insert(field, format!("调休上班日 {date} 填写了两次"));
        }
        seen.push(date);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Sets the year of `entered` (already checked) in `calendar`, replacing what it had.
pub fn apply(calendar: &mut HolidayCalendar, entered: &HolidayYear) {
    let mut off = Vec::new();
    for holiday in &entered.holidays {
        let (Some(mut day), Some(last)) = (
            Date::parse(holiday.first.trim()),
            Date::parse(holiday.last.trim()),
        ) else {
            continue;
        };
        while day <= last {
            off.push((day, holiday.name.trim().to_string()));
            day = day.succ();
        }
    }
    let work = entered
        .work_days
        .iter()
        .filter_map(|d| Date::parse(d.trim()));
    calendar.set_year(entered.year, off, work);
}

/// The schedule of `year` in `calendar` as ranges (consecutive rest days of one holiday form
/// one range), with the notice it came from.
pub fn from_calendar(
    calendar: &HolidayCalendar,
    year: i32,
    notice_number: &str,
    notice_title: &str,
) -> Option<HolidayYear> {
    let (off, work) = calendar.year_schedule(year)?;
    let mut holidays: Vec<HolidayRange> = Vec::new();
    let mut last_day: Option<Date> = None;
    for (day, name) in off {
        match holidays.last_mut() {
            Some(range) if range.name == name && last_day.is_some_and(|d| d.succ() == day) => {
                range.last = day.to_string();
            }
            _ => holidays.push(HolidayRange {
                name,
                first: day.to_string(),
                last: day.to_string(),
            }),
        }
        last_day = Some(day);
    }
    Some(HolidayYear {
        year,
        notice_number: notice_number.to_string(),
        notice_title: notice_title.to_string(),
        holidays,
        work_days: work.iter().map(Date::to_string).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(name: &str, first: &str, last: &str) -> HolidayRange {
        HolidayRange {
            name: name.into(),
            first: first.into(),
            last: last.into(),
        }
    }

    fn year_2027() -> HolidayYear {
        HolidayYear {
            year: 2027,
            notice_number: "国办发明电〔2026〕7号".into(),
            notice_title: "国务院办公厅关于2027年部分节假日安排的通知".into(),
            holidays: vec![
                range("元旦", "2027-01-01", "2027-01-03"),
                range("春节", "2027-02-06", "2027-02-13"),
            ],
            work_days: vec!["2027-02-20".into()],
        }
    }

    #[test]
    fn a_good_year_passes_and_counts() {
        let entered = year_2027();
        assert_eq!(check_holiday_year(&entered), Ok(()));
        let mut calendar = HolidayCalendar::official().clone();
        apply(&mut calendar, &entered);
        let d = |s| Date::parse(s).unwrap();
        assert!(
            !calendar.is_working_day(d("2027-02-08")).unwrap(),
            "春节 Monday"
        );
        assert!(
            calendar.is_working_day(d("2027-02-20")).unwrap(),
            "调休 Saturday"
        );
        assert!(calendar.is_working_day(d("2027-03-01")).unwrap());
        // Back to ranges exactly as entered.
        let again = from_calendar(
            &calendar,
            2027,
            &entered.notice_number,
            &entered.notice_title,
        );
        assert_eq!(again, Some(entered));
        // The shipped years read as ranges too.
        let official = from_calendar(HolidayCalendar::official(), 2026, "", "").unwrap();
        assert_eq!(
            official.holidays[1],
            range("春节", "2026-02-15", "2026-02-23")
        );
    }

    #[test]
    fn every_problem_is_named_on_its_field() {
        let mut entered = year_2027();
        entered.notice_number = " ".into();
        entered.notice_title = String::new();
        entered.holidays = vec![
            range("", "2027-01-01", "2027-01-03"),
            range("春节", "2027-01-03", "2027-01-05"),
            range("清明节", "2026-04-04", "2027-04-06"),
            range("劳动节", "2027-05-05", "2027-05-01"),
            range("国庆节", "2027-10-01", "2027-12-31"),
            range("端午节", "2027-06-31", "2027-06-09"),
        ];
        entered.work_days = vec![
            "2027-02-19".into(),
            "2027-01-02".into(),
            "2027-02-20".into(),
            "2027-02-20".into(),
            "2028-01-08".into(),
        ];
        let problems = check_holiday_year(&entered).unwrap_err();
        let says = |field: &str, words: &str| {
            let message = problems
                .get(field)
                .unwrap_or_else(|| panic!("{field}: {problems:?}"));
            assert!(message.contains(words), "{field}: {message}");
        };
        says("notice_number", "文号");
        says("notice_title", "标题");
        says("holidays.0.name", "节日名称");
        says("holidays.1.first", "重叠");
        says("holidays.2.first", "不在2027年内");
        says("holidays.3.last", "早于");
        says("holidays.4.last", "超过");
        says("holidays.5.first", "不是有效日期");
        says("work_days.0", "周五");
        says("work_days.1", "放假日期之内");
        says("work_days.3", "两次");
        says("work_days.4", "不在2027年内");
        assert!(!problems.contains_key("work_days.2"));
        let none = HolidayYear {
            holidays: Vec::new(),
            ..year_2027()
        };
        assert!(check_holiday_year(&none)
            .unwrap_err()
            .contains_key("holidays"));
        let far = HolidayYear {
            year: 1999,
            ..year_2027()
        };
        assert!(check_holiday_year(&far).unwrap_err().contains_key("year"));
    }
}
