//! The 404 page, and the friendly text shown when an item, theme or form does not exist.

use leptos::prelude::*;

use crate::ui::browser;
use crate::ui::components::hotline::Hotline;

/// For routes that do not exist.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    browser::set_title("页面不存在");
    view! {
        <div class="not-found">
            <h1 class="page-title">"没有找到这个页面"</h1>
            <p>"链接可能输错了，或者页面已经调整。"</p>
            <HelpLinks/>
        </div>
    }
}

/// "没有找到这个事项" (or 主题, 部门, 表格), with the way home and the hotline.
#[component]
pub fn NotFoundText(what: &'static str) -> impl IntoView {
    view! {
        <div class="not-found">
            <h1 class="page-title">{format!("没有找到这个{what}")}</h1>
            <p>"它可能已经调整或停止办理，也可能是链接不完整。"</p>
            <HelpLinks/>
        </div>
    }
}

#[component]
fn HelpLinks() -> impl IntoView {
    view! {
        <p class="actions">
            <a class="button button--primary" href="/">"返回首页"</a>
            <a class="button" href="/search">"搜索事项"</a>
        </p>
        <p>"需要帮助？拨打政务服务便民热线 " <Hotline/></p>
    }
}
