//! 政务服务地图: where citizens can get things done in person, and the 15-minute service circle.
//!
//! Sites and the district map are loaded from the database once at start-up into a
//! [`Directory`] (like the catalog snapshot), so listing and sorting never touch the database.

pub mod admin;
pub mod coverage;
pub mod store;

use std::collections::{HashMap, HashSet};

use app::api::{
    Coverage, DistrictMap, ItemSummary, NavigationLinks, Site, SiteDetail, SiteLevel, SiteList,
    SiteSummary,
};
use app::rules::geo::{distance_m, walk_minutes, wgs84_to_gcj02};
use app::rules::opening::{
    closure_notice, days_ahead, open_state, today_label, weekly_lines, OpenState, WEEK_AHEAD,
};
use app::rules::workdays::HolidayCalendar;
use axum::extract::{Path, State};
use axum::Json;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

pub use crate::clock::Moment;

/// The site's state at `at`. In a year whose holiday schedule is not published yet, the regular
/// weekly hours apply (and [`today_label`] says that holidays are not accounted for).
pub fn state_at(site: &Site, calendar: &HolidayCalendar, at: Moment) -> OpenState {
    match open_state(&site.hours, calendar, at.date, at.minute) {
        Ok(state) => state,
        Err(_) => {
            let plain = HolidayCalendar::from_json(&format!(
                r#"{{"years":{{"{}":{{"holidays":[]}}}}}}"#,
                at.date.year
            ))
            .expect("an empty year is a valid schedule");
            open_state(&site.hours, &plain, at.date, at.minute).expect("the year is loaded")
        }
    }
}

/// Parses `near=LAT,LNG` (WGS-84 degrees).
pub fn parse_near(params: &Params) -> AppResult<Option<(f64, f64)>> {
    let Some(text) = params.text("near", "当前位置", 60)? else {
        return Ok(None);
    };
    let bad = || {
        AppError::bad_param(
            "near",
            format!("当前位置（参数 near）“{text}”无效，应为 WGS-84 坐标“纬度,经度”，纬度在 ±90、经度在 ±180 之内，例如 34.2,108.95"),
        )
    };
    let (lat, lng) = text.split_once([',', '，']).ok_or_else(bad)?;
    let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
    let lng: f64 = lng.trim().parse().map_err(|_| bad())?;
    if !lat.is_finite() || !lng.is_finite() || lat.abs() > 90.0 || lng.abs() > 180.0 {
        return Err(bad());
    }
    Ok(Some((lat, lng)))
}

/// What `GET /api/sites` asks for.
#[derive(Debug, Clone)]
pub struct SiteFilter {
    pub near: Option<(f64, f64)>,
    pub item: Option<String>,
    pub open_now: bool,
    pub level: Option<SiteLevel>,
    pub street: Option<String>,
    pub limit: Option<usize>,
    pub at: Moment,
}

struct Entry {
    site: Site,
    gcj: (f64, f64),
    items: HashSet<String>,
}

/// Every site and the district map, as loaded at start-up.
#[derive(Default)]
pub struct Directory {
    /// Hall first, then street centres, community stations and 驿站; by name within a level.
    entries: Vec<Entry>,
    by_code: HashMap<String, usize>,
    map: Option<DistrictMap>,
    coverage: Option<Coverage>,
}

