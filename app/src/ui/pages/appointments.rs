//! `/appointments/:id`: the 预约凭证 (ticket number, where and when, QR code, what to bring,
//! the reminder SMS, 取消预约), and `/appointments`: all of mine, upcoming first. Both need a
//! signed-in applicant; a signed-out visitor is sent to `/login?next=<this page>`. The QR code
//! is this page's address: staff who scan it while signed in are sent on to the window's view
//! of the booking (`/staff/appointments/:id`, which says 403 to staff of other sites).

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;
use leptos_router::NavigateOptions;

use crate::api::{Appointment, AppointmentStatus, Me};
use crate::ui::browser;
use crate::ui::components::hotline::Phone;
use crate::ui::components::status::{Loading, Problem};
use crate::ui::endpoints::catalog::qr_src;
use crate::ui::endpoints::sites as api;
use crate::ui::http::ApiFailure;
use crate::ui::pages::book::{date_words, time_words};
use crate::ui::session::{fetch_signed_in, here, known_me, login_path, Signin};

fn to_login() -> AnyView {
    let path = login_path(Signin::Applicant.path(), &here());
    view! {
        <Redirect path=path options=NavigateOptions { replace: true, ..NavigateOptions::default() }/>
    }
    .into_any()
}

fn failed(failure: ApiFailure, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    view! { <Problem failure retry/> }.into_any()
}

/// Whether an appointment is still ahead (booked, not used at the window, not in the past):
/// it can be cancelled and its reminder turned off.
fn cancellable(a: &Appointment) -> bool {
    a.status == AppointmentStatus::Booked
        && !a.checked_in
        && a.date >= browser::today_in_beijing().to_string()
}

/// 短信提醒: a checkbox, on by default, saved as soon as it changes.
#[component]
fn ReminderBox(id: String, enabled: bool) -> impl IntoView {
    let id = StoredValue::new(id);
    let enabled = RwSignal::new(enabled);
    let said = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let change = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::set_reminder(id.get_value(), wanted).await {
                Ok(updated) => {
                    let _ = enabled.try_set(updated.sms_reminder);
                    let _ = said.try_set(if updated.sms_reminder {
                        "已开启预约提醒短信".to_string()
                    } else {
                        "已关闭预约提醒短信".to_string()
                    });
                }
                Err(f) => {
                    let _ = enabled.try_set(!wanted);
                    let _ = error.try_set(Some(f.message));
                }
            }
        });
    };
    view! {
        <section class="section card" aria-labelledby="remind-title">
            <h2 id="remind-title">"短信提醒"</h2>
            <div class="option">
                <input type="checkbox" id="sms-reminder" prop:checked=move || enabled.get() on:change=change/>
                <label for="sms-reminder">"预约前一天（9:00–20:00）发短信提醒我"</label>
            </div>
            <p class="small">"短信发到预约时登录的手机号码，只含日期、时间、服务点和预约号。"</p>
            <p class="small" role="status">{move || said.get()}</p>
            <p class="field__error">{move || error.get()}</p>
        </section>
    }
}

