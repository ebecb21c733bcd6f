//! `/forms/:code` (空白表格) and `/forms/:code?sample=1` (示范文本): a printable form.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::Form;
use crate::ui::api_client;
use crate::ui::browser;
use crate::ui::components::status::loaded;
use crate::ui::pages::not_found::NotFoundText;

fn missing_form() -> AnyView {
    browser::set_title("没有找到这个表格");
    view! { <NotFoundText what="表格"/> }.into_any()
}

#[component]
pub fn FormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let sample = Memo::new(move |_| query.with(|q| q.get("sample")).is_some_and(|s| s == "1"));
    let form = LocalResource::new(move || api_client::form(code.get()));
    loaded(form, Some(missing_form), move |form| {
        view! { <FormSheet form sample=sample.get()/> }
    })
}

#[component]
fn FormSheet(form: Form, sample: bool) -> impl IntoView {
    let Form {
        code,
        title,
        items,
        instructions,
        sections,
        notes,
    } = form;
    browser::set_title(&if sample { format!("{title}（示范文本）") } else { title.clone() });
    let back = items.first().map(|item| {
        view! { <a class="button" href=format!("/items/{item}")>"返回办事指南"</a> }
    });
    let other = if sample {
        view! { <a class="button" href=format!("/forms/{code}")>"看空白表格"</a> }
    } else {
        view! { <a class="button" href=format!("/forms/{code}?sample=1")>"看示范文本"</a> }
    };
    let sections = sections
        .into_iter()
        .map(|section| {
            let rows = section
                .fields
                .into_iter()
                .map(|field| {
                    let cell = if sample {
                        view! { <td class="form-table__sample">{field.sample}</td> }.into_any()
                    } else {
                        let lines = (0..field.lines.max(1))
                            .map(|_| view! { <span class="write-line"></span> })
                            .collect_view();
                        view! { <td class="form-table__blank">{lines}</td> }.into_any()
                    };
                    view! {
                        <tr>
                            <th scope="row">{field.label}</th>
                            {cell}
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="form-table">
                    <caption>{section.title}</caption>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view();
    view! {
        <div class="print-bar no-print">
            <button type="button" class="button button--primary" on:click=|_| browser::print()>"打印"</button>
            {other}
            {back}
        </div>
        <article class=if sample { "form-sheet form-sheet--sample" } else { "form-sheet" }>
            {sample.then(|| view! { <p class="sample-mark">"示范文本（填写示例）"</p> })}
            <h1 class="page-title form-sheet__title">{title}</h1>
            <p class="small">"表格编号：" {code.clone()}</p>
            <p>{instructions}</p>
            {sections}
            {(!notes.is_empty()).then(|| view! {
                <section class="form-notes" aria-labelledby="notes-title">
                    <h2 id="notes-title">"填表说明"</h2>
                    <ol>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ol>
                </section>
            })}
            <p class="small demo-line">"示范数据：表格及示例内容均为虚构，仅用于演示"</p>
        </article>
    }
}