impl Directory {
    pub fn build(mut sites: Vec<Site>, map: Option<DistrictMap>) -> Directory {
        sites.sort_by(|a, b| {
            (a.level.rank(), &a.name, &a.code).cmp(&(b.level.rank(), &b.name, &b.code))
        });
        let coverage = map.as_ref().map(|m| coverage::compute(m, &sites));
        let entries: Vec<Entry> = sites
            .into_iter()
            .map(|site| Entry {
                gcj: wgs84_to_gcj02(site.lat, site.lng),
                items: site.items.iter().cloned().collect(),
                site,
            })
            .collect();
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.site.code.clone(), i))
            .collect();
        Directory {
            entries,
            by_code,
            map,
            coverage,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn sites(&self) -> impl Iterator<Item = &Site> {
        self.entries.iter().map(|e| &e.site)
    }

    pub fn get(&self, code: &str) -> Option<&Site> {
        self.by_code.get(code).map(|&i| &self.entries[i].site)
    }

    pub fn map(&self) -> Option<&DistrictMap> {
        self.map.as_ref()
    }

    pub fn coverage(&self) -> Option<&Coverage> {
        self.coverage.as_ref()
    }

    pub fn has_street(&self, name: &str) -> bool {
        match &self.map {
            Some(map) => map.streets.iter().any(|s| s.name == name),
            None => self.entries.iter().any(|e| e.site.street == name),
        }
    }

    /// The sites matching `filter`: nearest first when a position is given, else in level order.
    pub fn list(&self, filter: &SiteFilter, calendar: &HolidayCalendar) -> Vec<SiteSummary> {
        let mut out: Vec<SiteSummary> = self
            .entries
            .iter()
            .filter(|e| filter.level.is_none_or(|l| e.site.level == l))
            .filter(|e| filter.street.as_ref().is_none_or(|s| &e.site.street == s))
            .filter(|e| filter.item.as_ref().is_none_or(|i| e.items.contains(i)))
            .map(|e| summary(e, calendar, filter.at, filter.near))
            .filter(|s| !filter.open_now || s.open_now)
            .collect();
        if filter.near.is_some() {
            // Stable: equal distances keep the level order.
            out.sort_by_key(|s| s.distance_m);
        }
        if let Some(limit) = filter.limit {
            out.truncate(limit);
        }
        out
    }

    pub fn summary(
        &self,
        code: &str,
        calendar: &HolidayCalendar,
        at: Moment,
    ) -> Option<SiteSummary> {
        self.by_code
            .get(code)
            .map(|&i| summary(&self.entries[i], calendar, at, None))
    }

    /// One site's page: hours, items (from the catalog), navigation links.
    pub fn detail(
        &self,
        code: &str,
        calendar: &HolidayCalendar,
        at: Moment,
        catalog: &crate::catalog::Catalog,
    ) -> Option<SiteDetail> {
        let entry = &self.entries[*self.by_code.get(code)?];
        let site = &entry.site;
        let state = state_at(site, calendar, at);
        let items: Vec<ItemSummary> = catalog
            .index
            .summaries()
            .filter(|s| entry.items.contains(&s.code))
            .cloned()
            .collect();
        let appointment_categories = crate::appointments::categories(site, &items);
        Some(SiteDetail {
            notice: closure_notice(&site.hours, at.date),
            days: days_ahead(&site.hours, calendar, at.date, WEEK_AHEAD),
            gcj_lat: entry.gcj.0,
            gcj_lng: entry.gcj.1,
            open_now: state.open_now,
            today: today_label(&site.hours, calendar, at.date),
            closed_reason: state.closed_reason,
            next_open: state.next_open,
            weekly: weekly_lines(&site.hours),
            items,
            links: navigation_links(site, entry.gcj),
            appointment_categories,
            site: site.clone(),
        })
    }
}

fn summary(
    entry: &Entry,
    calendar: &HolidayCalendar,
    at: Moment,
    near: Option<(f64, f64)>,
) -> SiteSummary {
    let site = &entry.site;
    let distance = near.map(|(lat, lng)| distance_m(lat, lng, site.lat, site.lng));
    SiteSummary {
        code: site.code.clone(),
        name: site.name.clone(),
        level: site.level,
        street: site.street.clone(),
        address: site.address.clone(),
        phone: site.phone.clone(),
        lat: site.lat,
        lng: site.lng,
        gcj_lat: entry.gcj.0,
        gcj_lng: entry.gcj.1,
        distance_m: distance.map(|d| d.round().min(f64::from(u32::MAX)) as u32),
        walk_minutes: distance.map(walk_minutes),
        open_now: state_at(site, calendar, at).open_now,
        today: today_label(&site.hours, calendar, at.date),
        item_count: site.items.len(),
        notice: closure_notice(&site.hours, at.date),
    }
}

/// Everything but the RFC 3986 unreserved characters is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn enc(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// Links that open the site in 高德, 百度 and 腾讯 maps (GCJ-02) and a `geo:` URI (WGS-84).
pub fn navigation_links(site: &Site, (gcj_lat, gcj_lng): (f64, f64)) -> NavigationLinks {
    let (name, address) = (enc(&site.name), enc(&site.address));
    NavigationLinks {
        amap: format!("https://uri.amap.com/marker?position={gcj_lng:.6},{gcj_lat:.6}&name={name}"),
        baidu: format!(
            "https://api.map.baidu.com/marker?location={gcj_lat:.6},{gcj_lng:.6}&title={name}&content={address}\
             &output=html&coord_type=gcj02"
        ),
        tencent: format!(
            "https://apis.map.qq.com/uri/v1/marker?marker=coord:{gcj_lat:.6},{gcj_lng:.6};title:{name};addr:{address}"
        ),
        geo: format!("geo:{lat:.6},{lng:.6}?q={lat:.6},{lng:.6}({name})", lat = site.lat, lng = site.lng),
    }
}

