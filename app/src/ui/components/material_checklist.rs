//! 申报材料 as a checklist: tick what you have ready; ticks are remembered on this device for
//! each item.

use leptos::prelude::*;

use crate::api::{FormSummary, Material};
use crate::rules::auto_fetch::{system_record, AutoFetch, BUSINESS_LICENCE};
use crate::rules::tailor::Shown;
use crate::ui::browser;

/// Everything about a material except its name: how many and in what form, where it comes
/// from, the badges (`视情形`, `容缺`, `可告知承诺`, `电子证照免交`), the note and links to
/// its blank form and 示范文本.
pub fn material_details(m: &Material, depends: bool, forms: &[FormSummary]) -> impl IntoView {
    let originals = (m.originals > 0).then(|| format!("原件{}份 · ", m.originals));
    let copies = (m.copies > 0).then(|| format!("复印件{}份 · ", m.copies));
    // 自动获取 (rules::auto_fetch): the issuing body's own system holds it.
    let fetched = system_record(m);
    let badges = [
        (fetched, "badge badge--good", "自动获取"),
        (depends, "badge badge--depends", "视情形"),
        (m.tolerance, "badge", "容缺"),
        (m.pledge, "badge", "可告知承诺"),
        (m.e_licence, "badge badge--good", "电子证照免交"),
    ];
    let badges = badges.iter().any(|b| b.0).then(|| {
        let shown = badges
            .into_iter()
            .filter(|b| b.0)
            .map(|(_, class, text)| view! { <li class=class>{text}</li> })
            .collect_view();
        view! { <ul class="badges">{shown}</ul> }
    });
    let note = m
        .note
        .clone()
        .map(|note| view! { <p class="material__note">{note}</p> });
    let fetched =
        fetched.then(|| view! { <p class="material__note">{AutoFetch::SystemRecord.words()}</p> });
    // A company of the district signs in with its code and is not asked for its own licence.
    let licence = (m.id == BUSINESS_LICENCE).then(|| {
        view! { <p class="material__note">"本区登记的企业以企业身份登录申请时，电子营业执照自动获取，无需上传"</p> }
    });
    let form_links = m.blank_form.clone().map(|code| {
        // Named after the form for screen readers: every material has a "空白表格" link.
        let title = forms
            .iter()
            .find(|f| f.code == code)
            .map_or(m.name.clone(), |f| f.title.clone());
        let link = |href: String, label: &'static str, title: String| {
            view! {
                <a class="form-link" href=href>
                    {label}
                    <span class="visually-hidden">"："{title}</span>
                </a>
            }
        };
        let sample = m
            .has_sample
            .then(|| link(format!("/forms/{code}?sample=1"), "示范文本", title.clone()));
        view! {
            <p class="material__forms">{link(format!("/forms/{code}"), "空白表格", title)}{sample}</p>
        }
    });
    view! {
        <p class="material__meta">
            {originals}
            {copies}
            {m.medium.label()}
            <br/>
            "来源："
            {m.source.clone()}
        </p>
        {badges}
        {note}
        {fetched}
        {licence}
        {form_links}
    }
}

fn ticks_key(item_code: &str) -> String {
    format!("bst.ticks.{item_code}")
}

/// Ids of the materials ticked on this device (a short list: a plain `Vec` is enough).
fn saved_ticks(item_code: &str) -> Vec<String> {
    browser::load(&ticks_key(item_code))
        .map(|s| {
            s.split(',')
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

#[component]
pub fn MaterialChecklist(
    item_code: String,
    materials: Memo<Vec<Shown<Material>>>,
    forms: Vec<FormSummary>,
) -> impl IntoView {
    let ticks = RwSignal::new(saved_ticks(&item_code));
    let key = ticks_key(&item_code);
    let toggle = move |id: String| {
        ticks.update(|t| match t.iter().position(|x| *x == id) {
            Some(at) => {
                t.remove(at);
            }
            None => t.push(id),
        });
        let joined = ticks.with_untracked(|t| t.join(","));
        browser::store(&key, (!joined.is_empty()).then_some(joined.as_str()));
    };
    let progress = move || {
        materials.with(|list| {
            let ready = ticks.with(|t| list.iter().filter(|m| t.contains(&m.item.id)).count());
            format!("已准备 {ready} / {} 项", list.len())
        })
    };
    let list = move || {
        materials.with(|list| {
            list.iter()
                .map(|Shown { item: m, depends }| {
                    let id = m.id.clone();
                    let input_id = format!("m-{id}");
                    let checked = {
                        let id = id.clone();
                        move || ticks.with(|t| t.contains(&id))
                    };
                    let toggle = toggle.clone();
                    let details = material_details(m, *depends, &forms);
                    view! {
                        <li class="material">
                            <div class="material__check">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    prop:checked=checked
                                    on:change=move |_| toggle(id.clone())
                                />
                                <label for=input_id class="material__name">{m.name.clone()}</label>
                            </div>
                            <div>{details}</div>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <p class="checklist__progress" aria-live="polite">{progress}</p>
        <ul class="checklist">{list}</ul>
    }
}
