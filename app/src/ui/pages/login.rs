//! `/login?next=…`: sign in with a mobile number and an SMS code, as a person (个人) or for a
//! business (法人, with its 统一社会信用代码); then back to `next`.
//!
//! For screen readers: a refused code is an alert at the code field, the other fields' errors
//! are polite live regions, and the buttons' state changes (sending, the 获取验证码 countdown
//! starting and ending, signing in) are told in a polite status line. Busy buttons are
//! `aria-disabled` rather than `disabled`, so the focus stays on the button that was used.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{OtpLogin, OtpRequest};
use crate::rules::phone::validate_mobile;
use crate::rules::uscc::validate_uscc;
use crate::ui::browser;
use crate::ui::endpoints::cases as endpoints;
use crate::ui::http::ApiFailure;
use crate::ui::session::{replace, safe_next, set_me};

type Errors = RwSignal<BTreeMap<&'static str, String>>;

fn check(name: &'static str, value: &str) -> Option<String> {
    let result = match name {
        "phone" => validate_mobile(value).map(|_| ()),
        "uscc" => validate_uscc(value).map(|_| ()),
        _ => {
            let code = value.trim();
            if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
                Ok(())
            } else {
                Err(crate::rules::FieldError::new("请输入短信中的6位数字验证码"))
            }
        }
    };
    result.err().map(|e| e.message)
}

fn set_error(errors: Errors, name: &'static str, message: Option<String>) {
    errors.update(|e| match message {
        Some(m) => {
            e.insert(name, m);
        }
        None => {
            e.remove(name);
        }
    });
}

