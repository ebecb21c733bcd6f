//! Catalog management by the centre's managers: drafts, publication and kept versions of an
//! item's 办事指南 (`/api/admin/catalog/...`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Department, FormSummary, ItemGuide, Theme};

/// One item as the manager's catalog list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogAdminItem {
    pub code: String,
    pub name: String,
    pub department: String,
    /// The published version's number (1 = as first loaded).
    pub version: i64,
    /// A draft waiting to be published: who saved it last and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<DraftMark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftMark {
    pub saved_by: String,
    /// RFC 3339.
    pub saved_at: String,
}

/// `GET /api/admin/catalog/items?q=&drafts=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogAdminList {
    pub items: Vec<CatalogAdminItem>,
    /// The catalog's revision: raised by every publication.
    pub revision: i64,
}

/// A kept published version (without its guide).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideVersion {
    pub version: i64,
    /// Who published it, e.g. `李管理（manager）`.
    pub published_by: String,
    /// RFC 3339.
    pub published_at: String,
    /// The publisher's note, e.g. `工本费调整`.
    pub note: String,
    /// The version it restores, when it was a restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<i64>,
}

/// One changed field between the published guide and the draft (or two versions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideChange {
    /// The field's path, e.g. `materials[1].name`, `fee.description`.
    pub path: String,
    /// Its Chinese name, e.g. `申报材料第 2 项 · 名称`.
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// `GET /api/admin/catalog/items/{code}`: what the editor needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogEditor {
    /// The published guide.
    pub published: ItemGuide,
    pub version: i64,
    /// The saved draft, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<ItemGuide>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_mark: Option<DraftMark>,
    /// Draft against published, field by field (empty without a draft).
    pub changes: Vec<GuideChange>,
    /// What must change in the draft before it can be published: field path → message
    /// (`rules::catalog::check_guide`).
    #[serde(default)]
    pub problems: BTreeMap<String, String>,
    /// Newest first.
    pub versions: Vec<GuideVersion>,
    /// What a guide may refer to: the catalog's departments, themes and blank forms.
    pub departments: Vec<Department>,
    pub themes: Vec<Theme>,
    pub forms: Vec<FormSummary>,
}

/// `PUT /api/admin/catalog/items/{code}/draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftSave {
    pub guide: ItemGuide,
}

/// `POST /api/admin/catalog/items/{code}/publish` (the saved draft) and
/// `POST /api/admin/catalog/items/{code}/versions/{version}/restore`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishRequest {
    /// 发布说明, e.g. `工本费调整为 25 元`（1–200 字）.
    pub note: String,
}

/// The answer of a publication or restore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    pub code: String,
    pub version: i64,
    /// The catalog's new revision.
    pub revision: i64,
}

/// The Chinese name of a guide field path as [`crate::rules::catalog`] writes it, e.g.
/// `materials[1].name` → `申报材料第 2 项 · 名称`.
pub fn guide_field_label(path: &str) -> String {
    let mut parts = Vec::new();
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let word = match name {
            "code" => "事项编码",
            "name" => "名称",
            "item_type" => "事项类型",
            "department" => "实施部门",
            "audience" => "服务对象",
            "themes" => "主题",
            "keywords" => "搜索关键词",
            "summary" => "事项简介",
            "legal_basis" => "设立依据",
            "conditions" => "受理条件",
            "materials" => "申报材料",
            "steps" => "办理流程",
            "fee" => "收费",
            "free" => "是否收费",
            "description" => "说明",
            "basis" => "依据",
            "statutory_days" => "法定时限",
            "promised_days" => "承诺时限",
            "handling" => "办件类型",
            "online_level" => "网办深度",
            "visits" => "到现场次数",
            "result" => "办理结果",
            "delivery" => "送达方式",
            "places" => "办理地点",
            "consult_phone" => "咨询电话",
            "complaint_phone" => "监督投诉电话",
            "appointment" => "支持预约",
            "cross_province" => "跨省通办",
            "situations" => "情形问题",
            "tips" => "温馨提示",
            "form" => "网上申报表单",
            "question" => "问题",
            "help" => "说明",
            "options" => "选项",
            "value" => "取值",
            "label" => "文字",
            "text" => "内容",
            "when" => "适用情形",
            "id" => "编号",
            "originals" => "原件份数",
            "copies" => "复印件份数",
            "medium" => "材料形式",
            "source" => "来源",
            "tolerance" => "容缺",
            "pledge" => "告知承诺",
            "e_licence" => "电子证照",
            "note" => "要求",
            "blank_form" => "空白表格",
            "has_sample" => "示范文本",
            "title" => "步骤名称",
            "address" => "地址",
            "window" => "窗口",
            "hours" => "办理时间",
            "kind" => "类型",
            "required" => "必填",
            other => other,
        };
        parts.push(match index {
            Some(i) => format!("{word}第 {} 项", i + 1),
            None => word.to_string(),
        });
    }
    parts.join(" · ")
}
