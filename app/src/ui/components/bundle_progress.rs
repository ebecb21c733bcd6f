//! The combined progress of a submitted 一件事: its one 受理编号 (with the QR code of the public
//! progress page), the ONE merged 一次性告知 when departments ask for corrections, 企业开办's
//! working-hours clock and issued 统一社会信用代码, and every member's state and department.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{
    BundleApplicationDetail, BundleApplicationSummary, BundleMemberProgress, BundleNotice,
    BundleStatus, CaseStatus, HourClock,
};
use crate::ui::browser;
use crate::ui::components::bundle_correction::BundleCorrection;
use crate::ui::components::case_view::{
    beijing_time, date_words, notice_body, pair, qr_figure, status_class, track_url,
};
use crate::ui::http::encode;

pub fn bundle_status_class(status: BundleStatus) -> &'static str {
    match status {
        BundleStatus::Draft => "status status--quiet",
        BundleStatus::InProgress => "status status--wait",
        BundleStatus::NeedsCorrection => "status status--act",
        BundleStatus::Done => "status status--good",
    }
}

fn number_view(d: &BundleApplicationDetail) -> Option<impl IntoView> {
    let number = d.number.clone()?;
    let promise = match d.total_promised_days {
        0 => "材料齐全当天办结".to_string(),
        days => format!("{days} 个工作日内办结"),
    };
    let submitted = d
        .submitted_at
        .as_ref()
        .map(|at| view! { <p class="small">{format!("提交时间：{}", beijing_time(at))}</p> });
    let qr = qr_figure(
        &track_url(&number),
        "一件事受理编号二维码",
        "扫码查看办理进度",
    );
    Some(view! {
        <div class="number-box card">
            <div>
                <p class="number-box__label">"一件事受理编号"</p>
                <p class="number-box__number">{number}</p>
                <p>"整体承诺："<strong>{promise}</strong></p>
                {submitted}
                <p class="small">"凭这个编号和手机号后四位，可在“办件查询”中查看全部事项的进度。"</p>
            </div>
            {qr}
        </div>
    })
}

pub fn clock_class(clock: &HourClock) -> &'static str {
    match clock.within_promise {
        Some(false) => "hour-clock hour-clock--late",
        _ if clock.running => "hour-clock",
        _ => "hour-clock hour-clock--done",
    }
}

/// 企业开办's working-hours clock.
fn clock_view(clock: &HourClock) -> impl IntoView {
    view! {
        <div class=clock_class(clock)>
            <p class="hour-clock__title">{format!("承诺 {} 个工作小时内办结", clock.promised_hours)}</p>
            <p class="hour-clock__text">{clock.text.clone()}</p>
            <p class="small">
                "按工作时间计算（工作日 9:00–12:00、13:30–17:00），从提交起到最后一个事项办结止。"
            </p>
        </div>
    }
}

/// The ONE merged 一次性告知, by department.
fn notice_box_view(n: &BundleNotice) -> impl IntoView {
    let departments = n
        .departments
        .iter()
        .map(|dept| {
            let cases = dept
                .cases
                .iter()
                .map(|c| {
                    view! {
                        <p class="notice-dept__item">{c.item_name.clone()}</p>
                        {notice_body(&c.notice)}
                        <p class="small">
                            <a href=format!("/my/cases/{}", encode(&c.case_id))>
                                {format!("查看“{}”的办件详情", c.item_name)}
                            </a>
                        </p>
                    }
                })
                .collect_view();
            view! {
                <div class="notice-dept">
                    <h3>{dept.department.clone()}</h3>
                    {cases}
                </div>
            }
        })
        .collect_view();
    view! {
        <p class="lead">
            {format!("共 {} 处需要补正，已合并在这一份告知书里，请一次补齐。", n.problem_count)}
        </p>
        {(!n.respond_by.is_empty())
            .then(|| {
                view! {
                    <p class="notice-deadline">"最早的补正期限："<strong>{date_words(&n.respond_by)}</strong></p>
                }
            })}
        {departments}
    }
}

