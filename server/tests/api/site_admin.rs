//! Site administration (`/api/admin/sites`): a manager's change of hours, closures and queues
//! reaches citizens at once — the site page, the map list, open now, the booking slots — and
//! another server within seconds; mistakes are named by field; reviewers are refused.

use app::api::{ManagedSite, ManagedSiteList, SiteDetail, SiteList, SlotList};
use app::rules::date::Date;
use app::rules::workdays::HolidayCalendar;
use serde_json::json;
use sqlx::Row;

use crate::both;
use crate::common::TestApp;

const SITE: &str = "ST-02";
const UPGRADE: &str = "系统升级，暂停对外服务";

fn today() -> Date {
    server::clock::Moment::now().date
}

/// The first two working days from tomorrow on.
fn working_days() -> (Date, Date) {
    let mut days = (1..=14)
        .map(|n| today().add_days(n))
        .filter(|d| HolidayCalendar::official().is_working_day(*d) == Ok(true));
    (days.next().unwrap(), days.next().unwrap())
}

async fn slots(app: &TestApp, date: Date) -> SlotList {
    let response = app
        .get(&format!("/api/sites/{SITE}/slots?date={date}"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    response.parse()
}

async fn detail(app: &TestApp) -> SiteDetail {
    app.get(&format!("/api/sites/{SITE}")).await.parse()
}

both!(
    a_managers_change_reaches_citizens_and_every_server,
    |app: TestApp| async move {
        // A second server on the same database, following the shared version.
        let other = TestApp::open_existing(&app.url, app.upload_dir()).await;
        tokio::spawn(server::sites::admin::follow(other.state.clone()));
        let url = format!("/api/admin/sites/{SITE}");
        assert_eq!(app.get("/api/admin/sites").await.status, 401);
        let reviewer = app.sign_in_staff("ga_reviewer").await;
        assert_eq!(app.get_as(&reviewer, "/api/admin/sites").await.status, 403);
        assert_eq!(app.get_as(&reviewer, &url).await.status, 403);

        let manager = app.sign_in_staff("manager").await;
        let list: ManagedSiteList = app.get_as(&manager, "/api/admin/sites").await.parse();
        assert_eq!(list.sites[0].code, "HALL");
        let managed: ManagedSite = app.get_as(&manager, &url).await.parse();
        assert_eq!(managed.settings.days.len(), 7);
        assert_eq!(managed.settings.days[5].opens, "09:00");
        assert!(managed.settings.queues.iter().all(|q| q.capacity == 3));

        let (closed, open) = working_days();
        let before = slots(&app, closed).await;
        assert!(!before.slots.is_empty());
        let citizen = app.sign_in_applicant("13800138071").await;

        let mut settings = serde_json::to_value(&managed.settings).unwrap();
        assert_eq!(
            app.put_json(&url, Some(&reviewer), &settings).await.status,
            403
        );
        settings["days"][5] = json!({ "weekday": 6, "open": true, "opens": "09:00",
            "closes": "16:00", "lunch_start": "12:00", "lunch_end": "13:00" });
        settings["closures"] =
            json!([{ "first": closed.to_string(), "last": closed.to_string(), "reason": UPGRADE }]);
        for queue in settings["queues"].as_array_mut().unwrap() {
            queue["capacity"] = json!(5);
        }
        let saved = app.put_json(&url, Some(&manager), &settings).await;
        assert_eq!(saved.status, 200, "{}", saved.text());
        let saved: ManagedSite = saved.parse();
        assert_eq!(saved.settings.days[5].closes, "16:00");
        assert!(saved.updated_by.as_deref().unwrap().contains("manager"));

        // The site page: the regular week, the coming days, the notice.
        let page = detail(&app).await;
        assert!(
            page.weekly
                .iter()
                .any(|l| l == "周六 9:00–12:00，13:00–16:00"),
            "{:?}",
            page.weekly
        );
        assert!(page.notice.as_deref().unwrap().contains(UPGRADE));
        if let Some(day) = page.days.iter().find(|d| d.date == closed.to_string()) {
            assert!(!day.open);
            assert_eq!(day.hours, format!("暂停服务（{UPGRADE}）"));
        }
        assert_eq!(page.days.len(), 7);
        let at: SiteDetail = app
            .get(&format!("/api/sites/{SITE}?at={closed}T10:00"))
            .await
            .parse();
        assert!(!at.open_now);
        assert!(at.closed_reason.unwrap().contains(UPGRADE));
        // The map list says it too.
        let listed: SiteList = app.get("/api/sites?street=青禾街道").await.parse();
        let summary = listed.sites.iter().find(|s| s.code == SITE).unwrap();
        assert!(summary.notice.as_deref().unwrap().contains(UPGRADE));

        // No booking on the closed day, not even of a slot listed before; seats changed elsewhere.
        let none = slots(&app, closed).await;
        assert!(none.slots.is_empty());
        assert!(none.note.unwrap().contains(UPGRADE));
        let refused = app
            .post_json(
                "/api/appointments",
                Some(&citizen),
                &json!({ "slot_id": before.slots[0].id, "item_code": "SFQ-GA-0001" }),
            )
            .await;
        assert_eq!(refused.status, 409, "{}", refused.text());
        assert_eq!(refused.json()["code"], "slot_closed");
        let other_day = slots(&app, open).await;
        assert!(!other_day.slots.is_empty());
        assert!(
            other_day.slots.iter().all(|s| s.capacity == 5),
            "{other_day:?}"
        );

        // …and on the other server within seconds.
        let started = std::time::Instant::now();
        while detail(&other).await.notice.is_none() {
            assert!(
                started.elapsed() < server::sites::admin::FOLLOW_EVERY * 3,
                "the other server never saw the closure"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(detail(&other)
            .await
            .weekly
            .iter()
            .any(|l| l.contains("13:00–16:00")));
        // A server started later loads it too.
        let later = TestApp::open_existing(&app.url, app.upload_dir()).await;
        assert!(detail(&later).await.notice.is_some());

        // Recorded: who, what.
        let rows =
            sqlx::query("SELECT actor, detail FROM audit_log WHERE action = '修改服务点设置'")
                .fetch_all(&app.state.db.pool)
                .await
                .unwrap();
        assert_eq!(rows.len(), 1);
        let detail_text: String = rows[0].get("detail");
        assert!(rows[0].get::<String, _>("actor").contains("manager"));
        assert!(detail_text.contains("新增临时停止服务") && detail_text.contains(UPGRADE));
        assert!(detail_text.contains("每时段 5 人"), "{detail_text}");
    }
);

both!(
    invalid_site_settings_are_named_by_field,
    |app: TestApp| async move {
        let manager = app.sign_in_staff("manager").await;
        let url = format!("/api/admin/sites/{SITE}");
        let managed: ManagedSite = app.get_as(&manager, &url).await.parse();
        let mut bad = serde_json::to_value(&managed.settings).unwrap();
        bad["days"][5] = json!({ "weekday": 6, "open": true, "opens": "12:00", "closes": "09:00" });
        bad["days"][0]["lunch_start"] = json!("08:00");
        bad["closures"] = json!([{ "first": "2026-12-20", "last": "2026-12-19", "reason": "" }]);
        bad["queues"][0]["capacity"] = json!(0);
        bad["items"]
            .as_array_mut()
            .unwrap()
            .push(json!("SFQ-XX-9999"));
        let refused = app.put_json(&url, Some(&manager), &bad).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        let fields = refused.json()["fields"].clone();
        for (field, words) in [
            ("days.5.closes", "周六的关门时间应晚于开门时间"),
            ("days.0.lunch_start", "周一的午休"),
            ("closures.0.last", "结束日期应不早于开始日期"),
            ("closures.0.reason", "原因"),
            ("queues.0.capacity", "1–200"),
            ("items", "SFQ-XX-9999"),
        ] {
            assert!(
                fields[field].as_str().unwrap_or_default().contains(words),
                "{field}: {fields}"
            );
        }
        // Nothing was saved.
        let again: ManagedSite = app.get_as(&manager, &url).await.parse();
        assert_eq!(again.settings, managed.settings);
        assert!(again.updated_by.is_none());
        assert_eq!(
            app.put_json("/api/admin/sites/NOPE", Some(&manager), &managed.settings)
                .await
                .status,
            404
        );
    }
);
