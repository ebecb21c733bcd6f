//! `/items/:code`: the 办事指南, tailored to the applicant's answers.
//!
//! Phone first: name and key facts, when it will be done, then the 情形引导 questions and
//! everything they change (materials, conditions, steps), then where, when and whom to call.
//! The answers are kept in the URL (`?a=`), so reloading, sharing and printing keep them.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{Department, ItemDetail, ItemGuide, Theme};
use crate::rules::tailor::{answers_from_query, answers_to_query, tailor, valid_answers, Answers};
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::components::clause_list::{clauses_html, steps_html};
use crate::ui::components::due_date::due_html;
use crate::ui::components::material_checklist::MaterialChecklist;
use crate::ui::components::places::{phones_html, places_html};
use crate::ui::components::situation_questions::SituationQuestions;
use crate::ui::components::status::{load, loaded};
use crate::ui::decode;
use crate::ui::markup::Html;
use crate::ui::pages::not_found::NotFoundText;
use crate::ui::wording;

/// `/items/CODE` or `/items/CODE?a=…`, with `suffix` after the code (e.g. `/print`).
pub fn guide_path(code: &str, suffix: &str, answers: &Answers) -> String {
    let a = answers_to_query(answers);
    if a.is_empty() {
        format!("/items/{code}{suffix}")
    } else {
        format!("/items/{code}{suffix}?a={a}")
    }
}

/// The answers carried by the current URL's `?a=`, keeping only those this guide asks.
pub fn answers_in_url(guide: &ItemGuide) -> Answers {
    let query = use_query_map();
    let raw = query.with_untracked(|q| q.get("a")).unwrap_or_default();
    valid_answers(guide, &answers_from_query(&raw))
}

pub fn missing_item() -> AnyView {
    browser::set_title("没有找到这个事项");
    view! { <NotFoundText what="事项"/> }.into_any()
}

#[component]
pub fn GuidePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let detail = load(move || api_client::item(code.get()));
    loaded(detail, Some(missing_item), |detail| {
        view! { <Guide detail=decode::item_detail(&detail)/> }.into_any()
    })
}

