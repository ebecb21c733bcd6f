//! `/manager/sites` and `/manager/sites/:code` (centre manager): 服务点与预约 — every service
//! site with today's hours, and one site's weekly hours with the lunch break, temporary
//! closures, items handled and appointment queues, edited beside a live preview "本周对外显示"
//! that is the site page's own week ([`WeekAhead`], computed by the same rule from the form).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{
    AppointmentQueue, Closure, DaySchedule, ItemSummary, ManagedSite, ManagedSiteList,
    ManagedSiteSummary, SiteSettings,
};
use crate::rules::opening::{closure_notice, days_ahead, today_label, WEEK_AHEAD};
use crate::rules::site_settings::{check_site_settings, hours_of, APPOINTMENT_CATEGORIES};
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::case_view::beijing_time;
use crate::ui::components::manager_only::admin_crumbs;
use crate::ui::components::site_card::hours_text;
use crate::ui::components::week_ahead::{closure_notice as notice_view, WeekAhead};
use crate::ui::endpoints::{admin, calendar};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

fn queue_words(queues: &[AppointmentQueue]) -> String {
    if queues.is_empty() {
        return "不设预约".into();
    }
    queues
        .iter()
        .map(|q| format!("{} {} 人", q.category, q.capacity))
        .collect::<Vec<_>>()
        .join("、")
}

fn changed_words(by: Option<String>, at: Option<String>) -> String {
    match (by, at) {
        (Some(by), Some(at)) => format!("{by}，{}", beijing_time(&at)),
        _ => "未修改（示范数据）".into(),
    }
}

#[component]
pub fn ManagerSitesPage() -> impl IntoView {
    browser::set_title("服务点与预约");
    let list = fetch_signed_in(Signin::Staff, admin::sites);
    view! {
        {admin_crumbs()}
        <h1 class="page-title">"服务点与预约"</h1>
        {staff_line()}
        <p class="hint">
            "办公时间、午休、临时停止服务、可办理事项和预约人数。保存后群众在地图、服务点页面和预约中立即看到（所有服务器在几秒内同步），每次修改都记入审计日志。"
        </p>
        {guard(list, Signin::Staff, |list: ManagedSiteList| view! { <SiteTable list/> }.into_any())}
    }
}

