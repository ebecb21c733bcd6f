//! `/items/:code`: the 办事指南, tailored to the applicant's answers.
//!
//! Phone first: name and key facts, when it will be done, then the 情形引导 questions and
//! everything they change (materials, conditions, steps), then where, when and whom to call.
//! The answers are kept in the URL (`?a=`), so reloading, sharing and printing keep them. An item
//! that is a member of 一件事 says so ("这件事可以和…一起办") and links them.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{Department, ItemDetail, ItemGuide, Theme};
use crate::rules::tailor::{answers_from_query, answers_to_query, tailor, valid_answers, Answers};
use crate::ui::browser;
use crate::ui::components::apply_online::ApplyOnline;
use crate::ui::components::clause_list::{clause_items, step_items};
use crate::ui::components::due_date::DueDate;
use crate::ui::components::item_sites::ItemSites;
use crate::ui::components::material_checklist::MaterialChecklist;
use crate::ui::components::places::{phones, places};
use crate::ui::components::situation_questions::SituationSection;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog;
use crate::ui::http::encode;
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
pub fn GuidePage() -> AnyView {
    let params = use_params_map();
    let detail = fetch(move || catalog::item(params.with(|p| p.get("code")).unwrap_or_default()));
    show(detail, Some(missing_item), |detail| {
        view! { <Guide detail/> }.into_any()
    })
}

/// `<section class=class aria-labelledby=id><h2 id=id>title</h2>…</section>`.
#[component]
pub fn Section(
    class: &'static str,
    id: &'static str,
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class=class aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {children()}
        </section>
    }
}

/// Name, summary, code, type and department.
fn head(g: &ItemGuide, department: &Department) -> impl IntoView {
    view! {
        <p class="lead">{g.summary.clone()}</p>
        <dl class="meta">
            <div>
                <dt>"事项编码"</dt>
                <dd>{g.code.clone()}</dd>
            </div>
            <div>
                <dt>"事项类型"</dt>
                <dd>{g.item_type.clone()}</dd>
            </div>
            <div>
                <dt>"实施部门"</dt>
                <dd>{department.name.clone()}</dd>
            </div>
        </dl>
    }
}

/// `<div class=class><dt>term</dt><dd>value</dd></div>`, one fact of the key facts.
fn fact(class: &'static str, term: &'static str, value: String) -> impl IntoView {
    view! {
        <div class=class>
            <dt>{term}</dt>
            <dd>{value}</dd>
        </div>
    }
}

/// 承诺时限 vs 法定时限, 办件类型, 网办深度, 到现场次数, 收费.
fn facts(g: &ItemGuide) -> impl IntoView {
    let promised = if g.promised_days == 0 {
        "即办".to_string()
    } else {
        format!("{} 个工作日", g.promised_days)
    };
    let statutory = if g.statutory_days == 0 {
        "法定时限：无".to_string()
    } else {
        format!("法定时限：{} 个工作日", g.statutory_days)
    };
    // A charge is explained in a sentence or two: give it the whole row.
    let fee = if g.fee.free {
        fact("fact", "收费", "不收费".to_string())
    } else {
        fact("fact fact--fee", "收费", g.fee.description.clone())
    };
    view! {
        <div class="fact fact--wide">
            <dt>"承诺时限"</dt>
            <dd>
                <strong>{promised}</strong>
                <span class="fact__sub">{statutory}</span>
            </dd>
        </div>
        {fact("fact", "办件类型", g.handling.label().to_string())}
        {fact("fact", "网办深度", g.online_level.label().to_string())}
        {fact("fact", "到现场次数", wording::visits(g.visits))}
        {fee}
    }
}

