//! 预约: half-hour appointment slots at the district hall, street centres and community stations,
//! and applicants' bookings.
//!
//! Slots exist for the next [`DAYS_AHEAD`] calendar days on working days only (the shared holiday
//! calendar: weekends and holidays skipped, 调休 working Saturdays included, nothing in a year
//! whose schedule is not published), every half hour within the site's opening periods of that
//! day. Each hall or street centre offers one queue per category of the items it handles
//! ([`category_of`]); a community station has a single 综合业务 queue; 驿站 take walk-ins only.
//! Slots are generated idempotently (deterministic ids, `ON CONFLICT DO NOTHING`) at start-up
//! and again whenever a day is asked for, so a long-running server keeps the window filled.
//!
//! Overbooking is prevented by the database, not by reading first: booking is one conditional
//! `UPDATE … SET booked = booked + 1 WHERE id = $1 AND booked < capacity` whose row count is
//! checked, in the same transaction as the insert. `CHECK (booked <= capacity)` and the partial
//! unique index `appointments_one_per_item_day` are the final guards.

pub mod desk;
pub mod reminders;
pub mod slots;

use std::collections::BTreeSet;

use app::api::{
    Appointment, AppointmentList, AppointmentQueue, AppointmentReminder, AppointmentSlot,
    AppointmentStatus, ItemSummary, NewAppointment, Site, SiteLevel, SlotList,
};
use app::rules::appointment::bookable;
use app::rules::date::Date;
use app::rules::opening::closure_on;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Applicant;
use crate::clock::Moment;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::AppState;

/// How many calendar days ahead can be booked (from tomorrow).
pub const DAYS_AHEAD: i32 = 14;

pub const HUKOU: &str = "户籍身份证";
pub const SOCIAL_SECURITY: &str = "社保医保";
pub const BUSINESS: &str = "企业开办";
pub const MARRIAGE: &str = "婚姻登记";
pub const GENERAL: &str = "综合业务";

/// Every category in display order, with its ticket letter and the short code used in slot ids.
pub const CATEGORIES: [(&str, char, &str); 5] = [
    (HUKOU, 'A', "hj"),
    (SOCIAL_SECURITY, 'B', "sb"),
    (BUSINESS, 'C', "qy"),
    (MARRIAGE, 'D', "hy"),
    (GENERAL, 'E', "zh"),
];

pub const FULL: &str = "该时段已约满，请选择其他时段";
pub const DUPLICATE: &str = "您当天已预约过该事项，如需改约请先取消原预约";

/// Why an item the site handles cannot be booked there: its guide says no appointment.
pub fn walk_in(item_name: &str) -> String {
    format!("“{item_name}”无需预约，可在办公时间直接前往办理")
}

/// The queue an item is booked in at a hall or street centre, by its department: 公安 →
/// 户籍身份证 (its business items, e.g. 公章刻制, → 企业开办), 人社 and 医保 → 社保医保,
/// 市场监管 and 税务 → 企业开办, 民政's marriage items → 婚姻登记, everything else → 综合业务.
pub fn category_of(item: &ItemSummary) -> &'static str {
    let business = item.audience == app::api::Audience::Business;
    match item.department_code.as_str() {
        "ga" if business => BUSINESS,
        "ga" => HUKOU,
        "rs" | "yb" => SOCIAL_SECURITY,
        "sj" | "sw" => BUSINESS,
        "mz" if item.name.contains('婚') => MARRIAGE,
        _ => GENERAL,
    }
}

