//! `/search?q=…&page=N`: results as cards. The query lives in the URL, so results can be shared
//! and the back button works.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::ItemList;
use crate::ui::api_client::{self, encode, ItemQuery};
use crate::ui::browser;
use crate::ui::components::hotline::Hotline;
use crate::ui::components::item_card::ItemCards;
use crate::ui::components::search_box::SearchBox;
use crate::ui::components::status::{load, loaded};
use crate::ui::decode;
use crate::ui::markup::Html;

const PAGE_SIZE: usize = 20;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|m| m.get("q")).map(|q| q.trim().to_string()).unwrap_or_default()
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
        browser::set_title(&if q.is_empty() { "搜索".to_string() } else { format!("搜索：{q}") });
    });
    let results = load(Box::new(move || {
        let (q, page) = (q.get(), page.get());
        Box::pin(async move {
            if q.is_empty() {
                // Nothing to search for: nothing to fetch.
                return Ok(wasm_bindgen::JsValue::NULL);
            }
            api_client::items(ItemQuery {
                q: Some(q),
                limit: PAGE_SIZE,
                offset: (page - 1) * PAGE_SIZE,
                ..ItemQuery::default()
            })
            .await
        })
    }));
    view! {
        <h1 class="page-title">
            {move || {
                let q = q.get();
                if q.is_empty() { "搜索办事事项".to_string() } else { format!("搜索“{q}”") }
            }}
        </h1>
        <SearchBox value=q/>
        {loaded(
            results,
            None,
            Box::new(move |list| {
                if list.is_null() {
                    view! { <p class="hint">"请输入要办的事，例如“身份证”“生孩子”“开公司”。"</p> }
                        .into_any()
                } else {
                    let list = decode::item_list(&list);
                    view! { <Results list q=q.get_untracked() page=page.get_untracked()/> }.into_any()
                }
            }),
        )}
    }
}

#[component]
fn Results(list: ItemList, q: String, page: usize) -> impl IntoView {
    let ItemList {
        items,
        total,
        suggestions,
    } = list;
    if items.is_empty() {
        let mut chips = Html::new();
        for s in &suggestions {
            chips
                .raw("<li>")
                .link(&format!("/search?q={}", encode(s)), "chip chip--link", s)
                .raw("</li>");
        }
        return view! {
            <section class="section empty" aria-labelledby="results-title">
                <h2 id="results-title">"没有找到相关事项"</h2>
                <p>"换个说法试试，比如用大白话描述您要办的事。"</p>
                <p class="empty__label">"大家常搜："</p>
                <ul class="chips" inner_html=chips.finish()></ul>
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
        <section class="section" aria-labelledby="results-title">
            <h2 id="results-title" class="results__count">{format!("共找到 {total} 个事项")}</h2>
            <ItemCards items/>
            {pager}
        </section>
    }
    .into_any()
}
