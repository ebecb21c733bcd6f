//! `/sites/:code/book?item=&date=&slot=`: 预约 — the item, a day of the next two weeks, a half
//! hour with seats left, then 确认预约. Anyone can look at the free times; booking needs a
//! signed-in applicant, who is sent to `/login?next=…` and comes back to the same choice at the
//! confirm step (`&step=confirm`: only the summary and 确认预约, with a way back to change it).
//! The items offered are those [`bookable`] here, the rule the guide and the server use.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{ItemSummary, NewAppointment, SiteDetail, SlotList};
use crate::rules::appointment::bookable;
use crate::rules::date::Date;
use crate::ui::browser;
use crate::ui::components::status::{fetch, show, Loading};
use crate::ui::endpoints::sites as api;
use crate::ui::http::encode;
use crate::ui::pages::not_found::NotFoundText;
use crate::ui::session::login_path;

/// How many days ahead can be booked (from tomorrow), as the server's booking window.
const DAYS_AHEAD: i32 = 14;

fn missing_site() -> AnyView {
    browser::set_title("没有找到这个服务点");
    view! { <NotFoundText what="服务点"/> }.into_any()
}

#[component]
pub fn BookPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let detail = fetch(move || api::site(code.get()));
    show(detail, Some(missing_site), |detail| {
        view! { <Booking detail/> }.into_any()
    })
}

/// `10月8日 周四`.
pub fn day_label(date: Date) -> String {
    format!("{} {}", date.chinese_short(), date.weekday().chinese())
}

/// `2026-10-08` → `10月8日 周四` (the text as is when it is not a date).
pub fn date_words(text: &str) -> String {
    Date::parse(text).map_or_else(|| text.to_string(), day_label)
}

/// `09:00` → `9:00`.
pub fn time_words(time: &str) -> String {
    time.strip_prefix('0')
        .filter(|_| time.len() == 5)
        .unwrap_or(time)
        .to_string()
}

fn item_options(items: &[ItemSummary], chosen: &str) -> AnyView {
    let options = items
        .iter()
        .map(|item| {
            view! {
                <option value=item.code.clone() selected={item.code == chosen}>
                    {item.name.clone()}
                </option>
            }
        })
        .collect_view();
    view! {
        <option value="">"请选择要办的事"</option>
        {options}
    }
    .into_any()
}