/// The queue `item` is booked in at `site`; `None` where it cannot be booked there
/// ([`app::rules::appointment::bookable`]: the guide's 网上预约, and a site with queues). With
/// queues set by a manager: the item's own category if offered, else 综合业务 if offered.
pub fn category_at(site: &Site, item: &ItemSummary) -> Option<&'static str> {
    if !bookable(item.appointment, site.level) {
        return None;
    }
    let Some(queues) = &site.appointment_queues else {
        return match site.level {
            SiteLevel::Hall | SiteLevel::Street => Some(category_of(item)),
            SiteLevel::Community => Some(GENERAL),
            SiteLevel::Station => None,
        };
    };
    let offered = |category: &str| queues.iter().any(|q| q.category == category);
    let own = category_of(item);
    if offered(own) {
        Some(own)
    } else if offered(GENERAL) {
        Some(GENERAL)
    } else {
        None
    }
}

/// Seats per half hour and category where a manager has not set them.
pub fn capacity(level: SiteLevel) -> Option<i64> {
    match level {
        SiteLevel::Hall => Some(6),
        SiteLevel::Street => Some(3),
        SiteLevel::Community => Some(2),
        SiteLevel::Station => None,
    }
}

/// A category's place in [`CATEGORIES`] (unknown ones last).
pub fn rank(category: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|(name, _, _)| *name == category)
        .unwrap_or(CATEGORIES.len())
}

