//! `/map/coverage`: the 15分钟政务服务圈 — how much of the district lies within a 15-minute walk
//! of some service site, per street, with the parts that do not hatched on the map.

use leptos::prelude::*;

use crate::api::{Coverage, DistrictMap, SiteQuery, SiteSummary};
use crate::ui::browser;
use crate::ui::chunks::drawn_map;
use crate::ui::components::district_map::{DistrictMapViewProps, Projection};
use crate::ui::components::site_card::SiteCard;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::sites as api;
use crate::ui::pages::map::MapTabs;

/// `87%` (one decimal below 1% steps that would round to 100% while cells are uncovered).
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if (99.5..100.0).contains(&p) {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// The uncovered cells as hatched rectangles in map units.
fn overlay(map: &DistrictMap, c: &Coverage) -> AnyView {
    let proj = Projection::new(map.bbox);
    let cells = c
        .uncovered
        .iter()
        .map(|run| {
            let south = c.origin[0] + f64::from(run.row) * c.cell_lat;
            let west = c.origin[1] + f64::from(run.col) * c.cell_lng;
            let (x0, y0) = proj.xy(south + c.cell_lat, west);
            let (x1, y1) = proj.xy(south, west + f64::from(run.len) * c.cell_lng);
            view! {
                <rect
                    x=format!("{x0:.1}")
                    y=format!("{y0:.1}")
                    width=format!("{:.1}", x1 - x0)
                    height=format!("{:.1}", y1 - y0)
                ></rect>
            }
        })
        .collect_view();
    view! {
        <defs>
            <pattern
                id="uncovered"
                patternUnits="userSpaceOnUse"
                width="8"
                height="8"
                patternTransform="rotate(45)"
            >
                <rect width="8" height="8" fill="#fbeeed"></rect>
                <rect width="3.5" height="8" fill="#b3261e"></rect>
            </pattern>
        </defs>
        <g class="map-uncovered">{cells}</g>
    }
    .into_any()
}

fn streets_table(c: &Coverage) -> AnyView {
    let rows = c
        .streets
        .iter()
        .map(|s| {
            let fill = format!("{:.1}", s.covered_share.clamp(0.0, 1.0) * 100.0);
            view! {
                <tr>
                    <th scope="row">{s.name.clone()}</th>
                    <td>
                        <svg
                            class="cover-bar"
                            viewBox="0 0 100 10"
                            preserveAspectRatio="none"
                            aria-hidden="true"
                            focusable="false"
                        >
                            <rect class="cover-bar__bg" width="100" height="10"></rect>
                            <rect class="cover-bar__fill" width=fill height="10"></rect>
                        </svg>
                        {percent(s.covered_share)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="cover-table">
            <caption>"各街道步行15分钟内有服务点的区域占比"</caption>
            <thead>
                <tr>
                    <th scope="col">"街道"</th>
                    <th scope="col">"占比"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    browser::set_title("15分钟政务服务圈");
    let district = fetch(api::district);
    view! {
        <h1 class="page-title">"15分钟政务服务圈"</h1>
        <MapTabs coverage=true/>
        {show(district, None, |map| view! { <CoverageBody map/> }.into_any())}
    }
}

#[component]
fn CoverageBody(map: DistrictMap) -> impl IntoView {
    let coverage = fetch(api::coverage);
    let found = fetch(|| api::sites(SiteQuery::default()));
    let sites = Signal::derive(move || -> Vec<SiteSummary> {
        match found.get() {
            Some(Ok(list)) => list.sites,
            _ => Vec::new(),
        }
    });
    let map = StoredValue::new(map);
    show(coverage, None, move |c| {
        let cover = StoredValue::new(c.clone());
        let selected = RwSignal::new(None::<String>);
        let card = move || {
            let code = selected.get()?;
            sites.with(|l| {
                l.iter()
                    .find(|s| s.code == code)
                    .map(|site| view! { <SiteCard site=site.clone()/> })
            })
        };
        let here = Signal::derive(|| None);
        view! {
                <p class="cover-headline">
                    {format!(
                        "全区 {} 的区域步行{}分钟内有政务服务点",
                        percent(c.covered_share),
                        c.walk_minutes,
                    )}
                </p>
                <p class="hint">
                    "按步行速度每分钟 80 米、街道绕行多走四分之一估算。地图上画红色斜线的地方，步行15分钟内还没有服务点。"
                </p>
                {drawn_map(move || {
                    DistrictMapViewProps::builder()
                        .map(map.get_value())
                        .sites(sites)
                        .selected(selected)
                        .here(here)
                        .overlay(cover.with_value(|c| map.with_value(|m| overlay(m, c))))
                        .label("示范区15分钟政务服务圈地图：红色斜线为步行15分钟内没有服务点的区域")
                        .build()
                })}
                <p class="map-legend map-legend--cover">
                    <span class="cover-swatch" aria-hidden="true"></span>
                    "红色斜线：步行15分钟内没有服务点"
                </p>
                <div class="site-card card" aria-live="polite">{card}</div>
                <section class="section card" aria-labelledby="streets-title">
                    <h2 id="streets-title">"各街道情况"</h2>
                    <div class="table-scroll">{streets_table(&c)}</div>
                </section>
            }
            .into_any()
    })
}