#[component]
fn Guide(detail: ItemDetail) -> impl IntoView {
    let ItemDetail {
        guide,
        department,
        themes,
        forms,
        ..
    } = detail;
    browser::set_title(&guide.name);
    let code = guide.code.clone();

    let answers = RwSignal::new(answers_in_url(&guide));
    let situations = guide.situations.clone();
    let has_questions = !situations.is_empty();
    let guide = StoredValue::new(guide);
    let tailored = Memo::new(move |_| answers.with(|a| guide.with_value(|g| tailor(g, a))));
    let materials = Memo::new(move |_| tailored.with(|t| t.materials.clone()));

    // Keep the answers in the address bar, without a new history entry per click.
    let navigate = use_navigate();
    let written = StoredValue::new(answers.with_untracked(answers_to_query));
    {
        let code = code.clone();
        Effect::new(move |_| {
            let a = answers.with(answers_to_query);
            if written.with_value(|w| *w != a) {
                written.set_value(a);
                let path = answers.with_untracked(|x| guide_path(&code, "", x));
                navigate(
                    &path,
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..NavigateOptions::default()
                    },
                );
            }
        });
    }

    let g = guide.get_value();
    let print_href = {
        let code = code.clone();
        move || answers.with(|a| guide_path(&code, "/print", a))
    };
    let share_status = RwSignal::new(None::<Result<(), String>>);
    let share = {
        let code = code.clone();
        move |_| {
            let url = format!("{}{}", browser::origin(), answers.with_untracked(|a| guide_path(&code, "", a)));
            let fallback = url.clone();
            browser::copy_to_clipboard(&url, move |ok| {
                share_status.set(Some(if ok { Ok(()) } else { Err(fallback) }));
            });
        }
    };

    let open_note = move || {
        tailored.with(|t| {
            let n = t.open_questions.len();
            (n > 0).then(|| {
                view! {
                    <p class="note">
                        {format!("还有 {n} 个问题未回答：标有")}
                        <span class="badge badge--depends">"视情形"</span>
                        "的内容是否需要，取决于您的回答。"
                    </p>
                }
            })
        })
    };

    let statutory = if g.statutory_days == 0 {
        "无".to_string()
    } else {
        format!("{} 个工作日", g.statutory_days)
    };
    let promised = if g.promised_days == 0 {
        "即办".to_string()
    } else {
        format!("{} 个工作日", g.promised_days)
    };
    let yes_no = |b: bool| if b { "支持" } else { "不支持" };
    let theme_links = themes
        .into_iter()
        .map(|t| view! { <li><a class="chip chip--link" href=format!("/themes/{}", t.code)>{t.name}</a></li> })
        .collect_view();

    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/">"首页"</a>
            <span aria-hidden="true">" › "</span>
            <a href=format!("/departments/{}", department.code)>{department.short_name.clone()}</a>
        </nav>
        <article class="guide">
            <header class="guide__head">
                <h1 class="page-title">{g.name.clone()}</h1>
                <p class="lead">{g.summary.clone()}</p>
                <dl class="meta">
                    <div><dt>"事项编码"</dt><dd>{g.code.clone()}</dd></div>
                    <div><dt>"事项类型"</dt><dd>{g.item_type.clone()}</dd></div>
                    <div><dt>"实施部门"</dt><dd>{department.name.clone()}</dd></div>
                </dl>
            </header>

            <section class="keyfacts" aria-labelledby="facts-title">
                <h2 id="facts-title" class="visually-hidden">"办理要点"</h2>
                <dl class="facts">
                    <div class="fact fact--wide">
                        <dt>"承诺时限"</dt>
                        <dd>
                            <strong>{promised}</strong>
                            <span class="fact__sub">{format!("法定时限：{statutory}")}</span>
                        </dd>
                    </div>
                    <div class="fact"><dt>"办件类型"</dt><dd>{g.handling.label()}</dd></div>
                    <div class="fact"><dt>"网办深度"</dt><dd>{g.online_level.label()}</dd></div>
                    <div class="fact"><dt>"到现场次数"</dt><dd>{wording::visits(g.visits)}</dd></div>
                    <div class="fact"><dt>"收费"</dt><dd>{if g.fee.free { "不收费".to_string() } else { g.fee.description.clone() }}</dd></div>
                </dl>
                <DueDateNote handling=g.handling promised_days=g.promised_days/>
                <div class="actions">
                    <a class="button button--primary" href=print_href>"打印材料清单"</a>
                    <button type="button" class="button" on:click=share>"分享"</button>
                </div>
                <div role="status" class="share-status">
                    {move || share_status.get().map(|s| match s {
                        Ok(()) => view! { <p class="ok">"链接已复制"</p> }.into_any(),
                        Err(url) => view! {
                            <p>
                                <label for="share-url">"无法自动复制，请长按或选中下面的链接复制："</label>
                                <input id="share-url" class="share-url" type="text" readonly value=url/>
                            </p>
                        }.into_any(),
                    })}
                </div>
            </section>

            <div class="guide__body">
                <div class="guide__main">
                    {has_questions.then(|| view! {
                        <section class="section card" aria-labelledby="q-title">
                            <h2 id="q-title">"情形引导"</h2>
                            <p class="hint">"回答下面的问题，只看与您有关的条件、材料和步骤。"</p>
                            <SituationQuestions situations answers/>
                        </section>
                    })}

                    <section class="section card" aria-labelledby="m-title">
                        <h2 id="m-title">"申报材料"</h2>
                        {open_note}
                        <MaterialChecklist item_code=code.clone() materials forms/>
                    </section>

                    <section class="section card" aria-labelledby="c-title">
                        <h2 id="c-title">"受理条件"</h2>
                        {move || view! { <ClauseList clauses=tailored.with(|t| t.conditions.clone())/> }}
                    </section>

                    <section class="section card" aria-labelledby="s-title">
                        <h2 id="s-title">"办理流程"</h2>
                        <ol class="steps">
                            {move || tailored.with(|t| t.steps.iter().map(|s| view! {
                                <li class="step">
                                    <h3 class="step__title">{s.item.title.clone()} " " {depends_badge(s.depends)}</h3>
                                    <p>{s.item.description.clone()}</p>
                                </li>
                            }).collect_view())}
                        </ol>
                    </section>

                    {move || tailored.with(|t| (!t.tips.is_empty()).then(|| view! {
                        <section class="section card tips" aria-labelledby="t-title">
                            <h2 id="t-title">"温馨提示"</h2>
                            <ClauseList clauses=t.tips.clone()/>
                        </section>
                    }))}
                </div>

                <aside class="guide__side" aria-label="办理信息">
                    <section class="section card" aria-labelledby="p-title">
                        <h2 id="p-title">"办理地点和时间"</h2>
                        <Places places=g.places.clone()/>
                    </section>
                    <section class="section card" aria-labelledby="ph-title">
                        <h2 id="ph-title">"咨询与投诉"</h2>
                        <Phones consult=g.consult_phone.clone() complaint=g.complaint_phone.clone()/>
                    </section>
                    <section class="section card" aria-labelledby="r-title">
                        <h2 id="r-title">"办理结果"</h2>
                        <dl class="pairs">
                            <dt>"结果"</dt>
                            <dd>{g.result.clone()}</dd>
                            <dt>"送达方式"</dt>
                            <dd>{g.delivery.join("、")}</dd>
                            <dt>"网上预约"</dt>
                            <dd>{yes_no(g.appointment)}</dd>
                            <dt>"跨省通办"</dt>
                            <dd>{yes_no(g.cross_province)}</dd>
                        </dl>
                    </section>
                    <section class="section card" aria-labelledby="f-title">
                        <h2 id="f-title">"收费"</h2>
                        <p>{g.fee.description.clone()}</p>
                        {g.fee.basis.clone().map(|b| view! { <p class="small">"收费依据：" {b}</p> })}
                    </section>
                    <section class="section card" aria-labelledby="l-title">
                        <h2 id="l-title">"设立依据"</h2>
                        <ul class="clauses small">
                            {g.legal_basis.iter().map(|b| view! { <li>{b.clone()}</li> }).collect_view()}
                        </ul>
                    </section>
                    <section class="section card" aria-labelledby="th-title">
                        <h2 id="th-title">"所属主题"</h2>
                        <ul class="chips">{theme_links}</ul>
                    </section>
                </aside>
            </div>
        </article>
    }
}
