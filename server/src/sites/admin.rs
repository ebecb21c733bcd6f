//! Site administration (`/manager/sites`, centre managers only): weekly hours with the lunch
//! break, temporary closures, the items handled and the appointment queues with their seats.
//!
//! A save is checked by the shared rule ([`check_site_settings`], as the page checks while the
//! manager types), written with its audit entry and a raised `sites_version` in one
//! transaction, and the directory is rebuilt at once: the map, the site page, "open now" and the
//! booking slots change for citizens immediately, and on every other server within
//! [`FOLLOW_EVERY`] ([`follow`], the version counters of [`crate::versions`]).

use std::collections::BTreeSet;
use std::time::Duration;

use app::api::{
    AppointmentQueue, Closure, ManagedSite, ManagedSiteList, ManagedSiteSummary, OpeningHours,
    Site, SiteSettings,
};
use app::rules::date::Date;
use app::rules::opening::{closure_notice, today_label, weekly_lines};
use app::rules::site_settings::{check_site_settings, hours_of, settings_of};
use axum::extract::{Path, State};
use axum::Json;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{store, Directory};
use crate::appointments::{offered_queues, slots};
use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::clock::Moment;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::{audit, clock, versions, AppState};

/// How often a server asks whether another one changed a site.
pub const FOLLOW_EVERY: Duration = Duration::from_secs(2);

const VERSION: &str = "sites_version";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one, save))
}

/// Builds the directory from the database and puts it in place.
pub async fn load(state: &AppState) -> AppResult<()> {
    // The version first: a save between the reads is then seen again on the next check.
    let version = versions::read(&state.db, VERSION).await?;
    let sites = store::sites(&state.db).await?;
    let map = store::district_map(&state.db).await?;
    state.set_sites(Directory::build(sites, map), version);
    Ok(())
}

/// Reloads the directory whenever another server changed a site; runs for the server's life.
pub async fn follow(state: AppState) {
    versions::follow(
        state,
        VERSION,
        FOLLOW_EVERY,
        AppState::sites_version,
        |state| async move { load(&state).await },
    )
    .await
}

fn unknown(code: &str) -> AppError {
    AppError::not_found(format!("没有找到编码为 {code} 的服务点"))
}

/// Every site with today's hours, a closure notice, its items and queues, and who changed it.
#[utoipa::path(get, path = "/api/admin/sites", tag = "中心管理",
    responses(
        (status = 200, body = ManagedSiteList),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _manager: CentreManager,
) -> AppResult<Json<ManagedSiteList>> {
    let mut changes = store::last_changes(&state.db).await?;
    let (directory, catalog, calendar) = (state.sites(), state.catalog(), state.calendar());
    let today = Moment::now().date;
    let sites = directory
        .sites()
        .map(|site| {
            let change = changes.remove(&site.code);
            ManagedSiteSummary {
                code: site.code.clone(),
                name: site.name.clone(),
                level: site.level,
                street: site.street.clone(),
                today: today_label(&site.hours, &calendar, today),
                notice: closure_notice(&site.hours, today),
                item_count: site.items.len(),
                queues: offered_queues(&catalog, site),
                updated_by: change.as_ref().map(|(by, _)| by.clone()),
                updated_at: change.map(|(_, at)| at),
            }
        })
        .collect();
    Ok(Json(ManagedSiteList { sites }))
}

/// Appointments still booked on days of `closures` from today on.
async fn booked_in(state: &AppState, code: &str, closures: &[Closure]) -> AppResult<u32> {
    let today = Moment::now().date.to_string();
    let mut booked = 0;
    for closure in closures.iter().filter(|c| c.last >= today) {
        let first = closure.first.as_str().max(today.as_str());
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM appointments a JOIN appointment_slots s ON s.id = a.slot_id \
             WHERE s.site_code = $1 AND a.cancelled_at IS NULL AND a.date >= $2 AND a.date <= $3",
        )
        .bind(code)
        .bind(first)
        .bind(&closure.last)
        .fetch_one(&state.db.pool)
        .await?;
        booked += row.try_get::<i64, _>("n")?;
    }
    Ok(booked.try_into().unwrap_or(u32::MAX))
}

async fn managed(state: &AppState, code: &str) -> AppResult<ManagedSite> {
    let directory = state.sites();
    let site = directory.get(code).ok_or_else(|| unknown(code))?;
    let catalog = state.catalog();
    // The queues as set (also one no item is booked in yet), else those that follow from the
    // site's level and items.
    let queues = site
        .appointment_queues
        .clone()
        .unwrap_or_else(|| offered_queues(&catalog, site));
    let change = store::last_changes(&state.db).await?.remove(code);
    Ok(ManagedSite {
        settings: settings_of(&site.hours, &site.items, &queues),
        catalog: catalog.index.summaries().cloned().collect(),
        updated_by: change.as_ref().map(|(by, _)| by.clone()),
        updated_at: change.map(|(_, at)| at),
        booked_in_closures: booked_in(state, code, &site.hours.closures).await?,
        site: site.clone(),
    })
}

/// One site in the form's shape, with the catalog to choose its items from.
#[utoipa::path(get, path = "/api/admin/sites/{code}", tag = "中心管理",
    params(("code" = String, Path, description = "服务点编码，如 HALL、ST-01")),
    responses(
        (status = 200, body = ManagedSite),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 404, body = app::api::ApiError, description = "没有该服务点"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    _manager: CentreManager,
    Path(code): Path<String>,
) -> AppResult<Json<ManagedSite>> {
    managed(&state, &code).await.map(Json)
}