#[component]
fn SiteTable(list: ManagedSiteList) -> impl IntoView {
    let rows = list
        .sites
        .into_iter()
        .map(|s: ManagedSiteSummary| {
            let notice = s
                .notice
                .clone()
                .map(|n| view! { <br/><strong class="warn-text">{n}</strong> });
            view! {
                <tr>
                    <td><a href=format!("/manager/sites/{}", s.code)>{s.name.clone()}</a></td>
                    <td>{s.level.label()}</td>
                    <td class="admin-table__wrap">{hours_text(&s.today)}{notice}</td>
                    <td class="admin-table__wrap">{queue_words(&s.queues)}</td>
                    <td>{s.item_count}</td>
                    <td class="admin-table__wrap">{changed_words(s.updated_by, s.updated_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="admin-table-wrap" tabindex="0" role="region" aria-label="服务点（可横向滚动）">
            <table class="admin-table">
                <caption class="visually-hidden">"全部服务点"</caption>
                <thead>
                    <tr>
                        <th scope="col">"服务点"</th>
                        <th scope="col">"层级"</th>
                        <th scope="col">"今天"</th>
                        <th scope="col">"预约（每半小时）"</th>
                        <th scope="col">"事项数"</th>
                        <th scope="col">"最近修改"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ManagerSitePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let site = fetch_signed_in(Signin::Staff, move || admin::site(code.get()));
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
            " / "
            <a href="/manager">"督办与差评整改"</a>
            " / "
            <a href="/manager/sites">"服务点与预约"</a>
        </nav>
        {guard(site, Signin::Staff, |managed: ManagedSite| view! { <SiteEditor managed/> }.into_any())}
    }
}

/// One weekday of the form.
#[derive(Clone, Copy)]
struct DayRow {
    weekday: u8,
    open: RwSignal<bool>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    lunch_start: RwSignal<String>,
    lunch_end: RwSignal<String>,
}

/// One 临时停止服务 row of the form.
#[derive(Clone, Copy)]
struct ClosureRow {
    key: u32,
    first: RwSignal<String>,
    last: RwSignal<String>,
    reason: RwSignal<String>,
}

/// One appointment category of the form.
#[derive(Clone, Copy)]
struct QueueRow {
    category: &'static str,
    offered: RwSignal<bool>,
    capacity: RwSignal<String>,
}

/// The form's state, read into [`SiteSettings`] whenever it changes.
#[derive(Clone, Copy)]
struct Form {
    days: StoredValue<Vec<DayRow>>,
    open_on_holidays: RwSignal<bool>,
    note: RwSignal<String>,
    closures: RwSignal<Vec<ClosureRow>>,
    items: RwSignal<Vec<String>>,
    queues: StoredValue<Vec<QueueRow>>,
}

impl Form {
    fn new(settings: &SiteSettings, next_key: impl Fn() -> u32) -> Form {
        let days = settings
            .days
            .iter()
            .map(|d| DayRow {
                weekday: d.weekday,
                open: RwSignal::new(d.open),
                opens: RwSignal::new(d.opens.clone()),
                closes: RwSignal::new(d.closes.clone()),
                lunch_start: RwSignal::new(d.lunch_start.clone()),
                lunch_end: RwSignal::new(d.lunch_end.clone()),
            })
            .collect();
        let closures = settings
            .closures
            .iter()
            .map(|c| ClosureRow {
                key: next_key(),
                first: RwSignal::new(c.first.clone()),
                last: RwSignal::new(c.last.clone()),
                reason: RwSignal::new(c.reason.clone()),
            })
            .collect();
        let queues = APPOINTMENT_CATEGORIES
            .iter()
            .map(|&category| {
                let set = settings.queues.iter().find(|q| q.category == category);
                QueueRow {
                    category,
                    offered: RwSignal::new(set.is_some()),
                    capacity: RwSignal::new(
                        set.map_or(String::from("2"), |q| q.capacity.to_string()),
                    ),
                }
            })
            .collect();
        Form {
            days: StoredValue::new(days),
            open_on_holidays: RwSignal::new(settings.open_on_holidays),
            note: RwSignal::new(settings.note.clone()),
            closures: RwSignal::new(closures),
            items: RwSignal::new(settings.items.clone()),
            queues: StoredValue::new(queues),
        }
    }

    /// The settings as filled in (tracked: a preview or check re-runs on every change).
    fn settings(&self) -> SiteSettings {
        SiteSettings {
            days: self
                .days
                .get_value()
                .iter()
                .map(|d| DaySchedule {
                    weekday: d.weekday,
                    open: d.open.get(),
                    opens: d.opens.get(),
                    closes: d.closes.get(),
                    lunch_start: d.lunch_start.get(),
                    lunch_end: d.lunch_end.get(),
                })
                .collect(),
            open_on_holidays: self.open_on_holidays.get(),
            note: self.note.get(),
            closures: self
                .closures
                .get()
                .iter()
                .map(|c| Closure {
                    first: c.first.get(),
                    last: c.last.get(),
                    reason: c.reason.get(),
                })
                .collect(),
            items: self.items.get(),
            queues: self
                .queues
                .get_value()
                .iter()
                .filter(|q| q.offered.get())
                .map(|q| AppointmentQueue {
                    category: q.category.to_string(),
                    capacity: q.capacity.get().trim().parse().unwrap_or(0),
                })
                .collect(),
        }
    }

    /// The index of `category` among the offered queues (how the rule keys its errors).
    fn queue_index(&self, category: &str) -> Option<usize> {
        self.queues
            .get_value()
            .iter()
            .filter(|q| q.offered.get())
            .position(|q| q.category == category)
    }
}

fn field_id(key: &str) -> String {
    format!("site-{}", key.replace('.', "-"))
}

#[component]
fn SiteEditor(managed: ManagedSite) -> impl IntoView {
    let site = managed.site.clone();
    browser::set_title(&format!("{} · 服务点设置", site.name));
    let keys = StoredValue::new(0u32);
    let next_key = move || {
        keys.update_value(|k| *k += 1);
        keys.get_value()
    };
    let form = Form::new(&managed.settings, next_key);
    let catalog = StoredValue::new(managed.catalog.clone());
    let last_change = RwSignal::new(changed_words(
        managed.updated_by.clone(),
        managed.updated_at.clone(),
    ));
    let booked = RwSignal::new(managed.booked_in_closures);
    let calendar = LocalResource::new(calendar::calendar);
    // Checked as the manager types once a save was tried; the server's answer replaces it.
    let tried = RwSignal::new(false);
    let server_errors = RwSignal::new(BTreeMap::<String, String>::new());
    let errors = Memo::new(move |_| {
        let mut found = server_errors.get();
        if tried.get() {
            let known = catalog.get_value();
            if let Err(local) = check_site_settings(&form.settings(), |code| {
                known.iter().any(|i| i.code == code)
            }) {
                found.extend(local);
            }
        }
        found
    });
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let code = StoredValue::new(site.code.clone());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        server_errors.set(BTreeMap::new());
        saved.set(None);
        problem.set(None);
        let settings = form.settings();
        let known = catalog.get_value();
        if check_site_settings(&settings, |c| known.iter().any(|i| i.code == c)).is_err() {
            focus_first_error();
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match admin::save_site(&code.get_value(), &settings).await {
                Ok(answer) => {
                    last_change.set(changed_words(
                        answer.updated_by.clone(),
                        answer.updated_at.clone(),
                    ));
                    booked.set(answer.booked_in_closures);
                    saved.set(Some(
                        "已保存并立即生效：群众现在看到的就是“本周对外显示”。".into(),
                    ));
                }
                Err(f) if !f.fields.is_empty() => {
                    server_errors.set(f.fields);
                    focus_first_error();
                }
                Err(f) => problem.set(Some(f.message)),
            }
            busy.set(false);
        });
    };

    let preview = move || {
        let settings = form.settings();
        let calendar = calendar.get()?;
        let hours = hours_of(&settings);
        let today = browser::today_in_beijing();
        let days = days_ahead(&hours, &calendar, today, WEEK_AHEAD);
        Some(view! {
            {notice_view(closure_notice(&hours, today))}
            <p class="site-today"><strong>{hours_text(&today_label(&hours, &calendar, today))}</strong></p>
            <WeekAhead days caption="本周对外显示：今天起 7 天的办公时间"/>
        })
    };

    view! {
        <h1 class="page-title">{site.name.clone()}</h1>
        {staff_line()}
        <p class="hint">
            {format!("{} · {} · {}。最近修改：", site.level.label(), site.street, site.address)}
            {move || last_change.get()}
            " · "
            <a href=format!("/sites/{}", site.code)>"查看群众看到的服务点页面"</a>
        </p>
        <div class="site-admin">
            <form class="site-admin__form" on:submit=submit novalidate>
                <HoursFields form errors/>
                <ClosureFields form errors next_key/>
                <QueueFields form errors/>
                <ItemFields form errors catalog=managed.catalog.clone()/>
                <div role="alert">{move || problem.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
                <div role="status" aria-live="polite">
                    {move || saved.get().map(|m| view! { <p class="note">{m}</p> })}
                    {move || (saved.with(Option::is_some) && booked.get() > 0).then(|| view! {
                        <p class="problem">{format!("临时停止服务期间已有 {} 个预约，请逐一电话联系群众改约。", booked.get())}</p>
                    })}
                </div>
                <p>
                    <button type="submit" class="button button--primary" disabled=move || busy.get()>
                        "检查并保存（立即生效）"
                    </button>
                </p>
            </form>
            <section class="site-admin__preview card" aria-labelledby="preview-title">
                <h2 id="preview-title">"本周对外显示"</h2>
                <p class="hint">"与群众在服务点页面看到的一致，随填写即时更新（含法定节假日、调休、午休和临时停止服务）。"</p>
                {preview}
            </section>
        </div>
    }
}

/// The error line of `key` and the attributes that tie an input to it.
fn error_line(errors: Memo<BTreeMap<String, String>>, key: String) -> impl IntoView {
    let id = format!("{}-error", field_id(&key));
    view! { <p class="field__error" id=id>{move || errors.with(|e| e.get(&key).cloned())}</p> }
}

fn invalid(
    errors: Memo<BTreeMap<String, String>>,
    key: String,
) -> impl Fn() -> Option<&'static str> {
    move || errors.with(|e| e.contains_key(&key)).then_some("true")
}

#[component]
fn TimeInput(
    errors: Memo<BTreeMap<String, String>>,
    key: String,
    label: String,
    value: RwSignal<String>,
    enabled: RwSignal<bool>,
) -> impl IntoView {
    let id = field_id(&key);
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <input id=id.clone() class="input input--time" type="time"
                aria-describedby=format!("{id}-error") aria-invalid=invalid(errors, key.clone())
                disabled=move || !enabled.get()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
            {error_line(errors, key)}
        </div>
    }
}

#[component]
fn HoursFields(form: Form, errors: Memo<BTreeMap<String, String>>) -> impl IntoView {
    let rows = form
        .days
        .get_value()
        .into_iter()
        .enumerate()
        .map(|(i, day)| {
            let name = WEEKDAYS[usize::from(day.weekday - 1)];
            let key = |field: &str| format!("days.{i}.{field}");
            view! {
                <fieldset class="admin-row site-day">
                    <legend>{name}</legend>
                    <label class="check site-day__open">
                        <input type="checkbox" prop:checked=move || day.open.get()
                            on:change=move |ev| day.open.set(event_target_checked(&ev))/>
                        {format!("{name}对外办公")}
                    </label>
                    <TimeInput errors key=key("opens") label=format!("{name}开门") value=day.opens enabled=day.open/>
                    <TimeInput errors key=key("lunch_start") label=format!("{name}午休开始") value=day.lunch_start enabled=day.open/>
                    <TimeInput errors key=key("lunch_end") label=format!("{name}午休结束") value=day.lunch_end enabled=day.open/>
                    <TimeInput errors key=key("closes") label=format!("{name}关门") value=day.closes enabled=day.open/>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="hours-edit-title">
            <h2 id="hours-edit-title">"每周办公时间"</h2>
            <p class="hint">"没有午休时，午休开始和结束都留空。调休上班的周六、周日按周一的时间办公。"</p>
            {error_line(errors, "days".into())}
            {rows}
            <label class="check">
                <input type="checkbox" prop:checked=move || form.open_on_holidays.get()
                    on:change=move |ev| form.open_on_holidays.set(event_target_checked(&ev))/>
                "法定节假日照常服务（按当天星期的时间）"
            </label>
            <div class="field">
                <label class="field__label" for="site-note">"办公时间说明（可不填）"</label>
                <textarea id="site-note" class="input" rows="2"
                    aria-describedby="site-note-error" aria-invalid=invalid(errors, "note".into())
                    prop:value=move || form.note.get()
                    on:input=move |ev| form.note.set(event_target_value(&ev))></textarea>
                {error_line(errors, "note".into())}
            </div>
        </section>
    }
}

#[component]
fn ClosureFields(
    form: Form,
    errors: Memo<BTreeMap<String, String>>,
    next_key: impl Fn() -> u32 + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let rows = move || {
        form.closures
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let n = i + 1;
                let key = |field: &str| format!("closures.{i}.{field}");
                let (kfirst, klast, kreason) = (key("first"), key("last"), key("reason"));
                let row_key = row.key;
                view! {
                    <fieldset class="admin-row">
                        <legend>{format!("第 {n} 项临时停止服务")}</legend>
                        <div class="field">
                            <label class="field__label" for=format!("closure-first-{row_key}")>"开始日期"</label>
                            <input id=format!("closure-first-{row_key}") class="input" type="date"
                                aria-describedby=format!("{}-error", field_id(&kfirst)) aria-invalid=invalid(errors, kfirst.clone())
                                prop:value=move || row.first.get()
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    if row.last.get_untracked().is_empty() {
                                        row.last.set(v.clone());
                                    }
                                    row.first.set(v);
                                }/>
                            {error_line(errors, kfirst.clone())}
                        </div>
                        <div class="field">
                            <label class="field__label" for=format!("closure-last-{row_key}")>"结束日期（含当天）"</label>
                            <input id=format!("closure-last-{row_key}") class="input" type="date"
                                aria-describedby=format!("{}-error", field_id(&klast)) aria-invalid=invalid(errors, klast.clone())
                                prop:value=move || row.last.get()
                                on:input=move |ev| row.last.set(event_target_value(&ev))/>
                            {error_line(errors, klast.clone())}
                        </div>
                        <div class="field site-closure__reason">
                            <label class="field__label" for=format!("closure-reason-{row_key}")>"原因（群众会看到）"</label>
                            <input id=format!("closure-reason-{row_key}") class="input" type="text"
                                placeholder="系统升级，暂停对外服务"
                                aria-describedby=format!("{}-error", field_id(&kreason)) aria-invalid=invalid(errors, kreason.clone())
                                prop:value=move || row.reason.get()
                                on:input=move |ev| row.reason.set(event_target_value(&ev))/>
                            {error_line(errors, kreason.clone())}
                        </div>
                        <button type="button" class="button button--quiet"
                            aria-label=format!("删除第 {n} 项临时停止服务")
                            on:click=move |_| form.closures.update(|c| c.retain(|x| x.key != row_key))>
                            "删除"
                        </button>
                    </fieldset>
                }
            })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="closures-title">
            <h2 id="closures-title">"临时停止服务"</h2>
            <p class="hint">"停止服务期间不办公、不开放预约；开始前两周起，服务点页面和地图上显示通知。"</p>
            {move || form.closures.with(Vec::is_empty).then(|| view! { <p class="empty">"目前没有临时停止服务。"</p> })}
            {rows}
            <p>
                <button type="button" class="button" on:click=move |_| {
                    let row = ClosureRow {
                        key: next_key(),
                        first: RwSignal::new(String::new()),
                        last: RwSignal::new(String::new()),
                        reason: RwSignal::new(String::new()),
                    };
                    form.closures.update(|c| c.push(row));
                }>
                    "添加临时停止服务"
                </button>
            </p>
        </section>
    }
}

