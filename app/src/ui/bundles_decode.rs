//! Turns parsed 一件事一次办 answers into the shared wire types, by hand like
//! [`crate::ui::decode`] (no serde visitors in the download).

use wasm_bindgen::JsValue;

use crate::api::{
    Bundle, BundleApplicationDetail, BundleApplicationList, BundleApplicationSummary,
    BundleDetail, BundleField, BundleList, BundleMaterial, BundleMemberProgress,
    BundleMemberView, BundleNotice, BundleStatus, BundleSummary, BundleTiming, BusinessScope,
    CompanyFacts, CompanyType, DepartmentNotices, HourClock, LegalRep, MemberNotice,
    MergedMaterial, NameCheckRequest, NameCheckResult, NameProblem, NameProblemKind,
    Shareholder, TimingMode,
};
use crate::ui::cases_decode::{self, optional, string_map};
use crate::ui::decode::{
    audience, b, days, field, field_spec, handling, list, medium, opt_s, place, s, situation,
    strings,
};

fn timing(v: &JsValue) -> BundleTiming {
    BundleTiming {
        mode: match s(v, "mode").as_str() {
            "parallel" => TimingMode::Parallel,
            "sequence" => TimingMode::Sequence,
            _ => TimingMode::Mixed,
        },
        explanation: s(v, "explanation"),
    }
}

/// The parts of a bundle its pages show (member mappings stay on the server).
fn bundle(v: &JsValue) -> Bundle {
    Bundle {
        code: s(v, "code"),
        name: s(v, "name"),
        audience: audience(v, "audience"),
        summary: s(v, "summary"),
        icon: s(v, "icon"),
        keywords: strings(v, "keywords"),
        members: Vec::new(),
        situations: list(v, "situations", situation),
        form: list(v, "form", |f| BundleField {
            spec: field_spec(&field(f, "spec")),
            maps_to: Vec::new(),
            issued_by: strings(f, "issued_by"),
        }),
        timing: timing(&field(v, "timing")),
        places: list(v, "places", place),
        tips: strings(v, "tips"),
        covers: Vec::new(),
        material_names: Default::default(),
        company_facts_for: opt_s(v, "company_facts_for"),
    }
}

fn merged_material(v: &JsValue) -> MergedMaterial {
    MergedMaterial {
        material_id: s(v, "material_id"),
        name: s(v, "name"),
        note: opt_s(v, "note"),
        required: b(v, "required"),
        tolerance_allowed: b(v, "tolerance_allowed"),
        pledge_allowed: b(v, "pledge_allowed"),
        e_licence: b(v, "e_licence"),
        used_by: strings(v, "used_by"),
        medium: medium(v),
        source: s(v, "source"),
        depends: b(v, "depends"),
        provided_by: opt_s(v, "provided_by"),
    }
}

fn member_view(v: &JsValue) -> BundleMemberView {
    BundleMemberView {
        item_code: s(v, "item_code"),
        name: s(v, "name"),
        short_name: s(v, "short_name"),
        department_code: s(v, "department_code"),
        department: s(v, "department"),
        promised_days: days(v, "promised_days"),
        statutory_days: days(v, "statutory_days"),
        handling: handling(v),
        after: strings(v, "after"),
        stage: days(v, "stage"),
        depends: b(v, "depends"),
    }
}

pub fn detail(v: &JsValue) -> BundleDetail {
    BundleDetail {
        bundle: bundle(&field(v, "bundle")),
        members_shown: list(v, "members_shown", member_view),
        materials: list(v, "materials", merged_material),
        replaced_forms: list(v, "replaced_forms", merged_material),
        total_promised_days: days(v, "total_promised_days"),
        statutory_days_sum: days(v, "statutory_days_sum"),
        open_questions: strings(v, "open_questions"),
        demo: b(v, "demo"),
    }
}

pub fn bundle_list(v: &JsValue) -> BundleList {
    BundleList {
        bundles: list(v, "bundles", |x| BundleSummary {
            code: s(x, "code"),
            name: s(x, "name"),
            audience: audience(x, "audience"),
            summary: s(x, "summary"),
            icon: s(x, "icon"),
            members: strings(x, "members"),
            departments: strings(x, "departments"),
            total_promised_days: days(x, "total_promised_days"),
            statutory_days_sum: days(x, "statutory_days_sum"),
        }),
    }
}

pub fn company_type(text: &str) -> CompanyType {
    match text {
        "sole" => CompanyType::Sole,
        "partnership" => CompanyType::Partnership,
        _ => CompanyType::Llc,
    }
}

pub fn name_request(v: &JsValue) -> NameCheckRequest {
    NameCheckRequest {
        district: s(v, "district"),
        trade_name: s(v, "trade_name"),
        industry: s(v, "industry"),
        organisation: s(v, "organisation"),
    }
}

fn company(v: &JsValue) -> CompanyFacts {
    let rep = field(v, "legal_rep");
    CompanyFacts {
        company_type: company_type(&s(v, "company_type")),
        name: name_request(&field(v, "name")),
        registered_capital_wan: s(v, "registered_capital_wan"),
        shareholders: list(v, "shareholders", |x| Shareholder {
            name: s(x, "name"),
            id_number: s(x, "id_number"),
            share_percent: s(x, "share_percent"),
            contribution_wan: s(x, "contribution_wan"),
        }),
        legal_rep: LegalRep {
            name: s(&rep, "name"),
            id_number: s(&rep, "id_number"),
            phone: s(&rep, "phone"),
        },
        registered_address: s(v, "registered_address"),
        business_scope: strings(v, "business_scope"),
        term_years: field(v, "term_years").as_f64().map(|y| y as u32),
    }
}

