//! 预约 at the window, for the staff of a site: `/staff/appointments/:id` (where the ticket's QR
//! code leads a signed-in member of staff: who booked, what, when, 已到/未到/待到 and 签到) and
//! `/staff/bookings?date=` (the site's bookings of a day with the counts and 签到 in each row).
//! Staff of another site and applicants get the server's 403 sentence.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{AppointmentStatus, DeskBooking, DeskDay};
use crate::rules::date::Date;
use crate::ui::browser;
use crate::ui::components::status::{Loading, Problem};
use crate::ui::endpoints::desk as api;
use crate::ui::http::{encode, ApiFailure};
use crate::ui::pages::book::{date_words, time_words};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, here, login_path, refresh, replace, Signin};

/// The badge of a booking's state: 已到, 未到, 待到 or 已取消.
fn state_badge(b: &DeskBooking) -> AnyView {
    use crate::api::Attendance;
    let (class, text) = match (b.status, b.attendance) {
        (AppointmentStatus::Cancelled, _) | (_, None) => ("badge badge--closed", "已取消"),
        (_, Some(Attendance::Arrived)) => ("badge badge--good", "已到"),
        (_, Some(Attendance::Missed)) => ("badge badge--need", "未到"),
        (_, Some(Attendance::Expected)) => ("badge badge--draft", "待到"),
    };
    view! { <span class=class>{text}</span> }.into_any()
}

fn when(b: &DeskBooking) -> String {
    format!(
        "{} {}–{}",
        date_words(&b.date),
        time_words(&b.start),
        time_words(&b.end)
    )
}

fn checked_words(b: &DeskBooking) -> Option<String> {
    let at = b.checked_in_at.clone()?;
    Some(match &b.checked_in_by {
        Some(by) => format!("{at} 由{by}签到"),
        None => format!("{at} 签到"),
    })
}

/// 签到 for one booking; `done` gets the booking as the server now has it.
#[component]
fn CheckIn(
    id: String,
    /// Names the person for screen readers when several are listed, e.g. the 预约号.
    what: String,
    done: Callback<DeskBooking>,
) -> impl IntoView {
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let press = move |_| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::check_in(id.get_value()).await;
            let _ = busy.try_set(false);
            match result {
                Ok(b) => done.run(b),
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    view! {
        <div class="check-in">
            <button
                type="button"
                class="button button--primary"
                aria-label=format!("签到：{what}")
                on:click=press
                disabled=move || busy.get()
            >
                {move || if busy.get() { "正在签到…" } else { "签到" }}
            </button>
            <div role="alert">{move || error.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
        </div>
    }
}

/// What a failed load shows: the staff sign-in (which comes back here) for a 401; a refusal
/// (403) or a missing booking as the server says it; anything else with a retry button.
fn failed(failure: ApiFailure, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    if failure.signed_out() {
        refresh();
        let path = login_path(Signin::Staff.path(), &here());
        return view! { <Redirect path options=replace()/> }.into_any();
    }
    if failure.status == 403 || failure.not_found() {
        return view! {
            <div class="problem" role="alert"><p>{failure.message}</p></div>
            <p class="actions"><a class="button" href="/staff/bookings">"查看本服务点今天的预约"</a></p>
        }
        .into_any();
    }
    view! { <Problem failure retry/> }.into_any()
}

#[component]
pub fn DeskTicketPage() -> impl IntoView {
    browser::set_title("预约核验");
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let answer = fetch_signed_in(Signin::Staff, move || api::booking(id.get()));
    let current = RwSignal::new(None::<DeskBooking>);
    let said = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(b)) = answer.get() {
            current.set(Some(b));
        }
    });
    let body = move || match answer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(_)) => view! { <DeskTicket current said/> }.into_any(),
        Some(Err(e)) => failed(e, move || answer.refetch()),
    };
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
            <span aria-hidden="true">" › "</span>
            <a href="/staff/bookings">"预约签到"</a>
        </nav>
        <h1 class="page-title">"预约核验"</h1>
        {staff_line()}
        <p class="visually-hidden" role="status">{move || said.get()}</p>
        {body}
    }
}

#[component]
fn DeskTicket(current: RwSignal<Option<DeskBooking>>, said: RwSignal<String>) -> impl IntoView {
    let done = Callback::new(move |b: DeskBooking| {
        said.set(format!("{} 已签到", b.ticket));
        current.set(Some(b));
    });
    move || {
        let Some(b) = current.get() else {
            return view! { <Loading/> }.into_any();
        };
        let checked = checked_words(&b);
        let company = b
            .company
            .clone()
            .map(|c| view! { <dt>"企业"</dt><dd>{c}</dd> });
        let action = if b.can_check_in {
            view! { <CheckIn id=b.id.clone() what=b.ticket.clone() done/> }.into_any()
        } else {
            let note = b.note.clone().map(|n| view! { <p class="note">{n}</p> });
            view! { {note} }.into_any()
        };
        let day = format!("/staff/bookings?date={}", encode(&b.date));
        view! {
            <div class="card desk-ticket">
                <p class="ticket__status">{state_badge(&b)}</p>
                <p class="ticket__label">"预约号"</p>
                <p class="ticket__number">{b.ticket.clone()}</p>
                <dl class="pairs">
                    <dt>"预约人手机"</dt>
                    <dd>{b.phone.clone()}</dd>
                    {company}
                    <dt>"办理事项"</dt>
                    <dd>{b.item_name.clone()}</dd>
                    <dt>"业务类别"</dt>
                    <dd>{b.category.clone()}</dd>
                    <dt>"时间"</dt>
                    <dd>{when(&b)}</dd>
                    <dt>"服务点"</dt>
                    <dd>{b.site_name.clone()}</dd>
                    {checked.map(|c| view! { <dt>"签到"</dt><dd>{c}</dd> })}
                </dl>
                <p class="small">"请核对来人身份证件与预约手机号。"</p>
                {action}
            </div>
            <p class="actions"><a class="button" href=day>"查看当天全部预约"</a></p>
        }
        .into_any()
    }
}

