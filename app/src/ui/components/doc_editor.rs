//! The pieces of the manager's editors of published catalog documents (an item's 办事指南,
//! a 一件事): inputs bound to one field of the edited document with its message, lists whose
//! rows are added, removed and reordered, the changes against the published version and the
//! kept versions with restore. Each editor checks the document with the shared rules as it is
//! typed ([`Ed::problems`]) and shows what the server said on save ([`Ed::server`]).

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::api::{
    wire_name, Bundle, GuideChange, GuideVersion, ItemGuide, Situation, SituationOption, When,
};
use crate::ui::components::case_form::{described_by, labelled_field};
use crate::ui::components::case_view::beijing_time;

/// What the last save, publication or restore came to.
#[derive(Clone, PartialEq)]
pub enum Said {
    Nothing,
    Done(String),
    Failed(String),
}

/// The message line of the last save, publication or restore.
pub fn said_line(said: RwSignal<Said>) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite">
            {move || match said.get() {
                Said::Nothing => ().into_any(),
                Said::Done(m) => view! { <p class="ok-text">{m}</p> }.into_any(),
                Said::Failed(m) => view! { <p class="problem">{m}</p> }.into_any(),
            }}
        </div>
    }
}

/// The changes against the published version, each field named by `label`.
pub fn changes_table(changes: Vec<GuideChange>) -> AnyView {
    if changes.is_empty() {
        return view! { <p class="empty">"没有改动。"</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="改动列表（可横向滚动）">
            <table class="catalog-table diff-table">
                <caption class="visually-hidden">"改动列表"</caption>
                <thead>
                    <tr>
                        <th scope="col">"字段"</th>
                        <th scope="col">"已发布"</th>
                        <th scope="col">"改为"</th>
                    </tr>
                </thead>
                <tbody>
                    {changes.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row">{c.label}</th>
                            <td><del>{c.before.unwrap_or_else(|| "（无）".into())}</del></td>
                            <td><ins>{c.after.unwrap_or_else(|| "（删除）".into())}</ins></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The kept versions, newest first, each but the current one with a restore button.
pub fn versions_table(
    versions: Vec<GuideVersion>,
    current: i64,
    busy: RwSignal<bool>,
    restore: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> AnyView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label="版本记录（可横向滚动）">
            <table class="catalog-table">
                <caption class="visually-hidden">"版本记录"</caption>
                <thead>
                    <tr>
                        <th scope="col">"版本"</th>
                        <th scope="col">"发布人"</th>
                        <th scope="col">"发布时间"</th>
                        <th scope="col">"说明"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {versions.into_iter().map(|v| {
                        let version = v.version;
                        view! {
                            <tr>
                                <th scope="row">{format!("第 {version} 版")}</th>
                                <td>{v.published_by}</td>
                                <td>{beijing_time(&v.published_at)}</td>
                                <td>
                                    {v.note}
                                    {v.restored_from.map(|f| format!("（恢复自第 {f} 版）"))}
                                </td>
                                <td>
                                    {if version == current {
                                        view! { <span class="hint">"当前版本"</span> }.into_any()
                                    } else {
                                        view! {
                                            <button type="button" class="button button--quiet"
                                                aria-label=format!("恢复此版本 第 {version} 版")
                                                disabled=move || busy.get()
                                                on:click=move |_| restore(version)
                                            >"恢复此版本"</button>
                                        }
                                            .into_any()
                                    }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The document being edited, what it is checked against, and the messages at its fields.
pub struct Ed<D: Send + Sync + 'static> {
    pub doc: RwSignal<D>,
    /// Inputs that do not hold a value of their field (a number field with letters).
    pub typed: RwSignal<BTreeMap<String, String>>,
    /// What the server said on the last save or publication (422 `fields`).
    pub server: RwSignal<BTreeMap<String, String>>,
    pub problems: Memo<BTreeMap<String, String>>,
}

impl<D: Send + Sync + 'static> Clone for Ed<D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D: Send + Sync + 'static> Copy for Ed<D> {}

impl<D: Send + Sync + 'static> Ed<D> {
    pub fn error(self, path: &str) -> Option<String> {
        self.typed
            .with(|t| t.get(path).cloned())
            .or_else(|| self.problems.with(|p| p.get(path).cloned()))
            .or_else(|| self.server.with(|s| s.get(path).cloned()))
    }

    /// Every message at `path` or inside it (`legal_basis[2]` for `legal_basis`), joined.
    pub fn errors_under(self, path: &str) -> Option<String> {
        let inside = |key: &str| {
            key == path
                || key
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
        };
        let messages: Vec<String> = self.problems.with(|p| {
            p.iter()
                .filter(|(k, _)| inside(k))
                .map(|(_, m)| m.clone())
                .collect()
        });
        (!messages.is_empty()).then(|| messages.join("；"))
    }

    pub fn count(self) -> usize {
        self.problems.with(BTreeMap::len) + self.typed.with(BTreeMap::len)
    }
}

pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(match c {
            '[' | ']' | '.' => '-',
            c => c,
        });
    }
    id
}

/// A text input (or a textarea when `rows > 1`) of one field.
pub fn text<D: Send + Sync + 'static>(
    ed: Ed<D>,
    path: String,
    label: &str,
    required: bool,
    rows: u32,
    get: impl Fn(&D) -> String + Send + Sync + 'static,
    set: impl Fn(&mut D, String) + Send + Sync + 'static,
) -> AnyView {
    let id = field_id(&path);
    let described = described_by(&id, false);
    let p = path.clone();
    let invalid = move || ed.error(&p).is_some().to_string();
    let value = move || ed.doc.with(|g| get(g));
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        ed.doc.update(|g| set(g, v));
    };
    let control = if rows > 1 {
        view! {
            <textarea id=id.clone() class="input" rows=rows.to_string() aria-describedby=described
                aria-invalid=invalid prop:value=value on:input=on_input></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() class="input" type="text" aria-describedby=described
                aria-invalid=invalid prop:value=value on:input=on_input/>
        }
        .into_any()
    };
    labelled_field(id, label.to_string(), required, None, control, move || {
        ed.error(&path)
    })
}

/// An optional text: empty means none.
pub fn optional_text<D: Send + Sync + 'static>(
    ed: Ed<D>,
    path: String,
    label: &str,
    get: impl Fn(&D) -> Option<String> + Send + Sync + 'static,
    set: impl Fn(&mut D, Option<String>) + Send + Sync + 'static,
) -> AnyView {
    text(
        ed,
        path,
        label,
        false,
        1,
        move |g| get(g).unwrap_or_default(),
        move |g, v| set(g, (!v.is_empty()).then_some(v)),
    )
}

/// A list of texts, one per line (设立依据, 搜索关键词, 送达方式).
pub fn lines<D: Send + Sync + 'static>(
    ed: Ed<D>,
    path: &'static str,
    label: &str,
    help: &str,
    list: fn(&mut D) -> &mut Vec<String>,
    read: fn(&D) -> &Vec<String>,
) -> AnyView {
    let id = field_id(path);
    let described = described_by(&id, true);
    let invalid = move || ed.errors_under(path).is_some().to_string();
    let control = view! {
        <textarea id=id.clone() class="input" rows="3" aria-describedby=described aria-invalid=invalid
            prop:value=move || ed.doc.with(|g| read(g).join("\n"))
            on:input=move |ev| {
                let v = event_target_value(&ev);
                ed.doc.update(|g| {
                    *list(g) = if v.is_empty() { Vec::new() } else { v.split('\n').map(str::to_string).collect() };
                });
            }
        ></textarea>
    }
    .into_any();
    labelled_field(
        id,
        label.to_string(),
        false,
        Some(help.to_string()),
        control,
        move || ed.errors_under(path),
    )
}

/// A whole number from 0 to `max`.
pub fn number<D: Send + Sync + 'static>(
    ed: Ed<D>,
    path: String,
    label: &str,
    max: u32,
    get: impl Fn(&D) -> u32 + Send + Sync + 'static,
    set: impl Fn(&mut D, u32) + Send + Sync + 'static,
) -> AnyView {
    let id = field_id(&path);
    let described = described_by(&id, false);
    let p = path.clone();
    let invalid = move || ed.error(&p).is_some().to_string();
    let key = path.clone();
    let label_text = label.to_string();
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        match v.trim().parse::<u32>() {
            Ok(n) if n <= max => {
                ed.typed.update(|t| {
                    t.remove(&key);
                });
                ed.doc.update(|g| set(g, n));
            }
            _ => ed.typed.update(|t| {
                t.insert(
                    key.clone(),
                    format!("{label_text}请填写 0–{max} 之间的整数"),
                );
            }),
        }
    };
    let control = view! {
        <input id=id.clone() class="input input--short" type="text" inputmode="numeric"
            aria-describedby=described aria-invalid=invalid
            prop:value=move || ed.doc.with(|g| get(g).to_string()) on:input=on_input/>
    }
    .into_any();
    labelled_field(id, label.to_string(), true, None, control, move || {
        ed.error(&path)
    })
}

