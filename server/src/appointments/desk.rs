//! 预约 at the window: the staff of a site open a booking from its QR code (`GET
//! /api/staff/appointments/{id}`), check the person in (`POST …/check-in`, audited, idempotent)
//! and see their site's day (`GET /api/staff/bookings?date=`: 已到, 未到, 待到).
//!
//! Staff serve the site of `staff.site_code` (migration 0019); the centre manager may look at
//! every site. An applicant is refused with 403 (the QR code leads a citizen to their own
//! ticket page, never here), staff of another site too, naming the site the booking is for.
//! Check-in is one conditional `UPDATE … WHERE checked_in_at IS NULL AND cancelled_at IS NULL`
//! in the same transaction as its audit entry, so two desks pressing 签到 at once record it
//! once; a repeated 签到 answers the booking as it is. The time of day comes from the server's
//! [`crate::clock::Clock`].

use app::api::{AppointmentStatus, DeskBooking, DeskDay};
use app::rules::appointment::{attendance, check_in_open, Attendance};
use app::rules::date::Date;
use app::rules::opening::format_minutes;
use axum::extract::{Path, State};
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit;
use crate::auth::session::{Principal, StaffUser};
use crate::auth::SignedIn;
use crate::client_address::ClientAddress;
use crate::clock::Moment;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(desk_booking))
        .routes(routes!(check_in))
        .routes(routes!(desk_day))
}

/// A member of staff at a window, with the site they serve.
struct Desk {
    user: StaffUser,
    site: Option<String>,
}

impl Desk {
    /// 401 signed out, 403 for an applicant.
    async fn of(state: &AppState, principal: Principal) -> AppResult<Desk> {
        let user =
            match principal {
                Principal::Staff(user) => user,
                Principal::Applicant(_) => return Err(AppError::Forbidden {
                    message:
                        "预约核验和签到只能由服务点工作人员办理。您的预约凭证请在“我的预约”中查看。"
                            .into(),
                }),
            };
        let site = sqlx::query("SELECT site_code FROM staff WHERE username = $1")
            .bind(&user.username)
            .fetch_optional(&state.db.pool)
            .await?
            .map(|r| r.try_get::<Option<String>, _>("site_code"))
            .transpose()?
            .flatten();
        Ok(Desk { user, site })
    }

    /// 403 unless this member of staff serves `site_code` (the manager serves every site).
    fn serve(&self, state: &AppState, site_code: &str) -> AppResult<()> {
        if self.user.is_manager() || self.site.as_deref() == Some(site_code) {
            return Ok(());
        }
        let directory = state.sites();
        let name = |code: &str| {
            directory
                .get(code)
                .map_or_else(|| code.to_string(), |s| s.name.clone())
        };
        let message = match &self.site {
            Some(mine) => format!(
                "这是{}的预约，不是您所在的{}的预约，请由{}的工作人员核验和签到。",
                name(site_code),
                name(mine),
                name(site_code)
            ),
            None => NO_SITE.to_string(),
        };
        Err(AppError::Forbidden { message })
    }
}

const NO_SITE: &str =
    "您的账号没有关联服务点，不能查看预约和签到。请联系中心管理者设置您所在的服务点。";

/// The Beijing moment by the server's clock.
fn now(state: &AppState) -> Moment {
    Moment::from_unix(state.clock.now_unix())
}

const SELECT: &str = "SELECT a.id, a.ticket, a.item_code, a.item_name, a.date, a.cancelled_at, \
     a.checked_in_at, s.site_code, s.start, s.\"end\", s.category, st.name AS site_name, \
     ap.phone, c.name AS company, f.display_name AS checker \
     FROM appointments a \
     JOIN appointment_slots s ON s.id = a.slot_id \
     JOIN sites st ON st.code = s.site_code \
     JOIN applicants ap ON ap.id = a.applicant_id \
     LEFT JOIN companies c ON c.uscc = ap.uscc \
     LEFT JOIN staff f ON f.username = a.checked_in_by";

