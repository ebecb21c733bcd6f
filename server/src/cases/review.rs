//! The department's side: the review queue, verdicts per material, and decisions — 退回补正
//! with one 一次性告知 notice, 预审通过, 不予受理, 办结 — plus the manager's supervision.

use app::api::wire_name;
use app::api::{
    AuditLog, CaseAction, CaseDetail, CaseList, CaseStatus, Decision, MaterialReview, Notice,
    NoticeProblem, Outcome, Verdict, Warning,
};
use app::rules::case_flow::Actor;
use app::rules::date::Date;
use app::rules::tailor::tailor;
use axum::extract::{Path, State};
use axum::Json;
use std::collections::BTreeMap;

use super::store::{self, CaseRow};
use super::view::{self, Viewer};
use crate::audit;
use crate::auth::{CentreManager, Staff, StaffUser};
use crate::client_address::ClientAddress;
use crate::clock;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::json_body::JsonBody;
use crate::params::Params;
use crate::workflow::{self, changed_meanwhile, Change, Record};
use crate::AppState;

/// Working days an applicant has to correct a returned case.
const RESPOND_WORKING_DAYS: u32 = 5;
const MAX_TEXT: usize = 1000;

/// A case this member of staff may see: submitted at least once and of its department (any
/// department for the manager). Anything else is the same 404 as a case that does not exist.
pub async fn visible(db: &Db, staff: &StaffUser, id: &str) -> AppResult<CaseRow> {
    store::find(db, id)
        .await?
        .filter(|c| c.number.is_some() && staff.covers(&c.department_code))
        .ok_or_else(super::routes::not_found)
}

/// How the timeline names staff: by department and role, never by person.
fn timeline_actor(case: &CaseRow, staff: &StaffUser) -> String {
    if staff.is_manager() {
        "政务服务中心 管理人员".into()
    } else {
        format!("{} 审核人员", case.department_name)
    }
}

async fn staff_detail(
    state: &AppState,
    staff: &StaffUser,
    id: &str,
) -> AppResult<Json<CaseDetail>> {
    let case = visible(&state.db, staff, id).await?;
    Ok(Json(
        view::detail(
            &state.db,
            &state.calendar(),
            &case,
            Viewer::Staff(staff),
            clock::today_beijing(),
        )
        .await?,
    ))
}

/// The review queue: the reviewer's own department (all departments for the manager), most
/// urgent first. Drafts are never listed. At the window a case is found by its 受理编号 (of the
/// case or of its 一件事), the applicant's name or phone (`q`), and narrowed to one item or one
/// warning colour.
#[utoipa::path(get, path = "/api/staff/cases", tag = "预审",
    params(
        ("status" = Option<String>, Query, pattern = "^(submitted|returned|approved|rejected|completed|withdrawn)$", description = "只看某一状态：submitted、returned、approved、rejected、completed、withdrawn"),
        ("q" = Option<String>, Query, max_length = 100, description = "受理编号（或其一部分）、申请人姓名或手机号码"),
        ("item" = Option<String>, Query, max_length = 64, description = "只看某一事项（事项编码）"),
        ("warning" = Option<String>, Query, pattern = "^(red|yellow)$", description = "只看某一预警：red（已超期）或 yellow（剩1个工作日内）"),
    ),
    responses((status = 200, body = CaseList), (status = 400, body = app::api::ApiError), (status = 401, body = app::api::ApiError)))]
pub async fn queue(
    State(state): State<AppState>,
    Staff(staff): Staff,
    params: Params,
) -> AppResult<Json<CaseList>> {
    let status = match params.text("status", "办件状态", 20)? {
        None => None,
        Some(s) => Some(CaseStatus::parse(&s).filter(|s| *s != CaseStatus::Draft).ok_or_else(|| {
            AppError::bad_param("status", "办件状态（参数 status）只能是 submitted、returned、approved、rejected、completed 或 withdrawn")
        })?),
    };
    let warning = match params.text("warning", "预警", 10)?.as_deref() {
        None => None,
        Some("red") => Some(Warning::Red),
        Some("yellow") => Some(Warning::Yellow),
        Some(_) => {
            return Err(AppError::bad_param(
                "warning",
                "预警（参数 warning）只能是 red（已超期）或 yellow（剩1个工作日内）",
            ))
        }
    };
    let search = params
        .text("q", "查找内容", 40)?
        .map(|q| QueueSearch::new(&q))
        .filter(|q| !q.is_empty());
    let filter = store::StaffFilter {
        department: if staff.is_manager() {
            None
        } else {
            // A reviewer without a department sees nothing rather than everything.
            Some(staff.department.clone().unwrap_or_default())
        },
        status,
        item_code: params.text("item", "事项", 64)?,
        contains: search.as_ref().map(|q| q.text.clone()),
        phone_digits: search.as_ref().and_then(|q| q.digits.clone()),
    };
    let rows = store::for_staff(&state.db, &filter).await?;
    let today = clock::today_beijing();
    let summaries = view::summaries(&state.db, &state.calendar(), &rows, today).await?;
    let mut cases: Vec<_> = rows
        .iter()
        .zip(summaries)
        .filter(|(row, s)| search.as_ref().is_none_or(|q| q.matches(row, s)))
        .map(|(_, s)| s)
        .filter(|s| warning.is_none() || s.warning == warning)
        .collect();
    view::sort_by_urgency(&mut cases);
    Ok(Json(CaseList { cases }))
}

