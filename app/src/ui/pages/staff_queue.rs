//! `/staff?status=…` 预审工作台: the department's cases (every department's for the manager),
//! most urgent first, with yellow and red warnings in words as well as colour. A table on
//! wide screens; each row becomes a card on narrow ones (see the stylesheet).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{CaseStatus, CaseSummary, Me, StaffRole};
use crate::ui::api_client::encode;
use crate::ui::browser;
use crate::ui::cases_api;
use crate::ui::cases_decode;
use crate::ui::components::case_view::{beijing_time, date_words, deadline_words, status_class};
use crate::ui::markup::Html;
use crate::ui::session::{guarded, session};

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
pub fn queue_html(cases: &[CaseSummary], caption: &str) -> String {
    let mut h = Html::new();
    if cases.is_empty() {
        h.el("p", "empty", "没有符合条件的办件。");
        return h.finish();
    }
    h.open("table", "queue").el("caption", "visually-hidden", caption).raw(
        "<thead><tr><th scope=\"col\">受理编号</th><th scope=\"col\">事项</th><th scope=\"col\">申请人</th>\
         <th scope=\"col\">提交时间</th><th scope=\"col\">办理时限</th><th scope=\"col\">状态</th>\
         <th scope=\"col\"><span class=\"visually-hidden\">操作</span></th></tr></thead><tbody>",
    );
    for c in cases {
        let number = c.number.as_deref().unwrap_or("");
        let cell = |h: &mut Html, label: &str| {
            h.raw("<td").attr("data-label", label).raw(">");
        };
        h.raw("<tr>");
        cell(&mut h, "受理编号");
        h.el("strong", "", number).raw("</td>");
        cell(&mut h, "事项");
        h.text(&c.item_name);
        h.el("span", "queue__dept", &c.department).raw("</td>");
        cell(&mut h, "申请人");
        h.text(&c.applicant).raw("</td>");
        cell(&mut h, "提交时间");
        h.text(
            &c.submitted_at
                .as_deref()
                .map(beijing_time)
                .unwrap_or_default(),
        )
        .raw("</td>");
        cell(&mut h, "办理时限");
        if let Some(due) = &c.due_date {
            h.text(&date_words(due));
        }
        if let Some((class, words)) = deadline_words(c) {
            h.raw(" ").el("span", class, &words);
        }
        h.raw("</td>");
        cell(&mut h, "状态");
        h.el("span", status_class(c.status), c.status.label())
            .raw("</td><td>");
        let action = if c.status == CaseStatus::Submitted {
            "审核"
        } else {
            "查看"
        };
        h.raw("<a class=\"button\"")
            .attr("href", &format!("/staff/cases/{}", encode(&c.id)))
            .raw(">")
            .text(action)
            .raw("<span class=\"visually-hidden\">")
            .text(&format!(" {number}"))
            .raw("</span></a></td></tr>");
    }
    h.raw("</tbody></table>");
    h.finish()
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
    let list = LocalResource::new(move || {
        let s = status.get();
        let url = if s == "all" {
            "/api/staff/cases".to_string()
        } else {
            format!("/api/staff/cases?status={}", encode(&s))
        };
        cases_api::get(url)
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
        {guarded(
            list,
            "/staff/login",
            move |v| {
                let label = FILTERS.iter().find(|f| f.0 == status.get_untracked()).map_or("", |f| f.1);
                view! { <div inner_html=queue_html(&cases_decode::summaries(&v), &format!("{label}的办件"))></div> }
                    .into_any()
            },
        )}
    }
}
