//! 一件事一次办: `/bundles`, every bundle for the chosen audience, and `/bundles/:code`, a
//! bundle's guide — which items it settles and in which departments, the ONE set of materials
//! (each needed once), how long it takes side by side, where to go — tailored to the answers
//! kept in the URL (`?a=`), with 在线申请.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{BundleDetail, BundleMemberView, MergedMaterial};
use crate::rules::tailor::{answers_from_query, answers_to_query, Answers};
use crate::ui::browser;
use crate::ui::components::audience_switch::{saved_audience, AudienceSwitch};
use crate::ui::components::bundle_cards::BundleCards;
use crate::ui::components::case_view::pair;
use crate::ui::components::places::places;
use crate::ui::components::situation_questions::SituationSection;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::bundles as api;
use crate::ui::http::encode;
use crate::ui::pages::not_found::NotFoundText;

/// `/bundles/CODE` (+ `suffix`) with the answers as `?a=`.
pub fn bundle_path(code: &str, suffix: &str, answers: &Answers) -> String {
    let a = answers_to_query(answers);
    let code = encode(code);
    if a.is_empty() {
        format!("/bundles/{code}{suffix}")
    } else {
        format!("/bundles/{code}{suffix}?a={a}")
    }
}

fn days_words(days: u32) -> String {
    if days == 0 {
        "即办".into()
    } else {
        format!("{days} 个工作日")
    }
}

#[component]
pub fn BundlesPage() -> impl IntoView {
    browser::set_title("一件事一次办");
    let audience = RwSignal::new(saved_audience());
    let list = fetch(api::bundles);
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/">"首页"</a>
        </nav>
        <h1 class="page-title">"一件事一次办"</h1>
        <p class="lead">
            "把要跑几个部门的事合成一件：填一张表、交一套材料、提交一次，各部门同时办理，进度在一处查看。"
        </p>
        <AudienceSwitch audience/>
        {show(list, None, move |list| view! { <BundleCards list audience/> }.into_any())}
    }
}

fn missing_bundle() -> AnyView {
    browser::set_title("没有找到这件事");
    view! { <NotFoundText what="“一件事”"/> }.into_any()
}

#[component]
pub fn BundlePage() -> AnyView {
    let params = use_params_map();
    let query = use_query_map();
    let first = fetch(move || {
        let code = params.with(|p| p.get("code")).unwrap_or_default();
        let a = query.with_untracked(|q| q.get("a")).unwrap_or_default();
        api::bundle(code, a)
    });
    show(first, Some(missing_bundle), |detail| {
        view! { <BundleGuide detail/> }.into_any()
    })
}

