//! The items of one theme or department, loaded from `/api/items`.

use leptos::prelude::*;

use crate::api::ItemList;
use crate::ui::components::item_card::ItemCards;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog::{self, ItemQuery};

/// The most the API returns at once; more than any theme or department of the catalog has.
const LIMIT: usize = 100;

#[component]
pub fn BrowseList(#[prop(into)] query: Signal<ItemQuery>) -> impl IntoView {
    let list = fetch(move || {
        catalog::items(ItemQuery {
            limit: LIMIT,
            ..query.get()
        })
    });
    view! {
        <section class="section" aria-labelledby="list-title">
            {show(list, None, |list: ItemList| {
                view! {
                    <h2 id="list-title">{format!("可办事项（{}）", list.total)}</h2>
                    {if list.items.is_empty() {
                        view! { <p class="hint">"暂无事项。"</p> }.into_any()
                    } else {
                        view! { <ItemCards items=list.items/> }.into_any()
                    }}
                }
                    .into_any()
            })}
        </section>
    }
}