pub fn check<D: Send + Sync + 'static>(
    ed: Ed<D>,
    label: String,
    get: impl Fn(&D) -> bool + Send + Sync + 'static,
    set: impl Fn(&mut D, bool) + Send + Sync + 'static,
) -> AnyView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || ed.doc.with(|g| get(g))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    ed.doc.update(|g| set(g, on));
                }
            />
            {label}
        </label>
    }
    .into_any()
}

/// A choice among `options` (value, label).
pub fn select<D: Send + Sync + 'static>(
    ed: Ed<D>,
    path: String,
    label: &str,
    options: Vec<(String, String)>,
    get: impl Fn(&D) -> String + Copy + Send + Sync + 'static,
    set: impl Fn(&mut D, String) + Copy + Send + Sync + 'static,
) -> AnyView {
    let id = field_id(&path);
    let described = described_by(&id, false);
    let p = path.clone();
    let invalid = move || ed.error(&p).is_some().to_string();
    let options = options
        .into_iter()
        .map(|(value, text)| {
            let v = value.clone();
            view! {
                <option value=value prop:selected=move || ed.doc.with(|g| get(g) == v)>{text}</option>
            }
        })
        .collect_view();
    let control = view! {
        <select id=id.clone() class="input" aria-describedby=described aria-invalid=invalid
            on:change=move |ev| {
                let v = event_target_value(&ev);
                ed.doc.update(|g| set(g, v));
            }
        >
            {options}
        </select>
    }
    .into_any();
    labelled_field(id, label.to_string(), true, None, control, move || {
        ed.error(&path)
    })
}

