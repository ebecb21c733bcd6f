//! `/manager/bundles` and `/manager/bundles/:code` (centre manager): 一件事管理 — the bundles with
//! their published version and waiting drafts, and the editor of one 一件事 in the idiom of the
//! item editor (`manager_catalog`, same pieces from `components::doc_editor`): its name,
//! summary and audience, its member items (order, 前置, 适用情形), its 情形 questions and the
//! one form with the member fields each field fills. The bundle rules the server applies on
//! publish (`rules::bundle::check_bundle`) check it as it is typed; the changes against the
//! published version, publication with a note, and the kept versions with restore.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::{
    bundle_field_label, wire_name, Audience, Bundle, BundleAdminList, BundleEditor, BundleField,
    BundleMember, FieldKind, FieldSpec, FieldTarget, GuideChange, ItemGuide, MemberChoice,
    Situation, SituationOption,
};
use crate::rules::bundle::{check_bundle, timing_mode};
use crate::rules::catalog::diff_documents;
use crate::rules::form::form_for;
use crate::ui::browser;
use crate::ui::components::case_form::focus_first_error;
use crate::ui::components::case_view::beijing_time;
use crate::ui::components::doc_editor::{
    changes_table, check, enum_options, field_id, lines, optional_text, rows, said_line, select,
    situation_row, text, versions_table, when_editor, Ed, Rows, Said,
};
use crate::ui::endpoints::{bundle_admin, catalog};
use crate::ui::pages::staff_queue::staff_line;
use crate::ui::session::{fetch_signed_in, guard, Signin};

/// The list of bundles.
#[component]
pub fn ManagerBundlesPage() -> impl IntoView {
    browser::set_title("一件事管理");
    let list = fetch_signed_in(Signin::Staff, bundle_admin::bundles);
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/manager">"督办与差评整改"</a>
            " › "
            <a href="/manager/catalog">"事项管理"</a>
        </nav>
        <h1 class="page-title">"一件事管理"</h1>
        {staff_line()}
        <p class="hint">
            "修改“一件事”的名称、成员事项、情形问题和表单后先保存为草稿，检查改动后发布；发布前按“一件事”的规则检查（成员事项存在、前置事项不循环、情形引用有效、材料只交一次等）。已开始申请的“一件事”按开始时的版本办理。"
        </p>
        {guard(list, Signin::Staff, |list: BundleAdminList| view! { <BundleTable list/> }.into_any())}
    }
}

