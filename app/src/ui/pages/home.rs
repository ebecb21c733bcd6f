//! `/`: search first, then life-event themes for the chosen audience, the most used services
//! and the departments.

use leptos::prelude::*;

use crate::api::{Audience, CatalogOverview, Theme};
use crate::ui::browser;
use crate::ui::components::audience_switch::{saved_audience, AudienceSwitch};
use crate::ui::components::bundle_cards::BundleCards;
use crate::ui::components::demo_notice::DemoNotice;
use crate::ui::components::hotline::Hotline;
use crate::ui::components::item_card::ItemCards;
use crate::ui::components::search_box::SearchBox;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::{bundles, catalog};

#[component]
pub fn HomePage() -> impl IntoView {
    browser::set_title("首页");
    let audience = RwSignal::new(saved_audience());
    let overview = fetch(catalog::catalog);
    view! {
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title" class="hero__title">"办事，先查一查"</h1>
            <p class="hero__lead">"输入您要办的事，看清要带什么、去哪里、多久办好。"</p>
            <SearchBox big=true/>
        </section>
        <DemoNotice/>
        <nav class="quick-links" aria-label="就近办事">
            <a class="quick-link" href="/map">
                <span class="quick-link__name">"政务服务地图"</span>
                <span class="quick-link__desc">"找离您最近的办事地点"</span>
            </a>
            <a class="quick-link" href="/bundles">
                <span class="quick-link__name">"一件事一次办"</span>
                <span class="quick-link__desc">"生孩子、开公司等，一次办好"</span>
            </a>
            <a class="quick-link" href="/appointments">
                <span class="quick-link__name">"我的预约"</span>
                <span class="quick-link__desc">"查看、取消预约"</span>
            </a>
        </nav>
        <AudienceSwitch audience/>
        {show(overview, None, move |c| view! { <Catalog catalog=c audience/> }.into_any())}
        <Bundles audience/>
        <section class="section help-line" aria-labelledby="help-title">
            <h2 id="help-title">"找不到要办的事？"</h2>
            <p>"拨打政务服务便民热线 " <Hotline/> "，工作人员帮您查。"</p>
        </section>
    }
}

/// 一件事一次办 for the chosen audience (nothing while loading or when it fails: the rest of
/// the page stands on its own).
#[component]
fn Bundles(audience: RwSignal<Audience>) -> impl IntoView {
    let list = LocalResource::new(bundles::bundles);
    move || {
        let Some(Ok(list)) = list.get() else {
            return None;
        };
        Some(view! {
            <section class="section" aria-labelledby="bundles-title">
                <h2 id="bundles-title">"一件事一次办"</h2>
                <p class="hint">"几个部门的事，一张表、一套材料、一次提交。"</p>
                <BundleCards list audience/>
            </section>
        })
    }
}

/// A life-event theme as a tile.
fn theme_tile(t: &Theme) -> impl IntoView {
    view! {
        <li>
            <a class="theme" href=format!("/themes/{}", t.code)>
                <span class="theme__icon" aria-hidden="true">{t.icon.clone()}</span>
                <span class="theme__name">{t.name.clone()}</span>
                <span class="theme__desc">{t.description.clone()}</span>
            </a>
        </li>
    }
}

#[component]
fn Catalog(catalog: CatalogOverview, audience: RwSignal<Audience>) -> impl IntoView {
    let CatalogOverview {
        departments,
        themes,
        popular,
        ..
    } = catalog;
    let themes = move || {
        let viewer = audience.get();
        themes
            .iter()
            .filter(|t| t.audience.serves(viewer))
            .map(theme_tile)
            .collect_view()
    };
    let popular = move || {
        let viewer = audience.get();
        let items: Vec<_> = popular
            .iter()
            .filter(|i| i.audience.serves(viewer))
            .take(8)
            .cloned()
            .collect();
        view! { <ItemCards items/> }
    };
    let depts = departments
        .into_iter()
        .filter(|d| d.items > 0)
        .map(|d| {
            view! {
                <li>
                    <a class="dept" href=format!("/departments/{}", d.department.code)>
                        <span class="dept__name">{d.department.name}</span>
                        <span class="dept__count">{format!("{} 项", d.items)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="themes-title">
            <h2 id="themes-title">
                {move || {
                    if audience.get() == Audience::Business { "企业办事主题" } else { "按人生事件办事" }
                }}
            </h2>
            <ul class="themes">{themes}</ul>
        </section>
        <section class="section" aria-labelledby="popular-title">
            <h2 id="popular-title">"高频事项"</h2>
            {popular}
        </section>
        <section class="section" aria-labelledby="depts-title">
            <h2 id="depts-title">"按部门查找"</h2>
            <ul class="depts">{depts}</ul>
        </section>
    }
}
