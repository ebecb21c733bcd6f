//! Read-only pieces of a case shown on several pages, as Leptos views: status badges,
//! due-date warnings in words, the timeline, the 一次性告知, the outcome, times in Beijing
//! time, the QR code of a link.

use leptos::prelude::*;

use crate::api::{
    CaseAction, CaseDetail, CaseEvent, CaseStatus, CaseSummary, Notice, Outcome, Warning,
};
use crate::rules::date::Date;
use crate::ui::endpoints::catalog::qr_src;
use crate::ui::{browser, wording};

/// “非工作时间提交，顺延至 11月26日 受理” for a case submitted after hours (the shared rule
/// `rules::working_hours::acceptance_day` decided it on the server).
pub fn acceptance_note(d: &CaseDetail) -> Option<String> {
    d.accepted_on
        .as_deref()
        .filter(|_| d.acceptance_deferred)
        .and_then(Date::parse)
        .map(crate::rules::working_hours::deferred_note)
}

/// “按第 2 版办事指南提交”: the version of the item's guide a submitted case keeps (its
/// materials are that version's, whatever was published since).
pub fn guide_version_note(d: &CaseDetail) -> Option<String> {
    d.guide_version
        .filter(|_| d.summary.submitted_at.is_some())
        .map(|v| format!("按第 {v} 版办事指南提交"))
}

/// `2026-11-25` → `2026年11月25日`; anything else as it is.
pub fn date_words(date: &str) -> String {
    Date::parse(date).map_or_else(|| date.to_string(), Date::chinese_long)
}

/// An RFC 3339 UTC time (`2026-11-25T01:52:07Z`) in Beijing time: `11月25日 09:52`.
pub fn beijing_time(at: &str) -> String {
    let (Some(date), Some(h), Some(m)) = (
        at.get(..10).and_then(Date::parse),
        at.get(11..13).and_then(|h| h.parse::<u32>().ok()),
        at.get(14..16).and_then(|m| m.parse::<u32>().ok()),
    ) else {
        return at.to_string();
    };
    let minutes = h * 60 + m + 8 * 60;
    let date = if minutes >= 24 * 60 {
        date.succ()
    } else {
        date
    };
    let minutes = minutes % (24 * 60);
    let this_year = browser::today_in_beijing().year;
    format!(
        "{} {:02}:{:02}",
        wording::day(date, this_year),
        minutes / 60,
        minutes % 60
    )
}

/// The time now in Beijing, `HH:MM`.
pub fn clock_now() -> String {
    let minutes = ((js_sys::Date::now() / 60_000.0) as i64 + 8 * 60).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `12 KB`, `1.5 MB`.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024).max(1))
    }
}

pub fn status_class(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Draft | CaseStatus::Withdrawn => "status status--quiet",
        CaseStatus::Submitted => "status status--wait",
        CaseStatus::Returned | CaseStatus::Rejected => "status status--act",
        CaseStatus::Approved | CaseStatus::Completed => "status status--good",
    }
}

/// The deadline in words and its badge class: `已超期2个工作日` (red), `剩1个工作日` (yellow).
pub fn deadline_words(c: &CaseSummary) -> Option<(&'static str, String)> {
    let left = c.days_left?;
    let class = match c.warning {
        Some(Warning::Red) => "urgency urgency--red",
        Some(Warning::Yellow) => "urgency urgency--yellow",
        None => "urgency",
    };
    let words = if left < 0 {
        format!("已超期{}个工作日", -left)
    } else if left == 0 {
        "今天到期".to_string()
    } else {
        format!("剩{left}个工作日")
    };
    Some((class, words))
}

/// `<dt>term</dt><dd>data</dd>`, one pair of a `<dl class="pairs">`.
pub fn pair(term: impl IntoView, data: impl IntoView) -> impl IntoView {
    view! {
        <dt>{term}</dt>
        <dd>{data}</dd>
    }
}

/// The deadline badge (after a space) while the department still has to act.
pub fn deadline_badge(c: &CaseSummary) -> Option<impl IntoView> {
    deadline_words(c).map(|(class, words)| {
        view! {
            " "
            <span class=class>{words}</span>
        }
    })
}

/// Status badge, and the deadline badge while the department still has to act (the contents
/// of a `<p class="case-badges">` or similar).
pub fn badges(c: &CaseSummary) -> impl IntoView {
    let label = if c.is_waiting() {
        "等待前序事项"
    } else {
        c.status.label()
    };
    view! {
        <span class=status_class(c.status)>{label}</span>
        {deadline_badge(c)}
    }
}

/// “等待“出生医学证明”办结后自动提交” for a 一件事 member held for its predecessors.
pub fn waiting_words(c: &CaseSummary) -> Option<String> {
    let bundle = c.bundle.as_ref().filter(|_| c.is_waiting())?;
    let names: Vec<String> = bundle
        .waiting_for
        .iter()
        .map(|n| format!("“{n}”"))
        .collect();
    Some(format!("等待{}办结后自动提交", names.join("、")))
}

/// When a held 一件事 member can be expected to go out: “预计 2026年12月5日前后自动提交
/// （“出生医学证明”的承诺办结日期）”.
pub fn expected_words(c: &CaseSummary) -> Option<String> {
    let bundle = c.bundle.as_ref().filter(|_| c.is_waiting())?;
    let due = date_words(bundle.expected_by.as_deref()?);
    let names: Vec<String> = bundle
        .waiting_for
        .iter()
        .map(|n| format!("“{n}”"))
        .collect();
    Some(format!(
        "预计 {due}前后自动提交（{}的承诺办结日期）",
        names.join("、")
    ))
}

