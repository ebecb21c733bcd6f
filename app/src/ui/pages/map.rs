//! `/map?item=&level=&open=1`: the 政务服务地图. Where can I go, how far is it, is it open now?
//!
//! Phone first: the position (or one's street), the filters, then the sites as a list, nearest
//! first — the list is what screen readers and small screens use; the drawn map is a tap away
//! (and beside the list on wide screens). The filters live in the URL, so `/map?item=CODE` from
//! a guide opens already filtered; the position never goes into the URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{DistrictMap, ItemSummary, SiteLevel, SiteQuery, SiteSummary};
use crate::ui::browser;
use crate::ui::chunks::drawn_map;
use crate::ui::components::district_map::DistrictMapViewProps;
use crate::ui::components::near_picker::NearPicker;
use crate::ui::components::site_card::{SiteCard, SiteItem};
use crate::ui::components::status::{fetch, show, Loading, Problem};
use crate::ui::endpoints::catalog::{self, ItemQuery};
use crate::ui::endpoints::sites as api;
use crate::ui::http::{encode, ApiResult};
use crate::ui::near::saved_near;

/// The two views of the map section, as links (the current one marked).
#[component]
pub fn MapTabs(coverage: bool) -> impl IntoView {
    let current = |on: bool| if on { Some("page") } else { None };
    view! {
        <nav class="tabs" aria-label="地图内容">
            <a class="tabs__tab" href="/map" aria-current=current(!coverage)>"服务点"</a>
            <a class="tabs__tab" href="/map/coverage" aria-current=current(coverage)>
                "15分钟政务服务圈"
            </a>
        </nav>
    }
}

#[component]
pub fn MapPage() -> impl IntoView {
    browser::set_title("政务服务地图");
    let district = fetch(api::district);
    view! {
        <h1 class="page-title">"政务服务地图"</h1>
        <p class="lead">"找离您最近的办事地点，看清开门时间和怎么去。"</p>
        <MapTabs coverage=false/>
        {show(district, None, |map| view! { <MapBody map/> }.into_any())}
    }
}

/// `/map?…` with one filter changed.
fn map_url(item: Option<&str>, level: Option<SiteLevel>, open_now: bool) -> String {
    let mut parts = Vec::new();
    if let Some(item) = item {
        parts.push(format!("item={}", encode(item)));
    }
    if let Some(level) = level {
        parts.push(format!("level={}", level.as_str()));
    }
    if open_now {
        parts.push("open=1".to_string());
    }
    if parts.is_empty() {
        "/map".into()
    } else {
        format!("/map?{}", parts.join("&"))
    }
}

/// The item choice: every item, grouped by department; `chosen` preselected.
fn item_options(items: &[ItemSummary], chosen: Option<&str>) -> AnyView {
    let mut groups: Vec<(&str, Vec<&ItemSummary>)> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some((department, members)) if *department == item.department => members.push(item),
            _ => groups.push((&item.department, vec![item])),
        }
    }
    let groups = groups
        .into_iter()
        .map(|(department, members)| {
            let options = members
                .into_iter()
                .map(|item| {
                    let on = chosen == Some(item.code.as_str());
                    view! { <option value=item.code.clone() selected=on>{item.name.clone()}</option> }
                })
                .collect_view();
            if department.is_empty() {
                options.into_any()
            } else {
                view! { <optgroup label=department.to_string()>{options}</optgroup> }.into_any()
            }
        })
        .collect_view();
    // A code from a link that is not (yet) in the list still shows as chosen.
    let unknown = chosen
        .filter(|c| !items.iter().any(|i| i.code == *c))
        .map(|code| view! { <option selected value=code.to_string()>{code.to_string()}</option> });
    view! {
        <option value="">"全部事项"</option>
        {groups}
        {unknown}
    }
    .into_any()
}

fn level_options(chosen: Option<SiteLevel>) -> AnyView {
    let levels = SiteLevel::ALL
        .into_iter()
        .map(|level| {
            view! {
                <option value=level.as_str() selected={chosen == Some(level)}>{level.label()}</option>
            }
        })
        .collect_view();
    view! {
        <option value="">"全部类型"</option>
        {levels}
    }
    .into_any()
}

