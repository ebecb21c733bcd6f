//! 预约: slots on working days only, booking under contention, one booking per item and day,
//! cancelling.

use app::api::{Appointment, AppointmentList, AppointmentStatus, SlotList};
use app::rules::date::Date;
use app::rules::workdays::HolidayCalendar;
use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use server::auth::session::{self, ApplicantUser, Principal};
use sqlx::Row;
use tower::ServiceExt;

use crate::both;
use crate::common::{TestApp, User};

const ID_CARD: &str = "SFQ-GA-0001";
const RESIDENCE_PERMIT: &str = "SFQ-GA-0004";

fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    Date::from_unix_seconds_beijing(secs)
}

/// The bookable window: tomorrow to 14 days ahead.
fn window() -> Vec<Date> {
    (1..=14).map(|n| today().add_days(n)).collect()
}

fn is_working(date: Date) -> bool {
    HolidayCalendar::official().is_working_day(date) == Ok(true)
}

/// Applicants with sessions created directly in the database (the SMS flow is rate limited per
/// address, which 50 sign-ins from one test would trip).
async fn applicants(app: &TestApp, count: usize) -> Vec<User> {
    let mut users = Vec::new();
    for i in 0..count {
        let id = format!(
            "{:032x}",
            0xA000_0000_u64 + i as u64 + (std::process::id() as u64) * 1000
        );
        let phone = format!("139{:08}", i);
        sqlx::query("INSERT INTO applicants (id, phone, uscc, created_at, last_login_at) VALUES ($1, $2, '', $3, $3)")
            .bind(&id)
            .bind(&phone)
            .bind("2026-11-25T00:00:00Z")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let token = session::create(
            &app.state.db,
            &Principal::Applicant(ApplicantUser {
                id,
                phone,
                uscc: None,
            }),
        )
        .await
        .unwrap();
        users.push(User {
            cookie: format!("{}={token}", session::COOKIE),
        });
    }
    users
}

