//! 统计指标 for the centre's managers: `GET /api/admin/stats` (JSON) and
//! `GET /api/admin/stats.csv` (for Excel), per department and for the centre, over any period of
//! Beijing dates, month by month for the plots.
//!
//! One bounded query reads the facts of the period's cases; `app::rules::stats` computes the
//! figures, with the definitions the dashboard shows. [`demo_history`] generates the labelled
//! demo year that makes the plots mean something on a demo server.

pub mod demo_history;

use std::collections::HashMap;

use app::api::{CaseStatus, DepartmentFigures, Figures, ItemGuide, MonthFigures, Stats, Warning};
use app::rules::csv::{self, field};
use app::rules::date::Date;
use app::rules::stats::{self, CaseFacts, ItemFacts, RatingFacts};
use app::rules::working_hours::acceptance_day;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Staff;
use crate::cases::view;
use crate::clock;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

/// More cases than a district accepts in the longest period; beyond it the answer would be
/// slow, so it is refused rather than truncated.
const MAX_CASES: i64 = 500_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats_json))
        .routes(routes!(stats_csv))
}

/// Only the centre's managers see the indicators; a reviewer is told so (403).
fn manager_only(staff: &crate::auth::StaffUser) -> AppResult<()> {
    if staff.is_manager() {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            message: "统计指标仅对政务服务中心管理人员开放".into(),
        })
    }
}

/// The indicators of a period (default: the twelve months up to today).
#[utoipa::path(get, path = "/api/admin/stats", tag = "统计",
    params(
        ("from" = Option<String>, Query, description = "开始日期 YYYY-MM-DD（北京时间，含当天）"),
        ("to" = Option<String>, Query, description = "结束日期 YYYY-MM-DD（含当天）"),
        ("department" = Option<String>, Query, description = "只看某一部门（部门编码）"),
    ),
    responses(
        (status = 200, body = Stats),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 422, body = app::api::ApiError, description = "日期或部门无效，fields 指明参数"),
    ))]
pub async fn stats_json(
    State(state): State<AppState>,
    Staff(staff): Staff,
    params: Params,
) -> AppResult<Json<Stats>> {
    manager_only(&staff)?;
    Ok(Json(compute(&state, &params).await?))
}

/// The same indicators as CSV for Excel: UTF-8 with a byte order mark, Chinese headers, one row
/// per department and a row for the whole centre.
#[utoipa::path(get, path = "/api/admin/stats.csv", tag = "统计",
    params(
        ("from" = Option<String>, Query, description = "开始日期 YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "结束日期 YYYY-MM-DD"),
        ("department" = Option<String>, Query, description = "只看某一部门（部门编码）"),
    ),
    responses(
        (status = 200, content_type = "text/csv", body = String),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError),
        (status = 422, body = app::api::ApiError),
    ))]
