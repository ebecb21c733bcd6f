//! `/items/:code/print?a=…`: a clean printable material checklist with a QR code that opens the
//! same guide with the same answers.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ItemDetail;
use crate::rules::tailor::tailor;
use crate::ui::browser;
use crate::ui::components::clause_list::{clause_items, step_items};
use crate::ui::components::due_date::DueDate;
use crate::ui::components::material_checklist::material_details;
use crate::ui::components::places::{phones, places};
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog;
use crate::ui::pages::guide::{answers_in_url, guide_path, missing_item, Section};

#[component]
pub fn PrintPage() -> AnyView {
    let params = use_params_map();
    let detail = fetch(move || catalog::item(params.with(|p| p.get("code")).unwrap_or_default()));
    show(detail, Some(missing_item), |detail| {
        view! { <PrintSheet detail/> }.into_any()
    })
}

/// Everything under the title.
fn sheet(detail: &ItemDetail, answers_text: String) -> impl IntoView {
    let g = &detail.guide;
    let tailored = tailor(g, &answers_in_url(g));
    let chosen = (!answers_text.is_empty())
        .then(|| view! { <p class="small">"您的情形："{answers_text}</p> });
    let materials = tailored
        .materials
        .iter()
        .map(|m| {
            view! {
                <li class="print-material">
                    <span class="box" aria-hidden="true"></span>
                    <div>
                        <p class="print-material__name">{m.item.name.clone()}</p>
                        {material_details(&m.item, m.depends, &[])}
                    </div>
                </li>
            }
        })
        .collect_view();
    let conditions = clause_items(&tailored.conditions);
    let steps = step_items(&tailored.steps, true);
    let (places, phones) = (
        places(&g.places),
        phones(&g.consult_phone, &g.complaint_phone),
    );
    view! {
        {chosen}
        <DueDate handling=g.handling promised_days=g.promised_days/>
        <Section class="section" id="pm-title" title="申报材料（请逐项打勾）">
            <ul class="print-materials">{materials}</ul>
        </Section>
        <Section class="section" id="pc-title" title="受理条件">
            <ul class="clauses">{conditions}</ul>
        </Section>
        <Section class="section" id="ps-title" title="办理流程">
            <ol class="steps--compact">{steps}</ol>
        </Section>
        <div class="print-cols">
            <Section class="section" id="pp-title" title="办理地点和时间">
                {places}
            </Section>
            <Section class="section" id="pt-title" title="电话">
                {phones}
                <p class="small">"政务服务便民热线：12345"</p>
            </Section>
        </div>
        <p class="small demo-line">"示范数据：示范区及其部门、事项均为虚构，仅用于演示"</p>
    }
}

#[component]
fn PrintSheet(detail: ItemDetail) -> impl IntoView {
    let g = &detail.guide;
    browser::set_title(&format!("{} 材料清单", g.name));
    let answers = answers_in_url(g);
    let guide_href = guide_path(&g.code, "", &answers);
    let share_url = format!("{}{}", browser::origin(), guide_href);
    let chosen: Vec<String> = g
        .situations
        .iter()
        .filter_map(|s| {
            let value = answers.get(&s.id)?;
            let option = s.options.iter().find(|o| &o.value == value)?;
            Some(format!("{}{}", s.question, option.label))
        })
        .collect();
    let sheet = sheet(&detail, chosen.join("；"));
    let code_line = format!("事项编码：{} · {}", g.code, detail.department.name);
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>
                "打印"
            </button>
            <a class="button" href=guide_href>"返回指南"</a>
        </div>
        <article class="print-sheet">
            <header class="print-sheet__head">
                <div>
                    <p class="small">"办事通 · 示范区政务服务 · 材料清单"</p>
                    <h1 class="page-title">{detail.guide.name.clone()}</h1>
                    <p class="small">{code_line}</p>
                </div>
                <figure class="qr">
                    <img
                        src=catalog::qr_src(&share_url)
                        alt="打开本事项办事指南的二维码"
                        width="120"
                        height="120"
                    />
                    <figcaption class="small">"扫码查看指南"</figcaption>
                </figure>
            </header>
            <div>{sheet}</div>
        </article>
    }
}
