//! 办理地点和时间, 咨询电话 and 监督投诉电话.

use leptos::prelude::*;

use crate::api::Place;
use crate::ui::components::hotline::Phone;

/// Each place with its address, window and hours.
pub fn places(places: &[Place]) -> impl IntoView {
    places
        .iter()
        .map(|p| {
            let p = p.clone();
            view! {
                <div class="place">
                    <p class="place__name">{p.name}</p>
                    <dl class="pairs">
                        <dt>"地址"</dt>
                        <dd>{p.address}</dd>
                        <dt>"窗口"</dt>
                        <dd>{p.window}</dd>
                        <dt>"时间"</dt>
                        <dd>{p.hours}</dd>
                    </dl>
                </div>
            }
        })
        .collect_view()
}

/// 咨询电话 and 监督投诉, each a `tel:` link.
pub fn phones(consult: &str, complaint: &str) -> impl IntoView {
    view! {
        <dl class="pairs">
            <dt>"咨询电话"</dt>
            <dd><Phone number=consult.to_string()/></dd>
            <dt>"监督投诉"</dt>
            <dd><Phone number=complaint.to_string()/></dd>
        </dl>
    }
}
