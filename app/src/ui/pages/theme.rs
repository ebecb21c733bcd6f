//! `/themes/:code`: the services of one life-event theme.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::browser;
use crate::ui::components::browse_list::BrowseList;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog::{self, ItemQuery};
use crate::ui::pages::not_found::NotFoundText;

#[component]
pub fn ThemePage() -> AnyView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code")).unwrap_or_default();
    let overview = fetch(catalog::catalog);
    show(overview, None, move |catalog| {
        let Some(theme) = catalog.themes.into_iter().find(|t| t.code == code()) else {
            browser::set_title("没有找到这个主题");
            return view! { <NotFoundText what="主题"/> }.into_any();
        };
        browser::set_title(&theme.name);
        let query = Signal::derive(move || ItemQuery {
            theme: Some(code()),
            ..ItemQuery::default()
        });
        view! {
            <nav class="crumbs" aria-label="当前位置">
                <a href="/">"首页"</a>
                <span aria-hidden="true">" › "</span>
                <span>{theme.audience.label()}</span>
            </nav>
            <h1 class="page-title">
                <span class="page-title__icon" aria-hidden="true">{theme.icon}</span>
                {theme.name}
            </h1>
            <p class="lead">{theme.description}</p>
            <BrowseList query/>
        }
        .into_any()
    })
}