/// What the window looks for in the queue: a 受理编号 (or part of one), a name, or a phone.
struct QueueSearch {
    /// Lower-case text as typed, for 受理编号 and names.
    text: String,
    /// The digits of a phone number as typed (全角, spaces, dashes, +86 allowed), if it can be
    /// (part of) one.
    digits: Option<String>,
}

impl QueueSearch {
    fn new(q: &str) -> QueueSearch {
        let text = q.trim();
        let digits = app::rules::phone::normalize_mobile(text);
        let is_phone = digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit());
        QueueSearch {
            text: text.to_lowercase(),
            digits: is_phone.then_some(digits),
        }
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The precise test after the database's coarse pass.
    fn matches(&self, row: &CaseRow, summary: &app::api::CaseSummary) -> bool {
        let numbers = [
            row.number.as_deref(),
            summary.bundle.as_ref().and_then(|b| b.number.as_deref()),
        ];
        if numbers
            .iter()
            .flatten()
            .any(|n| n.to_lowercase().contains(&self.text))
        {
            return true;
        }
        let name = if row.applicant_name.is_empty() {
            app::rules::form::applicant_name(&row.form).unwrap_or("")
        } else {
            &row.applicant_name
        };
        if !name.is_empty() && name.to_lowercase().contains(&self.text) {
            return true;
        }
        let Some(digits) = &self.digits else {
            return false;
        };
        let phones = [
            Some(row.applicant_phone.as_str()),
            row.form.get("phone").map(String::as_str),
            row.form.get("contact_phone").map(String::as_str),
        ];
        phones
            .iter()
            .flatten()
            .any(|p| app::rules::phone::normalize_mobile(p).contains(digits.as_str()))
    }
}

/// One case in full, for review.
#[utoipa::path(get, path = "/api/staff/cases/{id}", tag = "预审",
    params(("id" = String, Path, description = "办件 id")),
    responses((status = 200, body = CaseDetail), (status = 401, body = app::api::ApiError), (status = 404, body = app::api::ApiError)))]
pub async fn get_one(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    let case = visible(&state.db, &staff, &id).await?;
    // Reading an applicant's personal data is itself recorded.
    audit::record(
        &state.db.pool,
        audit::Entry {
            actor: &staff.audit_name(),
            action: "查看办件",
            detail: case.number.as_deref().unwrap_or(""),
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    staff_detail(&state, &staff, &id).await
}

fn required_text(
    value: Option<&str>,
    field: &str,
    missing: &str,
) -> Result<String, (String, String)> {
    let text = value.map(str::trim).unwrap_or("");
    if text.is_empty() {
        Err((field.into(), missing.into()))
    } else if text.chars().count() > MAX_TEXT {
        Err((field.into(), format!("内容最多 {MAX_TEXT} 个字")))
    } else {
        Ok(text.to_string())
    }
}

/// Records the verdict on one material: 合格, 不合格 (with the reason), 容缺 (where allowed,
/// with a deadline), or back to 待审核.
#[utoipa::path(put, path = "/api/staff/cases/{id}/materials/{material_id}", tag = "预审",
    params(("id" = String, Path, description = "办件 id"), ("material_id" = String, Path, description = "材料 id")),
    request_body = MaterialReview,
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 400, body = app::api::ApiError, description = "缺少原因、不允许容缺或期限无效"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "办件不在待预审状态"),
    ))]
