//! 一件事一次办: bundles of service items from several departments, applied for with one form,
//! one set of materials and one submission — plus the 企业开办 (company setup) wire types:
//! 名称自主申报 (company name self-check) and the company facts asked once for every member.
//!
//! The bundle structs are also the demo file format (server/demo/bundles.json). The rules that
//! work on them (member selection, material merging, form fan-out, timing) are
//! `rules::bundle`; the name check is `rules::company_name`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Audience, FieldSpec, Handling, Medium, Place, Situation, When};

// ---------------------------------------------------------------------------------------------
// Bundles

/// How the members of a bundle follow each other (derived from their `after` lists and checked
/// against the catalog by `rules::bundle::check_bundle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimingMode {
    /// 并联办理: every member is handled at the same time.
    Parallel,
    /// 依次办理: each member waits for the one before it.
    Sequence,
    /// 先串后并: some members wait for others, the rest run side by side.
    Mixed,
}

impl TimingMode {
    pub fn label(self) -> &'static str {
        match self {
            TimingMode::Parallel => "并联办理",
            TimingMode::Sequence => "依次办理",
            TimingMode::Mixed => "先后结合、同步推进",
        }
    }
}

/// How long a bundle takes, in words for the applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleTiming {
    pub mode: TimingMode,
    /// e.g. `营业执照核发后，公章刻制、发票申领、社保和公积金登记同步办理`.
    pub explanation: String,
}

/// One service item inside a bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleMember {
    /// 事项编码 of the member item, e.g. `SFQ-GA-0002`.
    pub item_code: String,
    /// Short name shown in the bundle, e.g. `新生儿落户`.
    pub name: String,
    /// Department code of the item (see [`super::Department::code`]), e.g. `ga`.
    pub department: String,
    /// Include the member only under these answers to the bundle's questions; empty = always.
    /// While a listed question is unanswered the member counts as included (视情况而定).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub when: When,
    /// Item codes of members that must be approved first (e.g. 公章刻制 after 企业设立登记).
    /// Predecessors left out by the answers are ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// Fixed answers to the member item's own 情形 questions, e.g. `{"company_type": "llc"}`.
    /// The bundle's answers are passed on too, for questions with the same id; these fixed
    /// answers win over them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, String>,
    /// Material ids this member's result supplies to the members after it (电子证照 sharing),
    /// e.g. `business_licence` from 企业设立登记: later members no longer ask the applicant.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub produces: Vec<String>,
}

/// A member item's form field that a bundle field fills.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldTarget {
    pub item_code: String,
    /// A field id of the member's form (`rules::form::form_for`), e.g. `applicant_name`.
    pub field_id: String,
}

/// A field asked once on the bundle form and copied onto every member's field it maps to.
///
/// When several bundle fields map onto the same member field (typically `remarks`), the member
/// receives them as labelled lines (`新生儿姓名：张小宝`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleField {
    pub spec: FieldSpec,
    #[serde(default)]
    pub maps_to: Vec<FieldTarget>,
    /// Not asked: filled from the result of whichever of these members is approved first
    /// (e.g. `uscc` from 企业设立登记, onto the later members' forms).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issued_by: Vec<String>,
}

/// One 一件事: several items, one form, one set of materials, one submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Bundle {
    /// Stable code used in links, e.g. `birth`.
    pub code: String,
    /// e.g. `出生一件事`.
    pub name: String,
    pub audience: Audience,
    /// One plain sentence: what the bundle settles.
    pub summary: String,
    /// One emoji (decorative; never the only label).
    pub icon: String,
    /// Everyday words people search with, e.g. `生孩子`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    pub members: Vec<BundleMember>,
    /// Questions that include or leave out members (需要办理社保卡吗？). A question with the
    /// same id as a member item's question also answers that one.
    #[serde(default)]
    pub situations: Vec<Situation>,
    /// The one form (一表申请).
    pub form: Vec<BundleField>,
    pub timing: BundleTiming,
    pub places: Vec<Place>,
    #[serde(default)]
    pub tips: Vec<String>,
    /// Material ids the bundle form replaces besides the rule of `rules::bundle::covered_by_form`
    /// (ids ending in `_form` or `_application`), e.g. `social_insurance_registration`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// Names for materials that member items name differently (material id → name), e.g.
    /// `id_card` → `经办人（家属）居民身份证`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub material_names: BTreeMap<String, String>,
    /// The member whose application takes the [`CompanyFacts`] (企业开办: `SFQ-SJ-0501`); the
    /// facts are asked whenever that member is included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_facts_for: Option<String>,
}