#[component]
fn Booking(detail: SiteDetail) -> impl IntoView {
    let SiteDetail {
        site,
        items,
        appointment_categories,
        ..
    } = detail;
    let title = format!("预约办理 - {}", site.name);
    browser::set_title(&title);
    let site_code = site.code.clone();
    let site_name = site.name.clone();
    let back = format!("/sites/{}", site.code);
    if appointment_categories.is_empty() {
        return view! {
            <h1 class="page-title">"预约办理"</h1>
            <p class="lead">{site_name}</p>
            <p class="note">"这里无需预约，可在办公时间直接前往办理。"</p>
            <p class="actions"><a class="button" href=back>"返回服务点"</a></p>
        }
        .into_any();
    }

    let query = use_query_map();
    let from_query = |key: &str| query.with_untracked(|q| q.get(key)).unwrap_or_default();
    let (items, walk_in): (Vec<ItemSummary>, Vec<ItemSummary>) = items
        .into_iter()
        .partition(|i| bookable(i.appointment, site.level));
    // Asked for an item handled here that needs no appointment: say so instead of a blank choice.
    let walk_in_note = walk_in
        .iter()
        .find(|i| i.code == from_query("item"))
        .map(|i| {
            view! {
                <p class="note" role="status">
                    {format!("“{}”无需预约，可在办公时间直接前往办理。", i.name)}
                </p>
            }
        });
    let first_item = Some(from_query("item")).filter(|c| items.iter().any(|i| i.code == *c));
    let item = RwSignal::new(first_item.unwrap_or_default());
    let today = browser::today_in_beijing();
    let days: Vec<Date> = (1..=DAYS_AHEAD).map(|n| today.add_days(n)).collect();
    let first_date = Date::parse(&from_query("date")).filter(|d| days.contains(d));
    let date = RwSignal::new(first_date);
    let slot = RwSignal::new(Some(from_query("slot")).filter(|s| !s.is_empty()));
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Back from signing in with the whole choice made: show the confirm step only.
    let confirming = RwSignal::new(
        from_query("step") == "confirm"
            && !item.get_untracked().is_empty()
            && slot.get_untracked().is_some(),
    );
    let items = StoredValue::new(items);

    // Rest days of the window and why (周六, 国庆节 …), from the shared holiday calendar.
    let rest = LocalResource::new(move || api::rest_days(today.to_string(), DAYS_AHEAD as u32));
    let signed_in = LocalResource::new(api::signed_in);
    // `None` until both an item and a date are chosen.
    let slots = {
        let site_code = site_code.clone();
        fetch(move || {
            let (code, item, date) = (site_code.clone(), item.get(), date.get());
            async move {
                match date {
                    Some(date) if !item.is_empty() => {
                        api::slots(code, date.to_string(), item).await.map(Some)
                    }
                    _ => Ok(None::<SlotList>),
                }
            }
        })
    };

    // The chosen half hour filled up while the person was signing in: back to choosing.
    Effect::new(move |_| {
        if !confirming.get() {
            return;
        }
        if let Some(Ok(Some(list))) = slots.get() {
            let wanted = slot.get_untracked();
            let free = list
                .slots
                .iter()
                .any(|s| Some(&s.id) == wanted.as_ref() && s.remaining > 0);
            if !free {
                confirming.set(false);
                slot.set(None);
                message.set(Some("很抱歉，您选的时段已约满，请重新选择时段。".into()));
            }
        }
    });

    let on_item = move |ev: leptos::ev::Event| {
        item.set(event_target_value(&ev));
        slot.set(None);
        message.set(None);
    };
    let day_tiles = move || {
        let rest = rest.get().unwrap_or_default();
        days.iter()
            .map(|&d| {
                let key = d.to_string();
                let why = rest
                    .iter()
                    .find(|day| day.date == key)
                    .map(|day| day.reason.clone());
                let id = format!("day-{key}");
                let label = day_label(d);
                // A weekend says only 休息 (the weekday is already shown); a holiday says which.
                let sub = why.clone().map(|r| {
                    if r.starts_with('周') {
                        "休息".to_string()
                    } else {
                        format!("{r}休息")
                    }
                });
                let closed = why.is_some();
                view! {
                    <li class="tile">
                        <input
                            type="radio"
                            name="day"
                            id=id.clone()
                            value=key
                            disabled=closed
                            prop:checked=move || date.get() == Some(d)
                            on:change=move |_| {
                                date.set(Some(d));
                                slot.set(None);
                                message.set(None);
                            }
                        />
                        <label for=id>
                            <span class="tile__main">{label}</span>
                            {sub.map(|s| view! { <span class="tile__sub">{s}</span> })}
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    let slot_tiles = move || match slots.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => {
            view! { <p class="problem" role="alert">{failure.message}</p> }.into_any()
        }
        Some(Ok(None)) => {
            let hint = if item.with(String::is_empty) {
                "请先选择要办的事。"
            } else {
                "请先选择日期。"
            };
            view! { <p class="hint">{hint}</p> }.into_any()
        }
        Some(Ok(Some(SlotList {
            slots, note, day, ..
        }))) => {
            if slots.is_empty() {
                let why = note.unwrap_or_else(|| format!("{day}没有可预约的时段"));
                return view! { <p class="note">{why}</p> }.into_any();
            }
            let all_full = slots.iter().all(|s| s.remaining == 0);
            let tiles = slots
                .into_iter()
                .map(|s| {
                    let id = format!("slot-{}", s.id);
                    let full = s.remaining == 0;
                    let sub = if full {
                        "已约满".to_string()
                    } else {
                        format!("余 {} 个", s.remaining)
                    };
                    let label = format!("{}–{}", time_words(&s.start), time_words(&s.end));
                    let slot_id = s.id.clone();
                    let checked_id = s.id.clone();
                    view! {
                        <li class="tile">
                            <input
                                type="radio"
                                name="slot"
                                id=id.clone()
                                value=s.id
                                disabled=full
                                prop:checked=move || slot.with(|x| x.as_deref() == Some(checked_id.as_str()))
                                on:change=move |_| {
                                    slot.set(Some(slot_id.clone()));
                                    message.set(None);
                                }
                            />
                            <label for=id>
                                <span class="tile__main">{label}</span>
                                <span class="tile__sub">{sub}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                {all_full.then(|| view! { <p class="note">"这一天已约满，请选择其他日期。"</p> })}
                <ul class="tiles tiles--slots">{tiles}</ul>
            }
            .into_any()
        }
    };

    // The chosen slot's words, for the summary.
    let chosen_words = move || {
        let id = slot.get()?;
        let list = slots.get()?.ok()??;
        let s = list.slots.into_iter().find(|s| s.id == id)?;
        Some(format!(
            "{} {}–{}",
            date_words(&s.date),
            time_words(&s.start),
            time_words(&s.end)
        ))
    };
    let item_name = move || {
        item.with(|code| {
            items.with_value(|l| l.iter().find(|i| i.code == *code).map(|i| i.name.clone()))
        })
    };

    let navigate = use_navigate();
    let confirm = {
        let site_code = site_code.clone();
        move |_| {
            let (Some(slot_id), code) = (slot.get_untracked(), item.get_untracked()) else {
                message.set(Some("请先选择日期和时段。".into()));
                return;
            };
            if code.is_empty() {
                message.set(Some("请先选择要办的事。".into()));
                return;
            }
            busy.set(true);
            message.set(None);
            let navigate = navigate.clone();
            let next = format!(
                "/sites/{}/book?item={}&date={}&slot={}&step=confirm",
                site_code,
                encode(&code),
                date.get_untracked()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                encode(&slot_id)
            );
            leptos::task::spawn_local(async move {
                let body = NewAppointment {
                    slot_id,
                    item_code: code,
                };
                let result = api::book(&body).await;
                let _ = busy.try_set(false);
                match result {
                    Ok(a) => {
                        navigate(
                            &format!("/appointments/{}", a.id),
                            NavigateOptions::default(),
                        );
                    }
                    Err(e) if e.signed_out() => {
                        navigate(&login_path("/login", &next), NavigateOptions::default());
                    }
                    Err(e) => {
                        let text = match e.status {
                            409 if e.message.contains("约满") => {
                                "很抱歉，这个时段刚刚约满了，请选择其他时段。".to_string()
                            }
                            409 if e.message.contains("已预约") => format!(
                                "您这一天已经预约过这件事了，不能重复预约。如需改时间，请先到“我的预约”取消原来的预约。（{}）",
                                e.message
                            ),
                            _ => e.message,
                        };
                        let _ = message.try_set(Some(text));
                        let _ = slot.try_set(None);
                        slots.refetch();
                    }
                }
            });
        }
    };

    let login_note = move || {
        (signed_in.get().flatten() == Some(false)).then(|| {
            view! {
                <p class="note">
                    "预约需要登录。选好时间后点“确认预约”，会先请您用手机号和短信验证码登录，登录后回到这里。"
                </p>
            }
        })
    };

    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/map">"政务服务地图"</a>
            <span aria-hidden="true">" › "</span>
            <a href=back>{site_name.clone()}</a>
        </nav>
        <h1 class="page-title">"预约办理"</h1>
        <p class="lead">{site_name.clone()}</p>
        {walk_in_note}
        {move || (!confirming.get()).then(login_note)}
        {move || {
            confirming
                .get()
                .then(|| {
                    view! { <p class="note">"您已登录。请核对下面的预约信息，无误后点“确认预约”。"</p> }
                })
        }}
        <form class="booking" on:submit=|ev| ev.prevent_default()>
            <section class="section card" aria-labelledby="b-item" hidden=move || confirming.get()>
                <h2 id="b-item">"1. 要办的事"</h2>
                <label class="field__label" for="book-item">"办理事项"</label>
                <select id="book-item" class="input" on:change=on_item>
                    {items.with_value(|l| item_options(l, &item.get_untracked()))}
                </select>
            </section>
            <fieldset class="section card" hidden=move || confirming.get()>
                <legend>"2. 选择日期"</legend>
                <p class="hint">"可预约明天起 14 天内的工作日。"</p>
                <ul class="tiles">{day_tiles}</ul>
            </fieldset>
            <fieldset class="section card" hidden=move || confirming.get()>
                <legend>"3. 选择时段"</legend>
                {slot_tiles}
            </fieldset>
            <section class="section card booking__confirm" aria-labelledby="b-confirm">
                <h2 id="b-confirm">{move || if confirming.get() { "确认预约" } else { "4. 确认" }}</h2>
                <dl class="pairs">
                    <dt>"服务点"</dt>
                    <dd>{site_name}</dd>
                    <dt>"事项"</dt>
                    <dd>{move || item_name().unwrap_or_else(|| "未选择".into())}</dd>
                    <dt>"时间"</dt>
                    <dd>{move || chosen_words().unwrap_or_else(|| "未选择".into())}</dd>
                </dl>
                <div role="alert" class="booking__message">
                    {move || message.get().map(|m| view! { <p class="problem">{m}</p> })}
                </div>
                <button
                    type="button"
                    class="button button--primary button--wide"
                    on:click=confirm
                    disabled=move || busy.get()
                >
                    {move || if busy.get() { "正在提交…" } else { "确认预约" }}
                </button>
                {move || {
                    confirming
                        .get()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button button--wide"
                                    on:click=move |_| confirming.set(false)
                                >
                                    "修改事项、日期或时段"
                                </button>
                            }
                        })
                }}
            </section>
        </form>
    }
    .into_any()
}
