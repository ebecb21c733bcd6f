//! The 办事通 browser client (Leptos, client-side rendered).
//!
//! `start()` runs when the wasm module loads: it applies the saved 关怀模式 to `<html>`, clears
//! the static shell in `#app` and mounts [`App`] there.

pub mod api_client;
pub mod browser;
pub mod bundles_decode;
pub mod cases_api;
pub mod cases_decode;
pub mod components;
pub mod decode;
pub mod endpoints;
pub mod http;
pub mod markup;
pub mod near;
pub mod pages;
pub mod session;
pub mod sites_api;
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
use pages::apply::{ApplyNewPage, ApplyPage};
use pages::bundle_apply::{BundleApplyNewPage, MyBundlePage};
use pages::bundles::{BundlePage, BundlesPage};
use pages::case_detail::CaseDetailPage;
use pages::login::LoginPage;
use pages::manager::ManagerPage;
use pages::my_cases::MyCasesPage;
use pages::notice::NoticePage;
use pages::staff_login::StaffLoginPage;
use pages::staff_queue::StaffQueuePage;
use pages::staff_review::StaffReviewPage;
use pages::track::TrackPage;
use pages::home::HomePage;
use pages::appointments::{AppointmentsPage, TicketPage};
use pages::book::BookPage;
use pages::coverage::CoveragePage;
use pages::map::MapPage;
use pages::site::SitePage;
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
                    <Route path=path!("bundles") view=BundlesPage/>
                    <Route path=path!("bundles/:code") view=BundlePage/>
                    <Route path=path!("bundles/:code/apply") view=BundleApplyNewPage/>
                    <Route path=path!("map") view=MapPage/>
                    <Route path=path!("map/coverage") view=CoveragePage/>
                    <Route path=path!("sites/:code") view=SitePage/>
                    <Route path=path!("sites/:code/book") view=BookPage/>
                    <Route path=path!("appointments") view=AppointmentsPage/>
                    <Route path=path!("appointments/:id") view=TicketPage/>
                    <Route path=path!("login") view=LoginPage/>
                    <Route path=path!("apply/new") view=ApplyNewPage/>
                    <Route path=path!("apply/:id") view=ApplyPage/>
                    <Route path=path!("my") view=MyCasesPage/>
                    <Route path=path!("my/cases/:id") view=CaseDetailPage/>
                    <Route path=path!("my/bundles/:id") view=MyBundlePage/>
                    <Route path=path!("my/cases/:id/notice") view=NoticePage/>
                    <Route path=path!("track") view=TrackPage/>
                    <Route path=path!("staff/login") view=StaffLoginPage/>
                    <Route path=path!("staff") view=StaffQueuePage/>
                    <Route path=path!("staff/cases/:id") view=StaffReviewPage/>
                    <Route path=path!("manager") view=ManagerPage/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
