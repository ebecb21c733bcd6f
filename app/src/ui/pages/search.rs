//! `/search?q=…&page=N`: results as cards. The query lives in the URL, so results can be shared
//! and the back button works. 一件事 the search found come first ("一件事一次办", linking to
//! `/bundles/{code}`), the items after them.
//!
//! For screen readers the number of results is announced (a polite status line) whenever a
//! search or page answers, and focus that sat on a link the new results replaced (a pager or
//! suggestion link) moves to the results heading instead of falling back to `<body>`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::JsCast;

use crate::api::ItemList;
use crate::ui::browser;
use crate::ui::components::bundle_cards::BundleHitCards;
use crate::ui::components::hotline::Hotline;
use crate::ui::components::item_card::ItemCards;
use crate::ui::components::search_box::SearchBox;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog::{self, ItemQuery};
use crate::ui::http::encode;

const PAGE_SIZE: usize = 20;

/// One page of results, with the search and page it answers.
#[derive(Clone)]
struct Answered {
    q: String,
    page: usize,
    list: ItemList,
}

/// What the status line says about an answer.
fn announcement(list: &ItemList) -> String {
    if list.items.is_empty() {
        "没有找到相关事项".to_string()
    } else {
        format!("找到 {} 个事项", list.total)
    }
}

/// When the element that had focus was replaced (focus is on `<body>` or nowhere), focus the
/// results heading, or the search box when there is no heading.
fn keep_focus() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let lost = match document.active_element() {
        None => true,
        Some(active) => document.body().is_some_and(|body| active == *body.as_ref()),
    };
    if !lost {
        return;
    }
    let target = document
        .get_element_by_id("results-title")
        .or_else(|| document.get_element_by_id("search-q"));
    if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query
            .with(|m| m.get("q"))
            .map(|q| q.trim().to_string())
            .unwrap_or_default()
    });
    let page = Memo::new(move |_| {
        query
            .with(|m| m.get("page"))
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    });
    Effect::new(move |_| {
        let q = q.get();
        browser::set_title(&if q.is_empty() {
            "搜索".to_string()
        } else {
            format!("搜索：{q}")
        });
    });
    let results = fetch(move || {
        let (q, page) = (q.get(), page.get());
        async move {
            if q.is_empty() {
                // Nothing to search for: nothing to fetch.
                return Ok(None);
            }
            let list = catalog::items(ItemQuery {
                q: Some(q.clone()),
                limit: PAGE_SIZE,
                offset: (page - 1) * PAGE_SIZE,
                ..ItemQuery::default()
            })
            .await?;
            Ok(Some(Answered { q, page, list }))
        }
    });

    // The status line: emptied as soon as another search or page is asked for, so that the
    // same count is announced again; filled when the answer is in.
    let status = RwSignal::new(String::new());
    Effect::new(move |_| {
        q.track();
        page.track();
        status.set(String::new());
    });
    // Skips the first answer: focus on arrival is the router's business, not ours.
    let answered = StoredValue::new(false);
    Effect::new(move |_| {
        let Some(said) = results.with(|r| {
            r.as_ref().map(|r| match r {
                Ok(Some(a)) if a.q == q.get_untracked() && a.page == page.get_untracked() => {
                    announcement(&a.list)
                }
                _ => String::new(),
            })
        }) else {
            return;
        };
        status.set(said);
        if answered.get_value() {
            // After the new results are drawn.
            request_animation_frame(keep_focus);
        }
        answered.set_value(true);
    });

    view! {
        <h1 class="page-title">
            {move || {
                let q = q.get();
                if q.is_empty() { "搜索办事事项".to_string() } else { format!("搜索“{q}”") }
            }}
        </h1>
        <SearchBox value=q/>
        <p class="visually-hidden" role="status" aria-live="polite">{move || status.get()}</p>
        {show(results, None, move |list| match list {
            None => {
                view! { <p class="hint">"请输入要办的事，例如“身份证”“生孩子”“开公司”。"</p> }
                    .into_any()
            }
            Some(Answered { q, page, list }) => view! { <Results list q page/> }.into_any(),
        })}
    }
}

/// The bundles found, before the items; nothing when none.
fn bundle_hits(bundles: Vec<crate::api::BundleHit>) -> Option<impl IntoView> {
    (!bundles.is_empty()).then(|| {
        view! {
            <section class="section search-bundles" aria-labelledby="bundle-hits-title">
                <h2 id="bundle-hits-title">"一件事一次办"</h2>
                <p class="hint">"几个部门的事合成一件：填一张表、交一套材料、提交一次。"</p>
                <BundleHitCards bundles/>
            </section>
        }
    })
}

#[component]
fn Results(list: ItemList, q: String, page: usize) -> impl IntoView {
    let ItemList {
        items,
        total,
        suggestions,
        bundles,
    } = list;
    let bundles = bundle_hits(bundles);
    if items.is_empty() {
        let chips = suggestions
            .into_iter()
            .map(|s| {
                let href = format!("/search?q={}", encode(&s));
                view! {
                    <li>
                        <a class="chip chip--link" href=href>{s}</a>
                    </li>
                }
            })
            .collect_view();
        return view! {
            {bundles}
            <section class="section empty" aria-labelledby="results-title">
                <h2 id="results-title" tabindex="-1">"没有找到相关事项"</h2>
                <p>"换个说法试试，比如用大白话描述您要办的事。"</p>
                <p class="empty__label">"大家常搜："</p>
                <ul class="chips">{chips}</ul>
                <p>
                    "还是找不到？"
                    <Hotline label="拨打 12345 咨询"/>
                </p>
            </section>
        }
        .into_any();
    }
    let pages = total.div_ceil(PAGE_SIZE);
    let link = move |p: usize| format!("/search?q={}&page={p}", encode(&q));
    let pager = (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="翻页">
                {(page > 1).then(|| view! { <a class="button" href=link(page - 1)>"上一页"</a> })}
                <span class="pager__at">{format!("第 {page} / {pages} 页")}</span>
                {(page < pages).then(|| view! { <a class="button" href=link(page + 1)>"下一页"</a> })}
            </nav>
        }
    });
    view! {
        {bundles}
        <section class="section" aria-labelledby="results-title">
            <h2 id="results-title" class="results__count" tabindex="-1">
                {format!("共找到 {total} 个事项")}
            </h2>
            <ItemCards items/>
            {pager}
        </section>
    }
    .into_any()
}