#[component]
fn MapBody(map: DistrictMap) -> impl IntoView {
    let query = use_query_map();
    let item = Memo::new(move |_| query.with(|q| q.get("item")).filter(|s| !s.is_empty()));
    let level = Memo::new(move |_| {
        query
            .with(|q| q.get("level"))
            .and_then(|l| SiteLevel::parse(&l))
    });
    let open_now = Memo::new(move |_| query.with(|q| q.get("open")).as_deref() == Some("1"));
    let near = RwSignal::new(saved_near());
    let selected = RwSignal::new(None::<String>);
    let wide = web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w >= 1024.0);
    let show_map = RwSignal::new(wide);
    // The drawn map is the heaviest part of the page: on a phone (list first) it is only built
    // once the person asks for it, so loading the page never waits on it; afterwards it stays.
    let map_wanted = Memo::new(move |was: Option<&bool>| was == Some(&true) || show_map.get());

    let items = fetch(|| {
        catalog::items(ItemQuery {
            limit: 100,
            ..ItemQuery::default()
        })
    });
    let item_list = Memo::new(move |_| match items.get() {
        Some(Ok(list)) => list.items,
        _ => Vec::new(),
    });
    let found = fetch(move || {
        api::sites(SiteQuery {
            near: near.with(|n| n.as_ref().map(|n| n.point())),
            item: item.get(),
            level: level.get(),
            open_now: open_now.get(),
        })
    });
    let sites = Memo::new(move |_| -> Option<ApiResult<Vec<SiteSummary>>> {
        found.get().map(|answer| answer.map(|list| list.sites))
    });
    let shown = Signal::derive(move || {
        sites.with(|s| match s {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        })
    });

    let navigate = use_navigate();
    let go = move |url: String| {
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        )
    };
    let on_item = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(map_url(
                Some(v.as_str()).filter(|v| !v.is_empty()),
                level.get_untracked(),
                open_now.get_untracked(),
            ))
        }
    };
    let on_level = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            go(map_url(
                item.get_untracked().as_deref(),
                SiteLevel::parse(&v),
                open_now.get_untracked(),
            ))
        }
    };
    let on_open = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        go(map_url(
            item.get_untracked().as_deref(),
            level.get_untracked(),
            on,
        ))
    };

    let summary = move || {
        let n = match sites.get() {
            Some(Ok(list)) => list.len(),
            _ => return String::new(),
        };
        let mut text = format!("共 {n} 个服务点");
        if item.with(Option::is_some) {
            let name = item.with(|code| {
                let code = code.as_deref().unwrap_or_default();
                item_list.with(|l| l.iter().find(|i| i.code == code).map(|i| i.name.clone()))
            });
            match name {
                Some(name) => text.push_str(&format!("能办理“{name}”")),
                None => text.push_str("能办理所选事项"),
            }
        }
        if open_now.get() {
            text.push_str("，此刻正在办公");
        }
        text.push_str(&near.with(|n| match n {
            Some(n) => match &n.street {
                Some(street) => format!("，按离{street}中心由近到远排列"),
                None => "，按离您由近到远排列".to_string(),
            },
            None => "，按区、街道、社区、驿站排列".to_string(),
        }));
        text.push('。');
        text
    };
    let list_items = move || {
        sites.with(|s| match s {
            Some(Ok(list)) => list
                .iter()
                .map(|site| view! { <SiteItem site=site.clone()/> })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let list_state = move || match sites.get() {
        None => Some(view! { <Loading/> }.into_any()),
        Some(Err(failure)) => {
            Some(view! { <Problem failure retry=move || found.refetch()/> }.into_any())
        }
        Some(Ok(list)) if list.is_empty() => Some(
            view! {
                <p class="empty">
                    "没有符合条件的服务点。可以取消“只看正在办公”，或换一个事项、类型再试。"
                </p>
            }
            .into_any(),
        ),
        Some(Ok(_)) => None,
    };
    let card = move || {
        let code = selected.get()?;
        shown.with(|list| {
            list.iter()
                .find(|s| s.code == code)
                .map(|site| view! { <SiteCard site=site.clone()/> })
        })
    };
    let here = Signal::derive(move || near.with(|n| n.as_ref().map(|n| n.point())));
    let streets = map.streets.clone();

    view! {
        <section class="section card finder" aria-labelledby="finder-title">
            <h2 id="finder-title">"查找附近的服务点"</h2>
            <NearPicker near streets/>
            <div class="filters">
                <div class="field">
                    <label class="field__label" for="f-item">"要办的事"</label>
                    <select id="f-item" class="input" on:change=on_item>
                        {move || item_list.with(|l| item_options(l, item.get().as_deref()))}
                    </select>
                </div>
                <div class="field">
                    <label class="field__label" for="f-level">"服务点类型"</label>
                    <select id="f-level" class="input" on:change=on_level>
                        {move || level_options(level.get())}
                    </select>
                </div>
                <div class="check">
                    <input id="f-open" type="checkbox" prop:checked=move || open_now.get() on:change=on_open/>
                    <label for="f-open">"只看正在办公"</label>
                </div>
            </div>
        </section>

        <div class="switch map-switch" role="group" aria-label="显示方式">
            <button
                type="button"
                class="switch__option"
                aria-pressed=move || if show_map.get() { "false" } else { "true" }
                on:click=move |_| show_map.set(false)
            >
                "列表"
            </button>
            <button
                type="button"
                class="switch__option"
                aria-pressed=move || if show_map.get() { "true" } else { "false" }
                on:click=move |_| show_map.set(true)
            >
                "地图"
            </button>
        </div>
        <p class="results__count" role="status">{summary}</p>
        <div class=move || {
            if show_map.get() { "map-panes map-panes--map" } else { "map-panes map-panes--list" }
        }>
            <section class="map-pane map-pane--list" aria-labelledby="list-title">
                <h2 id="list-title" class="visually-hidden">"服务点列表"</h2>
                {list_state}
                <ol class="site-list">{list_items}</ol>
            </section>
            <section class="map-pane map-pane--map" aria-labelledby="drawn-title">
                <h2 id="drawn-title" class="visually-hidden">"地图"</h2>
                {move || {
                    let map = map.clone();
                    map_wanted
                        .get()
                        .then(|| {
                            drawn_map(move || {
                                DistrictMapViewProps::builder()
                                    .map(map.clone())
                                    .sites(shown)
                                    .selected(selected)
                                    .here(here)
                                    .label("示范区地图：拖动可移动，双指或加减按钮可缩放，点按标记查看服务点")
                                    .build()
                            })
                        })
                }}
                <div class="site-card card" aria-live="polite">{card}</div>
            </section>
        </div>
    }
}