async fn slots(app: &TestApp, site: &str, date: Date, item: Option<&str>) -> SlotList {
    let item = item.map(|i| format!("&item={i}")).unwrap_or_default();
    let response = app
        .get(&format!("/api/sites/{site}/slots?date={date}{item}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

/// The first working day in the window with its hall slots for ID cards.
async fn first_working_day(app: &TestApp) -> (Date, SlotList) {
    for date in window() {
        if is_working(date) {
            let list = slots(app, "HALL", date, Some(ID_CARD)).await;
            assert!(!list.slots.is_empty(), "{date}");
            return (date, list);
        }
    }
    panic!("no working day in the next 14 days");
}

async fn book(
    app: &TestApp,
    user: &User,
    slot_id: &str,
    item: &str,
) -> crate::common::TestResponse {
    app.post_json(
        "/api/appointments",
        Some(user),
        &serde_json::json!({ "slot_id": slot_id, "item_code": item }),
    )
    .await
}

async fn delete(app: &TestApp, user: Option<&User>, id: &str) -> crate::common::TestResponse {
    app.send(
        "DELETE",
        &format!("/api/appointments/{id}"),
        user,
        &[],
        Body::empty(),
    )
    .await
}

async fn seats(app: &TestApp, slot_id: &str) -> (i64, i64) {
    let row = sqlx::query("SELECT booked, capacity FROM appointment_slots WHERE id = $1")
        .bind(slot_id)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
    (row.get("booked"), row.get("capacity"))
}

both!(
    slots_exist_only_on_working_days,
    |app: TestApp| async move {
        for date in window() {
            let hall = slots(&app, "HALL", date, None).await;
            assert_eq!(
                !hall.slots.is_empty(),
                is_working(date),
                "{date} ({})",
                hall.day
            );
            if hall.slots.is_empty() {
                assert!(hall.note.is_some(), "{date}");
                continue;
            }
            assert!(hall
                .slots
                .iter()
                .all(|s| s.date == date.to_string() && s.capacity == 6 && s.remaining == 6));
            let categories: std::collections::BTreeSet<&str> =
                hall.slots.iter().map(|s| s.category.as_str()).collect();
            for category in ["户籍身份证", "社保医保", "企业开办", "婚姻登记", "综合业务"]
            {
                assert!(categories.contains(category), "{category}");
            }
            // Half hours inside the opening periods, none over lunch.
            assert!(hall
                .slots
                .iter()
                .all(|s| s.start.as_str() >= "09:00" && s.end.as_str() <= "17:00"));
            assert!(hall
                .slots
                .iter()
                .all(|s| s.start.as_str() < "12:00" || s.start.as_str() >= "13:30"));

            let street = slots(&app, "ST-01", date, None).await;
            assert!(!street.slots.is_empty() && street.slots.iter().all(|s| s.capacity == 3));
            let community = slots(&app, "CM-0101", date, None).await;
            assert!(!community.slots.is_empty());
            assert!(community
                .slots
                .iter()
                .all(|s| s.capacity == 2 && s.category == "综合业务"));
        }
        // Whatever was generated (at start-up and on request) lies on working days in the window.
        let rows = sqlx::query("SELECT DISTINCT date FROM appointment_slots")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
        assert!(!rows.is_empty());
        for row in rows {
            let date = Date::parse(&row.get::<String, _>("date")).unwrap();
            assert!(is_working(date), "slot on non-working day {date}");
            assert!(window().contains(&date), "{date} outside the window");
        }
        // 驿站 take walk-ins; dates outside the window have no slots.
        let station = slots(&app, "YZ-01", window()[0], None).await;
        assert!(station.slots.is_empty() && station.note.is_some());
        let late = slots(&app, "HALL", today().add_days(30), None).await;
        assert!(late.slots.is_empty() && late.note.is_some());
        // The item filter keeps that item's queue.
        let (_, id_card) = first_working_day(&app).await;
        assert!(id_card.slots.iter().all(|s| s.category == "户籍身份证"));

        assert_eq!(
            app.get("/api/sites/NOPE/slots?date=2026-12-01")
                .await
                .status,
            404
        );
        for (query, field) in [
            ("", "date"),
            ("?date=2026-02-30", "date"),
            ("?date=2026-12-01&item=SFQ-XX-1", "item"),
        ] {
            let response = app.get(&format!("/api/sites/HALL/slots{query}")).await;
            assert_eq!(response.status, 400, "{query}");
            assert!(response.json()["fields"][field].is_string(), "{query}");
        }
        // A community station does not handle every item.
        let response = app
            .get("/api/sites/CM-0101/slots?date=2026-12-01&item=SFQ-SJ-0501")
            .await;
        assert_eq!(response.status, 400);
    }
);

both!(
    fifty_applicants_race_for_the_last_seat,
    |app: TestApp| async move {
        let (_, list) = first_working_day(&app).await;
        let slot = list.slots[0].clone();
        sqlx::query("UPDATE appointment_slots SET booked = capacity - 1 WHERE id = $1")
            .bind(&slot.id)
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let users = applicants(&app, 50).await;
        let body = serde_json::json!({ "slot_id": slot.id, "item_code": ID_CARD }).to_string();
        let tasks: Vec<_> = users
            .iter()
            .map(|user| {
                let router = app.router.clone();
                let request = Request::post("/api/appointments")
                    .header("host", "portal.test")
                    .header("content-type", "application/json")
                    .header("cookie", &user.cookie)
                    .body(Body::from(body.clone()))
                    .unwrap();
                tokio::spawn(async move {
                    let response = router.oneshot(request).await.unwrap();
                    let status = response.status().as_u16();
                    let bytes = response.into_body().collect().await.unwrap().to_bytes();
                    (status, String::from_utf8_lossy(&bytes).into_owned())
                })
            })
            .collect();
        let mut created = 0;
        for task in tasks {
            let (status, body) = task.await.unwrap();
            match status {
                201 => created += 1,
                409 => assert!(body.contains("该时段已约满，请选择其他时段"), "{body}"),
                other => panic!("unexpected {other}: {body}"),
            }
        }
        assert_eq!(created, 1);
        let (booked, capacity) = seats(&app, &slot.id).await;
        assert_eq!(booked, capacity);
        let live = sqlx::query("SELECT COUNT(*) AS n FROM appointments WHERE slot_id = $1")
            .bind(&slot.id)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap()
            .get::<i64, _>("n");
        assert_eq!(live, 1);

        // The CHECK constraint refuses overbooking even from outside the booking code.
        let overbook =
            sqlx::query("UPDATE appointment_slots SET booked = capacity + 1 WHERE id = $1")
                .bind(&slot.id)
                .execute(&app.state.db.pool)
                .await;
        assert!(overbook.is_err());
    }
);

both!(
    one_booking_per_item_and_day_and_cancel_frees_the_seat,
    |app: TestApp| async move {
        let (date, list) = first_working_day(&app).await;
        let users = applicants(&app, 2).await;
        let (me, other) = (&users[0], &users[1]);
        let (first, second) = (&list.slots[0], &list.slots[1]);

        let response = book(&app, me, &first.id, ID_CARD).await;
        assert_eq!(response.status, 201, "{}", response.text());
        let booked: Appointment = response.parse();
        assert_eq!(booked.status, AppointmentStatus::Booked);
        assert_eq!(booked.site_code, "HALL");
        assert_eq!(booked.date, date.to_string());
        assert_eq!(
            (booked.start.as_str(), booked.category.as_str()),
            (first.start.as_str(), "户籍身份证")
        );
        let ticket_day = date.to_string().replace('-', "");
        assert!(
            booked.ticket.starts_with(&format!("A-{ticket_day}-")) && booked.ticket.len() == 15,
            "{}",
            booked.ticket
        );
        assert_eq!(booked.qr_text, format!("/appointments/{}", booked.id));
        assert!(
            !booked.site_name.is_empty()
                && !booked.site_address.is_empty()
                && !booked.item_name.is_empty()
        );
        assert_eq!(seats(&app, &first.id).await.0, 1);
        let remaining = slots(&app, "HALL", date, Some(ID_CARD)).await;
        assert_eq!(
            remaining
                .slots
                .iter()
                .find(|s| s.id == first.id)
                .unwrap()
                .remaining,
            5
        );

        // Same item, same day, another time: refused.
        let again = book(&app, me, &second.id, ID_CARD).await;
        assert_eq!(again.status, 409);
        assert_eq!(
            again.json()["message"],
            "您当天已预约过该事项，如需改约请先取消原预约"
        );
        assert_eq!(
            seats(&app, &second.id).await.0,
            0,
            "the refused booking must not keep a seat"
        );
        // Another item of the same queue that day is fine, and gets the next ticket.
        let permit = book(&app, me, &second.id, RESIDENCE_PERMIT).await;
        assert_eq!(permit.status, 201, "{}", permit.text());
        let permit: Appointment = permit.parse();
        assert_ne!(permit.ticket, booked.ticket);

        // An item of another queue, or one the site does not handle, is refused.
        let wrong_queue = book(&app, me, &first.id, "SFQ-RS-0001").await;
        assert_eq!(wrong_queue.status, 400);
        assert!(wrong_queue.json()["fields"]["slot_id"].is_string());
        let community = slots(&app, "CM-0101", date, None).await;
        let not_here = book(&app, me, &community.slots[0].id, "SFQ-SJ-0501").await;
        assert_eq!(not_here.status, 400);
        assert!(not_here.json()["fields"]["item_code"].is_string());
        assert_eq!(book(&app, me, "NO-SUCH-SLOT", ID_CARD).await.status, 400);
        assert_eq!(book(&app, me, &first.id, "SFQ-XX-0000").await.status, 400);

        // Signed out: 401. Someone else's appointment: 404, for reading and cancelling.
        let anonymous = app
            .post_json(
                "/api/appointments",
                None,
                &serde_json::json!({ "slot_id": first.id, "item_code": ID_CARD }),
            )
            .await;
        assert_eq!(anonymous.status, 401);
        assert_eq!(app.get("/api/appointments").await.status, 401);
        assert_eq!(delete(&app, None, &booked.id).await.status, 401);
        assert_eq!(delete(&app, Some(other), &booked.id).await.status, 404);
        assert_eq!(
            app.get_as(other, &format!("/api/appointments/{}", booked.id))
                .await
                .status,
            404
        );
        let theirs: AppointmentList = app.get_as(other, "/api/appointments").await.parse();
        assert!(theirs.appointments.is_empty());

        let mine: AppointmentList = app.get_as(me, "/api/appointments").await.parse();
        assert_eq!(mine.appointments.len(), 2);
        assert_eq!(
            mine.appointments[0].id, booked.id,
            "the earlier slot comes first"
        );

        // Cancelling frees the seat and the day for that item.
        let cancelled = delete(&app, Some(me), &booked.id).await;
        assert_eq!(cancelled.status, 200, "{}", cancelled.text());
        assert_eq!(
            cancelled.parse::<Appointment>().status,
            AppointmentStatus::Cancelled
        );
        assert_eq!(seats(&app, &first.id).await.0, 0);
        let twice = delete(&app, Some(me), &booked.id).await;
        assert_eq!(twice.status, 409);
        assert_eq!(
            seats(&app, &first.id).await.0,
            0,
            "a second cancel must not free another seat"
        );
        let rebooked = book(&app, me, &second.id, ID_CARD).await;
        assert_eq!(rebooked.status, 201, "{}", rebooked.text());
        assert_eq!(seats(&app, &second.id).await.0, 2);

        // Upcoming bookings first, the cancelled one last.
        let mine: AppointmentList = app.get_as(me, "/api/appointments").await.parse();
        let statuses: Vec<AppointmentStatus> = mine.appointments.iter().map(|a| a.status).collect();
        assert_eq!(
            statuses,
            [
                AppointmentStatus::Booked,
                AppointmentStatus::Booked,
                AppointmentStatus::Cancelled
            ]
        );
        assert_eq!(mine.appointments[2].id, booked.id);
        let one = app
            .get_as(me, &format!("/api/appointments/{}", booked.id))
            .await;
        assert_eq!(
            one.parse::<Appointment>().status,
            AppointmentStatus::Cancelled
        );
    }
);

both!(a_full_slot_is_refused_with_409, |app: TestApp| async move {
    let (_, list) = first_working_day(&app).await;
    let slot = &list.slots[2];
    let users = applicants(&app, 7).await;
    for (i, user) in users.iter().enumerate() {
        let response = book(&app, user, &slot.id, ID_CARD).await;
        if i < 6 {
            assert_eq!(response.status, 201, "{i}: {}", response.text());
        } else {
            assert_eq!(response.status, 409);
            assert_eq!(response.json()["code"], "slot_full");
            assert_eq!(response.json()["message"], "该时段已约满，请选择其他时段");
        }
    }
    let list = slots(
        &app,
        "HALL",
        Date::parse(&slot.date).unwrap(),
        Some(ID_CARD),
    )
    .await;
    assert_eq!(
        list.slots
            .iter()
            .find(|s| s.id == slot.id)
            .unwrap()
            .remaining,
        0
    );
});
