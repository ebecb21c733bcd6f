//! 政务服务地图: sites near a point, open now, GCJ-02, filters, detail, map and coverage.

use std::collections::BTreeSet;

use app::api::{Coverage, DistrictMap, Site, SiteDetail, SiteLevel, SiteList, SiteSummary};

use crate::both;
use crate::common::{enc, TestApp};

fn demo_sites() -> Vec<Site> {
    serde_json::from_str(include_str!("../../demo/sites.json")).unwrap()
}

async fn list(app: &TestApp, query: &str) -> Vec<SiteSummary> {
    let response = app.get(&format!("/api/sites{query}")).await;
    assert_eq!(response.status, 200, "{query}: {}", response.text());
    response.parse::<SiteList>().sites
}

fn codes(sites: &[SiteSummary]) -> Vec<&str> {
    sites.iter().map(|s| s.code.as_str()).collect()
}

fn open_codes(sites: &[SiteSummary]) -> BTreeSet<String> {
    sites
        .iter()
        .filter(|s| s.open_now)
        .map(|s| s.code.clone())
        .collect()
}

/// Haversine on the IUGG mean radius, written out independently of the rules crate.
fn haversine(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_008.8_f64;
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let (dp, dl) = ((b.0 - a.0).to_radians(), (b.1 - a.1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

both!(
    nearest_sites_first_with_hand_computed_distances,
    |app: TestApp| async move {
        let sites = list(&app, "?near=34.2,108.95").await;
        assert_eq!(sites.len(), demo_sites().len());
        // Computed by hand (Python, haversine, R = 6 371 008.8 m) from (34.2, 108.95):
        // HALL 809.52 m, CM-0703 1238.08 m, ST-03 1302.18 m. Walks: ×1.25 at 80 m/min, rounded up.
        let expected = [
            ("HALL", 810, 13),
            ("CM-0703", 1238, 20),
            ("ST-03", 1302, 21),
        ];
        for (site, (code, metres, minutes)) in sites.iter().zip(expected) {
            assert_eq!(site.code, code);
            assert_eq!(site.distance_m, Some(metres), "{code}");
            assert_eq!(site.walk_minutes, Some(minutes), "{code}");
            let independent = haversine((34.2, 108.95), (site.lat, site.lng));
            assert!(
                (f64::from(site.distance_m.unwrap()) - independent).abs() <= 0.5,
                "{code}: {independent}"
            );
        }
        let distances: Vec<u32> = sites.iter().map(|s| s.distance_m.unwrap()).collect();
        assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");

        // limit keeps the nearest.
        assert_eq!(
            codes(&list(&app, "?near=34.2,108.95&limit=2").await),
            ["HALL", "CM-0703"]
        );

        // Without a position: by level, no distances.
        let plain = list(&app, "").await;
        assert_eq!(plain[0].code, "HALL");
        let ranks: Vec<u8> = plain.iter().map(|s| s.level.rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]));
        assert!(plain
            .iter()
            .all(|s| s.distance_m.is_none() && s.walk_minutes.is_none()));
        assert!(plain
            .iter()
            .all(|s| s.item_count > 0 && s.today.starts_with("今天")));
    }
);

both!(
    open_now_at_lunch_on_holidays_and_on_a_swapped_saturday,
    |app: TestApp| async move {
        // Monday 2026-11-30, 10:00: the hall, street centres and community stations are open.
        let morning = list(&app, "?at=2026-11-30T10:00").await;
        let open = open_codes(&morning);
        assert!(open.contains("HALL") && open.contains("ST-01") && open.contains("CM-0101"));
        let hall = morning.iter().find(|s| s.code == "HALL").unwrap();
        assert_eq!(hall.today, "今天 9:00–12:00，13:30–17:00");

        // 12:30 the same day: lunch break everywhere but at 驿站.
        let lunch = list(&app, "?at=2026-11-30T12:30&open_now=true").await;
        assert!(!lunch.is_empty());
        assert!(
            lunch
                .iter()
                .all(|s| s.open_now && s.level == SiteLevel::Station),
            "{:?}",
            codes(&lunch)
        );
        assert!(!codes(&lunch).contains(&"HALL"));
        let at_ten = list(&app, "?at=2026-11-30T10:00&open_now=true").await;
        assert!(codes(&at_ten).contains(&"HALL"));
        assert!(at_ten.len() > lunch.len());

        // 国庆节 2026-10-01 10:00: only the 驿站 that stay open on holidays.
        let holiday_open: BTreeSet<String> = demo_sites()
            .into_iter()
            .filter(|s| s.hours.open_on_holidays)
            .map(|s| s.code)
            .collect();
        assert!(!holiday_open.is_empty());
        let national_day = list(&app, "?at=2026-10-01T10:00").await;
        assert_eq!(open_codes(&national_day), holiday_open);
        let hall = national_day.iter().find(|s| s.code == "HALL").unwrap();
        assert_eq!(hall.today, "今天休息（国庆节）");
        let filtered = list(&app, "?at=2026-10-01T10:00&open_now=true").await;
        assert_eq!(
            filtered
                .iter()
                .map(|s| s.code.clone())
                .collect::<BTreeSet<_>>(),
            holiday_open
        );
        assert!(filtered.iter().all(|s| s.level == SiteLevel::Station));

        // 2026-10-10 is a 调休 working Saturday: weekday hours, even at stations that never open on
        // Saturdays, and even in the afternoon at the hall (whose Saturday is morning-only).
        let swapped = list(&app, "?at=2026-10-10T15:00").await;
        let open = open_codes(&swapped);
        for code in ["HALL", "ST-01", "ST-06", "CM-0101", "CM-0102"] {
            assert!(
                open.contains(code),
                "{code} should be open on the swapped Saturday"
            );
        }
        let hall = swapped.iter().find(|s| s.code == "HALL").unwrap();
        assert_eq!(hall.today, "今天 9:00–12:00，13:30–17:00（调休上班）");
        // An ordinary Saturday afternoon: those are closed.
        let saturday = open_codes(&list(&app, "?at=2026-10-17T15:00").await);
        assert!(!saturday.contains("HALL") && !saturday.contains("CM-0101"));

        // A year whose holidays are not published: regular weekly hours, with a caveat.
        let next_year = list(&app, "?at=2027-03-01T10:00").await;
        let hall = next_year.iter().find(|s| s.code == "HALL").unwrap();
        assert!(hall.open_now);
        assert!(hall.today.contains("节假日安排未公布"), "{}", hall.today);

        let bad = app.get("/api/sites?at=2026-10-10").await;
        assert_eq!(bad.status, 400);
        assert!(bad.json()["fields"]["at"].is_string());
    }
);

both!(
    gcj02_coordinates_match_reference_values,
    |app: TestApp| async move {
        // Reference values computed independently (Python, the public WGS-84 → GCJ-02 formulas); the
        // same formulas give (34.19840545, 108.95467364) for (34.20, 108.95).
        let reference = [
            ("HALL", 34.19563891, 108.94649947),
            ("ST-04", 34.21687515, 108.98849967),
            ("YZ-11", 34.18622701, 108.91334023),
        ];
        let sites = list(&app, "").await;
        for (code, lat, lng) in reference {
            let site = sites.iter().find(|s| s.code == code).unwrap();
            assert!(
                (site.gcj_lat - lat).abs() <= 1e-6,
                "{code}: {}",
                site.gcj_lat
            );
            assert!(
                (site.gcj_lng - lng).abs() <= 1e-6,
                "{code}: {}",
                site.gcj_lng
            );
        }
        let (lat, lng) = app::rules::geo::wgs84_to_gcj02(34.20, 108.95);
        assert!((lat - 34.19840545).abs() <= 1e-6 && (lng - 108.95467364).abs() <= 1e-6);

        let detail: SiteDetail = app.get("/api/sites/HALL").await.parse();
        assert!((detail.gcj_lat - 34.19563891).abs() <= 1e-6);
        assert_eq!(
            detail.links.amap,
            format!(
                "https://uri.amap.com/marker?position=108.946499,34.195639&name={}",
                enc("示范区政务服务中心")
            )
        );
        assert!(detail
            .links
            .baidu
            .starts_with("https://api.map.baidu.com/marker?location=34.195639,108.946499&title="));
        assert!(detail
            .links
            .baidu
            .ends_with("&output=html&coord_type=gcj02"));
        assert!(detail.links.tencent.starts_with(
            "https://apis.map.qq.com/uri/v1/marker?marker=coord:34.195639,108.946499;title:"
        ));
        assert!(detail
            .links
            .geo
            .starts_with("geo:34.197250,108.941850?q=34.197250,108.941850("));
    }
);

both!(item_level_and_street_filters, |app: TestApp| async move {
    let marriage = "SFQ-MZ-0001";
    let expected: BTreeSet<String> = demo_sites()
        .into_iter()
        .filter(|s| s.items.iter().any(|i| i == marriage))
        .map(|s| s.code)
        .collect();
    assert!(!expected.is_empty() && expected.len() < demo_sites().len());
    let sites = list(&app, &format!("?item={marriage}")).await;
    assert_eq!(
        sites
            .iter()
            .map(|s| s.code.clone())
            .collect::<BTreeSet<_>>(),
        expected
    );

    // The same through the guide's own endpoint, nearest first.
    let response = app
        .get(&format!("/api/items/{marriage}/sites?near=34.21,108.93"))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    let near: Vec<SiteSummary> = response.parse::<SiteList>().sites;
    assert_eq!(
        near.iter().map(|s| s.code.clone()).collect::<BTreeSet<_>>(),
        expected
    );
    assert!(near.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
    assert_eq!(app.get("/api/items/SFQ-XX-9999/sites").await.status, 404);

    let streets = list(&app, "?level=street").await;
    assert_eq!(streets.len(), 8);
    assert!(streets.iter().all(|s| s.level == SiteLevel::Street));
    let east = list(&app, &format!("?street={}", enc("东城街道"))).await;
    assert!(!east.is_empty() && east.iter().all(|s| s.street == "东城街道"));
    let combined = list(
        &app,
        &format!(
            "?street={}&level=community&item=SFQ-RS-0001",
            enc("东城街道")
        ),
    )
    .await;
    assert!(combined
        .iter()
        .all(|s| s.street == "东城街道" && s.level == SiteLevel::Community));

    for (query, field) in [
        ("?item=SFQ-XX-9999", "item"),
        ("?level=village", "level"),
        ("?open_now=yes", "open_now"),
        ("?limit=0", "limit"),
        ("?street=%E6%9C%88%E7%90%83%E8%A1%97%E9%81%93", "street"),
    ] {
        let response = app.get(&format!("/api/sites{query}")).await;
        assert_eq!(response.status, 400, "{query}");
        assert!(
            response.json()["fields"][field].is_string(),
            "{query}: {}",
            response.text()
        );
    }
    let unknown = app.get("/api/sites?item=SFQ-XX-9999").await.json();
    assert_eq!(unknown["message"], "没有编码为 SFQ-XX-9999 的事项");
});

both!(
    malformed_near_is_refused_naming_near,
    |app: TestApp| async move {
        for near in [
            "abc",
            "34.2",
            "34.2,",
            ",108.9",
            "91,108.95",
            "34.2,181",
            "-90.5,0",
            "NaN,108",
            "34.2;108.95",
            "inf,1",
        ] {
            let response = app.get(&format!("/api/sites?near={}", enc(near))).await;
            assert_eq!(response.status, 400, "{near}");
            let error = response.json();
            assert_eq!(error["code"], "invalid_field");
            assert!(
                error["fields"]["near"].as_str().unwrap().contains("near"),
                "{near}: {error}"
            );
        }
        // Edges of the globe are fine.
        assert_eq!(app.get("/api/sites?near=-90,180").await.status, 200);
        assert_eq!(
            app.get("/api/sites?near=%2034.2%20,%20108.95").await.status,
            200
        );
        assert_eq!(
            app.get("/api/items/SFQ-GA-0001/sites?near=x").await.status,
            400
        );
    }
);

both!(site_detail_map_and_coverage, |app: TestApp| async move {
    let response = app.get("/api/sites/ST-01?at=2026-11-25T12:30").await;
    assert_eq!(response.status, 200, "{}", response.text());
    let detail: SiteDetail = response.parse();
    assert_eq!(detail.site.code, "ST-01");
    assert!(!detail.open_now);
    assert_eq!(
        detail.closed_reason.as_deref(),
        Some("午间休息，13:30 开门")
    );
    assert_eq!(detail.next_open.as_deref(), Some("今天 13:30"));
    assert!(
        detail
            .weekly
            .iter()
            .any(|l| l.contains("周三") && l.contains("19:00")),
        "{:?}",
        detail.weekly
    );
    let expected: BTreeSet<String> = demo_sites()
        .into_iter()
        .find(|s| s.code == "ST-01")
        .unwrap()
        .items
        .into_iter()
        .collect();
    assert_eq!(
        detail
            .items
            .iter()
            .map(|i| i.code.clone())
            .collect::<BTreeSet<_>>(),
        expected
    );
    assert!(detail.items.iter().all(|i| !i.name.is_empty()));
    assert!(detail
        .appointment_categories
        .iter()
        .any(|c| c == "户籍身份证"));
    let station: SiteDetail = app.get("/api/sites/YZ-01").await.parse();
    assert!(station.appointment_categories.is_empty());

    let missing = app.get("/api/sites/NOPE").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], "not_found");

    let map: DistrictMap = app.get("/api/map").await.parse();
    assert_eq!(map.streets.len(), 8);
    assert!(map.outline.len() >= 3 && !map.roads.is_empty());

    let response = app.get("/api/sites/coverage").await;
    assert_eq!(response.status, 200, "{}", response.text());
    let coverage: Coverage = response.parse();
    assert_eq!(coverage.walk_minutes, 15);
    assert!(
        (0.5..=1.0).contains(&coverage.covered_share),
        "{}",
        coverage.covered_share
    );
    assert!(u64::from(coverage.rows) * u64::from(coverage.cols) <= 10_000);
    assert!(coverage.cells > 1000);
    assert_eq!(coverage.streets.len(), 8);
    assert!(coverage
        .streets
        .iter()
        .all(|s| (0.0..=1.0).contains(&s.covered_share) && s.cells > 0));
    let uncovered: u32 = coverage.uncovered.iter().map(|r| r.len).sum();
    assert!(uncovered < coverage.cells);
});
