//! Short Chinese wordings shared by several pages.

use crate::api::{Handling, ItemSummary};
use crate::rules::date::Date;

/// `即办` or `承诺 5 个工作日`.
pub fn promise_short(handling: Handling, promised_days: u32) -> String {
    if handling == Handling::Immediate || promised_days == 0 {
        "即办".to_string()
    } else {
        format!("承诺{promised_days}个工作日")
    }
}

/// 到现场次数: `零跑腿`, `最多跑一次`, `最多跑 2 次`.
pub fn visits(visits: u8) -> String {
    match visits {
        0 => "零跑腿".to_string(),
        1 => "最多跑一次".to_string(),
        n => format!("最多跑{n}次"),
    }
}

pub fn summary_promise(item: &ItemSummary) -> String {
    promise_short(item.handling, item.promised_days)
}

/// `2月24日`, with the year when it is not `this_year`.
pub fn day(date: Date, this_year: i32) -> String {
    if date.year == this_year {
        date.chinese_short()
    } else {
        date.chinese_long()
    }
}
