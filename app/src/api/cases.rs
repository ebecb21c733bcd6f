//! 网上预审: sign-in, applications (cases), materials, staff review, 好差评 and progress lookup.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{BundleStatus, FieldSpec, Situation};

// ---------------------------------------------------------------------------------------------
// Sign-in

/// `POST /api/auth/otp`: send a one-time code to a mobile number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpRequest {
    /// Mainland mobile number, canonically 11 digits from `13` to `19`; as people type it
    /// (full-width digits, `+86`/`86`, spaces, dashes) it is normalised, never refused.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^1[3-9][0-9]{9}$"))]
    pub phone: String,
    /// Present when acting for a business: its 统一社会信用代码 (the phone is the 法定代表人's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpSent {
    /// e.g. `138****5678`.
    pub phone_masked: String,
    pub expires_in_seconds: u32,
    /// A new code can be asked for after this many seconds.
    pub resend_after_seconds: u32,
}

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpLogin {
    /// Mainland mobile number, canonically 11 digits from `13` to `19`; as people type it
    /// (full-width digits, `+86`/`86`, spaces, dashes) it is normalised, never refused.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^1[3-9][0-9]{9}$"))]
    pub phone: String,
    /// The six digits of the SMS.
    #[cfg_attr(feature = "openapi", schema(pattern = r"^\d{6}$"))]
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
}

/// `POST /api/company/agents`: the 法定代表人, signed in for the company, authorises a 经办人.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthoriseAgent {
    /// The 经办人's mobile number, canonically 11 digits from `13` to `19` (typed forms are
    /// normalised as at sign-in).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^1[3-9][0-9]{9}$"))]
    pub phone: String,
    /// The 经办人's name.
    pub name: String,
    /// Last day of the authorisation (`2026-12-31`, Beijing date); `None` = until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub expires_on: Option<String>,
}

/// The answer to [`AuthoriseAgent`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentAuthorised {
    pub uscc: String,
    pub phone_masked: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// `POST /api/staff/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffLogin {
    pub username: String,
    pub password: String,
    /// The password the person chooses: required when `password` is a one-time password set
    /// by a manager (the sign-in answers 409 `password_change_required` without it), and
    /// checked by `rules::staff_account::check_password`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// 部门审核人员: sees and acts only on its own department's cases.
    Reviewer,
    /// 中心管理者: everything, supervision, 差评 follow-up.
    Manager,
}

/// `GET /api/me`: who is signed in (externally tagged: `{"applicant": {…}}` or `{"staff": {…}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Me {
    Applicant {
        phone_masked: String,
        /// The business acted for, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        uscc: Option<String>,
        unread_messages: u32,
    },
    Staff {
        username: String,
        display_name: String,
        role: StaffRole,
        /// Department code for reviewers.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        department_name: Option<String>,
    },
}

/// `GET /api/session`: who is signed in, if anyone. Always 200, so that a signed-out visitor's
/// first page logs no failed request (`GET /api/me` answers 401 then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    /// `None` when nobody is signed in (or the session ended).
    pub me: Option<Me>,
}

// ---------------------------------------------------------------------------------------------
// Cases

/// Where a case stands. Transitions are `rules::case_flow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// 草稿: being filled in by the applicant.
    Draft,
    /// 待预审: submitted, waiting for the department.
    Submitted,
    /// 需补正: returned with a 一次性告知 notice.
    Returned,
    /// 预审通过.
    Approved,
    /// 不予受理.
    Rejected,
    /// 已办结.
    Completed,
    /// 已撤回.
    Withdrawn,
}

impl CaseStatus {
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Draft => "草稿",
            CaseStatus::Submitted => "待预审",
            CaseStatus::Returned => "需补正",
            CaseStatus::Approved => "预审通过",
            CaseStatus::Rejected => "不予受理",
            CaseStatus::Completed => "已办结",
            CaseStatus::Withdrawn => "已撤回",
        }
    }

    pub fn as_str(self) -> &'static str {
        super::wire_name::of(&self)
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        super::wire_name::parse(s)
    }

    /// The case is over: no one acts on it any more (it can still be rated).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            CaseStatus::Rejected | CaseStatus::Completed | CaseStatus::Withdrawn
        )
    }
}

