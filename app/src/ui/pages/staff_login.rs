//! `/staff/login?next=…`: staff sign in with username and password.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::StaffLogin;
use crate::rules::staff_account::check_password;
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::endpoints::staff;
use crate::ui::session::{replace, safe_next, set_me};

#[component]
pub fn StaffLoginPage() -> impl IntoView {
    browser::set_title("工作人员登录");
    let query = use_query_map();
    let next = safe_next(query.with_untracked(|q| q.get("next")), "/staff");
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // Signing in with a one-time password (set by a manager): the person chooses their own
    // password first (the server answered 409), checked by the shared policy as they type.
    let changing = RwSignal::new(false);
    let new_password = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let new_error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if username.get_untracked().trim().is_empty() || password.get_untracked().is_empty() {
            error.set(Some("请填写用户名和密码".into()));
            return;
        }
        let chosen = if changing.get_untracked() {
            let chosen = new_password.get_untracked();
            let problem = check_password(&chosen, &username.get_untracked())
                .err()
                .map(|e| e.message)
                .or_else(|| {
                    (repeated.get_untracked() != chosen)
                        .then(|| "两次输入的新密码不一致".to_string())
                });
            if problem.is_some() {
                new_error.set(problem);
                focus_first_error();
                return;
            }
            Some(chosen)
        } else {
            None
        };
        busy.set(true);
        error.set(None);
        new_error.set(None);
        let (navigate, next) = (navigate.clone(), next.clone());
        leptos::task::spawn_local(async move {
            let body = StaffLogin {
                username: username.get_untracked().trim().to_string(),
                password: password.get_untracked(),
                new_password: chosen,
            };
            match staff::sign_in(&body).await {
                Ok(me) => {
                    set_me(me);
                    navigate(&next, replace());
                }
                Err(f) if f.status == 409 => {
                    changing.set(true);
                    error.set(Some(f.message));
                    browser::focus_id("staff-new-password");
                }
                Err(f) => match f.fields.get("new_password") {
                    Some(m) => {
                        new_error.set(Some(m.clone()));
                        focus_first_error();
                    }
                    None => error.set(Some(f.message)),
                },
            }
            busy.set(false);
        });
    };
    let new_fields = move || {
        changing.get().then(|| {
            view! {
                <div class="field">
                    <label class="field__label" for="staff-new-password">"设置新密码"</label>
                    <p class="field__help" id="staff-new-password-help">
                        "至少 10 位，须同时包含字母和数字，不能包含用户名，不能用示范密码。"
                    </p>
                    <input
                        id="staff-new-password"
                        class="input"
                        type="password"
                        autocomplete="new-password"
                        aria-describedby="staff-new-password-help staff-new-password-error"
                        aria-invalid=move || new_error.get().map(|_| "true")
                        on:input=move |ev| new_password.set(event_target_value(&ev))
                    />
                    <p class="field__error" id="staff-new-password-error" aria-live="polite">{move || new_error.get()}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="staff-new-password-again">"再次输入新密码"</label>
                    <input
                        id="staff-new-password-again"
                        class="input"
                        type="password"
                        autocomplete="new-password"
                        on:input=move |ev| repeated.set(event_target_value(&ev))
                    />
                </div>
            }
        })
    };
    view! {
        <div class="narrow">
            <h1 class="page-title">"工作人员登录"</h1>
            <p class="hint">"部门审核人员和中心管理者使用。办事群众请用 " <a href="/login">"手机号登录"</a> "。"</p>
            <form class="card" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="staff-user">"用户名"</label>
                    <input
                        id="staff-user"
                        class="input"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label class="field__label" for="staff-password">"密码"</label>
                    <input
                        id="staff-password"
                        class="input"
                        type="password"
                        autocomplete="current-password"
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                {new_fields}
                <div role="alert">{move || error.get().map(|m| view! { <p class="problem">{m}</p> })}</div>
                <button type="submit" class="button button--primary button--wide" disabled=move || busy.get()>
                    {move || if changing.get() { "设置新密码并登录" } else { "登录" }}
                </button>
            </form>
            <section class="note demo-accounts" aria-labelledby="demo-title">
                <h2 id="demo-title">"示范账号"</h2>
                <p>
                    "各部门审核员：" <code>"ga_reviewer"</code> "（公安）、" <code>"mz_reviewer"</code> "（民政）、"
                    <code>"rs_reviewer"</code> "（人社）、" <code>"sj_reviewer"</code> "（市场监管）…… 即部门代码加 "
                    <code>"_reviewer"</code>
                </p>
                <p>"中心管理者：" <code>"manager"</code></p>
                <p>"密码均为 " <code>"Demo@2026"</code></p>
            </section>
        </div>
    }
}
