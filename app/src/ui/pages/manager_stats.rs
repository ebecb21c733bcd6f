//! `/manager/stats` (centre manager): 统计指标 — the figures the centre is judged by, for any
//! period and department, each with how it is computed, month by month as SVG plots, and the
//! same table as CSV for Excel.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{CatalogOverview, DepartmentFigures, Figure, FigureKey, MonthFigures, Stats};
use crate::rules::stats::display;
use crate::ui::browser;
use crate::ui::components::status::fetch;
use crate::ui::endpoints::{catalog, staff};
use crate::ui::http::encode;
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

/// The page's query (`from`, `to`, `department`) as the API takes it.
fn query_string(from: &str, to: &str, department: &str) -> String {
    let mut parts = Vec::new();
    for (name, value) in [("from", from), ("to", to), ("department", department)] {
        if !value.is_empty() {
            parts.push(format!("{name}={}", encode(value)));
        }
    }
    parts.join("&")
}

#[component]
pub fn ManagerStatsPage() -> impl IntoView {
    browser::set_title("统计指标");
    let query = use_query_map();
    let param = move |name: &'static str| {
        Memo::new(move |_| query.with(|q| q.get(name)).unwrap_or_default())
    };
    let (from, to, department) = (param("from"), param("to"), param("department"));
    let stats = fetch_signed_in(Signin::Staff, move || {
        let q = query_string(&from.get(), &to.get(), &department.get());
        async move { staff::stats(&q).await }
    });
    let departments = fetch(catalog::catalog);
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
            " / "
            <a href="/manager">"督办与差评整改"</a>
        </nav>
        <h1 class="page-title">"统计指标"</h1>
        {staff_line()}
        <PeriodPicker from to department departments/>
        {guard(stats, Signin::Staff, |stats: Stats| view! { <StatsView stats/> }.into_any())}
    }
}

