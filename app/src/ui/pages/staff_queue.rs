//! `/staff?status=…` 预审工作台: the department's cases (every department's for the manager),
//! most urgent first, with yellow and red warnings in words as well as colour. A table on
//! wide screens; each row becomes a card on narrow ones (see the stylesheet).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{CaseList, CaseStatus, CaseSummary, Me, StaffRole};
use crate::ui::browser;
use crate::ui::components::case_view::{beijing_time, date_words, deadline_badge, status_class};
use crate::ui::endpoints::{catalog, staff};
use crate::ui::http::encode;
use crate::ui::session::{fetch_signed_in, guard, session, Signin};

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
    let bundle = case
        .bundle
        .as_ref()
        .map(|b| view! { <span class="queue__bundle">{format!("一件事：{}", b.name)}</span> });
    view! {
        <tr>
            <td data-label="受理编号">
                <strong>{number.clone()}</strong>
            </td>
            <td data-label="事项">
                {case.item_name}
                <span class="queue__dept">{case.department}</span>
                {bundle}
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
                " · " <a href="/staff/bookings">"预约签到"</a>
                {(role == StaffRole::Manager)
                    .then(|| view! { " · " <a href="/manager">"督办与差评整改"</a> })}
            </p>
        }),
        _ => None,
    }
}

/// What the queue shows: the URL's `status`, `q`, `item` and `warning`.
#[derive(Clone, Debug, PartialEq, Default)]
struct QueueQuery {
    status: String,
    q: String,
    item: String,
    warning: String,
}

impl QueueQuery {
    /// `/staff?…` with the filters that are set.
    fn page_url(&self) -> String {
        let mut url = format!("/staff?status={}", encode(&self.status));
        for (key, value) in [
            ("q", &self.q),
            ("item", &self.item),
            ("warning", &self.warning),
        ] {
            if !value.is_empty() {
                url.push_str(&format!("&{key}={}", encode(value)));
            }
        }
        url
    }

    fn filter(&self) -> staff::QueueFilter {
        staff::QueueFilter {
            status: self.status.clone(),
            q: self.q.clone(),
            item: self.item.clone(),
            warning: self.warning.clone(),
        }
    }
}

const WARNINGS: [(&str, &str); 3] = [
    ("", "全部"),
    ("red", "已超期（红牌）"),
    ("yellow", "剩1个工作日内（黄牌）"),
];

/// The items this member of staff handles, for the item filter: a reviewer's department's,
/// every item for the manager.
fn item_options() -> LocalResource<Vec<(String, String)>> {
    LocalResource::new(move || {
        let department = match session().get() {
            Some(Some(Me::Staff { department, .. })) => department,
            _ => None,
        };
        async move {
            let mut options = Vec::new();
            let mut offset = 0;
            loop {
                let query = catalog::ItemQuery {
                    department: department.clone(),
                    limit: 100,
                    offset,
                    ..Default::default()
                };
                let Ok(page) = catalog::items(query).await else {
                    break;
                };
                offset += page.items.len();
                options.extend(page.items.into_iter().map(|i| (i.code, i.name)));
                if offset >= page.total || offset == 0 {
                    break;
                }
            }
            options
        }
    })
}

