//! `/manager/catalog` and `/manager/catalog/:code` (centre manager): 事项管理 — the items with
//! their published version and waiting drafts, and the editor of one item's 办事指南: every
//! public field in sections, rows added, removed and reordered, each field checked as it is
//! typed with the rules the server applies on publish (`rules::catalog::check_guide`), the
//! changes against the published version, publication with a note, and the kept versions with
//! restore.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::wire_name;
use crate::api::{
    guide_field_label, Audience, CatalogAdminItem, CatalogAdminList, CatalogEditor, Clause,
    FieldKind, FieldSpec, GuideChange, Handling, ItemGuide, Material, Medium, OnlineLevel, Place,
    Situation, SituationOption, Step, When,
};
use crate::rules::catalog::{check_guide, diff_guides, CatalogRefs, ITEM_TYPES, MAX_DAYS};
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::case_view::beijing_time;
use crate::ui::components::doc_editor::{
    changes_table, check, enum_options, field_id, lines, number, optional_text, rows, said_line,
    select, situation_row, text, versions_table, when_editor, Ed, Rows, Said,
};
use crate::ui::endpoints::catalog_admin;
use crate::ui::pages::manager_catalog_exchange::{CatalogExchange, StandardSection};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

/// The list of items.
#[component]
pub fn ManagerCatalogPage() -> impl IntoView {
    browser::set_title("事项管理");
    let list = fetch_signed_in(Signin::Staff, || catalog_admin::items("", false));
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/staff">"预审工作台"</a>
            " › "
            <a href="/manager">"督办与差评整改"</a>
        </nav>
        <h1 class="page-title">"事项管理"</h1>
        {staff_line()}
        <p class="hint">
            "修改办事指南后先保存为草稿，检查改动后发布；发布后群众看到的办事指南和搜索结果立即更新，每个发布过的版本都会保留。"
        </p>
        <p><a href="/manager/bundles">"一件事管理：修改“一件事”的成员事项、情形问题和表单"</a></p>
        {guard(list, Signin::Staff, |list: CatalogAdminList| view! { <ItemTable list/> }.into_any())}
        <CatalogExchange/>
        <StandardSection/>
    }
}

#[component]
fn ItemTable(list: CatalogAdminList) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let drafts_only = RwSignal::new(false);
    let items = StoredValue::new(list.items);
    let shown = Memo::new(move |_| {
        let q = q.get();
        let q = q.trim().to_lowercase();
        let drafts_only = drafts_only.get();
        items.with_value(|items| {
            items
                .iter()
                .filter(|i| !drafts_only || i.draft.is_some())
                .filter(|i| {
                    q.is_empty()
                        || i.name.to_lowercase().contains(&q)
                        || i.code.to_lowercase().contains(&q)
                        || i.department.contains(&q)
                })
                .cloned()
                .collect::<Vec<CatalogAdminItem>>()
        })
    });
    let drafts = items.with_value(|i| i.iter().filter(|i| i.draft.is_some()).count());
    view! {
        <div class="catalog-filter" role="search">
            <div class="field">
                <label class="field__label" for="catalog-q">"查找事项"</label>
                <p class="field__help" id="catalog-q-help">"输入事项名称、编码或部门，如 身份证、SFQ-GA"</p>
                <input
                    id="catalog-q"
                    class="input"
                    type="search"
                    aria-describedby="catalog-q-help"
                    prop:value=move || q.get()
                    on:input=move |ev| q.set(event_target_value(&ev))
                />
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || drafts_only.get()
                    on:change=move |ev| drafts_only.set(event_target_checked(&ev))
                />
                {format!("只看有草稿的事项（{drafts} 个）")}
            </label>
        </div>
        <p class="hint" role="status">{move || format!("共 {} 个事项", shown.with(Vec::len))}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="事项列表（可横向滚动）">
            <table class="catalog-table">
                <caption class="visually-hidden">"事项列表"</caption>
                <thead>
                    <tr>
                        <th scope="col">"事项编码"</th>
                        <th scope="col">"事项名称"</th>
                        <th scope="col">"实施部门"</th>
                        <th scope="col">"已发布版本"</th>
                        <th scope="col">"草稿"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || shown.get() key=|i| i.code.clone() let:item>
                        <tr>
                            <td>{item.code.clone()}</td>
                            <th scope="row">
                                <a href=format!("/manager/catalog/{}", item.code)>{item.name.clone()}</a>
                            </th>
                            <td>{item.department.clone()}</td>
                            <td>{format!("第 {} 版", item.version)}</td>
                            <td>
                                {match &item.draft {
                                    Some(d) => view! {
                                        <span class="badge badge--draft">"有草稿"</span>
                                        <span class="hint">
                                            {format!(" {} · {}", d.saved_by, beijing_time(&d.saved_at))}
                                        </span>
                                    }
                                        .into_any(),
                                    None => view! { <span class="hint">"—"</span> }.into_any(),
                                }}
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One item's editor.
#[component]
pub fn ManagerCatalogItemPage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let editor = fetch_signed_in(Signin::Staff, move || {
        let code = code.get();
        async move { catalog_admin::editor(&code).await }
    });
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/manager">"督办与差评整改"</a>
            " › "
            <a href="/manager/catalog">"事项管理"</a>
        </nav>
        {guard(editor, Signin::Staff, |editor: CatalogEditor| view! { <Editor editor/> }.into_any())}
    }
}

