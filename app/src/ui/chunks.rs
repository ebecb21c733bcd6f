//! The client's split points: which pages are fetched on first use, and what a person sees
//! when such a fetch fails.
//!
//! The main chunk holds what a citizen needs first — home, search, the 办事指南 and its print
//! and form pages. Everything behind sign-in, the staff desk, the map, a site's page with its
//! booking, and the 一件事 pages is compiled into its own wasm chunk (one `wasm_split` module per group; code two groups share
//! goes into a shared chunk) that the build script cuts out with `wasm_split_cli_support`. The
//! drawn district map has a chunk of its own ([`drawn_map`]), so that the map page's list does
//! not wait for it.
//!
//! A chunk can fail to arrive: the phone lost its signal, or a deployment replaced the build the
//! open tab came from (the old chunk is gone from the server). The split functions are
//! `fallible`, so a failed fetch is an `Err` — never a panic, which would abort the whole module.
//! The page then says so in plain words and reloads itself once into the same address (a new
//! build is picked up that way); if that already happened moments ago, it offers a retry button
//! instead of reloading in a loop.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use send_wrapper::SendWrapper;

use crate::ui::browser;
use crate::ui::components::district_map::{DistrictMapView, DistrictMapViewProps};
use crate::ui::components::status::Loading;
use crate::ui::pages;

/// Every page outside the main chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    // 网上预审, applicant side.
    Login,
    ApplyNew,
    Apply,
    MyCases,
    CaseDetail,
    Notice,
    Track,
    // Staff and managers.
    StaffLogin,
    StaffQueue,
    StaffReview,
    StaffNotice,
    DeskTicket,
    DeskDay,
    Manager,
    ManagerStats,
    ManagerCatalog,
    ManagerCatalogItem,
    ManagerStaff,
    ManagerCalendar,
    ManagerSearch,
    ManagerSites,
    ManagerSite,
    ManagerBundles,
    ManagerBundle,
    // 政务服务地图; a site's page and 预约.
    Map,
    Coverage,
    Site,
    Book,
    Appointments,
    Ticket,
    // 一件事一次办.
    Bundles,
    Bundle,
    BundleApplyNew,
    MyBundle,
}

/// A chunk did not arrive.
#[derive(Debug, Clone, Copy)]
pub struct ChunkFailed;

impl From<SplitLoaderError> for ChunkFailed {
    fn from(_: SplitLoaderError) -> Self {
        ChunkFailed
    }
}

type Loaded = Result<AnyView, ChunkFailed>;

#[wasm_split(applicant, fallible, wasm_split_path = ::leptos::wasm_split)]
fn applicant_page(page: Page) -> Loaded {
    use pages::{apply, case_detail, login, my_cases, notice, track};
    Ok(match page {
        Page::Login => view! { <login::LoginPage/> }.into_any(),
        Page::ApplyNew => view! { <apply::ApplyNewPage/> }.into_any(),
        Page::Apply => view! { <apply::ApplyPage/> }.into_any(),
        Page::MyCases => view! { <my_cases::MyCasesPage/> }.into_any(),
        Page::CaseDetail => view! { <case_detail::CaseDetailPage/> }.into_any(),
        Page::Notice => view! { <notice::NoticePage/> }.into_any(),
        _ => view! { <track::TrackPage/> }.into_any(),
    })
}

#[wasm_split(staff, fallible, wasm_split_path = ::leptos::wasm_split)]
fn staff_page(page: Page) -> Loaded {
    use pages::manager_catalog;
    use pages::{manager, manager_stats, notice, staff_login, staff_queue, staff_review};
    Ok(match page {
        Page::StaffNotice => view! { <notice::StaffNoticePage/> }.into_any(),
        Page::StaffLogin => view! { <staff_login::StaffLoginPage/> }.into_any(),
        Page::StaffQueue => view! { <staff_queue::StaffQueuePage/> }.into_any(),
        Page::StaffReview => view! { <staff_review::StaffReviewPage/> }.into_any(),
        Page::DeskTicket => view! { <pages::staff_desk::DeskTicketPage/> }.into_any(),
        Page::DeskDay => view! { <pages::staff_desk::DeskDayPage/> }.into_any(),
        Page::ManagerStats => view! { <manager_stats::ManagerStatsPage/> }.into_any(),
        Page::ManagerCatalog => view! { <manager_catalog::ManagerCatalogPage/> }.into_any(),
        Page::ManagerCatalogItem => view! { <manager_catalog::ManagerCatalogItemPage/> }.into_any(),
        Page::ManagerStaff => view! { <pages::manager_staff::ManagerStaffPage/> }.into_any(),
        Page::ManagerCalendar => {
            view! { <pages::manager_calendar::ManagerCalendarPage/> }.into_any()
        }
        Page::ManagerSearch => view! { <pages::manager_search::ManagerSearchPage/> }.into_any(),
        Page::ManagerSites => view! { <pages::manager_sites::ManagerSitesPage/> }.into_any(),
        Page::ManagerSite => view! { <pages::manager_sites::ManagerSitePage/> }.into_any(),
        Page::ManagerBundles => view! { <pages::manager_bundles::ManagerBundlesPage/> }.into_any(),
        Page::ManagerBundle => view! { <pages::manager_bundles::ManagerBundlePage/> }.into_any(),
        _ => view! { <manager::ManagerPage/> }.into_any(),
    })
}

