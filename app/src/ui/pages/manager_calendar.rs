//! `/manager/calendar` (centre manager): 节假日安排 — the years the working-day calendar knows
//! and where each came from, the form to enter a newly published year from the State
//! Council's notice (checked by the shared rule as on the server), and a trial due date
//! computed by the server with the calendar it now uses.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{CalendarYears, DueDate, HolidayRange, HolidayYear, KnownYear};
use crate::rules::date::Date;
use crate::rules::holiday_year::check_holiday_year;
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::manager_only::{admin_crumbs, manager_only};
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::calendar;
use crate::ui::http::{self, encode};
use crate::ui::pages::staff_queue::staff_line;

/// The holidays of every year's notice, offered as the rows to fill in.
const USUAL_HOLIDAYS: &[&str] = &[
    "元旦",
    "春节",
    "清明节",
    "劳动节",
    "端午节",
    "中秋节",
    "国庆节",
];

#[component]
pub fn ManagerCalendarPage() -> impl IntoView {
    browser::set_title("节假日安排");
    let known = fetch(calendar::known_years);
    view! {
        {admin_crumbs()}
        <h1 class="page-title">"节假日安排"</h1>
        {staff_line()}
        <p class="hint">
            "国务院办公厅每年 11 月前后公布下一年的节假日安排。录入后，跨入该年的承诺办结日期立即按新安排计算（所有服务器在几秒内同步）；未录入的年份不推算。"
        </p>
        {manager_only(move || {
            view! {
                <section class="section" aria-labelledby="years-title">
                    <h2 id="years-title">"已有的年度"</h2>
                    {show(known, None, |years: CalendarYears| view! { <YearsTable years/> }.into_any())}
                </section>
                <YearForm on_saved=move || known.refetch()/>
                <TrialDue/>
            }
            .into_any()
        })}
    }
}

