//! Bundle management by the centre's managers (`/api/admin/catalog/bundles/...`): a 一件事's
//! draft, publication and kept versions, the same way as an item's 办事指南
//! ([`super::catalog_admin`]): the draft and publish answers reuse [`DraftMark`],
//! [`GuideChange`], [`GuideVersion`], [`PublishRequest`] and [`Published`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{guide_field_label, Bundle, DraftMark, GuideChange, GuideVersion, ItemGuide};

/// One bundle as the manager's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleAdminItem {
    /// e.g. `birth`.
    pub code: String,
    /// e.g. `出生一件事`.
    pub name: String,
    pub icon: String,
    /// How many member items it has.
    pub members: usize,
    /// The published version's number (1 = as first loaded).
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<DraftMark>,
}

/// `GET /api/admin/catalog/bundles`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleAdminList {
    pub bundles: Vec<BundleAdminItem>,
    /// The catalog's revision: raised by every publication.
    pub revision: i64,
}

/// An item a bundle may take as a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberChoice {
    pub code: String,
    pub name: String,
    /// Department code.
    pub department: String,
}

/// `GET /api/admin/catalog/bundles/{code}`: what the bundle editor needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleEditor {
    pub published: Bundle,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<Bundle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_mark: Option<DraftMark>,
    /// Draft against published, field by field (empty without a draft).
    pub changes: Vec<GuideChange>,
    /// What must change in the draft before it can be published: field path → message
    /// (`rules::bundle::check_bundle`).
    #[serde(default)]
    pub problems: BTreeMap<String, String>,
    /// Newest first.
    pub versions: Vec<GuideVersion>,
    /// Every item of the catalog, for choosing members.
    pub items: Vec<MemberChoice>,
    /// The published guides of the members of the published bundle and of the draft, which the
    /// bundle rules check against (the editor fetches the guide of a member it adds).
    pub guides: Vec<ItemGuide>,
}

/// `PUT /api/admin/catalog/bundles/{code}/draft`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleDraftSave {
    pub bundle: Bundle,
}

/// The Chinese name of a bundle field path as `rules::bundle::check_bundle` writes it, e.g.
/// `members[1].after[0]` → `成员事项第 2 项 · 前置事项第 1 项`.
pub fn bundle_field_label(path: &str) -> String {
    path.split('.')
        .map(|segment| {
            let (name, index) = match segment.split_once('[') {
                Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (segment, None),
            };
            let word = match name {
                "name" => "名称",
                "summary" => "简介",
                "icon" => "图标",
                "members" => "成员事项",
                "item_code" => "事项编码",
                "after" => "前置事项",
                "answers" => "固定答案",
                "produces" => "产生的材料",
                "form" => "一张表单",
                "spec" => "字段",
                "maps_to" => "对应字段",
                "field_id" => "字段编号",
                "issued_by" => "由办理结果填写",
                "timing" => "办理方式",
                "mode" => "方式",
                "explanation" => "说明",
                "covers" => "表单代替的材料",
                "material_names" => "材料名称",
                "company_facts_for" => "填写企业信息的事项",
                _ => return guide_field_label(segment),
            };
            match index {
                Some(i) => format!("{word}第 {} 项", i + 1),
                None => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_paths_read_in_chinese() {
        assert_eq!(
            bundle_field_label("members[1].after[0]"),
            "成员事项第 2 项 · 前置事项第 1 项"
        );
        assert_eq!(
            bundle_field_label("form[0].maps_to[2].field_id"),
            "一张表单第 1 项 · 对应字段第 3 项 · 字段编号"
        );
        assert_eq!(
            bundle_field_label("situations[0].options[1].label"),
            "情形问题第 1 项 · 选项第 2 项 · 文字"
        );
    }
}