#[wasm_split(map, fallible, wasm_split_path = ::leptos::wasm_split)]
fn map_page(page: Page) -> Loaded {
    use pages::{coverage, map};
    Ok(match page {
        Page::Map => view! { <map::MapPage/> }.into_any(),
        _ => view! { <coverage::CoveragePage/> }.into_any(),
    })
}

#[wasm_split(sites, fallible, wasm_split_path = ::leptos::wasm_split)]
fn site_page(page: Page) -> Loaded {
    use pages::{appointments, book, site};
    Ok(match page {
        Page::Site => view! { <site::SitePage/> }.into_any(),
        Page::Book => view! { <book::BookPage/> }.into_any(),
        Page::Appointments => view! { <appointments::AppointmentsPage/> }.into_any(),
        _ => view! { <appointments::TicketPage/> }.into_any(),
    })
}

#[wasm_split(bundles, fallible, wasm_split_path = ::leptos::wasm_split)]
fn bundle_page(page: Page) -> Loaded {
    use pages::{bundle_apply, bundles};
    Ok(match page {
        Page::Bundles => view! { <bundles::BundlesPage/> }.into_any(),
        Page::Bundle => view! { <bundles::BundlePage/> }.into_any(),
        Page::BundleApplyNew => view! { <bundle_apply::BundleApplyNewPage/> }.into_any(),
        _ => view! { <bundle_apply::MyBundlePage/> }.into_any(),
    })
}

async fn load(page: Page) -> Loaded {
    use Page::*;
    match page {
        Login | ApplyNew | Apply | MyCases | CaseDetail | Notice | Track => {
            applicant_page(page).await
        }
        StaffLogin | StaffQueue | StaffReview | StaffNotice | DeskTicket | DeskDay | Manager
        | ManagerStats | ManagerCatalog | ManagerCatalogItem | ManagerStaff | ManagerCalendar
        | ManagerSearch | ManagerSites | ManagerSite | ManagerBundles | ManagerBundle => {
            staff_page(page).await
        }
        Map | Coverage => map_page(page).await,
        Site | Book | Appointments | Ticket => site_page(page).await,
        Bundles | Bundle | BundleApplyNew | MyBundle => bundle_page(page).await,
    }
}

/// A route whose page lives in a chunk: "正在加载…" while it is fetched, then the page.
#[component]
pub fn Lazy(page: Page) -> impl IntoView {
    lazily(move || load(page))
}

/// The drawn district map comes in a chunk of its own, fetched the first time a map is shown:
/// the map page's list, which a phone shows first, never waits for the map's code.
#[wasm_split(drawn_map, fallible, wasm_split_path = ::leptos::wasm_split)]
fn drawn_map_view(props: DistrictMapViewProps) -> Loaded {
    Ok(DistrictMapView(props).into_any())
}

/// [`DistrictMapView`] with the props `props()` makes, through its chunk.
pub fn drawn_map(
    props: impl Fn() -> DistrictMapViewProps + Send + Sync + 'static,
) -> impl IntoView {
    lazily(move || drawn_map_view(props()))
}

/// "正在加载…" while `load()` fetches a chunk, then its view; the chunk problem if it failed.
fn lazily<F>(load: impl Fn() -> F + Send + Sync + 'static) -> impl IntoView
where
    F: std::future::Future<Output = Loaded> + 'static,
{
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=Loading>
            {move || {
                attempt.track();
                let loading = load();
                Suspend::new(SendWrapper::new(async move {
                    match loading.await {
                        Ok(view) => view,
                        Err(ChunkFailed) => {
                            view! { <ChunkProblem retry=move || attempt.update(|n| *n += 1)/> }
                                .into_any()
                        }
                    }
                }))
            }}
        </Suspense>
    }
}

/// Session key holding the time of the last automatic reload after a failed chunk.
const RELOADED_AT: &str = "bst-chunk-reload";

/// "这部分页面没有加载成功": reloads into the same address once (a newer build is then used);
/// within a minute of such a reload it offers a retry button instead.
#[component]
fn ChunkProblem(retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let now = js_sys::Date::now();
    let recently = browser::session_load(RELOADED_AT)
        .and_then(|t| t.parse::<f64>().ok())
        .is_some_and(|t| now - t < 60_000.0);
    let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
    let reloading = online && !recently;
    if reloading {
        browser::session_store(RELOADED_AT, Some(&now.to_string()));
        set_timeout(
            || {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().reload();
                }
            },
            std::time::Duration::from_millis(1200),
        );
    }
    browser::set_title("页面没有加载成功");
    view! {
        <div class="problem chunk-problem" role="alert">
            <h1 class="page-title" tabindex="-1">"这部分页面没有加载成功"</h1>
            {if reloading {
                view! { <p>"办事通可能刚刚更新，正在为您重新打开这个页面……"</p> }.into_any()
            } else {
                view! {
                    <p>"网络可能不稳定。请检查网络后点“重试”，已填写并保存的内容不会丢失。"</p>
                    <button type="button" class="button" on:click=move |_| retry()>"重试"</button>
                }
                .into_any()
            }}
        </div>
    }
}
