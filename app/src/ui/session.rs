//! Who is signed in (for the header and the pages that need it), and the way pages send a
//! signed-out visitor to the sign-in page and back.

use crate::api::Me;
use crate::ui::components::status::{Loading, Problem};
use crate::ui::endpoints::cases;
use crate::ui::http::{encode, ApiFailure, ApiResult};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::NavigateOptions;

/// `None` until `/api/session` has answered; then `Some(None)` when signed out.
///
/// Reference-counted rather than owned by a component: it lives as long as the page, whichever
/// component happens to touch it first.
pub type Session = ArcRwSignal<Option<Option<Me>>>;

thread_local! {
    static SESSION: Session = ArcRwSignal::new(None);
}

pub fn session() -> Session {
    SESSION.with(Clone::clone)
}

/// Asks the server who is signed in.
pub fn refresh() {
    leptos::task::spawn_local(async {
        let me = cases::session().await.ok().and_then(|s| s.me);
        session().set(Some(me));
    });
}

/// Runs `call` (e.g. creating a draft) only for a signed-in visitor: a signed-out one
/// gets the 401 failure at once, so the browser logs no refused request. Asks `/api/session`
/// only when the page does not know yet.
pub async fn when_signed_in<T>(
    call: impl std::future::Future<Output = ApiResult<T>>,
) -> ApiResult<T> {
    let known = session().get_untracked();
    let signed_in = match known {
        Some(me) => me.is_some(),
        None => {
            let me = cases::session().await?.me;
            let signed_in = me.is_some();
            session().set(Some(me));
            signed_in
        }
    };
    if signed_in {
        call.await
    } else {
        Err(ApiFailure::not_signed_in())
    }
}

/// Records who just signed in (the sign-in call's answer).
pub fn set_me(me: Me) {
    session().set(Some(Some(me)));
}

/// Unread messages of the signed-in applicant.
pub fn set_unread(unread: u32) {
    session().update(|s| {
        if let Some(Some(Me::Applicant {
            unread_messages, ..
        })) = s
        {
            *unread_messages = unread;
        }
    });
}

/// The current path and query, to come back to after signing in.
pub fn here() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_else(|| "/".into())
}

/// `/login?next=…` (or `/staff/login?next=…`) that returns to `next`.
pub fn login_path(signin: &str, next: &str) -> String {
    format!("{signin}?next={}", encode(next))
}

/// A `next` parameter that stays on this site; `fallback` otherwise.
pub fn safe_next(next: Option<String>, fallback: &str) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| fallback.to_string())
}

pub fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// Shows `ready(answer)` once `resource` has loaded; "正在加载…" before; a 401 goes to the
/// sign-in page `signin` (which comes back here); any other failure with a retry button.
pub fn guard<T: Clone + Send + Sync + 'static>(
    resource: LocalResource<ApiResult<T>>,
    signin: &'static str,
    ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(value)) => ready(value),
        Some(Err(failure)) if failure.signed_out() => {
            refresh();
            view! { <Redirect path=login_path(signin, &here()) options=replace()/> }.into_any()
        }
        Some(Err(failure)) => {
            view! { <Problem failure retry=move || resource.refetch()/> }.into_any()
        }
    }
}