#[component]
pub fn DeskDayPage() -> impl IntoView {
    browser::set_title("预约签到");
    let query = use_query_map();
    let date = Memo::new(move |_| query.with(|q| q.get("date")).unwrap_or_default());
    let answer = fetch_signed_in(Signin::Staff, move || api::day(date.get()));
    let day = RwSignal::new(None::<DeskDay>);
    let said = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(d)) = answer.get() {
            day.set(Some(d));
        }
    });
    let body = move || match answer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(_)) => view! { <DayList day said/> }.into_any(),
        Some(Err(e)) => failed(e, move || answer.refetch()),
    };
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
        </nav>
        <h1 class="page-title">"预约签到"</h1>
        {staff_line()}
        <p class="visually-hidden" role="status">{move || said.get()}</p>
        {body}
    }
}

/// The date switch: 前一天, a date field, 后一天, 今天.
#[component]
fn DateSwitch(date: Date, today: Date) -> impl IntoView {
    let navigate = use_navigate();
    let go = StoredValue::new(move |d: Date| {
        navigate(
            &format!("/staff/bookings?date={d}"),
            NavigateOptions::default(),
        )
    });
    let on_date = move |ev: leptos::ev::Event| {
        if let Some(d) = Date::parse(&event_target_value(&ev)) {
            go.with_value(|go| go(d));
        }
    };
    view! {
        <div class="desk-dates" role="group" aria-label="选择日期">
            <a class="button" href=format!("/staff/bookings?date={}", date.add_days(-1))>"前一天"</a>
            <label class="visually-hidden" for="desk-date">"日期"</label>
            <input id="desk-date" class="input" type="date" value=date.to_string() on:change=on_date/>
            <a class="button" href=format!("/staff/bookings?date={}", date.succ())>"后一天"</a>
            {(date != today).then(|| view! { <a class="button button--quiet" href="/staff/bookings">"回到今天"</a> })}
        </div>
    }
}

#[component]
fn DayList(day: RwSignal<Option<DeskDay>>, said: RwSignal<String>) -> impl IntoView {
    let done = Callback::new(move |b: DeskBooking| {
        said.set(format!("{} 已签到", b.ticket));
        day.update(|d| {
            if let Some(d) = d {
                if let Some(x) = d.bookings.iter_mut().find(|x| x.id == b.id) {
                    if x.attendance == Some(crate::api::Attendance::Expected) {
                        d.expected = d.expected.saturating_sub(1);
                    } else if x.attendance == Some(crate::api::Attendance::Missed) {
                        d.missed = d.missed.saturating_sub(1);
                    }
                    if x.attendance != Some(crate::api::Attendance::Arrived) {
                        d.arrived += 1;
                    }
                    *x = b;
                }
            }
        });
    });
    move || {
        let Some(d) = day.get() else {
            return view! { <Loading/> }.into_any();
        };
        let (Some(date), Some(today)) = (Date::parse(&d.date), Date::parse(&d.today)) else {
            return view! { <Loading/> }.into_any();
        };
        let title = if date == today {
            format!("今天 {}", date_words(&d.date))
        } else {
            date_words(&d.date)
        };
        let rows = d
            .bookings
            .iter()
            .map(|b| {
                let action = if b.can_check_in {
                    view! { <CheckIn id=b.id.clone() what=format!("{} {}", b.ticket, b.phone) done/> }
                        .into_any()
                } else {
                    let words = checked_words(b).map(|c| view! { <span class="small">{c}</span> });
                    view! { {words} }.into_any()
                };
                let company = b.company.clone().map(|c| view! { <br/><span class="small">{c}</span> });
                view! {
                    <tr>
                        <td data-label="时间">{format!("{}–{}", time_words(&b.start), time_words(&b.end))}</td>
                        <td data-label="预约号">
                            <a href=format!("/staff/appointments/{}", encode(&b.id))>{b.ticket.clone()}</a>
                        </td>
                        <td data-label="事项">{b.item_name.clone()}</td>
                        <td data-label="预约人手机">{b.phone.clone()}{company}</td>
                        <td data-label="状态">{state_badge(b)}</td>
                        <td data-label="签到">{action}</td>
                    </tr>
                }
            })
            .collect_view();
        let list = if d.bookings.is_empty() {
            view! { <p class="empty">"这一天没有预约。"</p> }.into_any()
        } else {
            view! {
                <table class="queue desk-day">
                    <caption class="visually-hidden">{format!("{}{}的预约", d.site_name, title)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"时间"</th>
                            <th scope="col">"预约号"</th>
                            <th scope="col">"事项"</th>
                            <th scope="col">"预约人手机"</th>
                            <th scope="col">"状态"</th>
                            <th scope="col">"签到"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        };
        view! {
            <p class="lead">{d.site_name.clone()}</p>
            <DateSwitch date today/>
            <h2 class="desk-day__title">{title}</h2>
            <ul class="desk-counts" aria-label="到场情况">
                <li>"已到 "<strong>{d.arrived}</strong></li>
                <li>"未到 "<strong>{d.missed}</strong></li>
                <li>"待到 "<strong>{d.expected}</strong></li>
                {(d.cancelled > 0).then(|| view! { <li>"已取消 "<strong>{d.cancelled}</strong></li> })}
            </ul>
            {list}
        }
        .into_any()
    }
}