fn booking(row: &sqlx::any::AnyRow, at: Moment) -> AppResult<DeskBooking> {
    let date: String = row.try_get("date")?;
    let end: String = row.try_get("end")?;
    let cancelled = row.try_get::<Option<String>, _>("cancelled_at")?.is_some();
    let checked_in_at: Option<String> = row.try_get("checked_in_at")?;
    let (today, clock) = (at.date.to_string(), format_minutes_padded(at.minute));
    let attendance =
        (!cancelled).then(|| attendance(checked_in_at.is_some(), &date, &end, &today, &clock));
    let open = check_in_open(&date, &today);
    let note = if cancelled {
        Some("申请人已取消这个预约".to_string())
    } else if checked_in_at.is_some() || open {
        None
    } else if date > today {
        Some(format!("预约日期是{}，当天才能签到", day_words(&date)))
    } else {
        Some(format!("预约日期{}已过，不能再签到", day_words(&date)))
    };
    Ok(DeskBooking {
        id: row.try_get("id")?,
        ticket: row.try_get("ticket")?,
        site_code: row.try_get("site_code")?,
        site_name: row.try_get("site_name")?,
        item_code: row.try_get("item_code")?,
        item_name: row.try_get("item_name")?,
        category: row.try_get("category")?,
        start: row.try_get("start")?,
        end,
        phone: row.try_get("phone")?,
        company: row.try_get("company")?,
        status: if cancelled {
            AppointmentStatus::Cancelled
        } else {
            AppointmentStatus::Booked
        },
        attendance,
        can_check_in: !cancelled && checked_in_at.is_none() && open,
        checked_in_at: checked_in_at
            .as_deref()
            .and_then(crate::clock::parse_rfc3339)
            .map(|secs| format_minutes(Moment::from_unix(secs).minute)),
        checked_in_by: row.try_get("checker")?,
        note,
        date,
    })
}

/// `HH:MM`, zero-padded, as slot times are stored.
fn format_minutes_padded(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// `2026-12-03` → `12月3日 周四`.
fn day_words(date: &str) -> String {
    Date::parse(date).map_or_else(
        || date.to_string(),
        |d| format!("{} {}", d.chinese_short(), d.weekday().chinese()),
    )
}

async fn find(state: &AppState, id: &str, at: Moment) -> AppResult<DeskBooking> {
    let row = sqlx::query(&format!("{SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?
        .ok_or_else(|| AppError::not_found("没有找到这个预约，请核对二维码或预约号"))?;
    booking(&row, at)
}

/// One booking for the staff of its site: who (mobile number), what, when, 已到/未到/待到.
#[utoipa::path(get, path = "/api/staff/appointments/{id}", tag = "预约",
    params(("id" = String, Path, description = "预约编号（预约凭证二维码中的编号）")),
    responses(
        (status = 200, body = DeskBooking),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 403, body = app::api::ApiError, description = "申请人，或不是该服务点的工作人员"),
        (status = 404, body = app::api::ApiError, description = "没有该预约"),
    ))]
pub async fn desk_booking(
    State(state): State<AppState>,
    SignedIn(principal): SignedIn,
    Path(id): Path<String>,
) -> AppResult<Json<DeskBooking>> {
    let desk = Desk::of(&state, principal).await?;
    let found = find(&state, &id, now(&state)).await?;
    desk.serve(&state, &found.site_code)?;
    Ok(Json(found))
}

/// 签到: the person is at the window. Only on the booked day; a second 签到 changes nothing.
#[utoipa::path(post, path = "/api/staff/appointments/{id}/check-in", tag = "预约",
    params(("id" = String, Path, description = "预约编号")),
    responses(
        (status = 200, body = DeskBooking, description = "已签到（再次签到时原样答复）"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 403, body = app::api::ApiError, description = "申请人，或不是该服务点的工作人员"),
        (status = 404, body = app::api::ApiError, description = "没有该预约"),
        (status = 409, body = app::api::ApiError, description = "预约已取消，或不是预约当天"),
    ))]
