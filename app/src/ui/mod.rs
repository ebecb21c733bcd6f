//! The 办事通 browser client (Leptos, client-side rendered).
//!
//! `start()` runs when the wasm module loads: it applies the saved 关怀模式 to `<html>`, clears
//! the static shell in `#app` and mounts [`App`] there.

pub mod browser;
pub mod chunks;
pub mod components;
pub mod endpoints;
pub mod http;
pub mod near;
pub mod pages;
pub mod session;
pub mod wording;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::JsCast;

use chunks::{Lazy, Page};
use components::care_mode::apply_saved_care_mode;
use components::offline_banner::OfflineBanner;
use components::page_focus::PageFocus;
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
    app.set_text_content(None);
    leptos::mount::mount_to(app.unchecked_into(), App).forget();
}

/// The whole site: header, the routed page inside `<main>`, footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <PageFocus/>
            <SiteHeader/>
            <OfflineBanner/>
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("search") view=SearchPage/>
                    <Route path=path!("themes/:code") view=ThemePage/>
                    <Route path=path!("departments/:code") view=DepartmentPage/>
                    <Route path=path!("items/:code") view=GuidePage/>
                    <Route path=path!("items/:code/print") view=PrintPage/>
                    <Route path=path!("forms/:code") view=FormPage/>
                    <Route path=path!("bundles") view=|| view! { <Lazy page=Page::Bundles/> }/>
                    <Route path=path!("bundles/:code") view=|| view! { <Lazy page=Page::Bundle/> }/>
                    <Route path=path!("bundles/:code/apply") view=|| view! { <Lazy page=Page::BundleApplyNew/> }/>
                    <Route path=path!("map") view=|| view! { <Lazy page=Page::Map/> }/>
                    <Route path=path!("map/coverage") view=|| view! { <Lazy page=Page::Coverage/> }/>
                    <Route path=path!("sites/:code") view=|| view! { <Lazy page=Page::Site/> }/>
                    <Route path=path!("sites/:code/book") view=|| view! { <Lazy page=Page::Book/> }/>
                    <Route path=path!("appointments") view=|| view! { <Lazy page=Page::Appointments/> }/>
                    <Route path=path!("appointments/:id") view=|| view! { <Lazy page=Page::Ticket/> }/>
                    <Route path=path!("login") view=|| view! { <Lazy page=Page::Login/> }/>
                    <Route path=path!("apply/new") view=|| view! { <Lazy page=Page::ApplyNew/> }/>
                    <Route path=path!("apply/:id") view=|| view! { <Lazy page=Page::Apply/> }/>
                    <Route path=path!("my") view=|| view! { <Lazy page=Page::MyCases/> }/>
                    <Route path=path!("my/cases/:id") view=|| view! { <Lazy page=Page::CaseDetail/> }/>
                    <Route path=path!("my/bundles/:id") view=|| view! { <Lazy page=Page::MyBundle/> }/>
                    <Route path=path!("my/cases/:id/notice") view=|| view! { <Lazy page=Page::Notice/> }/>
                    <Route path=path!("track") view=|| view! { <Lazy page=Page::Track/> }/>
                    <Route path=path!("staff/login") view=|| view! { <Lazy page=Page::StaffLogin/> }/>
                    <Route path=path!("staff") view=|| view! { <Lazy page=Page::StaffQueue/> }/>
                    <Route path=path!("staff/cases/:id") view=|| view! { <Lazy page=Page::StaffReview/> }/>
                    <Route path=path!("manager") view=|| view! { <Lazy page=Page::Manager/> }/>
                    <Route path=path!("manager/stats") view=|| view! { <Lazy page=Page::ManagerStats/> }/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
