//! `/items/:code/print?a=…`: a clean printable material checklist with a QR code that opens the
//! same guide with the same answers.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ItemDetail;
use crate::rules::tailor::tailor;
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::components::clause_list::{clauses_html, steps_html};
use crate::ui::components::due_date::due_html;
use crate::ui::components::material_checklist::material_details;
use crate::ui::components::places::{phones_html, places_html};
use crate::ui::components::status::{load, loaded};
use crate::ui::decode;
use crate::ui::markup::Html;
use crate::ui::pages::guide::{answers_in_url, guide_path, missing_item};

#[component]
pub fn PrintPage() -> AnyView {
    let params = use_params_map();
    let detail = load(Box::new(move || {
        Box::pin(api_client::item(params.with(|p| p.get("code")).unwrap_or_default()))
    }));
    loaded(
        detail,
        Some(missing_item),
        Box::new(|detail| view! { <PrintSheet detail=decode::item_detail(&detail)/> }.into_any()),
    )
}

/// Everything under the title, as text.
fn sheet_html(detail: &ItemDetail, answers_text: &str) -> String {
    let g = &detail.guide;
    let tailored = tailor(g, &answers_in_url(g));
    let mut h = Html::new();
    if !answers_text.is_empty() {
        h.open("p", "small").raw("您的情形：").text(answers_text).close("p");
    }
    h.raw(&due_html(g.handling, g.promised_days));

    h.section("section", "pm-title", "申报材料（请逐项打勾）");
    h.open("ul", "print-materials");
    for m in &tailored.materials {
        h.raw("<li class=\"print-material\"><span class=\"box\" aria-hidden=\"true\"></span><div>")
            .el("p", "print-material__name", &m.item.name);
        material_details(&mut h, &m.item, m.depends, &[]);
        h.raw("</div></li>");
    }
    h.close("ul").close("section");
    h.section("section", "pc-title", "受理条件");
    h.open("ul", "clauses").raw(&clauses_html(&tailored.conditions)).close("ul").close("section");
    h.section("section", "ps-title", "办理流程");
    h.open("ol", "steps--compact")
        .raw(&steps_html(&tailored.steps, true))
        .close("ol")
        .close("section");
    h.raw("<div class=\"print-cols\">");
    h.section("section", "pp-title", "办理地点和时间");
    places_html(&mut h, &g.places);
    h.close("section");
    h.section("section", "pt-title", "电话");
    phones_html(&mut h, &g.consult_phone, &g.complaint_phone);
    h.el("p", "small", "政务服务便民热线：12345").raw("</section></div>");
    h.el("p", "small demo-line", "示范数据：示范区及其部门、事项均为虚构，仅用于演示");
    h.finish()
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
    let sheet = sheet_html(&detail, &chosen.join("；"));
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
                        src=api_client::qr_src(&share_url)
                        alt="打开本事项办事指南的二维码"
                        width="120"
                        height="120"
                    />
                    <figcaption class="small">"扫码查看指南"</figcaption>
                </figure>
            </header>
            <div inner_html=sheet></div>
        </article>
    }
}