pub async fn check_in(
    State(state): State<AppState>,
    SignedIn(principal): SignedIn,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<DeskBooking>> {
    let desk = Desk::of(&state, principal).await?;
    let at = now(&state);
    let found = find(&state, &id, at).await?;
    desk.serve(&state, &found.site_code)?;
    if found.checked_in_at.is_some() {
        return Ok(Json(found));
    }
    if found.status == AppointmentStatus::Cancelled {
        return Err(AppError::conflict(
            "appointment_cancelled",
            "申请人已取消这个预约，不能签到",
        ));
    }
    if !found.can_check_in {
        return Err(AppError::conflict(
            "not_the_day",
            found.note.unwrap_or_else(|| "现在不能签到".into()),
        ));
    }
    let mut tx = state.db.pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE appointments SET checked_in_at = $1, checked_in_by = $2 \
         WHERE id = $3 AND checked_in_at IS NULL AND cancelled_at IS NULL",
    )
    .bind(crate::clock::rfc3339(state.clock.now_unix()))
    .bind(&desk.user.username)
    .bind(&id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 1 {
        audit::record(
            &mut *tx,
            audit::Entry {
                actor: &desk.user.audit_name(),
                action: "预约签到",
                detail: &format!(
                    "{} {} {} {}",
                    found.ticket, found.site_name, found.date, found.item_name
                ),
                case_id: None,
                address: &address,
            },
        )
        .await?;
    }
    tx.commit().await?;
    // Checked in by this request or a simultaneous one; cancelled meanwhile shows as such.
    let after = find(&state, &id, at).await?;
    if after.checked_in_at.is_none() {
        return Err(AppError::conflict(
            "appointment_cancelled",
            "申请人已取消这个预约，不能签到",
        ));
    }
    Ok(Json(after))
}

/// One site's bookings of a day, by time, with how many are 已到, 未到 and 待到.
#[utoipa::path(get, path = "/api/staff/bookings", tag = "预约",
    params(
        ("date" = Option<String>, Query, format = Date, description = "日期 YYYY-MM-DD；默认今天（北京时间）"),
        ("site" = Option<String>, Query, max_length = 20, description = "服务点编码：仅中心管理者可选，工作人员总是本服务点"),
    ),
    responses(
        (status = 200, body = DeskDay),
        (status = 400, body = app::api::ApiError, description = "日期或服务点无效"),
        (status = 401, body = app::api::ApiError, description = "未登录"),
        (status = 403, body = app::api::ApiError, description = "申请人，或账号没有关联服务点"),
    ))]
pub async fn desk_day(
    State(state): State<AppState>,
    SignedIn(principal): SignedIn,
    params: Params,
) -> AppResult<Json<DeskDay>> {
    let desk = Desk::of(&state, principal).await?;
    let at = now(&state);
    let date = match params.text("date", "日期", 20)? {
        None => at.date,
        Some(text) => Date::parse(&text).ok_or_else(|| {
            AppError::bad_param(
                "date",
                format!("日期（参数 date）“{text}”不是有效日期，应为 YYYY-MM-DD"),
            )
        })?,
    };
    let asked = params.text("site", "服务点编码", 20)?;
    let directory = state.sites();
    let site_code = match (&desk.site, desk.user.is_manager(), asked) {
        (_, true, Some(code)) => code,
        (Some(mine), _, _) => mine.clone(),
        (None, true, None) => directory
            .sites()
            .next()
            .map(|s| s.code.clone())
            .ok_or_else(|| AppError::not_found("还没有服务点"))?,
        (None, false, _) => {
            return Err(AppError::Forbidden {
                message: NO_SITE.into(),
            })
        }
    };
    let site = directory
        .get(&site_code)
        .ok_or_else(|| AppError::bad_param("site", format!("没有编码为 {site_code} 的服务点")))?;
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE s.site_code = $1 AND a.date = $2 ORDER BY s.start, a.ticket"
    ))
    .bind(&site.code)
    .bind(date.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    let mut bookings = rows
        .iter()
        .map(|r| booking(r, at))
        .collect::<AppResult<Vec<_>>>()?;
    // Cancelled ones last, each part by time (the query's order, kept by the stable sort).
    bookings.sort_by_key(|b| b.status == AppointmentStatus::Cancelled);
    let count = |wanted: Attendance| {
        bookings
            .iter()
            .filter(|b| b.attendance == Some(wanted))
            .count() as u32
    };
    Ok(Json(DeskDay {
        site_code: site.code.clone(),
        site_name: site.name.clone(),
        date: date.to_string(),
        today: at.date.to_string(),
        arrived: count(Attendance::Arrived),
        missed: count(Attendance::Missed),
        expected: count(Attendance::Expected),
        cancelled: bookings
            .iter()
            .filter(|b| b.status == AppointmentStatus::Cancelled)
            .count() as u32,
        bookings,
    }))
}
