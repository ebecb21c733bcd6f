//! The guide's 在线申请 button: it starts an application with the 情形 answers given so far
//! (signing in first when needed). A signed-in person who already started one for this item is
//! offered 继续填写 with the draft's last save time instead (the same address reopens that
//! draft, with any answers given here). Items that cannot be applied for online say so instead.

use leptos::prelude::*;

use crate::api::{CaseStatus, Me, OnlineLevel};
use crate::rules::tailor::{answers_to_query, Answers};
use crate::ui::components::case_view::beijing_time;
use crate::ui::endpoints::cases as endpoints;
use crate::ui::http::encode;
use crate::ui::session::session;

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
    // The last save of this person's draft of the item, when signed in and there is one.
    let saved_at = {
        let code = code.clone();
        LocalResource::new(move || {
            let applicant = matches!(session().get(), Some(Some(Me::Applicant { .. })));
            let code = code.clone();
            async move {
                if !applicant {
                    return None;
                }
                let list = endpoints::my_cases().await.ok()?;
                list.cases
                    .into_iter()
                    .find(|c| {
                        c.item_code == code && c.status == CaseStatus::Draft && c.bundle.is_none()
                    })
                    .map(|c| c.updated_at.unwrap_or(c.created_at))
            }
        })
    };
    let draft = move || saved_at.get().flatten();
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
    view! {
        <a class="button button--primary" href=href>
            {move || if draft().is_some() { "继续填写" } else { "在线申请" }}
        </a>
        {move || {
            draft()
                .map(|at| {
                    view! {
                        <p class="hint apply-draft">{format!("您已有这个事项的草稿，上次保存 {}", beijing_time(&at))}</p>
                    }
                })
        }}
    }
    .into_any()
}