#[component]
fn QueueFields(form: Form, errors: Memo<BTreeMap<String, String>>) -> impl IntoView {
    let rows = form
        .queues
        .get_value()
        .into_iter()
        .map(|q| {
            let id = format!("queue-{}", q.category);
            let key = move || form.queue_index(q.category).map(|i| format!("queues.{i}.capacity"));
            let message = move || key().and_then(|k| errors.with(|e| e.get(&k).cloned()));
            let category_message =
                move || form.queue_index(q.category).and_then(|i| errors.with(|e| e.get(&format!("queues.{i}.category")).cloned()));
            view! {
                <div class="admin-row admin-row--inline site-queue">
                    <label class="check">
                        <input type="checkbox" prop:checked=move || q.offered.get()
                            on:change=move |ev| q.offered.set(event_target_checked(&ev))/>
                        {format!("开放“{}”预约", q.category)}
                    </label>
                    <div class="field">
                        <label class="field__label" for=id.clone()>{format!("“{}”每半小时可约人数", q.category)}</label>
                        <input id=id.clone() class="input input--short" type="text" inputmode="numeric"
                            aria-describedby=format!("{id}-error")
                            aria-invalid=move || message().is_some().then_some("true")
                            disabled=move || !q.offered.get()
                            prop:value=move || q.capacity.get()
                            on:input=move |ev| q.capacity.set(event_target_value(&ev))/>
                        <p class="field__error" id=format!("{id}-error")>{message}{category_message}</p>
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="queues-title">
            <h2 id="queues-title">"预约类别和人数"</h2>
            <p class="hint">"事项按所属部门进入对应类别；没有开放其类别时进入“综合业务”。都不开放时，该服务点不设预约，群众直接前往办理。"</p>
            {rows}
        </section>
    }
}

#[component]
fn ItemFields(
    form: Form,
    errors: Memo<BTreeMap<String, String>>,
    catalog: Vec<ItemSummary>,
) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let mut departments: Vec<(String, Vec<ItemSummary>)> = Vec::new();
    for item in catalog {
        match departments.iter_mut().find(|(d, _)| *d == item.department) {
            Some((_, items)) => items.push(item),
            None => departments.push((item.department.clone(), vec![item])),
        }
    }
    let groups = departments
        .into_iter()
        .map(|(department, items)| {
            let boxes = items
                .into_iter()
                .map(|item| {
                    let code = StoredValue::new(item.code.clone());
                    let words = format!("{} {}", item.name, item.code);
                    let shown = move || {
                        let f = filter.get();
                        f.trim().is_empty() || words.contains(f.trim())
                    };
                    view! {
                        <li hidden=move || !shown()>
                            <label class="check">
                                <input type="checkbox"
                                    prop:checked=move || form.items.with(|i| i.contains(&code.get_value()))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        form.items.update(|items| {
                                            items.retain(|c| *c != code.get_value());
                                            if on {
                                                items.push(code.get_value());
                                            }
                                        });
                                    }/>
                                {item.name.clone()}
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="site-items-edit__group">
                    <legend>{department}</legend>
                    <ul class="site-items-edit__list">{boxes}</ul>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="items-edit-title">
            <h2 id="items-edit-title">
                {move || format!("可办理的事项（已选 {} 项）", form.items.with(Vec::len))}
            </h2>
            <div class="field">
                <label class="field__label" for="site-items-filter">"查找事项"</label>
                <input id="site-items-filter" class="input" type="search"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))/>
            </div>
            <p class="field__error" id="site-items-error">{move || errors.with(|e| e.get("items").cloned())}</p>
            <div class="site-items-edit" aria-describedby="site-items-error">{groups}</div>
        </section>
    }
}
