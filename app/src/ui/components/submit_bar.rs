//! 提交申请 / 重新提交: saves what is still unsaved, then submits with an `Idempotency-Key`
//! that is made once per attempt and reused by a double tap or a retry after a network
//! failure, so one application is never filed twice. Every problem the server names is shown
//! at its field or material, listed above the button, and the first one gets the focus.
//!
//! While it is under way the button says so and is marked `aria-disabled` (not `disabled`, so
//! that the focus stays on it), and a polite live region tells screen readers.

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::ui::components::case_form::{focus_first_error, Draft};
use crate::ui::endpoints::cases as endpoints;
use crate::ui::http;

/// `T` is the submission's answer: `Submitted` for a case, `BundleSubmitted` for a 一件事.
#[component]
pub fn SubmitBar<T>(
    /// The application's API address; submitting is `POST {base}/submit`.
    base: String,
    /// The form being edited on this page, saved before submitting.
    draft: Option<Draft>,
    errors: RwSignal<BTreeMap<String, String>>,
    label: &'static str,
    /// Called with the answer.
    on_done: Callback<T>,
) -> impl IntoView
where
    T: DeserializeOwned + 'static,
{
    let key = StoredValue::new(None::<String>);
    let pending = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    // The list of problems appears after a refused submission, not while typing.
    let tried = RwSignal::new(false);
    let base = StoredValue::new(base);
    let submit = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            if let Some(draft) = draft {
                if let Err(failure) = draft.flush().await {
                    message.set(Some(format!("保存失败，未提交：{}", failure.message)));
                    pending.set(false);
                    return;
                }
            }
            let attempt = key.get_value().unwrap_or_else(http::new_key);
            key.set_value(Some(attempt.clone()));
            match endpoints::submit::<T>(&base.get_value(), &attempt).await {
                Ok(answer) => {
                    key.set_value(None);
                    errors.set(BTreeMap::new());
                    on_done.run(answer);
                }
                Err(failure) => {
                    // Only a lost answer may mean it went through: keep the key for the retry.
                    if failure.status != 0 && failure.status < 500 {
                        key.set_value(None);
                    }
                    tried.set(true);
                    if !failure.fields.is_empty() {
                        errors.set(failure.fields.clone());
                        focus_first_error();
                    }
                    message.set(Some(failure.message));
                }
            }
            pending.set(false);
        });
    };
    let summary = move || {
        let problems = if tried.get() {
            errors.get()
        } else {
            BTreeMap::new()
        };
        let text = message.get();
        if problems.is_empty() && text.is_none() {
            return None;
        }
        let items = problems
            .into_iter()
            .map(|(k, m)| {
                let anchor = match k.strip_prefix("material:") {
                    Some(mid) => format!("#m-{mid}"),
                    None => format!("#f-{k}"),
                };
                view! { <li><a href=anchor>{m}</a></li> }
            })
            .collect_view();
        Some(view! {
            <div class="problem" role="alert">
                <p>{text.unwrap_or_else(|| "请先更正标红的内容".into())}</p>
                <ul>{items}</ul>
            </div>
        })
    };
    view! {
        {summary}
        <button
            type="button"
            class="button button--primary button--wide"
            aria-disabled=move || pending.get().then_some("true")
            on:click=submit
        >
            {move || if pending.get() { "正在提交…" } else { label }}
        </button>
        <p class="visually-hidden" role="status">
            {move || pending.get().then_some("正在提交，请稍候…")}
        </p>
    }
}
