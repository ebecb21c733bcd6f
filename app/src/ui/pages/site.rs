//! `/sites/:code`: one service site — is it open, how to get there, what can be done there, and
//! the way to book.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{OpeningHours, SiteDetail};
use crate::rules::geo::{distance_m, walk_minutes};
use crate::rules::opening::weekday_number;
use crate::ui::browser;
use crate::ui::components::site_card::{distance_walk, hours_text, level_icon, open_badge};
use crate::ui::components::status::{load, loaded};
use crate::ui::markup::Html;
use crate::ui::pages::not_found::NotFoundText;
use crate::ui::sites_api;

fn missing_site() -> AnyView {
    browser::set_title("没有找到这个服务点");
    view! { <NotFoundText what="服务点"/> }.into_any()
}

#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let detail = load(Box::new(move || Box::pin(sites_api::site(code.get()))));
    loaded(
        detail,
        Some(missing_site),
        Box::new(|v| {
            let detail = sites_api::site_detail(&v);
            browser::set_title(&detail.site.name);
            let name = detail.site.name.clone();
            view! {
                <nav class="crumbs" aria-label="当前位置">
                    <a href="/">"首页"</a>
                    <span aria-hidden="true">" › "</span>
                    <a href="/map">"政务服务地图"</a>
                </nav>
                <h1 class="page-title">{name}</h1>
                <div class="site-page" inner_html=site_html(&detail)></div>
            }
            .into_any()
        }),
    )
}

/// `09:00` → `9:00`.
fn hm(time: &str) -> &str {
    match time.strip_prefix('0') {
        Some(rest) if time.len() == 5 => rest,
        _ => time,
    }
}

/// Periods of weekday `n` (1–7) in words, or `休息`.
fn day_words(hours: &OpeningHours, n: u8) -> String {
    let periods: Vec<String> = hours
        .weekly
        .iter()
        .filter(|d| d.weekday == n)
        .flat_map(|d| &d.periods)
        .map(|p| {
            if p.open == "00:00" && p.close == "24:00" {
                "全天 24 小时".to_string()
            } else {
                format!("{}–{}", hm(&p.open), hm(&p.close))
            }
        })
        .collect();
    if periods.is_empty() {
        "休息".into()
    } else {
        periods.join("，")
    }
}

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// The week as a table, today's row marked (with today's actual hours, holidays included).
fn hours_html(h: &mut Html, d: &SiteDetail) {
    let today = weekday_number(browser::today_in_beijing().weekday());
    let hours = &d.site.hours;
    h.section("section card", "hours-title", "办公时间");
    h.open("p", "site-today").open("strong", "");
    hours_text(h, &d.today);
    h.close("strong").close("p");
    h.raw("<table class=\"hours\"><caption class=\"visually-hidden\">每周办公时间，今天一行已标出</caption><tbody>");
    for n in 1..=7u8 {
        let name = WEEKDAYS[usize::from(n - 1)];
        if n == today {
            let words = d.today.strip_prefix("今天").unwrap_or(&d.today).trim();
            h.raw("<tr class=\"hours__today\"><th scope=\"row\">")
                .text(name)
                .raw("<span class=\"hours__tag\">今天</span></th><td>");
            hours_text(h, words);
            h.raw("</td></tr>");
        } else {
            h.raw("<tr><th scope=\"row\">").text(name).raw("</th><td>");
            hours_text(h, &day_words(hours, n));
            h.raw("</td></tr>");
        }
    }
    h.raw("</tbody></table>");
    h.el(
        "p",
        "small",
        if hours.open_on_holidays {
            "法定节假日照常服务。"
        } else {
            "法定节假日休息，调休上班日按周一时间办公。"
        },
    );
    if let Some(note) = &hours.note {
        h.el("p", "note", note);
    }
    h.close("section");
}

fn site_html(d: &SiteDetail) -> String {
    let s = &d.site;
    let mut h = Html::new();
    h.open("p", "site-item__meta").open("span", "site-item__level");
    level_icon(&mut h, s.level);
    h.text(s.level.label()).close("span");
    open_badge(&mut h, d.open_now);
    h.close("p");
    match (&d.closed_reason, &d.next_open) {
        (Some(reason), Some(next)) => {
            h.el("p", "site-closed", &format!("{reason}。下次开门：{next}。"));
        }
        (Some(reason), None) => {
            h.el("p", "site-closed", &format!("{reason}。"));
        }
        _ => {}
    }
    if let Some(near) = sites_api::saved_near() {
        let m = distance_m(near.lat, near.lng, s.lat, s.lng);
        let from = match &near.street {
            Some(street) => format!("离{street}中心"),
            None => "离您".to_string(),
        };
        h.el(
            "p",
            "site-item__dist",
            &format!("{from}{}", distance_walk(m.round() as u32, Some(walk_minutes(m)))),
        );
    }

    h.open("div", "actions");
    if !d.appointment_categories.is_empty() {
        h.link(
            &format!("/sites/{}/book", s.code),
            "button button--primary",
            "预约办理",
        );
    }
    h.link(&browser::tel_href(&s.phone), "button", "拨打电话");
    h.close("div");
    if d.appointment_categories.is_empty() {
        h.el("p", "note", "这里无需预约，可在办公时间直接前往办理。");
    } else {
        h.el(
            "p",
            "small",
            &format!("可预约：{}。", d.appointment_categories.join("、")),
        );
    }

    h.section("section card", "where-title", "地址和导航");
    h.open("dl", "pairs")
        .pair("地址", &s.address)
        .el("dt", "", "电话")
        .open("dd", "")
        .phone(&s.phone)
        .close("dd")
        .pair("所属街道", &s.street)
        .close("dl");
    h.el("p", "site-nav__lead", "用手机上的地图导航前往：");
    h.open("ul", "site-nav");
    for (href, name) in [
        (&d.links.amap, "高德地图"),
        (&d.links.baidu, "百度地图"),
        (&d.links.tencent, "腾讯地图"),
        (&d.links.geo, "用手机地图打开"),
    ] {
        h.raw("<li>").link(href, "button button--quiet", name).raw("</li>");
    }
    h.close("ul");
    h.el("p", "small", "导航会打开其他公司的地图应用或网页，坐标已按其要求换算。");
    h.close("section");

    hours_html(&mut h, d);

    h.section("section card", "help-title", "无障碍、停车和公交");
    h.open("dl", "pairs");
    let facilities = if s.accessibility.is_empty() {
        "暂无".to_string()
    } else {
        s.accessibility.join("、")
    };
    h.pair("无障碍设施", &facilities)
        .pair("停车", &s.parking)
        .pair("公交", &s.transit)
        .close("dl")
        .close("section");

    h.section(
        "section card",
        "items-title",
        &format!("可办理的事项（{} 项）", d.items.len()),
    );
    h.open("ul", "site-items");
    for item in &d.items {
        h.raw("<li>")
            .link(&format!("/items/{}", item.code), "", &item.name)
            .raw("</li>");
    }
    h.close("ul").close("section");
    h.finish()
}
