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

use crate::routes::Screen;
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

/// The router, generated from the one route list in [`crate::routes`].
macro_rules! routes {
    ($($pattern:tt => $screen:ident),* $(,)?) => {
        view! {
            <Routes fallback=NotFoundPage>
                $(<Route path=path!($pattern) view=|| screen(Screen::$screen)/>)*
            </Routes>
        }
    };
}

/// The page of each screen: the main chunk's directly, the others through their chunk.
fn screen(screen: Screen) -> AnyView {
    let lazy = |page: Page| view! { <Lazy page/> }.into_any();
    match screen {
        Screen::Home => view! { <HomePage/> }.into_any(),
        Screen::Search => view! { <SearchPage/> }.into_any(),
        Screen::Theme => view! { <ThemePage/> }.into_any(),
        Screen::Department => view! { <DepartmentPage/> }.into_any(),
        Screen::Guide => view! { <GuidePage/> }.into_any(),
        Screen::Print => view! { <PrintPage/> }.into_any(),
        Screen::Form => view! { <FormPage/> }.into_any(),
        Screen::Bundles => lazy(Page::Bundles),
        Screen::Bundle => lazy(Page::Bundle),
        Screen::BundleApplyNew => lazy(Page::BundleApplyNew),
        Screen::Map => lazy(Page::Map),
        Screen::Coverage => lazy(Page::Coverage),
        Screen::Site => lazy(Page::Site),
        Screen::Book => lazy(Page::Book),
        Screen::Appointments => lazy(Page::Appointments),
        Screen::Ticket => lazy(Page::Ticket),
        Screen::Login => lazy(Page::Login),
        Screen::ApplyNew => lazy(Page::ApplyNew),
        Screen::Apply => lazy(Page::Apply),
        Screen::MyCases => lazy(Page::MyCases),
        Screen::CaseDetail => lazy(Page::CaseDetail),
        Screen::MyBundle => lazy(Page::MyBundle),
        Screen::Notice => lazy(Page::Notice),
        Screen::Track => lazy(Page::Track),
        Screen::StaffLogin => lazy(Page::StaffLogin),
        Screen::StaffQueue => lazy(Page::StaffQueue),
        Screen::StaffReview => lazy(Page::StaffReview),
        Screen::StaffNotice => lazy(Page::StaffNotice),
        Screen::DeskTicket => lazy(Page::DeskTicket),
        Screen::DeskDay => lazy(Page::DeskDay),
        Screen::Manager => lazy(Page::Manager),
        Screen::ManagerStats => lazy(Page::ManagerStats),
        Screen::ManagerCatalog => lazy(Page::ManagerCatalog),
        Screen::ManagerCatalogItem => lazy(Page::ManagerCatalogItem),
        Screen::ManagerStaff => lazy(Page::ManagerStaff),
        Screen::ManagerCalendar => lazy(Page::ManagerCalendar),
        Screen::ManagerSearch => lazy(Page::ManagerSearch),
        Screen::ManagerSites => lazy(Page::ManagerSites),
        Screen::ManagerSite => lazy(Page::ManagerSite),
        Screen::ManagerBundles => lazy(Page::ManagerBundles),
        Screen::ManagerBundle => lazy(Page::ManagerBundle),
    }
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
                {crate::with_client_routes!(routes)}
            </main>
            <SiteFooter/>
        </Router>
    }
}
