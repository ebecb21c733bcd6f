//! A site's coming week as citizens see it — the site page's 办公时间 and the manager's preview
//! of a change ("本周对外显示") render the same [`DayOutlook`]s, computed by the one rule
//! [`crate::rules::opening::days_ahead`] — and the notice of a temporary closure.

use leptos::prelude::*;

use crate::api::DayOutlook;
use crate::rules::date::Date;
use crate::ui::browser;
use crate::ui::components::site_card::hours_text;

/// `临时停止服务 12月5日至12月6日：…` as a notice that stands out (nothing when there is none).
pub fn closure_notice(notice: Option<String>) -> impl IntoView {
    notice.map(|text| {
        view! {
            <p class="closure-notice">
                <span class="closure-notice__mark" aria-hidden="true">"!"</span>
                {text}
            </p>
        }
    })
}

/// Today and the days after it, one row each, today marked and closed days set apart.
#[component]
pub fn WeekAhead(days: Vec<DayOutlook>, #[prop(into)] caption: String) -> impl IntoView {
    let today = browser::today_in_beijing().to_string();
    let rows = days
        .into_iter()
        .map(|day| {
            let name = Date::parse(&day.date).map_or(day.date.clone(), |d| {
                format!("{} {}", d.chinese_short(), d.weekday().chinese())
            });
            let is_today = day.date == today;
            let class = match (is_today, day.open) {
                (true, true) => "hours__today",
                (true, false) => "hours__today hours__closed",
                (false, true) => "",
                (false, false) => "hours__closed",
            };
            view! {
                <tr class=class>
                    <th scope="row">
                        {name}
                        {is_today.then(|| view! { <span class="hours__tag">"今天"</span> })}
                    </th>
                    <td>{hours_text(&day.hours)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="hours">
            <caption class="visually-hidden">{caption}</caption>
            <tbody>{rows}</tbody>
        </table>
    }
}