fn materials(g: &mut ItemGuide) -> &mut Vec<Material> {
    &mut g.materials
}
fn conditions(g: &mut ItemGuide) -> &mut Vec<Clause> {
    &mut g.conditions
}
fn tips(g: &mut ItemGuide) -> &mut Vec<Clause> {
    &mut g.tips
}
fn steps(g: &mut ItemGuide) -> &mut Vec<Step> {
    &mut g.steps
}
fn places(g: &mut ItemGuide) -> &mut Vec<Place> {
    &mut g.places
}
fn situations(g: &mut ItemGuide) -> &mut Vec<Situation> {
    &mut g.situations
}
fn form(g: &mut ItemGuide) -> &mut Vec<FieldSpec> {
    &mut g.form
}

/// Getter and setter of field `$field` of row `$i` of list `$list`.
macro_rules! at {
    ($list:ident [$i:expr] . $field:ident) => {
        (
            move |g: &ItemGuide| {
                g.$list
                    .get($i)
                    .map(|x| x.$field.clone())
                    .unwrap_or_default()
            },
            move |g: &mut ItemGuide, v| {
                if let Some(x) = g.$list.get_mut($i) {
                    x.$field = v;
                }
            },
        )
    };
}

fn clause_rows(
    ed: Ed<ItemGuide>,
    list: Rows<ItemGuide, Clause>,
    text_label: &'static str,
) -> AnyView {
    let path = list.path;
    let get_list: fn(&ItemGuide) -> &Vec<Clause> = if path == "tips" {
        |g| &g.tips
    } else {
        |g| &g.conditions
    };
    rows(ed, list, move |i| {
        let at = format!("{path}[{i}]");
        view! {
            {text(ed, format!("{at}.text"), text_label, true, 2,
                move |g| get_list(g).get(i).map(|c| c.text.clone()).unwrap_or_default(),
                move |g, v| if let Some(c) = (list.list)(g).get_mut(i) { c.text = v })}
            {when_editor(ed, at,
                move |g| get_list(g).get(i).map(|c| c.when.clone()),
                move |g, w| if let Some(c) = (list.list)(g).get_mut(i) { c.when = w })}
        }
        .into_any()
    })
}

