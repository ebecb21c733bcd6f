//! The service catalog: departments, life-event themes, service items and their 办事指南.
//!
//! The same structs are the demo catalog's file format (server/demo/*.json), the database's
//! stored guide, and the API's answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Who a service is for: 个人 (citizens) or 法人 (businesses and other organisations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Personal,
    Business,
    Both,
}

impl Audience {
    pub fn label(self) -> &'static str {
        match self {
            Audience::Personal => "个人办事",
            Audience::Business => "法人办事",
            Audience::Both => "个人和法人",
        }
    }

    /// Whether an item for `self` should be listed when browsing as `viewer`.
    pub fn serves(self, viewer: Audience) -> bool {
        self == Audience::Both || viewer == Audience::Both || self == viewer
    }

    pub fn as_str(self) -> &'static str {
        super::wire_name::of(&self)
    }

    pub fn parse(s: &str) -> Option<Audience> {
        super::wire_name::parse(s)
    }
}

/// 办件类型: how a case is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// 即办件: settled on the spot.
    Immediate,
    /// 承诺件: settled within the promised number of working days.
    Promised,
    /// 联办件: several departments jointly.
    Joint,
}

impl Handling {
    pub fn label(self) -> &'static str {
        match self {
            Handling::Immediate => "即办件",
            Handling::Promised => "承诺件",
            Handling::Joint => "联办件",
        }
    }
}

/// 网办深度: how far the service can be done online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// 网上咨询 (level 1)
    Consult,
    /// 网上预审 (level 2)
    PreReview,
    /// 网上受理 (level 3)
    Accept,
    /// 全程网办 (level 4)
    FullyOnline,
}

impl OnlineLevel {
    pub fn label(self) -> &'static str {
        match self {
            OnlineLevel::Consult => "网上咨询",
            OnlineLevel::PreReview => "网上预审",
            OnlineLevel::Accept => "网上受理",
            OnlineLevel::FullyOnline => "全程网办",
        }
    }
}

/// 材料形式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    Paper,
    Electronic,
    PaperOrElectronic,
}

impl Medium {
    pub fn label(self) -> &'static str {
        match self {
            Medium::Paper => "纸质",
            Medium::Electronic => "电子",
            Medium::PaperOrElectronic => "纸质或电子",
        }
    }
}

/// Shows a guide entry only for some answers to the 情形引导 questions.
///
/// Maps a question id to the answer values under which the entry applies; every listed question
/// must match. An empty map means "always". While a listed question is unanswered the entry is
/// shown, marked as depending on the situation.
pub type When = BTreeMap<String, Vec<String>>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    /// Short stable code, e.g. `gaj` (公安分局).
    pub code: String,
    /// Full name, e.g. `示范区公安分局`.
    pub name: String,
    /// Name shown on small screens, e.g. `公安`.
    pub short_name: String,
    /// Consultation phone of the department's window.
    pub phone: String,
    /// Where its windows are, e.g. `区政务服务中心一楼 A 区 1–6 号窗口`.
    pub window: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Theme {
    /// Stable code, e.g. `birth`.
    pub code: String,
    /// e.g. `生育收养`.
    pub name: String,
    pub audience: Audience,
    /// One short sentence shown under the name.
    pub description: String,
    /// One emoji used as the theme's icon (decorative; never the only label).
    pub icon: String,
}

/// One answer of a 情形引导 question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SituationOption {
    /// Stable value used in links, e.g. `yes`, `local`.
    pub value: String,
    /// e.g. `是，本市户籍`.
    pub label: String,
}

/// A 情形引导 question: the answers tailor conditions, materials and steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Situation {
    /// Stable id used in `When` maps and share links, e.g. `local`.
    pub id: String,
    /// e.g. `申请人是本市户籍吗？`
    pub question: String,
    /// Optional one-line explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub options: Vec<SituationOption>,
}

/// A text entry (condition, note) that may depend on the situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clause {
    pub text: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
}

