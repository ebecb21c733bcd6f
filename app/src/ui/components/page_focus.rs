//! Keyboard and screen-reader orientation across in-app navigation.
//!
//! A client-side route change loads no new document, so nothing tells a screen reader that the
//! page changed and focus stays on the link that was activated (or falls to `<body>` when that
//! link disappears). After every navigation this moves focus to the new page's `<h1>` (or to
//! `<main>` while the page has none yet) and announces the page title in a polite live region.
//! The static skip link ("跳到主要内容") also moves focus, not just the scroll position.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

/// How long to wait for a page's heading to appear (data pages render it after their fetch).
const HEADING_WAIT_MS: u64 = 4000;
const POLL_MS: u64 = 80;

/// Focus without scrolling: the router already put the new page at its top.
fn focus_quietly(element: &web_sys::HtmlElement) {
    let options = web_sys::FocusOptions::new();
    options.set_prevent_scroll(true);
    let _ = element.focus_with_options(&options);
}

fn focus_heading_or_main() -> bool {
    let document = document();
    let heading = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(h1) = heading {
        if !h1.has_attribute("tabindex") {
            let _ = h1.set_attribute("tabindex", "-1");
        }
        focus_quietly(&h1);
        return true;
    }
    if let Some(main) = document
        .get_element_by_id("main")
        .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
    {
        focus_quietly(&main);
    }
    false
}

/// Placed once inside the `<Router>`: the live region, and the focus move on every navigation.
#[component]
pub fn PageFocus() -> impl IntoView {
    let location = use_location();
    let announcement = RwSignal::new(String::new());
    // Bumped on every navigation, so a slow page's wait never steals focus from a newer one.
    let generation = StoredValue::new(0u32);
    // The path focus was last settled for; the page first opened needs no move.
    let settled = StoredValue::new(location.pathname.get_untracked());

    Effect::new(move |_| {
        // Path changes only: a query change (e.g. a 情形 answer in `?a=`) keeps focus where it is.
        let path = location.pathname.get();
        if settled.with_value(|p| *p == path) {
            return;
        }
        settled.set_value(path);
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        announcement.set(String::new());
        wait_for_heading(mine, generation, announcement, 0);
    });

    // The skip link lives in the static shell, outside the app.
    let skip = window_event_listener(leptos::ev::click, |event| {
        let on_skip_link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".skip-link").ok().flatten())
            .is_some();
        if on_skip_link {
            event.prevent_default();
            focus_heading_or_main();
        }
    });
    on_cleanup(move || skip.remove());

    view! {
        <p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcement.get()}
        </p>
    }
}

fn wait_for_heading(
    mine: u32,
    generation: StoredValue<u32>,
    announcement: RwSignal<String>,
    waited: u64,
) {
    set_timeout(
        move || {
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let found = focus_heading_or_main();
            if found || waited >= HEADING_WAIT_MS {
                announcement.set(format!("已打开：{}", document().title()));
            } else {
                wait_for_heading(mine, generation, announcement, waited + POLL_MS);
            }
        },
        std::time::Duration::from_millis(if waited == 0 { 0 } else { POLL_MS }),
    );
}