fn material_row(ed: Ed<ItemGuide>, i: usize, forms: StoredValue<Vec<(String, String)>>) -> AnyView {
    let at = format!("materials[{i}]");
    let (id_get, id_set) = at!(materials[i].id);
    let (name_get, name_set) = at!(materials[i].name);
    let (source_get, source_set) = at!(materials[i].source);
    let (orig_get, orig_set) = at!(materials[i].originals);
    let (copy_get, copy_set) = at!(materials[i].copies);
    let (note_get, note_set) = at!(materials[i].note);
    let (form_get, form_set) = at!(materials[i].blank_form);
    let medium_get = move |g: &ItemGuide| {
        g.materials
            .get(i)
            .map(|m| wire_name::of(&m.medium).to_string())
            .unwrap_or_default()
    };
    let medium_set = move |g: &mut ItemGuide, v: String| {
        if let (Some(m), Some(medium)) = (g.materials.get_mut(i), wire_name::parse::<Medium>(&v)) {
            m.medium = medium;
        }
    };
    let flag = |label: &str, read: fn(&Material) -> bool, write: fn(&mut Material, bool)| {
        check(
            ed,
            label.to_string(),
            move |g| g.materials.get(i).is_some_and(read),
            move |g, on| {
                if let Some(m) = g.materials.get_mut(i) {
                    write(m, on)
                }
            },
        )
    };
    let mut form_options = vec![(String::new(), "无空白表格".to_string())];
    form_options.extend(forms.get_value());
    view! {
        <div class="edit-grid">
            {text(ed, format!("{at}.name"), "材料名称", true, 1, name_get, name_set)}
            {text(ed, format!("{at}.id"), "材料编号（小写字母、数字、下划线）", true, 1, id_get, id_set)}
            {text(ed, format!("{at}.source"), "来源", true, 1, source_get, source_set)}
            {select(ed, format!("{at}.medium"), "材料形式",
                enum_options(&[Medium::Paper, Medium::Electronic, Medium::PaperOrElectronic], Medium::label),
                medium_get, medium_set)}
            {number(ed, format!("{at}.originals"), "原件份数", 20,
                move |g| u32::from(orig_get(g)), move |g, n| orig_set(g, n.min(20) as u8))}
            {number(ed, format!("{at}.copies"), "复印件份数", 20,
                move |g| u32::from(copy_get(g)), move |g, n| copy_set(g, n.min(20) as u8))}
            {optional_text(ed, format!("{at}.note"), "材料要求", note_get, note_set)}
            {select(ed, format!("{at}.blank_form"), "空白表格", form_options,
                move |g| form_get(g).unwrap_or_default(),
                move |g, v| form_set(g, (!v.is_empty()).then_some(v)))}
        </div>
        <div class="edit-flags">
            {flag("可容缺受理", |m| m.tolerance, |m, on| m.tolerance = on)}
            {flag("可告知承诺替代", |m| m.pledge, |m, on| m.pledge = on)}
            {flag("可调用电子证照", |m| m.e_licence, |m, on| m.e_licence = on)}
            {flag("提供示范文本", |m| m.has_sample, |m, on| m.has_sample = on)}
        </div>
        <p class="field__error" id=format!("{}-has_sample-error", field_id(&at))>
            {let p = format!("{at}.has_sample"); move || ed.error(&p)}
        </p>
        {when_editor(ed, at,
            move |g| g.materials.get(i).map(|m| m.when.clone()),
            move |g, w| if let Some(m) = g.materials.get_mut(i) { m.when = w })}
    }
    .into_any()
}