/// The queues `site` offers, in display order: as a manager set them, else one per category
/// of its items with the seats of its level ([`capacity`]); either way only queues that some
/// item it handles is booked in.
pub fn queues(site: &Site, items: &[ItemSummary]) -> Vec<AppointmentQueue> {
    let used: BTreeSet<&str> = items
        .iter()
        .filter(|i| site.items.contains(&i.code))
        .filter_map(|i| category_at(site, i))
        .collect();
    let mut queues: Vec<AppointmentQueue> = match &site.appointment_queues {
        Some(set) => set
            .iter()
            .filter(|q| used.contains(q.category.as_str()))
            .cloned()
            .collect(),
        None => capacity(site.level)
            .map(|seats| {
                used.iter()
                    .map(|category| AppointmentQueue {
                        category: category.to_string(),
                        capacity: seats as u32,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    queues.sort_by_key(|q| rank(&q.category));
    queues
}

/// The categories `site` offers, in display order, given the catalog's items.
pub fn categories(site: &Site, items: &[ItemSummary]) -> Vec<String> {
    queues(site, items)
        .into_iter()
        .map(|q| q.category)
        .collect()
}

fn ticket_letter(category: &str) -> char {
    CATEGORIES
        .iter()
        .find(|(name, _, _)| *name == category)
        .map_or('E', |(_, letter, _)| *letter)
}

/// The first and last dates that can be booked on `today`.
pub fn window(today: Date) -> (Date, Date) {
    (today.succ(), today.add_days(DAYS_AHEAD))
}

/// The queues `site` offers with the catalog's items ([`queues`]).
pub fn offered_queues(catalog: &crate::catalog::Catalog, site: &Site) -> Vec<AppointmentQueue> {
    let items: Vec<ItemSummary> = catalog
        .index
        .summaries()
        .filter(|i| site.items.contains(&i.code))
        .cloned()
        .collect();
    queues(site, &items)
}

/// Generates the slots of the whole booking window for every site (start-up).
pub async fn prepare(state: &AppState) -> Result<(), String> {
    let (from, to) = window(Moment::now().date);
    let inserted = slots::ensure_window(state, from, to)
        .await
        .map_err(|e| e.to_string())?;
    if inserted > 0 {
        tracing::info!(slots = inserted, "generated appointment slots");
    }
    Ok(())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(site_slots))
        .routes(routes!(my_appointments, book))
        .routes(routes!(cancel, one_appointment))
        .routes(routes!(set_reminder))
        .merge(desk::router())
}

/// The half-hour slots of one site and day, with the seats left.
#[utoipa::path(get, path = "/api/sites/{code}/slots", tag = "预约",
    params(
        ("code" = String, Path, description = "服务点编码，如 HALL、ST-01"),
        ("date" = String, Query, format = Date, description = "日期 YYYY-MM-DD；可预约明天起 14 天内的工作日"),
        ("item" = Option<String>, Query, max_length = 40, description = "只列出办理该事项的时段，事项编码如 SFQ-GA-0001"),
    ),
    responses((status = 200, body = SlotList), (status = 400, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError)))]
pub async fn site_slots(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Params,
) -> AppResult<Json<SlotList>> {
    let directory = state.sites();
    let site = directory
        .get(&code)
        .ok_or_else(|| AppError::not_found(format!("没有找到编码为 {code} 的服务点")))?;
    let date_text = params.required_text("date", "预约日期", 20)?;
    let date = Date::parse(&date_text).ok_or_else(|| {
        AppError::bad_param(
            "date",
            format!("预约日期（参数 date）“{date_text}”不是有效日期，应为 YYYY-MM-DD"),
        )
    })?;
    let mut not_bookable = None;
    let category = match params.text("item", "事项编码", 40)? {
        None => None,
        Some(item_code) => {
            let catalog = state.catalog();
            let item = catalog.index.summary(&item_code).ok_or_else(|| {
                AppError::bad_param("item", format!("没有编码为 {item_code} 的事项"))
            })?;
            if !site.items.contains(&item_code) {
                return Err(AppError::bad_param(
                    "item",
                    format!("{}不办理“{}”，请选择其他服务点", site.name, item.name),
                ));
            }
            let category = category_at(site, item);
            // A 驿站 answers its own note below; elsewhere the item itself needs no booking.
            if category.is_none() && capacity(site.level).is_some() {
                not_bookable = Some(walk_in(&item.name));
            }
            category
        }
    };
    let (from, to) = window(Moment::now().date);
    let day = match state.calendar().day_kind(date) {
        Ok(kind) => kind.label().to_string(),
        Err(_) => "节假日安排未公布".to_string(),
    };
    let mut list = SlotList {
        site_code: site.code.clone(),
        site_name: site.name.clone(),
        date: date.to_string(),
        day,
        bookable_from: from.to_string(),
        bookable_to: to.to_string(),
        slots: Vec::new(),
        note: None,
    };
    if offered_queues(&state.catalog(), site).is_empty() {
        list.note = Some(if site.level == SiteLevel::Station {
            "政务服务驿站无需预约，可在服务时间直接前往办理".into()
        } else {
            "该服务点不设预约，可在办公时间直接前往办理".into()
        });
        return Ok(Json(list));
    }
    if let Some(note) = not_bookable {
        list.note = Some(note);
        return Ok(Json(list));
    }
    if date < from || date > to {
        list.note = Some(format!(
            "可预约 {} 至 {} 的时段",
            from.chinese_short(),
            to.chinese_short()
        ));
        return Ok(Json(list));
    }
    if let Some(closure) = closure_on(&site.hours, date) {
        list.note = Some(format!(
            "临时停止服务（{}），当天不开放预约",
            closure.reason
        ));
        return Ok(Json(list));
    }
    match state.calendar().is_working_day(date) {
        Err(app::rules::workdays::CalendarError::YearNotPublished(year)) => {
            list.note = Some(format!("{year}年的法定节假日安排尚未公布，暂不开放预约"));
            return Ok(Json(list));
        }
        Ok(false) => {
            list.note = Some(format!("{}休息，不开放预约", list.day));
            return Ok(Json(list));
        }
        Ok(true) => {}
    }
    let offered = slots::ensure_day(&state, site, date).await?;
    list.slots = slots::for_day(&state.db, &site.code, date, category, &offered).await?;
    if list.slots.is_empty() {
        list.note = Some("当天没有可预约的时段".into());
    }
    Ok(Json(list))
}

/// Books a slot for the signed-in applicant.
#[utoipa::path(post, path = "/api/appointments", tag = "预约",
    request_body = NewAppointment,
    responses(
        (status = 201, body = Appointment),
        (status = 400, body = app::api::ApiError, description = "时段或事项无效"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 409, body = app::api::ApiError, description = "时段已约满、已过期，或当天已预约过该事项"),
    ))]
