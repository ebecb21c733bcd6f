//! The 政务服务地图 (service map): where citizens can get things done in person.
//!
//! The district follows the "1+8+N" pattern: one 区政务服务中心 (hall), one 街道便民服务中心 per
//! street, a 社区便民服务站 in each community, and 政务服务驿站 at partner outlets (bank branches,
//! post offices, parks, malls). The same structs are the demo file format (`server/demo/sites.json`,
//! `server/demo/district-map.json`) and the API's answers.
//!
//! Coordinates are stored and sent in WGS-84 (what GPS and the browser's geolocation report).
//! Chinese map apps expect GCJ-02, so summaries carry both; see [`crate::rules::geo`].

use serde::{Deserialize, Serialize};

/// The tier of a service site, from the district hall down to partner outlets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SiteLevel {
    /// 区政务服务中心: the district hall, handling every item.
    Hall,
    /// 街道便民服务中心: one per street (街道).
    Street,
    /// 社区便民服务站: one per community (社区), for everyday items.
    Community,
    /// 政务服务驿站: a counter or self-service terminal at a partner outlet (bank branch, post
    /// office, park, mall …).
    Station,
}

impl SiteLevel {
    pub const ALL: [SiteLevel; 4] = [
        SiteLevel::Hall,
        SiteLevel::Street,
        SiteLevel::Community,
        SiteLevel::Station,
    ];

    /// The tier's Chinese name, e.g. `街道便民服务中心`.
    pub fn label(self) -> &'static str {
        match self {
            SiteLevel::Hall => "区政务服务中心",
            SiteLevel::Street => "街道便民服务中心",
            SiteLevel::Community => "社区便民服务站",
            SiteLevel::Station => "政务服务驿站",
        }
    }

    /// Sort key: the hall first, then street centres, community stations and 驿站.
    pub fn rank(self) -> u8 {
        match self {
            SiteLevel::Hall => 0,
            SiteLevel::Street => 1,
            SiteLevel::Community => 2,
            SiteLevel::Station => 3,
        }
    }

    /// The wire name: `hall`, `street`, `community` or `station`.
    pub fn as_str(self) -> &'static str {
        super::wire_name::of(&self)
    }

    /// Parses a wire name (e.g. a `?level=` query parameter).
    pub fn parse(s: &str) -> Option<SiteLevel> {
        super::wire_name::parse(s)
    }
}

/// One opening period of a day, `[open, close)` in Beijing time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    /// `HH:MM`, zero-padded, e.g. `09:00`.
    pub open: String,
    /// `HH:MM`, zero-padded, e.g. `12:00`; `24:00` for "until midnight". The site is closed
    /// from this minute on.
    pub close: String,
}

/// The regular opening periods of one day of the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// In time order, not overlapping; e.g. 09:00–12:00 and 13:30–17:00 around the lunch break.
    pub periods: Vec<Period>,
}

/// A temporary closure (临时停止服务) of a site, e.g. for a system upgrade: no service and no
/// appointments from `first` to `last`, both included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    /// `YYYY-MM-DD`, Beijing time.
    pub first: String,
    /// `YYYY-MM-DD`, the last day closed (≥ `first`).
    pub last: String,
    /// Shown to citizens, e.g. `系统升级，暂停对外服务`.
    pub reason: String,
}

/// A site's opening hours. Days missing from `weekly` are closed.
///
/// On a public holiday the site is closed unless `open_on_holidays`; on a 调休 working Saturday
/// or Sunday it keeps its Monday hours; during a temporary closure it is closed whatever the
/// day (see [`crate::rules::opening`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpeningHours {
    pub weekly: Vec<DayHours>,
    /// Open on public holidays (with that weekday's hours), as some bank 驿站 are.
    #[serde(default)]
    pub open_on_holidays: bool,
    /// Anything the hours cannot say, e.g. `周三 17:00–19:00 延时服务，仅受理社保、医保业务`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Temporary closures, in date order (past ones may remain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closures: Vec<Closure>,
}

/// One appointment queue (预约类别) of a site and the seats of each of its half-hour slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentQueue {
    /// One of `户籍身份证`, `社保医保`, `企业开办`, `婚姻登记`, `综合业务`
    /// ([`crate::rules::site_settings::APPOINTMENT_CATEGORIES`]).
    pub category: String,
    /// Seats per half hour, 1–200.
    pub capacity: u32,
}

