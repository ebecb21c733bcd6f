//! `/staff?status=…` 预审工作台: the department's cases (every department's for the manager),
//! most urgent first, with yellow and red warnings in words as well as colour. A table on
//! wide screens; each row becomes a card on narrow ones (see the stylesheet).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{CaseList, CaseStatus, CaseSummary, Me, StaffRole};
use crate::ui::browser;
use crate::ui::components::case_view::{beijing_time, date_words, deadline_badge, status_class};
use crate::ui::components::status::fetch;
use crate::ui::endpoints::staff;
use crate::ui::http::encode;
use crate::ui::session::{guard, session};

const FILTERS: [(&str, &str); 7] = [
    ("submitted", "待预审"),
    ("returned", "需补正"),
    ("approved", "预审通过"),
    ("completed", "已办结"),
    ("rejected", "不予受理"),
    ("withdrawn", "已撤回"),
    ("all", "全部"),
];

/// The queue as a table; `caption` names what is listed.
#[component]
pub fn QueueTable(cases: Vec<CaseSummary>, #[prop(into)] caption: String) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">"没有符合条件的办件。"</p> }.into_any();
    }
    let rows = cases
        .into_iter()
        .map(|c| view! { <QueueRow case=c/> })
        .collect_view();
    view! {
        <table class="queue">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"受理编号"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"申请人"</th>
                    <th scope="col">"提交时间"</th>
                    <th scope="col">"办理时限"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">
                        <span class="visually-hidden">"操作"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// One case of the queue; each cell names its column for the narrow-screen cards.
#[component]
fn QueueRow(case: CaseSummary) -> impl IntoView {
    let number = case.number.clone().unwrap_or_default();
    let submitted = case
        .submitted_at
        .as_deref()
        .map(beijing_time)
        .unwrap_or_default();
    let due = case.due_date.as_deref().map(date_words);
    let deadline = deadline_badge(&case);
    let action = if case.status == CaseStatus::Submitted {
        "审核"
    } else {
        "查看"
    };
    let href = format!("/staff/cases/{}", encode(&case.id));
    view! {
        <tr>
            <td data-label="受理编号">
                <strong>{number.clone()}</strong>
            </td>
            <td data-label="事项">
                {case.item_name}
                <span class="queue__dept">{case.department}</span>
            </td>
            <td data-label="申请人">{case.applicant}</td>
            <td data-label="提交时间">{submitted}</td>
            <td data-label="办理时限">{due}{deadline}</td>
            <td data-label="状态">
                <span class=status_class(case.status)>{case.status.label()}</span>
            </td>
            <td>
                <a class="button" href=href>
                    {action}
                    <span class="visually-hidden">{format!(" {number}")}</span>
                </a>
            </td>
        </tr>
    }
}

/// Who is working, and the manager's way to supervision.
pub fn staff_line() -> impl IntoView {
    move || match session().get() {
        Some(Some(Me::Staff {
            display_name,
            department_name,
            role,
            ..
        })) => Some(view! {
            <p class="hint">
                {format!("{display_name} · {}", department_name.unwrap_or_else(|| "政务服务中心".into()))}
                {(role == StaffRole::Manager)
                    .then(|| view! { " · " <a href="/manager">"督办与差评整改"</a> })}
            </p>
        }),
        _ => None,
    }
}

#[component]
pub fn StaffQueuePage() -> impl IntoView {
    browser::set_title("预审工作台");
    let query = use_query_map();
    let status = Memo::new(move |_| {
        query
            .with(|q| q.get("status"))
            .unwrap_or_else(|| "submitted".into())
    });
    let list = fetch(move || {
        let s = status.get();
        async move { staff::queue(&s).await }
    });
    let navigate = use_navigate();
    let options = FILTERS
        .iter()
        .map(|(value, label)| {
            view! { <option value=*value selected=move || status.get() == *value>{*label}</option> }
        })
        .collect_view();
    view! {
        <h1 class="page-title">"预审工作台"</h1>
        {staff_line()}
        <div class="field field--inline">
            <label class="field__label" for="status-filter">"办件状态"</label>
            <select
                id="status-filter"
                class="input"
                on:change=move |ev| {
                    navigate(&format!("/staff?status={}", event_target_value(&ev)), NavigateOptions::default())
                }
            >
                {options}
            </select>
        </div>
        <p class="hint">"按紧急程度排列：已超期（红）在前，剩1个工作日内（黄）其次。"</p>
        {guard(
            list,
            "/staff/login",
            move |list: CaseList| {
                let label = FILTERS.iter().find(|f| f.0 == status.get_untracked()).map_or("", |f| f.1);
                view! {
                    <div>
                        <QueueTable cases=list.cases caption=format!("{label}的办件")/>
                    </div>
                }
                    .into_any()
            },
        )}
    }
}
