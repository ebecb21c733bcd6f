//! "在哪里办" on an item's guide: the nearest three sites that handle it (nearest to the
//! position shared earlier in this session, else the hall and street centres first), and the
//! way to all of them on the map.

use leptos::prelude::*;

use crate::ui::api_client::encode;
use crate::ui::components::site_card::site_item;
use crate::ui::components::status::{load, loaded};
use crate::ui::markup::Html;
use crate::ui::sites_api;

const SHOWN: usize = 3;

#[component]
pub fn ItemSites(code: String) -> impl IntoView {
    let near = sites_api::saved_near();
    let hint = match &near {
        Some(n) => match &n.street {
            Some(street) => format!("按离{street}中心由近到远排列。"),
            None => "按离您由近到远排列。".to_string(),
        },
        None => "想按离您的远近排列，请在服务点地图上点“使用我的位置”。".to_string(),
    };
    let point = near.map(|n| n.point());
    let all = format!("/map?item={}", encode(&code));
    let sites = {
        let code = code.clone();
        load(Box::new(move || {
            Box::pin(sites_api::item_sites(code.clone(), point))
        }))
    };
    view! {
        <section class="section card item-sites" aria-labelledby="where-title">
            <h2 id="where-title">"在哪里办"</h2>
            <p class="hint">{hint}</p>
            {loaded(
                sites,
                None,
                Box::new(move |v| {
                    let list = sites_api::site_list(&v);
                    if list.is_empty() {
                        return view! { <p>"暂无可现场办理的服务点，请按办理地点说明办理或拨打 12345 咨询。"</p> }
                            .into_any();
                    }
                    let mut h = Html::new();
                    for site in list.iter().take(SHOWN) {
                        site_item(&mut h, site);
                    }
                    let total = list.len();
                    let all = all.clone();
                    view! {
                        <ol class="site-list" inner_html=h.finish()></ol>
                        <p>
                            <a class="button" href=all>
                                {format!("查看全部办理地点（{total} 个）")}
                            </a>
                        </p>
                    }
                        .into_any()
                }),
            )}
        </section>
    }
}
