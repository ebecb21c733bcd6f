//! `/my` 我的办件: every application of the signed-in applicant — status, 受理编号, due date and
//! what is still missing — and the in-app messages about them.

use leptos::prelude::*;

use crate::api::{CaseStatus, CaseSummary, MessageList, Verdict};
use crate::ui::browser;
use crate::ui::cases_api;
use crate::ui::bundles_decode;
use crate::ui::cases_decode;
use crate::ui::components::bundle_progress::BundleApplicationCards;
use crate::ui::components::case_view::{badges_html, beijing_time, date_words};
use crate::ui::markup::Html;
use crate::ui::session::{guarded, set_unread};

#[component]
pub fn MyCasesPage() -> impl IntoView {
    browser::set_title("我的办件");
    let cases = LocalResource::new(|| cases_api::get("/api/applications".into()));
    let messages = LocalResource::new(|| cases_api::get("/api/messages".into()));
    let bundles = LocalResource::new(|| cases_api::get("/api/bundle-applications".into()));
    let bundles_view = move || match bundles.get() {
        Some(Ok(v)) => {
            let list = bundles_decode::applications(&v).applications;
            (!list.is_empty()).then(|| {
                view! {
                    <section class="section" aria-labelledby="bundles-title">
                        <h2 id="bundles-title">"我的一件事"</h2>
                        <div><BundleApplicationCards list manager=false/></div>
                    </section>
                }
            })
        }
        _ => None,
    };
    let messages_view = move || match messages.get() {
        Some(Ok(v)) => Some(view! { <Messages list=cases_decode::messages(&v)/> }),
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
            {guarded(cases, "/login", |v| cases_view(cases_decode::summaries(&v)))}
        </section>
        {bundles_view}
        {messages_view}
    }
}

fn case_html(c: &CaseSummary) -> String {
    let mut h = Html::new();
    h.open("h3", "case-card__name")
        .link(&format!("/my/cases/{}", c.id), "", &c.item_name)
        .close("h3");
    h.open("p", "case-card__badges");
    badges_html(&mut h, c);
    h.close("p").open("dl", "pairs");
    if let Some(n) = &c.number {
        h.pair("受理编号", n);
    }
    h.pair("办理部门", &c.department);
    match (&c.due_date, c.status) {
        (Some(d), CaseStatus::Submitted | CaseStatus::Approved) => {
            h.pair("承诺办结", &date_words(d));
        }
        _ => {
            let at = c.submitted_at.as_deref().unwrap_or(&c.created_at);
            h.pair(
                if c.submitted_at.is_some() {
                    "提交时间"
                } else {
                    "创建时间"
                },
                &beijing_time(at),
            );
        }
    }
    h.close("dl");
    h.finish()
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
            let missing = matches!(c.status, CaseStatus::Draft | CaseStatus::Returned)
                .then(|| view! { <Missing id=c.id.clone() status=c.status/> });
            view! {
                <li class="card case-card">
                    <div inner_html=case_html(&c)></div>
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
        LocalResource::new(move || cases_api::get(cases_api::case_url(&id, "")))
    };
    let (href, action) = match status {
        CaseStatus::Returned => (format!("/my/cases/{id}"), "查看告知书并补正"),
        _ => (format!("/apply/{id}"), "继续填写"),
    };
    let text = move || {
        let Some(Ok(v)) = detail.get() else {
            return String::new();
        };
        let d = cases_decode::detail(&v);
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

fn messages_html(list: &MessageList) -> String {
    let mut h = Html::new();
    h.open("ul", "messages");
    for m in &list.messages {
        h.open(
            "li",
            if m.read {
                "message"
            } else {
                "message message--unread"
            },
        );
        if !m.read {
            h.el("span", "badge badge--need", "未读").raw(" ");
        }
        h.text(&m.text)
            .open("p", "small")
            .text(&beijing_time(&m.at))
            .raw(" · ")
            .link(&format!("/my/cases/{}", m.case_id), "", "查看办件")
            .close("p")
            .close("li");
    }
    h.close("ul");
    h.finish()
}

#[component]
fn Messages(list: MessageList) -> impl IntoView {
    set_unread(list.unread);
    let list = RwSignal::new(list);
    let mark_read = move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(v) = cases_api::post("/api/messages/read".into(), None).await {
                let fresh = cases_decode::messages(&v);
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
                        view! {
                            <div class="card" inner_html=messages_html(l)></div>
                        }
                            .into_any()
                    }
                })
            }}
        </section>
    }
}
