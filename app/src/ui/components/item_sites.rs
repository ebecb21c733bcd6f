//! "在哪里办" on an item's guide: the nearest three sites that handle it (nearest to the
//! position shared earlier in this session, else the hall and street centres first), each with
//! 预约 where the item can be booked there (the rule the booking page and the server use,
//! [`bookable`]), and the way to all of them on the map.

use leptos::prelude::*;

use crate::api::SiteList;
use crate::rules::appointment::bookable;
use crate::ui::components::site_card::SiteItem;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::sites as api;
use crate::ui::http::encode;
use crate::ui::near::saved_near;

const SHOWN: usize = 3;

#[component]
pub fn ItemSites(
    code: String,
    /// The guide's 网上预约.
    appointment: bool,
) -> impl IntoView {
    let near = saved_near();
    let hint = match &near {
        Some(n) => match &n.street {
            Some(street) => format!("按离{street}中心由近到远排列。"),
            None => "按离您由近到远排列。".to_string(),
        },
        None => "想按离您的远近排列，请在服务点地图上点“使用我的位置”。".to_string(),
    };
    let point = near.map(|n| n.point());
    let all = format!("/map?item={}", encode(&code));
    let item = code.clone();
    let sites = fetch(move || api::item_sites(code.clone(), point));
    view! {
        <section class="section card item-sites" aria-labelledby="where-title">
            <h2 id="where-title">"在哪里办"</h2>
            <p class="hint">{hint}</p>
            {show(sites, None, move |SiteList { sites }| {
                if sites.is_empty() {
                    return view! { <p>"暂无可现场办理的服务点，请按办理地点说明办理或拨打 12345 咨询。"</p> }
                        .into_any();
                }
                let total = sites.len();
                let shown = sites
                    .into_iter()
                    .take(SHOWN)
                    .map(|site| {
                        let book = bookable(appointment, site.level)
                            .then(|| format!("/sites/{}/book?item={}", site.code, encode(&item)));
                        match book {
                            Some(book) => view! { <SiteItem site book/> }.into_any(),
                            None => view! { <SiteItem site/> }.into_any(),
                        }
                    })
                    .collect_view();
                view! {
                    <ol class="site-list">{shown}</ol>
                    <p>
                        <a class="button" href=all.clone()>
                            {format!("查看全部办理地点（{total} 个）")}
                        </a>
                    </p>
                }
                    .into_any()
            })}
        </section>
    }
}
