//! The footer on every page: the demo notice, the hotline and the service centre.

use leptos::prelude::*;

use super::demo_notice::DEMO_NOTICE;
use super::hotline::Hotline;

/// The district's service centre (fictional). Not part of the catalog API, so kept here.
pub const CENTRE_NAME: &str = "示范区政务服务中心";
pub const CENTRE_ADDRESS: &str = "示范区民生路 88 号";
pub const CENTRE_HOURS: &str =
    "周一至周五 9:00–12:00，13:30–17:00；周六 9:00–12:00 延时服务（法定节假日除外）";

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p class="site-footer__demo">{DEMO_NOTICE}</p>
                <p>"政务服务便民热线 " <Hotline/></p>
                <p>
                    <strong>{CENTRE_NAME}</strong>
                    <br/>
                    "地址：" {CENTRE_ADDRESS}
                    <br/>
                    "时间：" {CENTRE_HOURS}
                </p>
            </div>
        </footer>
    }
}
