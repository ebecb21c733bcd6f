//! The combined progress of a submitted 一件事: its one 受理编号 (with the QR code of the public
//! progress page), the ONE merged 一次性告知 when departments ask for corrections, 企业开办's
//! working-hours clock and issued 统一社会信用代码, and every member's state and department.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{
    BundleApplicationDetail, BundleApplicationSummary, BundleMemberProgress, BundleNotice, BundleStatus, CaseStatus, HourClock,
};
use crate::ui::browser;
use crate::ui::components::bundle_correction::BundleCorrection;
use crate::ui::components::case_view::{beijing_time, date_words, notice_html, qr_html, status_class, track_url};
use crate::ui::markup::Html;

pub fn bundle_status_class(status: BundleStatus) -> &'static str {
    match status {
        BundleStatus::Draft => "status status--quiet",
        BundleStatus::InProgress => "status status--wait",
        BundleStatus::NeedsCorrection => "status status--act",
        BundleStatus::Done => "status status--good",
    }
}

fn number_html(d: &BundleApplicationDetail) -> String {
    let mut h = Html::new();
    let Some(number) = &d.number else {
        return String::new();
    };
    h.raw("<div class=\"number-box card\"><div>")
        .el("p", "number-box__label", "一件事受理编号")
        .el("p", "number-box__number", number)
        .open("p", "")
        .raw("整体承诺：")
        .el(
            "strong",
            "",
            &match d.total_promised_days {
                0 => "材料齐全当天办结".to_string(),
                days => format!("{days} 个工作日内办结"),
            },
        )
        .close("p");
    if let Some(at) = &d.submitted_at {
        h.el("p", "small", &format!("提交时间：{}", beijing_time(at)));
    }
    h.el(
        "p",
        "small",
        "凭这个编号和手机号后四位，可在“办件查询”中查看全部事项的进度。",
    )
    .raw("</div>")
    .raw(&qr_html(&track_url(number), "一件事受理编号二维码", "扫码查看办理进度"))
    .raw("</div>");
    h.finish()
}

pub fn clock_class(clock: &HourClock) -> &'static str {
    match clock.within_promise {
        Some(false) => "hour-clock hour-clock--late",
        _ if clock.running => "hour-clock",
        _ => "hour-clock hour-clock--done",
    }
}

fn clock_html(clock: &HourClock) -> String {
    let mut h = Html::new();
    h.open("div", clock_class(clock))
        .el(
            "p",
            "hour-clock__title",
            &format!("承诺 {} 个工作小时内办结", clock.promised_hours),
        )
        .el("p", "hour-clock__text", &clock.text)
        .el(
            "p",
            "small",
            "按工作时间计算（工作日 9:00–12:00、13:30–17:00），从提交起到最后一个事项办结止。",
        )
        .close("div");
    h.finish()
}

fn notice_box_html(n: &BundleNotice) -> String {
    let mut h = Html::new();
    h.el(
        "p",
        "lead",
        &format!(
            "共 {} 处需要补正，已合并在这一份告知书里，请一次补齐。",
            n.problem_count
        ),
    );
    if !n.respond_by.is_empty() {
        h.open("p", "notice-deadline")
            .raw("最早的补正期限：")
            .el("strong", "", &date_words(&n.respond_by))
            .close("p");
    }
    for dept in &n.departments {
        h.open("div", "notice-dept").el("h3", "", &dept.department);
        for c in &dept.cases {
            h.el("p", "notice-dept__item", &c.item_name)
                .raw(&notice_html(&c.notice))
                .open("p", "small")
                .link(
                    &format!("/my/cases/{}", crate::ui::api_client::encode(&c.case_id)),
                    "",
                    &format!("查看“{}”的办件详情", c.item_name),
                )
                .close("p");
        }
        h.close("div");
    }
    h.finish()
}

fn member_html(h: &mut Html, m: &BundleMemberProgress, all: &[BundleMemberProgress]) {
    h.open("li", "bundle-member")
        .open("p", "bundle-member__name")
        .text(&m.short_name)
        .raw(" ");
    if !m.waiting_for.is_empty() {
        h.el("span", "status status--quiet", "等待前序事项");
    } else if let Some(status) = m.status {
        h.el("span", status_class(status), status.label());
    }
    h.close("p")
        .el("p", "small", &m.item_name)
        .open("dl", "pairs")
        .pair("办理部门", &m.department);
    if let Some(number) = &m.number {
        h.pair("受理编号", number);
    }
    if let Some(due) = &m.due_date {
        h.pair("承诺办结", &date_words(due));
    }
    h.close("dl");
    if !m.waiting_for.is_empty() {
        let names: Vec<&str> = m
            .waiting_for
            .iter()
            .map(|c| {
                all.iter()
                    .find(|x| &x.item_code == c)
                    .map_or(c.as_str(), |x| x.short_name.as_str())
            })
            .collect();
        h.el(
            "p",
            "bundle-member__after",
            &format!("“{}”办结后自动提交给{}，无需再操作", names.join("、"), m.department),
        );
    } else if let Some(id) = &m.case_id {
        h.open("p", "")
            .link(
                &format!("/my/cases/{}", crate::ui::api_client::encode(id)),
                "",
                "查看这个事项的详情",
            )
            .close("p");
    }
    h.close("li");
}

