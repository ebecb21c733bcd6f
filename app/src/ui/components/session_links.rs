//! The header's account links: 登录 when signed out; 我的办件 (with the unread count) and 退出
//! for applicants; 工作台 and 退出 for staff.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::api::Me;
use crate::ui::endpoints::cases as endpoints;
use crate::ui::session::{login_path, refresh, session};

#[component]
pub fn SessionLinks() -> impl IntoView {
    refresh();
    let location = use_location();
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let _ = endpoints::sign_out().await;
            session().set(Some(None));
            navigate("/", NavigateOptions::default());
        });
    };
    let links = move || {
        let (href, label, unread) = match session().get() {
            // Until `/api/me` answers, hold the place of the 登录 link so the header does not
            // change height when it arrives.
            None => {
                return Some(
                    view! {
                        <span class="session__link session__placeholder" aria-hidden="true">
                            "登录"
                        </span>
                    }
                    .into_any(),
                )
            }
            Some(None) => {
                let path = location.pathname.get();
                if path.ends_with("/login") {
                    return None;
                }
                // The router's `search` comes without the leading `?`.
                let search = location.search.get();
                let next = match search.trim_start_matches('?') {
                    "" => path.clone(),
                    query => format!("{path}?{query}"),
                };
                let signin = if path.starts_with("/staff") || path.starts_with("/manager") {
                    "/staff/login"
                } else {
                    "/login"
                };
                return Some(
                    view! { <a class="session__link" href=login_path(signin, &next)>"登录"</a> }
                        .into_any(),
                );
            }
            Some(Some(Me::Applicant {
                unread_messages, ..
            })) => ("/my", "我的办件", unread_messages),
            Some(Some(Me::Staff { .. })) => ("/staff", "工作台", 0),
        };
        let logout = logout.clone();
        Some(
            view! {
                <a class="session__link" href=href>
                    {label}
                    {(unread > 0)
                        .then(|| {
                            view! {
                                <span class="count-badge">
                                    {unread}
                                    <span class="visually-hidden">"条未读消息"</span>
                                </span>
                            }
                        })}
                </a>
                <button type="button" class="session__link" on:click=logout>"退出"</button>
            }
            .into_any(),
        )
    };
    view! { <nav class="session" aria-label="账号">{links}</nav> }
}