fn closure_words(c: &Closure) -> String {
    if c.first == c.last {
        format!("{}（{}）", c.first, c.reason)
    } else {
        format!("{} 至 {}（{}）", c.first, c.last, c.reason)
    }
}

fn queue_words(queues: &[AppointmentQueue]) -> String {
    if queues.is_empty() {
        return "不设预约".into();
    }
    queues
        .iter()
        .map(|q| format!("{} 每时段 {} 人", q.category, q.capacity))
        .collect::<Vec<_>>()
        .join("、")
}

fn hours_words(hours: &OpeningHours) -> String {
    let mut words = weekly_lines(hours).join("；");
    if words.is_empty() {
        words = "不对外办公".into();
    }
    if hours.open_on_holidays {
        words.push_str("；法定节假日照常服务");
    }
    words
}

/// What changed, in words for the audit log; empty when nothing did.
fn changes(
    site: &Site,
    hours: &OpeningHours,
    items: &[String],
    before_queues: &[AppointmentQueue],
    queues: &[AppointmentQueue],
) -> Vec<String> {
    let mut said = Vec::new();
    let (before, after) = (hours_words(&site.hours), hours_words(hours));
    if before != after {
        said.push(format!("办公时间：{before} → {after}"));
    }
    if site.hours.note != hours.note {
        said.push(format!(
            "办公时间说明：{}",
            hours.note.as_deref().unwrap_or("（删除）")
        ));
    }
    let added: Vec<String> = hours
        .closures
        .iter()
        .filter(|c| !site.hours.closures.contains(c))
        .map(closure_words)
        .collect();
    let removed: Vec<String> = site
        .hours
        .closures
        .iter()
        .filter(|c| !hours.closures.contains(c))
        .map(closure_words)
        .collect();
    if !added.is_empty() {
        said.push(format!("新增临时停止服务：{}", added.join("、")));
    }
    if !removed.is_empty() {
        said.push(format!("取消临时停止服务：{}", removed.join("、")));
    }
    let old: BTreeSet<&String> = site.items.iter().collect();
    let new: BTreeSet<&String> = items.iter().collect();
    let plus: Vec<&str> = new.difference(&old).map(|s| s.as_str()).collect();
    let minus: Vec<&str> = old.difference(&new).map(|s| s.as_str()).collect();
    if !plus.is_empty() {
        said.push(format!("增加可办理事项：{}", plus.join("、")));
    }
    if !minus.is_empty() {
        said.push(format!("减少可办理事项：{}", minus.join("、")));
    }
    if before_queues != queues {
        said.push(format!(
            "预约：{} → {}",
            queue_words(before_queues),
            queue_words(queues)
        ));
    }
    said
}

/// Changes a site's hours, closures, items and appointment queues; citizens see the change at
/// once (map, site page, open now, booking slots), on every server.
#[utoipa::path(put, path = "/api/admin/sites/{code}", tag = "中心管理",
    params(("code" = String, Path, description = "服务点编码，如 HALL、ST-01")),
    request_body = SiteSettings,
    responses(
        (status = 200, body = ManagedSite),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 403, body = app::api::ApiError, description = "不是中心管理者"),
        (status = 404, body = app::api::ApiError, description = "没有该服务点"),
        (status = 422, body = app::api::ApiError, description = "填写有误：fields 逐项指明（如 days.5.closes、closures.0.last、queues.1.capacity、items）"),
    ))]
pub async fn save(
    State(state): State<AppState>,
    CentreManager(manager): CentreManager,
    ClientAddress(address): ClientAddress,
    Path(code): Path<String>,
    JsonBody(settings): JsonBody<SiteSettings>,
) -> AppResult<Json<ManagedSite>> {
    let directory = state.sites();
    let site = directory.get(&code).ok_or_else(|| unknown(&code))?;
    let catalog = state.catalog();
    check_site_settings(&settings, |item| catalog.index.summary(item).is_some())
        .map_err(AppError::invalid)?;
    let hours = hours_of(&settings);
    let items: Vec<String> = settings
        .items
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    let mut queues: Vec<AppointmentQueue> = settings
        .queues
        .iter()
        .map(|q| AppointmentQueue {
            category: q.category.trim().to_string(),
            capacity: q.capacity,
        })
        .collect();
    queues.sort_by_key(|q| crate::appointments::rank(&q.category));
    let before_queues = site
        .appointment_queues
        .clone()
        .unwrap_or_else(|| offered_queues(&catalog, site));
    let said = changes(site, &hours, &items, &before_queues, &queues);
    if said.is_empty() {
        return managed(&state, &code).await.map(Json);
    }
    let by = manager.audit_name();
    let at = clock::now_text();
    let today: Date = Moment::now().date;
    let mut tx = state.db.pool.begin().await?;
    let change = store::Change {
        code: &code,
        hours: &hours,
        items: &items,
        queues: &queues,
        by: &by,
        at: &at,
    };
    if !store::save(&mut tx, &change).await? {
        return Err(unknown(&code));
    }
    slots::apply_capacities(&mut tx, &code, &queues, today).await?;
    versions::bump(&mut tx, VERSION).await?;
    let detail = format!("{code} {}：{}", site.name, said.join("；"));
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &by,
            action: "修改服务点设置",
            detail: &detail,
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    load(&state).await?;
    managed(&state, &code).await.map(Json)
}