/// One material of the bundle's single set, merged over every member that needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergedMaterial {
    pub material_id: String,
    pub name: String,
    /// The members' requirements on it, distinct ones joined by `；`.
    pub note: Option<String>,
    /// Must be handed in before submitting: some member needs it without 容缺, and no earlier
    /// member of the bundle supplies it.
    pub required: bool,
    /// 容缺: only when every member using it allows it.
    pub tolerance_allowed: bool,
    /// 告知承诺: only when every member using it allows it.
    pub pledge_allowed: bool,
    /// Can be fetched from 电子证照 (every member using it allows it).
    pub e_licence: bool,
    /// Item codes of the members using it, in bundle order.
    pub used_by: Vec<String>,
    /// The members' common medium; `paper_or_electronic` when they differ.
    pub medium: Medium,
    /// 来源 as the first member using it says.
    pub source: String,
    /// Every member using it needs it only under answers not given yet (视情况而定).
    #[serde(default)]
    pub depends: bool,
    /// Supplied by this member's result (e.g. 营业执照 from 企业设立登记): nothing to hand in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provided_by: Option<String>,
    /// 自动获取 (`rules::auto_fetch`): the system attaches it to the member cases itself, so it
    /// is not 必传 — what the applicant reads about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_fetched: Option<String>,
}

/// A member as shown on the bundle page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleMemberView {
    pub item_code: String,
    /// The item's full name from the catalog.
    pub name: String,
    /// The bundle's short name for it.
    pub short_name: String,
    pub department_code: String,
    /// Department's full name.
    pub department: String,
    pub promised_days: u32,
    pub statutory_days: u32,
    pub handling: Handling,
    /// Item codes (of included members) to be approved first.
    pub after: Vec<String>,
    /// 1 for members that start at once, 2 for those waiting on a stage-1 member, ….
    pub stage: u32,
    /// Included only because a question deciding it is still unanswered.
    pub depends: bool,
}

/// `GET /api/bundles/{code}?a=`: the bundle tailored to the answers (`reason.lost~local.yes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleDetail {
    pub bundle: Bundle,
    /// Included members in bundle order.
    pub members_shown: Vec<BundleMemberView>,
    /// The one set of materials, duplicates removed.
    pub materials: Vec<MergedMaterial>,
    /// Members' own application forms that the bundle form replaces (一表申请).
    #[serde(default)]
    pub replaced_forms: Vec<MergedMaterial>,
    /// Along the longest `after` chain (members side by side count once).
    pub total_promised_days: u32,
    /// Sum of the members' statutory limits (what separate applications could take).
    pub statutory_days_sum: u32,
    /// Bundle questions still unanswered.
    #[serde(default)]
    pub open_questions: Vec<String>,
    pub demo: bool,
}

/// A bundle as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleSummary {
    pub code: String,
    pub name: String,
    pub audience: Audience,
    pub summary: String,
    pub icon: String,
    /// Short names of every member (all answers), e.g. `出生医学证明`, `新生儿落户`.
    pub members: Vec<String>,
    /// Short names of the departments involved, e.g. `卫健`, `公安`.
    pub departments: Vec<String>,
    /// With every member included.
    pub total_promised_days: u32,
    pub statutory_days_sum: u32,
}

/// `GET /api/bundles?audience=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleList {
    pub bundles: Vec<BundleSummary>,
}

/// `PUT /api/bundle-applications/{id}`: the bundle draft's answers, one form and company facts
/// (saved as typed; checked all at once by `POST /api/bundle-applications/{id}/submit`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleApplication {
    /// Bundle question id → option value.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    /// Bundle field id → value.
    #[serde(default)]
    pub form: BTreeMap<String, String>,
    /// 企业开办: required when the bundle's `company_facts_for` member is included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<CompanyFacts>,
}

/// One member case created by a bundle submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleCase {
    pub item_code: String,
    pub item_name: String,
    pub case_id: String,
    /// 受理编号, once the member is submitted to its department.
    pub number: Option<String>,
    /// Members still to be approved before this one is passed to its department.
    #[serde(default)]
    pub waiting_for: Vec<String>,
}

/// The answer to a bundle submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleSubmitted {
    /// The bundle's own 受理编号, e.g. `SFQ-20261125-0003` (the same daily sequence as single cases).
    pub number: String,
    pub cases: Vec<BundleCase>,
}

// ---------------------------------------------------------------------------------------------
// 企业开办: company name self-check and company facts

