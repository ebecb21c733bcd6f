//! Turns parsed 网上预审 answers into the shared wire types, by hand like
//! [`crate::ui::decode`] (no serde visitors in the download). Missing fields read as empty;
//! unknown enum values fall back to the most cautious one.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{
    AuditEntry, CaseAction, CaseDetail, CaseEvent, CaseMaterial, CaseStatus, CaseSummary,
    Me, Message, MessageList, Notice, NoticeProblem, Outcome, Rating,
    RatingFollowUp, RatingLevel, StaffRole, TrackMember, TrackResult, UploadInfo, Verdict, Warning,
};

pub(crate) fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub(crate) fn s(v: &JsValue, key: &str) -> String {
    field(v, key).as_string().unwrap_or_default()
}

pub(crate) fn opt_s(v: &JsValue, key: &str) -> Option<String> {
    field(v, key).as_string()
}

pub(crate) fn num(v: &JsValue, key: &str) -> Option<f64> {
    field(v, key).as_f64()
}

pub(crate) fn b(v: &JsValue, key: &str) -> bool {
    field(v, key).as_bool().unwrap_or(false)
}

pub(crate) fn list<T>(v: &JsValue, key: &str, each: fn(&JsValue) -> T) -> Vec<T> {
    field(v, key)
        .dyn_ref::<Array>()
        .map(|a| a.iter().map(|x| each(&x)).collect())
        .unwrap_or_default()
}

pub(crate) fn string_map(v: &JsValue, key: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(obj) = field(v, key).dyn_ref::<Object>() {
        for entry in Object::entries(obj).iter() {
            let pair: Array = entry.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                out.insert(k, v);
            }
        }
    }
    out
}

pub(crate) fn optional<T>(v: &JsValue, key: &str, each: fn(&JsValue) -> T) -> Option<T> {
    let inner = field(v, key);
    (inner.is_object()).then(|| each(&inner))
}

pub fn status(v: &JsValue) -> CaseStatus {
    CaseStatus::parse(&s(v, "status")).unwrap_or(CaseStatus::Draft)
}

pub fn action_of(text: &str) -> Option<CaseAction> {
    Some(match text {
        "submit" => CaseAction::Submit,
        "withdraw" => CaseAction::Withdraw,
        "return" => CaseAction::Return,
        "approve" => CaseAction::Approve,
        "reject" => CaseAction::Reject,
        "complete" => CaseAction::Complete,
        _ => return None,
    })
}

pub fn action_str(action: CaseAction) -> &'static str {
    match action {
        CaseAction::Submit => "submit",
        CaseAction::Withdraw => "withdraw",
        CaseAction::Return => "return",
        CaseAction::Approve => "approve",
        CaseAction::Reject => "reject",
        CaseAction::Complete => "complete",
    }
}

pub fn verdict_str(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pending => "pending",
        Verdict::Accepted => "accepted",
        Verdict::Rejected => "rejected",
        Verdict::Tolerated => "tolerated",
    }
}

pub fn level_str(level: RatingLevel) -> &'static str {
    match level {
        RatingLevel::VerySatisfied => "very_satisfied",
        RatingLevel::Satisfied => "satisfied",
        RatingLevel::Neutral => "neutral",
        RatingLevel::Dissatisfied => "dissatisfied",
        RatingLevel::VeryDissatisfied => "very_dissatisfied",
    }
}

fn verdict(v: &JsValue) -> Verdict {
    match s(v, "verdict").as_str() {
        "accepted" => Verdict::Accepted,
        "rejected" => Verdict::Rejected,
        "tolerated" => Verdict::Tolerated,
        _ => Verdict::Pending,
    }
}

pub fn me(v: &JsValue) -> Me {
    if s(v, "kind") == "staff" {
        Me::Staff {
            username: s(v, "username"),
            display_name: s(v, "display_name"),
            role: if s(v, "role") == "manager" {
                StaffRole::Manager
            } else {
                StaffRole::Reviewer
            },
            department: opt_s(v, "department"),
            department_name: opt_s(v, "department_name"),
        }
    } else {
        Me::Applicant {
            phone_masked: s(v, "phone_masked"),
            uscc: opt_s(v, "uscc"),
            unread_messages: num(v, "unread_messages").unwrap_or(0.0) as u32,
        }
    }
}

pub fn summary(v: &JsValue) -> CaseSummary {
    CaseSummary {
        id: s(v, "id"),
        number: opt_s(v, "number"),
        item_code: s(v, "item_code"),
        item_name: s(v, "item_name"),
        department: s(v, "department"),
        department_code: s(v, "department_code"),
        status: status(v),
        applicant: s(v, "applicant"),
        created_at: s(v, "created_at"),
        submitted_at: opt_s(v, "submitted_at"),
        due_date: opt_s(v, "due_date"),
        days_left: num(v, "days_left").map(|n| n as i64),
        warning: match s(v, "warning").as_str() {
            "red" => Some(Warning::Red),
            "yellow" => Some(Warning::Yellow),
            _ => None,
        },
    }
}

pub fn summaries(v: &JsValue) -> Vec<CaseSummary> {
    list(v, "cases", summary)
}