fn form_row(ed: Ed<ItemGuide>, i: usize) -> AnyView {
    let at = format!("form[{i}]");
    let (id_get, id_set) = at!(form[i].id);
    let (label_get, label_set) = at!(form[i].label);
    let (help_get, help_set) = at!(form[i].help);
    let kinds = [
        (FieldKind::Text, "单行文字"),
        (FieldKind::LongText, "多行文字"),
        (FieldKind::IdCard, "身份证号码"),
        (FieldKind::Uscc, "统一社会信用代码"),
        (FieldKind::Mobile, "手机号码"),
        (FieldKind::Date, "日期"),
        (FieldKind::Choice, "选择"),
        (FieldKind::Address, "地址"),
        (FieldKind::Number, "数额"),
    ]
    .iter()
    .map(|(k, l)| (wire_name::of(k).to_string(), l.to_string()))
    .collect();
    let options_path = format!("{at}.options");
    view! {
        <div class="edit-grid">
            {text(ed, format!("{at}.label"), "字段名称", true, 1, label_get, label_set)}
            {text(ed, format!("{at}.id"), "字段编号", true, 1, id_get, id_set)}
            {select(ed, format!("{at}.kind"), "字段类型", kinds,
                move |g| g.form.get(i).map(|f| wire_name::of(&f.kind).to_string()).unwrap_or_default(),
                move |g, v| if let (Some(f), Some(k)) = (g.form.get_mut(i), wire_name::parse::<FieldKind>(&v)) { f.kind = k })}
            {optional_text(ed, format!("{at}.help"), "填写说明", help_get, help_set)}
            {text(ed, options_path, "可选项（选择类型，每行一个）", false, 3,
                move |g| g.form.get(i).map(|f| f.options.join("\n")).unwrap_or_default(),
                move |g, v| if let Some(f) = g.form.get_mut(i) {
                    f.options = if v.is_empty() { Vec::new() } else { v.split('\n').map(str::to_string).collect() };
                })}
        </div>
        {check(ed, "必填".into(),
            move |g| g.form.get(i).is_some_and(|f| f.required),
            move |g, on| if let Some(f) = g.form.get_mut(i) { f.required = on })}
    }
    .into_any()
}