#[component]
pub fn StaffQueuePage() -> impl IntoView {
    browser::set_title("预审工作台");
    let query = use_query_map();
    let current = Memo::new(move |_| {
        query.with(|q| QueueQuery {
            status: q.get("status").unwrap_or_else(|| "submitted".into()),
            q: q.get("q").unwrap_or_default(),
            item: q.get("item").unwrap_or_default(),
            warning: q.get("warning").unwrap_or_default(),
        })
    });
    let list = fetch_signed_in(Signin::Staff, move || {
        let filter = current.get().filter();
        async move { staff::queue(&filter).await }
    });
    let items = item_options();
    let navigate = use_navigate();
    let go = StoredValue::new(move |next: QueueQuery| {
        navigate(&next.page_url(), NavigateOptions::default())
    });
    let typed = RwSignal::new(current.get_untracked().q);
    let status_options = FILTERS
        .iter()
        .map(|(value, label)| {
            view! { <option value=*value selected=move || current.get().status == *value>{*label}</option> }
        })
        .collect_view();
    let warning_options = WARNINGS
        .iter()
        .map(|(value, label)| {
            view! { <option value=*value selected=move || current.get().warning == *value>{*label}</option> }
        })
        .collect_view();
    let item_select = move || {
        let options = items.get().unwrap_or_default();
        let chosen = current.get().item;
        let options = options
            .into_iter()
            .map(|(code, name)| {
                let selected = code == chosen;
                view! { <option value=code selected=selected>{name}</option> }
            })
            .collect_view();
        view! {
            <option value="" selected=chosen.is_empty()>"全部事项"</option>
            {options}
        }
    };
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = current.get_untracked();
        next.q = typed.get_untracked().trim().to_string();
        go.with_value(|go| go(next));
    };
    let clear = move |_| {
        typed.set(String::new());
        go.with_value(|go| {
            go(QueueQuery {
                status: current.get_untracked().status,
                ..Default::default()
            })
        });
    };
    view! {
        <h1 class="page-title">"预审工作台"</h1>
        {staff_line()}
        <form class="queue-search" role="search" aria-label="查找和筛选办件" on:submit=search>
            <div class="field">
                <label class="field__label" for="queue-q">"查找办件"</label>
                <p class="field__hint" id="queue-q-hint">"输入受理编号（或其后几位）、申请人姓名或手机号码"</p>
                <div class="queue-search__row">
                    <input
                        id="queue-q"
                        class="input"
                        type="search"
                        maxlength="40"
                        aria-describedby="queue-q-hint"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button type="submit" class="button button--primary">"查找"</button>
                    {move || {
                        let q = current.get();
                        (!q.q.is_empty() || !q.item.is_empty() || !q.warning.is_empty())
                            .then(|| view! { <button type="button" class="button" on:click=clear>"清除条件"</button> })
                    }}
                </div>
            </div>
            <div class="queue-search__filters">
                <div class="field field--inline">
                    <label class="field__label" for="status-filter">"办件状态"</label>
                    <select
                        id="status-filter"
                        class="input"
                        on:change=move |ev| {
                            let mut next = current.get_untracked();
                            next.status = event_target_value(&ev);
                            go.with_value(|go| go(next));
                        }
                    >
                        {status_options}
                    </select>
                </div>
                <div class="field field--inline">
                    <label class="field__label" for="item-filter">"事项"</label>
                    <select
                        id="item-filter"
                        class="input"
                        on:change=move |ev| {
                            let mut next = current.get_untracked();
                            next.item = event_target_value(&ev);
                            go.with_value(|go| go(next));
                        }
                    >
                        {item_select}
                    </select>
                </div>
                <div class="field field--inline">
                    <label class="field__label" for="warning-filter">"预警"</label>
                    <select
                        id="warning-filter"
                        class="input"
                        on:change=move |ev| {
                            let mut next = current.get_untracked();
                            next.warning = event_target_value(&ev);
                            go.with_value(|go| go(next));
                        }
                    >
                        {warning_options}
                    </select>
                </div>
            </div>
        </form>
        <p class="hint">"按紧急程度排列：已超期（红）在前，剩1个工作日内（黄）其次。"</p>
        {guard(
            list,
            Signin::Staff,
            move |list: CaseList| {
                let q = current.get_untracked();
                let label = FILTERS.iter().find(|f| f.0 == q.status).map_or("", |f| f.1);
                let found = (!q.q.is_empty() || !q.item.is_empty() || !q.warning.is_empty())
                    .then(|| format!("找到 {} 件", list.cases.len()));
                view! {
                    <p class="small" role="status">{found}</p>
                    <div>
                        <QueueTable cases=list.cases caption=format!("{label}的办件")/>
                    </div>
                }
                    .into_any()
            },
        )}
    }
}
