//! "今天提交，预计 X月X日 前办结", worked out on the device with the shared working-day
//! calendar, and which rest days were skipped on the way.

use leptos::prelude::*;

use crate::api::{Handling, SkippedDay};
use crate::rules::date::Date;
use crate::rules::workdays::HolidayCalendar;
use crate::rules::working_hours::acceptance_day;
use crate::ui::{browser, endpoints, wording};

/// One run of consecutive rest days with the same reason.
struct Run {
    reason: String,
    first: Date,
    last: Date,
}

fn runs(skipped: &[SkippedDay]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for day in skipped {
        let Some(date) = Date::parse(&day.date) else {
            continue;
        };
        // Saturday and Sunday read as one weekend.
        let reason = match day.reason.as_str() {
            "周六" | "周日" => "周末",
            other => other,
        };
        match runs.last_mut() {
            Some(run) if run.reason == reason && run.last.succ() == date => run.last = date,
            _ => runs.push(Run {
                reason: reason.to_string(),
                first: date,
                last: date,
            }),
        }
    }
    runs
}

fn span(run: &Run, this_year: i32) -> String {
    let first = wording::day(run.first, this_year);
    if run.first == run.last {
        first
    } else if run.first.month == run.last.month && run.first.year == run.last.year {
        format!("{first}–{}日", run.last.day)
    } else {
        format!("{first}–{}", wording::day(run.last, this_year))
    }
}

/// `春节 2月15日–23日；周末 3月7日–8日、3月14日–15日`: holidays first by name, weekends last
/// and summed up when there are many.
pub fn skipped_summary(skipped: &[SkippedDay], this_year: i32) -> String {
    let runs = runs(skipped);
    // Holidays first in date order, weekends last: the holidays are the surprising part.
    let mut reasons: Vec<&str> = Vec::new();
    for run in runs.iter().filter(|r| r.reason != "周末") {
        if !reasons.contains(&run.reason.as_str()) {
            reasons.push(&run.reason);
        }
    }
    if runs.iter().any(|r| r.reason == "周末") {
        reasons.push("周末");
    }
    let mut parts = Vec::new();
    for reason in reasons {
        let of_reason: Vec<&Run> = runs.iter().filter(|r| r.reason == reason).collect();
        let days: i64 = of_reason
            .iter()
            .map(|r| r.first.days_until(r.last) + 1)
            .sum();
        if of_reason.len() > 3 {
            parts.push(format!("{reason}共{days}天"));
        } else {
            let spans: Vec<String> = of_reason.iter().map(|r| span(r, this_year)).collect();
            parts.push(format!("{reason} {}", spans.join("、")));
        }
    }
    parts.join("；")
}

/// The due date box of a guide. Nothing precise for 即办件: they are settled on the spot. When
/// the year's holiday schedule is not published, the calendar's own message. Counted with the
/// server's calendar (the years a manager entered included).
#[component]
pub fn DueDate(handling: Handling, promised_days: u32) -> impl IntoView {
    if handling == Handling::Immediate || promised_days == 0 {
        return view! {
            <p class="due due--now">
                <strong>"即办件："</strong>
                "材料齐全当场办结"
            </p>
        }
        .into_any();
    }
    let known = LocalResource::new(endpoints::calendar::calendar);
    (move || match known.get() {
        Some(calendar) => due_view(&calendar, promised_days),
        None => view! { <p class="due due--unknown">"正在计算办结日期…"</p> }.into_any(),
    })
    .into_any()
}

fn due_view(calendar: &HolidayCalendar, promised_days: u32) -> AnyView {
    let today = browser::today_in_beijing();
    // As the server counts: after hours or on a rest day, from the next working day.
    let acceptance = acceptance_day(calendar, browser::now_unix());
    let counted = acceptance.and_then(|a| Ok((calendar.due_date(a.day, promised_days)?, a.note())));
    match counted {
        Ok((due, deferred)) => {
            let due_date = Date::parse(&due.due).unwrap_or(today);
            let skipped = skipped_summary(&due.skipped, today.year);
            let skipped = (!skipped.is_empty()).then(|| format!("已跳过：{skipped}"));
            view! {
                <div class="due">
                    <p class="due__main">
                        "今天提交，预计 "
                        <strong class="due__date">{wording::day(due_date, today.year)}</strong>
                        " 前办结"
                    </p>
                    <p class="due__detail">
                        {format!("按 {promised_days} 个工作日计算，受理当天不计。")}
                        {deferred.map(|note| format!("{note}。"))}
                        {skipped}
                    </p>
                </div>
            }
            .into_any()
        }
        Err(error) => view! { <p class="due due--unknown">{error.to_string()}</p> }.into_any(),
    }
}
