//! Opening a just-created draft (a case's or a 一件事's): "正在加载…" while it is created, then
//! its form page, the sign-in page when signed out, or the API's reason with the way back to the
//! guide.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::ui::components::status::Loading;
use crate::ui::http::ApiResult;
use crate::ui::session::{here, login_path, replace};

/// While a new draft is being created: "正在加载…"; then its page (`path_of` the answer), the
/// sign-in page when signed out, or the API's reason with the way back to the guide.
pub fn open_created<T: Clone + 'static>(
    created: LocalResource<ApiResult<T>>,
    guide: String,
    path_of: fn(&T) -> String,
) -> impl IntoView {
    move || match created.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(v)) => view! { <Redirect path=path_of(&v) options=replace()/> }.into_any(),
        Some(Err(f)) if f.signed_out() => {
            view! { <Redirect path=login_path("/login", &here()) options=replace()/> }.into_any()
        }
        Some(Err(f)) => view! {
            <div class="problem" role="alert">
                <p>{f.message}</p>
                <p class="actions">
                    <a class="button" href=guide.clone()>"返回办事指南"</a>
                    <a class="button" href="/my">"我的办件"</a>
                </p>
            </div>
        }
        .into_any(),
    }
}
