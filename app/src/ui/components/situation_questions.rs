//! 情形引导: the guide's questions as large radio buttons. Answering one re-tailors the
//! conditions, materials and steps at once.

use leptos::prelude::*;

use crate::api::Situation;
use crate::rules::tailor::Answers;

#[component]
pub fn SituationQuestions(situations: Vec<Situation>, answers: RwSignal<Answers>) -> impl IntoView {
    let questions = situations
        .into_iter()
        .map(|situation| {
            let Situation {
                id,
                question,
                help,
                options,
            } = situation;
            let help_id = format!("help-{id}");
            let described = help.is_some().then(|| help_id.clone());
            let options = options
                .into_iter()
                .map(|option| {
                    let input_id = format!("q-{id}-{}", option.value);
                    let (question_id, value) = (id.clone(), option.value.clone());
                    let checked = {
                        let (question_id, value) = (question_id.clone(), value.clone());
                        move || answers.with(|a| a.get(&question_id) == Some(&value))
                    };
                    view! {
                        <div class="option">
                            <input
                                type="radio"
                                id=input_id.clone()
                                name=format!("q-{id}")
                                value=option.value
                                prop:checked=checked
                                on:change=move |_| {
                                    answers.update(|a| {
                                        a.insert(question_id.clone(), value.clone());
                                    })
                                }
                            />
                            <label for=input_id>{option.label}</label>
                        </div>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="question" aria-describedby=described>
                    <legend class="question__text">{question}</legend>
                    {help.map(|h| view! { <p class="question__help" id=help_id>{h}</p> })}
                    <div class="options">{options}</div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <div class="questions">
            {questions}
            <button
                type="button"
                class="button button--quiet"
                disabled=move || answers.with(|a| a.is_empty())
                on:click=move |_| answers.set(Answers::new())
            >
                "重新选择"
            </button>
        </div>
    }
}

/// The 情形引导 card of a guide page: the questions under a heading and a hint (nothing when
/// there are no questions).
#[component]
pub fn SituationSection(
    situations: Vec<Situation>,
    answers: RwSignal<Answers>,
    hint: &'static str,
) -> impl IntoView {
    (!situations.is_empty()).then(|| {
        view! {
            <section class="section card" aria-labelledby="q-title">
                <h2 id="q-title">"情形引导"</h2>
                <p class="hint">{hint}</p>
                <SituationQuestions situations answers/>
            </section>
        }
    })
}
