//! 统计指标: the figures of `api::stats` computed from the facts of each case, the checks of a
//! requested period, and how a figure is written for people. The server loads the facts with
//! one bounded query; the same definitions are shown to managers next to every value.

use crate::api::{
    CaseStatus, Figure, FigureKey, FigureUnit, Figures, Handling, OnlineLevel, StatusCount, Warning,
};

use super::date::{days_in_month, Date};
use super::workdays::HolidayCalendar;

/// The longest period one request may ask for (two years and a day, leap day included).
pub const MAX_PERIOD_DAYS: i64 = 732;

/// What the figures need of one case accepted in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    pub department: String,
    pub status: CaseStatus,
    /// The Beijing date it was (last) submitted: the month it counts in.
    pub submitted_on: Date,
    /// The 受理日 (an after-hours submission counts from the next working day); `None` when
    /// the calendar of that year is not loaded.
    pub accepted_on: Option<Date>,
    pub due: Option<Date>,
    /// The Beijing date of 已办结 or 不予受理.
    pub decided_on: Option<Date>,
    /// How often it was returned for 补正.
    pub returns: i64,
    pub item: ItemFacts,
    pub rating: Option<RatingFacts>,
    /// The due-date warning today, while it is still with the department.
    pub warning: Option<Warning>,
}

/// What the figures need of the item a case was filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub handling: Handling,
    pub online_level: OnlineLevel,
    pub visits: u8,
    pub promised_days: u32,
    pub statutory_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingFacts {
    /// 差评 (不满意, 非常不满意).
    pub bad: bool,
    pub rated_on: Date,
    /// When the manager answered a 差评 with its 整改.
    pub rectified_on: Option<Date>,
}

#[derive(Default, Clone, Copy)]
struct Ratio {
    numerator: i64,
    denominator: i64,
}

impl Ratio {
    fn count(&mut self, hit: bool) {
        self.numerator += i64::from(hit);
        self.denominator += 1;
    }

    fn add(&mut self, numerator: i64, denominator: i64) {
        self.numerator += numerator;
        self.denominator += denominator;
    }
}

/// One figure from its parts.
pub fn figure(key: FigureKey, numerator: i64, denominator: i64) -> Figure {
    Figure {
        key,
        label: key.label().to_string(),
        definition: key.definition().to_string(),
        unit: key.unit(),
        numerator,
        denominator,
        value: (denominator != 0).then(|| numerator as f64 / denominator as f64),
    }
}

/// The figures of `cases`; `items` are the scope's catalog items (for 承诺时限压缩比, a
/// property of the catalog rather than of cases).
pub fn figures(cases: &[&CaseFacts], items: &[ItemFacts], calendar: &HolidayCalendar) -> Figures {
    let mut parts = [Ratio::default(); FigureKey::ALL.len()];
    let slot = |key: FigureKey| FigureKey::ALL.iter().position(|k| *k == key).unwrap_or(0);
    let mut by_status: Vec<StatusCount> = STATUS_ORDER
        .iter()
        .map(|s| StatusCount {
            status: *s,
            count: 0,
        })
        .collect();
    let (mut red, mut yellow, mut decided) = (0, 0, 0);
    let working = |from: Date, to: Date| calendar.working_days_between(from, to).ok();

    for case in cases {
        if let Some(entry) = by_status.iter_mut().find(|e| e.status == case.status) {
            entry.count += 1;
        }
        match case.warning {
            Some(Warning::Red) => red += 1,
            Some(Warning::Yellow) => yellow += 1,
            None => {}
        }
        let is_decided = matches!(case.status, CaseStatus::Completed | CaseStatus::Rejected);
        decided += i64::from(is_decided);
        if case.status != CaseStatus::Withdrawn {
            parts[slot(FigureKey::CompletionRate)].count(is_decided);
        }
        let item = case.item;
        parts[slot(FigureKey::ImmediateShare)].count(item.handling == Handling::Immediate);
        parts[slot(FigureKey::PromisedShare)].count(item.handling == Handling::Promised);
        parts[slot(FigureKey::JointShare)].count(item.handling == Handling::Joint);
        parts[slot(FigureKey::OnlineShare)].count(item.online_level == OnlineLevel::FullyOnline);
        parts[slot(FigureKey::MaxOneVisitShare)].count(item.visits <= 1);
        parts[slot(FigureKey::ZeroVisitShare)].count(item.visits == 0);
        parts[slot(FigureKey::ReturnsPerCase)].add(case.returns, 1);

        if is_decided {
            if let (Some(decided_on), Some(due)) = (case.decided_on, case.due) {
                parts[slot(FigureKey::OnTimeRate)].count(decided_on <= due);
                parts[slot(FigureKey::EarlyRate)].count(decided_on < due);
            }
            let days = case
                .accepted_on
                .zip(case.decided_on)
                .and_then(|(a, d)| working(a, d));
            if let Some(days) = days {
                parts[slot(FigureKey::DecisionDays)].add(days, 1);
                if item.promised_days > 0 {
                    parts[slot(FigureKey::ActualToPromised)]
                        .add(days, i64::from(item.promised_days));
                }
            }
        }
        if let Some(rating) = case.rating {
            parts[slot(FigureKey::SatisfactionRate)].count(!rating.bad);
            if rating.bad {
                parts[slot(FigureKey::ComplaintFixRate)].count(rating.rectified_on.is_some());
                if let Some(days) = rating
                    .rectified_on
                    .and_then(|r| working(rating.rated_on, r))
                {
                    parts[slot(FigureKey::ComplaintAnswerDays)].add(days, 1);
                }
            }
        }
    }
    for item in items.iter().filter(|i| i.statutory_days > 0) {
        parts[slot(FigureKey::PromiseRatio)].add(
            i64::from(item.promised_days),
            i64::from(item.statutory_days),
        );
    }
    Figures {
        received: cases.len() as i64,
        decided,
        by_status,
        red,
        yellow,
        figures: FigureKey::ALL
            .iter()
            .zip(parts)
            .map(|(key, r)| figure(*key, r.numerator, r.denominator))
            .collect(),
    }
}