#[component]
fn YearsTable(years: CalendarYears) -> impl IntoView {
    let rows = years
        .years
        .into_iter()
        .map(|y: KnownYear| {
            let rest: i64 = y
                .schedule
                .holidays
                .iter()
                .filter_map(|r| Some(Date::parse(&r.first)?.days_until(Date::parse(&r.last)?) + 1))
                .sum();
            let names: Vec<String> = y.schedule.holidays.iter().map(|r| r.name.clone()).collect();
            let mut names_unique: Vec<String> = Vec::new();
            for name in names {
                if !names_unique.contains(&name) {
                    names_unique.push(name);
                }
            }
            view! {
                <tr>
                    <th scope="row">{format!("{}年", y.schedule.year)}</th>
                    <td>{format!("{} 项共 {rest} 天：{}", y.schedule.holidays.len(), names_unique.join("、"))}</td>
                    <td>{y.schedule.work_days.len()}</td>
                    <td class="admin-table__wrap">
                        {y.source.clone()}
                        {y.entered_by.clone().map(|by| view! { <br/>{format!("录入：{by} {}", y.entered_at.clone().unwrap_or_default().replace('T', " ").trim_end_matches('Z').to_string())}" (UTC)" })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="admin-table-wrap" tabindex="0" role="region" aria-label="已有年度（可横向滚动）">
            <table class="admin-table">
                <caption class="visually-hidden">"工作日日历已有的年度"</caption>
                <thead>
                    <tr>
                        <th scope="col">"年份"</th>
                        <th scope="col">"放假安排"</th>
                        <th scope="col">"调休上班天数"</th>
                        <th scope="col">"来源"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One 放假 row of the form.
#[derive(Clone, Copy)]
struct RangeRow {
    key: u32,
    name: RwSignal<String>,
    first: RwSignal<String>,
    last: RwSignal<String>,
}

/// One 调休上班 row of the form.
#[derive(Clone, Copy)]
struct WorkRow {
    key: u32,
    day: RwSignal<String>,
}

#[component]
fn YearForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let next_year = browser::today_in_beijing().year + 1;
    let year = RwSignal::new(next_year.to_string());
    let number = RwSignal::new(String::new());
    let title = RwSignal::new(format!("国务院办公厅关于{next_year}年部分节假日安排的通知"));
    let keys = StoredValue::new(0u32);
    let next_key = move || {
        keys.update_value(|k| *k += 1);
        keys.get_value()
    };
    let new_range = move |name: &str| RangeRow {
        key: next_key(),
        name: RwSignal::new(name.to_string()),
        first: RwSignal::new(String::new()),
        last: RwSignal::new(String::new()),
    };
    let ranges = RwSignal::new(
        USUAL_HOLIDAYS
            .iter()
            .map(|n| new_range(n))
            .collect::<Vec<_>>(),
    );
    let works = RwSignal::new(Vec::<WorkRow>::new());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let entered = move || HolidayYear {
        year: year.get_untracked().trim().parse().unwrap_or(0),
        notice_number: number.get_untracked(),
        notice_title: title.get_untracked(),
        holidays: ranges
            .get_untracked()
            .iter()
            .map(|r| HolidayRange {
                name: r.name.get_untracked(),
                first: r.first.get_untracked(),
                last: r.last.get_untracked(),
            })
            .collect(),
        work_days: works
            .get_untracked()
            .iter()
            .map(|w| w.day.get_untracked())
            .collect(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        problem.set(None);
        let schedule = entered();
        if let Err(found) = check_holiday_year(&schedule) {
            errors.set(found);
            focus_first_error();
            return;
        }
        errors.set(BTreeMap::new());
        busy.set(true);
        leptos::task::spawn_local(async move {
            match calendar::enter_year(&schedule).await {
                Ok(known) => {
                    saved.set(Some(format!(
                        "已保存{}年的节假日安排（{}），跨入该年的办结日期现在按它计算。",
                        known.schedule.year, known.schedule.notice_number
                    )));
                    on_saved();
                }
                Err(f) if !f.fields.is_empty() => {
                    errors.set(f.fields);
                    focus_first_error();
                }
                Err(f) => problem.set(Some(f.message)),
            }
            busy.set(false);
        });
    };
    let error = move |field: String| {
        let id = format!("cal-{}-error", field.replace('.', "-"));
        let shown = field.clone();
        view! { <p class="field__error" id=id>{move || errors.with(|e| e.get(&shown).cloned())}</p> }
    };
    let invalid =
        move |field: String| move || errors.with(|e| e.contains_key(&field)).then_some("true");
    let described = |field: &str| format!("cal-{}-error", field.replace('.', "-"));
    let range_rows = move || {
        ranges
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let n = i + 1;
                let (fname, ffirst, flast) = (
                    format!("holidays.{i}.name"),
                    format!("holidays.{i}.first"),
                    format!("holidays.{i}.last"),
                );
                let key = row.key;
                view! {
                    <fieldset class="admin-row">
                        <legend>{format!("第 {n} 项放假安排")}</legend>
                        <div class="field">
                            <label class="field__label" for=format!("cal-name-{key}")>"节日名称"</label>
                            <input id=format!("cal-name-{key}") class="input" type="text"
                                aria-describedby=described(&fname) aria-invalid=invalid(fname.clone())
                                prop:value=move || row.name.get()
                                on:input=move |ev| row.name.set(event_target_value(&ev))/>
                            {error(fname.clone())}
                        </div>
                        <div class="field">
                            <label class="field__label" for=format!("cal-first-{key}")>"放假开始"</label>
                            <input id=format!("cal-first-{key}") class="input" type="date"
                                aria-describedby=described(&ffirst) aria-invalid=invalid(ffirst.clone())
                                prop:value=move || row.first.get()
                                on:input=move |ev| {
                                    let v = event_target_value(&ev);
                                    if row.last.get_untracked().is_empty() {
                                        row.last.set(v.clone());
                                    }
                                    row.first.set(v);
                                }/>
                            {error(ffirst.clone())}
                        </div>
                        <div class="field">
                            <label class="field__label" for=format!("cal-last-{key}")>"放假结束（含当天）"</label>
                            <input id=format!("cal-last-{key}") class="input" type="date"
                                aria-describedby=described(&flast) aria-invalid=invalid(flast.clone())
                                prop:value=move || row.last.get()
                                on:input=move |ev| row.last.set(event_target_value(&ev))/>
                            {error(flast.clone())}
                        </div>
                        <button type="button" class="button button--quiet"
                            aria-label=move || format!("删除此项：第 {n} 项放假安排（{}）", row.name.get())
                            on:click=move |_| {
                                ranges.update(|r| r.retain(|x| x.key != key));
                                errors.set(BTreeMap::new());
                            }>
                            "删除此项"
                        </button>
                    </fieldset>
                }
            })
            .collect_view()
    };
    let work_rows = move || {
        works
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let n = i + 1;
                let field = format!("work_days.{i}");
                let key = row.key;
                view! {
                    <div class="admin-row admin-row--inline">
                        <div class="field">
                            <label class="field__label" for=format!("cal-work-{key}")>{format!("第 {n} 个调休上班日（周六或周日）")}</label>
                            <input id=format!("cal-work-{key}") class="input" type="date"
                                aria-describedby=described(&field) aria-invalid=invalid(field.clone())
                                prop:value=move || row.day.get()
                                on:input=move |ev| row.day.set(event_target_value(&ev))/>
                            {error(field.clone())}
                        </div>
                        <button type="button" class="button button--quiet"
                            aria-label=format!("删除：第 {n} 个调休上班日")
                            on:click=move |_| {
                                works.update(|w| w.retain(|x| x.key != key));
                                errors.set(BTreeMap::new());
                            }>
                            "删除"
                        </button>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="enter-title">
            <h2 id="enter-title">"录入新公布的年度"</h2>
            <form class="card admin-form" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="cal-year">"年份"</label>
                    <input id="cal-year" class="input input--short" type="text" inputmode="numeric"
                        aria-describedby="cal-year-error" aria-invalid=invalid("year".into())
                        prop:value=move || year.get()
                        on:input=move |ev| year.set(event_target_value(&ev))/>
                    {error("year".into())}
                </div>
                <div class="field">
                    <label class="field__label" for="cal-number">"通知文号"</label>
                    <input id="cal-number" class="input" type="text" placeholder="国办发明电〔2026〕7号"
                        aria-describedby="cal-notice_number-error" aria-invalid=invalid("notice_number".into())
                        prop:value=move || number.get()
                        on:input=move |ev| number.set(event_target_value(&ev))/>
                    {error("notice_number".into())}
                </div>
                <div class="field">
                    <label class="field__label" for="cal-title">"通知标题"</label>
                    <input id="cal-title" class="input" type="text"
                        aria-describedby="cal-notice_title-error" aria-invalid=invalid("notice_title".into())
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))/>
                    {error("notice_title".into())}
                </div>
                <h3>"放假（每个节日的放假起止日期，含调休休息日）"</h3>
                {error("holidays".into())}
                {range_rows}
                <p>
                    <button type="button" class="button" on:click=move |_| ranges.update(|r| r.push(new_range("")))>
                        "添加一项放假安排"
                    </button>
                </p>
                <h3>"调休上班"</h3>
                {move || works.with(|w| w.is_empty()).then(|| view! { <p class="hint">"没有调休上班日时可不填。"</p> })}
                {work_rows}
                <p>
                    <button type="button" class="button" on:click=move |_| {
                        let row = WorkRow { key: next_key(), day: RwSignal::new(String::new()) };
                        works.update(|w| w.push(row));
                    }>
                        "添加一个调休上班日"
                    </button>
                </p>
                <div role="alert">{move || problem.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
                <div role="status" aria-live="polite">{move || saved.get().map(|m| view! { <p class="note">{m}</p> })}</div>
                <button type="submit" class="button button--primary" disabled=move || busy.get()>
                    "检查并保存"
                </button>
            </form>
        </section>
    }
}

/// 试算办结日期: the server's answer for an acceptance day and a number of working days.
#[component]
fn TrialDue() -> impl IntoView {
    let from = RwSignal::new(browser::today_in_beijing().to_string());
    let days = RwSignal::new("20".to_string());
    let answer = RwSignal::new(None::<Result<DueDate, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let url = format!(
            "/api/calendar/due?from={}&working_days={}",
            encode(from.get_untracked().trim()),
            encode(days.get_untracked().trim())
        );
        leptos::task::spawn_local(async move {
            let due = http::get::<DueDate>(&url).await.map_err(|f| f.message);
            answer.set(Some(due));
        });
    };
    view! {
        <section class="section" aria-labelledby="trial-title">
            <h2 id="trial-title">"试算办结日期"</h2>
            <form class="card admin-form admin-form--inline" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="trial-from">"受理日期"</label>
                    <input id="trial-from" class="input" type="date" prop:value=move || from.get()
                        on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label class="field__label" for="trial-days">"承诺时限（工作日）"</label>
                    <input id="trial-days" class="input input--short" type="text" inputmode="numeric" prop:value=move || days.get()
                        on:input=move |ev| days.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button">"试算"</button>
            </form>
            <div role="status" aria-live="polite" class="trial-due">
                {move || answer.get().map(|a| match a {
                    Ok(due) => {
                        let date = Date::parse(&due.due).map_or(due.due.clone(), |d| d.chinese_long());
                        view! { <p class="due">"办结日期："<strong class="due__date">{date}</strong></p> }.into_any()
                    }
                    Err(message) => view! { <p class="due due--unknown">{message}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
