//! The 办事通 browser client (Leptos, client-side rendered).
//!
//! `start()` runs when the wasm module loads: it applies the saved 关怀模式 to `<html>`, clears
//! the static shell in `#app` and mounts [`App`] there.

pub mod api_client;
pub mod browser;
pub mod components;
pub mod pages;
pub mod wording;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use components::care_mode::apply_saved_care_mode;
use components::site_footer::SiteFooter;
use components::site_header::SiteHeader;
use pages::department::DepartmentPage;
use pages::form::FormPage;
use pages::guide::GuidePage;
use pages::home::HomePage;
use pages::not_found::NotFoundPage;
use pages::print::PrintPage;
use pages::search::SearchPage;
use pages::theme::ThemePage;

#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    // Before anything is drawn, so large text never flashes in at the standard size.
    apply_saved_care_mode();
    let Some(app) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    app.set_inner_html("");
    leptos::mount::mount_to(app.unchecked_into(), App).forget();
}

/// The whole site: header, the routed page inside `<main>`, footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <SiteHeader/>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("search") view=SearchPage/>
                    <Route path=path!("themes/:code") view=ThemePage/>
                    <Route path=path!("departments/:code") view=DepartmentPage/>
                    <Route path=path!("items/:code") view=GuidePage/>
                    <Route path=path!("items/:code/print") view=PrintPage/>
                    <Route path=path!("forms/:code") view=FormPage/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