/// Something a person does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// Applicant: first submission, or resubmission after 补正.
    Submit,
    /// Applicant: withdraw (撤回).
    Withdraw,
    /// Staff: 需补正, with one 一次性告知 notice.
    Return,
    /// Staff: 预审通过.
    Approve,
    /// Staff: 不予受理, with reason and legal basis.
    Reject,
    /// Staff: 办结.
    Complete,
}

impl CaseAction {
    pub fn label(self) -> &'static str {
        match self {
            CaseAction::Submit => "提交申请",
            CaseAction::Withdraw => "撤回申请",
            CaseAction::Return => "退回补正",
            CaseAction::Approve => "预审通过",
            CaseAction::Reject => "不予受理",
            CaseAction::Complete => "办结",
        }
    }
}

/// Due-date warning (红黄牌预警).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Warning {
    /// One working day or less left.
    Yellow,
    /// Overdue.
    Red,
}

/// A staff verdict on one material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 待审核.
    Pending,
    /// 合格.
    Accepted,
    /// 不合格 (with a reason).
    Rejected,
    /// 容缺 (with a deadline; only where the catalog allows it).
    Tolerated,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pending => "待审核",
            Verdict::Accepted => "合格",
            Verdict::Rejected => "不合格",
            Verdict::Tolerated => "容缺受理",
        }
    }
}

/// `PUT /api/applications/{id}`: the draft's answers and form values, saved as the user types.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftUpdate {
    /// Field id → value.
    pub form: BTreeMap<String, String>,
    /// 情形引导 answers (question id → option value).
    pub answers: BTreeMap<String, String>,
}

/// `POST /api/applications`: start a draft for an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewApplication {
    pub item_code: String,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
}

/// One stored version of an uploaded material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadInfo {
    pub id: String,
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png` (from the content, not the name).
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// RFC 3339.
    pub uploaded_at: String,
    /// Older versions are kept after a replacement.
    pub current: bool,
    /// 自动获取: attached by the system, not uploaded — where it came from, e.g.
    /// `助产机构（系统调取）` or `电子营业执照（本区核发）`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
}

/// A required material of a case, with its uploads and the staff verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMaterial {
    pub material_id: String,
    pub name: String,
    pub note: Option<String>,
    /// Must be uploaded before submitting (容缺 materials are not).
    pub required: bool,
    pub tolerance_allowed: bool,
    /// 告知承诺: a pledge may replace the proof.
    pub pledge_allowed: bool,
    pub verdict: Verdict,
    /// Why it is 不合格, or what the 容缺 still needs.
    pub reason: Option<String>,
    /// 容缺 deadline `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// Newest first.
    pub uploads: Vec<UploadInfo>,
    /// 自动获取: the system supplies it (nothing to upload) — what the applicant reads about it,
    /// see `rules::auto_fetch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_fetched: Option<String>,
}

/// One entry of a case's timeline (also what `/track` shows, masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseEvent {
    /// RFC 3339.
    pub at: String,
    /// e.g. `申请人`, `示范区公安分局 审核人员`, `系统`.
    pub actor: String,
    /// e.g. `提交申请`, `退回补正`.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// 一次性告知: every problem of a returned case, told at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    /// RFC 3339.
    pub issued_at: String,
    pub department: String,
    pub reviewer: String,
    pub problems: Vec<NoticeProblem>,
    /// General remarks from the reviewer.
    pub note: String,
    /// Correct by this date (`YYYY-MM-DD`), counted in working days.
    pub respond_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeProblem {
    pub material: String,
    pub problem: String,
}

/// The result of a decision that needs more than a status: 不予受理 and 预审通过.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outcome {
    pub action: CaseAction,
    pub note: String,
    /// 不予受理: the legal basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// 预审通过: what to bring, where, by when — or that it was accepted online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
}

/// 好差评 levels, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RatingLevel {
    VerySatisfied,
    Satisfied,
    Neutral,
    Dissatisfied,
    VeryDissatisfied,
}

impl RatingLevel {
    pub const ALL: [RatingLevel; 5] = [
        RatingLevel::VerySatisfied,
        RatingLevel::Satisfied,
        RatingLevel::Neutral,
        RatingLevel::Dissatisfied,
        RatingLevel::VeryDissatisfied,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RatingLevel::VerySatisfied => "非常满意",
            RatingLevel::Satisfied => "满意",
            RatingLevel::Neutral => "基本满意",
            RatingLevel::Dissatisfied => "不满意",
            RatingLevel::VeryDissatisfied => "非常不满意",
        }
    }

    /// 差评: goes to the centre manager for 整改.
    pub fn is_bad(self) -> bool {
        matches!(
            self,
            RatingLevel::Dissatisfied | RatingLevel::VeryDissatisfied
        )
    }
}

