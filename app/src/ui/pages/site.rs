//! `/sites/:code`: one service site — is it open, how to get there, what can be done there, and
//! the way to book.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::SiteDetail;
use crate::rules::geo::{distance_m, walk_minutes};
use crate::ui::browser;
use crate::ui::components::hotline::Phone;
use crate::ui::components::site_card::{distance_walk, hours_text, site_meta};
use crate::ui::components::status::{fetch, show};
use crate::ui::components::week_ahead::{closure_notice, WeekAhead};
use crate::ui::endpoints::sites as api;
use crate::ui::near::saved_near;
use crate::ui::pages::not_found::NotFoundText;

fn missing_site() -> AnyView {
    browser::set_title("没有找到这个服务点");
    view! { <NotFoundText what="服务点"/> }.into_any()
}

#[component]
pub fn SitePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let detail = fetch(move || api::site(code.get()));
    show(detail, Some(missing_site), |detail| {
        browser::set_title(&detail.site.name);
        let name = detail.site.name.clone();
        view! {
            <nav class="crumbs" aria-label="当前位置">
                <a href="/">"首页"</a>
                <span aria-hidden="true">" › "</span>
                <a href="/map">"政务服务地图"</a>
            </nav>
            <h1 class="page-title">{name}</h1>
            <div class="site-page">{site_body(&detail)}</div>
        }
        .into_any()
    })
}

/// `<section class="section card" aria-labelledby="id"><h2 id="id">title</h2>…</section>`.
fn section(id: &'static str, title: String, body: AnyView) -> AnyView {
    view! {
        <section class="section card" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {body}
        </section>
    }
    .into_any()
}

/// Today and the six days after it (holidays, 调休 and temporary closures included), then the
/// regular week.
fn hours_section(d: &SiteDetail) -> AnyView {
    let hours = &d.site.hours;
    let holidays = if hours.open_on_holidays {
        "法定节假日照常服务。"
    } else {
        "法定节假日休息，调休上班日按周一时间办公。"
    };
    let note = hours
        .note
        .clone()
        .map(|note| view! { <p class="note">{note}</p> });
    let weekly = if d.weekly.is_empty() {
        "平常不对外办公。".to_string()
    } else {
        format!("平常每周：{}。", d.weekly.join("；"))
    };
    section(
        "hours-title",
        "办公时间".into(),
        view! {
            <p class="site-today"><strong>{hours_text(&d.today)}</strong></p>
            <WeekAhead days=d.days.clone() caption="今天起 7 天的办公时间，今天一行已标出"/>
            <p class="small">{weekly}</p>
            <p class="small">{holidays}</p>
            {note}
        }
        .into_any(),
    )
}

fn site_body(d: &SiteDetail) -> AnyView {
    let s = &d.site;
    let closed = match (&d.closed_reason, &d.next_open) {
        (Some(reason), Some(next)) => Some(format!("{reason}。下次开门：{next}。")),
        (Some(reason), None) => Some(format!("{reason}。")),
        _ => None,
    }
    .map(|text| view! { <p class="site-closed">{text}</p> });
    let distance = saved_near().map(|near| {
        let m = distance_m(near.lat, near.lng, s.lat, s.lng);
        let from = match &near.street {
            Some(street) => format!("离{street}中心"),
            None => "离您".to_string(),
        };
        let text = format!(
            "{from}{}",
            distance_walk(m.round() as u32, Some(walk_minutes(m)))
        );
        view! { <p class="site-item__dist">{text}</p> }
    });
    let bookable = !d.appointment_categories.is_empty();
    let book = bookable.then(|| {
        view! {
            <a class="button button--primary" href=format!("/sites/{}/book", s.code)>"预约办理"</a>
        }
    });
    let booking_note = if bookable {
        view! {
            <p class="small">{format!("可预约：{}。", d.appointment_categories.join("、"))}</p>
        }
        .into_any()
    } else {
        view! { <p class="note">"这里无需预约，可在办公时间直接前往办理。"</p> }.into_any()
    };
    let navigation = [
        (&d.links.amap, "高德地图"),
        (&d.links.baidu, "百度地图"),
        (&d.links.tencent, "腾讯地图"),
        (&d.links.geo, "用手机地图打开"),
    ]
    .into_iter()
    .map(|(href, name)| {
        view! { <li><a class="button button--quiet" href=href.clone()>{name}</a></li> }
    })
    .collect_view();
    let facilities = if s.accessibility.is_empty() {
        "暂无".to_string()
    } else {
        s.accessibility.join("、")
    };
    let items = d
        .items
        .iter()
        .map(|item| {
            view! { <li><a href=format!("/items/{}", item.code)>{item.name.clone()}</a></li> }
        })
        .collect_view();
    view! {
        {site_meta(s.level, d.open_now)}
        {closure_notice(d.notice.clone())}
        {closed}
        {distance}
        <div class="actions">
            {book}
            <a class="button" href=browser::tel_href(&s.phone)>"拨打电话"</a>
        </div>
        {booking_note}
        {section(
            "where-title",
            "地址和导航".into(),
            view! {
                <dl class="pairs">
                    <dt>"地址"</dt>
                    <dd>{s.address.clone()}</dd>
                    <dt>"电话"</dt>
                    <dd><Phone number=s.phone.clone()/></dd>
                    <dt>"所属街道"</dt>
                    <dd>{s.street.clone()}</dd>
                </dl>
                <p class="site-nav__lead">"用手机上的地图导航前往："</p>
                <ul class="site-nav">{navigation}</ul>
                <p class="small">"导航会打开其他公司的地图应用或网页，坐标已按其要求换算。"</p>
            }
            .into_any(),
        )}
        {hours_section(d)}
        {section(
            "help-title",
            "无障碍、停车和公交".into(),
            view! {
                <dl class="pairs">
                    <dt>"无障碍设施"</dt>
                    <dd>{facilities}</dd>
                    <dt>"停车"</dt>
                    <dd>{s.parking.clone()}</dd>
                    <dt>"公交"</dt>
                    <dd>{s.transit.clone()}</dd>
                </dl>
            }
            .into_any(),
        )}
        {section(
            "items-title",
            format!("可办理的事项（{} 项）", d.items.len()),
            view! { <ul class="site-items">{items}</ul> }.into_any(),
        )}
    }
    .into_any()
}