pub fn enum_options<T: serde::Serialize + Copy>(
    all: &[T],
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (wire_name::of(v).to_string(), label(*v).to_string()))
        .collect()
}

/// A list of the document the editor adds rows to, removes them from and reorders.
pub struct Rows<D: 'static, T: 'static> {
    pub path: &'static str,
    /// e.g. `材料`.
    pub noun: &'static str,
    pub list: fn(&mut D) -> &mut Vec<T>,
    pub len: fn(&D) -> usize,
    pub blank: fn(&D) -> T,
}

impl<D, T> Clone for Rows<D, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<D, T> Copy for Rows<D, T> {}

pub fn rows<D: Send + Sync + 'static, T: Clone + Send + Sync + 'static>(
    ed: Ed<D>,
    rows: Rows<D, T>,
    row: impl Fn(usize) -> AnyView + Copy + Send + Sync + 'static,
) -> AnyView {
    let n = Memo::new(move |_| ed.doc.with(|g| (rows.len)(g)));
    let noun = rows.noun;
    let whole = rows.path;
    view! {
        <p class="field__error" id=format!("{}-error", field_id(whole))>{move || ed.error(whole)}</p>
        <ol class="edit-rows">
            <For each=move || 0..n.get() key=|i| *i let:i>
                <li class="edit-row">
                    <div class="edit-row__head">
                        <h3 class="edit-row__title">{format!("{noun}第 {} 项", i + 1)}</h3>
                        <div class="edit-row__tools">
                            <button type="button" class="button button--quiet"
                                disabled=move || i == 0
                                on:click=move |_| ed.doc.update(|g| (rows.list)(g).swap(i, i - 1))
                            >"上移"<span class="visually-hidden">{format!(" {noun}第 {} 项", i + 1)}</span></button>
                            <button type="button" class="button button--quiet"
                                disabled={move || i + 1 >= n.get()}
                                on:click=move |_| ed.doc.update(|g| (rows.list)(g).swap(i, i + 1))
                            >"下移"<span class="visually-hidden">{format!(" {noun}第 {} 项", i + 1)}</span></button>
                            <button type="button" class="button button--quiet"
                                aria-label=format!("删除 {noun}第 {} 项", i + 1)
                                on:click=move |_| ed.doc.update(|g| {
                                    let list = (rows.list)(g);
                                    if i < list.len() {
                                        list.remove(i);
                                    }
                                })
                            >"删除"</button>
                        </div>
                    </div>
                    {row(i)}
                </li>
            </For>
        </ol>
        <button type="button" class="button"
            on:click=move |_| ed.doc.update(|g| {
                let blank = (rows.blank)(g);
                (rows.list)(g).push(blank);
            })
        >{format!("添加{noun}")}</button>
    }
    .into_any()
}