fn members_html(d: &BundleApplicationDetail) -> String {
    let mut h = Html::new();
    h.open("ol", "bundle-members");
    for m in &d.members {
        member_html(&mut h, m, &d.members);
    }
    h.close("ol");
    h.finish()
}

#[component]
pub fn BundleProgress(detail: BundleApplicationDetail, reload: Callback<()>) -> impl IntoView {
    browser::set_title(&format!("办理进度：{}", detail.bundle_name));
    let query = use_query_map();
    let decided = detail
        .members
        .iter()
        .filter(|m| m.status.is_some_and(|s| s == CaseStatus::Approved || s.is_final()))
        .count();
    let total = detail.members.len();
    let just_submitted = query.with_untracked(|q| q.get("submitted")).is_some();
    let success = (just_submitted && detail.status == BundleStatus::InProgress).then(|| {
        view! {
            <div class="success" role="status">
                <p><strong>"已提交。"</strong>{format!("{total} 个事项已同时送达各部门，请留意站内消息和短信。")}</p>
            </div>
        }
    });
    let notice = detail.notice.as_ref().map(|n| {
        let returned: Vec<String> = n
            .departments
            .iter()
            .flat_map(|d| d.cases.iter().map(|c| c.case_id.clone()))
            .collect();
        view! {
            <section class="section card card--alert" aria-labelledby="notice-title">
                <h2 id="notice-title">"一次性告知：需要补正"</h2>
                <div inner_html=notice_box_html(n)></div>
            </section>
            <BundleCorrection case_ids=returned reload/>
        }
    });
    let uscc = detail.uscc.clone().map(|code| {
        view! {
            <section class="section card" aria-labelledby="uscc-title">
                <h2 id="uscc-title">"营业执照已核发"</h2>
                <dl class="pairs">
                    <dt>"统一社会信用代码"</dt>
                    <dd><strong class="uscc">{code}</strong></dd>
                </dl>
                <p class="small">"电子营业执照已同步给后续事项，无需再上传。"</p>
            </section>
        }
    });
    let clock = detail.clock.as_ref().map(|c| view! { <div inner_html=clock_html(c)></div> });
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/my">"我的办件"</a>
        </nav>
        <p class="eyebrow">"一件事一次办 · 办理进度"</p>
        <h1 class="page-title">{detail.bundle_name.clone()}</h1>
        <p class="case-badges">
            <span class=bundle_status_class(detail.status)>{detail.status.label()}</span>
            " "
            <span class="small">{format!("{decided}/{total} 个事项已有审核结果")}</span>
        </p>
        {success}
        {notice}
        <div inner_html=number_html(&detail)></div>
        {clock}
        {uscc}
        <section class="section card" aria-labelledby="members-title">
            <h2 id="members-title">"各事项进度"</h2>
            <div inner_html=members_html(&detail)></div>
            <p>
                <button type="button" class="button" on:click=move |_| reload.run(())>"刷新进度"</button>
            </p>
        </section>
        {detail.completed_at.as_ref().map(|at| view! { <p class="small">{format!("全部办结：{}", beijing_time(at))}</p> })}
    }
}

/// Bundle applications as cards: mine (linking to the draft or progress page) or, for the
/// manager, every one with its applicant masked and its working-hours clock.
pub fn bundle_cards_html(list: &[BundleApplicationSummary], manager: bool) -> String {
    let mut h = Html::new();
    h.open("ul", "case-cards");
    for b in list {
        h.open("li", "card case-card").open("h3", "case-card__name");
        let title = format!("{} {}", b.icon, b.bundle_name);
        if manager {
            h.text(&title);
        } else {
            h.link(&format!("/my/bundles/{}", crate::ui::api_client::encode(&b.id)), "", &title);
        }
        h.close("h3")
            .open("p", "case-card__badges")
            .el("span", bundle_status_class(b.status), b.status.label())
            .close("p")
            .open("dl", "pairs");
        if let Some(n) = &b.number {
            h.pair("受理编号", n);
        }
        if manager {
            h.pair("申请人", &b.applicant);
        }
        h.pair(
            "事项进度",
            &format!("{}/{} 个已有审核结果", b.members_decided, b.members_total),
        );
        if let Some(code) = &b.uscc {
            h.pair("统一社会信用代码", code);
        }
        match &b.submitted_at {
            Some(at) => h.pair("提交时间", &beijing_time(at)),
            None => h.pair("创建时间", &beijing_time(&b.created_at)),
        };
        h.close("dl");
        if let Some(clock) = &b.clock {
            h.raw(&clock_html(clock));
        }
        if !manager && b.status == BundleStatus::Draft {
            h.open("p", "")
                .link(
                    &format!("/my/bundles/{}", crate::ui::api_client::encode(&b.id)),
                    "button button--primary",
                    "继续填写",
                )
                .close("p");
        }
        h.close("li");
    }
    h.close("ul");
    h.finish()
}