/// What a held 一件事 member's owner reads instead of a form: it waits, the system submits it,
/// and where the whole 一件事 stands.
pub fn waiting_note(c: &CaseSummary) -> Option<impl IntoView> {
    let words = waiting_words(c)?;
    let bundle = c.bundle.clone()?;
    Some(view! {
        <div class="note note--waiting" role="note">
            <p><strong>{words}</strong></p>
            {expected_words(c).map(|e| view! { <p class="note__expected">{e}</p> })}
            <p>
                {format!(
                    "这个事项随“{}”一并申请，前序事项办结后，系统会把您已填写的信息和材料自动提交给{}，您无需再填写或上传。",
                    bundle.name,
                    c.department,
                )}
            </p>
            <p>
                <a href=format!("/my/bundles/{}", crate::ui::http::encode(&bundle.id))>
                    {format!("查看“{}”的办理进度", bundle.name)}
                </a>
            </p>
        </div>
    })
}

/// Every step of a case, oldest first.
pub fn timeline(events: &[CaseEvent]) -> impl IntoView {
    let items = events
        .iter()
        .map(|e| {
            let detail = e
                .detail
                .clone()
                .filter(|d| !d.is_empty())
                .map(|d| view! { <p class="timeline__detail">{d}</p> });
            view! {
                <li class="timeline__item">
                    <p class="timeline__title">{e.title.clone()}</p>
                    <p class="small">{format!("{} · {}", beijing_time(&e.at), e.actor)}</p>
                    {detail}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

/// The 一次性告知: every problem at once and the date to correct by.
pub fn notice_body(n: &Notice) -> impl IntoView {
    let problems = n
        .problems
        .iter()
        .map(|p| {
            view! {
                <li>
                    <strong>{p.material.clone()}</strong>
                    "："
                    {p.problem.clone()}
                </li>
            }
        })
        .collect_view();
    view! {
        <p>
            {format!(
                "{}于 {} 审核您的申请，以下 {} 项需要补正，请一次补齐：",
                n.department,
                beijing_time(&n.issued_at),
                n.problems.len(),
            )}
        </p>
        <ol class="notice-list">{problems}</ol>
        {notice_note(n)}
        {notice_deadline(n, " 前补正并重新提交。")}
    }
}

/// The reviewer's note of a 一次性告知, when there is one.
pub fn notice_note(n: &Notice) -> Option<impl IntoView> {
    (!n.note.is_empty()).then(|| view! { <p>"审核人员说明：" {n.note.clone()}</p> })
}

/// `请于 <date> {then}`: the date to correct by, when there is one.
pub fn notice_deadline(n: &Notice, then: &'static str) -> Option<impl IntoView> {
    (!n.respond_by.is_empty()).then(|| {
        view! {
            <p class="notice-deadline">
                "请于 "
                <strong>{date_words(&n.respond_by)}</strong>
                {then}
            </p>
        }
    })
}

/// 预审通过 with the next steps, or 不予受理 with the reason and legal basis.
pub fn outcome_body(o: &Outcome) -> AnyView {
    if o.action == CaseAction::Reject {
        let basis = o.legal_basis.clone().map(|b| pair("法律依据", b));
        view! {
            <dl class="pairs">
                {pair("不予受理理由", o.note.clone())}
                {basis}
            </dl>
            <p class="small">"如有疑问，可拨打政务服务便民热线 12345。"</p>
        }
        .into_any()
    } else {
        let next = o.next_steps.clone().map(|n| pair("下一步", n));
        let note = (!o.note.is_empty()).then(|| pair("审核说明", o.note.clone()));
        view! {
            <dl class="pairs">
                {next}
                {note}
            </dl>
        }
        .into_any()
    }
}

/// A QR code image of `absolute_url` (an image the server draws).
pub fn qr_figure(absolute_url: &str, alt: &'static str, caption: &'static str) -> impl IntoView {
    view! {
        <figure class="qr">
            <img src=qr_src(absolute_url) alt=alt width="140" height="140"/>
            <figcaption class="small">{caption}</figcaption>
        </figure>
    }
}

/// The public progress page of a case number (what its QR code opens).
pub fn track_url(number: &str) -> String {
    format!(
        "{}/track?number={}",
        browser::origin(),
        crate::ui::http::encode(number)
    )
}

/// “属于一件事”: the case's 一件事 and its other members with their states, each linked (under
/// `href_prefix`, `/my/cases/` or `/staff/cases/`) where the viewer may open it.
pub fn sibling_list(d: &CaseDetail, href_prefix: &'static str) -> Option<impl IntoView> {
    let bundle = d.summary.bundle.clone()?;
    let items = d
        .siblings
        .iter()
        .map(|m| {
            let state = if m.waiting {
                "等待前序事项"
            } else {
                m.status.label()
            };
            let name = if m.open {
                view! {
                    <a href=format!("{href_prefix}{}", crate::ui::http::encode(&m.case_id))>
                        {m.short_name.clone()}
                    </a>
                }
                .into_any()
            } else {
                view! { <span>{m.short_name.clone()}</span> }.into_any()
            };
            view! {
                <li class="sibling">
                    {name}
                    " "
                    <span class=status_class(m.status)>{state}</span>
                    <span class="small">
                        {format!(" {}", m.department)}
                        {m.number.clone().map(|n| format!(" · {n}"))}
                    </span>
                </li>
            }
        })
        .collect_view();
    let number = bundle
        .number
        .clone()
        .map(|n| format!("（一件事受理编号 {n}）"));
    Some(view! {
        <section class="section card siblings" aria-labelledby="siblings-title">
            <h2 id="siblings-title">{format!("属于“{}”", bundle.name)}</h2>
            <p class="small">{"同一次申请的其他事项"}{number}</p>
            <ul class="sibling-list">{items}</ul>
        </section>
    })
}
