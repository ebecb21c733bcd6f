//! Service sites as text: list entries, the card shown when a map marker is tapped, distance
//! wording and the level symbols shared by the map, its legend and the lists.

use leptos::prelude::*;

use crate::api::{SiteLevel, SiteSummary};
use crate::ui::components::hotline::Phone;

/// The symbol of a level, drawn around (0, 0) in a 24 × 24 pixel box: a star for the hall, a
/// diamond for street centres, a circle for community stations and a triangle for 驿站, so the
/// levels differ in shape as well as colour.
pub fn level_path(level: SiteLevel) -> &'static str {
    match level {
        SiteLevel::Hall => "M0,-12L3.1,-4.2L11.4,-3.7L4.9,1.6L7.1,9.7L0,5.2L-7.1,9.7L-4.9,1.6L-11.4,-3.7L-3.1,-4.2Z",
        SiteLevel::Street => "M0,-10L10,0L0,10L-10,0Z",
        SiteLevel::Community => "M-8,0a8,8 0 1,0 16,0a8,8 0 1,0 -16,0Z",
        SiteLevel::Station => "M0,-9L9.5,8L-9.5,8Z",
    }
}

/// The CSS modifier of a level: `hall`, `street`, `community`, `station`.
pub fn level_class(level: SiteLevel) -> &'static str {
    level.as_str()
}

/// A small inline symbol for lists and the legend (decorative: the level is also written).
#[component]
pub fn LevelIcon(level: SiteLevel) -> impl IntoView {
    view! {
        <svg
            class=format!("lvl-icon lvl-icon--{}", level_class(level))
            viewBox="-13 -13 26 26"
            width="22"
            height="22"
            aria-hidden="true"
            focusable="false"
        >
            <path d=level_path(level)></path>
        </svg>
    }
}

/// `约 650 米` or `约 2.4 公里`.
pub fn distance_words(metres: u32) -> String {
    if metres < 1000 {
        let rounded = if metres < 100 {
            metres.max(10).div_ceil(10) * 10
        } else {
            (metres + 25) / 50 * 50
        };
        format!("约 {rounded} 米")
    } else {
        format!("约 {:.1} 公里", f64::from(metres) / 1000.0)
    }
}

/// `约 650 米，步行 9 分钟`; a long walk suggests the bus instead.
pub fn distance_walk(metres: u32, walk_minutes: Option<u32>) -> String {
    let distance = distance_words(metres);
    match walk_minutes {
        Some(m) if m <= 40 => format!("{distance}，步行 {m} 分钟"),
        Some(_) => format!("{distance}，建议乘车前往"),
        None => distance,
    }
}

/// Hours such as `今天 9:00–12:00，13:30–17:00`, each period kept on one line.
pub fn hours_text(text: &str) -> AnyView {
    text.split('，')
        .enumerate()
        .map(|(i, piece)| {
            view! {
                {(i > 0).then_some("，")}
                <span class="nowrap">{piece.to_string()}</span>
            }
        })
        .collect_view()
        .into_any()
}

/// The open/closed badge: words, not only colour.
pub fn open_badge(open_now: bool) -> AnyView {
    if open_now {
        view! { <span class="badge badge--good">"正在办公"</span> }.into_any()
    } else {
        view! { <span class="badge badge--closed">"现在不办公"</span> }.into_any()
    }
}

/// The level with its symbol and the open badge (`<p class="site-item__meta">`).
pub fn site_meta(level: SiteLevel, open_now: bool) -> AnyView {
    view! {
        <p class="site-item__meta">
            <span class="site-item__level"><LevelIcon level/>{level.label()}</span>
            {open_badge(open_now)}
        </p>
    }
    .into_any()
}

/// Level, open badge, distance, today's hours, address and phone (shared by list and card).
fn facts(s: &SiteSummary) -> AnyView {
    let distance = s
        .distance_m
        .map(|m| view! { <p class="site-item__dist">{distance_walk(m, s.walk_minutes)}</p> });
    view! {
        {site_meta(s.level, s.open_now)}
        {crate::ui::components::week_ahead::closure_notice(s.notice.clone())}
        {distance}
        <dl class="pairs site-item__pairs">
            <dt>"时间"</dt>
            <dd>{hours_text(&s.today)}</dd>
            <dt>"地址"</dt>
            <dd>{s.address.clone()}</dd>
            <dt>"电话"</dt>
            <dd><Phone number=s.phone.clone()/></dd>
        </dl>
    }
    .into_any()
}

/// One entry of the site list: the name links to the site's page; `book`, when given, is the
/// booking page for the item the list is about (the guide's "在哪里办").
#[component]
pub fn SiteItem(site: SiteSummary, #[prop(optional)] book: Option<String>) -> impl IntoView {
    let book = book.map(|href| {
        let label = format!("预约：{}", site.name);
        view! {
            <p class="actions">
                <a class="button button--primary" href=href aria-label=label>"预约"</a>
            </p>
        }
    });
    view! {
        <li class="card site-item">
            <h3 class="site-item__name">
                <a href=format!("/sites/{}", site.code)>{site.name.clone()}</a>
            </h3>
            {facts(&site)}
            {book}
        </li>
    }
}

/// The card shown under the map when a marker is tapped.
#[component]
pub fn SiteCard(site: SiteSummary) -> impl IntoView {
    view! {
        <h3 class="site-card__name">{site.name.clone()}</h3>
        {facts(&site)}
        <p class="actions">
            <a class="button button--primary" href=format!("/sites/{}", site.code)>
                "查看详情、导航和预约"
            </a>
        </p>
    }
}
