//! `/items/:code/print?a=…`: a clean printable material checklist with a QR code that opens the
//! same guide with the same answers.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ItemDetail;
use crate::rules::tailor::tailor;
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::components::clause_list::{depends_badge, ClauseList};
use crate::ui::components::due_date::DueDateNote;
use crate::ui::components::material_checklist::{amounts, badges};
use crate::ui::components::places::{Phones, Places};
use crate::ui::components::status::loaded;
use crate::ui::pages::guide::{answers_in_url, guide_path, missing_item};

#[component]
pub fn PrintPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let detail = LocalResource::new(move || api_client::item(code.get()));
    loaded(detail, Some(missing_item), |detail| view! { <PrintSheet detail/> })
}

#[component]
fn PrintSheet(detail: ItemDetail) -> impl IntoView {
    let g = detail.guide;
    browser::set_title(&format!("{} 材料清单", g.name));
    let answers = answers_in_url(&g);
    let tailored = tailor(&g, &answers);
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
    let materials = tailored
        .materials
        .into_iter()
        .map(|m| {
            view! {
                <li class="print-material">
                    <span class="box" aria-hidden="true"></span>
                    <div>
                        <p class="print-material__name">{m.item.name.clone()}</p>
                        <p class="small">{amounts(&m.item)} " · 来源：" {m.item.source.clone()}</p>
                        {badges(&m.item, m.depends)}
                        {m.item.note.clone().map(|n| view! { <p class="small">{n}</p> })}
                    </div>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>"打印"</button>
            <a class="button" href=guide_href>"返回指南"</a>
        </div>
        <article class="print-sheet">
            <header class="print-sheet__head">
                <div>
                    <p class="small">"办事通 · 示范区政务服务 · 材料清单"</p>
                    <h1 class="page-title">{g.name.clone()}</h1>
                    <p class="small">"事项编码：" {g.code.clone()} " · " {detail.department.name}</p>
                </div>
                <figure class="qr">
                    <img src=api_client::qr_src(&share_url) alt="打开本事项办事指南的二维码" width="120" height="120"/>
                    <figcaption class="small">"扫码查看指南"</figcaption>
                </figure>
            </header>
            {(!chosen.is_empty()).then(|| view! {
                <p class="small">"您的情形：" {chosen.join("；")}</p>
            })}
            <DueDateNote handling=g.handling promised_days=g.promised_days/>
            <section class="section" aria-labelledby="pm-title">
                <h2 id="pm-title">"申报材料（请逐项打勾）"</h2>
                <ul class="print-materials">{materials}</ul>
            </section>
            <section class="section" aria-labelledby="pc-title">
                <h2 id="pc-title">"受理条件"</h2>
                <ClauseList clauses=tailored.conditions/>
            </section>
            <section class="section" aria-labelledby="ps-title">
                <h2 id="ps-title">"办理流程"</h2>
                <ol class="steps steps--compact">
                    {tailored.steps.into_iter().map(|s| view! {
                        <li>
                            <strong>{s.item.title}</strong> " " {depends_badge(s.depends)} "：" {s.item.description}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <div class="print-cols">
                <section class="section" aria-labelledby="pp-title">
                    <h2 id="pp-title">"办理地点和时间"</h2>
                    <Places places=g.places/>
                </section>
                <section class="section" aria-labelledby="pt-title">
                    <h2 id="pt-title">"电话"</h2>
                    <Phones consult=g.consult_phone complaint=g.complaint_phone/>
                    <p class="small">"政务服务便民热线：12345"</p>
                </section>
            </div>
            <p class="small demo-line">"示范数据：示范区及其部门、事项均为虚构，仅用于演示"</p>
        </article>
    }
}