/// A labelled one-line input whose error appears under it, checked as typed once left or
/// complete (`full` characters).
#[allow(clippy::too_many_arguments)]
fn text_field(
    name: &'static str,
    label: &'static str,
    help: Option<&'static str>,
    value: RwSignal<String>,
    errors: Errors,
    full: usize,
    mode: &'static str,
    auto: &'static str,
) -> impl IntoView {
    let touched = StoredValue::new(false);
    let id = format!("login-{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described = if help.is_some() {
        format!("{help_id} {error_id}")
    } else {
        error_id.clone()
    };
    let error = move || errors.with(|e| e.get(name).cloned());
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            {help.map(|h| view! { <p class="field__help" id=help_id>{h}</p> })}
            <input
                id=id
                class="input"
                type="text"
                inputmode=mode
                autocomplete=auto
                maxlength=if full == 6 { Some("6") } else { None }
                aria-describedby=described
                aria-invalid=move || error().map(|_| "true")
                prop:value=value.get_untracked()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    let complete = v.chars().filter(|c| c.is_ascii_alphanumeric()).count() >= full;
                    if touched.get_value() || complete || errors.with_untracked(|e| e.contains_key(name)) {
                        set_error(errors, name, check(name, &v));
                    }
                    value.set(v);
                }
                on:blur=move |_| {
                    if !value.get_untracked().is_empty() {
                        touched.set_value(true);
                        set_error(errors, name, check(name, &value.get_untracked()));
                    }
                }
            />
            // A refused code must be heard at once; the others as typed, politely.
            <p
                class="field__error"
                id=error_id
                role=(name == "code").then_some("alert")
                aria-live=(name != "code").then_some("polite")
            >
                {error}
            </p>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    browser::set_title("登录");
    let query = use_query_map();
    let next = safe_next(query.with_untracked(|q| q.get("next")), "/my");
    let business = RwSignal::new(next.contains("biz=1"));
    let phone = RwSignal::new(String::new());
    let uscc = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors: Errors = RwSignal::new(BTreeMap::new());
    let wait = RwSignal::new(0u32);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let alert = RwSignal::new(None::<String>);
    // What the buttons are doing, for screen readers (see the module doc).
    let note = RwSignal::new(None::<String>);
    let ticker = StoredValue::new(None::<IntervalHandle>);
    on_cleanup(move || {
        if let Some(t) = ticker.try_get_value().flatten() {
            t.clear();
        }
    });

    // Checks the identity fields; `None` when something is wrong (the errors are shown).
    let identity = move || {
        set_error(errors, "phone", check("phone", &phone.get_untracked()));
        let with_uscc = business.get_untracked();
        if with_uscc {
            set_error(errors, "uscc", check("uscc", &uscc.get_untracked()));
        } else {
            set_error(errors, "uscc", None);
        }
        let ok = errors.with_untracked(|e| !e.contains_key("phone") && !e.contains_key("uscc"));
        ok.then(|| {
            let uscc = uscc.get_untracked().trim().to_string();
            (
                phone.get_untracked().trim().to_string(),
                (with_uscc && !uscc.is_empty()).then_some(uscc),
            )
        })
    };
    // The 获取验证码 button counts down until a new code may be asked for.
    let countdown = move |seconds: u32| {
        wait.set(seconds);
        if let Some(t) = ticker.get_value() {
            t.clear();
        }
        if seconds == 0 {
            return;
        }
        note.set(Some(format!("{seconds}秒内不能再次获取验证码")));
        let handle = set_interval_with_handle(
            move || {
                if wait.try_get_untracked() == Some(1) {
                    note.set(Some("现在可以重新获取验证码".into()));
                    if let Some(t) = ticker.try_get_value().flatten() {
                        t.clear();
                    }
                }
                wait.update(|w| *w = w.saturating_sub(1));
            },
            Duration::from_secs(1),
        )
        .ok();
        ticker.set_value(handle);
    };
    let show_failure = move |f: ApiFailure| {
        // "验证码已发送，请在 42 秒后重新获取": count down those seconds too.
        if f.status == 429 && f.message.contains('秒') {
            let seconds: String = f
                .message
                .split('秒')
                .next()
                .unwrap_or("")
                .chars()
                .rev()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Ok(n) = seconds.parse::<u32>() {
                countdown(n);
            }
        }
        let mut placed = false;
        for (k, m) in &f.fields {
            if let Some(name) = ["phone", "uscc", "code"].into_iter().find(|n| n == k) {
                set_error(errors, name, Some(m.clone()));
                placed = true;
            }
        }
        if f.status == 401 {
            set_error(errors, "code", Some(f.message.clone()));
        } else if !placed {
            alert.set(Some(f.message));
        }
    };

    let send_code = move |_| {
        // `aria-disabled`, not `disabled`: the click still arrives.
        if busy.get_untracked() || wait.get_untracked() > 0 {
            return;
        }
        alert.set(None);
        let Some((phone, uscc)) = identity() else {
            return;
        };
        busy.set(true);
        note.set(Some("正在获取验证码…".into()));
        leptos::task::spawn_local(async move {
            match endpoints::send_code(&OtpRequest { phone, uscc }).await {
                Ok(answer) => {
                    sent.set(Some(answer.phone_masked));
                    countdown(answer.resend_after_seconds);
                }
                Err(f) => {
                    note.set(None);
                    show_failure(f);
                }
            }
            busy.set(false);
        });
    };

    let navigate = use_navigate();
    let login = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        alert.set(None);
        let Some((phone, uscc)) = identity() else {
            return;
        };
        set_error(errors, "code", check("code", &code.get_untracked()));
        if errors.with_untracked(|e| e.contains_key("code")) {
            return;
        }
        busy.set(true);
        note.set(Some("正在登录…".into()));
        let navigate = navigate.clone();
        let next = next.clone();
        leptos::task::spawn_local(async move {
            let request = OtpLogin {
                phone,
                code: code.get_untracked().trim().to_string(),
                uscc,
            };
            match endpoints::sign_in(&request).await {
                Ok(me) => {
                    set_me(me);
                    navigate(&next, replace());
                }
                Err(f) => {
                    note.set(None);
                    show_failure(f);
                }
            }
            busy.set(false);
        });
    };

    let tab = move |value: bool, label: &'static str| {
        view! {
            <button
                type="button"
                class="switch__option"
                aria-pressed=move || if business.get() == value { "true" } else { "false" }
                on:click=move |_| {
                    business.set(value);
                    set_error(errors, "uscc", None);
                }
            >
                {label}
            </button>
        }
    };

    view! {
        <div class="narrow">
            <h1 class="page-title">"登录办事通"</h1>
            <p class="hint">"用手机号和短信验证码登录，无需注册。"</p>
            <div class="switch" role="group" aria-label="登录身份">
                {tab(false, "个人")}
                {tab(true, "法人（企业）")}
            </div>
            <form class="card login" on:submit=login novalidate>
                {move || {
                    business
                        .get()
                        .then(|| {
                            text_field(
                                "uscc",
                                "统一社会信用代码",
                                Some("营业执照上的18位代码"),
                                uscc,
                                errors,
                                18,
                                "text",
                                "off",
                            )
                        })
                }}
                {text_field(
                    "phone",
                    "手机号码",
                    None,
                    phone,
                    errors,
                    11,
                    "tel",
                    "tel",
                )}
                <div class="code-row">
                    <button
                        type="button"
                        class="button"
                        aria-disabled=move || (busy.get() || wait.get() > 0).then_some("true")
                        on:click=send_code
                    >
                        {move || match wait.get() {
                            0 if sent.get().is_some() => "重新获取验证码".to_string(),
                            0 => "获取验证码".to_string(),
                            n => format!("{n}秒后可重新获取"),
                        }}
                    </button>
                </div>
                <p class="ok-text" role="status">
                    {move || sent.get().map(|m| format!("验证码已发送至 {m}，5分钟内有效"))}
                </p>
                {text_field(
                    "code",
                    "短信验证码",
                    Some("6位数字"),
                    code,
                    errors,
                    6,
                    "numeric",
                    "one-time-code",
                )}
                <div role="alert">
                    {move || alert.get().map(|m| view! { <p class="problem">{m}</p> })}
                </div>
                <button
                    type="submit"
                    class="button button--primary button--wide"
                    aria-disabled=move || busy.get().then_some("true")
                >
                    "登录"
                </button>
                <p class="visually-hidden" role="status">{move || note.get()}</p>
            </form>
            <p class="note">"示范环境：验证码不会真的发短信，可在服务器日志中查看"</p>
            <p class="small">"工作人员请从 " <a href="/staff/login">"工作人员登录"</a> " 进入。"</p>
        </div>
    }
}