#[component]
fn Editor(editor: CatalogEditor) -> impl IntoView {
    browser::set_title(&format!("编辑：{}", editor.published.name));
    let refs = CatalogRefs {
        departments: editor.departments.iter().map(|d| d.code.clone()).collect(),
        themes: editor.themes.iter().map(|t| t.code.clone()).collect(),
        forms: editor.forms.iter().map(|f| f.code.clone()).collect(),
    };
    let code = editor.published.code.clone();
    let guide = RwSignal::new(
        editor
            .draft
            .clone()
            .unwrap_or_else(|| editor.published.clone()),
    );
    let state = RwSignal::new(editor.clone());
    let problems = Memo::new(move |_| guide.with(|g| check_guide(g, &refs)));
    let ed = Ed {
        doc: guide,
        typed: RwSignal::new(BTreeMap::new()),
        server: RwSignal::new(BTreeMap::new()),
        problems,
    };
    let said = RwSignal::new(Said::Nothing);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);

    let departments: Vec<(String, String)> = editor
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    let themes = editor.themes.clone();
    let forms = StoredValue::new(
        editor
            .forms
            .iter()
            .map(|f| (f.code.clone(), format!("{} {}", f.code, f.title)))
            .collect::<Vec<_>>(),
    );
    let changes = Memo::new(move |_| {
        let published = state.with(|s| s.published.clone());
        guide.with(|g| diff_guides(&published, g))
    });

    let save = move |then_publish: bool| {
        if busy.get_untracked() {
            return;
        }
        let note_text = note.get_untracked().trim().to_string();
        if then_publish && note_text.is_empty() {
            note_error.set(Some("请填写发布说明，写明这次改了什么".into()));
            said.set(Said::Failed("请先填写发布说明。".into()));
            focus_first_error();
            return;
        }
        note_error.set(None);
        busy.set(true);
        let g = guide.get_untracked();
        spawn_local(async move {
            match catalog_admin::save_draft(&g).await {
                Ok(answer) => {
                    ed.server.set(answer.problems.clone());
                    state.set(answer);
                }
                Err(f) => {
                    ed.server.set(f.fields.clone());
                    said.set(Said::Failed(format!("草稿没有保存：{}", f.message)));
                    busy.set(false);
                    focus_first_error();
                    return;
                }
            }
            if !then_publish {
                said.set(Said::Done(
                    "草稿已保存，尚未发布；群众看到的仍是已发布的版本。".into(),
                ));
                busy.set(false);
                return;
            }
            let count = ed.count();
            if count > 0 {
                said.set(Said::Failed(format!(
                    "草稿已保存，但有 {count} 处需要修改，改正后才能发布。"
                )));
                busy.set(false);
                focus_first_error();
                return;
            }
            match catalog_admin::publish(&g.code, &note_text).await {
                Ok(published) => {
                    if let Ok(fresh) = catalog_admin::editor(&g.code).await {
                        guide.set(fresh.published.clone());
                        state.set(fresh);
                    }
                    note.set(String::new());
                    ed.server.set(BTreeMap::new());
                    said.set(Said::Done(format!(
                        "已发布第 {} 版：群众看到的办事指南和搜索结果已更新。",
                        published.version
                    )));
                }
                Err(f) => {
                    if let Some(m) = f.fields.get("note") {
                        note_error.set(Some(m.clone()));
                    }
                    ed.server.set(f.fields.clone());
                    said.set(Said::Failed(format!("没有发布：{}", f.message)));
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    let discard = move || {
        let code = guide.with_untracked(|g| g.code.clone());
        busy.set(true);
        spawn_local(async move {
            let _ = catalog_admin::discard_draft(&code).await;
            if let Ok(fresh) = catalog_admin::editor(&code).await {
                guide.set(fresh.published.clone());
                state.set(fresh);
            }
            ed.server.set(BTreeMap::new());
            ed.typed.set(BTreeMap::new());
            said.set(Said::Done(
                "草稿已删除，编辑内容已恢复为已发布的版本。".into(),
            ));
            busy.set(false);
        });
    };
    let restore = move |version: i64| {
        let code = guide.with_untracked(|g| g.code.clone());
        let typed_note = note.get_untracked().trim().to_string();
        let text = if typed_note.is_empty() {
            format!("恢复第 {version} 版")
        } else {
            typed_note
        };
        busy.set(true);
        spawn_local(async move {
            match catalog_admin::restore(&code, version, &text).await {
                Ok(published) => {
                    if let Ok(fresh) = catalog_admin::editor(&code).await {
                        if fresh.draft.is_none() {
                            guide.set(fresh.published.clone());
                        }
                        state.set(fresh);
                    }
                    said.set(Said::Done(format!(
                        "已将第 {version} 版恢复为第 {} 版并发布。",
                        published.version
                    )));
                }
                Err(f) => said.set(Said::Failed(format!("没有恢复：{}", f.message))),
            }
            busy.set(false);
        });
    };

    let audience_options = enum_options(
        &[Audience::Personal, Audience::Business, Audience::Both],
        Audience::label,
    );
    let handling_options = enum_options(
        &[Handling::Immediate, Handling::Promised, Handling::Joint],
        Handling::label,
    );
    let online_options = enum_options(
        &[
            OnlineLevel::Consult,
            OnlineLevel::PreReview,
            OnlineLevel::Accept,
            OnlineLevel::FullyOnline,
        ],
        OnlineLevel::label,
    );
    let type_options = ITEM_TYPES
        .iter()
        .map(|t| (t.to_string(), t.to_string()))
        .collect();
    let theme_boxes = themes
        .into_iter()
        .map(|t| {
            let (c1, c2) = (t.code.clone(), t.code.clone());
            check(
                ed,
                format!("{} {}", t.icon, t.name),
                move |g| g.themes.contains(&c1),
                move |g, on| {
                    g.themes.retain(|c| c != &c2);
                    if on {
                        g.themes.push(c2.clone());
                    }
                },
            )
        })
        .collect_view();

    let conditions_rows = Rows {
        path: "conditions",
        noun: "受理条件",
        list: conditions,
        len: |g| g.conditions.len(),
        blank: |_| Clause {
            text: String::new(),
            when: When::new(),
        },
    };
    let tips_rows = Rows {
        path: "tips",
        noun: "温馨提示",
        list: tips,
        len: |g| g.tips.len(),
        blank: |_| Clause {
            text: String::new(),
            when: When::new(),
        },
    };
    let material_rows = Rows {
        path: "materials",
        noun: "材料",
        list: materials,
        len: |g| g.materials.len(),
        blank: |g| Material::new(format!("material_{}", g.materials.len() + 1), ""),
    };
    let step_rows = Rows {
        path: "steps",
        noun: "步骤",
        list: steps,
        len: |g| g.steps.len(),
        blank: |_| Step {
            title: String::new(),
            description: String::new(),
            when: When::new(),
        },
    };
    let place_rows = Rows {
        path: "places",
        noun: "办理地点",
        list: places,
        len: |g| g.places.len(),
        blank: |g| {
            g.places.first().cloned().unwrap_or(Place {
                name: String::new(),
                address: String::new(),
                window: String::new(),
                hours: String::new(),
            })
        },
    };
    let situation_rows = Rows {
        path: "situations",
        noun: "情形问题",
        list: situations,
        len: |g| g.situations.len(),
        blank: |g| Situation {
            id: format!("question{}", g.situations.len() + 1),
            question: String::new(),
            help: None,
            options: vec![
                SituationOption {
                    value: "yes".into(),
                    label: "是".into(),
                },
                SituationOption {
                    value: "no".into(),
                    label: "否".into(),
                },
            ],
        },
    };
    let form_rows = Rows {
        path: "form",
        noun: "表单字段",
        list: form,
        len: |g| g.form.len(),
        blank: |g| FieldSpec {
            id: format!("field{}", g.form.len() + 1),
            label: String::new(),
            kind: FieldKind::Text,
            required: true,
            options: Vec::new(),
            help: None,
        },
    };

    let (fee_desc_get, fee_desc_set) = (
        |g: &ItemGuide| g.fee.description.clone(),
        |g: &mut ItemGuide, v: String| g.fee.description = v,
    );

    view! {
        <h1 class="page-title" tabindex="-1">{move || format!("编辑：{}", guide.with(|g| g.name.clone()))}</h1>
        <p class="hint">
            {code.clone()} " · "
            {move || format!("已发布第 {} 版", state.with(|s| s.version))}
            {move || state.with(|s| s.draft_mark.clone()).map(|d| format!(" · 草稿由 {} 于 {} 保存", d.saved_by, beijing_time(&d.saved_at)))}
            " · " <a href=format!("/items/{code}") target="_blank" rel="noopener">"查看群众看到的办事指南（新窗口）"</a>
        </p>
        <p class="hint" role="status">
            {move || match ed.count() {
                0 => "所有内容符合发布要求。".to_string(),
                n => format!("有 {n} 处需要修改，改正后才能发布（见各栏目下的红色提示）。"),
            }}
        </p>

        <section class="section edit-section" aria-labelledby="sec-basics">
            <h2 id="sec-basics">"基本信息"</h2>
            <div class="edit-grid">
                {text(ed, "name".into(), "事项名称", true, 1, |g| g.name.clone(), |g, v| g.name = v)}
                {select(ed, "item_type".into(), "事项类型", type_options, |g| g.item_type.clone(), |g, v| g.item_type = v)}
                {select(ed, "department".into(), "实施部门", departments, |g| g.department.clone(), |g, v| g.department = v)}
                {select(ed, "audience".into(), "服务对象", audience_options,
                    |g| wire_name::of(&g.audience).to_string(),
                    |g, v| if let Some(a) = wire_name::parse(&v) { g.audience = a })}
                {text(ed, "result".into(), "办理结果", true, 1, |g| g.result.clone(), |g, v| g.result = v)}
            </div>
            {text(ed, "summary".into(), "事项简介（一句话说明用途）", true, 2, |g| g.summary.clone(), |g, v| g.summary = v)}
            {lines(ed, "legal_basis", "设立依据", "每行一条法律法规，写明条款", |g| &mut g.legal_basis, |g| &g.legal_basis)}
            {lines(ed, "keywords", "搜索关键词", "群众常用的说法，每行一个，如 身份证丢了", |g| &mut g.keywords, |g| &g.keywords)}
            {lines(ed, "delivery", "送达方式", "每行一种，如 窗口领取、免费邮寄", |g| &mut g.delivery, |g| &g.delivery)}
            <fieldset class="edit-flags">
                <legend>"所属主题"</legend>
                {theme_boxes}
            </fieldset>
            <div class="edit-flags">
                {check(ed, "支持预约".into(), |g| g.appointment, |g, on| g.appointment = on)}
                {check(ed, "支持跨省通办".into(), |g| g.cross_province, |g, on| g.cross_province = on)}
            </div>
        </section>

        <section class="section edit-section" aria-labelledby="sec-time">
            <h2 id="sec-time">"时限、办件类型与网办深度"</h2>
            <div class="edit-grid">
                {number(ed, "statutory_days".into(), "法定时限（工作日，0 表示法律未规定）", MAX_DAYS, |g| g.statutory_days, |g, n| g.statutory_days = n)}
                {number(ed, "promised_days".into(), "承诺时限（工作日，即办件为 0）", MAX_DAYS, |g| g.promised_days, |g, n| g.promised_days = n)}
                {select(ed, "handling".into(), "办件类型", handling_options,
                    |g| wire_name::of(&g.handling).to_string(),
                    |g, v| if let Some(h) = wire_name::parse(&v) { g.handling = h })}
                {select(ed, "online_level".into(), "网办深度", online_options,
                    |g| wire_name::of(&g.online_level).to_string(),
                    |g, v| if let Some(l) = wire_name::parse(&v) { g.online_level = l })}
                {number(ed, "visits".into(), "到现场次数（0 表示零跑腿）", 5, |g| u32::from(g.visits), |g, n| g.visits = n.min(5) as u8)}
            </div>
        </section>

        <section class="section edit-section" aria-labelledby="sec-conditions">
            <h2 id="sec-conditions">"受理条件"</h2>
            {clause_rows(ed, conditions_rows, "条件内容")}
        </section>

        <section class="section edit-section" aria-labelledby="sec-situations">
            <h2 id="sec-situations">"情形引导问题"</h2>
            <p class="hint">"群众回答这些问题后，只看到与自己情形相符的条件、材料和步骤。"</p>
            {rows(ed, situation_rows, move |i| situation_row(ed, i))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-materials">
            <h2 id="sec-materials">"申报材料"</h2>
            {rows(ed, material_rows, move |i| material_row(ed, i, forms))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-steps">
            <h2 id="sec-steps">"办理流程"</h2>
            {rows(ed, step_rows, move |i| {
                let at = format!("steps[{i}]");
                let (t_get, t_set) = at!(steps[i].title);
                let (d_get, d_set) = at!(steps[i].description);
                view! {
                    {text(ed, format!("{at}.title"), "步骤名称", true, 1, t_get, t_set)}
                    {text(ed, format!("{at}.description"), "步骤说明", true, 2, d_get, d_set)}
                    {when_editor(ed, at,
                        move |g| g.steps.get(i).map(|s| s.when.clone()),
                        move |g, w| if let Some(s) = g.steps.get_mut(i) { s.when = w })}
                }
                .into_any()
            })}
        </section>

        <section class="section edit-section" aria-labelledby="sec-fee">
            <h2 id="sec-fee">"收费"</h2>
            {check(ed, "不收费".into(), |g| g.fee.free, |g, on| g.fee.free = on)}
            {text(ed, "fee.description".into(), "收费说明", true, 2, fee_desc_get, fee_desc_set)}
            {optional_text(ed, "fee.basis".into(), "收费依据（文件名称和文号）", |g| g.fee.basis.clone(), |g, v| g.fee.basis = v)}
        </section>

        <section class="section edit-section" aria-labelledby="sec-places">
            <h2 id="sec-places">"办理地点与咨询电话"</h2>
            {rows(ed, place_rows, move |i| {
                let at = format!("places[{i}]");
                let (n_get, n_set) = at!(places[i].name);
                let (a_get, a_set) = at!(places[i].address);
                let (w_get, w_set) = at!(places[i].window);
                let (h_get, h_set) = at!(places[i].hours);
                view! {
                    <div class="edit-grid">
                        {text(ed, format!("{at}.name"), "地点名称", true, 1, n_get, n_set)}
                        {text(ed, format!("{at}.address"), "地址", true, 1, a_get, a_set)}
                        {text(ed, format!("{at}.window"), "窗口", true, 1, w_get, w_set)}
                        {text(ed, format!("{at}.hours"), "办理时间", true, 1, h_get, h_set)}
                    </div>
                }
                .into_any()
            })}
            <div class="edit-grid">
                {text(ed, "consult_phone".into(), "咨询电话", true, 1, |g| g.consult_phone.clone(), |g, v| g.consult_phone = v)}
                {text(ed, "complaint_phone".into(), "监督投诉电话", true, 1, |g| g.complaint_phone.clone(), |g, v| g.complaint_phone = v)}
            </div>
        </section>

        <section class="section edit-section" aria-labelledby="sec-tips">
            <h2 id="sec-tips">"温馨提示"</h2>
            {clause_rows(ed, tips_rows, "提示内容")}
        </section>

        <section class="section edit-section" aria-labelledby="sec-form">
            <h2 id="sec-form">"网上申报表单"</h2>
            <p class="hint">"不填写任何字段时，使用该服务对象的标准申请表。"</p>
            {rows(ed, form_rows, move |i| form_row(ed, i))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-diff">
            <h2 id="sec-diff">"与已发布版本相比的改动"</h2>
            {move || changes_table(
                changes
                    .get()
                    .into_iter()
                    .map(|c| GuideChange {
                        label: guide_field_label(&c.path),
                        path: c.path,
                        before: c.before,
                        after: c.after,
                    })
                    .collect(),
            )}
        </section>

        <section class="section edit-section edit-actions" aria-labelledby="sec-publish">
            <h2 id="sec-publish">"保存与发布"</h2>
            <div class="field">
                <label class="field__label" for="publish-note">
                    "发布说明"<span class="field__need">"发布时必填"</span>
                </label>
                <p class="field__help" id="publish-note-help">"写明这次改了什么，如“工本费调整为 25 元”，会记入版本记录。"</p>
                <input id="publish-note" class="input" type="text" maxlength="200"
                    aria-describedby="publish-note-help publish-note-error"
                    aria-invalid=move || note_error.with(Option::is_some).to_string()
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
                <p class="field__error" id="publish-note-error">{move || note_error.get()}</p>
            </div>
            <div class="button-row">
                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| save(false)>"保存草稿"</button>
                <button type="button" class="button button--primary" disabled=move || busy.get() on:click=move |_| save(true)>"保存并发布"</button>
                {move || state.with(|s| s.draft.is_some()).then(|| view! {
                    <button type="button" class="button button--quiet" disabled=move || busy.get() on:click=move |_| discard()>"删除草稿"</button>
                })}
            </div>
            {said_line(said)}
        </section>

        <section class="section edit-section" aria-labelledby="sec-versions">
            <h2 id="sec-versions">"版本记录"</h2>
            <p class="hint">"恢复旧版本会把它发布为新的版本；恢复说明取上方的发布说明，未填写时为“恢复第 N 版”。"</p>
            {move || versions_table(
                state.with(|s| s.versions.clone()),
                state.with(|s| s.version),
                busy,
                restore,
            )}
        </section>
    }
}
