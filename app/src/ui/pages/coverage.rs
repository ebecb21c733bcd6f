//! `/map/coverage`: the 15分钟政务服务圈 — how much of the district lies within a 15-minute walk
//! of some service site, per street, with the parts that do not hatched on the map.

use leptos::prelude::*;

use crate::api::{Coverage, DistrictMap, SiteSummary};
use crate::ui::browser;
use crate::ui::components::district_map::{DistrictMapView, Projection};
use crate::ui::components::status::{load, loaded};
use crate::ui::markup::Html;
use crate::ui::pages::map::MapTabs;
use crate::ui::sites_api::{self, SiteQuery};

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
fn overlay(map: &DistrictMap, c: &Coverage) -> String {
    let proj = Projection::new(map.bbox);
    let mut h = Html::new();
    h.raw("<defs><pattern id=\"uncovered\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\" patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#fbeeed\"/><rect width=\"3.5\" height=\"8\" fill=\"#b3261e\"/></pattern></defs><g class=\"map-uncovered\">");
    for run in &c.uncovered {
        let south = c.origin[0] + f64::from(run.row) * c.cell_lat;
        let west = c.origin[1] + f64::from(run.col) * c.cell_lng;
        let (x0, y0) = proj.xy(south + c.cell_lat, west);
        let (x1, y1) = proj.xy(south, west + f64::from(run.len) * c.cell_lng);
        h.raw(&format!(
            "<rect x=\"{x0:.1}\" y=\"{y0:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            x1 - x0,
            y1 - y0
        ));
    }
    h.raw("</g>");
    h.finish()
}

fn table_html(c: &Coverage) -> String {
    let mut h = Html::new();
    h.raw("<table class=\"cover-table\"><caption>各街道步行15分钟内有服务点的区域占比</caption><thead><tr><th scope=\"col\">街道</th><th scope=\"col\">占比</th></tr></thead><tbody>");
    for s in &c.streets {
        h.raw("<tr><th scope=\"row\">")
            .text(&s.name)
            .raw(&format!(
                "</th><td><svg class=\"cover-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\"><rect class=\"cover-bar__bg\" width=\"100\" height=\"10\"/><rect class=\"cover-bar__fill\" width=\"{:.1}\" height=\"10\"/></svg>",
                s.covered_share.clamp(0.0, 1.0) * 100.0
            ))
            .text(&percent(s.covered_share))
            .raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    h.finish()
}

#[component]
pub fn CoveragePage() -> impl IntoView {
    browser::set_title("15分钟政务服务圈");
    let district = load(Box::new(|| Box::pin(sites_api::district())));
    view! {
        <h1 class="page-title">"15分钟政务服务圈"</h1>
        <MapTabs coverage=true/>
        {loaded(
            district,
            None,
            Box::new(|m| view! { <CoverageBody map=sites_api::district_map(&m)/> }.into_any()),
        )}
    }
}

#[component]
fn CoverageBody(map: DistrictMap) -> impl IntoView {
    let coverage = load(Box::new(|| Box::pin(sites_api::coverage_data())));
    let found = load(Box::new(|| Box::pin(sites_api::sites(SiteQuery::default()))));
    let sites = Signal::derive(move || -> Vec<SiteSummary> {
        match found.get() {
            Some(Ok(v)) => sites_api::site_list(&v),
            _ => Vec::new(),
        }
    });
    let map = StoredValue::new(map);
    loaded(
        coverage,
        None,
        Box::new(move |v| {
            let c = sites_api::coverage(&v);
            let shade = map.with_value(|m| overlay(m, &c));
            let selected = RwSignal::new(None::<String>);
            let card = move || {
                let code = selected.get()?;
                sites.with(|l| {
                    l.iter()
                        .find(|s| s.code == code)
                        .map(crate::ui::components::site_card::site_card)
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
                <DistrictMapView
                    map=map.get_value()
                    sites
                    selected
                    here
                    overlay=shade
                    label="示范区15分钟政务服务圈地图：红色斜线为步行15分钟内没有服务点的区域"
                />
                <p class="map-legend map-legend--cover">
                    <span class="cover-swatch" aria-hidden="true"></span>
                    "红色斜线：步行15分钟内没有服务点"
                </p>
                <div class="site-card card" aria-live="polite" inner_html=move || card().unwrap_or_default()></div>
                <section class="section card" aria-labelledby="streets-title">
                    <h2 id="streets-title">"各街道情况"</h2>
                    <div class="table-scroll" inner_html=table_html(&c)></div>
                </section>
            }
            .into_any()
        }),
    )
}
