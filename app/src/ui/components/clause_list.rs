//! Conditions, tips and steps as text, each marked "视情形" while it depends on an unanswered
//! question.

use crate::api::{Clause, Step};
use crate::rules::tailor::Shown;
use crate::ui::markup::Html;

/// The "视情形" badge.
pub fn depends_badge(h: &mut Html, depends: bool) {
    if depends {
        h.raw(" ").el("span", "badge badge--depends", "视情形");
    }
}

/// `<li>` entries for a `<ul class="clauses">`.
pub fn clauses_html(clauses: &[Shown<Clause>]) -> String {
    let mut h = Html::new();
    for c in clauses {
        h.open("li", "").text(&c.item.text);
        depends_badge(&mut h, c.depends);
        h.close("li");
    }
    h.finish()
}

/// `<li>` entries for an `<ol class="steps">`: a title and what happens.
pub fn steps_html(steps: &[Shown<Step>], compact: bool) -> String {
    let mut h = Html::new();
    for s in steps {
        if compact {
            h.open("li", "").el("strong", "", &s.item.title);
            depends_badge(&mut h, s.depends);
            h.raw("：").text(&s.item.description).close("li");
        } else {
            h.open("li", "step").open("h3", "step__title").text(&s.item.title);
            depends_badge(&mut h, s.depends);
            h.close("h3").el("p", "", &s.item.description).close("li");
        }
    }
    h.finish()
}