/// 开始日期, 结束日期 and 部门; 查询 puts them in the address (shareable, bookmarkable).
#[component]
fn PeriodPicker(
    from: Memo<String>,
    to: Memo<String>,
    department: Memo<String>,
    departments: LocalResource<crate::ui::http::ApiResult<CatalogOverview>>,
) -> impl IntoView {
    let from_value = RwSignal::new(from.get_untracked());
    let to_value = RwSignal::new(to.get_untracked());
    let department_value = RwSignal::new(department.get_untracked());
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = query_string(
            &from_value.get_untracked(),
            &to_value.get_untracked(),
            &department_value.get_untracked(),
        );
        navigate(&format!("/manager/stats?{q}"), NavigateOptions::default());
    };
    let options = move || {
        let list = match departments.get() {
            Some(Ok(overview)) => overview.departments,
            _ => Vec::new(),
        };
        list.into_iter()
            .map(|d| {
                let code = d.department.code.clone();
                let selected = department_value.get_untracked() == code;
                view! { <option value=code selected=selected>{d.department.name.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="card stats-picker" on:submit=submit aria-label="统计区间和部门">
            <div class="field">
                <label class="field__label" for="stats-from">"开始日期"</label>
                <input id="stats-from" class="input" type="date" prop:value=move || from_value.get()
                    on:input=move |ev| from_value.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label class="field__label" for="stats-to">"结束日期"</label>
                <input id="stats-to" class="input" type="date" prop:value=move || to_value.get()
                    on:input=move |ev| to_value.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label class="field__label" for="stats-department">"部门"</label>
                <select id="stats-department" class="input"
                    on:change=move |ev| department_value.set(event_target_value(&ev))>
                    <option value="" selected=move || department_value.get().is_empty()>"全中心（全部部门）"</option>
                    {options}
                </select>
            </div>
            <button type="submit" class="button button--primary">"查询"</button>
        </form>
    }
}

#[component]
fn StatsView(stats: Stats) -> impl IntoView {
    let csv = format!(
        "/api/admin/stats.csv?{}",
        query_string(
            &stats.from,
            &stats.to,
            stats.department.as_deref().unwrap_or("")
        )
    );
    let scope = match &stats.department {
        Some(code) => stats
            .departments
            .iter()
            .find(|d| &d.code == code)
            .map_or(code.clone(), |d| d.name.clone()),
        None => "全中心".to_string(),
    };
    let total = stats.total.clone();
    let statuses = total
        .by_status
        .iter()
        .map(|s| view! { <li>{s.status.label()}" "<strong>{s.count}</strong></li> })
        .collect_view();
    let cards = total
        .figures
        .iter()
        .map(|f| view! { <FigureCard figure=f.clone()/> })
        .collect_view();
    view! {
        {stats.includes_demo.then(|| view! {
            <p class="demo-notice">
                <span class="demo-notice__tag">"演示数据"</span>
                "本统计包含系统生成的一年演示办件，仅用于演示图表，不是真实办件。"
            </p>
        })}
        <p class="stats-scope">
            {format!("{scope} · {} 至 {}（按受理日期，北京时间）", stats.from, stats.to)}
            " "
            <a class="button" href=csv.clone() download=format!("stats-{}-{}.csv", stats.from, stats.to)>
                "下载 CSV（Excel 可直接打开）"
            </a>
        </p>
        <section class="section" aria-labelledby="counts-title">
            <h2 id="counts-title">"办件量与状态"</h2>
            <ul class="stats-counts">
                <li>"办件量 "<strong>{total.received}</strong></li>
                <li>"办结（含不予受理） "<strong>{total.decided}</strong></li>
                <li class="stats-counts__red">"红牌（已超期） "<strong>{total.red}</strong></li>
                <li class="stats-counts__yellow">"黄牌（剩 1 个工作日内） "<strong>{total.yellow}</strong></li>
                {statuses}
            </ul>
        </section>
        <section class="section" aria-labelledby="figures-title">
            <h2 id="figures-title">"效能指标"</h2>
            <p class="hint">"点按或悬停任一指标，查看计算方法和分子、分母。"</p>
            <ul class="stats-cards">{cards}</ul>
        </section>
        <section class="section" aria-labelledby="plots-title">
            <h2 id="plots-title">"按月趋势"</h2>
            <MonthPlot months=stats.months.clone() figure=None title="每月办件量"/>
            <MonthPlot months=stats.months.clone() figure=Some(FigureKey::OnTimeRate) title="每月按时办结率"/>
            <MonthPlot months=stats.months.clone() figure=Some(FigureKey::SatisfactionRate) title="每月好评率"/>
            <MonthPlot months=stats.months.clone() figure=Some(FigureKey::OnlineShare) title="每月网办率"/>
        </section>
        <section class="section" aria-labelledby="departments-title">
            <h2 id="departments-title">"各部门"</h2>
            <DepartmentTable departments=stats.departments/>
        </section>
    }
}

/// One figure: the value, and on tap/hover (a `<details>`, so also by keyboard) how it is
/// computed with its numerator and denominator.
#[component]
fn FigureCard(figure: Figure) -> impl IntoView {
    let value = display(&figure, 1);
    let parts = format!("分子 {} ÷ 分母 {}", figure.numerator, figure.denominator);
    view! {
        <li class="card stats-card">
            <details title=figure.definition.clone()>
                <summary>
                    <span class="stats-card__label">{figure.label.clone()}</span>
                    <strong class="stats-card__value">{value}</strong>
                </summary>
                <p class="stats-card__definition">{figure.definition.clone()}</p>
                <p class="hint">{parts}</p>
            </details>
        </li>
    }
}

const PLOT_WIDTH: f64 = 640.0;
const PLOT_HEIGHT: f64 = 200.0;
const PLOT_TOP: f64 = 20.0;
const PLOT_BOTTOM: f64 = 30.0;

/// A bar per month, the value written above each bar (readable in print and without colour);
/// the whole plot is one image whose accessible name lists every month's value.
#[component]
fn MonthPlot(
    months: Vec<MonthFigures>,
    figure: Option<FigureKey>,
    title: &'static str,
) -> impl IntoView {
    let values: Vec<(String, Option<f64>, String)> = months
        .iter()
        .map(|m| {
            let label = m.month.get(5..).map_or(m.month.clone(), |mm| {
                format!("{}月", mm.trim_start_matches('0'))
            });
            match figure {
                None => (
                    label,
                    Some(m.figures.received as f64),
                    m.figures.received.to_string(),
                ),
                Some(k) => {
                    let f = m.figures.figure(k);
                    (
                        label,
                        f.and_then(|f| f.value),
                        f.map_or("—".into(), |f| display(f, 0)),
                    )
                }
            }
        })
        .collect();
    let max = match figure {
        None => values.iter().filter_map(|v| v.1).fold(1.0_f64, f64::max),
        Some(_) => 1.0,
    };
    let spoken = values
        .iter()
        .zip(&months)
        .map(|((_, _, text), m)| format!("{} {text}", m.month))
        .collect::<Vec<_>>()
        .join("，");
    let name = format!("{title}：{spoken}");
    let count = values.len().max(1) as f64;
    let slot = PLOT_WIDTH / count;
    let inner = PLOT_HEIGHT - PLOT_TOP - PLOT_BOTTOM;
    let bars = values
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, text))| {
            let height = value.map_or(0.0, |v| (v / max).clamp(0.0, 1.0) * inner);
            let x = i as f64 * slot + slot * 0.15;
            let y = PLOT_TOP + inner - height;
            let centre = i as f64 * slot + slot / 2.0;
            view! {
                <rect class="plot__bar" x=format!("{x:.1}") y=format!("{y:.1}")
                    width=format!("{:.1}", slot * 0.7) height=format!("{height:.1}")/>
                <text class="plot__value" x=format!("{centre:.1}") y=format!("{:.1}", y - 4.0) text-anchor="middle">{text}</text>
                <text class="plot__label" x=format!("{centre:.1}") y=format!("{:.1}", PLOT_HEIGHT - 10.0) text-anchor="middle">{label}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="plot">
            <figcaption class="plot__title">{title}</figcaption>
            <svg class="plot__svg" viewBox=format!("0 0 {PLOT_WIDTH} {PLOT_HEIGHT}") role="img" aria-label=name>
                <line class="plot__axis" x1="0" x2=format!("{PLOT_WIDTH}") y1=format!("{}", PLOT_TOP + inner) y2=format!("{}", PLOT_TOP + inner)/>
                {bars}
            </svg>
        </figure>
    }
}

#[component]
fn DepartmentTable(departments: Vec<DepartmentFigures>) -> impl IntoView {
    const COLUMNS: [FigureKey; 5] = [
        FigureKey::CompletionRate,
        FigureKey::OnTimeRate,
        FigureKey::OnlineShare,
        FigureKey::SatisfactionRate,
        FigureKey::DecisionDays,
    ];
    let head = COLUMNS
        .iter()
        .map(|k| view! { <th scope="col" title=k.definition()>{k.label()}</th> })
        .collect_view();
    let rows = departments
        .into_iter()
        .map(|d| {
            let cells = COLUMNS
                .iter()
                .map(|k| {
                    let text = d.figures.figure(*k).map_or("—".into(), |f| display(f, 1));
                    view! { <td data-label=k.label()>{text}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{d.name}</th>
                    <td data-label="办件量">{d.figures.received}</td>
                    <td data-label="红牌">{d.figures.red}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        // Scrolls sideways on a phone: focusable so a keyboard can scroll it too.
        <div class="stats-table-wrap" tabindex="0" role="region" aria-label="各部门统计表（可横向滚动）">
            <table class="stats-table">
                <caption class="visually-hidden">"各部门统计指标"</caption>
                <thead>
                    <tr>
                        <th scope="col">"部门"</th>
                        <th scope="col">"办件量"</th>
                        <th scope="col">"红牌"</th>
                        {head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
