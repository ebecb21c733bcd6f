//! `/departments/:code`: the services of one department, with its windows and phone.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::ui::browser;
use crate::ui::components::browse_list::BrowseList;
use crate::ui::components::hotline::Phone;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog::{self, ItemQuery};
use crate::ui::pages::not_found::NotFoundText;

#[component]
pub fn DepartmentPage() -> AnyView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code")).unwrap_or_default();
    let overview = fetch(catalog::catalog);
    show(overview, None, move |catalog| {
        let Some(entry) = catalog
            .departments
            .into_iter()
            .find(|d| d.department.code == code())
        else {
            browser::set_title("没有找到这个部门");
            return view! { <NotFoundText what="部门"/> }.into_any();
        };
        let dept = entry.department;
        browser::set_title(&dept.name);
        let query = Signal::derive(move || ItemQuery {
            department: Some(code()),
            ..ItemQuery::default()
        });
        view! {
            <nav class="crumbs" aria-label="当前位置">
                <a href="/">"首页"</a>
                <span aria-hidden="true">" › "</span>
                <span>"部门"</span>
            </nav>
            <h1 class="page-title">{dept.name}</h1>
            <dl class="facts facts--inline">
                <div class="fact">
                    <dt>"窗口"</dt>
                    <dd>{dept.window}</dd>
                </div>
                <div class="fact">
                    <dt>"咨询电话"</dt>
                    <dd><Phone number=dept.phone/></dd>
                </div>
            </dl>
            <BrowseList query/>
        }
        .into_any()
    })
}
