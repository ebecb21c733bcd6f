//! 在线申请: `/apply/new?item=CODE&a=ANSWERS` starts a draft (after signing in) — or reopens the
//! one already started for that item — and opens `/apply/:id`, the one form page: the 情形
//! questions not yet answered (first), the fields, checked as typed and saved automatically, the
//! material uploads, which follow the answers, and 提交申请.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{CaseDetail, CaseStatus, NewApplication, Situation, Submitted};
use crate::rules::tailor::answers_from_query;
use crate::ui::browser;
use crate::ui::components::case_form::{Draft, FormFields, SaveStatus};
use crate::ui::components::case_view::waiting_note;
use crate::ui::components::material_uploads::MaterialUploads;
use crate::ui::components::open_created::open_created;
use crate::ui::components::situation_questions::SituationQuestions;
use crate::ui::components::submit_bar::SubmitBar;
use crate::ui::endpoints::cases::{self as endpoints, case_url};
use crate::ui::http::encode;
use crate::ui::session::{fetch_signed_in, guard, when_signed_in, Signin};

/// `/apply/new?item=CODE&a=…`: creates the draft with the guide's answers, then replaces
/// itself with `/apply/:id`.
#[component]
pub fn ApplyNewPage() -> impl IntoView {
    browser::set_title("在线申请");
    let query = use_query_map();
    let item = query.with_untracked(|q| q.get("item")).unwrap_or_default();
    let answers = answers_from_query(&query.with_untracked(|q| q.get("a")).unwrap_or_default());
    let guide = format!("/items/{}", encode(&item));
    let request = NewApplication {
        item_code: item,
        answers,
    };
    let created = LocalResource::new(move || {
        let request = request.clone();
        async move { when_signed_in(Signin::Applicant, endpoints::start(&request)).await }
    });
    view! {
        <h1 class="page-title">"在线申请"</h1>
        {open_created(created, guide, |d: &CaseDetail| format!("/apply/{}", d.summary.id))}
    }
}

/// `/apply/:id`: the form page of a draft (or of a returned case being corrected).
#[component]
pub fn ApplyPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Applicant, move || {
        let id = id.get();
        async move { endpoints::case(&id).await }
    });
    view! {
        {guard(detail, Signin::Applicant, |detail| view! { <ApplyForm detail/> }.into_any())}
    }
}

#[component]
fn ApplyForm(detail: CaseDetail) -> impl IntoView {
    let s = &detail.summary;
    browser::set_title(&format!("在线申请：{}", s.item_name));
    let id = s.id.clone();
    let case_href = format!("/my/cases/{id}");
    if let Some(waiting) = waiting_note(s) {
        return view! {
            <h1 class="page-title">{s.item_name.clone()}</h1>
            {waiting}
            <p class="actions"><a class="button" href=case_href>"查看这个事项"</a></p>
        }
        .into_any();
    }
    if !matches!(s.status, CaseStatus::Draft | CaseStatus::Returned) {
        return view! {
            <h1 class="page-title">{s.item_name.clone()}</h1>
            <p class="note">{format!("这份申请当前为“{}”，不能再修改。", s.status.label())}</p>
            <p class="actions"><a class="button button--primary" href=case_href>"查看办件进度"</a></p>
        }
        .into_any();
    }
    let returned = s.status == CaseStatus::Returned;
    let errors = RwSignal::new(BTreeMap::new());
    let draft = Draft::of_case(&detail, errors);
    let materials = RwSignal::new(detail.materials.clone());
    let open_questions = RwSignal::new(detail.open_questions.len());
    // Each save answers with the case as the server tailors it to the saved 情形 answers.
    draft.on_saved(Callback::new(move |saved: CaseDetail| {
        if materials.with_untracked(|m| *m != saved.materials) {
            materials.set(saved.materials);
        }
        open_questions.set(saved.open_questions.len());
    }));
    // A returned case keeps the answers it was reviewed under.
    let questions = (!returned)
        .then(|| situations_step(detail.situations.clone(), draft, open_questions))
        .flatten();
    let first = usize::from(questions.is_some());
    let step = move |n: usize| ["第一步", "第二步", "第三步", "第四步"][n + first];
    let navigate = use_navigate();
    let on_done = {
        let href = case_href.clone();
        Callback::new(move |_: Submitted| {
            navigate(&format!("{href}?submitted=1"), NavigateOptions::default())
        })
    };
    let guide_href = format!("/items/{}", encode(&s.item_code));
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/my">"我的办件"</a>
            <span aria-hidden="true">" › "</span>
            <a href=guide_href>"办事指南"</a>
        </nav>
        <p class="eyebrow">{if returned { "补正材料" } else { "在线申请" }}</p>
        <h1 class="page-title">{s.item_name.clone()}</h1>
        <p class="hint">{format!("{} · 按步骤填写信息、上传材料，最后提交。", s.department)}</p>
        {returned
            .then(|| {
                view! {
                    <p class="note">
                        "这份申请需要补正，请按 "
                        <a href=case_href.clone()>"一次性告知书"</a>
                        " 修改后重新提交。"
                    </p>
                }
            })}
        {questions}
        <section class="section card" aria-labelledby="form-title">
            <h2 id="form-title">{format!("{}：填写申请信息", step(0))}</h2>
            <SaveStatus draft/>
            <div class="fields">
                <FormFields draft/>
            </div>
        </section>
        <section class="section card" aria-labelledby="upload-title">
            <h2 id="upload-title">{format!("{}：上传材料", step(1))}</h2>
            <p class="hint">"拍照或选择文件。照片请拍清楚四角、不要反光。"</p>
            <MaterialUploads base=case_url(&id, "") materials errors editable=true/>
        </section>
        <section class="section card" aria-labelledby="submit-title">
            <h2 id="submit-title">{format!("{}：提交", step(2))}</h2>
            <p class="hint">"提交后由部门工作人员预审，结果会通过站内消息和短信告诉您。"</p>
            <SubmitBar
                base=case_url(&id, "")
                draft=Some(draft)
                errors
                label=if returned { "重新提交" } else { "提交申请" }
                on_done
            />
        </section>
    }
    .into_any()
}

/// 第一步 of an item with 情形 questions: the guide's questions, asked here when the form was
/// opened without the answers (from a search card, a link); answers are saved with the draft at
/// once and the materials below follow them. Nothing for an item without questions.
fn situations_step(
    situations: Vec<Situation>,
    draft: Draft,
    open_questions: RwSignal<usize>,
) -> Option<AnyView> {
    if situations.is_empty() {
        return None;
    }
    let answers = RwSignal::new(draft.answers());
    Effect::new(move |_| draft.set_answers(answers.get()));
    let hint = move || match open_questions.get() {
        0 => "需要上传的材料已按您的回答列出；情况不同时可以重新选择。".to_string(),
        n => format!("请先回答下面 {n} 个问题，需要上传的材料会按您的回答列出。"),
    };
    Some(
        view! {
            <section class="section card" aria-labelledby="q-title">
                <h2 id="q-title">"第一步：您的情形"</h2>
                <p class="hint" aria-live="polite">{hint}</p>
                <SituationQuestions situations answers/>
            </section>
        }
        .into_any(),
    )
}