pub async fn stats_csv(
    State(state): State<AppState>,
    Staff(staff): Staff,
    params: Params,
) -> AppResult<Response> {
    manager_only(&staff)?;
    let stats = compute(&state, &params).await?;
    let body = csv(&stats);
    let file = format!("stats-{}-{}.csv", stats.from, stats.to);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// One row of the period's cases, as the query reads it.
#[derive(sqlx::FromRow)]
struct FactRow {
    department_code: String,
    item_code: String,
    status: String,
    submitted_at: String,
    due_date: Option<String>,
    decided_at: Option<String>,
    returns: i64,
    demo: i64,
    is_bad: Option<i64>,
    rated_at: Option<String>,
    rectified_at: Option<String>,
}

/// The UTC timestamp text at which Beijing's `day` begins (stored timestamps compare as text).
fn beijing_start(day: Date) -> String {
    format!("{}T16:00:00Z", day.pred())
}

fn beijing_date(text: &str) -> Option<Date> {
    clock::parse_rfc3339(text).map(Date::from_unix_seconds_beijing)
}

fn item_facts(
    handling: app::api::Handling,
    online_level: app::api::OnlineLevel,
    visits: u8,
    promised_days: u32,
    statutory_days: u32,
) -> ItemFacts {
    ItemFacts {
        handling,
        online_level,
        visits,
        promised_days,
        statutory_days,
    }
}

pub async fn compute(state: &AppState, params: &Params) -> AppResult<Stats> {
    let today = clock::today_beijing();
    let from = params.text("from", "开始日期", 20)?;
    let to = params.text("to", "结束日期", 20)?;
    let (from, to) =
        stats::period(from.as_deref(), to.as_deref(), today).map_err(|(field, message)| {
            AppError::UnprocessableField {
                field: field.into(),
                message,
            }
        })?;
    let catalog = state.catalog();
    let departments: Vec<_> = catalog
        .overview
        .departments
        .iter()
        .map(|d| d.department.clone())
        .collect();
    let department = params.text("department", "部门", 40)?;
    if let Some(code) = &department {
        if !departments.iter().any(|d| &d.code == code) {
            return Err(AppError::UnprocessableField {
                field: "department".into(),
                message: format!("部门（参数 department）“{code}”不存在，请从列表中选择"),
            });
        }
    }

    let mut sql = String::from(
        "SELECT c.department_code, c.item_code, c.status, c.submitted_at, c.due_date, c.decided_at, \
         c.returns, c.demo, r.is_bad, r.created_at AS rated_at, r.rectified_at \
         FROM cases c LEFT JOIN ratings r ON r.case_id = c.id \
         WHERE c.number IS NOT NULL AND c.status <> 'draft' AND c.submitted_at IS NOT NULL \
         AND c.submitted_at >= $1 AND c.submitted_at < $2",
    );
    if department.is_some() {
        sql.push_str(" AND c.department_code = $4");
    }
    sql.push_str(" ORDER BY c.submitted_at LIMIT $3");
    let mut query = sqlx::query_as::<_, FactRow>(&sql)
        .bind(beijing_start(from))
        .bind(beijing_start(to.succ()))
        .bind(MAX_CASES + 1);
    if let Some(code) = &department {
        query = query.bind(code.clone());
    }
    let rows = query.fetch_all(&state.db.pool).await?;
    if rows.len() as i64 > MAX_CASES {
        return Err(AppError::UnprocessableField {
            field: "from".into(),
            message: format!("该区间办件超过 {MAX_CASES} 件，请缩短统计区间"),
        });
    }

    // What each item promises: from the catalog, or for an item no longer in it, from the
    // guide a case was filed under.
    let mut items: HashMap<String, ItemFacts> = catalog
        .index
        .summaries()
        .map(|s| {
            (
                s.code.clone(),
                item_facts(
                    s.handling,
                    s.online_level,
                    s.visits,
                    s.promised_days,
                    s.statutory_days,
                ),
            )
        })
        .collect();
    let mut unknown: HashMap<String, Option<ItemFacts>> = HashMap::new();
    for row in &rows {
        if items.contains_key(&row.item_code) || unknown.contains_key(&row.item_code) {
            continue;
        }
        let guide: Option<String> = sqlx::query_scalar(
            "SELECT guide FROM cases WHERE item_code = $1 AND demo = 0 ORDER BY seq DESC LIMIT 1",
        )
        .bind(&row.item_code)
        .fetch_optional(&state.db.pool)
        .await?;
        // A guide that cannot be read leaves its cases out rather than guessing their type.
        let facts = guide
            .and_then(|g| serde_json::from_str::<ItemGuide>(&g).ok())
            .map(|g| {
                item_facts(
                    g.handling,
                    g.online_level,
                    g.visits,
                    g.promised_days,
                    g.statutory_days,
                )
            });
        unknown.insert(row.item_code.clone(), facts);
    }

    items.extend(
        unknown
            .into_iter()
            .filter_map(|(code, facts)| facts.map(|f| (code, f))),
    );
    let calendar = &state.calendar();
    let includes_demo = rows.iter().any(|r| r.demo != 0);
    let facts: Vec<CaseFacts> = rows
        .iter()
        .filter_map(|row| {
            let status = CaseStatus::parse(&row.status)?;
            let submitted_secs = clock::parse_rfc3339(&row.submitted_at)?;
            let (_, warning): (_, Option<Warning>) =
                view::deadline(calendar, status, row.due_date.as_deref(), today);
            Some(CaseFacts {
                department: row.department_code.clone(),
                status,
                submitted_on: Date::from_unix_seconds_beijing(submitted_secs),
                accepted_on: acceptance_day(calendar, submitted_secs).ok().map(|a| a.day),
                due: row.due_date.as_deref().and_then(Date::parse),
                decided_on: row.decided_at.as_deref().and_then(beijing_date),
                returns: row.returns,
                item: *items.get(&row.item_code)?,
                rating: row
                    .is_bad
                    .zip(row.rated_at.as_deref().and_then(beijing_date))
                    .map(|(bad, rated_on)| RatingFacts {
                        bad: bad != 0,
                        rated_on,
                        rectified_on: row.rectified_at.as_deref().and_then(beijing_date),
                    }),
                warning,
            })
        })
        .collect();

    let items_of = |department: Option<&str>| -> Vec<ItemFacts> {
        catalog
            .index
            .summaries()
            .filter(|s| department.is_none_or(|d| s.department_code == d))
            .filter_map(|s| items.get(&s.code).copied())
            .collect()
    };
    let scope_items = items_of(department.as_deref());
    let all: Vec<&CaseFacts> = facts.iter().collect();
    let total = stats::figures(&all, &scope_items, calendar);
    let months = stats::months(from, to)
        .into_iter()
        .map(|month| {
            let of_month: Vec<&CaseFacts> = facts
                .iter()
                .filter(|f| stats::month_of(f.submitted_on) == month)
                .collect();
            MonthFigures {
                figures: stats::figures(&of_month, &scope_items, calendar),
                month,
            }
        })
        .collect();
    let departments = departments
        .into_iter()
        .filter(|d| department.as_ref().is_none_or(|code| &d.code == code))
        .map(|d| {
            let of_department: Vec<&CaseFacts> =
                facts.iter().filter(|f| f.department == d.code).collect();
            DepartmentFigures {
                figures: stats::figures(&of_department, &items_of(Some(&d.code)), calendar),
                code: d.code,
                name: d.name,
            }
        })
        .collect();
    Ok(Stats {
        from: from.to_string(),
        to: to.to_string(),
        department,
        total,
        departments,
        months,
        includes_demo,
    })
}

fn csv_row(out: &mut String, name: &str, figures: &Figures) {
    let mut cells = vec![
        field(name),
        figures.received.to_string(),
        figures.decided.to_string(),
    ];
    cells.extend(figures.by_status.iter().map(|s| s.count.to_string()));
    cells.push(figures.red.to_string());
    cells.push(figures.yellow.to_string());
    cells.extend(figures.figures.iter().map(|f| field(&stats::display(f, 2))));
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// The CSV document: BOM, a header row, one row per department, the centre last.
pub fn csv(stats: &Stats) -> String {
    let mut out = String::from(csv::BOM);
    let mut header = vec![
        "部门".to_string(),
        "办件量".into(),
        "办结数（含不予受理）".into(),
    ];
    header.extend(stats::STATUS_ORDER.iter().map(|s| s.label().to_string()));
    header.push("红牌".into());
    header.push("黄牌".into());
    header.extend(
        app::api::FigureKey::ALL
            .iter()
            .map(|k| k.label().to_string()),
    );
    out.push_str(
        &header
            .iter()
            .map(|h| field(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for d in &stats.departments {
        csv_row(&mut out, &d.name, &d.figures);
    }
    if stats.department.is_none() {
        csv_row(&mut out, "全中心", &stats.total);
    }
    out
}
