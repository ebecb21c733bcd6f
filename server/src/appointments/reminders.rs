//! The reminder SMS the day before an appointment, through [`crate::auth::sms::SmsSender`] to
//! the mobile number the person booked with, unless they turned it off for that booking
//! (`appointments.sms_reminder`, `PUT /api/appointments/{id}/reminder`).
//!
//! When: the calendar day before, 09:00–20:00 Beijing time
//! ([`app::rules::appointment::reminder_due`]); a Monday's appointment is reminded on Sunday.
//! [`send_due`] runs from the server's periodic job. Each reminder is claimed first with
//! `UPDATE … SET reminded_at = … WHERE reminded_at IS NULL`, so with several servers on one
//! database (or two runs at once) exactly one sends it; a message the sender refuses releases
//! its claim and is tried again on the next run. The text names no item or personal data: the
//! day, the time, the site and the 预约号.

use app::rules::appointment::reminder_due;
use app::rules::date::Date;
use sqlx::Row;

use crate::clock::{self, Moment};
use crate::error::AppResult;
use crate::AppState;

/// The reminder text.
pub fn text(date: Date, start: &str, end: &str, site: &str, ticket: &str) -> String {
    let time = |t: &str| t.strip_prefix('0').unwrap_or(t).to_string();
    format!(
        "【办事通】预约提醒：您预约了明天（{} {}）{}–{}到{}办事，预约号 {ticket}。请带好材料和身份证原件，提前 10 分钟到达；不能前往请登录办事通取消预约。",
        date.chinese_short(),
        date.weekday().chinese(),
        time(start),
        time(end),
        site
    )
}

/// Sends every reminder due now (by the server's clock) that no server has claimed yet;
/// answers how many this run sent.
pub async fn send_due(state: &AppState) -> AppResult<usize> {
    let secs = state.clock.now_unix();
    let at = Moment::from_unix(secs);
    let tomorrow = at.date.succ();
    let now = format!("{:02}:{:02}", at.minute / 60, at.minute % 60);
    if !reminder_due(tomorrow, at.date, &now) {
        return Ok(0);
    }
    let rows = sqlx::query(
        "SELECT a.id, a.ticket, s.start, s.\"end\", st.name, ap.phone \
         FROM appointments a \
         JOIN appointment_slots s ON s.id = a.slot_id \
         JOIN sites st ON st.code = s.site_code \
         JOIN applicants ap ON ap.id = a.applicant_id \
         WHERE a.date = $1 AND a.reminded_at IS NULL AND a.cancelled_at IS NULL AND a.sms_reminder = 1",
    )
    .bind(tomorrow.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    let claimed_at = clock::rfc3339(secs);
    let mut sent = 0;
    for row in rows {
        let id: String = row.try_get("id")?;
        let claimed = sqlx::query(
            "UPDATE appointments SET reminded_at = $1 \
             WHERE id = $2 AND reminded_at IS NULL AND cancelled_at IS NULL AND sms_reminder = 1",
        )
        .bind(&claimed_at)
        .bind(&id)
        .execute(&state.db.pool)
        .await?
        .rows_affected();
        if claimed != 1 {
            continue;
        }
        let message = text(
            tomorrow,
            &row.try_get::<String, _>("start")?,
            &row.try_get::<String, _>("end")?,
            &row.try_get::<String, _>("name")?,
            &row.try_get::<String, _>("ticket")?,
        );
        let phone: String = row.try_get("phone")?;
        match state.sms.send(&phone, &message).await {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(appointment = id, error = %e, "reminder SMS not sent; retried on the next run");
                sqlx::query(
                    "UPDATE appointments SET reminded_at = NULL WHERE id = $1 AND reminded_at = $2",
                )
                .bind(&id)
                .bind(&claimed_at)
                .execute(&state.db.pool)
                .await?;
            }
        }
    }
    if sent > 0 {
        tracing::info!(sent, "sent appointment reminders");
    }
    Ok(sent)
}