pub async fn book(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    JsonBody(request): JsonBody<NewAppointment>,
) -> AppResult<(StatusCode, Json<Appointment>)> {
    let slot_id = request.slot_id.trim();
    let item_code = request.item_code.trim();
    if slot_id.is_empty() || slot_id.len() > 80 {
        return Err(AppError::bad_param("slot_id", "请选择预约时段"));
    }
    let catalog = state.catalog();
    let item = catalog.index.summary(item_code).ok_or_else(|| {
        AppError::bad_param("item_code", format!("没有编码为 {item_code} 的事项"))
    })?;
    let slot = slots::get(&state.db, slot_id)
        .await?
        .ok_or_else(|| AppError::bad_param("slot_id", "没有找到该预约时段，请重新选择"))?;
    let directory = state.sites();
    let site = directory
        .get(&slot.site_code)
        .ok_or_else(|| AppError::Internal(format!("slot of unknown site {}", slot.site_code)))?;
    if !site.items.iter().any(|code| code == item_code) {
        return Err(AppError::bad_param(
            "item_code",
            format!("{}不办理“{}”，请选择其他服务点", site.name, item.name),
        ));
    }
    if !bookable(item.appointment, site.level) {
        return Err(AppError::bad_param("item_code", walk_in(&item.name)));
    }
    if category_at(site, item) != Some(slot.category.as_str()) {
        return Err(AppError::bad_param(
            "slot_id",
            format!(
                "该时段只受理{}业务，“{}”请选择{}时段",
                slot.category,
                item.name,
                category_at(site, item).unwrap_or(GENERAL)
            ),
        ));
    }
    let date = Date::parse(&slot.date)
        .ok_or_else(|| AppError::Internal(format!("slot date {:?}", slot.date)))?;
    let (from, to) = window(Moment::now().date);
    if date < from {
        return Err(AppError::conflict(
            "slot_closed",
            "该时段已不可预约（可预约明天起 14 天内的时段），请选择其他时段",
        ));
    }
    if date > to {
        return Err(AppError::conflict(
            "slot_closed",
            format!("目前只能预约 {} 之前的时段", to.chinese_short()),
        ));
    }

    // A manager may have changed the hours, closed the day or dropped the queue since the
    // slot was listed.
    if !slots::plan_now(&state, site, date)
        .iter()
        .any(|planned| planned.id == slot.id)
    {
        return Err(AppError::conflict(
            "slot_closed",
            match closure_on(&site.hours, date) {
                Some(closure) => format!(
                    "该服务点当天临时停止服务（{}），请选择其他日期",
                    closure.reason
                ),
                None => "该时段已停止预约（服务点调整了办公时间），请选择其他时段".to_string(),
            },
        ));
    }

    let mut tx = state.db.pool.begin().await?;
    // The write comes first: on SQLite it takes the write lock at once (waiting out other
    // writers under busy_timeout) instead of failing a read-then-write upgrade.
    let taken = sqlx::query(
        "UPDATE appointment_slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity",
    )
    .bind(&slot.id)
    .execute(&mut *tx)
    .await
    .map_err(booking_error)?
    .rows_affected();
    if taken != 1 {
        return Err(AppError::conflict("slot_full", FULL));
    }
    let letter = ticket_letter(&slot.category);
    let day = slot.date.replace('-', "");
    let number: i64 = sqlx::query(
        "INSERT INTO appointment_tickets (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = appointment_tickets.value + 1 RETURNING value",
    )
    .bind(format!("{letter}-{day}"))
    .fetch_one(&mut *tx)
    .await?
    .try_get("value")?;
    let id = crate::secrets::new_id();
    let ticket = format!("{letter}-{day}-{number:04}");
    sqlx::query(
        "INSERT INTO appointments (id, slot_id, applicant_id, item_code, item_name, date, ticket, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(&slot.id)
    .bind(&user.id)
    .bind(&item.code)
    .bind(&item.name)
    .bind(&slot.date)
    .bind(&ticket)
    .bind(crate::clock::now_text())
    .execute(&mut *tx)
    .await
    .map_err(booking_error)?;
    tx.commit().await.map_err(booking_error)?;
    let appointment = find(&state, &user.id, &id)
        .await?
        .ok_or_else(|| AppError::Internal("booked appointment vanished".into()))?;
    Ok((StatusCode::CREATED, Json(appointment)))
}

/// Maps the database's last guards to their 409s.
fn booking_error(error: sqlx::Error) -> AppError {
    if let sqlx::Error::Database(db) = &error {
        match db.kind() {
            sqlx::error::ErrorKind::CheckViolation => return AppError::conflict("slot_full", FULL),
            sqlx::error::ErrorKind::UniqueViolation
                if db.constraint() == Some("appointments_one_per_item_day")
                    || db.message().contains("appointments.applicant_id") =>
            {
                return AppError::conflict("duplicate_appointment", DUPLICATE);
            }
            _ => {}
        }
    }
    AppError::Database(error)
}

/// The signed-in applicant's appointments: upcoming first (soonest first), then past and
/// cancelled ones (latest first).
#[utoipa::path(get, path = "/api/appointments", tag = "预约",
    responses((status = 200, body = AppointmentList), (status = 401, body = app::api::ApiError, description = "未登录")))]
