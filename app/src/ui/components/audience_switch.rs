//! 个人办事 / 法人办事: who is browsing. Remembered on this device.

use leptos::prelude::*;

use crate::api::Audience;
use crate::ui::browser;

const KEY: &str = "bst.audience";

/// The audience chosen last time on this device (个人办事 at first).
pub fn saved_audience() -> Audience {
    browser::load(KEY)
        .and_then(|s| Audience::parse(&s))
        .filter(|a| *a != Audience::Both)
        .unwrap_or(Audience::Personal)
}

/// Two buttons, one pressed.
#[component]
pub fn AudienceSwitch(audience: RwSignal<Audience>) -> impl IntoView {
    let choice = move |value: Audience| {
        view! {
            <button
                type="button"
                class="switch__option"
                aria-pressed=move || if audience.get() == value { "true" } else { "false" }
                on:click=move |_| {
                    audience.set(value);
                    browser::store(KEY, Some(value.as_str()));
                }
            >
                {value.label()}
            </button>
        }
    };
    view! {
        <div class="switch" role="group" aria-label="办事对象">
            {choice(Audience::Personal)}
            {choice(Audience::Business)}
        </div>
    }
}
