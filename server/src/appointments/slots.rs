//! Appointment slots: which exist (a pure plan from hours and calendar) and their rows.

use app::api::{AppointmentSlot, Site};
use app::rules::date::Date;
use app::rules::opening::{open_state, parse_hhmm};
use app::rules::workdays::HolidayCalendar;
use sqlx::Row;

use super::{capacity, categories, slot_view, CATEGORIES};
use crate::db::Db;
use crate::error::AppResult;
use crate::AppState;

/// Length of one slot, minutes.
pub const SLOT_MINUTES: u16 = 30;

/// Rows per `INSERT` when generating: few round trips, well under both databases' limits on
/// bound parameters.
const BATCH: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotRow {
    pub id: String,
    pub site_code: String,
    pub date: String,
    pub start: String,
    pub end: String,
    pub category: String,
    pub capacity: i64,
    pub booked: i64,
}

/// `HH:MM` of minutes since midnight, zero-padded as stored.
fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The slots `site` offers on `date` for `categories`: none unless it is a working day of a
/// published year; otherwise every whole half hour inside that day's opening periods (a 调休
/// working Saturday uses the Monday hours, as the opening rules say).
pub fn plan(
    site: &Site,
    categories: &[String],
    calendar: &HolidayCalendar,
    date: Date,
) -> Vec<SlotRow> {
    let Some(capacity) = capacity(site.level) else {
        return Vec::new();
    };
    if calendar.is_working_day(date) != Ok(true) {
        return Vec::new();
    }
    let Ok(state) = open_state(&site.hours, calendar, date, 0) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for period in &state.today_periods {
        let (Some(open), Some(close)) = (parse_hhmm(&period.open), parse_hhmm(&period.close))
        else {
            continue;
        };
        let mut start = open;
        while start + SLOT_MINUTES <= close {
            let end = start + SLOT_MINUTES;
            for category in categories {
                let short = CATEGORIES
                    .iter()
                    .find(|(name, _, _)| name == category)
                    .map_or("zh", |(_, _, s)| *s);
                rows.push(SlotRow {
                    id: format!(
                        "{}-{}-{:02}{:02}-{short}",
                        site.code,
                        date.to_string().replace('-', ""),
                        start / 60,
                        start % 60
                    ),
                    site_code: site.code.clone(),
                    date: date.to_string(),
                    start: hhmm(start),
                    end: hhmm(end),
                    category: category.clone(),
                    capacity,
                    booked: 0,
                });
            }
            start = end;
        }
    }
    rows
}

/// Makes sure one site's slots of one day exist. Reads first, so that listing a day that is
/// already generated (the usual case) writes nothing.
pub async fn ensure_day(state: &AppState, site: &Site, date: Date) -> AppResult<()> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM appointment_slots WHERE site_code = $1 AND date = $2",
    )
    .bind(&site.code)
    .bind(date.to_string())
    .fetch_one(&state.db.pool)
    .await?;
    let catalog = state.catalog();
    let items: Vec<_> = catalog
        .index
        .summaries()
        .filter(|i| site.items.contains(&i.code))
        .cloned()
        .collect();
    let rows = plan(site, &categories(site, &items), &state.calendar(), date);
    if (row.try_get::<i64, _>("n")? as usize) < rows.len() {
        insert(&state.db, &rows).await?;
    }
    Ok(())
}

/// Makes sure every site's slots of `from..=to` exist, inserting what is missing (start-up).
/// Returns how many rows were new.
pub async fn ensure_window(state: &AppState, from: Date, to: Date) -> AppResult<u64> {
    let directory = state.sites();
    let catalog = state.catalog();
    let mut rows = Vec::new();
    for site in directory.sites().filter(|s| capacity(s.level).is_some()) {
        let items: Vec<_> = catalog
            .index
            .summaries()
            .filter(|i| site.items.contains(&i.code))
            .cloned()
            .collect();
        let cats = categories(site, &items);
        let mut date = from;
        while date <= to {
            rows.extend(plan(site, &cats, &state.calendar(), date));
            date = date.succ();
        }
    }
    insert(&state.db, &rows).await
}