pub async fn my_appointments(
    State(state): State<AppState>,
    Applicant(user): Applicant,
) -> AppResult<Json<AppointmentList>> {
    let today = Moment::now().date.to_string();
    let mut appointments = load(&state, &user.id, None).await?;
    let upcoming = |a: &Appointment| a.status == AppointmentStatus::Booked && a.date >= today;
    appointments.sort_by(|a, b| match (upcoming(a), upcoming(b)) {
        (true, false) => std::cmp::Ordering::Less,
        (false, true) => std::cmp::Ordering::Greater,
        (true, true) => (&a.date, &a.start).cmp(&(&b.date, &b.start)),
        (false, false) => (&b.date, &b.start).cmp(&(&a.date, &a.start)),
    });
    Ok(Json(AppointmentList { appointments }))
}

/// One of the signed-in applicant's appointments (the page its QR code points to).
#[utoipa::path(get, path = "/api/appointments/{id}", tag = "预约",
    params(("id" = String, Path, description = "预约编号")),
    responses((status = 200, body = Appointment), (status = 401, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError)))]
pub async fn one_appointment(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
) -> AppResult<Json<Appointment>> {
    find(&state, &user.id, &id)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

fn not_found() -> AppError {
    AppError::not_found("没有找到该预约")
}

/// Cancels one of the signed-in applicant's appointments and frees its seat.
#[utoipa::path(delete, path = "/api/appointments/{id}", tag = "预约",
    params(("id" = String, Path, description = "预约编号")),
    responses(
        (status = 200, body = Appointment, description = "已取消"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 404, body = app::api::ApiError, description = "没有该预约，或不是本人的预约"),
        (status = 409, body = app::api::ApiError, description = "已取消过，或预约日期已过"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
) -> AppResult<Json<Appointment>> {
    let appointment = find(&state, &user.id, &id).await?.ok_or_else(not_found)?;
    if appointment.status == AppointmentStatus::Cancelled {
        return Err(AppError::conflict(
            "already_cancelled",
            "该预约已取消，无需重复操作",
        ));
    }
    if appointment.checked_in {
        return Err(AppError::conflict(
            "checked_in",
            "您已在窗口签到，这个预约不能再取消",
        ));
    }
    if appointment.date < Moment::now().date.to_string() {
        return Err(AppError::conflict(
            "appointment_past",
            "预约日期已过，无法取消",
        ));
    }
    let mut tx = state.db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE appointments SET cancelled_at = $1 \
         WHERE id = $2 AND applicant_id = $3 AND cancelled_at IS NULL AND checked_in_at IS NULL",
    )
    .bind(crate::clock::now_text())
    .bind(&id)
    .bind(&user.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed != 1 {
        return Err(AppError::conflict(
            "already_cancelled",
            "该预约已取消，无需重复操作",
        ));
    }
    sqlx::query(
        "UPDATE appointment_slots SET booked = booked - 1 \
         WHERE id = (SELECT slot_id FROM appointments WHERE id = $1) AND booked > 0",
    )
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    find(&state, &user.id, &id)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// Turns the reminder SMS the day before on or off for one of the applicant's appointments.
#[utoipa::path(put, path = "/api/appointments/{id}/reminder", tag = "预约",
    params(("id" = String, Path, description = "预约编号")),
    request_body = AppointmentReminder,
    responses(
        (status = 200, body = Appointment),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 404, body = app::api::ApiError, description = "没有该预约，或不是本人的预约"),
    ))]
