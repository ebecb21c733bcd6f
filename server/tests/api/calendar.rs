//! Working days: `GET /api/calendar/due`.

use app::api::DueDate;

use crate::both;
use crate::common::TestApp;

both!(
    due_date_counts_working_saturdays_and_skips_spring_festival,
    |app: TestApp| async move {
        let friday: DueDate = app
            .get("/api/calendar/due?from=2026-02-13&working_days=1")
            .await
            .parse();
        assert_eq!(
            friday.due, "2026-02-14",
            "2026-02-14 is a 调休 working Saturday"
        );
        assert!(friday.skipped.is_empty());

        let festival: DueDate = app
            .get("/api/calendar/due?from=2026-02-14&working_days=1")
            .await
            .parse();
        assert_eq!(festival.due, "2026-02-24");
        let dates: Vec<&str> = festival.skipped.iter().map(|s| s.date.as_str()).collect();
        assert_eq!(dates.first(), Some(&"2026-02-15"));
        assert_eq!(dates.last(), Some(&"2026-02-23"));
        assert_eq!(dates.len(), 9);
        assert!(festival.skipped.iter().all(|s| s.reason == "春节"));

        let weekend: DueDate = app
            .get("/api/calendar/due?from=2026-11-27&working_days=1")
            .await
            .parse();
        assert_eq!(weekend.due, "2026-11-30");
        let reasons: Vec<&str> = weekend.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons, ["周六", "周日"]);

        let same_day: DueDate = app
            .get("/api/calendar/due?from=2026-03-02&working_days=0")
            .await
            .parse();
        assert_eq!(same_day.due, "2026-03-02");
    }
);

both!(
    unpublished_year_is_refused_not_guessed,
    |app: TestApp| async move {
        let response = app
            .get("/api/calendar/due?from=2026-12-30&working_days=5")
            .await;
        assert_eq!(response.status, 422);
        let error = response.json();
        assert_eq!(error["code"], "calendar_not_published");
        assert!(error["message"].as_str().unwrap().contains("2027"));
    }
);

both!(
    a_start_in_an_unpublished_year_is_refused_even_for_zero_days,
    |app: TestApp| async move {
        for (uri, year) in [
            ("/api/calendar/due?from=2030-01-07&working_days=0", "2030"),
            ("/api/calendar/due?from=2027-03-01&working_days=0", "2027"),
            ("/api/calendar/due?from=2024-12-31&working_days=1", "2024"),
        ] {
            let response = app.get(uri).await;
            assert_eq!(response.status, 422, "{uri}: {}", response.text());
            let error: app::api::ApiError = response.parse();
            assert_eq!(error.code, "calendar_not_published", "{uri}");
            assert!(error.message.contains(year), "{uri}: {}", error.message);
            assert!(error.fields.is_none());
        }
    }
);

both!(
    malformed_calendar_queries_name_the_parameter,
    |app: TestApp| async move {
        for (uri, field) in [
            ("/api/calendar/due?working_days=3", "from"),
            ("/api/calendar/due?from=2026-02-30&working_days=3", "from"),
            ("/api/calendar/due?from=13/02/2026&working_days=3", "from"),
            ("/api/calendar/due?from=2026-02-13", "working_days"),
            (
                "/api/calendar/due?from=2026-02-13&working_days=three",
                "working_days",
            ),
            (
                "/api/calendar/due?from=2026-02-13&working_days=9999",
                "working_days",
            ),
        ] {
            let response = app.get(uri).await;
            assert_eq!(response.status, 400, "{uri}");
            assert!(
                response.json()["fields"][field].is_string(),
                "{uri}: {}",
                response.text()
            );
        }
    }
);
