//! `/forms/:code` (空白表格) and `/forms/:code?sample=1` (示范文本): a printable form.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::Form;
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::components::status::{load, loaded};
use crate::ui::decode;
use crate::ui::markup::Html;
use crate::ui::pages::not_found::NotFoundText;

fn missing_form() -> AnyView {
    browser::set_title("没有找到这个表格");
    view! { <NotFoundText what="表格"/> }.into_any()
}

#[component]
pub fn FormPage() -> AnyView {
    let params = use_params_map();
    let query = use_query_map();
    let form = load(Box::new(move || {
        Box::pin(api_client::form(params.with(|p| p.get("code")).unwrap_or_default()))
    }));
    loaded(
        form,
        Some(missing_form),
        Box::new(move |form| {
            let sample = query.with(|q| q.get("sample")).is_some_and(|s| s == "1");
            view! { <FormSheet form=decode::form(&form) sample/> }.into_any()
        }),
    )
}

/// The tables (blank writing lines, or the sample values) and the notes, as text.
fn form_html(form: &Form, sample: bool) -> String {
    let mut h = Html::new();
    h.open("p", "small").raw("表格编号：").text(&form.code).close("p");
    h.el("p", "", &form.instructions);
    for section in &form.sections {
        h.open("table", "form-table").el("caption", "", &section.title).raw("<tbody>");
        for field in &section.fields {
            h.raw("<tr><th scope=\"row\">").text(&field.label).raw("</th>");
            if sample {
                h.el("td", "form-table__sample", &field.sample);
            } else {
                h.open("td", "form-table__blank");
                for _ in 0..field.lines.max(1) {
                    h.raw("<span class=\"write-line\"></span>");
                }
                h.close("td");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table>");
    }
    if !form.notes.is_empty() {
        h.raw("<section class=\"form-notes\" aria-labelledby=\"notes-title\"><h2 id=\"notes-title\">填表说明</h2><ol>");
        for note in &form.notes {
            h.el("li", "", note);
        }
        h.raw("</ol></section>");
    }
    h.el("p", "small demo-line", "示范数据：表格及示例内容均为虚构，仅用于演示");
    h.finish()
}

#[component]
fn FormSheet(form: Form, sample: bool) -> impl IntoView {
    let title = if sample {
        format!("{}（示范文本）", form.title)
    } else {
        form.title.clone()
    };
    browser::set_title(&title);
    let (switch_href, switch_label) = if sample {
        (format!("/forms/{}", form.code), "看空白表格")
    } else {
        (format!("/forms/{}?sample=1", form.code), "看示范文本")
    };
    let back = form.items.first().map(|item| {
        view! { <a class="button" href=format!("/items/{item}")>"返回办事指南"</a> }
    });
    let body = form_html(&form, sample);
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>
                "打印"
            </button>
            <a class="button" href=switch_href>{switch_label}</a>
            {back}
        </div>
        <article class=if sample { "form-sheet form-sheet--sample" } else { "form-sheet" }>
            {sample.then(|| view! { <p class="sample-mark">"示范文本（填写示例）"</p> })}
            <h1 class="page-title form-sheet__title">{form.title}</h1>
            <div inner_html=body></div>
        </article>
    }
}
