//! The 政务服务地图 and 预约 calls: sites, the district map, coverage, slots and appointments.
//!
//! Like [`crate::ui::api_client`], answers are parsed with `JSON.parse` and read field by field
//! into the shared wire types (no serde in the client). Calls that need a signed-in applicant
//! report the HTTP status, so pages can tell "please sign in" (401) and "taken" (409) apart.

use gloo_net::http::Request;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{
    Appointment, AppointmentList, AppointmentSlot, AppointmentStatus, CellRun, Coverage, DayHours,
    DistrictMap, NavigationLinks, OpeningHours, Period, Road, RoadKind, Site, SiteDetail,
    SiteLevel, SiteSummary, SlotList, StreetArea, StreetCoverage,
};
use crate::ui::api_client::{encode, Failure};
use crate::ui::decode;

/// Why a call failed: the HTTP status (0 when the network failed) and a Chinese sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    pub status: u16,
    pub message: String,
}

impl CallError {
    /// As the shared loading helper's failure.
    pub fn failure(self) -> Failure {
        Failure {
            not_found: self.status == 404,
            message: self.message,
        }
    }
}

pub type Called = Result<JsValue, CallError>;

const OFFLINE: &str = "网络连接失败，请检查网络后重试。";
const BROKEN: &str = "服务暂时不可用，请稍后重试。";

fn offline() -> CallError {
    CallError {
        status: 0,
        message: OFFLINE.into(),
    }
}

/// `method url` with an optional JSON body; the parsed answer or the API's own message.
pub async fn call(method: &str, url: &str, body: Option<String>) -> Called {
    let builder = match method {
        "POST" => Request::post(url),
        "DELETE" => Request::delete(url),
        _ => Request::get(url),
    }
    .header("Accept", "application/json");
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| offline())?;
    let response = request.send().await.map_err(|_| offline())?;
    let status = response.status();
    let text = response.text().await.map_err(|_| offline())?;
    let parsed = js_sys::JSON::parse(&text);
    if response.ok() {
        return parsed.map_err(|_| CallError {
            status,
            message: BROKEN.into(),
        });
    }
    let message = parsed
        .ok()
        .and_then(|e| Reflect::get(&e, &JsValue::from_str("message")).ok())
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| match status {
            401 => "请先登录".into(),
            _ => BROKEN.into(),
        });
    Err(CallError { status, message })
}

/// A GET for the shared loading helper ([`crate::ui::components::status::loaded`]).
pub async fn get(url: String) -> Result<JsValue, Failure> {
    call("GET", &url, None).await.map_err(CallError::failure)
}

thread_local! {
    /// The district map changes only with a deployment: fetch it once per visit.
    static MAP: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// `GET /api/map` → `DistrictMap` (fetched once per visit).
pub async fn district() -> Result<JsValue, Failure> {
    if let Some(cached) = MAP.with_borrow(|m| m.clone()) {
        return Ok(cached);
    }
    let map = get("/api/map".into()).await?;
    MAP.set(Some(map.clone()));
    Ok(map)
}

/// `GET /api/sites/coverage` → `Coverage`.
pub async fn coverage_data() -> Result<JsValue, Failure> {
    get("/api/sites/coverage".into()).await
}

/// What `GET /api/sites` is asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteQuery {
    pub near: Option<(f64, f64)>,
    pub item: Option<String>,
    pub level: Option<SiteLevel>,
    pub open_now: bool,
}

fn near_param(near: (f64, f64)) -> String {
    format!("{:.6},{:.6}", near.0, near.1)
}

/// `GET /api/sites?…` → `SiteList`.
pub async fn sites(query: SiteQuery) -> Result<JsValue, Failure> {
    let mut url = String::from("/api/sites?");
    if let Some(near) = query.near {
        url.push_str("near=");
        url.push_str(&near_param(near));
        url.push('&');
    }
    if let Some(item) = &query.item {
        url.push_str("item=");
        url.push_str(&encode(item));
        url.push('&');
    }
    if let Some(level) = query.level {
        url.push_str("level=");
        url.push_str(level.as_str());
        url.push('&');
    }
    if query.open_now {
        url.push_str("open_now=true");
    }
    get(url.trim_end_matches(['&', '?']).to_string()).await
}

