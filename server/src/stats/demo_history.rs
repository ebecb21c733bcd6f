//! 演示数据: a year of generated, decided cases across the demo catalog's items, so the
//! indicators' plots mean something on a demo server.
//!
//! Generated once (a seeded linear congruential generator, so every demo server tells the same
//! story relative to its first start) and labelled twice: each row has `cases.demo = 1` and
//! belongs to the applicant `演示数据`, whose "phone" is not a number anyone can sign in with.
//! The case store never reads these rows (`workflow::case_store`), so they appear in no one's
//! 我的办件, no queue and no lookup — only in the statistics, which say they include them.

use app::api::ItemSummary;
use app::rules::date::Date;
use app::rules::workdays::HolidayCalendar;

use crate::clock;
use crate::AppState;

/// The applicant every demo case belongs to.
pub const APPLICANT_ID: &str = "demo-history";
const APPLICANT_PHONE: &str = "演示数据";
/// Rows per INSERT: well under both databases' limits on parameters.
const BATCH: usize = 200;

/// Knuth's MMIX constants; the high bits are the usable ones.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    /// true with `percent` % probability
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct DemoCase {
    id: String,
    item: usize,
    status: &'static str,
    number: String,
    due: Option<String>,
    submitted_at: String,
    updated_at: String,
    decided_at: Option<String>,
    returns: i64,
    rating: Option<DemoRating>,
}

struct DemoRating {
    level: &'static str,
    bad: bool,
    at: String,
    rectified_at: Option<String>,
}

/// An SQL string literal (quotes doubled), or NULL.
fn text(value: Option<&str>) -> String {
    value.map_or("NULL".into(), |v| format!("'{}'", v.replace('\'', "''")))
}

/// Beijing `day` at `minute` after midnight, as stored UTC text.
fn at(day: Date, minute: i64) -> String {
    clock::rfc3339((day.to_unix_days() * 86_400) + minute * 60 - 8 * 3600)
}

/// The year of cases ending yesterday, for the catalog's items.
fn generate(items: &[ItemSummary], calendar: &HolidayCalendar, today: Date) -> Vec<DemoCase> {
    let mut rng = Lcg(0x5EED_2026_0B57);
    let mut out = Vec::new();
    let start = today.add_days(-365);
    let mut day = start;
    while day < today {
        let working = calendar.is_working_day(day).unwrap_or(false);
        if working {
            // Busier in spring and before the holidays; 4–12 cases a working day.
            let season = match day.month {
                3 | 4 | 9 | 12 => 3,
                1 | 2 => 1,
                _ => 2,
            };
            let count = 4 + season + rng.below(6);
            for n in 0..count {
                let index = rng.below(items.len() as u64) as usize;
                let item = &items[index];
                let minute = 9 * 60 + rng.below(7 * 60 + 30) as i64;
                let submitted_at = at(day, minute);
                let promised = item.promised_days;
                let due = calendar.add_working_days(day, promised).ok();
                // Most are decided early; a few run late.
                let actual = if promised == 0 {
                    u32::from(rng.chance(4))
                } else if rng.chance(5) {
                    promised + 1 + rng.below(3) as u32
                } else {
                    rng.below(u64::from(promised) + 1) as u32
                };
                let decided_on = calendar.add_working_days(day, actual).ok();
                let returns = match rng.below(100) {
                    0..=2 => 2,
                    3..=15 => 1,
                    _ => 0,
                };
                let roll = rng.below(100);
                let (status, decided) = match decided_on {
                    Some(d) if d < today && roll < 3 => ("withdrawn", None),
                    Some(d) if d < today && roll < 10 => ("rejected", Some(d)),
                    Some(d) if d < today => ("completed", Some(d)),
                    _ if rng.chance(50) => ("approved", None),
                    _ => ("submitted", None),
                };
                let decided_at = decided.map(|d| {
                    let earliest = if d == day { minute + 20 } else { 9 * 60 };
                    at(d, earliest + rng.below(60) as i64)
                });
                let rating = match (decided, &decided_at) {
                    (Some(d), Some(_)) if rng.chance(65) => {
                        let rated = d.add_days(rng.below(3) as i32);
                        let level = match rng.below(100) {
                            0..=1 => "very_dissatisfied",
                            2..=4 => "dissatisfied",
                            5..=9 => "neutral",
                            10..=34 => "satisfied",
                            _ => "very_satisfied",
                        };
                        let bad = matches!(level, "dissatisfied" | "very_dissatisfied");
                        let rectified_at = (bad && rng.chance(85))
                            .then(|| calendar.add_working_days(rated, 1 + rng.below(4) as u32))
                            .and_then(Result::ok)
                            .filter(|r| *r < today)
                            .map(|r| at(r, 15 * 60));
                        Some(DemoRating {
                            level,
                            bad,
                            at: at(rated, 18 * 60),
                            rectified_at,
                        })
                    }
                    _ => None,
                };
                out.push(DemoCase {
                    id: format!("demo-{}-{n:02}", day.to_string().replace('-', "")),
                    item: index,
                    status,
                    number: format!("YS-{}-{:04}", day.to_string().replace('-', ""), n + 1),
                    due: due.map(|d| d.to_string()),
                    updated_at: decided_at.clone().unwrap_or_else(|| submitted_at.clone()),
                    submitted_at,
                    decided_at,
                    returns: if status == "withdrawn" { 0 } else { returns },
                    rating,
                });
            }
        }
        day = day.succ();
    }
    out
}