pub async fn review_material(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ClientAddress(address): ClientAddress,
    Path((id, material_id)): Path<(String, String)>,
    JsonBody(review): JsonBody<MaterialReview>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let case = visible(db, &staff, &id).await?;
    if case.status != CaseStatus::Submitted {
        return Err(AppError::conflict(
            "invalid_state",
            format!(
                "只有“待预审”的办件可以审核材料，该办件当前为“{}”",
                case.status.label()
            ),
        ));
    }
    let guide = store::guide(db, &id).await?;
    let material = tailor(&guide, &case.answers)
        .materials
        .into_iter()
        .map(|m| m.item)
        .find(|m| m.id == material_id)
        .ok_or_else(|| AppError::not_found("该办件没有这项材料"))?;
    let uploads = store::uploads(db, &id).await?;
    let uploaded = uploads
        .get(&material_id)
        .is_some_and(|list| list.iter().any(|u| u.current));
    let today = clock::today_beijing();
    let (reason, deadline) = match review.verdict {
        Verdict::Pending => (None, None),
        Verdict::Accepted => {
            if !uploaded {
                return Err(AppError::bad_param(
                    "verdict",
                    "该材料尚未上传，不能判定为合格",
                ));
            }
            (None, None)
        }
        Verdict::Rejected => {
            let reason = required_text(review.reason.as_deref(), "reason", "请填写不合格原因")
                .map_err(|(f, m)| AppError::bad_param(&f, m))?;
            (Some(reason), None)
        }
        Verdict::Tolerated => {
            if !material.tolerance {
                return Err(AppError::bad_param("verdict", "该材料不允许容缺受理"));
            }
            let deadline = review
                .deadline
                .as_deref()
                .map(str::trim)
                .and_then(Date::parse)
                .filter(|d| *d > today);
            let Some(deadline) = deadline else {
                return Err(AppError::bad_param(
                    "deadline",
                    "请填写容缺补交期限：今天以后的日期，格式如 2026-12-01",
                ));
            };
            let reason = review
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty());
            let reason = reason.map(|r| r.chars().take(MAX_TEXT).collect());
            (reason, Some(deadline.to_string()))
        }
    };

    let now = clock::now_text();
    let mut tx = db.pool.begin().await?;
    let still =
        sqlx::query("UPDATE cases SET updated_at = $2 WHERE id = $1 AND status = 'submitted'")
            .bind(&id)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if still == 0 {
        return Err(changed_meanwhile());
    }
    if review.verdict == Verdict::Pending {
        sqlx::query("DELETE FROM material_reviews WHERE case_id = $1 AND material_id = $2")
            .bind(&id)
            .bind(&material_id)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query(
            "INSERT INTO material_reviews (case_id, material_id, verdict, reason, deadline, reviewer, reviewed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (case_id, material_id) DO UPDATE SET verdict = excluded.verdict, reason = excluded.reason, \
             deadline = excluded.deadline, reviewer = excluded.reviewer, reviewed_at = excluded.reviewed_at",
        )
        .bind(&id)
        .bind(&material_id)
        .bind(wire_name::of(&review.verdict))
        .bind(&reason)
        .bind(&deadline)
        .bind(&staff.username)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let mut detail = format!("{}：{}", material.name, review.verdict.label());
    if let Some(r) = &reason {
        detail.push_str(&format!("（{r}）"));
    }
    if let Some(d) = &deadline {
        detail.push_str(&format!("，补交期限 {d}"));
    }
    audit::record(
        &mut *tx,
        audit::Entry {
            actor: &staff.audit_name(),
            action: "审核材料",
            detail: &detail,
            case_id: Some(&id),
            address: &address,
        },
    )
    .await?;
    tx.commit().await?;
    staff_detail(&state, &staff, &id).await
}

