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

/// Unix seconds of `hour:minute` Beijing time on `date`.
fn beijing(date: Date, hour: i64, minute: i64) -> i64 {
    date.to_unix_days() * 86_400 + (hour - 8) * 3600 + minute * 60
}

async fn desk(app: &TestApp, user: Option<&User>, id: &str) -> crate::common::TestResponse {
    let uri = format!("/api/staff/appointments/{id}");
    app.send("GET", &uri, user, &[], Body::empty()).await
}

async fn check_in(app: &TestApp, user: Option<&User>, id: &str) -> crate::common::TestResponse {
    let uri = format!("/api/staff/appointments/{id}/check-in");
    app.send(
        "POST",
        &uri,
        user,
        &[("origin", "http://portal.test")],
        Body::empty(),
    )
    .await
}

async fn audit_count(app: &TestApp, action: &str, detail: &str) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1 AND detail LIKE $2")
        .bind(action)
        .bind(format!("%{detail}%"))
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap()
        .get("n")
}

both!(
    the_site_staff_check_a_person_in_once_others_are_refused,
    |app: TestApp| async move {
        let (date, list) = first_working_day(&app).await;
        let users = applicants(&app, 2).await;
        let (owner, other) = (&users[0], &users[1]);
        let booked: Appointment = book(&app, owner, &list.slots[0].id, ID_CARD).await.parse();
        let cancelled: Appointment = book(&app, other, &list.slots[0].id, ID_CARD).await.parse();
        assert_eq!(delete(&app, Some(other), &cancelled.id).await.status, 200);
        assert!(!booked.checked_in && booked.sms_reminder);

        let hall = app.sign_in_staff("ga_reviewer").await;
        let street = app.sign_in_staff("wenchang_staff").await;
        let manager = app.sign_in_staff("manager").await;

        // The hall's staff see who booked; before the day 签到 is not open yet.
        app.state.clock.pin(beijing(date.add_days(-1), 10, 0));
        let seen = desk(&app, Some(&hall), &booked.id).await;
        assert_eq!(seen.status, 200, "{}", seen.text());
        let seen: app::api::DeskBooking = seen.parse();
        assert_eq!(seen.phone, "13900000000");
        assert_eq!(
            (seen.ticket.as_str(), seen.item_code.as_str()),
            (booked.ticket.as_str(), ID_CARD)
        );
        assert_eq!(seen.attendance, Some(app::api::Attendance::Expected));
        assert!(!seen.can_check_in);
        assert!(seen.note.as_deref().unwrap().contains("当天才能签到"));
        let early = check_in(&app, Some(&hall), &booked.id).await;
        assert_eq!(early.status, 409, "{}", early.text());

        // Staff of another site, applicants (the owner too) and the signed-out are refused.
        for (who, user) in [("street", &street), ("owner", owner), ("other", other)] {
            for response in [
                desk(&app, Some(user), &booked.id).await,
                check_in(&app, Some(user), &booked.id).await,
            ] {
                assert_eq!(response.status, 403, "{who}: {}", response.text());
                assert!(response.json()["message"].as_str().unwrap().contains('预'));
            }
        }
        let refused = desk(&app, Some(&street), &booked.id).await;
        assert!(
            refused.json()["message"]
                .as_str()
                .unwrap()
                .contains("示范区政务服务中心"),
            "{}",
            refused.text()
        );
        assert_eq!(desk(&app, None, &booked.id).await.status, 401);
        assert_eq!(check_in(&app, None, &booked.id).await.status, 401);
        assert_eq!(desk(&app, Some(&hall), "nothing-here").await.status, 404);

        // On the day: checked in once, however often 签到 is pressed; audited once.
        app.state.clock.pin(beijing(date, 9, 40));
        let first = check_in(&app, Some(&hall), &booked.id).await;
        assert_eq!(first.status, 200, "{}", first.text());
        let first: app::api::DeskBooking = first.parse();
        assert_eq!(first.attendance, Some(app::api::Attendance::Arrived));
        assert_eq!(first.checked_in_at.as_deref(), Some("9:40"));
        assert_eq!(first.checked_in_by.as_deref(), Some("公安审核员 王*"));
        app.state.clock.pin(beijing(date, 9, 45));
        let again = check_in(&app, Some(&hall), &booked.id).await;
        assert_eq!(again.status, 200);
        assert_eq!(again.parse::<app::api::DeskBooking>(), first);
        assert_eq!(check_in(&app, Some(&manager), &booked.id).await.status, 200);
        assert_eq!(audit_count(&app, "预约签到", &booked.ticket).await, 1);
        let cancelled_in = check_in(&app, Some(&hall), &cancelled.id).await;
        assert_eq!(cancelled_in.status, 409);

        // The owner's ticket shows it used; it can no longer be cancelled.
        let mine: Appointment = app
            .get_as(owner, &format!("/api/appointments/{}", booked.id))
            .await
            .parse();
        assert!(mine.checked_in);
        assert_eq!(delete(&app, Some(owner), &booked.id).await.status, 409);

        // The day's list: the hall's, with counts; another site's staff see their own site.
        let day = app
            .get_as(&hall, &format!("/api/staff/bookings?date={date}"))
            .await;
        assert_eq!(day.status, 200, "{}", day.text());
        let day: app::api::DeskDay = day.parse();
        assert_eq!(day.site_code, "HALL");
        assert_eq!(
            (day.arrived, day.missed, day.expected, day.cancelled),
            (1, 0, 0, 1)
        );
        assert_eq!(day.bookings[0].id, booked.id);
        assert_eq!(day.bookings[1].status, AppointmentStatus::Cancelled);
        let theirs: app::api::DeskDay = app
            .get_as(&street, &format!("/api/staff/bookings?date={date}"))
            .await
            .parse();
        assert_eq!(theirs.site_code, "ST-03");
        assert!(theirs.bookings.is_empty());
        assert_eq!(app.get_as(owner, "/api/staff/bookings").await.status, 403);
        sqlx::query("UPDATE staff SET site_code = NULL WHERE username = 'sw_reviewer'")
            .execute(&app.state.db.pool)
            .await
            .unwrap();
        let no_site = app.sign_in_staff("sw_reviewer").await;
        assert_eq!(
            app.get_as(&no_site, "/api/staff/bookings").await.status,
            403
        );
        assert_eq!(
            app.get_as(&hall, "/api/staff/bookings?date=2026-02-30")
                .await
                .status,
            400
        );
    }
);

