//! Conditions, tips and steps as list entries, each marked "视情形" while it depends on an
//! unanswered question.

use leptos::prelude::*;

use crate::api::{Clause, Step};
use crate::rules::tailor::Shown;

/// The "视情形" badge (after a space), when `depends`.
pub fn depends_badge(depends: bool) -> impl IntoView {
    depends.then(|| view! { " " <span class="badge badge--depends">"视情形"</span> })
}

/// `<li>` entries for a `<ul class="clauses">`.
pub fn clause_items(clauses: &[Shown<Clause>]) -> impl IntoView {
    clauses
        .iter()
        .map(|c| view! { <li>{c.item.text.clone()}{depends_badge(c.depends)}</li> })
        .collect_view()
}

/// `<li>` entries for an `<ol class="steps">`: a title and what happens (on one line when
/// `compact`).
pub fn step_items(steps: &[Shown<Step>], compact: bool) -> impl IntoView {
    steps
        .iter()
        .map(|s| {
            let (title, description) = (s.item.title.clone(), s.item.description.clone());
            if compact {
                view! { <li><strong>{title}</strong>{depends_badge(s.depends)}"："{description}</li> }
                    .into_any()
            } else {
                view! {
                    <li class="step">
                        <h3 class="step__title">{title}{depends_badge(s.depends)}</h3>
                        <p>{description}</p>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view()
}
