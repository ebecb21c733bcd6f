//! The wall clock: Unix seconds, RFC 3339 UTC text, Beijing dates, and an ordering sequence.
//!
//! Timestamps are stored as RFC 3339 UTC text of one fixed shape (`2026-11-25T01:21:34Z`), which
//! sorts and compares correctly as plain text on both databases, so no SQL date function is
//! ever needed. Deadlines are Beijing dates, because that is the day printed on a 受理回执.
//!
//! [`Clock`] is the server's own clock for decisions that depend on the time of day (the 受理日
//! of a submission): the system clock, unless a test pins it to a moment.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use app::rules::date::Date;
use app::rules::opening::parse_hhmm;

use crate::error::{AppError, AppResult};
use crate::params::Params;

/// Seconds since 1970-01-01T00:00:00Z.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The clock of one server: the system time, or a pinned moment (tests). Clones share it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Pinned Unix seconds; 0 (never a moment the server runs at) means the system clock.
    pinned: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// Makes every later reading answer `secs` (Unix seconds); for tests.
    pub fn pin(&self, secs: i64) {
        self.pinned.store(secs, Ordering::Relaxed);
    }

    /// Seconds since the epoch: the pinned moment, else the system's.
    pub fn now_unix(&self) -> i64 {
        match self.pinned.load(Ordering::Relaxed) {
            0 => now_unix(),
            pinned => pinned,
        }
    }
}

/// `2026-11-25T01:21:34Z`.
pub fn rfc3339(secs: i64) -> String {
    let date = Date::from_unix_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// The current time as stored text.
pub fn now_text() -> String {
    rfc3339(now_unix())
}

/// Today's date in Beijing.
pub fn today_beijing() -> Date {
    Date::from_unix_seconds_beijing(now_unix())
}

/// A moment as people in China read it: `2026年11月25日 09:36`.
pub fn beijing_minute(secs: i64) -> String {
    let local = secs + 8 * 3600;
    let s = local.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        Date::from_unix_days(local.div_euclid(86_400)).chinese_long(),
        s / 3600,
        s % 3600 / 60
    )
}

/// Reads back [`clock::rfc3339`]'s fixed shape.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let date = Date::parse(text.get(..10)?)?;
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let part = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    Some(date.to_unix_days() * 86_400 + part(11..13)? * 3600 + part(14..16)? * 60 + part(17..19)?)
}

static LAST_SEQ: AtomicI64 = AtomicI64::new(0);

/// A strictly increasing number (microseconds since the epoch, nudged forward on ties) that
/// orders rows written within the same second: a timeline whose submit and return happened in
/// one second must still read in the right order.
pub fn next_seq() -> i64 {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64);
    let mut last = LAST_SEQ.load(Ordering::Relaxed);
    loop {
        let next = micros.max(last + 1);
        match LAST_SEQ.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(seen) => last = seen,
        }
    }
}

/// A moment in Beijing time: the date and the minute of the day (0–1439).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub date: Date,
    pub minute: u16,
}

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

impl Moment {
    /// The moment `secs` seconds after the Unix epoch.
    pub fn from_unix(secs: i64) -> Moment {
        let local = secs + BEIJING_OFFSET_SECS;
        Moment {
            date: Date::from_unix_seconds_beijing(secs),
            minute: (local.rem_euclid(86_400) / 60) as u16,
        }
    }

    pub fn now() -> Moment {
        Moment::from_unix(now_unix())
    }

    /// `YYYY-MM-DDTHH:MM` (a space instead of the `T` is accepted too).
    pub fn parse(text: &str) -> Option<Moment> {
        let (date, time) = text.split_once(['T', ' '])?;
        let minute = parse_hhmm(time).filter(|&m| m < 24 * 60)?;
        Some(Moment {
            date: Date::parse(date)?,
            minute,
        })
    }

    /// The `at` query parameter if given (for checking the map at another moment, and for
    /// tests), else now.
    pub fn from_params(params: &Params) -> AppResult<Moment> {
        match params.text("at", "查询时刻", 20)? {
            None => Ok(Moment::now()),
            Some(text) => Moment::parse(&text).ok_or_else(|| {
                AppError::bad_param(
                    "at",
                    format!("查询时刻（参数 at）“{text}”无效，应为北京时间 YYYY-MM-DDTHH:MM，例如 2026-10-10T10:00"),
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc_and_beijing() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_570_894), "2026-11-25T01:41:34Z");
        assert_eq!(beijing_minute(1_795_570_894), "2026年11月25日 09:41");
        // 23:30 UTC is already the next day in Beijing.
        assert_eq!(
            Date::from_unix_seconds_beijing(1_795_563_000).to_string(),
            "2026-11-25"
        );
    }

    #[test]
    fn round_trips_stored_time() {
        assert_eq!(parse_rfc3339(&rfc3339(1_795_570_894)), Some(1_795_570_894));
        assert_eq!(parse_rfc3339("2026-11-25"), None);
    }

    #[test]
    fn a_pinned_clock_is_shared_by_its_clones() {
        let clock = Clock::system();
        assert!((clock.now_unix() - now_unix()).abs() <= 1);
        let clone = clock.clone();
        clock.pin(1_795_570_894);
        assert_eq!(clone.now_unix(), 1_795_570_894);
    }

    #[test]
    fn sequence_strictly_increases() {
        let a = next_seq();
        let b = next_seq();
        assert!(b > a);
    }
}
