//! The notice that everything shown is fictional demo data.

use leptos::prelude::*;

pub const DEMO_NOTICE: &str = "示范数据：示范区及其部门、事项均为虚构，仅用于演示";

/// A visible banner; the same sentence is in the footer of every page.
#[component]
pub fn DemoNotice() -> impl IntoView {
    view! {
        <p class="demo-notice">
            <span class="demo-notice__tag">"示范"</span>
            {DEMO_NOTICE}
        </p>
    }
}