async fn reminders_to(app: &TestApp, phone: &str) -> Vec<String> {
    sqlx::query("SELECT body FROM sms_outbox WHERE phone = $1 AND body LIKE '%预约提醒%'")
        .bind(phone)
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("body"))
        .collect()
}

both!(
    the_reminder_goes_once_the_day_before_unless_turned_off,
    |app: TestApp| async move {
        let (date, list) = first_working_day(&app).await;
        let users = applicants(&app, 3).await;
        let mut ids = Vec::new();
        for user in &users {
            let booked: Appointment = book(&app, user, &list.slots[1].id, ID_CARD).await.parse();
            ids.push(booked);
        }
        // The second turns the reminder off; the third cancels.
        let off = app
            .put_json(
                &format!("/api/appointments/{}/reminder", ids[1].id),
                Some(&users[1]),
                &serde_json::json!({ "enabled": false }),
            )
            .await;
        assert_eq!(off.status, 200, "{}", off.text());
        assert!(!off.parse::<Appointment>().sms_reminder);
        let foreign = app
            .put_json(
                &format!("/api/appointments/{}/reminder", ids[0].id),
                Some(&users[1]),
                &serde_json::json!({ "enabled": false }),
            )
            .await;
        assert_eq!(foreign.status, 404);
        assert_eq!(delete(&app, Some(&users[2]), &ids[2].id).await.status, 200);

        let run = || server::appointments::reminders::send_due(&app.state);
        // Too early in the morning of the day before, and two days before: nothing.
        app.state.clock.pin(beijing(date.add_days(-1), 8, 30));
        assert_eq!(run().await.unwrap(), 0);
        app.state.clock.pin(beijing(date.add_days(-2), 12, 0));
        assert_eq!(run().await.unwrap(), 0);
        // The day before: two runs at once (two servers) and one more send it once.
        app.state.clock.pin(beijing(date.add_days(-1), 10, 0));
        let (a, b) = tokio::join!(run(), run());
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(run().await.unwrap(), 0);

        let sent = reminders_to(&app, "13900000000").await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert!(sent[0].contains(&ids[0].ticket), "{}", sent[0]);
        assert!(sent[0].contains("示范区政务服务中心"), "{}", sent[0]);
        assert!(
            reminders_to(&app, "13900000001").await.is_empty(),
            "opted out"
        );
        assert!(
            reminders_to(&app, "13900000002").await.is_empty(),
            "cancelled"
        );
    }
);

both!(walk_in_items_are_not_booked, |app: TestApp| async move {
    // 无犯罪记录证明开具: the guide says no appointment; the hall handles it all the same.
    const CERTIFICATE: &str = "SFQ-GA-0007";
    let (date, list) = first_working_day(&app).await;
    let detail = app.get("/api/sites/HALL").await.json();
    let item = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == CERTIFICATE)
        .expect("the hall handles it");
    assert_eq!(item["appointment"], false);
    let slots = slots(&app, "HALL", date, Some(CERTIFICATE)).await;
    assert!(slots.slots.is_empty());
    assert!(slots.note.unwrap().contains("无需预约"));
    let user = &applicants(&app, 1).await[0];
    let refused = book(&app, user, &list.slots[0].id, CERTIFICATE).await;
    assert_eq!(refused.status, 400);
    assert!(refused.json()["fields"]["item_code"]
        .as_str()
        .unwrap()
        .contains("无需预约"));
});
