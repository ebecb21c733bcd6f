//! `/track?number=…`: progress of a case without signing in — 受理编号 and the last four digits
//! of the applicant's mobile; personal data masked. The QR code on a receipt opens this page
//! with the number filled in.
//!
//! A found result survives a reload without the phone digits in the address: the number goes
//! into the URL (`?number=`), the last four digits into `sessionStorage` (this tab only, beside
//! that number), and on arrival with both the page asks again.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::TrackResult;
use crate::ui::browser;
use crate::ui::components::bundle_progress::bundle_status_class;
use crate::ui::components::case_view::{date_words, pair, status_class, timeline};
use crate::ui::endpoints::cases as endpoints;
use crate::ui::http::encode;

/// `sessionStorage` key of the last lookup that found something: `number` and the last four
/// digits, on two lines.
const LAST_LOOKUP: &str = "track.last";

/// The last four digits stored beside `number`, if the last lookup in this tab was for it.
fn stored_phone4(number: &str) -> Option<String> {
    let saved = browser::session_load(LAST_LOOKUP)?;
    let (n, p) = saved.split_once('\n')?;
    (n == number && !number.is_empty()).then(|| p.to_string())
}

/// What was found: status, masked applicant, each member of a 一件事, every step.
fn result_view(t: &TrackResult) -> impl IntoView {
    let status = match t.bundle_status {
        Some(b) => view! { <span class=bundle_status_class(b)>{b.label()}</span> },
        None => view! { <span class=status_class(t.status)>{t.status.label()}</span> },
    };
    let due = t
        .due_date
        .as_ref()
        .map(|due| pair("承诺办结日期", date_words(due)));
    let members = (!t.members.is_empty()).then(|| {
        let items = t
            .members
            .iter()
            .map(|m| {
                let state = if m.waiting {
                    view! { <span class="status status--quiet">"等待前序事项"</span> }
                } else {
                    view! { <span class=status_class(m.status)>{m.status.label()}</span> }
                };
                view! {
                    <li class="bundle-member">
                        <p class="bundle-member__name">{m.item_name.clone()} " " {state}</p>
                        <dl class="pairs">
                            {pair("办理部门", m.department.clone())}
                            {m.number.clone().map(|n| pair("受理编号", n))}
                            {m.due_date.as_ref().map(|due| pair("承诺办结", date_words(due)))}
                        </dl>
                    </li>
                }
            })
            .collect_view();
        view! {
            <h3>"各事项进度"</h3>
            <ol class="bundle-members">{items}</ol>
        }
    });
    view! {
        <section class="section card" aria-labelledby="tr-title">
            <h2 id="tr-title">{t.item_name.clone()}</h2>
            <p>{status}</p>
            <dl class="pairs">
                {pair("受理编号", t.number.clone())}
                {pair("申请人", t.applicant.clone())}
                {pair("办理部门", t.department.clone())}
                {due}
            </dl>
            {members}
            <h3>"办理过程"</h3>
            {timeline(&t.timeline)}
        </section>
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    browser::set_title("办件进度查询");
    let query = use_query_map();
    let number = RwSignal::new(
        query
            .with_untracked(|q| q.get("number"))
            .unwrap_or_default(),
    );
    let restored = stored_phone4(number.get_untracked().trim());
    let phone4 = RwSignal::new(restored.clone().unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let phone_error = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<TrackResult>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    // Asks the server; a found result is kept for a reload (number in the URL, digits in this
    // tab's storage).
    let lookup = move |n: String, p: String| {
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match endpoints::track(&n, &p).await {
                Ok(found) => {
                    result.set(Some(found));
                    browser::session_store(LAST_LOOKUP, Some(&format!("{n}\n{p}")));
                    // Same page, no history entry, and the result stays in view.
                    let options = NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..NavigateOptions::default()
                    };
                    navigate(&format!("/track?number={}", encode(&n)), options);
                }
                Err(f) => {
                    result.set(None);
                    error.set(Some(f.message));
                }
            }
            busy.set(false);
        });
    };
    if let Some(p) = restored {
        lookup(number.get_untracked().trim().to_string(), p);
    }
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The button is `aria-disabled` while busy (the focus stays on it): ignore it here.
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        let n = number.get_untracked().trim().to_string();
        // Full-width digits and spaces are folded as the server folds them.
        let p = crate::rules::normalize_number(&phone4.get_untracked());
        phone_error.set(
            (p.len() != 4 || !p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| "请输入4位数字".to_string()),
        );
        if n.is_empty() {
            error.set(Some("请填写受理编号".into()));
        }
        if n.is_empty() || phone_error.get_untracked().is_some() {
            result.set(None);
            return;
        }
        lookup(n, p);
    };
    view! {
        <div class="narrow">
            <h1 class="page-title">"办件进度查询"</h1>
            <p class="hint">"输入受理编号和申请时所用手机号的后四位，无需登录。"</p>
            <form class="card" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="track-number">"受理编号"</label>
                    <p class="field__help" id="track-number-help">"例如 SFQ-20261125-0007，在提交成功页面和短信中可以找到；“一件事”用它的受理编号，可一次查看全部事项"</p>
                    <input
                        id="track-number"
                        class="input"
                        type="text"
                        autocomplete="off"
                        autocapitalize="characters"
                        aria-describedby="track-number-help"
                        prop:value=number.get_untracked()
                        on:input=move |ev| number.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label class="field__label" for="track-phone4">"手机号后四位"</label>
                    <input
                        id="track-phone4"
                        class="input input--short"
                        type="text"
                        inputmode="numeric"
                        maxlength="4"
                        autocomplete="off"
                        aria-describedby="track-phone4-error"
                        aria-invalid=move || phone_error.get().map(|_| "true")
                        prop:value=phone4.get_untracked()
                        on:input=move |ev| phone4.set(event_target_value(&ev))
                    />
                    <p class="field__error" id="track-phone4-error">{move || phone_error.get()}</p>
                </div>
                <div role="alert">{move || error.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
                <button
                    type="submit"
                    class="button button--primary button--wide"
                    aria-disabled=move || busy.get().then_some("true")
                >
                    "查询"
                </button>
            </form>
            <div aria-live="polite">{move || result.with(|r| r.as_ref().map(result_view))}</div>
        </div>
    }
}
