//! `/my/cases/:id/notice`: the 一次性告知书 as a clean printable page, with a QR code that
//! opens the case.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::CaseDetail;
use crate::rules::form::applicant_name;
use crate::ui::browser;
use crate::ui::components::case_view::{
    beijing_time, notice_deadline, notice_note, pair, qr_figure,
};
use crate::ui::endpoints::cases as endpoints;
use crate::ui::session::guard;

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { endpoints::case(&id).await }
    });
    guard(detail, "/login", notice_sheet)
}

/// The sheet's body: the QR code, who and what, then every problem in a table.
fn sheet(d: &CaseDetail) -> AnyView {
    let s = &d.summary;
    let case_url = format!("{}/my/cases/{}", browser::origin(), s.id);
    let qr = qr_figure(
        &case_url,
        "打开本办件的二维码",
        "扫码打开办件，补正后重新提交",
    );
    let who = view! {
        {pair("受理编号", s.number.clone().unwrap_or_default())}
        {pair("申请事项", s.item_name.clone())}
        {pair("申请人", applicant_name(&d.form).unwrap_or(&s.applicant).to_string())}
    };
    let Some(n) = &d.notice else {
        return view! {
            {qr}
            <dl class="pairs">{who}</dl>
            <p class="note">"该办件当前没有需要补正的内容。"</p>
        }
        .into_any();
    };
    let rows = n
        .problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            view! {
                <tr>
                    <td>{(i + 1).to_string()}</td>
                    <td>{p.material.clone()}</td>
                    <td>{p.problem.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {qr}
        <dl class="pairs">
            {who}
            {pair("审核部门", n.department.clone())}
            {pair("告知时间", beijing_time(&n.issued_at))}
        </dl>
        <p>"经审核，您提交的申请材料需要补正。现将全部需要补正的内容一次性告知如下："</p>
        <table class="notice-table">
            <thead>
                <tr>
                    <th scope="col">"序号"</th>
                    <th scope="col">"材料"</th>
                    <th scope="col">"问题及补正要求"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {notice_note(n)}
        {notice_deadline(n, " 前登录“办事通”补正后重新提交。")}
        <p class="small">"如有疑问，请拨打政务服务便民热线 12345。"</p>
        <p class="small demo-line">"示范数据：示范区及其部门、事项均为虚构，仅用于演示"</p>
    }
    .into_any()
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
            <div>{sheet(&d)}</div>
        </article>
    }
    .into_any()
}
