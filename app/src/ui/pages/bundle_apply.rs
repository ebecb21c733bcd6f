//! Applying for a 一件事: `/bundles/:code/apply?a=…` starts a draft (after signing in) and
//! opens `/my/bundles/:id` — while a draft, the one form (plus 企业开办's company facts), one
//! upload per material and 一次提交; once submitted, the combined progress.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::{BundleApplicationDetail, BundleStatus, CaseMaterial, CompanyType, Verdict};
use crate::rules::tailor::answers_from_query;
use crate::ui::browser;
use crate::ui::components::bundle_progress::BundleProgress;
use crate::ui::components::case_form::{Draft, FormFields, SaveStatus};
use crate::ui::components::company_facts::{blank_facts, company_type_of, CompanyFactsForm};
use crate::ui::components::material_uploads::MaterialUploads;
use crate::ui::components::open_created::open_created;
use crate::ui::components::status::{fetch, Loading};
use crate::ui::components::submit_bar::SubmitBar;
use crate::ui::endpoints::bundles as api;
use crate::ui::http::encode;
use crate::ui::pages::bundles::bundle_path;
use crate::ui::session::{fetch_signed_in, guard, replace, when_signed_in, Signin};

/// `/bundles/:code/apply?a=…`: creates the draft with the guide's answers, then replaces itself
/// with `/my/bundles/:id`.
#[component]
pub fn BundleApplyNewPage() -> impl IntoView {
    browser::set_title("一件事 在线申请");
    let params = use_params_map();
    let query = use_query_map();
    let code = params.with_untracked(|p| p.get("code")).unwrap_or_default();
    let answers = answers_from_query(&query.with_untracked(|q| q.get("a")).unwrap_or_default());
    let guide = bundle_path(&code, "", &answers);
    let created = fetch(move || {
        when_signed_in(
            Signin::Applicant,
            api::create(code.clone(), answers.clone()),
        )
    });
    let path_of = |d: &BundleApplicationDetail| format!("/my/bundles/{}", encode(&d.id));
    view! {
        <h1 class="page-title">"一件事 在线申请"</h1>
        {open_created(created, guide, path_of)}
    }
}

/// `/my/bundles/:id`: the draft form, or the combined progress once submitted.
#[component]
pub fn MyBundlePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Applicant, move || api::application(id.get()));
    let reload = Callback::new(move |_: ()| detail.refetch());
    view! {
        {guard(detail, Signin::Applicant, move |d| {
            if d.status == BundleStatus::Draft {
                view! { <BundleDraft detail=d reload/> }.into_any()
            } else {
                view! { <BundleProgress detail=d reload/> }.into_any()
            }
        })}
    }
}

/// A bundle material shown with the single-case upload list: what it is, which members use it.
fn as_case_material(d: &BundleApplicationDetail, m: &crate::api::BundleMaterial) -> CaseMaterial {
    let used: Vec<&str> = m
        .material
        .used_by
        .iter()
        .map(|code| {
            d.members
                .iter()
                .find(|x| &x.item_code == code)
                .map_or(code.as_str(), |x| x.short_name.as_str())
        })
        .collect();
    let mut note = format!("上传一次，用于：{}", used.join("、"));
    if let Some(n) = &m.material.note {
        note = format!("{n}。{note}");
    }
    CaseMaterial {
        material_id: m.material.material_id.clone(),
        name: m.material.name.clone(),
        note: Some(note),
        required: m.material.required,
        tolerance_allowed: m.material.tolerance_allowed,
        pledge_allowed: m.material.pledge_allowed,
        verdict: Verdict::Pending,
        reason: None,
        deadline: None,
        uploads: m.uploads.clone(),
        auto_fetched: m.material.auto_fetched.clone(),
    }
}