fn member_view(m: &BundleMemberProgress, all: &[BundleMemberProgress]) -> impl IntoView {
    let status = if !m.waiting_for.is_empty() {
        Some(view! { <span class="status status--quiet">"等待前序事项"</span> }.into_any())
    } else {
        m.status.map(|status| {
            view! { <span class=status_class(status)>{status.label()}</span> }.into_any()
        })
    };
    let next = if !m.waiting_for.is_empty() {
        let names: Vec<&str> = m
            .waiting_for
            .iter()
            .map(|c| {
                all.iter()
                    .find(|x| &x.item_code == c)
                    .map_or(c.as_str(), |x| x.short_name.as_str())
            })
            .collect();
        let text = format!(
            "“{}”办结后自动提交给{}，无需再操作",
            names.join("、"),
            m.department
        );
        Some(view! { <p class="bundle-member__after">{text}</p> }.into_any())
    } else {
        m.case_id.as_ref().map(|id| {
            view! {
                <p>
                    <a href=format!("/my/cases/{}", encode(id))>"查看这个事项的详情"</a>
                </p>
            }
            .into_any()
        })
    };
    view! {
        <li class="bundle-member">
            <p class="bundle-member__name">{format!("{} ", m.short_name)}{status}</p>
            <p class="small">{m.item_name.clone()}</p>
            <dl class="pairs">
                {pair("办理部门", m.department.clone())}
                {m.number.clone().map(|number| pair("受理编号", number))}
                {m.due_date.as_ref().map(|due| pair("承诺办结", date_words(due)))}
            </dl>
            {next}
        </li>
    }
}

fn members_view(d: &BundleApplicationDetail) -> impl IntoView {
    let members = d
        .members
        .iter()
        .map(|m| member_view(m, &d.members))
        .collect_view();
    view! { <ol class="bundle-members">{members}</ol> }
}

#[component]
pub fn BundleProgress(detail: BundleApplicationDetail, reload: Callback<()>) -> impl IntoView {
    browser::set_title(&format!("办理进度：{}", detail.bundle_name));
    let query = use_query_map();
    let decided = detail
        .members
        .iter()
        .filter(|m| {
            m.status
                .is_some_and(|s| s == CaseStatus::Approved || s.is_final())
        })
        .count();
    let total = detail.members.len();
    let just_submitted = query.with_untracked(|q| q.get("submitted")).is_some();
    let success = (just_submitted && detail.status == BundleStatus::InProgress).then(|| {
        let later = detail
            .members
            .iter()
            .filter(|m| !m.waiting_for.is_empty())
            .count();
        let now = total - later;
        let words = if later == 0 {
            format!("{now} 个事项已同时送达各部门，请留意站内消息和短信。")
        } else {
            format!(
                "{now} 个事项已送达各部门，另外 {later} 个事项将在前序事项办结后由系统自动提交，无需再操作。请留意站内消息和短信。"
            )
        };
        view! {
            <div class="success" role="status">
                <p><strong>"已提交。"</strong>{words}</p>
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
                <div>{notice_box_view(n)}</div>
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
    let clock = detail
        .clock
        .as_ref()
        .map(|c| view! { <div>{clock_view(c)}</div> });
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
        <div>{number_view(&detail)}</div>
        {clock}
        {uscc}
        <section class="section card" aria-labelledby="members-title">
            <h2 id="members-title">"各事项进度"</h2>
            <div>{members_view(&detail)}</div>
            <p>
                <button type="button" class="button" on:click=move |_| reload.run(())>"刷新进度"</button>
            </p>
        </section>
        {detail.completed_at.as_ref().map(|at| view! { <p class="small">{format!("全部办结：{}", beijing_time(at))}</p> })}
    }
}

fn application_card(b: &BundleApplicationSummary, manager: bool) -> impl IntoView {
    let title = format!("{} {}", b.icon, b.bundle_name);
    let href = format!("/my/bundles/{}", encode(&b.id));
    let title = if manager {
        title.into_any()
    } else {
        view! { <a href=href.clone()>{title}</a> }.into_any()
    };
    let time = match &b.submitted_at {
        Some(at) => pair("提交时间", beijing_time(at)),
        None => pair("创建时间", beijing_time(&b.created_at)),
    };
    let go_on = (!manager && b.status == BundleStatus::Draft).then(|| {
        view! {
            <p>
                <a class="button button--primary" href=href>"继续填写"</a>
            </p>
        }
    });
    view! {
        <li class="card case-card">
            <h3 class="case-card__name">{title}</h3>
            <p class="case-card__badges">
                <span class=bundle_status_class(b.status)>{b.status.label()}</span>
            </p>
            <dl class="pairs">
                {b.number.clone().map(|n| pair("受理编号", n))}
                {manager.then(|| pair("申请人", b.applicant.clone()))}
                {pair("事项进度", format!("{}/{} 个已有审核结果", b.members_decided, b.members_total))}
                {b.uscc.clone().map(|code| pair("统一社会信用代码", code))}
                {time}
            </dl>
            {b.clock.as_ref().map(clock_view)}
            {go_on}
        </li>
    }
}

/// Bundle applications as cards (`<ul class="case-cards">`): mine (linking to the draft or
/// progress page) or, for the manager, every one with its applicant masked and its
/// working-hours clock.
#[component]
pub fn BundleApplicationCards(list: Vec<BundleApplicationSummary>, manager: bool) -> impl IntoView {
    let cards = list
        .iter()
        .map(|b| application_card(b, manager))
        .collect_view();
    view! { <ul class="case-cards">{cards}</ul> }
}
