//! Service sites as text: list entries, the card shown when a map marker is tapped, distance
//! wording and the level symbols shared by the map, its legend and the lists.

use crate::api::{SiteLevel, SiteSummary};
use crate::ui::markup::Html;

/// The symbol of a level, drawn around (0, 0) in a 24 × 24 pixel box: a star for the hall, a
/// diamond for street centres, a circle for community stations and a triangle for 驿站, so the
/// levels differ in shape as well as colour.
pub fn level_path(level: SiteLevel) -> &'static str {
    match level {
        SiteLevel::Hall => "M0,-12L3.1,-4.2L11.4,-3.7L4.9,1.6L7.1,9.7L0,5.2L-7.1,9.7L-4.9,1.6L-11.4,-3.7L-3.1,-4.2Z",
        SiteLevel::Street => "M0,-10L10,0L0,10L-10,0Z",
        SiteLevel::Community => "M-8,0a8,8 0 1,0 16,0a8,8 0 1,0 -16,0Z",
        SiteLevel::Station => "M0,-9L9.5,8L-9.5,8Z",
    }
}

/// The CSS modifier of a level: `hall`, `street`, `community`, `station`.
pub fn level_class(level: SiteLevel) -> &'static str {
    level.as_str()
}

/// A small inline symbol for lists and the legend (decorative: the level is also written).
pub fn level_icon(h: &mut Html, level: SiteLevel) {
    h.raw("<svg class=\"lvl-icon lvl-icon--")
        .raw(level_class(level))
        .raw("\" viewBox=\"-13 -13 26 26\" width=\"22\" height=\"22\" aria-hidden=\"true\" focusable=\"false\"><path d=\"")
        .raw(level_path(level))
        .raw("\"/></svg>");
}

/// `约 650 米` or `约 2.4 公里`.
pub fn distance_words(metres: u32) -> String {
    if metres < 1000 {
        let rounded = if metres < 100 {
            metres.max(10).div_ceil(10) * 10
        } else {
            (metres + 25) / 50 * 50
        };
        format!("约 {rounded} 米")
    } else {
        format!("约 {:.1} 公里", f64::from(metres) / 1000.0)
    }
}

/// `约 650 米，步行 9 分钟`; a long walk suggests the bus instead.
pub fn distance_walk(metres: u32, walk_minutes: Option<u32>) -> String {
    let distance = distance_words(metres);
    match walk_minutes {
        Some(m) if m <= 40 => format!("{distance}，步行 {m} 分钟"),
        Some(_) => format!("{distance}，建议乘车前往"),
        None => distance,
    }
}

/// Hours such as `今天 9:00–12:00，13:30–17:00`, each period kept on one line.
pub fn hours_text(h: &mut Html, text: &str) {
    for (i, piece) in text.split('，').enumerate() {
        if i > 0 {
            h.raw("，");
        }
        h.el("span", "nowrap", piece);
    }
}

/// The open/closed badge: words, not only colour.
pub fn open_badge(h: &mut Html, open_now: bool) {
    if open_now {
        h.el("span", "badge badge--good", "正在办公");
    } else {
        h.el("span", "badge badge--closed", "现在不办公");
    }
}

/// Level, open badge, distance, today's hours, address and phone (shared by list and card).
fn facts(h: &mut Html, s: &SiteSummary) {
    h.open("p", "site-item__meta")
        .open("span", "site-item__level");
    level_icon(h, s.level);
    h.text(s.level.label()).close("span");
    open_badge(h, s.open_now);
    h.close("p");
    if let Some(m) = s.distance_m {
        h.el("p", "site-item__dist", &distance_walk(m, s.walk_minutes));
    }
    h.open("dl", "pairs site-item__pairs")
        .el("dt", "", "时间")
        .open("dd", "");
    hours_text(h, &s.today);
    h.close("dd")
        .pair("地址", &s.address)
        .el("dt", "", "电话")
        .open("dd", "")
        .phone(&s.phone)
        .close("dd")
        .close("dl");
}

/// One entry of the site list: the name links to the site's page.
pub fn site_item(h: &mut Html, s: &SiteSummary) {
    h.open("li", "card site-item")
        .open("h3", "site-item__name")
        .link(&format!("/sites/{}", s.code), "", &s.name)
        .close("h3");
    facts(h, s);
    h.close("li");
}

/// The card shown under the map when a marker is tapped.
pub fn site_card(s: &SiteSummary) -> String {
    let mut h = Html::new();
    h.el("h3", "site-card__name", &s.name);
    facts(&mut h, s);
    h.open("p", "actions")
        .link(
            &format!("/sites/{}", s.code),
            "button button--primary",
            "查看详情、导航和预约",
        )
        .close("p");
    h.finish()
}