/// A service site as stored (the demo file's format).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    /// Stable code: `HALL`, `ST-01` (street centre), `CM-0101` (community station: street 01,
    /// station 01), `YZ-01` (驿站).
    pub code: String,
    /// e.g. `东城街道便民服务中心`.
    pub name: String,
    pub level: SiteLevel,
    /// The street (街道) the site lies in, e.g. `东城街道`.
    pub street: String,
    /// e.g. `示范区民生路 88 号`.
    pub address: String,
    /// e.g. `0000-8801 2345`.
    pub phone: String,
    /// Latitude, WGS-84 degrees.
    pub lat: f64,
    /// Longitude, WGS-84 degrees.
    pub lng: f64,
    pub hours: OpeningHours,
    /// Codes of the service items handled here (see [`crate::api::ItemGuide::code`]).
    pub items: Vec<String>,
    /// Facilities such as `无障碍通道`, `爱心座椅`, `母婴室`, `助听设备`.
    #[serde(default)]
    pub accessibility: Vec<String>,
    /// e.g. `地下停车场，办事群众免费停车 2 小时`.
    pub parking: String,
    /// e.g. `公交 12 路、36 路民生路站下车，步行 200 米`.
    pub transit: String,
    /// Always true in this build: the site is fictional.
    pub demo: bool,
    /// The appointment queues a manager set; absent until then, when the queues follow from
    /// the site's level and items (the server's `appointments::queues`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment_queues: Option<Vec<AppointmentQueue>>,
}

/// A site as listed on the map (`GET /api/sites`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteSummary {
    pub code: String,
    pub name: String,
    pub level: SiteLevel,
    pub street: String,
    pub address: String,
    pub phone: String,
    /// WGS-84 latitude.
    pub lat: f64,
    /// WGS-84 longitude.
    pub lng: f64,
    /// GCJ-02 latitude, for navigation links to Chinese map apps.
    pub gcj_lat: f64,
    /// GCJ-02 longitude.
    pub gcj_lng: f64,
    /// Straight-line distance from the caller's position in metres, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u32>,
    /// Estimated walk along streets in minutes, when a position was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walk_minutes: Option<u32>,
    /// Open at the moment of the request (Beijing time).
    pub open_now: bool,
    /// Today's hours in words, e.g. `今天 9:00–12:00，13:30–17:00` or `今天休息（国庆节）`.
    pub today: String,
    /// How many service items the site handles.
    pub item_count: usize,
    /// A temporary closure now or within two weeks, e.g.
    /// `临时停止服务 12月5日至12月6日：系统升级，暂停对外服务`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// `GET /api/map`: the district outline, streets and roads.
pub const MAP_URL: &str = "/api/map";

/// What `GET /api/sites` is asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteQuery {
    /// `(lat, lng)` WGS-84: nearest first.
    pub near: Option<(f64, f64)>,
    pub item: Option<String>,
    pub level: Option<SiteLevel>,
    pub open_now: bool,
}

impl SiteQuery {
    /// `/api/sites?…` with the filters that are set, `encode` percent-encoding the item code.
    /// The client calls this address and the server preloads it for `/map`: built once, so the
    /// preloaded answer is the one the page asks for.
    pub fn url(&self, encode: impl Fn(&str) -> String) -> String {
        let mut params = Vec::new();
        if let Some((lat, lng)) = self.near {
            params.push(format!("near={lat:.6},{lng:.6}"));
        }
        if let Some(item) = &self.item {
            params.push(format!("item={}", encode(item)));
        }
        if let Some(level) = self.level {
            params.push(format!("level={}", level.as_str()));
        }
        if self.open_now {
            params.push("open_now=true".into());
        }
        if params.is_empty() {
            "/api/sites".into()
        } else {
            format!("/api/sites?{}", params.join("&"))
        }
    }
}

/// `GET /api/sites`: nearest first when the caller's position is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteList {
    pub sites: Vec<SiteSummary>,
}

/// One street's (街道) area on the district map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetArea {
    /// e.g. `东城街道`.
    pub name: String,
    /// `[lat, lng]` WGS-84 vertices, not repeating the first at the end.
    pub polygon: Vec<[f64; 2]>,
}

