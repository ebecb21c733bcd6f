//! A small civil (calendar) date, enough for ID-card birth dates and working-day arithmetic.
//!
//! The crate must build for wasm32 without a date library, and the rules only ever need whole days
//! in the proleptic Gregorian calendar, so dates are plain year/month/day triples converted to a
//! day count (days since 1970-01-01) for arithmetic, using Howard Hinnant's days-from-civil
//! algorithms. There is no clock here: callers pass "today" in.

use std::fmt;

/// A calendar date. Field order makes the derived `Ord` chronological.
///
/// Build it with [`Date::new`] or [`Date::parse`], which reject impossible dates; the fields are
/// public for reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Day of the week, Monday first as on Chinese calendars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// `周一` … `周日`.
    pub fn chinese(self) -> &'static str {
        match self {
            Weekday::Mon => "周一",
            Weekday::Tue => "周二",
            Weekday::Wed => "周三",
            Weekday::Thu => "周四",
            Weekday::Fri => "周五",
            Weekday::Sat => "周六",
            Weekday::Sun => "周日",
        }
    }

    /// Saturday or Sunday.
    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }
}

/// Seconds Beijing time (UTC+8, no daylight saving) is ahead of UTC.
const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, or `None` when it does not exist (month 13, 30 February, 29 February 2025 …).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (zero-padded, nothing around it), as used on the wire and in
    /// the holiday file; anything looser is refused so that bad data fails loudly.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(0..4)? as i32;
        let month = digits(5..7)? as u8;
        let day = digits(8..10)? as u8;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01. Years are truncated to `i32`, far beyond any date
    /// this product handles.
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today's date in Beijing time from a Unix timestamp in seconds.
    ///
    /// Deadlines and birth dates are Beijing dates; taking the UTC date instead would make
    /// "today" lag a day between 00:00 and 08:00 in China.
    pub fn from_unix_seconds_beijing(secs: i64) -> Date {
        Date::from_unix_days((secs + BEIJING_OFFSET_SECS).div_euclid(86_400))
    }

    pub fn add_days(self, days: i32) -> Date {
        Date::from_unix_days(self.to_unix_days() + i64::from(days))
    }

    /// The next day.
    pub fn succ(self) -> Date {
        self.add_days(1)
    }

    /// The previous day.
    pub fn pred(self) -> Date {
        self.add_days(-1)
    }

    /// Calendar days from `self` to `other`: positive when `other` is later.
    pub fn days_until(self, other: Date) -> i64 {
        other.to_unix_days() - self.to_unix_days()
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3 counting from Monday = 0).
        Weekday::ALL[(self.to_unix_days() + 3).rem_euclid(7) as usize]
    }

    /// `2月24日`.
    pub fn chinese_short(self) -> String {
        format!("{}月{}日", self.month, self.day)
    }

    /// `2026年2月24日`.
    pub fn chinese_long(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

/// `YYYY-MM-DD`, the wire format.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn new_validates_months_days_and_leap_years() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2026, 4, 31).is_none());
        assert!(Date::new(2026, 12, 31).is_some());
        assert!(Date::new(2026, 13, 1).is_none());
        assert!(Date::new(2026, 0, 1).is_none());
        assert!(Date::new(2026, 1, 0).is_none());
    }

    #[test]
    fn parse_is_strict() {
        assert_eq!(
            d("2026-02-24"),
            Date {
                year: 2026,
                month: 2,
                day: 24
            }
        );
        for bad in [
            "2026-2-24",
            "2026/02/24",
            "20260224",
            " 2026-02-24",
            "2026-02-24 ",
            "2026-02-30",
            "2026-00-10",
            "+026-02-24",
            "2026-0a-24",
            "",
            "２０２６-02-24",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips_through_parse() {
        for s in ["2026-02-24", "1900-01-01", "0999-12-31", "2000-02-29"] {
            assert_eq!(d(s).to_string(), s);
        }
    }

    #[test]
    fn unix_days_match_known_values() {
        assert_eq!(d("1970-01-01").to_unix_days(), 0);
        assert_eq!(d("1970-01-02").to_unix_days(), 1);
        assert_eq!(d("1969-12-31").to_unix_days(), -1);
        assert_eq!(d("2000-03-01").to_unix_days(), 11_017);
        assert_eq!(d("2026-01-01").to_unix_days(), 20_454);
        assert_eq!(Date::from_unix_days(20_454), d("2026-01-01"));
        assert_eq!(Date::from_unix_days(-719_468), d("0000-03-01"));
    }

    #[test]
    fn unix_days_round_trip_over_centuries() {
        // Every day from 1600 to 2400 covers all leap-year rules, including 2000 and 2100.
        let mut date = d("1600-01-01");
        let mut days = date.to_unix_days();
        while date.year < 2400 {
            assert_eq!(Date::from_unix_days(days), date);
            assert_eq!(date.to_unix_days(), days);
            let next = if date.day < days_in_month(date.year, date.month) {
                Date {
                    day: date.day + 1,
                    ..date
                }
            } else if date.month < 12 {
                Date {
                    month: date.month + 1,
                    day: 1,
                    ..date
                }
            } else {
                Date {
                    year: date.year + 1,
                    month: 1,
                    day: 1,
                }
            };
            assert_eq!(date.succ(), next);
            date = next;
            days += 1;
        }
    }

    #[test]
    fn add_days_crosses_months_years_and_leap_days() {
        assert_eq!(d("2025-12-31").succ(), d("2026-01-01"));
        assert_eq!(d("2024-02-28").succ(), d("2024-02-29"));
        assert_eq!(d("2025-02-28").succ(), d("2025-03-01"));
        assert_eq!(d("2026-03-01").pred(), d("2026-02-28"));
        assert_eq!(d("2026-02-13").add_days(11), d("2026-02-24"));
        assert_eq!(d("2026-02-24").add_days(-11), d("2026-02-13"));
        assert_eq!(d("2026-01-01").add_days(365), d("2027-01-01"));
        assert_eq!(d("2026-05-05").add_days(0), d("2026-05-05"));
    }

    #[test]
    fn days_until_is_signed() {
        assert_eq!(d("2026-02-13").days_until(d("2026-02-24")), 11);
        assert_eq!(d("2026-02-24").days_until(d("2026-02-13")), -11);
        assert_eq!(d("2024-01-01").days_until(d("2025-01-01")), 366);
        assert_eq!(d("2026-02-13").days_until(d("2026-02-13")), 0);
    }

    #[test]
    fn weekdays_are_right() {
        assert_eq!(d("1970-01-01").weekday(), Weekday::Thu);
        assert_eq!(d("2026-02-13").weekday(), Weekday::Fri);
        assert_eq!(d("2026-02-14").weekday(), Weekday::Sat);
        assert_eq!(d("2026-02-15").weekday(), Weekday::Sun);
        assert_eq!(d("2026-02-16").weekday(), Weekday::Mon);
        assert_eq!(d("2026-10-01").weekday(), Weekday::Thu);
        assert_eq!(d("2025-01-01").weekday(), Weekday::Wed);
        assert_eq!(d("1949-10-01").weekday(), Weekday::Sat);
        assert_eq!(d("1969-12-31").weekday(), Weekday::Wed);
    }

    #[test]
    fn weekday_names_and_weekend() {
        let names: Vec<_> = Weekday::ALL.iter().map(|w| w.chinese()).collect();
        assert_eq!(
            names,
            ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        );
        let weekend: Vec<_> = Weekday::ALL
            .into_iter()
            .filter(|w| w.is_weekend())
            .collect();
        assert_eq!(weekend, [Weekday::Sat, Weekday::Sun]);
    }

    #[test]
    fn chinese_formats_drop_leading_zeros() {
        assert_eq!(d("2026-02-24").chinese_short(), "2月24日");
        assert_eq!(d("2026-02-24").chinese_long(), "2026年2月24日");
        assert_eq!(d("2026-10-01").chinese_long(), "2026年10月1日");
    }

    #[test]
    fn ordering_is_chronological() {
        assert!(d("2025-12-31") < d("2026-01-01"));
        assert!(d("2026-01-31") < d("2026-02-01"));
        assert!(d("2026-02-01") < d("2026-02-02"));
    }

    #[test]
    fn beijing_today_from_unix_seconds() {
        // 2026-02-23T16:00:00Z is midnight 2026-02-24 in Beijing.
        let midnight_beijing = d("2026-02-24").to_unix_days() * 86_400 - 8 * 3600;
        assert_eq!(
            Date::from_unix_seconds_beijing(midnight_beijing),
            d("2026-02-24")
        );
        assert_eq!(
            Date::from_unix_seconds_beijing(midnight_beijing - 1),
            d("2026-02-23")
        );
        assert_eq!(Date::from_unix_seconds_beijing(0), d("1970-01-01"));
    }
}
