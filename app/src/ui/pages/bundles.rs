//! 一件事一次办: `/bundles`, every bundle for the chosen audience, and `/bundles/:code`, a
//! bundle's guide — which items it settles and in which departments, the ONE set of materials
//! (each needed once), how long it takes side by side, where to go — tailored to the answers
//! kept in the URL (`?a=`), with 在线申请.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::{Audience, BundleDetail, BundleList, BundleMemberView, MergedMaterial};
use crate::rules::tailor::{answers_from_query, answers_to_query, Answers};
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::bundles_decode;
use crate::ui::components::audience_switch::{saved_audience, AudienceSwitch};
use crate::ui::components::places::places_html;
use crate::ui::components::situation_questions::SituationSection;
use crate::ui::components::status::{load, loaded};
use crate::ui::markup::Html;
use crate::ui::pages::not_found::NotFoundText;

/// `/bundles/CODE` (+ `suffix`) with the answers as `?a=`.
pub fn bundle_path(code: &str, suffix: &str, answers: &Answers) -> String {
    let a = answers_to_query(answers);
    let code = api_client::encode(code);
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

/// The bundles of one audience as cards.
pub fn bundle_cards_html(list: &BundleList, audience: Audience) -> String {
    let mut h = Html::new();
    for b in list.bundles.iter().filter(|b| b.audience.serves(audience)) {
        h.raw("<li><a class=\"bundle-card\"")
            .attr("href", &format!("/bundles/{}", api_client::encode(&b.code)))
            .raw("><span class=\"bundle-card__icon\" aria-hidden=\"true\">")
            .text(&b.icon)
            .raw("</span><span class=\"bundle-card__body\">")
            .el("span", "bundle-card__name", &b.name)
            .el("span", "bundle-card__desc", &b.summary)
            .el(
                "span",
                "bundle-card__meta",
                &format!(
                    "{} 个事项 · {} · {}",
                    b.members.len(),
                    b.departments.join("、"),
                    if b.total_promised_days == 0 {
                        "当天办结".to_string()
                    } else {
                        format!("承诺 {} 个工作日", b.total_promised_days)
                    }
                ),
            )
            .raw("</span></a></li>");
    }
    h.finish()
}

#[component]
pub fn BundlesPage() -> impl IntoView {
    browser::set_title("一件事一次办");
    let audience = RwSignal::new(saved_audience());
    let list = load(Box::new(|| Box::pin(api_client::bundles())));
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/">"首页"</a>
        </nav>
        <h1 class="page-title">"一件事一次办"</h1>
        <p class="lead">
            "把要跑几个部门的事合成一件：填一张表、交一套材料、提交一次，各部门同时办理，进度在一处查看。"
        </p>
        <AudienceSwitch audience/>
        {loaded(
            list,
            None,
            Box::new(move |v| {
                let list = bundles_decode::bundle_list(&v);
                view! { <ul class="bundle-cards" inner_html=move || bundle_cards_html(&list, audience.get())></ul> }
                    .into_any()
            }),
        )}
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
    let first = load(Box::new(move || {
        let code = params.with(|p| p.get("code")).unwrap_or_default();
        let a = query.with_untracked(|q| q.get("a")).unwrap_or_default();
        Box::pin(api_client::bundle(code, a))
    }));
    loaded(
        first,
        Some(missing_bundle),
        Box::new(|v| view! { <BundleGuide detail=bundles_decode::detail(&v)/> }.into_any()),
    )
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
fn facts_html(d: &BundleDetail) -> String {
    let mut departments: Vec<&str> = Vec::new();
    for m in &d.members_shown {
        if !departments.contains(&m.department.as_str()) {
            departments.push(&m.department);
        }
    }
    let mut h = Html::new();
    h.raw("<div class=\"fact fact--wide\"><dt>承诺时限</dt><dd>")
        .el("strong", "", &days_words(d.total_promised_days))
        .el(
            "span",
            "fact__sub",
            &if d.statutory_days_sum == 0 {
                "各事项均为即办件，材料齐全当场办结".to_string()
            } else {
                format!("分别办理的法定时限合计 {} 个工作日", d.statutory_days_sum)
            },
        )
        .raw("</dd></div>");
    h.raw("<div class=\"fact\">")
        .pair("合并办理", &format!("{} 个事项", d.members_shown.len()))
        .raw("</div><div class=\"fact\">")
        .pair("涉及部门", &format!("{} 个", departments.len()))
        .raw("</div><div class=\"fact\">")
        .pair("办理方式", d.bundle.timing.mode.label())
        .raw("</div>");
    h.finish()
}

/// The members in the order they are handled, each with department and time.
fn members_html(d: &BundleDetail) -> String {
    let mut h = Html::new();
    h.open("ol", "bundle-members");
    for m in &d.members_shown {
        h.open("li", "bundle-member")
            .open("p", "bundle-member__name")
            .link(&format!("/items/{}", api_client::encode(&m.item_code)), "", &m.short_name)
            .close("p")
            .el("p", "small", &m.name)
            .open("p", "bundle-member__meta")
            .text(&m.department)
            .raw(" · 承诺 ")
            .text(&days_words(m.promised_days))
            .close("p");
        if !m.after.is_empty() {
            h.el(
                "p",
                "bundle-member__after",
                &format!("在“{}”办结后自动开始", short_names(&d.members_shown, &m.after)),
            );
        }
        if m.depends {
            h.el("span", "badge badge--depends", "视情形");
        }
        h.close("li");
    }
    h.close("ol");
    h.finish()
}

fn material_html(h: &mut Html, m: &MergedMaterial, members: &[BundleMemberView]) {
    h.open("li", "material")
        .el("p", "material__title", &m.name)
        .open("ul", "badges");
    if m.provided_by.is_some() {
        h.el("li", "badge badge--good", "无需提交");
    } else if m.required {
        h.el("li", "badge badge--need", "必交");
    } else if m.tolerance_allowed {
        h.el("li", "badge", "容缺可后补");
    }
    if m.depends {
        h.el("li", "badge badge--depends", "视情形");
    }
    if m.pledge_allowed {
        h.el("li", "badge badge--good", "可告知承诺");
    }
    if m.e_licence {
        h.el("li", "badge badge--good", "可用电子证照");
    }
    h.close("ul");
    if let Some(by) = &m.provided_by {
        h.el(
            "p",
            "material__note",
            &format!("由“{}”办结后自动提供，无需上传", short_names(members, std::slice::from_ref(by))),
        );
    }
    if let Some(note) = &m.note {
        h.el("p", "material__note", note);
    }
    h.el(
        "p",
        "material__used",
        &format!("用于：{}", short_names(members, &m.used_by)),
    );
    h.close("li");
}

fn materials_html(d: &BundleDetail) -> String {
    let mut h = Html::new();
    h.open("ul", "checklist bundle-materials");
    for m in &d.materials {
        material_html(&mut h, m, &d.members_shown);
    }
    h.close("ul");
    if !d.replaced_forms.is_empty() {
        h.open("p", "note")
            .raw("一表申请：")
            .text(
                &d.replaced_forms
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            )
            .raw(" 不用再分别填写，在线申请时填一张表即可。")
            .close("p");
    }
    h.finish()
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
                if let Ok(v) = api_client::bundle(code, a.clone()).await {
                    // A slower answer to an older choice must not overwrite a newer one.
                    if written.try_with_value(|w| *w == a).unwrap_or(false) {
                        shown.set(bundles_decode::detail(&v));
                    }
                }
            });
        });
    }

    let facts = move || shown.with(facts_html);
    let members = move || shown.with(members_html);
    let materials = move || shown.with(materials_html);
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
                view! { <a class="button button--primary button--wide" href=href>"在线申请"</a> }.into_any()
            }
        }
    };
    let mut side = Html::new();
    side.section("section card", "p-title", "办理地点和时间");
    places_html(&mut side, &bundle.places);
    side.close("section");
    let tips = (!bundle.tips.is_empty()).then(|| {
        let mut h = Html::new();
        for t in &bundle.tips {
            h.el("li", "", t);
        }
        view! {
            <section class="section card tips" aria-labelledby="t-title">
                <h2 id="t-title">"温馨提示"</h2>
                <ul class="clauses" inner_html=h.finish()></ul>
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
                <dl class="facts" inner_html=facts></dl>
                <p class="hint">{bundle.timing.explanation.clone()}</p>
                <div class="actions">{apply}</div>
            </section>
            <div class="guide__body">
                <div class="guide__main">
                    <SituationSection situations answers hint="回答下面的问题，只办与您有关的事项、只交需要的材料。"/>
                    <section class="section card" aria-labelledby="mb-title">
                        <h2 id="mb-title">"一次办好这些事"</h2>
                        <div inner_html=members></div>
                    </section>
                    <section class="section card" aria-labelledby="m-title">
                        <h2 id="m-title">"一套材料"</h2>
                        <p class="hint">"几个事项都要用的材料只交一次。"</p>
                        <div inner_html=materials></div>
                    </section>
                    {tips}
                </div>
                <div class="guide__side" inner_html=side.finish()></div>
            </div>
        </article>
    }
}
