//! 办理地点和时间, 咨询电话 and 监督投诉电话, as text.

use crate::api::Place;
use crate::ui::markup::Html;

pub fn places_html(h: &mut Html, places: &[Place]) {
    for p in places {
        h.open("div", "place")
            .el("p", "place__name", &p.name)
            .open("dl", "pairs")
            .pair("地址", &p.address)
            .pair("窗口", &p.window)
            .pair("时间", &p.hours)
            .close("dl")
            .close("div");
    }
}

pub fn phones_html(h: &mut Html, consult: &str, complaint: &str) {
    h.open("dl", "pairs")
        .el("dt", "", "咨询电话")
        .open("dd", "")
        .phone(consult)
        .close("dd")
        .el("dt", "", "监督投诉")
        .open("dd", "")
        .phone(complaint)
        .close("dd")
        .close("dl");
}