/// Statuses in the order they are listed (drafts are never counted).
pub const STATUS_ORDER: [CaseStatus; 6] = [
    CaseStatus::Submitted,
    CaseStatus::Returned,
    CaseStatus::Approved,
    CaseStatus::Completed,
    CaseStatus::Rejected,
    CaseStatus::Withdrawn,
];

/// A figure's value as people read it: `92.96%`, `3.5 个工作日`, `0.42`; `—` without data.
pub fn display(figure: &Figure, decimals: usize) -> String {
    let Some(value) = figure.value else {
        return "—".into();
    };
    match figure.unit {
        FigureUnit::Percent => format!("{:.*}%", decimals, value * 100.0),
        FigureUnit::Days => format!("{:.*} 个工作日", decimals, value),
        FigureUnit::Ratio => format!("{:.*}", decimals.max(2), value),
    }
}

/// The first and last day of a requested period, checked: both dates real, `to` not before
/// `from`, at most [`MAX_PERIOD_DAYS`]. Missing ends default to the twelve months up to
/// `today` (from the first day of the month eleven months back). The error names the field
/// (`from`, `to`) with a Chinese sentence.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    today: Date,
) -> Result<(Date, Date), (&'static str, String)> {
    let parse = |text: &str, field: &'static str, name: &str| {
        Date::parse(text.trim()).ok_or((
            field,
            format!("{name}（参数 {field}）不是有效日期，请写成 2026-01-31 这样的格式"),
        ))
    };
    let to = match to {
        Some(t) => parse(t, "to", "结束日期")?,
        None => today,
    };
    let from = match from {
        Some(f) => parse(f, "from", "开始日期")?,
        None => {
            let (mut year, mut month) = (to.year, i32::from(to.month) - 11);
            if month < 1 {
                month += 12;
                year -= 1;
            }
            Date::new(year, month as u8, 1).unwrap_or(to)
        }
    };
    if to < from {
        return Err(("to", "结束日期（参数 to）不能早于开始日期".into()));
    }
    if from.days_until(to) >= MAX_PERIOD_DAYS {
        return Err((
            "to",
            format!("统计区间最长 {MAX_PERIOD_DAYS} 天，请缩短开始日期到结束日期的跨度"),
        ));
    }
    Ok((from, to))
}

/// `YYYY-MM` of every month the period touches, in order.
pub fn months(from: Date, to: Date) -> Vec<String> {
    let mut out = Vec::new();
    let (mut year, mut month) = (from.year, from.month);
    while (year, month) <= (to.year, to.month) {
        out.push(month_key(year, month));
        if month == 12 {
            year += 1;
            month = 1;
        } else {
            month += 1;
        }
    }
    out
}

