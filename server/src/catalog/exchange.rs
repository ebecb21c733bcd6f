//! The catalog's export and import by the centre's managers.
//!
//! Export: the whole published catalog as JSON in the editor's own [`ItemGuide`] (it imports
//! back without loss), or as CSV for Excel: one row per item, and the materials in a second
//! file (`part=materials`), one row per material with its item's code.
//!
//! Import: the JSON export, checked item by item with the editor's rules
//! (`app::rules::catalog::check_guide`). A dry run reports every problem by row (the item's
//! position in the file) and field, and what would change; a real import writes every changed
//! item as its draft — all or nothing, audited — and the normal publication stays the only way
//! a guide goes live.

use std::collections::BTreeMap;

use app::api::{
    guide_field_label, CatalogExport, Clause, FieldSpec, ImportChange, ImportProblem, ImportReport,
    ImportedItem, ItemGuide, Material, Place, Situation, Step, CATALOG_EXPORT_FORMAT,
};
use app::rules::catalog::{check_guide, CatalogRefs};
use app::rules::csv;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;
use sqlx::Row;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin;
use super::store::{self, from_json, to_json};
use crate::audit;
use crate::auth::CentreManager;
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::params::Params;
use crate::AppState;

/// Largest import or standard list accepted (the demo catalog's export is about 0.6 MB).
pub const MAX_DOCUMENT: usize = 8 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// The routes that take a whole document as their body: kept apart from the API's small-body
/// limit, under [`MAX_DOCUMENT`].
pub fn document_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import))
        .merge(super::standard::document_router())
        .layer(DefaultBodyLimit::max(MAX_DOCUMENT))
}

/// The published catalog as a download: `format=json` (re-importable), or `format=csv` with
/// `part=items` (one row per item, the default) or `part=materials` (one row per material).
#[utoipa::path(get, path = "/api/admin/catalog/export", tag = "事项管理",
    params(
        ("format" = String, Query, pattern = "^(json|csv)$", description = "json：可再导入的完整目录；csv：Excel 表格"),
        ("part" = Option<String>, Query, pattern = "^(items|materials)$", description = "CSV 的内容：items 事项（默认）或 materials 材料"),
    ),
    responses(
        (status = 200, description = "JSON：完整目录；CSV：UTF-8 带 BOM，CRLF", content(
            (CatalogExport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, body = app::api::ApiError),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
    ))]
pub async fn export(
    State(state): State<AppState>,
    CentreManager(_staff): CentreManager,
    params: Params,
) -> AppResult<Response> {
    let format = params.required_text("format", "导出格式", 10)?;
    let part = params.text("part", "导出内容", 10)?;
    let db = &state.db;
    let district = store::setting(db, "district")
        .await?
        .unwrap_or_else(|| "示范区".into());
    let items = published(db).await?;
    let day = clock::today_beijing().to_string();
    match (format.as_str(), part.as_deref()) {
        ("json", None) => {
            let document = CatalogExport {
                format: CATALOG_EXPORT_FORMAT.into(),
                district: district.clone(),
                exported_at: clock::now_text(),
                items: items.into_iter().map(|(guide, _)| guide).collect(),
            };
            let body = serde_json::to_string_pretty(&document)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            download(
                "application/json",
                &format!("catalog-{day}.json"),
                &format!("{district}事项目录-{day}.json"),
                body,
            )
        }
        ("csv", None | Some("items")) => {
            let body = items_csv(db, &items).await?;
            download(
                "text/csv; charset=utf-8",
                &format!("catalog-items-{day}.csv"),
                &format!("{district}事项目录-事项-{day}.csv"),
                body,
            )
        }
        ("csv", Some("materials")) => download(
            "text/csv; charset=utf-8",
            &format!("catalog-materials-{day}.csv"),
            &format!("{district}事项目录-材料-{day}.csv"),
            materials_csv(&items),
        ),
        ("json", Some(_)) => Err(AppError::bad_param(
            "part",
            "导出 JSON 时不用选择内容（part），JSON 含完整目录",
        )),
        ("csv", Some(_)) => Err(AppError::bad_param(
            "part",
            "导出内容（参数 part）应为 items（事项）或 materials（材料）",
        )),
        _ => Err(AppError::bad_param(
            "format",
            "导出格式（参数 format）应为 json 或 csv",
        )),
    }
}

