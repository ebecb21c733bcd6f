//! Appointment slots: which exist (a pure plan from hours and calendar) and their rows.

use std::collections::HashSet;

use app::api::{AppointmentQueue, AppointmentSlot, Site};
use app::rules::date::Date;
use app::rules::opening::{open_state, parse_hhmm};
use app::rules::workdays::HolidayCalendar;
use sqlx::Row;

use super::{offered_queues, rank, slot_view, CATEGORIES};
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

/// The slots `site` offers on `date` for `queues`: none unless it is a working day of a
/// published year; otherwise every whole half hour inside that day's opening periods (a 调休
/// working Saturday uses the Monday hours, a temporary closure has none, as the opening rules
/// say).
pub fn plan(
    site: &Site,
    queues: &[AppointmentQueue],
    calendar: &HolidayCalendar,
    date: Date,
) -> Vec<SlotRow> {
    if queues.is_empty() || calendar.is_working_day(date) != Ok(true) {
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
            for AppointmentQueue { category, capacity } in queues {
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
                    capacity: i64::from(*capacity),
                    booked: 0,
                });
            }
            start = end;
        }
    }
    rows
}

/// The slots `site` offers on `date` now, by the catalog's items and the calendar in `state`.
pub fn plan_now(state: &AppState, site: &Site, date: Date) -> Vec<SlotRow> {
    let queues = offered_queues(&state.catalog(), site);
    plan(site, &queues, &state.calendar(), date)
}

/// Makes sure one site's slots of one day exist, and returns the ids of those it offers now:
/// rows left from before a change of hours, closures or queues stay in the table (bookings
/// point at them) but are no longer offered. Reads first, so that listing a day that is already
/// generated (the usual case) writes nothing.
pub async fn ensure_day(state: &AppState, site: &Site, date: Date) -> AppResult<HashSet<String>> {
    let existing: HashSet<String> =
        sqlx::query("SELECT id FROM appointment_slots WHERE site_code = $1 AND date = $2")
            .bind(&site.code)
            .bind(date.to_string())
            .fetch_all(&state.db.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
    let rows = plan_now(state, site, date);
    if rows.iter().any(|r| !existing.contains(&r.id)) {
        insert(&state.db, &rows).await?;
    }
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Makes sure every site's slots of `from..=to` exist, inserting what is missing (start-up).
/// Returns how many rows were new.
pub async fn ensure_window(state: &AppState, from: Date, to: Date) -> AppResult<u64> {
    let directory = state.sites();
    let mut rows = Vec::new();
    let (catalog, calendar) = (state.catalog(), state.calendar());
    for site in directory.sites() {
        let queues = offered_queues(&catalog, site);
        let mut date = from;
        while date <= to {
            rows.extend(plan(site, &queues, &calendar, date));
            date = date.succ();
        }
    }
    insert(&state.db, &rows).await
}

/// Sets the seats of `site`'s slots from `from` on to its queues' capacities, never below
/// what is already booked there.
pub async fn apply_capacities(
    tx: &mut sqlx::AnyConnection,
    site: &str,
    queues: &[AppointmentQueue],
    from: Date,
) -> AppResult<()> {
    for queue in queues {
        sqlx::query(
            "UPDATE appointment_slots SET capacity = CASE WHEN booked > $1 THEN booked ELSE $1 END \
             WHERE site_code = $2 AND category = $3 AND date >= $4 AND capacity <> $1",
        )
        .bind(i64::from(queue.capacity))
        .bind(site)
        .bind(&queue.category)
        .bind(from.to_string())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
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

/// One site's slots of one day among `offered` (optionally of one category), by time then
/// category order.
pub async fn for_day(
    db: &Db,
    site: &str,
    date: Date,
    category: Option<&str>,
    offered: &HashSet<String>,
) -> AppResult<Vec<AppointmentSlot>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM appointment_slots WHERE site_code = $1 AND date = $2 AND ($3 = '' OR category = $3)"
    ))
    .bind(site)
    .bind(date.to_string())
    .bind(category.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    let mut slots = rows
        .iter()
        .map(from_row)
        .filter(|row| row.as_ref().map_or(true, |r| offered.contains(&r.id)))
        .collect::<AppResult<Vec<_>>>()?;
    slots.sort_by(|a, b| (&a.start, rank(&a.category)).cmp(&(&b.start, rank(&b.category))));
    Ok(slots.iter().map(slot_view).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::store;

    #[test]
    fn the_managers_categories_are_the_queues_with_tickets() {
        let names: Vec<&str> = CATEGORIES.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(names, app::rules::site_settings::APPOINTMENT_CATEGORIES);
    }

    #[test]
    fn slots_only_on_working_days_within_opening_periods() {
        let (sites, _) = store::demo().unwrap();
        let hall = sites.iter().find(|s| s.code == "HALL").unwrap();
        let cats: Vec<AppointmentQueue> = ["户籍身份证", "综合业务"]
            .map(|category| AppointmentQueue {
                category: category.into(),
                capacity: 6,
            })
            .into();
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
        // No queues (a 驿站): no appointments.
        let station = sites.iter().find(|s| s.code == "YZ-01").unwrap();
        assert!(plan(station, &[], calendar, Date::parse("2026-11-30").unwrap()).is_empty());
    }
}
