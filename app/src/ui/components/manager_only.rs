//! What every centre administration page (`/manager/…`) starts with: the crumbs, and the check
//! that a manager is signed in (a signed-out visitor goes to the staff sign-in and comes back).

use leptos::prelude::*;

use crate::api::{Me, StaffRole};
use crate::ui::components::status::fetch;
use crate::ui::endpoints::cases;
use crate::ui::http::{ApiFailure, ApiResult};
use crate::ui::session::{guard, Signin};

/// The crumbs back to the staff desk and the manager's page.
pub fn admin_crumbs() -> impl IntoView {
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
            " / "
            <a href="/manager">"督办与差评整改"</a>
        </nav>
    }
}

/// `Ok` for a signed-in manager; 401 when signed out, 403 for other staff and applicants.
async fn signed_in_manager() -> ApiResult<()> {
    match cases::session().await?.me {
        Some(Me::Staff {
            role: StaffRole::Manager,
            ..
        }) => Ok(()),
        Some(_) => Err(ApiFailure {
            status: 403,
            message: "中心管理功能仅对政务服务中心管理者开放".into(),
            ..ApiFailure::default()
        }),
        None => Err(ApiFailure::not_signed_in()),
    }
}

/// Shows `page()` to a signed-in manager only.
pub fn manager_only(page: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    guard(fetch(signed_in_manager), Signin::Staff, move |()| page())
}
