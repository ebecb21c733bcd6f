//! `/forms/:code` (空白表格) and `/forms/:code?sample=1` (示范文本): a printable form.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::Form;
use crate::ui::browser;
use crate::ui::components::status::{fetch, show};
use crate::ui::endpoints::catalog;
use crate::ui::pages::not_found::NotFoundText;

fn missing_form() -> AnyView {
    browser::set_title("没有找到这个表格");
    view! { <NotFoundText what="表格"/> }.into_any()
}

#[component]
pub fn FormPage() -> AnyView {
    let params = use_params_map();
    let query = use_query_map();
    let form = fetch(move || catalog::form(params.with(|p| p.get("code")).unwrap_or_default()));
    show(form, Some(missing_form), move |form| {
        let sample = query.with(|q| q.get("sample")).is_some_and(|s| s == "1");
        view! { <FormSheet form sample/> }.into_any()
    })
}

/// The tables (blank writing lines, or the sample values) and the notes.
fn form_body(form: &Form, sample: bool) -> impl IntoView {
    let tables = form
        .sections
        .iter()
        .map(|section| {
            let rows = section
                .fields
                .iter()
                .map(|field| {
                    let cell = if sample {
                        view! { <td class="form-table__sample">{field.sample.clone()}</td> }
                            .into_any()
                    } else {
                        let lines = (0..field.lines.max(1))
                            .map(|_| view! { <span class="write-line"></span> })
                            .collect_view();
                        view! { <td class="form-table__blank">{lines}</td> }.into_any()
                    };
                    view! {
                        <tr>
                            <th scope="row">{field.label.clone()}</th>
                            {cell}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="form-table">
                    <caption>{section.title.clone()}</caption>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view();
    let notes = (!form.notes.is_empty()).then(|| {
        let notes = form
            .notes
            .iter()
            .map(|n| view! { <li>{n.clone()}</li> })
            .collect_view();
        view! {
            <section class="form-notes" aria-labelledby="notes-title">
                <h2 id="notes-title">"填表说明"</h2>
                <ol>{notes}</ol>
            </section>
        }
    });
    view! {
        <p class="small">"表格编号："{form.code.clone()}</p>
        <p>{form.instructions.clone()}</p>
        {tables}
        {notes}
        <p class="small demo-line">"示范数据：表格及示例内容均为虚构，仅用于演示"</p>
    }
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
    let body = form_body(&form, sample);
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
            <div>{body}</div>
        </article>
    }
}
