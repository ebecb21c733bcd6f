//! The case workflow: the one module that changes a case (网上预审) or a bundle application
//! (一件事一次办) once it exists. Routes of `cases` and `bundles` check their input and call it;
//! it imports neither of them.
//!
//! * Status changes go through `app::rules::case_flow::next_status`, the state machine shared
//!   with the browser ([`next`]), and are applied with [`Change`]: it takes the bundle's row
//!   lock before the case changes and runs the bundle hooks ([`members::member_changed`])
//!   after, so no transition can forget either.
//! * What happened is written as ONE [`Record`]: the timeline event, the audit entry and the
//!   applicant's message, in the caller's transaction.
//! * Submissions are idempotent ([`idempotency`]): the first answer is stored with the key and
//!   answered again to a retry.
//! * Status SMS go out after the commit ([`notices`]), each status once.
//! * Files are stored content-addressed once, whoever refers to them ([`files`]), in the
//!   deployment's file store: a folder, the database or S3 ([`file_store`]).
//! * The stores of cases and bundle applications ([`case_store`], [`bundle_store`]) and the
//!   member cases of a bundle ([`members`]) live here too, so the workflow depends on nothing
//!   above it.

pub mod bundle_store;
pub mod case_store;
pub mod fetched;
pub mod file_store;
pub mod files;
pub mod idempotency;
pub mod members;
pub mod notices;
pub mod pdf;
pub mod submit;

use app::api::{CaseAction, CaseStatus};
use app::rules::case_flow::{next_status, Actor};
use sqlx::AnyConnection;

use self::case_store::CaseRow;
use crate::audit;
use crate::error::{AppError, AppResult};
use crate::AppState;

/// How the timeline names the applicant.
pub const APPLICANT: &str = "申请人";
/// How the timeline and the audit log name what the system does on its own.
pub const SYSTEM: &str = "系统";

/// The status `action` by `actor` leads to from `from`; 409 with the state machine's own
/// explanation when it leads nowhere.
pub fn next(from: CaseStatus, action: CaseAction, actor: Actor) -> AppResult<CaseStatus> {
    next_status(from, action, actor)
        .map_err(|e| AppError::conflict("invalid_transition", e.message))
}

/// The answer when a case changed between reading it and changing it.
pub fn changed_meanwhile() -> AppError {
    AppError::conflict("invalid_transition", "办件状态刚刚发生了变化，请刷新后重试")
}

/// A bundle member waiting for its predecessors is submitted by the system when they are
/// approved; until then the applicant cannot change or submit it.
pub fn ensure_not_held(case: &CaseRow) -> AppResult<()> {
    if case.is_held() {
        Err(AppError::conflict(
            "waiting_for_predecessor",
            "该事项属于“一件事一次办”，需等待前序事项办结后由系统自动提交，暂不能修改或提交",
        ))
    } else {
        Ok(())
    }
}

/// Only drafts and returned cases can be edited or given new files.
pub fn ensure_editable(status: CaseStatus) -> AppResult<()> {
    if matches!(status, CaseStatus::Draft | CaseStatus::Returned) {
        Ok(())
    } else {
        Err(AppError::conflict(
            "invalid_state",
            format!(
                "办件当前状态为“{}”，不能再修改申请内容或材料",
                status.label()
            ),
        ))
    }
}

/// What happened to a case, as the timeline, the audit log and the applicant's messages tell
/// it. Written with [`Record::write`] in the transaction of the change.
pub struct Record<'a> {
    pub case_id: &'a str,
    /// The timeline event: who (as the applicant sees it), what, and details.
    pub timeline_actor: &'a str,
    pub title: &'a str,
    pub detail: Option<&'a str>,
    /// The audit entry: who (as the log names them), the action and its details.
    pub audit_actor: &'a str,
    pub audit_action: &'a str,
    pub audit_detail: &'a str,
    /// The applicant's message, if any: (applicant id, text).
    pub message: Option<(&'a str, &'a str)>,
}

impl Record<'_> {
    /// Appends the timeline event, the audit entry and the message.
    pub async fn write(&self, tx: &mut AnyConnection, address: &str) -> AppResult<()> {
        case_store::add_event(
            &mut *tx,
            self.case_id,
            self.timeline_actor,
            self.title,
            self.detail,
        )
        .await?;
        audit::record(
            &mut *tx,
            audit::Entry {
                actor: self.audit_actor,
                action: self.audit_action,
                detail: self.audit_detail,
                case_id: Some(self.case_id),
                address,
            },
        )
        .await?;
        if let Some((applicant_id, text)) = self.message {
            case_store::add_message(&mut *tx, applicant_id, self.case_id, text).await?;
        }
        Ok(())
    }
}

/// A status change of a case under way in a transaction: [`Change::start`] locks the bundle
/// (if the case is a member) and moves the status; [`Change::finish`] writes what happened
/// and runs the bundle hooks. Whatever else belongs to the change is written in between.
#[must_use = "a change must be finished: it writes the record and runs the bundle hooks"]
pub struct Change<'a> {
    case: &'a CaseRow,
    pub to: CaseStatus,
}

impl<'a> Change<'a> {
    /// Moves `case` from the status it was read with to `to` (see [`next`]); 409 when it changed
    /// meanwhile. Bundle first, then case: the one lock order of every change to a member.
    pub async fn start(
        tx: &mut AnyConnection,
        case: &'a CaseRow,
        to: CaseStatus,
    ) -> AppResult<Change<'a>> {
        members::lock_bundle(tx, case).await?;
        if !case_store::change_status(tx, &case.id, case.status, to).await? {
            return Err(changed_meanwhile());
        }
        Ok(Change { case, to })
    }

    /// Writes `record` and, for a bundle member, releases its successors, issues the business
    /// code, ends the dependants or the bundle ([`members::member_changed`]).
    pub async fn finish(
        self,
        state: &AppState,
        tx: &mut AnyConnection,
        record: Record<'_>,
        address: &str,
    ) -> AppResult<()> {
        record.write(tx, address).await?;
        members::member_changed(state, tx, self.case, self.to, address).await
    }
}
