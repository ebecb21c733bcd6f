//! Read-only pieces of a case shown on several pages, as escaped HTML text (see
//! [`crate::ui::markup`]): status badges, due-date warnings in words, the timeline, the
//! 一次性告知, the outcome, times in Beijing time, the QR code of a link.

use crate::api::{CaseAction, CaseEvent, CaseStatus, CaseSummary, Notice, Outcome, Warning};
use crate::rules::date::Date;
use crate::ui::api_client::qr_src;
use crate::ui::markup::Html;
use crate::ui::{browser, wording};

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

/// Status badge, and the deadline badge while the department still has to act.
pub fn badges_html(h: &mut Html, c: &CaseSummary) {
    h.open("span", status_class(c.status))
        .text(c.status.label())
        .close("span");
    if let Some((class, words)) = deadline_words(c) {
        h.raw(" ").el("span", class, &words);
    }
}

/// Every step of a case, oldest first.
pub fn timeline_html(events: &[CaseEvent]) -> String {
    let mut h = Html::new();
    h.open("ol", "timeline");
    for e in events {
        h.raw("<li class=\"timeline__item\">")
            .el("p", "timeline__title", &e.title)
            .open("p", "small")
            .text(&beijing_time(&e.at))
            .raw(" · ")
            .text(&e.actor)
            .close("p");
        if let Some(detail) = e.detail.as_deref().filter(|d| !d.is_empty()) {
            h.el("p", "timeline__detail", detail);
        }
        h.raw("</li>");
    }
    h.close("ol");
    h.finish()
}

/// The 一次性告知: every problem at once and the date to correct by.
pub fn notice_html(n: &Notice) -> String {
    let mut h = Html::new();
    h.open("p", "")
        .text(&format!(
            "{}于 {} 审核您的申请，以下 {} 项需要补正，请一次补齐：",
            n.department,
            beijing_time(&n.issued_at),
            n.problems.len()
        ))
        .close("p")
        .open("ol", "notice-list");
    for p in &n.problems {
        h.raw("<li>")
            .el("strong", "", &p.material)
            .raw("：")
            .text(&p.problem)
            .raw("</li>");
    }
    h.close("ol");
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
            .raw(" 前补正并重新提交。")
            .close("p");
    }
    h.finish()
}

/// 预审通过 with the next steps, or 不予受理 with the reason and legal basis.
pub fn outcome_html(o: &Outcome) -> String {
    let mut h = Html::new();
    if o.action == CaseAction::Reject {
        h.open("dl", "pairs").pair("不予受理理由", &o.note);
        if let Some(basis) = &o.legal_basis {
            h.pair("法律依据", basis);
        }
        h.close("dl");
        h.el("p", "small", "如有疑问，可拨打政务服务便民热线 12345。");
    } else {
        h.open("dl", "pairs");
        if let Some(next) = &o.next_steps {
            h.pair("下一步", next);
        }
        if !o.note.is_empty() {
            h.pair("审核说明", &o.note);
        }
        h.close("dl");
    }
    h.finish()
}

/// A QR code image of `absolute_url`.
pub fn qr_html(absolute_url: &str, alt: &str, caption: &str) -> String {
    let mut h = Html::new();
    h.raw("<figure class=\"qr\"><img")
        .attr("src", &qr_src(absolute_url))
        .attr("alt", alt)
        .raw(" width=\"140\" height=\"140\">")
        .el("figcaption", "small", caption)
        .raw("</figure>");
    h.finish()
}

/// The public progress page of a case number (what its QR code opens).
pub fn track_url(number: &str) -> String {
    format!(
        "{}/track?number={}",
        browser::origin(),
        crate::ui::api_client::encode(number)
    )
}
