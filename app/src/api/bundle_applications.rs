//! Applying for a 一件事一次办 bundle: the draft, its one submission, and the combined progress of
//! the member cases it fans out to (one per department, each an ordinary 网上预审 case).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    BusinessScope, CaseStatus, CompanyFacts, FieldSpec, MergedMaterial, Notice, UploadInfo,
};

/// `POST /api/bundle-applications`: start a bundle draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBundleApplication {
    /// e.g. `company`, `birth`.
    pub bundle_code: String,
    /// Bundle question id → option value.
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// Where a bundle application stands, derived from its member cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BundleStatus {
    /// 草稿: not submitted yet.
    Draft,
    /// 办理中: some member case is still with its department or waiting for a predecessor.
    InProgress,
    /// 需补正: at least one member case was returned; see the merged 一次性告知.
    NeedsCorrection,
    /// 已办结: every member case is over (办结, 不予受理 or 撤回).
    Done,
}

impl BundleStatus {
    pub fn label(self) -> &'static str {
        match self {
            BundleStatus::Draft => "草稿",
            BundleStatus::InProgress => "办理中",
            BundleStatus::NeedsCorrection => "需补正",
            BundleStatus::Done => "已办结",
        }
    }
}

/// One material of the bundle's single set, with what the applicant uploaded for it (once, for
/// every member using it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleMaterial {
    pub material: MergedMaterial,
    /// Newest first (drafts only; after submission each member case holds its own copy).
    pub uploads: Vec<UploadInfo>,
}

/// One member of a bundle application and the case it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleMemberProgress {
    pub item_code: String,
    /// The item's full name.
    pub item_name: String,
    /// The bundle's short name for it.
    pub short_name: String,
    pub department_code: String,
    /// Department's full name.
    pub department: String,
    /// 1 for members that start at once, 2 for those waiting on a stage-1 member, ….
    pub stage: u32,
    pub promised_days: u32,
    /// The member case, once the bundle is submitted (open it with `/api/applications/{id}`).
    pub case_id: Option<String>,
    /// The member case's own 受理编号, once passed to its department.
    pub number: Option<String>,
    /// The member case's status; a member waiting for a predecessor is a `draft`.
    pub status: Option<CaseStatus>,
    /// Item codes of members still to be approved before this one is passed to its department.
    pub waiting_for: Vec<String>,
    pub due_date: Option<String>,
}

/// One returned member case's 一次性告知.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberNotice {
    pub case_id: String,
    pub item_code: String,
    pub item_name: String,
    pub number: Option<String>,
    pub notice: Notice,
}

/// The returned member cases of one department.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentNotices {
    pub department: String,
    pub cases: Vec<MemberNotice>,
}

/// The ONE 一次性告知 of a bundle: every returned member's notice, grouped by department.
/// Each member is corrected and resubmitted as its own case (`/api/applications/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleNotice {
    /// Problems over all departments.
    pub problem_count: u32,
    /// The earliest correction deadline (`YYYY-MM-DD`), empty when none is known.
    pub respond_by: String,
    pub departments: Vec<DepartmentNotices>,
}

/// 企业开办's working-hours clock: working hours (working days × 9:00–12:00 and 13:30–17:00
/// Beijing time) from submission until the last member case was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HourClock {
    /// RFC 3339: the bundle's submission.
    pub started_at: String,
    /// RFC 3339: when the last member case was decided; `None` while running.
    pub stopped_at: Option<String>,
    pub running: bool,
    /// Working minutes so far; `None` when the span reaches a year whose holidays are not
    /// published.
    pub working_minutes: Option<u32>,
    /// The promise, e.g. 3 (企业开办 3 个工作小时内办结).
    pub promised_hours: u32,
    /// Within the promise so far (or in the end); `None` when unknown.
    pub within_promise: Option<bool>,
    /// e.g. `已用 1 小时 20 分钟，承诺 3 小时内办结`.
    pub text: String,
}

/// `GET /api/bundle-applications/{id}`: a bundle application, as a draft or as the combined
/// progress of its member cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleApplicationDetail {
    pub id: String,
    pub bundle_code: String,
    pub bundle_name: String,
    pub status: BundleStatus,
    /// The bundle's one 受理编号, once submitted.
    pub number: Option<String>,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub completed_at: Option<String>,
    pub answers: BTreeMap<String, String>,
    /// Bundle field id → value.
    pub form: BTreeMap<String, String>,
    pub company: Option<CompanyFacts>,
    /// Bundle questions still unanswered (a submission needs none).
    pub open_questions: Vec<String>,
    /// The one form to fill under the answers (`rules::bundle::bundle_form`).
    pub form_spec: Vec<FieldSpec>,
    /// 企业开办: the company facts are asked (and checked on submission).
    pub needs_company: bool,
    /// The one set of materials, duplicates removed.
    pub materials: Vec<BundleMaterial>,
    /// Members' own application forms the bundle form replaces.
    pub replaced_forms: Vec<MergedMaterial>,
    /// Included members in bundle order.
    pub members: Vec<BundleMemberProgress>,
    /// The merged 一次性告知 while one or more members are returned.
    pub notice: Option<BundleNotice>,
    /// 统一社会信用代码 issued with the business licence.
    pub uscc: Option<String>,
    /// 企业开办 only, once submitted.
    pub clock: Option<HourClock>,
    pub total_promised_days: u32,
}

/// A bundle application as listed (mine, or the manager's overview).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleApplicationSummary {
    pub id: String,
    pub bundle_code: String,
    pub bundle_name: String,
    pub icon: String,
    pub status: BundleStatus,
    pub number: Option<String>,
    /// Masked applicant name (张*三), from the form.
    pub applicant: String,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub completed_at: Option<String>,
    /// Member cases in all, and those over or approved.
    pub members_total: u32,
    pub members_decided: u32,
    pub uscc: Option<String>,
    pub clock: Option<HourClock>,
}

/// `GET /api/bundle-applications` (mine, newest first) and `GET /api/manager/bundles`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleApplicationList {
    pub applications: Vec<BundleApplicationSummary>,
}

/// `GET /api/business-scopes`: the standard business scope list (经营范围规范表述).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessScopeList {
    pub scopes: Vec<BusinessScope>,
}