/// The decision on a case: `return` (需补正, with the 一次性告知 built from the verdicts),
/// `approve` (预审通过, with next steps), `reject` (不予受理, with reason and legal basis) or
/// `complete` (办结, after approval).
#[utoipa::path(post, path = "/api/staff/cases/{id}/decision", tag = "预审",
    params(("id" = String, Path, description = "办件 id")),
    request_body = Decision,
    responses(
        (status = 200, body = CaseDetail),
        (status = 401, body = app::api::ApiError, description = "未登录工作人员账号"),
        (status = 400, body = app::api::ApiError, description = "缺少必填内容或材料审核未完成"),
        (status = 404, body = app::api::ApiError),
        (status = 409, body = app::api::ApiError, description = "当前状态不能执行该操作"),
        (status = 422, body = app::api::ApiError, description = "退回补正时仍有待审核的材料（materials_pending）"),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    JsonBody(decision): JsonBody<Decision>,
) -> AppResult<Json<CaseDetail>> {
    let db = &state.db;
    let case = visible(db, &staff, &id).await?;
    let to = workflow::next(case.status, decision.action, Actor::Staff)?;
    let guide = store::guide(db, &id).await?;
    let reviews = store::reviews(db, &id).await?;
    // Every material shown at submission was required then, so every one needs a verdict now.
    let materials: Vec<_> = tailor(&guide, &case.answers)
        .materials
        .into_iter()
        .map(|m| m.item)
        .collect();
    let verdict_of = |id: &str| reviews.get(id).map_or(Verdict::Pending, |r| r.verdict);
    let note = decision
        .note
        .trim()
        .chars()
        .take(MAX_TEXT)
        .collect::<String>();
    let today = clock::today_beijing();
    let number = case.number.clone().unwrap_or_default();

    let mut notice = None;
    let mut outcome = None;
    let (title, event_detail, message) = match decision.action {
        CaseAction::Return => {
            // The 一次性告知 tells everything at once: a material nobody has looked at yet could
            // be the reason for a second return.
            let pending: Vec<&str> = materials
                .iter()
                .filter(|m| verdict_of(&m.id) == Verdict::Pending)
                .map(|m| m.name.as_str())
                .collect();
            if !pending.is_empty() {
                return Err(AppError::unprocessable(
                    "materials_pending",
                    format!(
                        "退回补正前，请先审核仍为“待审核”的材料：{}（每项选择合格、不合格或容缺），一次性告知才完整",
                        pending.join("、")
                    ),
                ));
            }
            // Every 不合格 material first, then what was accepted 容缺 and is still owed.
            let mut problems = Vec::new();
            for m in &materials {
                if let Some(r) = reviews
                    .get(&m.id)
                    .filter(|r| r.verdict == Verdict::Rejected)
                {
                    problems.push(NoticeProblem {
                        material: m.name.clone(),
                        problem: r.reason.clone().unwrap_or_default(),
                    });
                }
            }
            for m in &materials {
                if let Some(r) = reviews
                    .get(&m.id)
                    .filter(|r| r.verdict == Verdict::Tolerated)
                {
                    problems.push(NoticeProblem {
                        material: m.name.clone(),
                        problem: format!(
                            "容缺受理，请于 {} 前补交{}",
                            r.deadline.as_deref().unwrap_or(""),
                            r.reason
                                .as_deref()
                                .map(|x| format!("（{x}）"))
                                .unwrap_or_default()
                        ),
                    });
                }
            }
            let rejected = materials
                .iter()
                .filter(|m| verdict_of(&m.id) == Verdict::Rejected)
                .count();
            if rejected == 0 {
                return Err(AppError::bad_param(
                    "materials",
                    "退回补正前，请至少将一项材料标记为不合格并写明原因",
                ));
            }
            let (respond_by, mut full_note) = match state
                .calendar()
                .add_working_days(today, RESPOND_WORKING_DAYS)
            {
                Ok(d) => (d.to_string(), note.clone()),
                Err(e) => (
                    String::new(),
                    format!("{note}（补正期限：{e}，请咨询窗口）"),
                ),
            };
            full_note = full_note.trim().to_string();
            let text = format!(
                "您的“{}”申请（受理编号 {number}）需要补正：共 {rejected} 项材料不符合要求，请按一次性告知书一次补齐{}后重新提交。",
                case.item_name,
                if respond_by.is_empty() { String::new() } else { format!("，并于 {respond_by} 前") }
            );
            notice = Some(Notice {
                issued_at: clock::now_text(),
                department: case.department_name.clone(),
                reviewer: staff.display_name.clone(),
                problems,
                note: full_note,
                respond_by,
            });
            (
                "退回补正",
                format!("一次性告知：{rejected} 项材料需补正"),
                text,
            )
        }
        CaseAction::Approve => {
            let open: Vec<&str> = materials
                .iter()
                .filter(|m| matches!(verdict_of(&m.id), Verdict::Pending | Verdict::Rejected))
                .map(|m| m.name.as_str())
                .collect();
            let mut errors = BTreeMap::new();
            if !open.is_empty() {
                errors.insert(
                    "materials".to_string(),
                    format!("以下材料尚未审核合格：{}", open.join("、")),
                );
            }
            let next_steps = required_text(
                decision.next_steps.as_deref(),
                "next_steps",
                "请填写下一步：需携带的材料、办理地点和时间，或“已网上受理，无需到现场”",
            );
            if let Err((f, m)) = &next_steps {
                errors.insert(f.clone(), m.clone());
            }
            if !errors.is_empty() {
                return Err(AppError::fields(errors));
            }
            let next_steps = next_steps.unwrap_or_default();
            let text = format!(
                "您的“{}”申请（受理编号 {number}）预审通过。下一步：{next_steps}",
                case.item_name
            );
            outcome = Some(Outcome {
                action: CaseAction::Approve,
                note: note.clone(),
                legal_basis: None,
                next_steps: Some(next_steps.clone()),
            });
            ("预审通过", next_steps, text)
        }
        CaseAction::Reject => {
            let mut errors = BTreeMap::new();
            let reason = required_text(Some(&decision.note), "note", "请填写不予受理的理由");
            let basis = required_text(
                decision.legal_basis.as_deref(),
                "legal_basis",
                "请填写不予受理的法律依据",
            );
            for (f, m) in [&reason, &basis]
                .into_iter()
                .filter_map(|r| r.as_ref().err())
            {
                errors.insert(f.clone(), m.clone());
            }
            if !errors.is_empty() {
                return Err(AppError::fields(errors));
            }
            let (reason, basis) = (reason.unwrap_or_default(), basis.unwrap_or_default());
            let text = format!(
                "您的“{}”申请（受理编号 {number}）不予受理。理由：{reason}；依据：{basis}。如有疑问请拨打 12345。",
                case.item_name
            );
            outcome = Some(Outcome {
                action: CaseAction::Reject,
                note: reason.clone(),
                legal_basis: Some(basis.clone()),
                next_steps: None,
            });
            ("不予受理", format!("{reason}（依据：{basis}）"), text)
        }
        CaseAction::Complete => (
            "办结",
            note.clone(),
            format!(
                "您的“{}”申请（受理编号 {number}）已办结，欢迎对本次服务作出评价。",
                case.item_name
            ),
        ),
        // The state machine gives staff no other action.
        CaseAction::Submit | CaseAction::Withdraw => return Err(changed_meanwhile()),
    };

    let mut tx = db.pool.begin().await?;
    let change = Change::start(&mut tx, &case, to).await?;
    if let Some(notice) = &notice {
        sqlx::query("UPDATE cases SET notice = $2 WHERE id = $1")
            .bind(&id)
            .bind(store::to_json(notice)?)
            .execute(&mut *tx)
            .await?;
    }
    if let Some(outcome) = &outcome {
        sqlx::query("UPDATE cases SET outcome = $2 WHERE id = $1")
            .bind(&id)
            .bind(store::to_json(outcome)?)
            .execute(&mut *tx)
            .await?;
    }
    let event_detail = Some(event_detail).filter(|d| !d.is_empty());
    let audit_detail = format!("{number} {}", event_detail.as_deref().unwrap_or(""));
    let record = Record {
        case_id: &id,
        timeline_actor: &timeline_actor(&case, &staff),
        title,
        detail: event_detail.as_deref(),
        audit_actor: &staff.audit_name(),
        audit_action: title,
        audit_detail: audit_detail.trim(),
        message: Some((&case.applicant_id, &message)),
    };
    // A bundle member: release its successors, issue the business code, end the bundle …
    change.finish(&state, &mut tx, record, &address).await?;
    tx.commit().await?;
    workflow::notices::status_changed(&state, &id).await;
    staff_detail(&state, &staff, &id).await
}