fn bundle_status(v: &JsValue) -> BundleStatus {
    bundle_status_of(&s(v, "status"))
}

pub fn bundle_status_of(text: &str) -> BundleStatus {
    match text {
        "in_progress" => BundleStatus::InProgress,
        "needs_correction" => BundleStatus::NeedsCorrection,
        "done" => BundleStatus::Done,
        _ => BundleStatus::Draft,
    }
}

fn hour_clock(v: &JsValue) -> HourClock {
    HourClock {
        started_at: s(v, "started_at"),
        stopped_at: opt_s(v, "stopped_at"),
        running: b(v, "running"),
        working_minutes: field(v, "working_minutes").as_f64().map(|m| m as u32),
        promised_hours: days(v, "promised_hours"),
        within_promise: field(v, "within_promise").as_bool(),
        text: s(v, "text"),
    }
}

fn member_progress(v: &JsValue) -> BundleMemberProgress {
    let status = field(v, "status");
    BundleMemberProgress {
        item_code: s(v, "item_code"),
        item_name: s(v, "item_name"),
        short_name: s(v, "short_name"),
        department_code: s(v, "department_code"),
        department: s(v, "department"),
        stage: days(v, "stage"),
        promised_days: days(v, "promised_days"),
        case_id: opt_s(v, "case_id"),
        number: opt_s(v, "number"),
        status: status.is_string().then(|| cases_decode::status(v)),
        waiting_for: strings(v, "waiting_for"),
        due_date: opt_s(v, "due_date"),
    }
}

fn notice(v: &JsValue) -> BundleNotice {
    BundleNotice {
        problem_count: days(v, "problem_count"),
        respond_by: s(v, "respond_by"),
        departments: list(v, "departments", |d| DepartmentNotices {
            department: s(d, "department"),
            cases: list(d, "cases", |c| MemberNotice {
                case_id: s(c, "case_id"),
                item_code: s(c, "item_code"),
                item_name: s(c, "item_name"),
                number: opt_s(c, "number"),
                notice: cases_decode::notice(&field(c, "notice")),
            }),
        }),
    }
}

pub fn application(v: &JsValue) -> BundleApplicationDetail {
    BundleApplicationDetail {
        id: s(v, "id"),
        bundle_code: s(v, "bundle_code"),
        bundle_name: s(v, "bundle_name"),
        status: bundle_status(v),
        number: opt_s(v, "number"),
        created_at: s(v, "created_at"),
        submitted_at: opt_s(v, "submitted_at"),
        completed_at: opt_s(v, "completed_at"),
        answers: string_map(v, "answers"),
        form: string_map(v, "form"),
        company: optional(v, "company", company),
        open_questions: strings(v, "open_questions"),
        form_spec: list(v, "form_spec", field_spec),
        needs_company: b(v, "needs_company"),
        materials: list(v, "materials", |m| BundleMaterial {
            material: merged_material(&field(m, "material")),
            uploads: list(m, "uploads", cases_decode::upload),
        }),
        replaced_forms: list(v, "replaced_forms", merged_material),
        members: list(v, "members", member_progress),
        notice: optional(v, "notice", notice),
        uscc: opt_s(v, "uscc"),
        clock: optional(v, "clock", hour_clock),
        total_promised_days: days(v, "total_promised_days"),
    }
}

pub fn applications(v: &JsValue) -> BundleApplicationList {
    BundleApplicationList {
        applications: list(v, "applications", |x| BundleApplicationSummary {
            id: s(x, "id"),
            bundle_code: s(x, "bundle_code"),
            bundle_name: s(x, "bundle_name"),
            icon: s(x, "icon"),
            status: bundle_status(x),
            number: opt_s(x, "number"),
            applicant: s(x, "applicant"),
            created_at: s(x, "created_at"),
            submitted_at: opt_s(x, "submitted_at"),
            completed_at: opt_s(x, "completed_at"),
            members_total: days(x, "members_total"),
            members_decided: days(x, "members_decided"),
            uscc: opt_s(x, "uscc"),
            clock: optional(x, "clock", hour_clock),
        }),
    }
}

pub fn name_check(v: &JsValue) -> NameCheckResult {
    NameCheckResult {
        full_name: s(v, "full_name"),
        ok: b(v, "ok"),
        problems: list(v, "problems", |p| NameProblem {
            kind: match s(p, "kind").as_str() {
                "identical" => NameProblemKind::Identical,
                "similar" => NameProblemKind::Similar,
                "restricted" => NameProblemKind::Restricted,
                "forbidden" => NameProblemKind::Forbidden,
                _ => NameProblemKind::Format,
            },
            message: s(p, "message"),
            suggestion: s(p, "suggestion"),
        }),
    }
}

pub fn scopes(v: &JsValue) -> Vec<BusinessScope> {
    list(v, "scopes", |x| BusinessScope {
        code: s(x, "code"),
        name: s(x, "name"),
        category: s(x, "category"),
        permit_item: opt_s(x, "permit_item"),
    })
}