/// Short names of members by item code, for "用于：…" and "等…办结后".
fn short_names(members: &[BundleMemberView], codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| {
            members
                .iter()
                .find(|m| &m.item_code == c)
                .map_or(c.as_str(), |m| m.short_name.as_str())
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// 合并办理 / 涉及部门 / 承诺时限 / 办理方式.
fn facts_view(d: &BundleDetail) -> impl IntoView {
    let mut departments: Vec<&str> = Vec::new();
    for m in &d.members_shown {
        if !departments.contains(&m.department.as_str()) {
            departments.push(&m.department);
        }
    }
    let sub = if d.statutory_days_sum == 0 {
        "各事项均为即办件，材料齐全当场办结".to_string()
    } else {
        format!("分别办理的法定时限合计 {} 个工作日", d.statutory_days_sum)
    };
    view! {
        <div class="fact fact--wide">
            <dt>"承诺时限"</dt>
            <dd>
                <strong>{days_words(d.total_promised_days)}</strong>
                <span class="fact__sub">{sub}</span>
            </dd>
        </div>
        <div class="fact">{pair("合并办理", format!("{} 个事项", d.members_shown.len()))}</div>
        <div class="fact">{pair("涉及部门", format!("{} 个", departments.len()))}</div>
        <div class="fact">{pair("办理方式", d.bundle.timing.mode.label().to_string())}</div>
    }
}

/// The members in the order they are handled, each with department and time.
fn members_view(d: &BundleDetail) -> impl IntoView {
    let members = d
        .members_shown
        .iter()
        .map(|m| {
            let after = (!m.after.is_empty()).then(|| {
                let names = short_names(&d.members_shown, &m.after);
                view! { <p class="bundle-member__after">{format!("在“{names}”办结后自动开始")}</p> }
            });
            view! {
                <li class="bundle-member">
                    <p class="bundle-member__name">
                        <a href=format!("/items/{}", encode(&m.item_code))>{m.short_name.clone()}</a>
                    </p>
                    <p class="small">{m.name.clone()}</p>
                    <p class="bundle-member__meta">
                        {format!("{} · 承诺 {}", m.department, days_words(m.promised_days))}
                    </p>
                    {after}
                    {m.depends.then(|| view! { <span class="badge badge--depends">"视情形"</span> })}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="bundle-members">{members}</ol> }
}

fn material_view(m: &MergedMaterial, members: &[BundleMemberView]) -> impl IntoView {
    let need = if m.provided_by.is_some() {
        Some(view! { <li class="badge badge--good">"无需提交"</li> }.into_any())
    } else if m.auto_fetched.is_some() {
        Some(view! { <li class="badge badge--good">"自动获取"</li> }.into_any())
    } else if m.required {
        Some(view! { <li class="badge badge--need">"必交"</li> }.into_any())
    } else if m.tolerance_allowed {
        Some(view! { <li class="badge">"容缺可后补"</li> }.into_any())
    } else {
        None
    };
    let provided = m.provided_by.as_ref().map(|by| {
        let names = short_names(members, std::slice::from_ref(by));
        view! { <p class="material__note">{format!("由“{names}”办结后自动提供，无需上传")}</p> }
    });
    view! {
        <li class="material">
            <p class="material__title">{m.name.clone()}</p>
            <ul class="badges">
                {need}
                {m.depends.then(|| view! { <li class="badge badge--depends">"视情形"</li> })}
                {m.pledge_allowed.then(|| view! { <li class="badge badge--good">"可告知承诺"</li> })}
                {m.e_licence.then(|| view! { <li class="badge badge--good">"可用电子证照"</li> })}
            </ul>
            {provided}
            {m.auto_fetched.clone().map(|f| view! { <p class="material__note">{f}</p> })}
            {m.note.clone().map(|note| view! { <p class="material__note">{note}</p> })}
            <p class="material__used">{format!("用于：{}", short_names(members, &m.used_by))}</p>
        </li>
    }
}

fn materials_view(d: &BundleDetail) -> impl IntoView {
    let materials = d
        .materials
        .iter()
        .map(|m| material_view(m, &d.members_shown))
        .collect_view();
    let replaced = (!d.replaced_forms.is_empty()).then(|| {
        let names = d
            .replaced_forms
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        view! { <p class="note">{format!("一表申请：{names} 不用再分别填写，在线申请时填一张表即可。")}</p> }
    });
    view! {
        <ul class="checklist bundle-materials">{materials}</ul>
        {replaced}
    }
}

#[component]
fn BundleGuide(detail: BundleDetail) -> impl IntoView {
    let bundle = detail.bundle.clone();
    browser::set_title(&bundle.name);
    let code = bundle.code.clone();
    let query = use_query_map();
    let initial = answers_from_query(&query.with_untracked(|q| q.get("a")).unwrap_or_default());
    let answers = RwSignal::new(initial);
    let shown = RwSignal::new(detail);

    // Re-tailor on every answer and keep the answers in the address bar.
    let navigate = use_navigate();
    let written = StoredValue::new(answers.with_untracked(answers_to_query));
    {
        let code = code.clone();
        Effect::new(move |_| {
            let a = answers.with(answers_to_query);
            if written.with_value(|w| *w == a) {
                return;
            }
            written.set_value(a.clone());
            navigate(
                &answers.with_untracked(|x| bundle_path(&code, "", x)),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
            let code = code.clone();
            leptos::task::spawn_local(async move {
                if let Ok(detail) = api::bundle(code, a.clone()).await {
                    // A slower answer to an older choice must not overwrite a newer one.
                    if written.try_with_value(|w| *w == a).unwrap_or(false) {
                        shown.set(detail);
                    }
                }
            });
        });
    }

    let facts = move || shown.with(facts_view);
    let members = move || shown.with(members_view);
    let materials = move || shown.with(materials_view);
    let open = move || shown.with(|d| d.open_questions.len());
    let apply = {
        let code = code.clone();
        move || {
            let n = open();
            if n > 0 {
                view! {
                    <p class="note">{format!("请先回答下面的 {n} 个问题，再在线申请。")}</p>
                    <a class="button button--primary" href="#q-title">"去回答问题"</a>
                }
                .into_any()
            } else {
                let href = answers.with(|a| bundle_path(&code, "/apply", a));
                view! { <a class="button button--primary button--wide" href=href>"在线申请"</a> }
                    .into_any()
            }
        }
    };
    let places = places(&bundle.places);
    let tips = (!bundle.tips.is_empty()).then(|| {
        let tips = bundle
            .tips
            .iter()
            .map(|t| view! { <li>{t.clone()}</li> })
            .collect_view();
        view! {
            <section class="section card tips" aria-labelledby="t-title">
                <h2 id="t-title">"温馨提示"</h2>
                <ul class="clauses">{tips}</ul>
            </section>
        }
    });
    let situations = bundle.situations.clone();
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/">"首页"</a>
            <span aria-hidden="true">" › "</span>
            <a href="/bundles">"一件事一次办"</a>
        </nav>
        <article class="guide">
            <header class="guide__head">
                <p class="eyebrow">"一件事一次办"</p>
                <h1 class="page-title">
                    <span class="page-title__icon" aria-hidden="true">{bundle.icon.clone()}</span>
                    {bundle.name.clone()}
                </h1>
                <p class="lead">{bundle.summary.clone()}</p>
            </header>
            <section class="keyfacts" aria-labelledby="facts-title">
                <h2 id="facts-title" class="visually-hidden">"办理要点"</h2>
                <dl class="facts">{facts}</dl>
                <p class="hint">{bundle.timing.explanation.clone()}</p>
                <div class="actions">{apply}</div>
            </section>
            <div class="guide__body">
                <div class="guide__main">
                    <SituationSection situations answers hint="回答下面的问题，只办与您有关的事项、只交需要的材料。"/>
                    <section class="section card" aria-labelledby="mb-title">
                        <h2 id="mb-title">"一次办好这些事"</h2>
                        <div>{members}</div>
                    </section>
                    <section class="section card" aria-labelledby="m-title">
                        <h2 id="m-title">"一套材料"</h2>
                        <p class="hint">"几个事项都要用的材料只交一次。"</p>
                        <div>{materials}</div>
                    </section>
                    {tips}
                </div>
                <div class="guide__side">
                    <section class="section card" aria-labelledby="p-title">
                        <h2 id="p-title">"办理地点和时间"</h2>
                        {places}
                    </section>
                </div>
            </div>
        </article>
    }
}
