//! Service items as cards: name (a link to the guide), department and key facts.

use leptos::prelude::*;

use crate::api::ItemSummary;
use crate::ui::markup::Html;
use crate::ui::wording;

fn card(h: &mut Html, item: &ItemSummary) {
    h.open("li", "card item-card")
        .open("h3", "item-card__name")
        .link(&format!("/items/{}", item.code), "", &item.name)
        .close("h3")
        .el("p", "item-card__dept", &item.department)
        .open("ul", "chips chips--facts")
        .el("li", "chip", &wording::summary_promise(item))
        .el("li", "chip", item.online_level.label())
        .el("li", "chip", &wording::visits(item.visits))
        .close("ul");
    if let Some(matched) = &item.matched {
        h.open("p", "item-card__matched").raw("匹配：").text(matched).close("p");
    }
    h.close("li");
}

/// A list of item cards.
#[component]
pub fn ItemCards(items: Vec<ItemSummary>) -> impl IntoView {
    let mut h = Html::new();
    for item in &items {
        card(&mut h, item);
    }
    view! { <ul class="cards" inner_html=h.finish()></ul> }
}
