//! `/my/cases/:id/notice`: the 一次性告知书 as a clean printable page, with a QR code that
//! opens the case.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::CaseDetail;
use crate::rules::form::applicant_name;
use crate::ui::browser;
use crate::ui::cases_api;
use crate::ui::cases_decode;
use crate::ui::components::case_view::{beijing_time, date_words, qr_html};
use crate::ui::markup::Html;
use crate::ui::session::guarded;

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = LocalResource::new(move || cases_api::get(cases_api::case_url(&id.get(), "")));
    guarded(detail, "/login", |v| notice_sheet(cases_decode::detail(&v)))
}

fn sheet_html(d: &CaseDetail) -> String {
    let s = &d.summary;
    let mut h = Html::new();
    let case_url = format!("{}/my/cases/{}", browser::origin(), s.id);
    h.raw(&qr_html(
        &case_url,
        "打开本办件的二维码",
        "扫码打开办件，补正后重新提交",
    ));
    h.open("dl", "pairs")
        .pair("受理编号", s.number.as_deref().unwrap_or(""))
        .pair("申请事项", &s.item_name)
        .pair("申请人", applicant_name(&d.form).unwrap_or(&s.applicant));
    let Some(n) = &d.notice else {
        h.close("dl")
            .el("p", "note", "该办件当前没有需要补正的内容。");
        return h.finish();
    };
    h.pair("审核部门", &n.department)
        .pair("告知时间", &beijing_time(&n.issued_at))
        .close("dl");
    h.el("p", "", "经审核，您提交的申请材料需要补正。现将全部需要补正的内容一次性告知如下：")
        .open("table", "notice-table")
        .raw("<thead><tr><th scope=\"col\">序号</th><th scope=\"col\">材料</th><th scope=\"col\">问题及补正要求</th></tr></thead><tbody>");
    for (i, p) in n.problems.iter().enumerate() {
        h.raw("<tr>")
            .el("td", "", &(i + 1).to_string())
            .el("td", "", &p.material)
            .el("td", "", &p.problem)
            .raw("</tr>");
    }
    h.raw("</tbody></table>");
    if !n.note.is_empty() {
        h.open("p", "")
            .raw("审核人员说明：")
            .text(&n.note)
            .close("p");
    }
    if !n.respond_by.is_empty() {
        h.open("p", "notice-deadline")
            .raw("请于 ")
            .el("strong", "", &date_words(&n.respond_by))
            .raw(" 前登录“办事通”补正后重新提交。")
            .close("p");
    }
    h.el("p", "small", "如有疑问，请拨打政务服务便民热线 12345。")
        .el(
            "p",
            "small demo-line",
            "示范数据：示范区及其部门、事项均为虚构，仅用于演示",
        );
    h.finish()
}

fn notice_sheet(d: CaseDetail) -> AnyView {
    browser::set_title(&format!("一次性告知书：{}", d.summary.item_name));
    let back = format!("/my/cases/{}", d.summary.id);
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>"打印"</button>
            <a class="button" href=back>"返回办件"</a>
        </div>
        <article class="print-sheet">
            <p class="small print-sheet__brand">"办事通 · 示范区政务服务"</p>
            <h1 class="page-title">"一次性告知书"</h1>
            <div inner_html=sheet_html(&d)></div>
        </article>
    }
    .into_any()
}