pub async fn set_reminder(
    State(state): State<AppState>,
    Applicant(user): Applicant,
    Path(id): Path<String>,
    JsonBody(wanted): JsonBody<AppointmentReminder>,
) -> AppResult<Json<Appointment>> {
    sqlx::query("UPDATE appointments SET sms_reminder = $1 WHERE id = $2 AND applicant_id = $3")
        .bind(i64::from(wanted.enabled))
        .bind(&id)
        .bind(&user.id)
        .execute(&state.db.pool)
        .await?;
    find(&state, &user.id, &id)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

async fn find(state: &AppState, applicant_id: &str, id: &str) -> AppResult<Option<Appointment>> {
    Ok(load(state, applicant_id, Some(id))
        .await?
        .into_iter()
        .next())
}

/// The applicant's appointments (or the one with `id`), in no particular order.
async fn load(
    state: &AppState,
    applicant_id: &str,
    id: Option<&str>,
) -> AppResult<Vec<Appointment>> {
    let rows = sqlx::query(
        "SELECT a.id, a.ticket, a.item_code, a.item_name, a.date, a.cancelled_at, a.checked_in_at, a.sms_reminder, \
         s.site_code, s.start, s.\"end\", s.category, st.name, st.address, st.phone \
         FROM appointments a \
         JOIN appointment_slots s ON s.id = a.slot_id \
         JOIN sites st ON st.code = s.site_code \
         WHERE a.applicant_id = $1 AND ($2 = '' OR a.id = $2)",
    )
    .bind(applicant_id)
    .bind(id.unwrap_or(""))
    .fetch_all(&state.db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            Ok(Appointment {
                qr_text: format!("/appointments/{id}"),
                id,
                ticket: r.try_get("ticket")?,
                site_code: r.try_get("site_code")?,
                site_name: r.try_get("name")?,
                site_address: r.try_get("address")?,
                site_phone: r.try_get("phone")?,
                item_code: r.try_get("item_code")?,
                item_name: r.try_get("item_name")?,
                category: r.try_get("category")?,
                date: r.try_get("date")?,
                start: r.try_get("start")?,
                end: r.try_get("end")?,
                status: match r.try_get::<Option<String>, _>("cancelled_at")? {
                    None => AppointmentStatus::Booked,
                    Some(_) => AppointmentStatus::Cancelled,
                },
                checked_in: r.try_get::<Option<String>, _>("checked_in_at")?.is_some(),
                sms_reminder: r.try_get::<i64, _>("sms_reminder")? != 0,
            })
        })
        .collect()
}

/// A slot as listed.
pub(crate) fn slot_view(slot: &slots::SlotRow) -> AppointmentSlot {
    AppointmentSlot {
        id: slot.id.clone(),
        date: slot.date.clone(),
        start: slot.start.clone(),
        end: slot.end.clone(),
        category: slot.category.clone(),
        capacity: slot.capacity as u32,
        remaining: (slot.capacity - slot.booked).max(0) as u32,
    }
}