/// One required material (申报材料).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Material {
    /// Stable id within the item, e.g. `id_card`. Materials shared between items use the same id
    /// (`id_card`, `household_register`, `business_licence`, `birth_certificate` …) so bundles can
    /// de-duplicate them.
    pub id: String,
    pub name: String,
    /// Number of originals to show (0 = none).
    pub originals: u8,
    /// Number of copies to hand in (0 = none).
    pub copies: u8,
    pub medium: Medium,
    /// 来源, e.g. `申请人自备`, `医疗机构出具`, `公安机关`.
    pub source: String,
    /// 容缺: the case may be accepted without it, to be supplied later.
    #[serde(default)]
    pub tolerance: bool,
    /// 告知承诺: a signed pledge may replace it.
    #[serde(default)]
    pub pledge: bool,
    /// Can be fetched from 电子证照 instead of handed in.
    #[serde(default)]
    pub e_licence: bool,
    /// Requirements on the material, e.g. `近 6 个月内免冠彩色照片`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Code of the blank form (空白表格) to download or print, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blank_form: Option<String>,
    /// Whether the blank form also has a filled 示范文本.
    #[serde(default)]
    pub has_sample: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
}

impl Material {
    /// One paper original that the applicant brings, asked of everybody: the starting point of a
    /// new material in the catalog editor.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Material {
        Material {
            id: id.into(),
            name: name.into(),
            originals: 1,
            copies: 0,
            medium: Medium::Paper,
            source: "申请人自备".into(),
            tolerance: false,
            pledge: false,
            e_licence: false,
            note: None,
            blank_form: None,
            has_sample: false,
            when: When::new(),
        }
    }
}

/// One step of the procedure (办理流程).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// e.g. `申请`, `受理`, `审核`, `办结`.
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
}

/// 收费.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fee {
    pub free: bool,
    /// e.g. `不收费` or `工本费 20 元/证`.
    pub description: String,
    /// 收费依据, when charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// 办理地点 and 办理时间.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    /// e.g. `示范区政务服务中心`.
    pub name: String,
    pub address: String,
    /// e.g. `一楼 A 区 3 号窗口`.
    pub window: String,
    /// e.g. `周一至周五 9:00–12:00，13:30–17:00（法定节假日除外）`.
    pub hours: String,
}

/// The full 办事指南 of one service item: every public field of a national guide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemGuide {
    /// 事项编码, e.g. `SFQ-GA-0001` (demo district prefix, department, sequence).
    pub code: String,
    pub name: String,
    /// 事项类型: `行政许可`, `行政确认`, `行政给付`, `行政裁决`, `其他行政权力`, `公共服务`.
    pub item_type: String,
    /// Department code (see [`Department::code`]).
    pub department: String,
    pub audience: Audience,
    /// Theme codes (see [`Theme::code`]).
    pub themes: Vec<String>,
    /// Everyday words people search with, e.g. `生孩子`, `身份证丢了`.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// One plain sentence: what this service is for.
    pub summary: String,
    /// 设立依据: one entry per law or regulation, with article.
    pub legal_basis: Vec<String>,
    /// 受理条件.
    pub conditions: Vec<Clause>,
    pub materials: Vec<Material>,
    pub steps: Vec<Step>,
    pub fee: Fee,
    /// 法定时限 in working days (0 = none set by law).
    pub statutory_days: u32,
    /// 承诺时限 in working days (0 = 即办, finished on the spot).
    pub promised_days: u32,
    pub handling: Handling,
    pub online_level: OnlineLevel,
    /// 到现场次数 (0 = 零跑腿).
    pub visits: u8,
    /// 办理结果, e.g. `居民身份证`.
    pub result: String,
    /// How the result is delivered, e.g. `窗口领取`, `免费邮寄`.
    pub delivery: Vec<String>,
    pub places: Vec<Place>,
    /// 咨询电话.
    pub consult_phone: String,
    /// 监督投诉电话.
    pub complaint_phone: String,
    /// 是否支持预约.
    pub appointment: bool,
    /// 是否支持跨省通办.
    pub cross_province: bool,
    /// 情形引导 questions; empty when the guide is the same for everyone.
    #[serde(default)]
    pub situations: Vec<Situation>,
    /// 温馨提示.
    #[serde(default)]
    pub tips: Vec<Clause>,
    /// The online application form (网上预审). Empty means the standard form for the audience
    /// (`rules::form::form_for`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<FieldSpec>,
}

