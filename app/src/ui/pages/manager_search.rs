//! `/manager/search` (centre manager): 搜索词 — the most searched texts and the searches that
//! find nothing in the last 30 days, and the form that teaches the search an everyday word for
//! an item (the word is then found at once).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{NewSearchWord, SearchInsights, SearchTerm};
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::manager_only::admin_crumbs;
use crate::ui::endpoints::{admin, catalog};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

/// Every item of the catalog as (code, name), for the item select.
async fn all_items() -> Vec<(String, String)> {
    let mut options = Vec::new();
    let mut offset = 0;
    loop {
        let query = catalog::ItemQuery {
            limit: 100,
            offset,
            ..Default::default()
        };
        let Ok(page) = catalog::items(query).await else {
            break;
        };
        let got = page.items.len();
        offset += got;
        options.extend(page.items.into_iter().map(|i| (i.code, i.name)));
        if offset >= page.total || got == 0 {
            break;
        }
    }
    options
}

#[component]
pub fn ManagerSearchPage() -> impl IntoView {
    browser::set_title("搜索词");
    let insights = fetch_signed_in(Signin::Staff, admin::search_insights);
    // The word the form is filled with (a "为它添加" click on a search that found nothing).
    let word = RwSignal::new(String::new());
    // What was just added: kept here, as the lists below are drawn again after an addition.
    let done = RwSignal::new(None::<String>);
    view! {
        {admin_crumbs()}
        <h1 class="page-title">"搜索词"</h1>
        {staff_line()}
        <p class="hint">"只统计搜索的词语、次数和日期，不记录是谁搜索的；含 6 位以上数字的搜索（可能是电话或证件号码）不记录。"</p>
        {guard(insights, Signin::Staff, move |seen: SearchInsights| {
            view! {
                <WordForm word done on_added=move || insights.refetch()/>
                <section class="section" aria-labelledby="nothing-title">
                    <h2 id="nothing-title">{format!("没有搜到结果的搜索（近 {} 天）", seen.days)}</h2>
                    {terms_table(seen.not_found.clone(), "没有搜到结果的搜索", Some(word))}
                </section>
                <section class="section" aria-labelledby="top-title">
                    <h2 id="top-title">{format!("搜索最多的词（近 {} 天）", seen.days)}</h2>
                    {terms_table(seen.top.clone(), "搜索最多的词", None)}
                </section>
                <section class="section" aria-labelledby="words-title">
                    <h2 id="words-title">"已添加的日常用语"</h2>
                    {if seen.words.is_empty() {
                        view! { <p class="empty">"还没有添加。"</p> }.into_any()
                    } else {
                        view! {
                            <ul class="admin-words">
                                {seen.words.iter().map(|w| {
                                    let (code, text) = (w.item_code.clone(), w.word.clone());
                                    let label = format!("删除搜索词“{}”（{}）", w.word, w.item_name);
                                    let item_name = w.item_name.clone();
                                    let remove = move |_| {
                                        let (code, text, item_name) = (code.clone(), text.clone(), item_name.clone());
                                        leptos::task::spawn_local(async move {
                                            match admin::delete_search_word(&code, &text).await {
                                                Ok(()) => {
                                                    done.set(Some(format!("已删除“{text}”：搜索它不再找到“{item_name}”。")));
                                                    insights.refetch();
                                                }
                                                Err(f) => done.set(Some(format!("没有删除：{}", f.message))),
                                            }
                                        });
                                    };
                                    view! {
                                        <li>
                                            <strong>{w.word.clone()}</strong>" → "
                                            <a href=format!("/items/{}", w.item_code)>{w.item_name.clone()}</a>
                                            <span class="hint">{format!("（{}）", w.added_by)}</span>
                                            " "
                                            <button type="button" class="button button--quiet" aria-label=label on:click=remove>"删除"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
            .into_any()
        })}
    }
}

fn terms_table(
    terms: Vec<SearchTerm>,
    caption: &'static str,
    fill: Option<RwSignal<String>>,
) -> AnyView {
    if terms.is_empty() {
        return view! { <p class="empty">"暂无。"</p> }.into_any();
    }
    let rows = terms
        .into_iter()
        .map(|t| {
            let text = t.text.clone();
            let action = fill.map(|word| {
                let text = text.clone();
                let label = format!("为它添加：{text}");
                view! {
                    <td>
                        <button type="button" class="button button--quiet" aria-label=label
                            on:click=move |_| {
                                word.set(text.clone());
                                browser::focus_id("word-item");
                            }>
                            "为它添加"
                        </button>
                    </td>
                }
            });
            view! {
                <tr>
                    <th scope="row">{t.text}</th>
                    <td>{t.searches}</td>
                    <td>{t.results}</td>
                    <td>{t.last_day}</td>
                    {action}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="admin-table-wrap" tabindex="0" role="region" aria-label=format!("{caption}（可横向滚动）")>
            <table class="admin-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"搜索词"</th>
                        <th scope="col">"次数"</th>
                        <th scope="col">"现在的结果数"</th>
                        <th scope="col">"最近一次"</th>
                        {fill.map(|_| view! { <th scope="col">"操作"</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn WordForm(
    word: RwSignal<String>,
    done: RwSignal<Option<String>>,
    on_added: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let items = LocalResource::new(all_items);
    let item = RwSignal::new(String::new());
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let mut found = BTreeMap::new();
        if word.get_untracked().trim().is_empty() {
            found.insert(
                "word".to_string(),
                "请填写群众常说的词语，例如 办护照".to_string(),
            );
        }
        if item.get_untracked().is_empty() {
            found.insert("item_code".to_string(), "请选择事项".to_string());
        }
        errors.set(found.clone());
        if !found.is_empty() {
            focus_first_error();
            return;
        }
        let body = NewSearchWord {
            word: word.get_untracked().trim().to_string(),
            item_code: item.get_untracked(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match admin::add_search_word(&body).await {
                Ok(added) => {
                    done.set(Some(format!(
                        "已添加：搜索“{}”会找到“{}”。",
                        added.word, added.item_name
                    )));
                    word.set(String::new());
                    on_added();
                }
                Err(f) if !f.fields.is_empty() => {
                    errors.set(f.fields);
                    focus_first_error();
                }
                Err(f) => {
                    errors.set(BTreeMap::from([("word".to_string(), f.message)]));
                }
            }
            busy.set(false);
        });
    };
    let error = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.contains_key(field)).then_some("true");
    let options = move || {
        items
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|(code, name)| view! { <option value=code.clone()>{format!("{name}（{code}）")}</option> })
            .collect_view()
    };
    view! {
        <section class="section" aria-labelledby="word-title">
            <h2 id="word-title">"添加日常用语"</h2>
            <form class="card admin-form" on:submit=submit novalidate>
                <div class="field">
                    <label class="field__label" for="word-text">"群众常说的词语"</label>
                    <input id="word-text" class="input" type="text" maxlength="20"
                        aria-describedby="word-text-error" aria-invalid=invalid("word")
                        prop:value=move || word.get()
                        on:input=move |ev| word.set(event_target_value(&ev))/>
                    <p class="field__error" id="word-text-error">{error("word")}</p>
                </div>
                <div class="field">
                    <label class="field__label" for="word-item">"搜索它时找到的事项"</label>
                    <select id="word-item" class="input"
                        aria-describedby="word-item-error" aria-invalid=invalid("item_code")
                        on:change=move |ev| item.set(event_target_value(&ev))>
                        <option value="" selected=move || item.get().is_empty()>"请选择事项"</option>
                        {options}
                    </select>
                    <p class="field__error" id="word-item-error">{error("item_code")}</p>
                </div>
                <div role="status" aria-live="polite">{move || done.get().map(|m| view! { <p class="note">{m}</p> })}</div>
                <button type="submit" class="button button--primary" disabled=move || busy.get()>"添加"</button>
            </form>
        </section>
    }
}