pub fn upload(v: &JsValue) -> UploadInfo {
    UploadInfo {
        id: s(v, "id"),
        file_name: s(v, "file_name"),
        content_type: s(v, "content_type"),
        size: num(v, "size").unwrap_or(0.0) as u64,
        sha256: s(v, "sha256"),
        uploaded_at: s(v, "uploaded_at"),
        current: b(v, "current"),
    }
}

pub(crate) fn material(v: &JsValue) -> CaseMaterial {
    CaseMaterial {
        material_id: s(v, "material_id"),
        name: s(v, "name"),
        note: opt_s(v, "note"),
        required: b(v, "required"),
        tolerance_allowed: b(v, "tolerance_allowed"),
        pledge_allowed: b(v, "pledge_allowed"),
        verdict: verdict(v),
        reason: opt_s(v, "reason"),
        deadline: opt_s(v, "deadline"),
        uploads: list(v, "uploads", upload),
    }
}

pub(crate) fn event(v: &JsValue) -> CaseEvent {
    CaseEvent {
        at: s(v, "at"),
        actor: s(v, "actor"),
        title: s(v, "title"),
        detail: opt_s(v, "detail"),
    }
}

pub(crate) fn notice(v: &JsValue) -> Notice {
    Notice {
        issued_at: s(v, "issued_at"),
        department: s(v, "department"),
        reviewer: s(v, "reviewer"),
        problems: list(v, "problems", |p| NoticeProblem {
            material: s(p, "material"),
            problem: s(p, "problem"),
        }),
        note: s(v, "note"),
        respond_by: s(v, "respond_by"),
    }
}

fn outcome(v: &JsValue) -> Outcome {
    Outcome {
        action: action_of(&s(v, "action")).unwrap_or(CaseAction::Approve),
        note: s(v, "note"),
        legal_basis: opt_s(v, "legal_basis"),
        next_steps: opt_s(v, "next_steps"),
    }
}

pub fn rating(v: &JsValue) -> Rating {
    Rating {
        level: match s(v, "level").as_str() {
            "very_satisfied" => RatingLevel::VerySatisfied,
            "satisfied" => RatingLevel::Satisfied,
            "dissatisfied" => RatingLevel::Dissatisfied,
            "very_dissatisfied" => RatingLevel::VeryDissatisfied,
            _ => RatingLevel::Neutral,
        },
        comment: s(v, "comment"),
        rated_at: s(v, "rated_at"),
        rectification: opt_s(v, "rectification"),
        rectified_at: opt_s(v, "rectified_at"),
    }
}

pub fn detail(v: &JsValue) -> CaseDetail {
    CaseDetail {
        summary: summary(&field(v, "summary")),
        form_spec: list(v, "form_spec", crate::ui::decode::field_spec),
        form: string_map(v, "form"),
        answers: string_map(v, "answers"),
        materials: list(v, "materials", material),
        timeline: list(v, "timeline", event),
        notice: optional(v, "notice", notice),
        outcome: optional(v, "outcome", outcome),
        rating: optional(v, "rating", rating),
        actions: list(v, "actions", |a| a.as_string().and_then(|a| action_of(&a)))
            .into_iter()
            .flatten()
            .collect(),
    }
}

pub fn messages(v: &JsValue) -> MessageList {
    MessageList {
        messages: list(v, "messages", |m| Message {
            id: s(m, "id"),
            case_id: s(m, "case_id"),
            text: s(m, "text"),
            at: s(m, "at"),
            read: b(m, "read"),
        }),
        unread: num(v, "unread").unwrap_or(0.0) as u32,
    }
}

pub fn track(v: &JsValue) -> TrackResult {
    TrackResult {
        number: s(v, "number"),
        item_name: s(v, "item_name"),
        department: s(v, "department"),
        applicant: s(v, "applicant"),
        status: status(v),
        due_date: opt_s(v, "due_date"),
        timeline: list(v, "timeline", event),
        members: list(v, "members", |m| TrackMember {
            item_name: s(m, "item_name"),
            department: s(m, "department"),
            status: status(m),
            number: opt_s(m, "number"),
            waiting: b(m, "waiting"),
            due_date: opt_s(m, "due_date"),
        }),
        bundle_status: opt_s(v, "bundle_status").map(|t| crate::ui::bundles_decode::bundle_status_of(&t)),
    }
}

pub fn audit(v: &JsValue) -> Vec<AuditEntry> {
    list(v, "entries", |e| AuditEntry {
        at: s(e, "at"),
        actor: s(e, "actor"),
        action: s(e, "action"),
        detail: s(e, "detail"),
        address: s(e, "address"),
    })
}

pub fn follow_ups(v: &JsValue) -> Vec<RatingFollowUp> {
    list(v, "follow_ups", |f| RatingFollowUp {
        case: summary(&field(f, "case")),
        rating: rating(&field(f, "rating")),
    })
}

pub fn number(v: &JsValue, key: &str) -> Option<f64> {
    num(v, key)
}

pub fn text(v: &JsValue, key: &str) -> String {
    s(v, key)
}