/// What kind of value a form field takes; each kind has a shared validation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text (names).
    Text,
    /// Several lines (reasons, descriptions).
    LongText,
    /// 居民身份证号码 (GB 11643 check digit, real birth date).
    IdCard,
    /// 统一社会信用代码 (GB 32100 check digit).
    Uscc,
    /// Mainland mobile number.
    Mobile,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// One of `options`.
    Choice,
    /// A postal address.
    Address,
    /// A non-negative amount, e.g. registered capital in 万元.
    Number,
}

/// One field of an item's online application form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldSpec {
    /// Stable id, e.g. `applicant_name`.
    pub id: String,
    /// Chinese label naming the field in every message, e.g. `申请人姓名`.
    pub label: String,
    pub kind: FieldKind,
    #[serde(default = "yes")]
    pub required: bool,
    /// Allowed values for `choice`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// One line of help under the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn yes() -> bool {
    true
}

/// A service item as listed in search results and browse pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    /// Department's full name.
    pub department: String,
    pub department_code: String,
    pub audience: Audience,
    pub item_type: String,
    pub summary: String,
    pub promised_days: u32,
    pub statutory_days: u32,
    pub handling: Handling,
    pub online_level: OnlineLevel,
    pub visits: u8,
    /// The guide says it can be booked (网上预约); where, is `rules::appointment::bookable`.
    #[serde(default)]
    pub appointment: bool,
    /// When the item matched through an everyday word or pinyin, what matched, e.g. `生孩子`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
}

/// `GET /api/items?q=&theme=&department=&audience=&limit=&offset=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemList {
    /// Best first when searching; catalog order otherwise.
    pub items: Vec<ItemSummary>,
    /// How many matched in all (for paging).
    pub total: usize,
    /// When nothing matched: searches that would find something.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
    /// 一件事 matching the search, best first (empty when browsing without a search word).
    #[serde(default)]
    pub bundles: Vec<BundleHit>,
}

/// A 一件事 as a search result or as a bundle an item belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleHit {
    /// Bundle code, e.g. `birth`: the page is `/bundles/{code}`.
    pub code: String,
    pub name: String,
    pub audience: Audience,
    pub summary: String,
}

/// `GET /api/items/{code}`: the guide and what the page needs around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDetail {
    pub guide: ItemGuide,
    pub department: Department,
    pub themes: Vec<Theme>,
    /// Blank forms referenced by the materials.
    pub forms: Vec<FormSummary>,
    /// Always true in this build's demo catalog: the content is fictional.
    pub demo: bool,
    /// The 一件事 this item is a member of (这件事可以和…一起办).
    #[serde(default)]
    pub bundles: Vec<BundleHit>,
}

/// `GET /api/catalog`: everything the home page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CatalogOverview {
    /// Name of the (demo) district, e.g. `示范区`.
    pub district: String,
    pub departments: Vec<DepartmentCount>,
    pub themes: Vec<Theme>,
    /// Most-used items, best first (both audiences; the client filters).
    pub popular: Vec<ItemSummary>,
    pub item_count: usize,
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentCount {
    pub department: Department,
    pub items: usize,
}

/// A blank form (空白表格) with its filled 示范文本.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Form {
    /// e.g. `F-GA-0001`.
    pub code: String,
    /// e.g. `居民身份证申领登记表`.
    pub title: String,
    /// Item codes that use it.
    pub items: Vec<String>,
    /// How to fill it in, one sentence.
    pub instructions: String,
    pub sections: Vec<FormSection>,
    /// 填表说明 printed under the form.
    #[serde(default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormSection {
    pub title: String,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormField {
    pub label: String,
    /// The value shown in the 示范文本 (fictional person or company).
    pub sample: String,
    /// Writing lines to leave on the blank form (1 for a short field).
    #[serde(default = "one")]
    pub lines: u8,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormSummary {
    pub code: String,
    pub title: String,
}
