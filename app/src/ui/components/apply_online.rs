//! The guide's 在线申请 button: it starts an application with the 情形 answers given so far
//! (signing in first when needed). Items that cannot be applied for online say so instead.

use leptos::prelude::*;

use crate::api::OnlineLevel;
use crate::rules::tailor::{answers_to_query, Answers};
use crate::ui::http::encode;

#[component]
pub fn ApplyOnline(
    code: String,
    level: OnlineLevel,
    business: bool,
    answers: RwSignal<Answers>,
) -> impl IntoView {
    if level < OnlineLevel::PreReview {
        return view! { <p class="apply-offline">"该事项暂不支持网上申请，请到窗口办理"</p> }
            .into_any();
    }
    let href = move || {
        let a = answers.with(answers_to_query);
        let mut href = format!("/apply/new?item={}", encode(&code));
        if !a.is_empty() {
            href.push_str(&format!("&a={a}"));
        }
        if business {
            href.push_str("&biz=1");
        }
        href
    };
    view! { <a class="button button--primary" href=href>"在线申请"</a> }.into_any()
}