/// Loads the demo sites and map into an empty database (the in-memory directory is built by
/// [`admin::load`]).
pub async fn prepare(db: &Db, load_demo: bool) -> Result<(), String> {
    if load_demo && store::is_empty(db).await.map_err(|e| e.to_string())? {
        let (sites, map) = store::demo()?;
        store::import(db, &sites, &map, true).await?;
        tracing::info!(
            sites = sites.len(),
            "loaded the demo service sites (示范数据)"
        );
    }
    Ok(())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sites))
        .routes(routes!(site_coverage))
        .routes(routes!(site_detail))
        .routes(routes!(district_map))
        .routes(routes!(item_sites))
}

fn not_loaded() -> AppError {
    AppError::not_found("尚未载入政务服务地图数据")
}

/// Service sites: nearest first when `near` is given, else the hall, street centres, community
/// stations and 驿站 in that order.
#[utoipa::path(get, path = "/api/sites", tag = "政务服务地图",
    params(
        ("near" = Option<String>, Query, pattern = r"^-?\d{1,3}(\.\d+)?[,，]-?\d{1,3}(\.\d+)?$", description = "当前位置（WGS-84）“纬度,经度”，如 34.2,108.95；给出时按距离由近到远排列"),
        ("item" = Option<String>, Query, max_length = 40, description = "只列出能办理该事项的服务点，事项编码如 SFQ-GA-0001"),
        ("open_now" = Option<bool>, Query, description = "true：只列出此刻正在服务的服务点"),
        ("level" = Option<app::api::SiteLevel>, Query, description = "hall（区政务服务中心）、street（街道便民服务中心）、community（社区便民服务站）或 station（政务服务驿站）"),
        ("street" = Option<String>, Query, max_length = 20, description = "街道名称，如 东城街道"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "最多返回条数，1–500，默认全部"),
        ("at" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d$", description = "按此北京时间判断是否营业，YYYY-MM-DDTHH:MM，如 2026-10-10T10:00；默认当前时间"),
    ),
    responses((status = 200, body = SiteList), (status = 400, body = app::api::ApiError)))]
pub async fn list_sites(
    State(state): State<AppState>,
    params: Params,
) -> AppResult<Json<SiteList>> {
    let sites = state.sites();
    let item = match params.text("item", "事项编码", 40)? {
        None => None,
        Some(code) => {
            if state.catalog().index.summary(&code).is_none() {
                return Err(AppError::bad_param(
                    "item",
                    format!("没有编码为 {code} 的事项"),
                ));
            }
            Some(code)
        }
    };
    let open_now = match params.text("open_now", "是否只看营业中", 8)?.as_deref() {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            return Err(AppError::bad_param(
                "open_now",
                "是否只看营业中（参数 open_now）只能是 true 或 false",
            ));
        }
    };
    let level = match params.text("level", "服务点层级", 16)? {
        None => None,
        Some(text) => Some(SiteLevel::parse(&text).ok_or_else(|| {
            AppError::bad_param(
                "level",
                "服务点层级（参数 level）只能是 hall、street、community 或 station",
            )
        })?),
    };
    let street = params.text("street", "街道", 20)?;
    if let Some(name) = &street {
        if !sites.has_street(name) {
            return Err(AppError::bad_param(
                "street",
                format!("示范区没有名为“{name}”的街道"),
            ));
        }
    }
    let filter = SiteFilter {
        near: parse_near(&params)?,
        item,
        open_now,
        level,
        street,
        limit: params
            .number("limit", "返回条数", 1..=500)?
            .map(|n| n as usize),
        at: Moment::from_params(&params)?,
    };
    Ok(Json(SiteList {
        sites: sites.list(&filter, &state.calendar()),
    }))
}

/// One site: hours in words, open now, the items it handles, navigation links.
#[utoipa::path(get, path = "/api/sites/{code}", tag = "政务服务地图",
    params(
        ("code" = String, Path, description = "服务点编码，如 HALL、ST-01、CM-0101、YZ-01"),
        ("at" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d$", description = "按此北京时间判断是否营业，YYYY-MM-DDTHH:MM；默认当前时间"),
    ),
    responses((status = 200, body = SiteDetail), (status = 400, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError)))]