/// A download answer: `ascii_name` for old clients, `name` (UTF-8, RFC 5987) for the others.
fn download(
    content_type: &'static str,
    ascii_name: &str,
    name: &str,
    body: String,
) -> AppResult<Response> {
    let encoded = utf8_percent_encode(name, NON_ALPHANUMERIC);
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"
    ))
    .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// The published guides with their version, by code.
async fn published(db: &Db) -> AppResult<Vec<(ItemGuide, i64)>> {
    let rows = sqlx::query("SELECT guide, version FROM items ORDER BY code")
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|r| Ok((from_json(r.try_get("guide")?)?, r.try_get("version")?)))
        .collect()
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "是"
    } else {
        "否"
    }
}

/// The items CSV: BOM, Chinese headers, one row per item; lists within a cell one per line.
async fn items_csv(db: &Db, items: &[(ItemGuide, i64)]) -> AppResult<String> {
    let departments: BTreeMap<String, String> = store::departments(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let themes: BTreeMap<String, String> = store::themes(db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect();
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::line(&[
        "事项编码",
        "事项名称",
        "事项类型",
        "实施部门",
        "服务对象",
        "主题",
        "事项简介",
        "设定依据",
        "受理条件",
        "法定时限（工作日）",
        "承诺时限（工作日）",
        "办件类型",
        "网办深度",
        "到现场次数",
        "是否收费",
        "收费说明",
        "收费依据",
        "办理结果",
        "送达方式",
        "咨询电话",
        "监督投诉电话",
        "支持预约",
        "跨省通办",
        "申报材料数",
        "版本",
    ]));
    for (g, version) in items {
        let named = |codes: &[String], names: &BTreeMap<String, String>| {
            codes
                .iter()
                .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                .collect::<Vec<_>>()
        };
        out.push_str(&csv::line(&[
            g.code.clone(),
            g.name.clone(),
            g.item_type.clone(),
            named(std::slice::from_ref(&g.department), &departments).concat(),
            g.audience.label().to_string(),
            named(&g.themes, &themes).join("、"),
            g.summary.clone(),
            g.legal_basis.join("\n"),
            g.conditions
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            g.statutory_days.to_string(),
            g.promised_days.to_string(),
            g.handling.label().to_string(),
            g.online_level.label().to_string(),
            g.visits.to_string(),
            yes_no(!g.fee.free).to_string(),
            g.fee.description.clone(),
            g.fee.basis.clone().unwrap_or_default(),
            g.result.clone(),
            g.delivery.join("、"),
            g.consult_phone.clone(),
            g.complaint_phone.clone(),
            yes_no(g.appointment).to_string(),
            yes_no(g.cross_province).to_string(),
            g.materials.len().to_string(),
            version.to_string(),
        ]));
    }
    Ok(out)
}

/// The materials CSV: one row per material, with its item's code and name; 适用情形 written
/// as the questions and chosen answers.
fn materials_csv(items: &[(ItemGuide, i64)]) -> String {
    let mut out = String::from(csv::BOM);
    out.push_str(&csv::line(&[
        "事项编码",
        "事项名称",
        "序号",
        "材料编号",
        "材料名称",
        "原件份数",
        "复印件份数",
        "材料形式",
        "来源",
        "容缺",
        "告知承诺",
        "电子证照",
        "要求",
        "空白表格",
        "适用情形",
    ]));
    for (g, _) in items {
        for (i, m) in g.materials.iter().enumerate() {
            let when = m
                .when
                .iter()
                .map(|(question, values)| {
                    let situation = g.situations.iter().find(|s| &s.id == question);
                    let answers = values
                        .iter()
                        .map(|v| {
                            situation
                                .and_then(|s| s.options.iter().find(|o| &o.value == v))
                                .map_or(v.as_str(), |o| o.label.as_str())
                        })
                        .collect::<Vec<_>>()
                        .join("/");
                    let asked = situation.map_or(question.as_str(), |s| s.question.as_str());
                    format!("{asked}：{answers}")
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.push_str(&csv::line(&[
                g.code.clone(),
                g.name.clone(),
                (i + 1).to_string(),
                m.id.clone(),
                m.name.clone(),
                m.originals.to_string(),
                m.copies.to_string(),
                m.medium.label().to_string(),
                m.source.clone(),
                yes_no(m.tolerance).to_string(),
                yes_no(m.pledge).to_string(),
                yes_no(m.e_licence).to_string(),
                m.note.clone().unwrap_or_default(),
                m.blank_form.clone().unwrap_or_default(),
                when,
            ]));
        }
    }
    out
}

/// Checks an exported catalog (JSON) and, unless `dry_run=true`, saves every changed item as
/// its draft. The dry run lists every problem by row and field and each item as 新增, 有改动
/// or 无变化; the import itself writes nothing unless there is no problem at all.
#[utoipa::path(post, path = "/api/admin/catalog/import", tag = "事项管理",
    params(
        ("dry_run" = String, Query, pattern = "^(true|false)$", description = "true：只检查并报告，不写入；false：检查无误后把有改动的事项保存为草稿"),
    ),
    request_body(content = CatalogExport, content_type = "application/json",
        description = "“导出 JSON”得到的文件"),
    responses(
        (status = 200, body = ImportReport, description = "检查结果；不是试运行时，drafts_saved 为保存的草稿数"),
        (status = 400, body = app::api::ApiError),
        (status = 401, body = app::api::ApiError),
        (status = 403, body = app::api::ApiError, description = "不是中心管理人员"),
        (status = 413, body = app::api::ApiError),
        (status = 422, body = app::api::ApiError, description = "文件有需要修改之处（不是试运行时），fields 逐项指明；什么也没有写入"),
    ))]
pub async fn import(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    ClientAddress(address): ClientAddress,
    params: Params,
    body: Bytes,
) -> AppResult<Json<ImportReport>> {
    let dry_run = match params.required_text("dry_run", "试运行", 5)?.as_str() {
        "true" => true,
        "false" => false,
        _ => {
            return Err(AppError::bad_param(
                "dry_run",
                "试运行（参数 dry_run）应为 true 或 false",
            ))
        }
    };
    let db = &state.db;
    let current = current(db).await?;
    let forms = admin::form_summaries(db).await?;
    let refs = admin::refs(db, &forms).await?;
    let plan = plan(&body, &current, &refs);
    let mut report = ImportReport {
        dry_run,
        problems: plan.problems,
        items: plan.items,
        drafts_saved: 0,
    };
    if dry_run {
        return Ok(Json(report));
    }
    if !report.problems.is_empty() {
        let fields = report
            .problems
            .iter()
            .map(|p| {
                let key = match (p.row, p.field.is_empty()) {
                    (0, true) => "file".to_string(),
                    (0, false) => p.field.clone(),
                    (row, true) => format!("items[{}]", row - 1),
                    (row, false) => format!("items[{}].{}", row - 1, p.field),
                };
                (key, problem_text(p))
            })
            .collect();
        return Err(AppError::invalid(fields));
    }
    if plan.drafts.is_empty() {
        return Ok(Json(report));
    }
    let actor = staff.audit_name();
    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    for guide in &plan.drafts {
        sqlx::query("DELETE FROM item_drafts WHERE item_code = $1")
            .bind(&guide.code)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO item_drafts (item_code, guide, saved_by, saved_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&guide.code)
        .bind(to_json(guide)?)
        .bind(&actor)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let codes: Vec<&str> = plan.drafts.iter().map(|g| g.code.as_str()).collect();
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &actor,
            action: "导入事项草稿",
            detail: &format!("{} 个事项：{}", codes.len(), codes.join("、")),
            case_id: None,
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    report.drafts_saved = plan.drafts.len();
    Ok(Json(report))
}

/// A problem as one sentence naming its row, item and field.
pub fn problem_text(p: &ImportProblem) -> String {
    let mut at = Vec::new();
    if p.row > 0 {
        at.push(format!("第 {} 个事项", p.row));
    }
    if !p.code.is_empty() {
        at.push(p.code.clone());
    }
    if !p.label.is_empty() {
        at.push(p.label.clone());
    }
    if at.is_empty() {
        p.message.clone()
    } else {
        format!("{}：{}", at.join(" · "), p.message)
    }
}

/// Each item's published guide and whether a draft waits.
async fn current(db: &Db) -> AppResult<BTreeMap<String, (ItemGuide, bool)>> {
    let rows = sqlx::query(
        "SELECT i.code, i.guide, d.item_code AS draft_code \
         FROM items i LEFT JOIN item_drafts d ON d.item_code = i.code",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("code")?,
                (
                    from_json(r.try_get("guide")?)?,
                    r.try_get::<Option<String>, _>("draft_code")?.is_some(),
                ),
            ))
        })
        .collect()
}

