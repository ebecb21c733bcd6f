//! Service items as cards: name (a link to the guide), department and key facts.

use leptos::prelude::*;

use crate::api::ItemSummary;
use crate::ui::wording;

/// One card.
fn card(item: ItemSummary) -> impl IntoView {
    let promise = wording::summary_promise(&item);
    let visits = wording::visits(item.visits);
    let matched = item
        .matched
        .map(|matched| view! { <p class="item-card__matched">"匹配："{matched}</p> });
    view! {
        <li class="card item-card">
            <h3 class="item-card__name">
                <a href=format!("/items/{}", item.code)>{item.name}</a>
            </h3>
            <p class="item-card__dept">{item.department}</p>
            <ul class="chips chips--facts">
                <li class="chip">{promise}</li>
                <li class="chip">{item.online_level.label()}</li>
                <li class="chip">{visits}</li>
            </ul>
            {matched}
        </li>
    }
}

/// A list of item cards.
#[component]
pub fn ItemCards(items: Vec<ItemSummary>) -> impl IntoView {
    view! { <ul class="cards">{items.into_iter().map(card).collect_view()}</ul> }
}