async fn insert(db: &Db, rows: &[SlotRow]) -> AppResult<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    // One transaction: one commit (one WAL sync on SQLite) instead of one per batch.
    let mut tx = db.pool.begin().await?;
    let mut inserted = 0;
    for chunk in rows.chunks(BATCH) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 7;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO appointment_slots (id, site_code, date, start, \"end\", category, capacity) VALUES {} \
             ON CONFLICT DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
                .bind(&row.id)
                .bind(&row.site_code)
                .bind(&row.date)
                .bind(&row.start)
                .bind(&row.end)
                .bind(&row.category)
                .bind(row.capacity);
        }
        inserted += query.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(inserted)
}

fn from_row(r: &sqlx::any::AnyRow) -> AppResult<SlotRow> {
    Ok(SlotRow {
        id: r.try_get("id")?,
        site_code: r.try_get("site_code")?,
        date: r.try_get("date")?,
        start: r.try_get("start")?,
        end: r.try_get("end")?,
        category: r.try_get("category")?,
        capacity: r.try_get("capacity")?,
        booked: r.try_get("booked")?,
    })
}

const COLUMNS: &str = "id, site_code, date, start, \"end\", category, capacity, booked";

pub async fn get(db: &Db, id: &str) -> AppResult<Option<SlotRow>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM appointment_slots WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// One site's slots of one day (optionally of one category), by time then category order.
pub async fn for_day(
    db: &Db,
    site: &str,
    date: Date,
    category: Option<&str>,
) -> AppResult<Vec<AppointmentSlot>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM appointment_slots WHERE site_code = $1 AND date = $2 AND ($3 = '' OR category = $3)"
    ))
    .bind(site)
    .bind(date.to_string())
    .bind(category.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    let mut slots = rows.iter().map(from_row).collect::<AppResult<Vec<_>>>()?;
    let rank = |c: &str| {
        CATEGORIES
            .iter()
            .position(|(name, _, _)| *name == c)
            .unwrap_or(CATEGORIES.len())
    };
    slots.sort_by(|a, b| (&a.start, rank(&a.category)).cmp(&(&b.start, rank(&b.category))));
    Ok(slots.iter().map(slot_view).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::store;

    #[test]
    fn slots_only_on_working_days_within_opening_periods() {
        let (sites, _) = store::demo().unwrap();
        let hall = sites.iter().find(|s| s.code == "HALL").unwrap();
        let cats = vec!["户籍身份证".to_string(), "综合业务".to_string()];
        let calendar = HolidayCalendar::official();
        let day = |s: &str| plan(hall, &cats, calendar, Date::parse(s).unwrap());
        // An ordinary Monday: 9:00–12:00 and 13:30–17:00 → 6 + 7 half hours, two categories.
        let monday = day("2026-11-30");
        assert_eq!(monday.len(), 26);
        assert_eq!(monday[0].id, "HALL-20261130-0900-hj");
        assert_eq!(
            (
                monday[0].start.as_str(),
                monday[0].end.as_str(),
                monday[0].capacity
            ),
            ("09:00", "09:30", 6)
        );
        assert!(monday
            .iter()
            .all(|s| s.start.as_str() < "12:00" || s.start.as_str() >= "13:30"));
        assert_eq!(monday.last().unwrap().end, "17:00");
        // The hall opens on ordinary Saturday mornings, but Saturdays are not working days.
        assert!(day("2026-11-28").is_empty());
        // 国庆节, and the 调休 working Saturday after it (Monday hours).
        assert!(day("2026-10-01").is_empty());
        assert_eq!(day("2026-10-10").len(), 26);
        // A year whose schedule is not published.
        assert!(day("2027-01-04").is_empty());
        // 驿站: no appointments.
        let station = sites.iter().find(|s| s.code == "YZ-01").unwrap();
        assert!(plan(station, &cats, calendar, Date::parse("2026-11-30").unwrap()).is_empty());
    }
}