/// How prominently a road is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoadKind {
    /// 大道/主干道, drawn wide and labelled.
    Main,
    /// A minor street.
    Minor,
}

/// A road drawn on the district map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Road {
    /// e.g. `民生路`.
    pub name: String,
    pub kind: RoadKind,
    /// `[lat, lng]` WGS-84 points of the polyline.
    pub points: Vec<[f64; 2]>,
}

/// The (fictional) district drawn from our own data (`server/demo/district-map.json`), so the
/// map needs no third-party tiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictMap {
    /// `[lat, lng]` WGS-84 vertices of the district boundary.
    pub outline: Vec<[f64; 2]>,
    pub streets: Vec<StreetArea>,
    pub roads: Vec<Road>,
    /// `[min_lat, min_lng, max_lat, max_lng]`.
    pub bbox: [f64; 4],
}

/// Links that open a site in a navigation app. The Chinese map apps get GCJ-02 coordinates; the
/// `geo:` URI (Android's generic map intent) gets WGS-84.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NavigationLinks {
    /// 高德地图: `https://uri.amap.com/marker?position=<lng>,<lat>&name=<name>`.
    pub amap: String,
    /// 百度地图, told the coordinates are GCJ-02 (`coord_type=gcj02`).
    pub baidu: String,
    /// 腾讯地图: `https://apis.map.qq.com/uri/v1/marker?marker=coord:<lat>,<lng>;title:…;addr:…`.
    pub tencent: String,
    /// `geo:<lat>,<lng>?q=<lat>,<lng>(<name>)` in WGS-84.
    pub geo: String,
}

/// `GET /api/sites/{code}`: one site with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteDetail {
    pub site: Site,
    /// GCJ-02 latitude, for Chinese map apps.
    pub gcj_lat: f64,
    /// GCJ-02 longitude.
    pub gcj_lng: f64,
    /// Open at the moment of the request (Beijing time).
    pub open_now: bool,
    /// Today's hours in words, e.g. `今天 9:00–12:00，13:30–17:00（调休上班）`.
    pub today: String,
    /// Why it is closed now, e.g. `午间休息，13:30 开门`; absent while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<String>,
    /// When closed: the next opening, e.g. `明天 9:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_open: Option<String>,
    /// The regular week in words, e.g. `周一至周五 9:00–12:00，13:30–17:00`.
    pub weekly: Vec<String>,
    /// The service items handled here, in catalog order.
    pub items: Vec<crate::api::ItemSummary>,
    pub links: NavigationLinks,
    /// 预约 categories offered here, e.g. `户籍身份证`; empty where there is no appointment
    /// service (政务服务驿站: walk in).
    pub appointment_categories: Vec<String>,
    /// A temporary closure now or within two weeks (as in [`SiteSummary::notice`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Today and the six days after it as citizens see them
    /// ([`crate::rules::opening::days_ahead`]).
    pub days: Vec<DayOutlook>,
}

/// One date of a site's coming week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayOutlook {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Open at some time of the day.
    pub open: bool,
    /// The day in words: `9:00–12:00，13:30–17:00`, `9:00–12:00，13:30–17:00（调休上班）`,
    /// `休息（国庆节）`, `暂停服务（系统升级，暂停对外服务）`.
    pub hours: String,
}

/// A run of uncovered cells in one grid row: columns `col .. col + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CellRun {
    /// Row index, 0 at the southern edge of the bbox.
    pub row: u32,
    /// First column, 0 at the western edge of the bbox.
    pub col: u32,
    /// How many consecutive cells.
    pub len: u32,
}

/// One street's share of the 15-minute service circle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreetCoverage {
    /// e.g. `东城街道`.
    pub name: String,
    /// Cells of the street within the walk of some site, 0–1.
    pub covered_share: f64,
    /// Grid cells whose centre lies in the street.
    pub cells: u32,
}

