//! Loading and failure states shared by every page that fetches.

use std::future::Future;

use leptos::prelude::*;

use crate::ui::http::{ApiFailure, ApiResult};

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// The API's own sentence and a button to try again.
#[component]
pub fn Problem(failure: ApiFailure, retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="problem" role="alert">
            <p>{failure.message}</p>
            <button type="button" class="button" on:click=move |_| retry()>"重试"</button>
        </div>
    }
}

/// Loads `fetch()` into a typed answer, and again whenever the signals it reads change.
pub fn fetch<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> LocalResource<ApiResult<T>>
where
    T: 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    LocalResource::new(fetch)
}

/// Shows `ready(answer)` once `resource` has loaded, "正在加载…" before, and the failure with a
/// retry button when it failed. `missing` replaces the failure view on a 404, when given.
pub fn show<T: Clone + 'static>(
    resource: LocalResource<ApiResult<T>>,
    missing: Option<fn() -> AnyView>,
    ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    (move || match resource.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Ok(value)) => ready(value),
        Some(Err(failure)) => match missing {
            Some(missing) if failure.not_found() => missing(),
            _ => view! { <Problem failure retry=move || resource.refetch()/> }.into_any(),
        },
    })
    .into_any()
}