/// The side column: where and when, phones, result, fee, legal basis, themes.
fn side(g: &ItemGuide, themes: &[Theme]) -> impl IntoView {
    let yes_no = |b: bool| if b { "支持" } else { "不支持" };
    let basis = g
        .fee
        .basis
        .clone()
        .map(|basis| view! { <p class="small">"收费依据："{basis}</p> });
    let legal = g
        .legal_basis
        .iter()
        .map(|b| view! { <li>{b.clone()}</li> })
        .collect_view();
    let themes = (!themes.is_empty()).then(|| {
        let chips = themes
            .iter()
            .map(|t| {
                view! {
                    <li>
                        <a class="chip chip--link" href=format!("/themes/{}", t.code)>{t.name.clone()}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <Section class="section card" id="th-title" title="所属主题">
                <ul class="chips">{chips}</ul>
            </Section>
        }
    });
    let (places, phones) = (
        places(&g.places),
        phones(&g.consult_phone, &g.complaint_phone),
    );
    let (result, delivery) = (g.result.clone(), g.delivery.join("、"));
    let appointment = if g.appointment {
        "支持，在“在哪里办”中点服务点的“预约”"
    } else {
        "无需预约，在办公时间直接前往"
    };
    let cross_province = yes_no(g.cross_province);
    let fee = g.fee.description.clone();
    view! {
        <Section class="section card" id="p-title" title="办理地点和时间">
            {places}
        </Section>
        <Section class="section card" id="ph-title" title="咨询与投诉">
            {phones}
        </Section>
        <Section class="section card" id="r-title" title="办理结果">
            <dl class="pairs">
                <dt>"结果"</dt>
                <dd>{result}</dd>
                <dt>"送达方式"</dt>
                <dd>{delivery}</dd>
                <dt>"网上预约"</dt>
                <dd>{appointment}</dd>
                <dt>"跨省通办"</dt>
                <dd>{cross_province}</dd>
            </dl>
        </Section>
        <Section class="section card" id="f-title" title="收费">
            <p>{fee}</p>
            {basis}
        </Section>
        <Section class="section card" id="l-title" title="设立依据">
            <ul class="clauses small">{legal}</ul>
        </Section>
        {themes}
    }
}

/// "这件事可以和…一起办": the 一件事 this item is a member of, linked; nothing when none.
fn together(bundles: Vec<crate::api::BundleHit>) -> Option<impl IntoView> {
    (!bundles.is_empty()).then(|| {
        let links = bundles
            .into_iter()
            .map(|b| {
                view! {
                    <li>
                        <a class="chip chip--link" href=format!("/bundles/{}", encode(&b.code))>
                            {b.name}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="section card together" aria-labelledby="together-title">
                <h2 id="together-title">"一件事一次办"</h2>
                <p>"这件事可以和相关事项一起办：填一张表、交一套材料、提交一次。"</p>
                <ul class="chips">{links}</ul>
            </section>
        }
    })
}

#[component]
fn Guide(detail: ItemDetail) -> impl IntoView {
    let ItemDetail {
        guide,
        department,
        themes,
        forms,
        bundles,
        ..
    } = detail;
    let together = together(bundles);
    browser::set_title(&guide.name);
    let code = guide.code.clone();
    let appointment = guide.appointment;
    let online = (
        guide.online_level,
        guide.audience == crate::api::Audience::Business,
    );
    let name = guide.name.clone();
    let head = head(&guide, &department);
    let facts = facts(&guide);
    let due = view! { <DueDate handling=guide.handling promised_days=guide.promised_days/> };
    let side = side(&guide, &themes);
    let situations = guide.situations.clone();

    let answers = RwSignal::new(answers_in_url(&guide));
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

    let print_href = {
        let code = code.clone();
        move || answers.with(|a| guide_path(&code, "/print", a))
    };
    let share_status = RwSignal::new(None::<Result<(), String>>);
    let share = {
        let code = code.clone();
        move |_| {
            let path = answers.with_untracked(|a| guide_path(&code, "", a));
            let url = format!("{}{}", browser::origin(), path);
            let fallback = url.clone();
            browser::copy_to_clipboard(&url, move |ok| {
                share_status.set(Some(if ok { Ok(()) } else { Err(fallback) }));
            });
        }
    };
    let open_note = move || {
        let n = tailored.with(|t| t.open_questions.len());
        (n > 0).then(|| {
            view! {
                <p class="note">
                    {format!("还有 {n} 个问题未回答：标有")}
                    <span class="badge badge--depends">"视情形"</span>
                    "的内容是否需要，取决于您的回答。"
                </p>
            }
        })
    };
    let conditions = move || tailored.with(|t| clause_items(&t.conditions));
    let steps = move || tailored.with(|t| step_items(&t.steps, false));
    let tips = move || {
        tailored.with(|t| {
            (!t.tips.is_empty()).then(|| {
                view! {
                    <section class="section card tips" aria-labelledby="t-title">
                        <h2 id="t-title">"温馨提示"</h2>
                        <ul class="clauses">{clause_items(&t.tips)}</ul>
                    </section>
                }
            })
        })
    };

    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/">"首页"</a>
            <span aria-hidden="true">" › "</span>
            <a href=format!("/departments/{}", department.code)>{department.name.clone()}</a>
        </nav>
        <article class="guide">
            <header class="guide__head">
                <h1 class="page-title">{name}</h1>
                <div>{head}</div>
            </header>

            <section class="keyfacts" aria-labelledby="facts-title">
                <h2 id="facts-title" class="visually-hidden">"办理要点"</h2>
                <dl class="facts">{facts}</dl>
                <div>{due}</div>
                <div class="actions">
                    <ApplyOnline code=code.clone() level=online.0 business=online.1 answers/>
                    <a class="button button--primary" href=print_href>"打印材料清单"</a>
                    <button type="button" class="button" on:click=share>"分享"</button>
                </div>
                <div role="status" class="share-status">
                    {move || {
                        share_status
                            .get()
                            .map(|s| match s {
                                Ok(()) => view! { <p class="ok">"链接已复制"</p> }.into_any(),
                                Err(url) => {
                                    view! {
                                        <p>
                                            <label for="share-url">
                                                "无法自动复制，请长按或选中下面的链接复制："
                                            </label>
                                            <input id="share-url" class="share-url" type="text" readonly value=url/>
                                        </p>
                                    }
                                        .into_any()
                                }
                            })
                    }}
                </div>
            </section>
            {together}

            <div class="guide__body">
                <div class="guide__main">
                    <SituationSection situations answers hint="回答下面的问题，只看与您有关的条件、材料和步骤。"/>
                    <section class="section card" aria-labelledby="m-title">
                        <h2 id="m-title">"申报材料"</h2>
                        {open_note}
                        <MaterialChecklist item_code=code.clone() materials forms/>
                    </section>
                    <section class="section card" aria-labelledby="c-title">
                        <h2 id="c-title">"受理条件"</h2>
                        <ul class="clauses">{conditions}</ul>
                    </section>
                    <section class="section card" aria-labelledby="s-title">
                        <h2 id="s-title">"办理流程"</h2>
                        <ol class="steps">{steps}</ol>
                    </section>
                    <ItemSites code=code.clone() appointment/>
                    {tips}
                </div>
                // Not an <aside>: a complementary landmark may not sit inside <main>.
                <div class="guide__side">{side}</div>
            </div>
        </article>
    }
}