/// `GET /api/sites/coverage`: the 15分钟政务服务圈 — how much of the district lies within a
/// 15-minute walk ([`crate::rules::geo::walk_minutes`]) of some service site.
///
/// The district's bbox is cut into a grid of `rows` × `cols` cells of `cell_lat` × `cell_lng`
/// degrees starting at `origin` (the south-west corner); cell `(row, col)` has its centre at
/// `origin + ((row + 0.5) · cell_lat, (col + 0.5) · cell_lng)`. Only cells whose centre lies
/// inside the district outline count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// The walk that counts as covered, minutes (15).
    pub walk_minutes: u32,
    /// Cells inside the district within that walk of some site, 0–1.
    pub covered_share: f64,
    /// `[lat, lng]` WGS-84 of the grid's south-west corner.
    pub origin: [f64; 2],
    /// Cell height, degrees of latitude (about 100 m).
    pub cell_lat: f64,
    /// Cell width, degrees of longitude (about 100 m).
    pub cell_lng: f64,
    pub rows: u32,
    pub cols: u32,
    /// Cells whose centre lies inside the district.
    pub cells: u32,
    /// The uncovered cells inside the district, as runs along rows, for shading.
    pub uncovered: Vec<CellRun>,
    /// Per street, in the map's order.
    pub streets: Vec<StreetCoverage>,
}

/// One bookable half hour at a site for one category of business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentSlot {
    /// Pass this to `POST /api/appointments`.
    pub id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`.
    pub end: String,
    /// e.g. `户籍身份证`, `社保医保`, `企业开办`, `婚姻登记`, `综合业务`.
    pub category: String,
    pub capacity: u32,
    /// Seats still free; 0 = 已约满.
    pub remaining: u32,
}

/// `GET /api/sites/{code}/slots?date=&item=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotList {
    pub site_code: String,
    pub site_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// What kind of day it is: `工作日`, `调休上班`, `周六`, `国庆节` …
    pub day: String,
    /// The first and last dates that can be booked now (`YYYY-MM-DD`).
    pub bookable_from: String,
    pub bookable_to: String,
    /// In time order, then category.
    pub slots: Vec<AppointmentSlot>,
    /// Why there are no slots, e.g. `国庆节放假，不开放预约`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/appointments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAppointment {
    pub slot_id: String,
    /// The service item to be handled at the appointment.
    pub item_code: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// 已预约.
    Booked,
    /// 已取消.
    Cancelled,
}

impl AppointmentStatus {
    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Booked => "已预约",
            AppointmentStatus::Cancelled => "已取消",
        }
    }
}

/// A booked (or cancelled) appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: String,
    /// 预约号 shown at the counter, e.g. `A-20261126-0031`.
    pub ticket: String,
    pub site_code: String,
    pub site_name: String,
    pub site_address: String,
    pub site_phone: String,
    pub item_code: String,
    pub item_name: String,
    pub category: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub status: AppointmentStatus,
    /// The text of the appointment's QR code: its page path, `/appointments/<id>`. Render it
    /// with `GET /api/qr?text=`.
    pub qr_text: String,
    /// Checked in at the window (签到): the ticket has been used.
    pub checked_in: bool,
    /// Whether the reminder SMS the day before is sent (`PUT /api/appointments/{id}/reminder`).
    pub sms_reminder: bool,
}