/// Adds the demo year once, beside the demo catalog; does nothing when it is there already or
/// the catalog is not the demo one.
pub async fn load(state: &AppState) -> Result<usize, String> {
    let catalog = state.catalog();
    if !catalog.demo {
        return Ok(0);
    }
    let db = &state.db;
    let err = |e: sqlx::Error| format!("demo history: {e}");
    let present: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE demo = 1")
        .fetch_one(&db.pool)
        .await
        .map_err(err)?;
    if present > 0 {
        return Ok(0);
    }
    // Items a citizen applies for one at a time (一件事 members are counted through them too).
    let items: Vec<ItemSummary> = catalog.index.summaries().cloned().collect();
    if items.is_empty() {
        return Ok(0);
    }
    let names: std::collections::HashMap<&str, &str> = catalog
        .overview
        .departments
        .iter()
        .map(|d| (d.department.code.as_str(), d.department.name.as_str()))
        .collect();
    let today = clock::today_beijing();
    let cases = generate(&items, &state.calendar(), today);
    let now = clock::now_text();

    let mut tx = db.pool.begin().await.map_err(err)?;
    sqlx::query(
        "INSERT INTO applicants (id, phone, uscc, created_at, last_login_at) VALUES ($1, $2, '', $3, $3) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(APPLICANT_ID)
    .bind(APPLICANT_PHONE)
    .bind(&now)
    .execute(&mut *tx)
    .await
    .map_err(err)?;
    // Literal rows rather than bound parameters: thousands of binds cost more than the
    // inserts, and every value is generated here or comes from the catalog (quoted by `text`).
    let mut seq = 1_i64;
    for chunk in cases.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO cases (id, applicant_id, item_code, item_name, department_code, department_name, guide, \
             status, form, answers, applicant_name, number, due_date, created_at, updated_at, submitted_at, \
             decided_at, returns, seq, demo, sms_notices) VALUES ",
        );
        for (i, case) in chunk.iter().enumerate() {
            let item = &items[case.item];
            let department = names
                .get(item.department_code.as_str())
                .map_or(item.department.as_str(), |n| n);
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "({}, '{APPLICANT_ID}', {}, {}, {}, {}, '{{}}', {}, '{{}}', '{{}}', '演示数据', {}, {}, {}, {}, {}, {}, {}, {seq}, 1, 0)",
                text(Some(&case.id)),
                text(Some(&item.code)),
                text(Some(&item.name)),
                text(Some(&item.department_code)),
                text(Some(department)),
                text(Some(case.status)),
                text(Some(&case.number)),
                text(case.due.as_deref()),
                text(Some(&case.submitted_at)),
                text(Some(&case.updated_at)),
                text(Some(&case.submitted_at)),
                text(case.decided_at.as_deref()),
                case.returns,
            ));
            seq += 1;
        }
        sqlx::query(&sql).execute(&mut *tx).await.map_err(err)?;
    }
    let rated: Vec<(&DemoCase, &DemoRating)> = cases
        .iter()
        .filter_map(|c| c.rating.as_ref().map(|r| (c, r)))
        .collect();
    for chunk in rated.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO ratings (case_id, level, is_bad, comment, created_at, seq, rectification, rectified_at, rectified_by) VALUES ",
        );
        for (i, (case, rating)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let answer = rating
                .rectified_at
                .as_ref()
                .map(|_| "演示数据：已回访并整改");
            sql.push_str(&format!(
                "({}, {}, {}, '', {}, {seq}, {}, {}, NULL)",
                text(Some(&case.id)),
                text(Some(rating.level)),
                i64::from(rating.bad),
                text(Some(&rating.at)),
                text(answer),
                text(rating.rectified_at.as_deref()),
            ));
            seq += 1;
        }
        sqlx::query(&sql).execute(&mut *tx).await.map_err(err)?;
    }
    tx.commit().await.map_err(err)?;
    Ok(cases.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::api::{Audience, Handling, OnlineLevel};

    fn item(code: &str, promised: u32) -> ItemSummary {
        ItemSummary {
            code: code.into(),
            name: code.into(),
            department: "部门".into(),
            department_code: "d".into(),
            audience: Audience::Personal,
            item_type: "行政许可".into(),
            summary: String::new(),
            promised_days: promised,
            statutory_days: promised * 3,
            handling: if promised == 0 {
                Handling::Immediate
            } else {
                Handling::Promised
            },
            online_level: OnlineLevel::FullyOnline,
            visits: 0,
            appointment: false,
            matched: None,
        }
    }

    #[test]
    fn the_year_is_the_same_every_time_and_decided_cases_lie_in_the_past() {
        let items = [item("a", 0), item("b", 5), item("c", 20)];
        let today = Date::parse("2026-12-01").unwrap();
        let calendar = HolidayCalendar::official();
        let first = generate(&items, calendar, today);
        let again = generate(&items, calendar, today);
        assert!(first.len() > 1000, "{} cases", first.len());
        assert_eq!(
            first.iter().map(|c| &c.number).collect::<Vec<_>>(),
            again.iter().map(|c| &c.number).collect::<Vec<_>>()
        );
        let today_start = at(today, 0);
        for case in &first {
            if let Some(d) = &case.decided_at {
                assert!(*d < today_start, "{d}");
            }
        }
        assert!(first.iter().any(|c| c.status == "rejected"));
        assert!(first
            .iter()
            .any(|c| c.rating.as_ref().is_some_and(|r| r.bad)));
    }
}