/// 取消预约 with a confirmation step; `done` gets the cancelled appointment.
#[component]
fn CancelControl(
    id: String,
    /// Names the appointment for screen readers when several are listed.
    what: String,
    done: Callback<Appointment>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let confirm = move |_| {
        busy.set(true);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let result = api::cancel(id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(cancelled) => {
                    let _ = asking.try_set(false);
                    done.run(cancelled);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let label = format!("取消预约：{what}");
    view! {
        <div class="cancel">
            {move || {
                if asking.get() {
                    view! {
                        <div class="cancel__ask" role="group" aria-label="确认取消预约">
                            <p class="cancel__question">"确定要取消这次预约吗？取消后这个时段会让给其他人。"</p>
                            <div class="actions">
                                <button
                                    type="button"
                                    class="button button--danger"
                                    on:click=confirm
                                    disabled=move || busy.get()
                                >
                                    "确定取消"
                                </button>
                                <button type="button" class="button" on:click=move |_| asking.set(false)>
                                    "不取消"
                                </button>
                            </div>
                        </div>
                    }
                        .into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="button"
                            aria-label=label.clone()
                            on:click=move |_| {
                                error.set(None);
                                asking.set(true);
                            }
                        >
                            "取消预约"
                        </button>
                    }
                        .into_any()
                }
            }}
            <div role="alert">{move || error.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
        </div>
    }
}

/// The ticket's facts.
fn ticket_facts(a: &Appointment) -> AnyView {
    view! {
        <dl class="pairs ticket__pairs">
            <dt>"服务点"</dt>
            <dd><a href=format!("/sites/{}", a.site_code)>{a.site_name.clone()}</a></dd>
            <dt>"地址"</dt>
            <dd>{a.site_address.clone()}</dd>
            <dt>"日期"</dt>
            <dd>{date_words(&a.date)}</dd>
            <dt>"时间"</dt>
            <dd>{format!("{}–{}", time_words(&a.start), time_words(&a.end))}</dd>
            <dt>"办理事项"</dt>
            <dd><a href=format!("/items/{}", a.item_code)>{a.item_name.clone()}</a></dd>
            <dt>"业务类别"</dt>
            <dd>{a.category.clone()}</dd>
            <dt>"电话"</dt>
            <dd><Phone number=a.site_phone.clone()/></dd>
        </dl>
    }
    .into_any()
}

#[component]
pub fn TicketPage() -> impl IntoView {
    browser::set_title("预约凭证");
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    // Staff scanning the QR code get the window's view of the booking.
    let staff =
        LocalResource::new(|| async { matches!(known_me().await, Ok(Some(Me::Staff { .. }))) });
    let answer = fetch_signed_in(Signin::Applicant, move || api::appointment(id.get()));
    let current = RwSignal::new(None::<Appointment>);
    Effect::new(move |_| {
        if let Some(Ok(a)) = answer.get() {
            current.set(Some(a));
        }
    });
    let body = move || match answer.get() {
        _ if staff.get() == Some(true) => {
            let path = format!("/staff/appointments/{}", id.get());
            view! { <Redirect path options=NavigateOptions { replace: true, ..NavigateOptions::default() }/> }
                .into_any()
        }
        None => view! { <Loading/> }.into_any(),
        Some(Err(_)) if staff.get().is_none() => view! { <Loading/> }.into_any(),
        Some(Err(e)) if e.signed_out() => to_login(),
        Some(Err(e)) if e.not_found() => view! {
            <p>"没有找到这个预约。它可能不是用当前手机号预约的。"</p>
            <p class="actions"><a class="button" href="/appointments">"查看我的预约"</a></p>
        }
        .into_any(),
        Some(Err(e)) => failed(e, move || answer.refetch()),
        Some(Ok(_)) => view! { <Ticket current/> }.into_any(),
    };
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/appointments">"我的预约"</a>
        </nav>
        <h1 class="page-title">"预约凭证"</h1>
        {body}
    }
}

#[component]
fn Ticket(current: RwSignal<Option<Appointment>>) -> impl IntoView {
    let cancelled_now = RwSignal::new(false);
    let ticket = move || {
        let Some(a) = current.get() else {
            return view! { <Loading/> }.into_any();
        };
        let booked = a.status == AppointmentStatus::Booked;
        let used = booked && a.checked_in;
        let qr = qr_src(&format!("{}{}", browser::origin(), a.qr_text));
        let status_class = if booked {
            "ticket card"
        } else {
            "ticket card ticket--cancelled"
        };
        let can_cancel = cancellable(&a);
        let what = format!("{} {}", a.ticket, a.item_name);
        let guide = format!("/items/{}", a.item_code);
        let item_name = a.item_name.clone();
        let done = Callback::new(move |updated: Appointment| {
            cancelled_now.set(true);
            current.set(Some(updated));
        });
        view! {
            <div class=status_class>
                <p class="ticket__status">
                    {if used {
                        view! { <span class="badge badge--good">"已签到"</span> }.into_any()
                    } else if booked {
                        view! { <span class="badge badge--good">"已预约"</span> }.into_any()
                    } else {
                        view! { <span class="badge badge--closed">"已取消"</span> }.into_any()
                    }}
                </p>
                <p class="ticket__label">"预约号"</p>
                <p class="ticket__number">{a.ticket.clone()}</p>
                <div>{ticket_facts(&a)}</div>
                {if used {
                    view! { <p class="note">"您已在窗口签到，请留意叫号。"</p> }.into_any()
                } else if booked {
                    view! {
                        <figure class="ticket__qr">
                            <img src=qr alt="预约凭证二维码" width="200" height="200"/>
                            <figcaption>"到现场请出示此二维码或预约号，工作人员扫码核验。请提前 10 分钟到达。"</figcaption>
                        </figure>
                    }
                        .into_any()
                } else {
                    view! { <p class="note">"这个预约已取消，凭证不能再使用。需要时请重新预约。"</p> }.into_any()
                }}
            </div>
            <section class="section card" aria-labelledby="bring-title">
                <h2 id="bring-title">"需要带什么"</h2>
                <p>
                    "请按办事指南准备“" {item_name} "”的材料，带上本人身份证原件。"
                </p>
                <p><a class="button" href=guide>"查看办事指南和材料清单"</a></p>
            </section>
            {can_cancel.then(|| view! { <ReminderBox id=a.id.clone() enabled=a.sms_reminder/> })}
            {can_cancel.then(|| view! { <CancelControl id=a.id.clone() what done/> })}
            <p class="actions">
                <a class="button button--quiet" href="/appointments">"查看我的全部预约"</a>
                {(!booked).then(|| {
                    view! {
                        <a class="button button--primary" href=format!("/sites/{}/book?item={}", a.site_code, a.item_code)>
                            "重新预约"
                        </a>
                    }
                })}
            </p>
        }
        .into_any()
    };
    view! {
        <p class="visually-hidden" role="status">
            {move || if cancelled_now.get() { "预约已取消" } else { "" }}
        </p>
        {ticket}
    }
}

#[component]
pub fn AppointmentsPage() -> impl IntoView {
    browser::set_title("我的预约");
    let answer = fetch_signed_in(Signin::Applicant, api::my_appointments);
    let list = RwSignal::new(Vec::<Appointment>::new());
    Effect::new(move |_| {
        if let Some(Ok(mine)) = answer.get() {
            list.set(mine.appointments);
        }
    });
    let cards = move || {
        let items = list.get();
        if items.is_empty() {
            return view! {
                <div class="empty">
                    <p>"您还没有预约。"</p>
                    <p><a class="button button--primary" href="/map">"找服务点预约"</a></p>
                </div>
            }
            .into_any();
        }
        let cards = items
            .into_iter()
            .map(|a| {
                let booked = a.status == AppointmentStatus::Booked;
                let can_cancel = cancellable(&a);
                let what = format!("{} {}", a.ticket, a.item_name);
                let id = a.id.clone();
                let done = Callback::new(move |updated: Appointment| {
                    list.update(|l| {
                        if let Some(x) = l.iter_mut().find(|x| x.id == updated.id) {
                            *x = updated;
                        }
                    });
                });
                view! {
                    <li class="card appt">
                        <h2 class="appt__title">
                            <a href=format!("/appointments/{id}")>{a.item_name.clone()}</a>
                        </h2>
                        <p class="appt__meta">
                            {if booked {
                                view! { <span class="badge badge--good">"已预约"</span> }.into_any()
                            } else {
                                view! { <span class="badge badge--closed">"已取消"</span> }.into_any()
                            }}
                            " 预约号 " <strong class="nowrap">{a.ticket.clone()}</strong>
                        </p>
                        <p class="appt__when">
                            {format!("{} {}–{}", date_words(&a.date), time_words(&a.start), time_words(&a.end))}
                        </p>
                        <p>{a.site_name.clone()}</p>
                        <p>
                            <a class="button" href=format!("/appointments/{id}")>
                                {if booked { "查看预约凭证" } else { "查看详情" }}
                            </a>
                        </p>
                        {can_cancel.then(|| view! { <CancelControl id=id.clone() what done/> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="appts">{cards}</ul> }.into_any()
    };
    let body = move || match answer.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) if e.signed_out() => to_login(),
        Some(Err(e)) => failed(e, move || answer.refetch()),
        Some(Ok(_)) => cards.into_any(),
    };
    view! {
        <h1 class="page-title">"我的预约"</h1>
        <p class="lead">"即将到来的预约排在最前面。"</p>
        {body}
    }
}