/// `GET /api/appointments`: upcoming bookings first (soonest first), then past and cancelled
/// ones (latest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentList {
    pub appointments: Vec<Appointment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_have_labels_ranks_and_wire_names() {
        let ranks: Vec<u8> = SiteLevel::ALL.iter().map(|l| l.rank()).collect();
        assert_eq!(ranks, [0, 1, 2, 3]);
        assert_eq!(SiteLevel::Station.label(), "政务服务驿站");
        for level in SiteLevel::ALL {
            let json = serde_json::to_string(&level).unwrap();
            assert_eq!(json, format!("\"{}\"", level.as_str()));
            assert_eq!(SiteLevel::parse(level.as_str()), Some(level));
        }
        assert_eq!(SiteLevel::parse("Hall"), None);
    }

    #[test]
    fn road_kind_is_snake_case() {
        assert_eq!(serde_json::to_string(&RoadKind::Main).unwrap(), "\"main\"");
        assert_eq!(
            serde_json::from_str::<RoadKind>("\"minor\"").unwrap(),
            RoadKind::Minor
        );
    }

    #[test]
    fn opening_hours_note_and_holidays_are_optional() {
        let hours: OpeningHours = serde_json::from_str(
            r#"{ "weekly": [ { "weekday": 1, "periods": [ { "open": "09:00", "close": "12:00" } ] } ] }"#,
        )
        .unwrap();
        assert!(!hours.open_on_holidays);
        assert_eq!(hours.note, None);
        assert!(!serde_json::to_string(&hours).unwrap().contains("note"));
    }

    #[test]
    fn district_map_points_are_pairs() {
        let map: DistrictMap = serde_json::from_str(
            r#"{ "outline": [[34.2, 108.9], [34.3, 108.9], [34.3, 109.0]],
                 "streets": [], "roads": [ { "name": "民生路", "kind": "main",
                 "points": [[34.2, 108.9], [34.3, 109.0]] } ],
                 "bbox": [34.2, 108.9, 34.3, 109.0] }"#,
        )
        .unwrap();
        assert_eq!(map.outline[1], [34.3, 108.9]);
        assert_eq!(map.roads[0].kind, RoadKind::Main);
    }

    fn demo_map() -> DistrictMap {
        serde_json::from_str(include_str!("../../../server/demo/district-map.json")).unwrap()
    }

    fn demo_sites() -> Vec<Site> {
        serde_json::from_str(include_str!("../../../server/demo/sites.json")).unwrap()
    }

    #[test]
    fn demo_map_is_eight_streets_inside_the_bbox() {
        use crate::rules::geo::point_in_polygon;
        let map = demo_map();
        assert_eq!(map.streets.len(), 8);
        let [min_lat, min_lng, max_lat, max_lng] = map.bbox;
        let in_bbox = |&[lat, lng]: &[f64; 2]| {
            (min_lat..=max_lat).contains(&lat) && (min_lng..=max_lng).contains(&lng)
        };
        assert!(map.outline.iter().all(in_bbox));
        assert!(map.streets.iter().flat_map(|s| &s.polygon).all(in_bbox));
        for road in &map.roads {
            assert!(road.points.len() >= 2, "{}", road.name);
            for &[lat, lng] in &road.points {
                assert!(point_in_polygon(lat, lng, &map.outline), "{}", road.name);
            }
        }
    }

    #[test]
    fn demo_sites_are_consistent() {
        use crate::rules::{geo::point_in_polygon, opening::validate_hours};
        let map = demo_map();
        let sites = demo_sites();
        let count = |level| sites.iter().filter(|s| s.level == level).count();
        assert_eq!(count(SiteLevel::Hall), 1);
        assert_eq!(count(SiteLevel::Street), 8);
        assert!(count(SiteLevel::Community) >= 32);
        assert!(count(SiteLevel::Station) >= 12);
        let mut codes = std::collections::BTreeSet::new();
        for site in &sites {
            assert!(codes.insert(site.code.as_str()), "duplicate {}", site.code);
            assert!(site.demo, "{}", site.code);
            assert_eq!(validate_hours(&site.hours), Ok(()), "{}", site.code);
            assert!(!site.items.is_empty(), "{}", site.code);
            let street = map
                .streets
                .iter()
                .find(|s| s.name == site.street)
                .unwrap_or_else(|| panic!("{}: unknown street {}", site.code, site.street));
            assert!(
                point_in_polygon(site.lat, site.lng, &street.polygon),
                "{} is outside {}",
                site.code,
                site.street
            );
        }
        // Every item code exists in the catalog, and the hall handles all of them.
        let catalog: std::collections::BTreeSet<String> = [
            include_str!("../../../server/demo/items-personal.json"),
            include_str!("../../../server/demo/items-business.json"),
        ]
        .iter()
        .flat_map(|text| serde_json::from_str::<Vec<serde_json::Value>>(text).unwrap())
        .map(|item| item["code"].as_str().unwrap().to_string())
        .collect();
        for site in &sites {
            for code in &site.items {
                assert!(catalog.contains(code), "{}: unknown item {code}", site.code);
            }
        }
        let hall = sites.iter().find(|s| s.level == SiteLevel::Hall).unwrap();
        let hall_items: std::collections::BTreeSet<String> = hall.items.iter().cloned().collect();
        assert_eq!(hall_items, catalog);
        // Every street has its centre.
        for street in &map.streets {
            assert!(sites
                .iter()
                .any(|s| s.level == SiteLevel::Street && s.street == street.name));
        }
    }
}