/// A document with 情形 questions that its entries' `when` refers to.
pub trait HasSituations: Send + Sync + 'static {
    fn situations(&self) -> &Vec<Situation>;
    fn situations_mut(&mut self) -> &mut Vec<Situation>;
}

impl HasSituations for ItemGuide {
    fn situations(&self) -> &Vec<Situation> {
        &self.situations
    }
    fn situations_mut(&mut self) -> &mut Vec<Situation> {
        &mut self.situations
    }
}

impl HasSituations for Bundle {
    fn situations(&self) -> &Vec<Situation> {
        &self.situations
    }
    fn situations_mut(&mut self) -> &mut Vec<Situation> {
        &mut self.situations
    }
}

/// The 情形 under which an entry applies: per question, the answers it applies to; a question
/// with none ticked does not limit it.
pub fn when_editor<D: HasSituations>(
    ed: Ed<D>,
    path: String,
    get: impl Fn(&D) -> Option<When> + Copy + Send + Sync + 'static,
    set: impl Fn(&mut D, When) + Copy + Send + Sync + 'static,
) -> AnyView {
    // Re-rendered only when the questions or this entry's unknown references change.
    let shape = Memo::new(move |_| {
        ed.doc.with(|g| {
            let when = get(g).unwrap_or_default();
            let questions: Vec<(String, String, Vec<(String, String)>)> = g
                .situations()
                .iter()
                .map(|s| {
                    (
                        s.id.clone(),
                        s.question.clone(),
                        s.options
                            .iter()
                            .map(|o| (o.value.clone(), o.label.clone()))
                            .collect(),
                    )
                })
                .collect();
            let stale: Vec<(String, String)> = when
                .iter()
                .filter(|(q, _)| !g.situations().iter().any(|s| &s.id == *q))
                .flat_map(|(q, vs)| vs.iter().map(move |v| (q.clone(), v.clone())))
                .collect();
            (questions, stale)
        })
    });
    let toggle = move |question: String, value: String, on: bool| {
        ed.doc.update(|g| {
            let mut when = get(g).unwrap_or_default();
            let values = when.entry(question.clone()).or_default();
            values.retain(|v| v != &value);
            if on {
                values.push(value);
            }
            if values.is_empty() {
                when.remove(&question);
            }
            set(g, when);
        })
    };
    let error_id = format!("{}-when-error", field_id(&path));
    let described = error_id.clone();
    let error_path = format!("{path}.when");
    let ep = error_path.clone();
    view! {
        <fieldset class="when" aria-describedby=described>
            <legend>"适用情形（不勾选表示所有情形都适用）"</legend>
            {move || {
                let (questions, stale) = shape.get();
                if questions.is_empty() && stale.is_empty() {
                    return view! { <p class="hint">"没有情形问题。"</p> }.into_any();
                }
                let questions = questions
                    .into_iter()
                    .map(|(qid, question, options)| {
                        let boxes = options
                            .into_iter()
                            .map(|(value, label)| {
                                let (q1, v1) = (qid.clone(), value.clone());
                                let (q2, v2) = (qid.clone(), value.clone());
                                view! {
                                    <label class="check check--inline">
                                        <input type="checkbox"
                                            prop:checked=move || ed.doc.with(|g| get(g).unwrap_or_default().get(&q1).is_some_and(|vs| vs.contains(&v1)))
                                            on:change=move |ev| toggle(q2.clone(), v2.clone(), event_target_checked(&ev))
                                        />
                                        {label}
                                    </label>
                                }
                            })
                            .collect_view();
                        view! { <p class="when__question">{question}</p> <div class="when__options">{boxes}</div> }
                    })
                    .collect_view();
                let stale = stale
                    .into_iter()
                    .map(|(q, v)| {
                        let label = format!("已不存在的情形：{q} = {v}（取消勾选即删除）");
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=true
                                    on:change=move |_| toggle(q.clone(), v.clone(), false)/>
                                {label}
                            </label>
                        }
                    })
                    .collect_view();
                view! { {questions} {stale} }.into_any()
            }}
            <p class="field__error" id=error_id>{move || ed.error(&ep)}</p>
        </fieldset>
    }
    .into_any()
}