pub async fn site_detail(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Params,
) -> AppResult<Json<SiteDetail>> {
    let at = Moment::from_params(&params)?;
    state
        .sites()
        .detail(&code, &state.calendar(), at, &state.catalog())
        .map(Json)
        .ok_or_else(|| AppError::not_found(format!("没有找到编码为 {code} 的服务点")))
}

/// The district drawn from our own data: outline, streets, roads.
#[utoipa::path(get, path = "/api/map", tag = "政务服务地图",
    responses((status = 200, body = DistrictMap), (status = 404, body = app::api::ApiError)))]
pub async fn district_map(State(state): State<AppState>) -> AppResult<Json<DistrictMap>> {
    state
        .sites()
        .map()
        .cloned()
        .map(Json)
        .ok_or_else(not_loaded)
}

/// The 15分钟政务服务圈: the share of the district within a 15-minute walk of a site, per
/// street, and the uncovered cells for shading. Computed once at start-up.
#[utoipa::path(get, path = "/api/sites/coverage", tag = "政务服务地图",
    responses((status = 200, body = Coverage), (status = 404, body = app::api::ApiError)))]
pub async fn site_coverage(State(state): State<AppState>) -> AppResult<Json<Coverage>> {
    state
        .sites()
        .coverage()
        .cloned()
        .map(Json)
        .ok_or_else(not_loaded)
}

/// Where an item can be handled in person: nearest first when `near` is given.
#[utoipa::path(get, path = "/api/items/{code}/sites", tag = "政务服务地图",
    params(
        ("code" = String, Path, description = "事项编码，如 SFQ-GA-0001"),
        ("near" = Option<String>, Query, pattern = r"^-?\d{1,3}(\.\d+)?[,，]-?\d{1,3}(\.\d+)?$", description = "当前位置（WGS-84）“纬度,经度”"),
        ("at" = Option<String>, Query, pattern = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d$", description = "按此北京时间判断是否营业，YYYY-MM-DDTHH:MM；默认当前时间"),
    ),
    responses((status = 200, body = SiteList), (status = 400, body = app::api::ApiError),
        (status = 404, body = app::api::ApiError)))]
pub async fn item_sites(
    State(state): State<AppState>,
    Path(code): Path<String>,
    params: Params,
) -> AppResult<Json<SiteList>> {
    if state.catalog().index.summary(&code).is_none() {
        return Err(AppError::not_found(format!(
            "没有找到编码为 {code} 的事项，请核对事项编码或重新搜索"
        )));
    }
    let filter = SiteFilter {
        near: parse_near(&params)?,
        item: Some(code),
        open_now: false,
        level: None,
        street: None,
        limit: None,
        at: Moment::from_params(&params)?,
    };
    Ok(Json(SiteList {
        sites: state.sites().list(&filter, &state.calendar()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_parse_strictly() {
        let m = Moment::parse("2026-10-10T10:00").unwrap();
        assert_eq!(m.date.to_string(), "2026-10-10");
        assert_eq!(m.minute, 600);
        assert_eq!(Moment::parse("2026-10-10 23:59").unwrap().minute, 1439);
        for bad in [
            "2026-10-10",
            "2026-10-10T24:00",
            "2026-13-01T10:00",
            "2026-10-10T9:00",
            "",
        ] {
            assert_eq!(Moment::parse(bad), None, "{bad}");
        }
        // 2026-11-24T16:30:00Z is 00:30 on the 25th in Beijing.
        let m = Moment::from_unix(1_795_537_800);
        assert_eq!(
            (m.date.to_string(), m.minute),
            ("2026-11-25".to_string(), 30)
        );
    }

    #[test]
    fn links_are_encoded() {
        let (sites, _) = store::demo().unwrap();
        let hall = sites.iter().find(|s| s.code == "HALL").unwrap();
        let links = navigation_links(hall, (34.2, 108.95));
        assert!(links.amap.starts_with(
            "https://uri.amap.com/marker?position=108.950000,34.200000&name=%E7%A4%BA"
        ));
        assert!(links
            .geo
            .starts_with(&format!("geo:{:.6},{:.6}?q=", hall.lat, hall.lng)));
        for link in [&links.amap, &links.baidu, &links.tencent, &links.geo] {
            assert!(link.is_ascii() && !link.contains(' '), "{link}");
        }
    }
}
