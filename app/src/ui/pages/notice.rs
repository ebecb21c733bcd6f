//! `/my/cases/:id/notice` (the applicant) and `/staff/cases/:id/notice` (the window): the
//! 一次性告知书 as a clean printable page — with its date in full (the year included), the
//! department's phone and the place for its seal — and a QR code that opens the case.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::CaseDetail;
use crate::rules::form::applicant_name;
use crate::ui::browser;
use crate::ui::components::case_view::{
    beijing_time, notice_deadline, notice_note, pair, qr_figure,
};
use crate::ui::endpoints::cases as endpoints;
use crate::ui::endpoints::{catalog, staff};
use crate::ui::session::{fetch_signed_in, guard, Signin};

#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Applicant, move || {
        let id = id.get();
        async move { endpoints::case(&id).await }
    });
    guard(detail, Signin::Applicant, |d: CaseDetail| {
        let back = format!("/my/cases/{}", d.summary.id);
        notice_sheet(d, back, "返回办件")
    })
}

/// `/staff/cases/:id/notice`: the same 一次性告知书, printed at the window.
#[component]
pub fn StaffNoticePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let detail = fetch_signed_in(Signin::Staff, move || {
        let id = id.get();
        async move { staff::case(&id).await }
    });
    guard(detail, Signin::Staff, |d: CaseDetail| {
        let back = format!("/staff/cases/{}", d.summary.id);
        notice_sheet(d, back, "返回审核页面")
    })
}

/// The department's consultation phone from the catalog overview (fetched once per visit).
fn department_phone(code: String) -> LocalResource<Option<String>> {
    LocalResource::new(move || {
        let code = code.clone();
        async move {
            catalog::catalog().await.ok().and_then(|c| {
                c.departments
                    .into_iter()
                    .find(|d| d.department.code == code)
                    .map(|d| d.department.phone)
            })
        }
    })
}

/// `2026年12月1日` of an RFC 3339 time, in Beijing: a notice always carries its year.
fn issued_day(at: &str) -> String {
    let beijing = crate::rules::date::Date::parse(at.get(..10).unwrap_or("")).map(|d| {
        let hour: u32 = at.get(11..13).and_then(|h| h.parse().ok()).unwrap_or(0);
        if hour >= 16 {
            d.succ()
        } else {
            d
        }
    });
    beijing.map_or_else(|| at.to_string(), |d| d.chinese_long())
}

/// The sheet's body: the QR code, who and what, then every problem in a table, the
/// department's phone and the place for its seal.
fn sheet(d: &CaseDetail, phone: LocalResource<Option<String>>) -> AnyView {
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
    let day = issued_day(&n.issued_at);
    let department = n.department.clone();
    view! {
        {qr}
        <dl class="pairs">
            {who}
            {pair("审核部门", n.department.clone())}
            {pair("告知时间", format!("{day} {}", beijing_time(&n.issued_at).rsplit(' ').next().unwrap_or("")))}
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
        <p class="notice-phone">
            {move || match phone.get().flatten() {
                Some(p) => format!("咨询电话：{department} {p}；政务服务便民热线 12345。"),
                None => "如有疑问，请拨打政务服务便民热线 12345。".to_string(),
            }}
        </p>
        <div class="seal-area">
            <p class="seal-area__box">"（盖章）"</p>
            <p>{n.department.clone()}</p>
            <p>{day}</p>
        </div>
        <p class="small demo-line">"示范数据：示范区及其部门、事项均为虚构，仅用于演示"</p>
    }
    .into_any()
}

/// The printable 一次性告知书 of a case, with the way back to `back` (the applicant's case
/// page, or the reviewer's).
pub fn notice_sheet(d: CaseDetail, back: String, back_label: &'static str) -> AnyView {
    browser::set_title(&format!("一次性告知书：{}", d.summary.item_name));
    let phone = department_phone(d.summary.department_code.clone());
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>"打印"</button>
            <a class="button" href=back>{back_label}</a>
        </div>
        <article class="print-sheet">
            <p class="small print-sheet__brand">"办事通 · 示范区政务服务"</p>
            <h1 class="page-title">"一次性告知书"</h1>
            <div>{sheet(&d, phone)}</div>
        </article>
    }
    .into_any()
}
