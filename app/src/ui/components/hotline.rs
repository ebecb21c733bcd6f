//! The 12345 hotline as a link that dials it.

use leptos::prelude::*;

use crate::api::HOTLINE;
use crate::ui::browser::tel_href;

/// `12345` (or `label`) linking to `tel:12345`.
#[component]
pub fn Hotline(#[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    view! { <a class="tel" href=tel_href(HOTLINE)>{label.unwrap_or(HOTLINE)}</a> }
}

/// A phone number as a `tel:` link.
#[component]
pub fn Phone(number: String) -> impl IntoView {
    let href = tel_href(&number);
    view! { <a class="tel" href=href>{number}</a> }
}
