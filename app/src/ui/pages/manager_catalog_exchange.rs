//! Sections of `/manager/catalog` (centre manager) beside the item list: 导入与导出 — the
//! published catalog downloaded as JSON or as CSV for Excel, and an exported JSON file imported
//! back: checked first (every problem by item and field, every item new / changed / unchanged),
//! then on 确认导入 the changed items become drafts — and 四级四同检查, the catalog against the
//! loaded standard list, difference by difference, with a new list uploaded as CSV or JSON.

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use crate::api::{ImportChange, ImportReport, StandardCheck};
use crate::ui::components::case_view::beijing_time;
use crate::ui::components::material_uploads::chosen_file;
use crate::ui::endpoints::catalog_exchange as endpoints;
use crate::ui::http::ApiFailure;
use crate::ui::session::{fetch_signed_in, guard, Signin};

/// 导入与导出.
#[component]
pub fn CatalogExchange() -> impl IntoView {
    // The chosen file, kept for 确认导入 after its dry run.
    let file = RwSignal::new(None::<SendWrapper<web_sys::File>>);
    let report = RwSignal::new(None::<ImportReport>);
    let failure = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<ImportReport>);
    let busy = RwSignal::new(false);
    let check = move |ev: leptos::ev::Event| {
        let Some(chosen) = chosen_file(&ev) else {
            return;
        };
        let chosen = SendWrapper::new(chosen);
        busy.set(true);
        report.set(None);
        done.set(None);
        failure.set(None);
        file.set(Some(chosen.clone()));
        spawn_local(async move {
            match endpoints::import(&chosen, true).await {
                Ok(answer) => report.set(Some(answer)),
                Err(e) => failure.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let confirm = move |_| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match endpoints::import(&chosen, false).await {
                Ok(answer) => {
                    report.set(None);
                    file.set(None);
                    done.set(Some(answer));
                }
                Err(ApiFailure { message, .. }) => failure.set(Some(message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="section" aria-labelledby="exchange-title">
            <h2 id="exchange-title">"导入与导出"</h2>
            <p class="hint">
                "导出已发布的全部事项。JSON 文件含完整的办事指南，修改后可再导入；CSV 文件用 Excel 直接打开，事项和申报材料各一个文件。"
            </p>
            <p class="button-row">
                <a class="button" href=endpoints::export_url("json", None) download="catalog.json">
                    "导出 JSON"
                </a>
                <a class="button" href=endpoints::export_url("csv", Some("items")) download="catalog-items.csv">
                    "导出 CSV（事项）"
                </a>
                <a class="button" href=endpoints::export_url("csv", Some("materials")) download="catalog-materials.csv">
                    "导出 CSV（材料）"
                </a>
            </p>
            <h3>"导入"</h3>
            <div class="field">
                <label class="field__label" for="import-file">"选择要导入的 JSON 文件"</label>
                <p class="field__help" id="import-file-help">
                    "用“导出 JSON”得到的文件（可先修改）。选择后先检查，列出全部问题和改动，什么也不写入；确认导入后，有改动的事项保存为草稿，仍须逐个发布才会对群众生效。"
                </p>
                <input
                    id="import-file"
                    class="input"
                    type="file"
                    accept=".json,application/json"
                    aria-describedby="import-file-help"
                    disabled=move || busy.get()
                    on:change=check
                />
            </div>
            <p role="status" class="hint">{move || busy.get().then_some("正在处理，请稍候…")}</p>
            {move || failure.get().map(|message| view! { <p class="problem" role="alert">{message}</p> })}
            {move || report.get().map(|r| view! { <ImportResult report=r busy confirm/> })}
            {move || {
                done.get()
                    .map(|r| {
                        let message = if r.drafts_saved == 0 {
                            "文件与已发布的目录相同，没有需要保存的改动。".to_string()
                        } else {
                            format!(
                                "已把 {} 个事项的改动保存为草稿。请在上面的列表中勾选“只看有草稿的事项”，逐个检查后发布。",
                                r.drafts_saved,
                            )
                        };
                        view! { <p class="success" role="status">{message}</p> }
                    })
            }}
        </section>
    }
}

/// The dry run's report: the problems, the changed items, and 确认导入 when there is no problem.
#[component]
fn ImportResult(
    report: ImportReport,
    busy: RwSignal<bool>,
    confirm: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let count = |kind| report.items.iter().filter(|i| i.change == kind).count();
    let (new, changed, unchanged) = (
        count(ImportChange::New),
        count(ImportChange::Changed),
        count(ImportChange::Unchanged),
    );
    let summary = format!(
        "检查结果：{} 个问题；文件中共 {} 个事项：新增 {new} 个，有改动 {changed} 个，无变化 {unchanged} 个。",
        report.problems.len(),
        report.items.len(),
    );
    let problems = (!report.problems.is_empty()).then(|| {
        let rows = report
            .problems
            .iter()
            .map(|p| {
                let row = if p.row == 0 {
                    "整个文件".to_string()
                } else {
                    format!("第 {} 个", p.row)
                };
                let field = if p.label.is_empty() { "—".to_string() } else { p.label.clone() };
                view! {
                    <tr>
                        <td>{row}</td>
                        <td>{if p.code.is_empty() { "—".to_string() } else { p.code.clone() }}</td>
                        <td>{field}</td>
                        <td>{p.message.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <p class="problem" role="alert">"文件中有以下问题，改正后请重新选择文件；在此之前不会导入任何事项。"</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label="导入问题（可横向滚动）">
                <table class="catalog-table exchange-table">
                    <caption class="visually-hidden">"导入问题"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"事项（文件中第几个）"</th>
                            <th scope="col">"事项编码"</th>
                            <th scope="col">"字段"</th>
                            <th scope="col">"问题"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let changed_rows = report
        .items
        .iter()
        .filter(|i| i.change != ImportChange::Unchanged)
        .map(|i| {
            let fields = i
                .changes
                .iter()
                .map(|c| c.label.clone())
                .collect::<Vec<_>>()
                .join("、");
            let note = if i.replaces_draft {
                "（将替换现有草稿）"
            } else {
                ""
            };
            view! {
                <tr>
                    <td>{i.code.clone()}</td>
                    <th scope="row">{i.name.clone()}</th>
                    <td>{format!("{}{note}", i.change.label())}</td>
                    <td>{if fields.is_empty() { "—".to_string() } else { fields }}</td>
                </tr>
            }
        })
        .collect_view();
    let changes = (new + changed > 0).then(|| {
        view! {
            <div class="table-wrap" tabindex="0" role="region" aria-label="将要导入的改动（可横向滚动）">
                <table class="catalog-table exchange-table">
                    <caption class="visually-hidden">"将要导入的改动"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"事项编码"</th>
                            <th scope="col">"事项名称"</th>
                            <th scope="col">"变化"</th>
                            <th scope="col">"改动的字段"</th>
                        </tr>
                    </thead>
                    <tbody>{changed_rows}</tbody>
                </table>
            </div>
        }
    });
    let can_import = report.problems.is_empty() && changed > 0;
    view! {
        <p role="status"><strong>{summary}</strong></p>
        {problems}
        {changes}
        {can_import
            .then(|| {
                view! {
                    <p class="button-row">
                        <button type="button" class="button button--primary" disabled=move || busy.get() on:click=confirm>
                            {format!("确认导入（{changed} 个事项保存为草稿）")}
                        </button>
                    </p>
                }
            })}
    }
}

/// 四级四同检查.
#[component]
pub fn StandardSection() -> impl IntoView {
    let check = fetch_signed_in(Signin::Staff, endpoints::standard);
    view! {
        <section class="section" aria-labelledby="standard-title">
            <h2 id="standard-title">"四级四同检查"</h2>
            <p class="hint">
                "对照标准清单，检查本区每个事项的事项编码、名称、类型和设定依据是否与省、市、县、乡四级统一的标准一致。"
            </p>
            {guard(check, Signin::Staff, |check: StandardCheck| view! { <StandardResult check/> }.into_any())}
        </section>
    }
}

#[component]
fn StandardResult(check: StandardCheck) -> impl IntoView {
    let current = RwSignal::new(check);
    let failure = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);
    let load = move |ev: leptos::ev::Event| {
        let Some(chosen) = chosen_file(&ev) else {
            return;
        };
        busy.set(true);
        failure.set(Vec::new());
        spawn_local(async move {
            match endpoints::load_standard(&chosen).await {
                Ok(answer) => current.set(answer),
                Err(e) if e.fields.is_empty() => failure.set(vec![e.message]),
                Err(e) => failure.set(e.fields.into_values().collect()),
            }
            busy.set(false);
        });
    };
    let list_line = move || {
        current.with(|c| match &c.list {
            None => "还没有载入标准清单。".to_string(),
            Some(l) => format!(
                "当前标准清单：{}{}，共 {} 项，由{}于 {} 载入。",
                l.source,
                if l.demo { "（示范）" } else { "" },
                l.entries,
                l.loaded_by,
                beijing_time(&l.loaded_at),
            ),
        })
    };
    let summary = move || {
        current.with(|c| {
            c.list.as_ref().map(|_| {
                if c.differences.is_empty() {
                    format!("已对照 {} 个事项，全部一致。", c.compared)
                } else {
                    format!(
                        "已对照 {} 个事项，发现 {} 处不一致：",
                        c.compared,
                        c.differences.len()
                    )
                }
            })
        })
    };
    let rows = move || {
        current.with(|c| {
            c.differences
                .iter()
                .map(|d| {
                    let dash = |s: &str| {
                        if s.is_empty() {
                            "—".to_string()
                        } else {
                            s.to_string()
                        }
                    };
                    view! {
                        <tr>
                            <td>{d.code.clone()}</td>
                            <th scope="row">{d.name.clone()}</th>
                            <td>{d.kind.label()}</td>
                            <td>{dash(&d.standard)}</td>
                            <td>{dash(&d.catalog)}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <p>{list_line}</p>
        <p role="status"><strong>{summary}</strong></p>
        <Show when=move || current.with(|c| !c.differences.is_empty())>
            <div class="table-wrap" tabindex="0" role="region" aria-label="四级四同差异（可横向滚动）">
                <table class="catalog-table exchange-table">
                    <caption class="visually-hidden">"四级四同差异"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"事项编码"</th>
                            <th scope="col">"事项名称"</th>
                            <th scope="col">"差异"</th>
                            <th scope="col">"标准清单"</th>
                            <th scope="col">"本区目录"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
        <div class="field">
            <label class="field__label" for="standard-file">"载入新的标准清单（CSV 或 JSON）"</label>
            <p class="field__help" id="standard-file-help">
                "CSV 第一行为表头：事项编码、事项名称、事项类型、设定依据（Excel 中“另存为 CSV UTF-8”）。载入后替换当前清单，有问题的行会逐行列出，清单不变。"
            </p>
            <input
                id="standard-file"
                class="input"
                type="file"
                accept=".csv,.json,text/csv,application/json"
                aria-describedby="standard-file-help"
                disabled=move || busy.get()
                on:change=load
            />
        </div>
        <Show when=move || failure.with(|f| !f.is_empty())>
            <div class="problem" role="alert">
                <p>"标准清单没有载入，请改正以下问题后重新选择文件："</p>
                <ul>{move || failure.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}
