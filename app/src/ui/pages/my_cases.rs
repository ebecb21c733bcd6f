//! `/my` 我的办件: every application of the signed-in applicant — status, 受理编号, due date and
//! what is still missing — and the in-app messages about them.

use leptos::prelude::*;

use crate::api::{CaseStatus, CaseSummary, MessageList, Verdict};
use crate::ui::browser;
use crate::ui::components::bundle_progress::BundleApplicationCards;
use crate::ui::components::case_view::{
    badges, beijing_time, date_words, expected_words, pair, waiting_words,
};
use crate::ui::endpoints::bundles;
use crate::ui::endpoints::cases as endpoints;
use crate::ui::http::encode;
use crate::ui::session::{fetch_signed_in, guard, set_unread, Signin};

#[component]
pub fn MyCasesPage() -> impl IntoView {
    browser::set_title("我的办件");
    let cases = fetch_signed_in(Signin::Applicant, endpoints::my_cases);
    let messages = fetch_signed_in(Signin::Applicant, endpoints::messages);
    let bundles = fetch_signed_in(Signin::Applicant, bundles::my_applications);
    let bundles_view = move || match bundles.get() {
        Some(Ok(list)) => (!list.applications.is_empty()).then(|| {
            view! {
                <section class="section" aria-labelledby="bundles-title">
                    <h2 id="bundles-title">"我的一件事"</h2>
                    <div><BundleApplicationCards list=list.applications manager=false/></div>
                </section>
            }
        }),
        _ => None,
    };
    let messages_view = move || match messages.get() {
        Some(Ok(list)) => Some(view! { <Messages list/> }),
        _ => None,
    };
    view! {
        <h1 class="page-title">"我的办件"</h1>
        <p class="actions">
            <a class="button" href="/search">"找事项申请"</a>
            <a class="button" href="/bundles">"一件事一次办"</a>
            <a class="button" href="/track">"查办件进度"</a>
        </p>
        <section class="section" aria-labelledby="cases-title">
            <h2 id="cases-title">"我的申请"</h2>
            {guard(cases, Signin::Applicant, |list| cases_view(list.cases))}
        </section>
        {bundles_view}
        {messages_view}
    }
}

/// A case's card: name, badges, 受理编号, department and the date that matters now.
fn case_card(c: &CaseSummary) -> impl IntoView {
    let number = c.number.clone().map(|n| pair("受理编号", n));
    let when = match (&c.due_date, c.status) {
        (Some(d), CaseStatus::Submitted | CaseStatus::Approved) => pair("承诺办结", date_words(d)),
        (None, CaseStatus::Draft) if c.updated_at.is_some() && !c.is_waiting() => pair(
            "上次保存",
            beijing_time(c.updated_at.as_deref().unwrap_or_default()),
        ),
        _ => {
            let at = c.submitted_at.as_deref().unwrap_or(&c.created_at);
            pair(
                if c.submitted_at.is_some() {
                    "提交时间"
                } else {
                    "创建时间"
                },
                beijing_time(at),
            )
        }
    };
    let bundle = c.bundle.as_ref().map(|b| {
        pair(
            "一件事",
            view! { <a href=format!("/my/bundles/{}", encode(&b.id))>{b.name.clone()}</a> },
        )
    });
    view! {
        <h3 class="case-card__name">
            <a href=format!("/my/cases/{}", c.id)>{c.item_name.clone()}</a>
        </h3>
        <p class="case-card__badges">{badges(c)}</p>
        <dl class="pairs">
            {number}
            {bundle}
            {pair("办理部门", c.department.clone())}
            {when}
        </dl>
    }
}