/// What an import would do.
struct Plan {
    problems: Vec<ImportProblem>,
    items: Vec<ImportedItem>,
    /// The changed guides, to be saved as drafts.
    drafts: Vec<ItemGuide>,
}

fn problem(row: usize, code: &str, field: &str, message: String) -> ImportProblem {
    ImportProblem {
        row,
        code: code.to_string(),
        field: field.to_string(),
        label: if field.is_empty() {
            String::new()
        } else {
            guide_field_label(field)
        },
        message,
    }
}

/// Reads and checks the file against the catalog.
fn plan(body: &[u8], current: &BTreeMap<String, (ItemGuide, bool)>, refs: &CatalogRefs) -> Plan {
    let mut plan = Plan {
        problems: Vec::new(),
        items: Vec::new(),
        drafts: Vec::new(),
    };
    let file_problem = |message: &str| problem(0, "", "", message.to_string());
    let Ok(text) = std::str::from_utf8(body) else {
        plan.problems.push(file_problem(
            "文件不是 UTF-8 编码的文本，请使用“导出 JSON”得到的文件",
        ));
        return plan;
    };
    let text = text.strip_prefix(csv::BOM).unwrap_or(text);
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            plan.problems.push(file_problem(&format!(
                "文件不是有效的 JSON（第 {} 行第 {} 列附近有错误）；导入须使用“导出 JSON”得到的文件",
                e.line(),
                e.column()
            )));
            return plan;
        }
    };
    if document.get("format").and_then(Value::as_str) != Some(CATALOG_EXPORT_FORMAT) {
        plan.problems.push(ImportProblem {
            field: "format".into(),
            label: "文件格式".into(),
            ..file_problem(&format!(
                "文件不是办事通导出的事项目录（format 应为“{CATALOG_EXPORT_FORMAT}”）"
            ))
        });
    }
    let Some(items) = document.get("items").and_then(Value::as_array) else {
        plan.problems.push(ImportProblem {
            field: "items".into(),
            label: "事项列表".into(),
            ..file_problem("文件中没有事项列表（items）")
        });
        return plan;
    };
    if items.is_empty() {
        plan.problems.push(file_problem("文件中没有任何事项"));
    }
    let template = template(current);
    let mut rows_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for (i, value) in items.iter().enumerate() {
        let row = i + 1;
        let code = value
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        if let Value::Object(fields) = value {
            for key in fields.keys().filter(|k| !template.contains_key(*k)) {
                plan.problems.push(problem(
                    row,
                    &code,
                    key,
                    format!("不认识的字段“{key}”，请核对字段名（导出的文件中没有这一项）"),
                ));
            }
        }
        let guide = match serde_json::from_value::<ItemGuide>(value.clone()) {
            Ok(guide) => guide,
            Err(e) => {
                let located = shape_problems(value, &template);
                if located.is_empty() {
                    plan.problems.push(problem(row, &code, "", in_chinese(&e)));
                }
                for (field, message) in located {
                    plan.problems.push(problem(row, &code, &field, message));
                }
                continue;
            }
        };
        if let Some(earlier) = rows_by_code.insert(code.clone(), row) {
            plan.problems.push(problem(
                row,
                &code,
                "code",
                format!("事项编码与第 {earlier} 个事项的编码重复，每个事项只能出现一次"),
            ));
        }
        for (field, message) in check_guide(&guide, refs) {
            plan.problems.push(problem(row, &code, &field, message));
        }
        let (change, changes, replaces_draft) = match current.get(&guide.code) {
            None => {
                plan.problems.push(problem(
                    row,
                    &code,
                    "code",
                    format!(
                        "本区目录中没有编码为 {} 的事项；导入只能修改已有事项，不能新增事项",
                        guide.code
                    ),
                ));
                (ImportChange::New, Vec::new(), false)
            }
            Some((published, has_draft)) => {
                let changes = admin::changes(published, &guide);
                if changes.is_empty() {
                    (ImportChange::Unchanged, changes, false)
                } else {
                    (ImportChange::Changed, changes, *has_draft)
                }
            }
        };
        plan.items.push(ImportedItem {
            row,
            code: guide.code.clone(),
            name: guide.name.clone(),
            change,
            changes,
            replaces_draft,
        });
        if change == ImportChange::Changed {
            plan.drafts.push(guide);
        }
    }
    plan
}

