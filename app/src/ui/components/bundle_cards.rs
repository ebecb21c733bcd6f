//! The 一件事 as cards (`<ul class="bundle-cards">`): icon, name, summary and how many items,
//! which departments and how long — on the home page and on `/bundles`; and the bundles a search
//! found (`<ul class="bundle-cards bundle-hits">`, name and summary).

use leptos::prelude::*;

use crate::api::{Audience, BundleHit, BundleList, BundleSummary};
use crate::ui::http::encode;

/// One 一件事 as a card linking to its guide.
fn bundle_card(b: &BundleSummary) -> impl IntoView {
    let meta = format!(
        "{} 个事项 · {} · {}",
        b.members.len(),
        b.departments.join("、"),
        if b.total_promised_days == 0 {
            "当天办结".to_string()
        } else {
            format!("承诺 {} 个工作日", b.total_promised_days)
        }
    );
    view! {
        <li>
            <a class="bundle-card" href=format!("/bundles/{}", encode(&b.code))>
                <span class="bundle-card__icon" aria-hidden="true">{b.icon.clone()}</span>
                <span class="bundle-card__body">
                    <span class="bundle-card__name">{b.name.clone()}</span>
                    <span class="bundle-card__desc">{b.summary.clone()}</span>
                    <span class="bundle-card__meta">{meta}</span>
                </span>
            </a>
        </li>
    }
}

/// The bundles of one audience as cards (`<ul class="bundle-cards">`), following `audience`.
#[component]
pub fn BundleCards(list: BundleList, #[prop(into)] audience: Signal<Audience>) -> impl IntoView {
    let cards = move || {
        let audience = audience.get();
        list.bundles
            .iter()
            .filter(|b| b.audience.serves(audience))
            .map(bundle_card)
            .collect_view()
    };
    view! { <ul class="bundle-cards">{cards}</ul> }
}

/// 一件事 found by a search, best first, as cards linking to their guides.
#[component]
pub fn BundleHitCards(bundles: Vec<BundleHit>) -> impl IntoView {
    let cards = bundles
        .into_iter()
        .map(|b| {
            view! {
                <li>
                    <a class="bundle-card" href=format!("/bundles/{}", encode(&b.code))>
                        <span class="bundle-card__body">
                            <span class="bundle-card__name">{b.name}</span>
                            <span class="bundle-card__desc">{b.summary}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bundle-cards bundle-hits">{cards}</ul> }
}