/// `GET /api/items/{code}/sites?near=` → `SiteList`.
pub async fn item_sites(code: String, near: Option<(f64, f64)>) -> Result<JsValue, Failure> {
    let mut url = format!("/api/items/{}/sites", encode(&code));
    if let Some(near) = near {
        url.push_str("?near=");
        url.push_str(&near_param(near));
    }
    get(url).await
}

/// `GET /api/sites/{code}` → `SiteDetail`.
pub async fn site(code: String) -> Result<JsValue, Failure> {
    get(format!("/api/sites/{}", encode(&code))).await
}

/// `GET /api/sites/{code}/slots?date=&item=` → `SlotList`.
pub async fn slots(code: String, date: String, item: String) -> Result<JsValue, Failure> {
    get(format!(
        "/api/sites/{}/slots?date={}&item={}",
        encode(&code),
        encode(&date),
        encode(&item)
    ))
    .await
}

/// `GET /api/calendar/due?from=&working_days=` → the rest days (date, reason) after `from`.
pub async fn rest_days(from: String, working_days: u32) -> Vec<(String, String)> {
    let url = format!("/api/calendar/due?from={from}&working_days={working_days}");
    match call("GET", &url, None).await {
        Ok(v) => list(&v, "skipped", |d| (s(d, "date"), s(d, "reason"))),
        Err(_) => Vec::new(),
    }
}

/// Whether someone is signed in (`GET /api/me` answers 200); `None` when it could not be told.
pub async fn signed_in() -> Option<bool> {
    match call("GET", "/api/me", None).await {
        // Staff accounts cannot book.
        Ok(me) => Some(s(&me, "kind") == "applicant"),
        Err(e) if e.status == 401 || e.status == 403 => Some(false),
        Err(_) => None,
    }
}

/// `POST /api/appointments` → `Appointment`.
pub async fn book(slot_id: String, item_code: String) -> Called {
    let body = js_sys::Object::new();
    let _ = Reflect::set(&body, &"slot_id".into(), &slot_id.into());
    let _ = Reflect::set(&body, &"item_code".into(), &item_code.into());
    let text: String = js_sys::JSON::stringify(&body)
        .map(String::from)
        .unwrap_or_default();
    call("POST", "/api/appointments", Some(text)).await
}

/// `GET /api/appointments` → `AppointmentList`.
pub async fn my_appointments() -> Called {
    call("GET", "/api/appointments", None).await
}

/// `GET /api/appointments/{id}` → `Appointment`.
pub async fn appointment(id: String) -> Called {
    call("GET", &format!("/api/appointments/{}", encode(&id)), None).await
}

/// `DELETE /api/appointments/{id}` → the cancelled `Appointment`.
pub async fn cancel(id: String) -> Called {
    call("DELETE", &format!("/api/appointments/{}", encode(&id)), None).await
}

/// `/login?next=<path>`: where to send someone who must sign in first.
pub fn login_path(next: &str) -> String {
    format!("/login?next={}", encode(next))
}

/// The current path and query, e.g. `/sites/HALL/book?item=X`.
pub fn current_path() -> String {
    let location = web_sys::window().map(|w| w.location());
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let search = location.and_then(|l| l.search().ok()).unwrap_or_default();
    format!("{path}{search}")
}

// ---------------------------------------------------------------------------------------------
// The position the citizen shared, kept for this browser session only.

const NEAR_KEY: &str = "bst.near";

/// Where distances are measured from, and what it is (`None`: the device's position; a street
/// name: that street's centre).
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lng: f64,
    pub street: Option<String>,
}

