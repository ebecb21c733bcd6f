//! The banner on every page: the brand (a link home) and the 关怀模式 switch.

use leptos::prelude::*;

use super::care_mode::CareModeToggle;
use super::session_links::SessionLinks;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__mark" aria-hidden="true">"办"</span>
                    <span class="brand__name">"办事通"</span>
                    <span class="brand__district">" · 示范区政务服务"</span>
                </a>
                <div class="site-header__tools">
                    <SessionLinks/>
                    <CareModeToggle/>
                </div>
            </div>
        </header>
    }
}