/// `POST /api/applications/{id}/rating`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    pub level: RatingLevel,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub level: RatingLevel,
    pub comment: String,
    pub rated_at: String,
    /// The centre manager's recorded 整改 answer to a 差评.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rectification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rectified_at: Option<String>,
}

/// A case as listed (我的办件, staff queue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: String,
    /// 受理编号, once submitted.
    pub number: Option<String>,
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    pub department_code: String,
    pub status: CaseStatus,
    /// Masked applicant name (张*三) — full values only on the detail page of its owner/staff.
    pub applicant: String,
    pub created_at: String,
    /// RFC 3339 of the last change (a draft's last save: “上次保存 11月25日 14:05”).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    pub submitted_at: Option<String>,
    /// Promised due date `YYYY-MM-DD`, counted in working days from submission.
    pub due_date: Option<String>,
    /// Working days left (negative = overdue) while the department still has to act.
    pub days_left: Option<i64>,
    pub warning: Option<Warning>,
    /// The 一件事 this case was applied for with; absent for a case applied for on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle: Option<CaseBundle>,
}

impl CaseSummary {
    /// A 一件事 member held until its predecessors are approved: the system submits it, the
    /// applicant has nothing to fill in (`bundle.waiting_for` names the predecessors).
    pub fn is_waiting(&self) -> bool {
        self.status == CaseStatus::Draft
            && self
                .bundle
                .as_ref()
                .is_some_and(|b| !b.waiting_for.is_empty())
    }
}

/// The 一件事 (bundle application) a case belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseBundle {
    /// The bundle application's id (`/my/bundles/{id}` for its applicant).
    pub id: String,
    /// e.g. `出生一件事`.
    pub name: String,
    /// The bundle application's 受理编号.
    pub number: Option<String>,
    /// While held: the short names (as the bundle calls them, e.g. `出生医学证明`) of the members
    /// still to be approved before this one is submitted by the system; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting_for: Vec<String>,
    /// While held: the latest promised due date `YYYY-MM-DD` of those members (counted in
    /// working days with the shared calendar when they were submitted) — when this one can be
    /// expected to go out; absent while any of them has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_by: Option<String>,
}

/// Another member of the same 一件事, as a case's detail lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSibling {
    pub case_id: String,
    /// The member's short name in the bundle, e.g. `新生儿落户`.
    pub short_name: String,
    pub item_name: String,
    pub department: String,
    /// A member held for a predecessor is a `draft` with `waiting` set.
    pub status: CaseStatus,
    pub waiting: bool,
    pub number: Option<String>,
    /// The viewer may open this member's case (a reviewer only its own department's).
    pub open: bool,
}

/// A case in full: `GET /api/applications/{id}` (owner) and `GET /api/staff/cases/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub form_spec: Vec<FieldSpec>,
    pub form: BTreeMap<String, String>,
    pub answers: BTreeMap<String, String>,
    /// The 情形 questions of the case's 办事指南 (its version): the form asks those not yet
    /// answered before the materials, which follow the answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub situations: Vec<Situation>,
    /// Ids of the unanswered questions some listed material depends on
    /// (`rules::tailor::Tailored::open_questions`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_questions: Vec<String>,
    pub materials: Vec<CaseMaterial>,
    /// Oldest first.
    pub timeline: Vec<CaseEvent>,
    /// The current 一次性告知, while the case is returned.
    pub notice: Option<Notice>,
    pub outcome: Option<Outcome>,
    pub rating: Option<Rating>,
    /// What the viewer may do now.
    pub actions: Vec<CaseAction>,
    /// 受理日 `YYYY-MM-DD` of the last submission, from which the promised working days count
    /// (`rules::working_hours::acceptance_day`); absent before submission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<String>,
    /// Submitted outside working hours or on a rest day, so accepted on a later day:
    /// the page says “非工作时间提交，顺延至 X月X日 受理”.
    #[serde(default)]
    pub acceptance_deferred: bool,
    /// The other members of its 一件事 in bundle order (empty for a case on its own).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub siblings: Vec<CaseSibling>,
    /// 企业开办: the company facts asked once for the whole 一件事, on the member that registers
    /// the company (企业设立登记).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<CompanySheet>,
    /// A 一件事 with a promise in working hours (企业开办 3 小时): its clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour_clock: Option<super::HourClock>,
    /// The version of the item's 办事指南 the case is filed under (“按第 N 版办事指南提交”);
    /// its materials and form are that version's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide_version: Option<i64>,
}