impl Near {
    pub fn point(&self) -> (f64, f64) {
        (self.lat, self.lng)
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The position shared earlier in this browser session.
pub fn saved_near() -> Option<Near> {
    let text = session()?.get_item(NEAR_KEY).ok().flatten()?;
    let mut parts = text.splitn(3, ',');
    let lat = parts.next()?.parse().ok()?;
    let lng = parts.next()?.parse().ok()?;
    let street = parts.next().filter(|s| !s.is_empty()).map(String::from);
    Some(Near { lat, lng, street })
}

/// Remembers (or forgets) the position for this browser session.
pub fn save_near(near: Option<&Near>) {
    if let Some(storage) = session() {
        let _ = match near {
            Some(n) => storage.set_item(
                NEAR_KEY,
                &format!(
                    "{:.6},{:.6},{}",
                    n.lat,
                    n.lng,
                    n.street.as_deref().unwrap_or("")
                ),
            ),
            None => storage.remove_item(NEAR_KEY),
        };
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding (see `crate::ui::decode` for why by hand).

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn s(v: &JsValue, key: &str) -> String {
    field(v, key).as_string().unwrap_or_default()
}

fn opt_s(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

fn num(v: &JsValue, key: &str) -> f64 {
    field(v, key).as_f64().unwrap_or(0.0)
}

fn opt_u32(v: &JsValue, key: &str) -> Option<u32> {
    field(v, key).as_f64().map(|n| n as u32)
}

fn values(v: &JsValue) -> Vec<JsValue> {
    v.dyn_ref::<Array>().map(|a| a.to_vec()).unwrap_or_default()
}

fn list<T>(v: &JsValue, key: &str, each: impl Fn(&JsValue) -> T) -> Vec<T> {
    values(&field(v, key)).iter().map(each).collect()
}

fn strings(v: &JsValue, key: &str) -> Vec<String> {
    list(v, key, |x| x.as_string().unwrap_or_default())
}

fn pair(v: &JsValue) -> [f64; 2] {
    let p = values(v);
    let at = |i: usize| p.get(i).and_then(JsValue::as_f64).unwrap_or(0.0);
    [at(0), at(1)]
}

fn points(v: &JsValue, key: &str) -> Vec<[f64; 2]> {
    list(v, key, pair)
}

fn level(v: &JsValue) -> SiteLevel {
    SiteLevel::parse(&s(v, "level")).unwrap_or(SiteLevel::Station)
}

pub fn site_summary(v: &JsValue) -> SiteSummary {
    SiteSummary {
        code: s(v, "code"),
        name: s(v, "name"),
        level: level(v),
        street: s(v, "street"),
        address: s(v, "address"),
        phone: s(v, "phone"),
        lat: num(v, "lat"),
        lng: num(v, "lng"),
        gcj_lat: num(v, "gcj_lat"),
        gcj_lng: num(v, "gcj_lng"),
        distance_m: opt_u32(v, "distance_m"),
        walk_minutes: opt_u32(v, "walk_minutes"),
        open_now: field(v, "open_now").as_bool().unwrap_or(false),
        today: s(v, "today"),
        item_count: num(v, "item_count") as usize,
    }
}

pub fn site_list(v: &JsValue) -> Vec<SiteSummary> {
    list(v, "sites", site_summary)
}

pub fn district_map(v: &JsValue) -> DistrictMap {
    let b = values(&field(v, "bbox"));
    let at = |i: usize| b.get(i).and_then(JsValue::as_f64).unwrap_or(0.0);
    DistrictMap {
        outline: points(v, "outline"),
        streets: list(v, "streets", |st| StreetArea {
            name: s(st, "name"),
            polygon: points(st, "polygon"),
        }),
        roads: list(v, "roads", |r| Road {
            name: s(r, "name"),
            kind: if s(r, "kind") == "main" {
                RoadKind::Main
            } else {
                RoadKind::Minor
            },
            points: points(r, "points"),
        }),
        bbox: [at(0), at(1), at(2), at(3)],
    }
}

pub fn coverage(v: &JsValue) -> Coverage {
    Coverage {
        walk_minutes: num(v, "walk_minutes") as u32,
        covered_share: num(v, "covered_share"),
        origin: pair(&field(v, "origin")),
        cell_lat: num(v, "cell_lat"),
        cell_lng: num(v, "cell_lng"),
        rows: num(v, "rows") as u32,
        cols: num(v, "cols") as u32,
        cells: num(v, "cells") as u32,
        uncovered: list(v, "uncovered", |r| CellRun {
            row: num(r, "row") as u32,
            col: num(r, "col") as u32,
            len: num(r, "len") as u32,
        }),
        streets: list(v, "streets", |st| StreetCoverage {
            name: s(st, "name"),
            covered_share: num(st, "covered_share"),
            cells: num(st, "cells") as u32,
        }),
    }
}

fn hours(v: &JsValue) -> OpeningHours {
    OpeningHours {
        weekly: list(v, "weekly", |d| DayHours {
            weekday: num(d, "weekday") as u8,
            periods: list(d, "periods", |p| Period {
                open: s(p, "open"),
                close: s(p, "close"),
            }),
        }),
        open_on_holidays: field(v, "open_on_holidays").as_bool().unwrap_or(false),
        note: opt_s(v, "note"),
    }
}

fn site_record(v: &JsValue) -> Site {
    Site {
        code: s(v, "code"),
        name: s(v, "name"),
        level: level(v),
        street: s(v, "street"),
        address: s(v, "address"),
        phone: s(v, "phone"),
        lat: num(v, "lat"),
        lng: num(v, "lng"),
        hours: hours(&field(v, "hours")),
        items: strings(v, "items"),
        accessibility: strings(v, "accessibility"),
        parking: s(v, "parking"),
        transit: s(v, "transit"),
        demo: field(v, "demo").as_bool().unwrap_or(true),
    }
}

pub fn site_detail(v: &JsValue) -> SiteDetail {
    let links = field(v, "links");
    SiteDetail {
        site: site_record(&field(v, "site")),
        gcj_lat: num(v, "gcj_lat"),
        gcj_lng: num(v, "gcj_lng"),
        open_now: field(v, "open_now").as_bool().unwrap_or(false),
        today: s(v, "today"),
        closed_reason: opt_s(v, "closed_reason"),
        next_open: opt_s(v, "next_open"),
        weekly: strings(v, "weekly"),
        items: list(v, "items", decode::item_summary),
        links: NavigationLinks {
            amap: s(&links, "amap"),
            baidu: s(&links, "baidu"),
            tencent: s(&links, "tencent"),
            geo: s(&links, "geo"),
        },
        appointment_categories: strings(v, "appointment_categories"),
    }
}

pub fn slot_list(v: &JsValue) -> SlotList {
    SlotList {
        site_code: s(v, "site_code"),
        site_name: s(v, "site_name"),
        date: s(v, "date"),
        day: s(v, "day"),
        bookable_from: s(v, "bookable_from"),
        bookable_to: s(v, "bookable_to"),
        slots: list(v, "slots", |x| AppointmentSlot {
            id: s(x, "id"),
            date: s(x, "date"),
            start: s(x, "start"),
            end: s(x, "end"),
            category: s(x, "category"),
            capacity: num(x, "capacity") as u32,
            remaining: num(x, "remaining") as u32,
        }),
        note: opt_s(v, "note"),
    }
}

pub fn appointment_of(v: &JsValue) -> Appointment {
    Appointment {
        id: s(v, "id"),
        ticket: s(v, "ticket"),
        site_code: s(v, "site_code"),
        site_name: s(v, "site_name"),
        site_address: s(v, "site_address"),
        site_phone: s(v, "site_phone"),
        item_code: s(v, "item_code"),
        item_name: s(v, "item_name"),
        category: s(v, "category"),
        date: s(v, "date"),
        start: s(v, "start"),
        end: s(v, "end"),
        status: if s(v, "status") == "cancelled" {
            AppointmentStatus::Cancelled
        } else {
            AppointmentStatus::Booked
        },
        qr_text: s(v, "qr_text"),
    }
}

pub fn appointment_list(v: &JsValue) -> AppointmentList {
    AppointmentList {
        appointments: list(v, "appointments", appointment_of),
    }
}