pub fn situation_row<D: HasSituations>(ed: Ed<D>, i: usize) -> AnyView {
    let at = format!("situations[{i}]");
    let (id_get, id_set) = (
        move |g: &D| {
            g.situations()
                .get(i)
                .map(|s| s.id.clone())
                .unwrap_or_default()
        },
        move |g: &mut D, v| {
            if let Some(s) = g.situations_mut().get_mut(i) {
                s.id = v;
            }
        },
    );
    let (q_get, q_set) = (
        move |g: &D| {
            g.situations()
                .get(i)
                .map(|s| s.question.clone())
                .unwrap_or_default()
        },
        move |g: &mut D, v| {
            if let Some(s) = g.situations_mut().get_mut(i) {
                s.question = v;
            }
        },
    );
    let (help_get, help_set) = (
        move |g: &D| g.situations().get(i).and_then(|s| s.help.clone()),
        move |g: &mut D, v| {
            if let Some(s) = g.situations_mut().get_mut(i) {
                s.help = v;
            }
        },
    );
    let n = Memo::new(move |_| {
        ed.doc
            .with(|g| g.situations().get(i).map_or(0, |s| s.options.len()))
    });
    let options_path = format!("{at}.options");
    let op = options_path.clone();
    view! {
        <div class="edit-grid">
            {text(ed, format!("{at}.question"), "问题", true, 1, q_get, q_set)}
            {text(ed, format!("{at}.id"), "问题编号（用于适用情形和分享链接）", true, 1, id_get, id_set)}
            {optional_text(ed, format!("{at}.help"), "问题说明", help_get, help_set)}
        </div>
        <p class="edit-subtitle">"选项"</p>
        <p class="field__error" id=format!("{}-error", field_id(&options_path))>{move || ed.error(&op)}</p>
        <ol class="edit-options">
            <For each=move || 0..n.get() key=|j| *j let:j>
                <li class="edit-option">
                    {text(ed, format!("{at}.options[{j}].label"), &format!("选项 {} 文字", j + 1), true, 1,
                        move |g| g.situations().get(i).and_then(|s| s.options.get(j)).map(|o| o.label.clone()).unwrap_or_default(),
                        move |g, v| if let Some(o) = g.situations_mut().get_mut(i).and_then(|s| s.options.get_mut(j)) { o.label = v })}
                    {text(ed, format!("{at}.options[{j}].value"), &format!("选项 {} 取值", j + 1), true, 1,
                        move |g| g.situations().get(i).and_then(|s| s.options.get(j)).map(|o| o.value.clone()).unwrap_or_default(),
                        move |g, v| if let Some(o) = g.situations_mut().get_mut(i).and_then(|s| s.options.get_mut(j)) { o.value = v })}
                    <button type="button" class="button button--quiet"
                        aria-label=format!("删除选项 问题第 {} 项的选项 {}", i + 1, j + 1)
                        on:click=move |_| ed.doc.update(|g| {
                            if let Some(s) = g.situations_mut().get_mut(i) {
                                if j < s.options.len() {
                                    s.options.remove(j);
                                }
                            }
                        })
                    >"删除选项"</button>
                </li>
            </For>
        </ol>
        <button type="button" class="button"
            on:click=move |_| ed.doc.update(|g| {
                if let Some(s) = g.situations_mut().get_mut(i) {
                    let n = s.options.len() + 1;
                    s.options.push(SituationOption { value: format!("option{n}"), label: String::new() });
                }
            })
        >"添加选项"</button>
    }
    .into_any()
}