/// A complete guide as JSON, every field present: the shape an imported item is measured
/// against (field by field, so a wrong value is named where it is).
fn template(current: &BTreeMap<String, (ItemGuide, bool)>) -> serde_json::Map<String, Value> {
    let mut template = current
        .values()
        .next()
        .and_then(|(guide, _)| match serde_json::to_value(guide) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        })
        .unwrap_or_default();
    // Left out of the JSON when empty; still a field an import may carry.
    template.entry("form").or_insert(Value::Array(Vec::new()));
    template
}

/// The fields of an item that does not read as a guide that are missing or of the wrong shape,
/// each with a Chinese message; a list's bad entry is named by its index (`materials[2]`).
fn shape_problems(
    item: &Value,
    template: &serde_json::Map<String, Value>,
) -> Vec<(String, String)> {
    let Value::Object(fields) = item else {
        return vec![(String::new(), "应为一个事项（JSON 对象）".into())];
    };
    if template.is_empty() {
        return Vec::new();
    }
    let fits = |probe: serde_json::Map<String, Value>| {
        serde_json::from_value::<ItemGuide>(Value::Object(probe))
    };
    let mut out = Vec::new();
    for key in template.keys() {
        if !fields.contains_key(key) {
            let mut probe = template.clone();
            probe.remove(key);
            if fits(probe).is_err() {
                out.push((key.clone(), "缺少这一项".into()));
            }
        }
    }
    for (key, value) in fields.iter().filter(|(k, _)| template.contains_key(*k)) {
        let mut probe = template.clone();
        probe.insert(key.clone(), value.clone());
        let Err(e) = fits(probe) else { continue };
        let entries = match key.as_str() {
            "materials" => entry_problems::<Material>(value),
            "steps" => entry_problems::<Step>(value),
            "conditions" | "tips" => entry_problems::<Clause>(value),
            "places" => entry_problems::<Place>(value),
            "situations" => entry_problems::<Situation>(value),
            "form" => entry_problems::<FieldSpec>(value),
            _ => Vec::new(),
        };
        if entries.is_empty() {
            out.push((key.clone(), in_chinese(&e)));
        } else {
            out.extend(
                entries
                    .into_iter()
                    .map(|(i, message)| (format!("{key}[{i}]"), message)),
            );
        }
    }
    out
}