fn cases_view(cases: Vec<CaseSummary>) -> AnyView {
    if cases.is_empty() {
        return view! {
            <p class="empty">"您还没有网上申请。打开事项的办事指南，点“在线申请”即可开始。"</p>
        }
        .into_any();
    }
    let cards = cases
        .into_iter()
        .map(|c| {
            let missing = if let Some(words) = waiting_words(&c) {
                let expected =
                    expected_words(&c).map(|e| view! { <p class="case-card__expected">{e}</p> });
                Some(view! { <p class="case-card__waiting">{words}</p> {expected} }.into_any())
            } else {
                matches!(c.status, CaseStatus::Draft | CaseStatus::Returned)
                    .then(|| view! { <Missing id=c.id.clone() status=c.status/> }.into_any())
            };
            view! {
                <li class="card case-card">
                    <div>{case_card(&c)}</div>
                    {missing}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="case-cards">{cards}</ul> }.into_any()
}

/// What a draft still lacks, or what a returned case must correct, with the way to do it.
#[component]
fn Missing(id: String, status: CaseStatus) -> impl IntoView {
    let detail = {
        let id = id.clone();
        LocalResource::new(move || {
            let id = id.clone();
            async move { endpoints::case(&id).await }
        })
    };
    let (href, action) = match status {
        CaseStatus::Returned => (format!("/my/cases/{id}"), "查看告知书并补正"),
        _ => (format!("/apply/{id}"), "继续填写"),
    };
    let text = move || {
        let Some(Ok(d)) = detail.get() else {
            return String::new();
        };
        let names: Vec<String> = d
            .materials
            .iter()
            .filter(|m| match status {
                CaseStatus::Returned => m.verdict == Verdict::Rejected,
                _ => m.required && !m.uploads.iter().any(|u| u.current),
            })
            .map(|m| m.name.clone())
            .collect();
        match (status, names.is_empty()) {
            (CaseStatus::Returned, true) => "需补正：请按一次性告知书修改后重新提交".into(),
            (CaseStatus::Returned, false) => format!("需补正：{}", names.join("、")),
            (_, true) => "材料已上传齐全，核对后即可提交".into(),
            (_, false) => format!("还缺：{}", names.join("、")),
        }
    };
    view! {
        <p class="case-card__missing">{text}</p>
        <p><a class="button button--primary" href=href>{action}</a></p>
    }
}

/// The messages, newest first, each with the way to its case.
fn message_items(list: &MessageList) -> impl IntoView {
    let items = list
        .messages
        .iter()
        .map(|m| {
            let class = if m.read {
                "message"
            } else {
                "message message--unread"
            };
            let unread = (!m.read).then(|| {
                view! {
                    <span class="badge badge--need">"未读"</span>
                    " "
                }
            });
            view! {
                <li class=class>
                    {unread}
                    {m.text.clone()}
                    <p class="small">
                        {beijing_time(&m.at)}
                        " · "
                        <a href=format!("/my/cases/{}", m.case_id)>"查看办件"</a>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="messages">{items}</ul> }
}

#[component]
fn Messages(list: MessageList) -> impl IntoView {
    set_unread(list.unread);
    let list = RwSignal::new(list);
    let mark_read = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = endpoints::mark_read().await {
                set_unread(fresh.unread);
                list.set(fresh);
            }
        });
    };
    view! {
        <section class="section" aria-labelledby="msg-title" id="messages">
            <h2 id="msg-title">
                "消息"
                {move || {
                    let n = list.with(|l| l.unread);
                    (n > 0).then(|| view! { <span class="count-badge count-badge--inline">{format!("{n} 条未读")}</span> })
                }}
            </h2>
            {move || {
                (list.with(|l| l.unread) > 0)
                    .then(|| {
                        view! {
                            <p class="actions">
                                <button type="button" class="button" on:click=mark_read>"全部标为已读"</button>
                            </p>
                        }
                    })
            }}
            {move || {
                list.with(|l| {
                    if l.messages.is_empty() {
                        view! { <p class="empty">"暂无消息。"</p> }.into_any()
                    } else {
                        view! { <div class="card">{message_items(l)}</div> }.into_any()
                    }
                })
            }}
        </section>
    }
}