/// `POST /api/name-check`: 名称自主申报. Full name = 行政区划 + 字号 + 行业 + 组织形式.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameCheckRequest {
    /// 行政区划, e.g. `示范区`.
    pub district: String,
    /// 字号, e.g. `青禾`.
    pub trade_name: String,
    /// 行业表述, e.g. `餐饮管理`.
    pub industry: String,
    /// 组织形式, e.g. `有限公司`.
    pub organisation: String,
}

/// Why a proposed name cannot be used as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NameProblemKind {
    /// The same 字号 is already registered in the district.
    Identical,
    /// Confusingly close to a 字号 registered in the same industry.
    Similar,
    /// Needs approval above the district (中国, 中华, 全国, 国家, 国际 …).
    Restricted,
    /// May not be used at all (党政机关、部队名称 …).
    Forbidden,
    /// Not a well-formed name (length, characters, 组织形式 …).
    Format,
}

impl NameProblemKind {
    pub fn label(self) -> &'static str {
        match self {
            NameProblemKind::Identical => "字号重复",
            NameProblemKind::Similar => "字号近似",
            NameProblemKind::Restricted => "限制使用",
            NameProblemKind::Forbidden => "禁止使用",
            NameProblemKind::Format => "格式不符",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameProblem {
    pub kind: NameProblemKind,
    /// A plain Chinese reason.
    pub message: String,
    /// What to do instead, e.g. `可在字号后加一个字，如“青禾悦”`.
    pub suggestion: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NameCheckResult {
    /// e.g. `示范区青禾餐饮管理有限公司`.
    pub full_name: String,
    /// No problem at all: the name may be declared.
    pub ok: bool,
    pub problems: Vec<NameProblem>,
}

/// A company name already registered in the district (demo file registered-names.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisteredName {
    /// Full name, e.g. `示范区青禾餐饮管理有限公司`.
    pub name: String,
    /// 字号, e.g. `青禾`.
    pub trade_name: String,
    /// 行业表述, e.g. `餐饮管理`.
    pub industry: String,
}

/// Kind of enterprise set up by 企业开办; the values are the options of SFQ-SJ-0501's
/// `company_type` question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CompanyType {
    /// 有限责任公司.
    Llc,
    /// 个人独资企业.
    Sole,
    /// 合伙企业.
    Partnership,
}

impl CompanyType {
    pub fn label(self) -> &'static str {
        match self {
            CompanyType::Llc => "有限责任公司",
            CompanyType::Sole => "个人独资企业",
            CompanyType::Partnership => "合伙企业",
        }
    }

    pub fn as_str(self) -> &'static str {
        super::wire_name::of(&self)
    }

    /// 组织形式 the name of this kind of enterprise may end with.
    pub fn organisations(self) -> &'static [&'static str] {
        match self {
            CompanyType::Llc => &["有限公司", "有限责任公司"],
            CompanyType::Sole => &["个人独资企业", "工作室", "商行", "经营部", "店", "厂"],
            CompanyType::Partnership => &["合伙企业", "普通合伙企业", "有限合伙企业"],
        }
    }
}

/// A shareholder (股东), investor (投资人) or partner (合伙人).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shareholder {
    pub name: String,
    /// 居民身份证号码.
    pub id_number: String,
    /// 出资比例 in percent, up to 2 decimals, e.g. `60` or `33.33`.
    pub share_percent: String,
    /// 认缴出资额 in 万元, up to 4 decimals (1 元).
    pub contribution_wan: String,
}

/// 法定代表人 (负责人 / 执行事务合伙人).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegalRep {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

/// Everything 企业设立登记 needs beyond the bundle form, asked once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanyFacts {
    pub company_type: CompanyType,
    pub name: NameCheckRequest,
    /// 注册资本 (出资额) in 万元, up to 4 decimals.
    pub registered_capital_wan: String,
    pub shareholders: Vec<Shareholder>,
    pub legal_rep: LegalRep,
    /// 住所, inside the district.
    pub registered_address: String,
    /// Codes from the standard list (business-scope.json).
    pub business_scope: Vec<String>,
    /// 经营期限 in years; `None` = 长期.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_years: Option<u32>,
}

/// One entry of the standard business scope list (经营范围规范表述, demo file
/// business-scope.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessScope {
    /// Stable code, e.g. `S0101`.
    pub code: String,
    /// 规范表述, e.g. `餐饮服务`.
    pub name: String,
    /// e.g. `餐饮住宿`.
    pub category: String,
    /// 后置许可: item code of the permit needed before operating, e.g. `SFQ-SJ-0511`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_item: Option<String>,
}
