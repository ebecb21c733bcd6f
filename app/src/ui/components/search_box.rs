//! The search form: one labelled box and a button; searching opens `/search?q=…`.

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::ui::http::encode;

pub const PLACEHOLDER: &str = "例如：身份证、生孩子、开公司、chusheng";

#[component]
pub fn SearchBox(
    /// The query to show in the box (the current search on the results page).
    #[prop(into, optional)]
    value: Signal<String>,
    /// The large variant on the home page.
    #[prop(optional)]
    big: bool,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = input.get_untracked() else {
            return;
        };
        let q = el.value().trim().to_string();
        if q.is_empty() {
            let _ = el.focus();
            return;
        }
        navigate(
            &format!("/search?q={}", encode(&q)),
            NavigateOptions::default(),
        );
    };
    view! {
        <form
            class=if big { "search search--big" } else { "search" }
            role="search"
            action="/search"
            on:submit=submit
        >
            <label class="search__label" for="search-q">"搜索办事事项"</label>
            <div class="search__row">
                <input
                    id="search-q"
                    node_ref=input
                    class="search__input"
                    type="search"
                    name="q"
                    autocomplete="off"
                    enterkeyhint="search"
                    placeholder=PLACEHOLDER
                    prop:value=move || value.get()
                />
                <button class="button button--primary search__button" type="submit">"搜索"</button>
            </div>
        </form>
    }
}