#[component]
fn BundleTable(list: BundleAdminList) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="一件事列表（可横向滚动）">
            <table class="catalog-table">
                <caption class="visually-hidden">"一件事列表"</caption>
                <thead>
                    <tr>
                        <th scope="col">"名称"</th>
                        <th scope="col">"编码"</th>
                        <th scope="col">"成员事项"</th>
                        <th scope="col">"已发布版本"</th>
                        <th scope="col">"草稿"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.bundles.into_iter().map(|b| view! {
                        <tr>
                            <th scope="row">
                                <span aria-hidden="true">{b.icon.clone()}" "</span>
                                <a href=format!("/manager/bundles/{}", b.code)>{b.name.clone()}</a>
                            </th>
                            <td>{b.code.clone()}</td>
                            <td>{format!("{} 个", b.members)}</td>
                            <td>{format!("第 {} 版", b.version)}</td>
                            <td>
                                {match &b.draft {
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
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// One bundle's editor.
#[component]
pub fn ManagerBundlePage() -> impl IntoView {
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code")).unwrap_or_default());
    let editor = fetch_signed_in(Signin::Staff, move || {
        let code = code.get();
        async move { bundle_admin::editor(&code).await }
    });
    view! {
        <nav class="crumbs" aria-label="当前位置">
            <a href="/manager">"督办与差评整改"</a>
            " › "
            <a href="/manager/bundles">"一件事管理"</a>
        </nav>
        {guard(editor, Signin::Staff, |editor: BundleEditor| view! { <Editor editor/> }.into_any())}
    }
}

fn members(b: &mut Bundle) -> &mut Vec<BundleMember> {
    &mut b.members
}
fn situations(b: &mut Bundle) -> &mut Vec<Situation> {
    &mut b.situations
}
fn form(b: &mut Bundle) -> &mut Vec<BundleField> {
    &mut b.form
}

/// The guides of the members the editor knows, and fetching the guide of a member just chosen
/// (the bundle rules need it).
#[derive(Clone, Copy)]
struct Guides(RwSignal<Vec<ItemGuide>>);

impl Guides {
    fn fetch(self, code: String) {
        if self.0.with_untracked(|g| g.iter().any(|g| g.code == code)) {
            return;
        }
        spawn_local(async move {
            if let Ok(detail) = catalog::item(code).await {
                self.0.update(|g| g.push(detail.guide));
            }
        });
    }
}

fn member_row(
    ed: Ed<Bundle>,
    i: usize,
    items: StoredValue<Vec<MemberChoice>>,
    guides: Guides,
) -> AnyView {
    let at = format!("members[{i}]");
    let mut item_options = vec![(String::new(), "请选择事项".to_string())];
    item_options.extend(
        items
            .get_value()
            .into_iter()
            .map(|c| (c.code.clone(), format!("{} {}", c.code, c.name))),
    );
    let choose = move |b: &mut Bundle, code: String| {
        let Some(choice) = items.with_value(|all| all.iter().find(|c| c.code == code).cloned())
        else {
            return;
        };
        if let Some(m) = b.members.get_mut(i) {
            let old = std::mem::replace(&mut m.item_code, choice.code.clone());
            m.department = choice.department;
            if m.name.trim().is_empty() {
                m.name = choice.name;
            }
            // The others' 前置 follow the member to its new item.
            for other in &mut b.members {
                for before in &mut other.after {
                    if *before == old {
                        *before = choice.code.clone();
                    }
                }
            }
        }
        guides.fetch(code);
    };
    let others = Memo::new(move |_| {
        ed.doc.with(|b| {
            b.members
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(j, m)| (j, m.item_code.clone(), m.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let after_path = format!("{at}.after");
    let ap = after_path.clone();
    view! {
        <div class="edit-grid">
            {select(ed, format!("{at}.item_code"), "事项", item_options,
                move |b| b.members.get(i).map(|m| m.item_code.clone()).unwrap_or_default(),
                choose)}
            {text(ed, format!("{at}.name"), "在“一件事”中的简称", true, 1,
                move |b| b.members.get(i).map(|m| m.name.clone()).unwrap_or_default(),
                move |b, v| if let Some(m) = b.members.get_mut(i) { m.name = v })}
        </div>
        <fieldset class="when" aria-describedby=format!("{}-error", field_id(&after_path))>
            <legend>"前置事项（须先办结的成员事项；不勾选表示与其他事项同时办理）"</legend>
            <div class="when__options">
                {move || others.get().into_iter().map(|(j, code, name)| {
                    let (c1, c2) = (code.clone(), code.clone());
                    view! {
                        <label class="check check--inline">
                            <input type="checkbox"
                                prop:checked=move || ed.doc.with(|b| b.members.get(i).is_some_and(|m| m.after.contains(&c1)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    ed.doc.update(|b| if let Some(m) = b.members.get_mut(i) {
                                        m.after.retain(|a| a != &c2);
                                        if on {
                                            m.after.push(c2.clone());
                                        }
                                    });
                                }
                            />
                            {format!("第 {} 项 {name}", j + 1)}
                        </label>
                    }
                }).collect_view()}
            </div>
            <p class="field__error" id=format!("{}-error", field_id(&after_path))>
                {move || ed.errors_under(&ap)}
            </p>
        </fieldset>
        {when_editor(ed, at.clone(),
            move |b| b.members.get(i).map(|m| m.when.clone()),
            move |b, w| if let Some(m) = b.members.get_mut(i) { m.when = w })}
        {let p = format!("{at}.answers"); let q = format!("{at}.department");
         move || ed.error(&p).or_else(|| ed.error(&q)).map(|m| view! { <p class="problem">{m}</p> })}
    }
    .into_any()
}

fn field_row(ed: Ed<Bundle>, i: usize, guides: Guides) -> AnyView {
    let at = format!("form[{i}]");
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
    let targets = Memo::new(move |_| {
        ed.doc
            .with(|b| b.form.get(i).map_or(0, |f| f.maps_to.len()))
    });
    // Per member: its code, short name and form fields (id, label).
    let member_forms = Memo::new(move |_| {
        let members = ed.doc.with(|b| b.members.clone());
        guides.0.with(|g| {
            members
                .iter()
                .map(|m| {
                    let fields = g
                        .iter()
                        .find(|g| g.code == m.item_code)
                        .map(|g| {
                            form_for(g)
                                .into_iter()
                                .map(|f| (f.id, f.label))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default();
                    (m.item_code.clone(), m.name.clone(), fields)
                })
                .collect::<Vec<_>>()
        })
    });
    let here = at.clone();
    let target_row = move |j: usize| {
        let at = &here;
        let there = format!("{at}.maps_to[{j}]");
        let member_options = move || {
            let mut options = vec![(String::new(), "请选择成员事项".to_string())];
            options.extend(
                member_forms
                    .get()
                    .into_iter()
                    .map(|(code, name, _)| (code, name)),
            );
            options
        };
        let get_target = move |b: &Bundle| b.form.get(i).and_then(|f| f.maps_to.get(j)).cloned();
        let id_member = format!("{}-item_code", field_id(&there));
        let id_field = format!("{}-field_id", field_id(&there));
        let (p1, p2) = (format!("{there}.item_code"), format!("{there}.field_id"));
        let (e1, e2) = (p1.clone(), p2.clone());
        view! {
            <li class="edit-option">
                <div class="field">
                    <label class="field__label" for=id_member.clone()>{format!("对应 {} · 成员事项", j + 1)}</label>
                    <select id=id_member.clone() class="input"
                        aria-describedby=format!("{id_member}-error")
                        aria-invalid=move || ed.error(&e1).is_some().to_string()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            ed.doc.update(|b| if let Some(t) = b.form.get_mut(i).and_then(|f| f.maps_to.get_mut(j)) {
                                t.item_code = v;
                                t.field_id = String::new();
                            });
                        }
                    >
                        {move || member_options().into_iter().map(|(code, name)| {
                            let c = code.clone();
                            view! { <option value=code prop:selected=move || ed.doc.with(|b| get_target(b).is_some_and(|t| t.item_code == c))>{name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field__error" id=format!("{id_member}-error")>{move || ed.error(&p1)}</p>
                </div>
                <div class="field">
                    <label class="field__label" for=id_field.clone()>{format!("对应 {} · 申请表字段", j + 1)}</label>
                    <select id=id_field.clone() class="input"
                        aria-describedby=format!("{id_field}-error")
                        aria-invalid=move || ed.error(&e2).is_some().to_string()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            ed.doc.update(|b| if let Some(t) = b.form.get_mut(i).and_then(|f| f.maps_to.get_mut(j)) {
                                t.field_id = v;
                            });
                        }
                    >
                        {move || {
                            let target = ed.doc.with(get_target).unwrap_or(FieldTarget {
                                item_code: String::new(),
                                field_id: String::new(),
                            });
                            let mut fields = member_forms
                                .get()
                                .into_iter()
                                .find(|(code, _, _)| *code == target.item_code)
                                .map(|(_, _, fields)| fields)
                                .unwrap_or_default();
                            if !target.field_id.is_empty() && !fields.iter().any(|(id, _)| *id == target.field_id) {
                                fields.push((target.field_id.clone(), format!("{}（该申请表中没有）", target.field_id)));
                            }
                            let mut options = vec![(String::new(), "请选择字段".to_string())];
                            options.extend(fields);
                            options.into_iter().map(|(id, label)| {
                                let selected = id == target.field_id;
                                view! { <option value=id prop:selected=selected>{label}</option> }
                            }).collect_view()
                        }}
                    </select>
                    <p class="field__error" id=format!("{id_field}-error")>{move || ed.error(&p2)}</p>
                </div>
                <button type="button" class="button button--quiet"
                    aria-label=format!("删除对应 表单字段第 {} 项的对应 {}", i + 1, j + 1)
                    on:click=move |_| ed.doc.update(|b| if let Some(f) = b.form.get_mut(i) {
                        if j < f.maps_to.len() {
                            f.maps_to.remove(j);
                        }
                    })
                >"删除对应"</button>
            </li>
        }
    };
    view! {
        <div class="edit-grid">
            {text(ed, format!("{at}.spec.label"), "字段名称", true, 1,
                move |b| b.form.get(i).map(|f| f.spec.label.clone()).unwrap_or_default(),
                move |b, v| if let Some(f) = b.form.get_mut(i) { f.spec.label = v })}
            {text(ed, format!("{at}.spec.id"), "字段编号", true, 1,
                move |b| b.form.get(i).map(|f| f.spec.id.clone()).unwrap_or_default(),
                move |b, v| if let Some(f) = b.form.get_mut(i) { f.spec.id = v })}
            {select(ed, format!("{at}.spec.kind"), "字段类型", kinds,
                move |b| b.form.get(i).map(|f| wire_name::of(&f.spec.kind).to_string()).unwrap_or_default(),
                move |b, v| if let (Some(f), Some(k)) = (b.form.get_mut(i), wire_name::parse::<FieldKind>(&v)) { f.spec.kind = k })}
            {optional_text(ed, format!("{at}.spec.help"), "填写说明",
                move |b| b.form.get(i).and_then(|f| f.spec.help.clone()),
                move |b, v| if let Some(f) = b.form.get_mut(i) { f.spec.help = v })}
        </div>
        {check(ed, "必填".into(),
            move |b| b.form.get(i).is_some_and(|f| f.spec.required),
            move |b, on| if let Some(f) = b.form.get_mut(i) { f.spec.required = on })}
        {move || ed.doc.with(|b| b.form.get(i).is_some_and(|f| !f.issued_by.is_empty())).then(|| view! {
            <p class="hint">"此字段不由申请人填写，由前序事项的办理结果自动填入。"</p>
        })}
        <p class="edit-subtitle">"填入成员事项申请表的字段"</p>
        <ol class="edit-options">
            <For each=move || 0..targets.get() key=|j| *j let:j>
                {target_row(j)}
            </For>
        </ol>
        <button type="button" class="button"
            on:click=move |_| ed.doc.update(|b| if let Some(f) = b.form.get_mut(i) {
                f.maps_to.push(FieldTarget { item_code: String::new(), field_id: String::new() });
            })
        >"添加对应字段"</button>
    }
    .into_any()
}

#[component]
fn Editor(editor: BundleEditor) -> impl IntoView {
    browser::set_title(&format!("编辑：{}", editor.published.name));
    let code = editor.published.code.clone();
    let doc = RwSignal::new(
        editor
            .draft
            .clone()
            .unwrap_or_else(|| editor.published.clone()),
    );
    let guides = Guides(RwSignal::new(editor.guides.clone()));
    let items = StoredValue::new(editor.items.clone());
    let state = RwSignal::new(editor);
    let problems = Memo::new(move |_| guides.0.with(|g| doc.with(|b| check_bundle(b, g))));
    let ed = Ed {
        doc,
        typed: RwSignal::new(BTreeMap::new()),
        server: RwSignal::new(BTreeMap::new()),
        problems,
    };
    // How the members follow each other is read from their 前置, not chosen.
    Effect::new(move |_| {
        let mode = doc.with(timing_mode);
        if doc.with_untracked(|b| b.timing.mode != mode) {
            doc.update(|b| b.timing.mode = mode);
        }
    });
    let said = RwSignal::new(Said::Nothing);
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let changes = Memo::new(move |_| {
        let published = state.with(|s| s.published.clone());
        doc.with(|b| diff_documents(&published, b))
    });
    let reload = move |code: String, keep_draft: bool| async move {
        if let Ok(fresh) = bundle_admin::editor(&code).await {
            if !keep_draft || fresh.draft.is_none() {
                doc.set(fresh.published.clone());
            }
            state.set(fresh);
        }
    };

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
        let b = doc.get_untracked();
        spawn_local(async move {
            match bundle_admin::save_draft(&b).await {
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
            // The server knows every member's guide; the page may still be fetching one.
            let count = ed.count().max(ed.server.with(BTreeMap::len));
            if count > 0 {
                said.set(Said::Failed(format!(
                    "草稿已保存，但有 {count} 处需要修改，改正后才能发布。"
                )));
                busy.set(false);
                focus_first_error();
                return;
            }
            match bundle_admin::publish(&b.code, &note_text).await {
                Ok(published) => {
                    reload(b.code.clone(), false).await;
                    note.set(String::new());
                    ed.server.set(BTreeMap::new());
                    said.set(Said::Done(format!(
                        "已发布第 {} 版：群众看到的“一件事”和搜索结果已更新。",
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
        let code = doc.with_untracked(|b| b.code.clone());
        busy.set(true);
        spawn_local(async move {
            let _ = bundle_admin::discard_draft(&code).await;
            reload(code, false).await;
            ed.server.set(BTreeMap::new());
            said.set(Said::Done(
                "草稿已删除，编辑内容已恢复为已发布的版本。".into(),
            ));
            busy.set(false);
        });
    };
    let restore = move |version: i64| {
        let code = doc.with_untracked(|b| b.code.clone());
        let typed_note = note.get_untracked().trim().to_string();
        let text = if typed_note.is_empty() {
            format!("恢复第 {version} 版")
        } else {
            typed_note
        };
        busy.set(true);
        spawn_local(async move {
            match bundle_admin::restore(&code, version, &text).await {
                Ok(published) => {
                    reload(code, true).await;
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
    let member_rows = Rows {
        path: "members",
        noun: "成员事项",
        list: members,
        len: |b| b.members.len(),
        blank: |_| BundleMember {
            item_code: String::new(),
            name: String::new(),
            department: String::new(),
            when: Default::default(),
            after: Vec::new(),
            answers: BTreeMap::new(),
            produces: Vec::new(),
        },
    };
    let situation_rows = Rows {
        path: "situations",
        noun: "情形问题",
        list: situations,
        len: |b| b.situations.len(),
        blank: |b| Situation {
            id: format!("question{}", b.situations.len() + 1),
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
        len: |b| b.form.len(),
        blank: |b| BundleField {
            spec: FieldSpec {
                id: format!("field{}", b.form.len() + 1),
                label: String::new(),
                kind: FieldKind::Text,
                required: true,
                options: Vec::new(),
                help: None,
            },
            maps_to: Vec::new(),
            issued_by: Vec::new(),
        },
    };

    view! {
        <h1 class="page-title" tabindex="-1">{move || format!("编辑：{}", doc.with(|b| b.name.clone()))}</h1>
        <p class="hint">
            {code.clone()} " · "
            {move || format!("已发布第 {} 版", state.with(|s| s.version))}
            {move || state.with(|s| s.draft_mark.clone()).map(|d| format!(" · 草稿由 {} 于 {} 保存", d.saved_by, beijing_time(&d.saved_at)))}
            " · " <a href=format!("/bundles/{code}") target="_blank" rel="noopener">"查看群众看到的“一件事”（新窗口）"</a>
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
                {text(ed, "name".into(), "名称", true, 1, |b| b.name.clone(), |b, v| b.name = v)}
                {select(ed, "audience".into(), "服务对象", audience_options,
                    |b| wire_name::of(&b.audience).to_string(),
                    |b, v| if let Some(a) = wire_name::parse(&v) { b.audience = a })}
                {text(ed, "icon".into(), "图标（一个表情符号）", true, 1, |b| b.icon.clone(), |b, v| b.icon = v)}
            </div>
            {text(ed, "summary".into(), "简介（一句话说明办成什么事）", true, 2, |b| b.summary.clone(), |b, v| b.summary = v)}
            {lines(ed, "keywords", "搜索关键词", "群众常用的说法，每行一个，如 生孩子", |b| &mut b.keywords, |b| &b.keywords)}
            <p class="hint">
                {move || format!("办理方式：{}（按成员事项的前置事项自动确定）", doc.with(|b| b.timing.mode.label()))}
            </p>
            {text(ed, "timing.explanation".into(), "办理方式说明", true, 2,
                |b| b.timing.explanation.clone(), |b, v| b.timing.explanation = v)}
        </section>

        <section class="section edit-section" aria-labelledby="sec-members">
            <h2 id="sec-members">"成员事项"</h2>
            <p class="hint">"按办理顺序排列；有前置事项的成员事项在前置事项办结后自动提交。"</p>
            {rows(ed, member_rows, move |i| member_row(ed, i, items, guides))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-situations">
            <h2 id="sec-situations">"情形问题"</h2>
            <p class="hint">"群众回答这些问题后，只办与自己有关的成员事项；与成员事项的问题编号相同的问题也回答该事项的问题。"</p>
            {rows(ed, situation_rows, move |i| situation_row(ed, i))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-form">
            <h2 id="sec-form">"一张表单"</h2>
            <p class="hint">"每个字段只填一次，自动填入所对应的各成员事项申请表。"</p>
            {move || ed.error("form").map(|m| view! { <p class="problem">{m}</p> })}
            {move || ed.error("material_names").map(|m| view! { <p class="problem">{m}</p> })}
            {rows(ed, form_rows, move |i| field_row(ed, i, guides))}
        </section>

        <section class="section edit-section" aria-labelledby="sec-diff">
            <h2 id="sec-diff">"与已发布版本相比的改动"</h2>
            {move || changes_table(
                changes
                    .get()
                    .into_iter()
                    .map(|c| GuideChange {
                        label: bundle_field_label(&c.path),
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
                <p class="field__help" id="publish-note-help">"写明这次改了什么，如“增加社保卡申领”，会记入版本记录。"</p>
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
