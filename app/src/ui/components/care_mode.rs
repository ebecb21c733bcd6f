//! 关怀模式: large text, larger tap targets, higher contrast and a single simple column, for
//! older people and anyone who reads better that way. Remembered on this device.

use leptos::prelude::*;

use crate::ui::browser;

const KEY: &str = "bst.care";
const CLASS: &str = "care";

fn saved() -> bool {
    browser::load(KEY).as_deref() == Some("1")
}

/// Puts the saved mode on `<html>`; called before the app is first drawn.
pub fn apply_saved_care_mode() {
    browser::set_root_class(CLASS, saved());
}

/// The header switch "关怀模式：开/关": a toggle button whose label states the mode.
#[component]
pub fn CareModeToggle() -> impl IntoView {
    let on = RwSignal::new(saved());
    let toggle = move |_| {
        let now = !on.get_untracked();
        on.set(now);
        browser::set_root_class(CLASS, now);
        browser::store(KEY, now.then_some("1"));
        // The server reads the cookie to draw even the loading shell in large text.
        browser::set_cookie("bst_care", now.then_some("1"));
    };
    view! {
        <button
            type="button"
            class="care-toggle"
            aria-pressed=move || if on.get() { "true" } else { "false" }
            on:click=toggle
        >
            "关怀模式："
            {move || if on.get() { "开" } else { "关" }}
        </button>
    }
}