/// `YYYY-MM` of a date.
pub fn month_of(date: Date) -> String {
    month_key(date.year, date.month)
}

fn month_key(year: i32, month: u8) -> String {
    format!("{year:04}-{month:02}")
}

/// The last day of `date`'s month.
pub fn month_end(date: Date) -> Date {
    Date::new(date.year, date.month, days_in_month(date.year, date.month)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn item(handling: Handling, visits: u8, promised: u32, statutory: u32) -> ItemFacts {
        ItemFacts {
            handling,
            online_level: if visits == 0 {
                OnlineLevel::FullyOnline
            } else {
                OnlineLevel::Accept
            },
            visits,
            promised_days: promised,
            statutory_days: statutory,
        }
    }

    fn case(status: CaseStatus, item: ItemFacts) -> CaseFacts {
        CaseFacts {
            department: "gaj".into(),
            status,
            submitted_on: d("2026-03-02"),
            accepted_on: Some(d("2026-03-02")),
            due: Some(d("2026-03-06")),
            decided_on: None,
            returns: 0,
            item,
            rating: None,
            warning: None,
        }
    }

    #[test]
    fn figures_count_what_their_definitions_say() {
        let promised = item(Handling::Promised, 1, 4, 20);
        let immediate = item(Handling::Immediate, 0, 0, 0);
        // Decided on Thursday 3-05 (3 working days after Monday, a day early).
        let mut early = case(CaseStatus::Completed, promised);
        early.decided_on = Some(d("2026-03-05"));
        early.returns = 1;
        early.rating = Some(RatingFacts {
            bad: true,
            rated_on: d("2026-03-06"),
            rectified_on: Some(d("2026-03-10")),
        });
        // Decided the Monday after the Friday due date: late, 5 working days.
        let mut late = case(CaseStatus::Rejected, promised);
        late.decided_on = Some(d("2026-03-09"));
        late.rating = Some(RatingFacts {
            bad: false,
            rated_on: d("2026-03-09"),
            rectified_on: None,
        });
        let mut open = case(CaseStatus::Submitted, immediate);
        open.warning = Some(Warning::Red);
        let withdrawn = case(CaseStatus::Withdrawn, immediate);
        let all = [&early, &late, &open, &withdrawn];
        let f = figures(&all, &[promised, immediate], HolidayCalendar::official());
        let get = |k| {
            let x = f.figure(k).unwrap();
            (x.numerator, x.denominator)
        };
        assert_eq!(f.received, 4);
        assert_eq!(f.decided, 2);
        assert_eq!(f.red, 1);
        assert_eq!(get(FigureKey::CompletionRate), (2, 3));
        assert_eq!(get(FigureKey::OnTimeRate), (1, 2));
        assert_eq!(get(FigureKey::EarlyRate), (1, 2));
        assert_eq!(get(FigureKey::ImmediateShare), (2, 4));
        assert_eq!(get(FigureKey::PromiseRatio), (4, 20));
        assert_eq!(get(FigureKey::DecisionDays), (3 + 5, 2));
        assert_eq!(get(FigureKey::ActualToPromised), (8, 8));
        assert_eq!(get(FigureKey::ZeroVisitShare), (2, 4));
        assert_eq!(get(FigureKey::MaxOneVisitShare), (4, 4));
        assert_eq!(get(FigureKey::SatisfactionRate), (1, 2));
        assert_eq!(get(FigureKey::ComplaintFixRate), (1, 1));
        assert_eq!(get(FigureKey::ComplaintAnswerDays), (2, 1));
        assert_eq!(get(FigureKey::ReturnsPerCase), (1, 4));
        let rate = f.figure(FigureKey::CompletionRate).unwrap();
        assert_eq!(display(rate, 1), "66.7%");
    }

    #[test]
    fn periods_are_checked_and_default_to_twelve_months() {
        let today = d("2026-12-01");
        assert_eq!(period(None, None, today), Ok((d("2026-01-01"), today)));
        assert_eq!(
            period(Some("2026-02-30"), None, today).unwrap_err().0,
            "from"
        );
        assert_eq!(
            period(Some("2026-05-01"), Some("2026-04-30"), today)
                .unwrap_err()
                .0,
            "to"
        );
        assert_eq!(
            period(Some("2020-01-01"), Some("2026-01-01"), today)
                .unwrap_err()
                .0,
            "to"
        );
        assert_eq!(
            months(d("2025-11-15"), d("2026-02-01")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }
}