/// A case's audit log (centre manager only).
#[utoipa::path(get, path = "/api/staff/cases/{id}/audit", tag = "督办",
    params(("id" = String, Path, description = "办件 id")),
    responses((status = 200, body = AuditLog), (status = 401, body = app::api::ApiError), (status = 403, body = app::api::ApiError, description = "不是中心管理人员"), (status = 404, body = app::api::ApiError)))]
pub async fn audit_log(
    State(state): State<AppState>,
    CentreManager(staff): CentreManager,
    Path(id): Path<String>,
) -> AppResult<Json<AuditLog>> {
    store::find(&state.db, &id)
        .await?
        .filter(|c| staff.covers(&c.department_code))
        .ok_or_else(super::routes::not_found)?;
    Ok(Json(AuditLog {
        entries: audit::for_case(&state.db, &id).await?,
    }))
}

/// 红黄牌督办: every case across departments that is overdue or due within one working day.
#[utoipa::path(get, path = "/api/manager/supervision", tag = "督办",
    responses((status = 200, body = CaseList), (status = 401, body = app::api::ApiError), (status = 403, body = app::api::ApiError, description = "不是中心管理人员")))]
pub async fn supervision(
    State(state): State<AppState>,
    CentreManager(_manager): CentreManager,
) -> AppResult<Json<CaseList>> {
    let today = clock::today_beijing();
    let rows = store::awaiting_department(&state.db).await?;
    let mut cases: Vec<_> = view::summaries(&state.db, &state.calendar(), &rows, today)
        .await?
        .into_iter()
        .filter(|s| s.warning.is_some())
        .collect();
    view::sort_by_urgency(&mut cases);
    Ok(Json(CaseList { cases }))
}