/// 企业开办's company facts as the reviewer reads them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompanySheet {
    /// The proposed full name, e.g. `示范区青禾餐饮管理有限公司`.
    pub company_name: String,
    pub facts: super::CompanyFacts,
    /// The 经营范围 in its 规范表述 (names of `facts.business_scope`), in order.
    pub scope_names: Vec<String>,
}

/// `POST /api/applications/{id}/submit` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    pub id: String,
    /// 受理编号, e.g. `SFQ-20261125-0007`.
    pub number: String,
    /// Promised due date `YYYY-MM-DD`; `None` when it reaches a year whose holiday schedule is
    /// not yet published (the timeline says so).
    pub due_date: Option<String>,
}

/// `PUT /api/staff/cases/{id}/materials/{material_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialReview {
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Required for 容缺: `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Date))]
    pub deadline: Option<String>,
}

/// `POST /api/staff/cases/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub action: CaseAction,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
}

/// `GET`/`PUT /api/applications/{id}/sms-notices`: whether the case's status changes (受理,
/// 需补正, 办结, 不予受理) are also sent by SMS to the applicant's phone. On by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsNotices {
    pub enabled: bool,
}

/// An in-app message (站内消息) about a change to one of the applicant's cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub id: String,
    pub case_id: String,
    pub text: String,
    pub at: String,
    pub read: bool,
}

/// `GET /api/track?number=&phone4=`: progress without signing in, personal data masked.
///
/// The number may be a single case's or a 一件事 (bundle) application's. For a bundle,
/// `item_name` is the bundle's name (出生一件事), `department` the member departments joined
/// with 、, `status` a summary of the members (see `bundle_status` for the bundle's own word),
/// `due_date` the latest member due date once every member is with its department, `timeline`
/// the bundle's own events (submission, completion), and `members` each member's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackResult {
    pub number: String,
    pub item_name: String,
    pub department: String,
    /// 张*三
    pub applicant: String,
    /// For a bundle: `returned` while any member is returned (需补正); `approved` when every
    /// member still open is approved (only 办结 left); `submitted` while any other member is
    /// with its department or waiting for a predecessor; once every member is over,
    /// `completed` if any member was completed, else `rejected` if any was refused, else
    /// `withdrawn`.
    pub status: CaseStatus,
    pub due_date: Option<String>,
    pub timeline: Vec<CaseEvent>,
    /// A bundle's members in bundle order; empty (and absent) for a single case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<TrackMember>,
    /// A bundle's status (办理中, 需补正, 已办结); absent for a single case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bundle_status: Option<BundleStatus>,
}

/// One member of a bundle as `/api/track` shows it: no case id, no personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackMember {
    /// The item's full name.
    pub item_name: String,
    /// Department's full name.
    pub department: String,
    /// A member held until a predecessor is approved is a `draft` with `waiting` set.
    pub status: CaseStatus,
    /// The member case's own 受理编号, once passed to its department.
    pub number: Option<String>,
    /// Held until a predecessor member is approved.
    pub waiting: bool,
    /// Promised due date `YYYY-MM-DD`, once passed to its department.
    pub due_date: Option<String>,
}

/// One audit log entry (append-only): who, when, what, from where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
    /// Client address.
    pub address: String,
}

/// A 差评 waiting for (or answered with) the manager's 整改.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingFollowUp {
    pub case: CaseSummary,
    pub rating: Rating,
}

/// `POST /api/manager/ratings/{case_id}/rectification`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rectification {
    pub answer: String,
}

/// `GET /api/applications` (mine) and `GET /api/staff/cases` (queue, most urgent first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseList {
    pub cases: Vec<CaseSummary>,
}

/// `GET /api/messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageList {
    pub messages: Vec<Message>,
    pub unread: u32,
}

/// `GET /api/staff/cases/{id}/audit` (managers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
}

/// `GET /api/manager/ratings`: 差评 to follow up, unanswered first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpList {
    pub follow_ups: Vec<RatingFollowUp>,
}