#[component]
fn BundleDraft(detail: BundleApplicationDetail, reload: Callback<()>) -> impl IntoView {
    browser::set_title(&format!("在线申请：{}", detail.bundle_name));
    let id = detail.id.clone();
    let base = api::application_url(&id, "");
    let errors = RwSignal::new(BTreeMap::new());
    let draft = Draft::new(
        base.clone(),
        detail.form_spec.clone(),
        detail.form.clone(),
        detail.answers.clone(),
        errors,
    );
    let materials = RwSignal::new(
        detail
            .materials
            .iter()
            .filter(|m| m.material.provided_by.is_none())
            .map(|m| as_case_material(&detail, m))
            .collect::<Vec<_>>(),
    );
    let provided: Vec<String> = detail
        .materials
        .iter()
        .filter(|m| m.material.provided_by.is_some())
        .map(|m| m.material.name.clone())
        .collect();
    let replaced: Vec<String> = detail
        .replaced_forms
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let members = detail
        .members
        .iter()
        .map(|m| view! { <li>{format!("{}（{}）", m.short_name, m.department)}</li> })
        .collect_view();
    let departments = {
        let mut seen: Vec<&str> = Vec::new();
        for m in &detail.members {
            if !seen.contains(&m.department.as_str()) {
                seen.push(&m.department);
            }
        }
        seen.len()
    };
    let guide_href = format!(
        "/bundles/{}?a={}",
        encode(&detail.bundle_code),
        crate::rules::tailor::answers_to_query(&detail.answers)
    );
    let open = (!detail.open_questions.is_empty()).then(|| {
        view! {
            <p class="note" role="alert">
                {format!("还有 {} 个问题没有回答，提交前请先 ", detail.open_questions.len())}
                <a href=guide_href.clone()>"回到办事指南回答"</a>
                "，再重新申请。"
            </p>
        }
    });
    let company = detail.needs_company.then(|| {
        let kind = detail
            .answers
            .get("company_type")
            .map(|t| company_type_of(t))
            .unwrap_or(CompanyType::Llc);
        let initial = detail
            .company
            .clone()
            .unwrap_or_else(|| blank_facts(kind, "示范区"));
        let scopes = fetch(api::business_scopes);
        view! {
            <section class="section card" aria-labelledby="company-title" id="f-company" tabindex="-1">
                <h2 id="company-title">"填写企业信息"</h2>
                <p class="hint">"名称、股东、法定代表人、住所和经营范围只填这一次，各部门共用。"</p>
                {move || match scopes.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Ok(list)) => view! {
                        <CompanyFactsForm draft initial=initial.clone() scopes=list.scopes errors/>
                    }
                    .into_any(),
                    Some(Err(f)) => view! { <p class="problem" role="alert">{f.message}</p> }.into_any(),
                }}
            </section>
        }
    });
    let navigate = use_navigate();
    let on_done = {
        let id = id.clone();
        Callback::new(move |_: crate::api::BundleSubmitted| {
            navigate(
                &format!("/my/bundles/{}?submitted=1", encode(&id)),
                replace(),
            );
            browser::scroll_to_top();
            reload.run(());
        })
    };
    let n = detail.members.len();
    let later = detail.members.iter().filter(|m| m.stage > 1).count();
    let hint = if later == 0 {
        format!("填一张表、每份材料只传一次，提交后同时送达 {departments} 个部门，办理以下 {n} 个事项：")
    } else {
        format!(
            "填一张表、每份材料只传一次、一次提交，办理以下 {n} 个事项：{} 个先送达部门，另外 {later} 个在前序事项办结后由系统自动提交。",
            n - later
        )
    };
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/my">"我的办件"</a>
            <span aria-hidden="true">" › "</span>
            <a href=guide_href.clone()>"办事指南"</a>
        </nav>
        <p class="eyebrow">"一件事一次办 · 在线申请"</p>
        <h1 class="page-title">{detail.bundle_name.clone()}</h1>
        <p class="hint">
            {hint}
        </p>
        <ul class="chips chips--facts">{members}</ul>
        {open}
        <section class="section card" aria-labelledby="form-title">
            <h2 id="form-title">"填写申请信息"</h2>
            <SaveStatus draft/>
            <div class="fields">
                <FormFields draft/>
            </div>
        </section>
        {company}
        <section class="section card" aria-labelledby="upload-title">
            <h2 id="upload-title">"上传材料（每份只传一次）"</h2>
            <p class="hint">"拍照或选择文件。照片请拍清楚四角、不要反光。几个事项都要用的材料，这里传一次即可。"</p>
            <MaterialUploads base=base.clone() materials errors editable=true/>
            {(!provided.is_empty())
                .then(|| view! { <p class="note">{format!("无需上传：{}（前面的事项办结后自动获取）", provided.join("、"))}</p> })}
            {(!replaced.is_empty())
                .then(|| view! { <p class="note">{format!("无需另填：{}（已由本页申请信息代替）", replaced.join("、"))}</p> })}
        </section>
        <section class="section card" aria-labelledby="submit-title">
            <h2 id="submit-title">"一次提交"</h2>
            <p class="hint">"提交后各部门同时预审；需要补正的，会合并成一份告知书告诉您。"</p>
            <SubmitBar base draft=Some(draft) errors label="提交申请" on_done/>
        </section>
    }
}