fn entry_problems<T: serde::de::DeserializeOwned>(list: &Value) -> Vec<(usize, String)> {
    let Value::Array(entries) = list else {
        return Vec::new();
    };
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            serde_json::from_value::<T>(entry.clone())
                .err()
                .map(|e| (i, in_chinese(&e)))
        })
        .collect()
}

/// serde's message about a value, in Chinese (its wording is stable: `missing field`,
/// `invalid type`, `unknown variant`, `invalid value`).
fn in_chinese(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = text.split(" at line ").next().unwrap_or(&text);
    let between = |s: &str| s.split('`').nth(1).unwrap_or("").to_string();
    let expected = |s: &str| {
        let wanted = s.rsplit("expected ").next().unwrap_or("");
        match wanted {
            w if w.starts_with('u') || w.contains("integer") => "不小于 0 的整数",
            w if w.contains("boolean") => "true 或 false",
            w if w.contains("string") || w.contains("char") => "文字（加引号）",
            w if w.contains("sequence") => "列表（[…]）",
            w if w.contains("map") || w.starts_with("struct") => "对象（{…}）",
            _ => "正确的格式",
        }
    };
    if let Some(rest) = text.strip_prefix("missing field ") {
        let field = between(rest);
        format!("缺少“{}”（{field}）", guide_field_label(&field))
    } else if let Some(rest) = text.strip_prefix("unknown variant ") {
        let allowed: Vec<String> = rest
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|v| format!("“{v}”"))
            .collect();
        format!(
            "取值“{}”无效，应为 {} 之一",
            between(rest),
            allowed.join("、")
        )
    } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
        format!("值的类型不对：应为{}", expected(text))
    } else if let Some(rest) = text.strip_prefix("unknown field ") {
        format!("不认识的字段“{}”", between(rest))
    } else {
        format!("格式不正确（{text}）")
    }
}
