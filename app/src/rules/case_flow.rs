//! The case state machine of 网上预审: which action moves a case from which state to which.
//!
//! One explicit table used by the server to refuse invalid transitions and by the client to
//! show only the buttons that can work.

use crate::api::{CaseAction, CaseStatus};

use super::FieldError;

/// Who is acting: the applicant owns the case, staff review it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Applicant,
    Staff,
}

/// The transition table: `(from, action) → to`, with who may take it.
const TRANSITIONS: &[(CaseStatus, CaseAction, Actor, CaseStatus)] = {
    use CaseAction as A;
    use CaseStatus as S;
    &[
        (S::Draft, A::Submit, Actor::Applicant, S::Submitted),
        (S::Draft, A::Withdraw, Actor::Applicant, S::Withdrawn),
        (S::Submitted, A::Withdraw, Actor::Applicant, S::Withdrawn),
        (S::Submitted, A::Return, Actor::Staff, S::Returned),
        (S::Submitted, A::Approve, Actor::Staff, S::Approved),
        (S::Submitted, A::Reject, Actor::Staff, S::Rejected),
        // A corrected case goes back to the same department's queue.
        (S::Returned, A::Submit, Actor::Applicant, S::Submitted),
        (S::Returned, A::Withdraw, Actor::Applicant, S::Withdrawn),
        (S::Approved, A::Complete, Actor::Staff, S::Completed),
    ]
};

/// The state after `action`, or a Chinese explanation of why it cannot happen now.
pub fn next_status(
    from: CaseStatus,
    action: CaseAction,
    actor: Actor,
) -> Result<CaseStatus, FieldError> {
    TRANSITIONS
        .iter()
        .find(|(f, a, who, _)| *f == from && *a == action && *who == actor)
        .map(|(_, _, _, to)| *to)
        .ok_or_else(|| {
            FieldError::new(format!(
                "办件当前状态为“{}”，不能执行“{}”",
                from.label(),
                action.label()
            ))
        })
}

/// Every action `actor` may take on a case in `status`, in table order.
pub fn allowed_actions(status: CaseStatus, actor: Actor) -> Vec<CaseAction> {
    TRANSITIONS
        .iter()
        .filter(|(f, _, who, _)| *f == status && *who == actor)
        .map(|(_, a, _, _)| *a)
        .collect()
}

/// The department still has to act: the promised deadline is running.
pub fn awaits_department(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Submitted | CaseStatus::Approved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseAction as A;
    use CaseStatus as S;

    #[test]
    fn happy_path() {
        let submitted = next_status(S::Draft, A::Submit, Actor::Applicant).unwrap();
        let returned = next_status(submitted, A::Return, Actor::Staff).unwrap();
        assert_eq!(returned, S::Returned);
        let resubmitted = next_status(returned, A::Submit, Actor::Applicant).unwrap();
        let approved = next_status(resubmitted, A::Approve, Actor::Staff).unwrap();
        assert_eq!(
            next_status(approved, A::Complete, Actor::Staff).unwrap(),
            S::Completed
        );
    }

    #[test]
    fn invalid_transitions_are_refused_with_a_reason() {
        let error = next_status(S::Completed, A::Approve, Actor::Staff).unwrap_err();
        assert_eq!(error.message, "办件当前状态为“已办结”，不能执行“预审通过”");
        assert!(next_status(S::Draft, A::Approve, Actor::Staff).is_err());
        assert!(
            next_status(S::Submitted, A::Approve, Actor::Applicant).is_err(),
            "applicants cannot approve"
        );
        assert!(
            next_status(S::Submitted, A::Submit, Actor::Applicant).is_err(),
            "no double submission"
        );
        assert!(next_status(S::Approved, A::Withdraw, Actor::Applicant).is_err());
        assert!(next_status(S::Withdrawn, A::Submit, Actor::Applicant).is_err());
    }

    #[test]
    fn final_states_have_no_actions() {
        for status in [S::Rejected, S::Completed, S::Withdrawn] {
            assert!(status.is_final());
            assert!(allowed_actions(status, Actor::Applicant).is_empty());
            assert!(allowed_actions(status, Actor::Staff).is_empty());
        }
        assert_eq!(
            allowed_actions(S::Submitted, Actor::Staff),
            vec![A::Return, A::Approve, A::Reject]
        );
    }
}
