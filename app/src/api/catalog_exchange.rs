//! The catalog's import and export (`/api/admin/catalog/export`, `/api/admin/catalog/import`)
//! and the 四级四同 check against a standard list (`/api/admin/catalog/standard`).

use serde::{Deserialize, Serialize};

use super::{GuideChange, ItemGuide};

/// What [`CatalogExport::format`] says: a file this portal wrote and can read back.
pub const CATALOG_EXPORT_FORMAT: &str = "banshitong-catalog-v1";

/// `GET /api/admin/catalog/export?format=json`: the whole published catalog, each item in the
/// editor's own [`ItemGuide`], so the file imports back without loss.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogExport {
    /// Always [`CATALOG_EXPORT_FORMAT`].
    pub format: String,
    /// 区县, e.g. `示范区`.
    pub district: String,
    /// RFC 3339.
    pub exported_at: String,
    /// The published guides, by code.
    pub items: Vec<ItemGuide>,
}

/// How an imported item compares with the published one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportChange {
    /// Not in the catalog.
    New,
    /// Differs from the published guide: becomes the item's draft.
    Changed,
    /// The same as the published guide: nothing is written.
    Unchanged,
}

impl ImportChange {
    pub fn label(self) -> &'static str {
        match self {
            ImportChange::New => "新增",
            ImportChange::Changed => "有改动",
            ImportChange::Unchanged => "无变化",
        }
    }
}

/// One item of the imported file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportedItem {
    /// Its position in the file's `items`, from 1.
    pub row: usize,
    pub code: String,
    pub name: String,
    pub change: ImportChange,
    /// Field by field against the published guide (empty unless changed).
    pub changes: Vec<GuideChange>,
    /// A draft saved earlier that the import would replace.
    pub replaces_draft: bool,
}

/// One thing in the file that must be corrected before it can be imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    /// The item's position in the file's `items`, from 1; 0 for the file as a whole.
    pub row: usize,
    /// The item's code as the file writes it (may be empty).
    pub code: String,
    /// The field's path, e.g. `materials[2].name` (empty for the whole item or file).
    pub field: String,
    /// Its Chinese name, e.g. `申报材料第 3 项 · 名称`.
    pub label: String,
    pub message: String,
}

/// The answer of `POST /api/admin/catalog/import?dry_run=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// True: only checked, nothing written.
    pub dry_run: bool,
    /// Every problem; when there is one, nothing is (or would be) written.
    pub problems: Vec<ImportProblem>,
    /// The file's items in file order (those that could be read).
    pub items: Vec<ImportedItem>,
    /// Drafts written (0 on a dry run or with problems).
    pub drafts_saved: usize,
}

/// One entry of a 四级四同 standard list: 事项编码, 名称, 类型 and 设定依据 as the province (or
/// the nation) fixes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardEntry {
    pub code: String,
    pub name: String,
    pub item_type: String,
    /// 设定依据, e.g. `《中华人民共和国居民身份证法》；《居民身份证领取、发放和管理办法》`.
    pub legal_basis: String,
}

/// The loaded standard list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardListInfo {
    /// Where it came from, e.g. the uploaded file's name.
    pub source: String,
    /// The demo list shipped with the demo catalog.
    pub demo: bool,
    pub loaded_by: String,
    /// RFC 3339.
    pub loaded_at: String,
    pub entries: usize,
}

/// What differs between the catalog and the standard list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// In the standard list, not in the catalog.
    MissingItem,
    /// In the catalog, not in the standard list.
    NotInStandard,
    NameDiffers,
    TypeDiffers,
    /// The standard cites a law or regulation that the catalog's 设定依据 does not.
    BasisDiffers,
}

impl DifferenceKind {
    pub fn label(self) -> &'static str {
        match self {
            DifferenceKind::MissingItem => "缺少事项",
            DifferenceKind::NotInStandard => "标准清单中没有",
            DifferenceKind::NameDiffers => "名称不一致",
            DifferenceKind::TypeDiffers => "类型不一致",
            DifferenceKind::BasisDiffers => "设定依据不一致",
        }
    }
}

/// One difference of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardDifference {
    pub code: String,
    /// The item's name (the catalog's, or the standard's when the catalog lacks it).
    pub name: String,
    pub kind: DifferenceKind,
    /// What the standard list says (empty when it lacks the item).
    pub standard: String,
    /// What the catalog says (empty when it lacks the item).
    pub catalog: String,
}

/// `GET /api/admin/catalog/standard` and the answer of loading a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StandardCheck {
    /// None until a list is loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<StandardListInfo>,
    /// Items compared (in both).
    pub compared: usize,
    /// By item code, then kind.
    pub differences: Vec<StandardDifference>,
}
