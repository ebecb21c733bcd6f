//! Turns parsed JSON answers (`JsValue`s from `JSON.parse`) into the shared wire types.
//!
//! Hand-written instead of `serde_json` on purpose: serde's generated visitors for the ~25
//! catalog types cost more of the first-visit download than the rest of a page. Missing fields
//! read as empty/zero/false, as `#[serde(default)]` would; enums fall back to their most
//! cautious value. A wire type that gains a field fails to compile here until it is read.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{
    Audience, CatalogOverview, Clause, Department, DepartmentCount, Fee, FieldKind, FieldSpec,
    Form, FormField, FormSection, FormSummary, Handling, ItemDetail, ItemGuide, ItemList,
    ItemSummary, Material, Medium, OnlineLevel, Place, Situation, SituationOption, Step, Theme,
    When,
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

pub(crate) fn num(v: &JsValue, key: &str) -> f64 {
    field(v, key).as_f64().unwrap_or(0.0)
}

pub(crate) fn b(v: &JsValue, key: &str) -> bool {
    field(v, key).as_bool().unwrap_or(false)
}

pub(crate) fn values(v: &JsValue) -> Vec<JsValue> {
    v.dyn_ref::<Array>().map(|a| a.to_vec()).unwrap_or_default()
}

pub(crate) fn list<T>(v: &JsValue, key: &str, each: fn(&JsValue) -> T) -> Vec<T> {
    values(&field(v, key)).iter().map(each).collect()
}

pub(crate) fn string(v: &JsValue) -> String {
    v.as_string().unwrap_or_default()
}

pub(crate) fn strings(v: &JsValue, key: &str) -> Vec<String> {
    list(v, key, string)
}

pub(crate) fn when(v: &JsValue) -> When {
    let map = field(v, "when");
    let mut out = BTreeMap::new();
    if let Some(obj) = map.dyn_ref::<Object>() {
        for entry in Object::entries(obj).iter() {
            let pair = values(&entry);
            if let [question, answers] = pair.as_slice() {
                out.insert(string(question), values(answers).iter().map(string).collect());
            }
        }
    }
    out
}

pub(crate) fn audience(v: &JsValue, key: &str) -> Audience {
    Audience::parse(&s(v, key)).unwrap_or(Audience::Both)
}

pub(crate) fn handling(v: &JsValue) -> Handling {
    match s(v, "handling").as_str() {
        "immediate" => Handling::Immediate,
        "joint" => Handling::Joint,
        _ => Handling::Promised,
    }
}

fn online_level(v: &JsValue) -> OnlineLevel {
    match s(v, "online_level").as_str() {
        "fully_online" => OnlineLevel::FullyOnline,
        "accept" => OnlineLevel::Accept,
        "pre_review" => OnlineLevel::PreReview,
        _ => OnlineLevel::Consult,
    }
}

pub(crate) fn medium(v: &JsValue) -> Medium {
    match s(v, "medium").as_str() {
        "electronic" => Medium::Electronic,
        "paper_or_electronic" => Medium::PaperOrElectronic,
        _ => Medium::Paper,
    }
}

fn field_kind(v: &JsValue) -> FieldKind {
    match s(v, "kind").as_str() {
        "long_text" => FieldKind::LongText,
        "id_card" => FieldKind::IdCard,
        "uscc" => FieldKind::Uscc,
        "mobile" => FieldKind::Mobile,
        "date" => FieldKind::Date,
        "choice" => FieldKind::Choice,
        "address" => FieldKind::Address,
        "number" => FieldKind::Number,
        _ => FieldKind::Text,
    }
}

fn small(v: &JsValue, key: &str) -> u8 {
    num(v, key) as u8
}

pub(crate) fn days(v: &JsValue, key: &str) -> u32 {
    num(v, key) as u32
}

pub fn department(v: &JsValue) -> Department {
    Department {
        code: s(v, "code"),
        name: s(v, "name"),
        short_name: s(v, "short_name"),
        phone: s(v, "phone"),
        window: s(v, "window"),
    }
}

pub fn theme(v: &JsValue) -> Theme {
    Theme {
        code: s(v, "code"),
        name: s(v, "name"),
        audience: audience(v, "audience"),
        description: s(v, "description"),
        icon: s(v, "icon"),
    }
}

pub fn item_summary(v: &JsValue) -> ItemSummary {
    ItemSummary {
        code: s(v, "code"),
        name: s(v, "name"),
        department: s(v, "department"),
        department_code: s(v, "department_code"),
        audience: audience(v, "audience"),
        item_type: s(v, "item_type"),
        summary: s(v, "summary"),
        promised_days: days(v, "promised_days"),
        statutory_days: days(v, "statutory_days"),
        handling: handling(v),
        online_level: online_level(v),
        visits: small(v, "visits"),
        matched: opt_s(v, "matched"),
    }
}

pub fn catalog(v: &JsValue) -> CatalogOverview {
    CatalogOverview {
        district: s(v, "district"),
        departments: list(v, "departments", |d| DepartmentCount {
            department: department(&field(d, "department")),
            items: num(d, "items") as usize,
        }),
        themes: list(v, "themes", theme),
        popular: list(v, "popular", item_summary),
        item_count: num(v, "item_count") as usize,
        demo: b(v, "demo"),
    }
}

pub fn item_list(v: &JsValue) -> ItemList {
    ItemList {
        items: list(v, "items", item_summary),
        total: num(v, "total") as usize,
        suggestions: strings(v, "suggestions"),
    }
}

fn clause(v: &JsValue) -> Clause {
    Clause {
        text: s(v, "text"),
        when: when(v),
    }
}

fn material(v: &JsValue) -> Material {
    Material {
        id: s(v, "id"),
        name: s(v, "name"),
        originals: small(v, "originals"),
        copies: small(v, "copies"),
        medium: medium(v),
        source: s(v, "source"),
        tolerance: b(v, "tolerance"),
        pledge: b(v, "pledge"),
        e_licence: b(v, "e_licence"),
        note: opt_s(v, "note"),
        blank_form: opt_s(v, "blank_form"),
        has_sample: b(v, "has_sample"),
        when: when(v),
    }
}

fn step(v: &JsValue) -> Step {
    Step {
        title: s(v, "title"),
        description: s(v, "description"),
        when: when(v),
    }
}

pub(crate) fn place(v: &JsValue) -> Place {
    Place {
        name: s(v, "name"),
        address: s(v, "address"),
        window: s(v, "window"),
        hours: s(v, "hours"),
    }
}

pub(crate) fn situation(v: &JsValue) -> Situation {
    Situation {
        id: s(v, "id"),
        question: s(v, "question"),
        help: opt_s(v, "help"),
        options: list(v, "options", |o| SituationOption {
            value: s(o, "value"),
            label: s(o, "label"),
        }),
    }
}

pub(crate) fn field_spec(v: &JsValue) -> FieldSpec {
    FieldSpec {
        id: s(v, "id"),
        label: s(v, "label"),
        kind: field_kind(v),
        required: field(v, "required").as_bool().unwrap_or(true),
        options: strings(v, "options"),
        help: opt_s(v, "help"),
    }
}

pub fn guide(v: &JsValue) -> ItemGuide {
    let fee = field(v, "fee");
    ItemGuide {
        code: s(v, "code"),
        name: s(v, "name"),
        item_type: s(v, "item_type"),
        department: s(v, "department"),
        audience: audience(v, "audience"),
        themes: strings(v, "themes"),
        keywords: strings(v, "keywords"),
        summary: s(v, "summary"),
        legal_basis: strings(v, "legal_basis"),
        conditions: list(v, "conditions", clause),
        materials: list(v, "materials", material),
        steps: list(v, "steps", step),
        fee: Fee {
            free: b(&fee, "free"),
            description: s(&fee, "description"),
            basis: opt_s(&fee, "basis"),
        },
        statutory_days: days(v, "statutory_days"),
        promised_days: days(v, "promised_days"),
        handling: handling(v),
        online_level: online_level(v),
        visits: small(v, "visits"),
        result: s(v, "result"),
        delivery: strings(v, "delivery"),
        places: list(v, "places", place),
        consult_phone: s(v, "consult_phone"),
        complaint_phone: s(v, "complaint_phone"),
        appointment: b(v, "appointment"),
        cross_province: b(v, "cross_province"),
        situations: list(v, "situations", situation),
        tips: list(v, "tips", clause),
        form: list(v, "form", field_spec),
    }
}

fn form_summary(v: &JsValue) -> FormSummary {
    FormSummary {
        code: s(v, "code"),
        title: s(v, "title"),
    }
}

pub fn item_detail(v: &JsValue) -> ItemDetail {
    ItemDetail {
        guide: guide(&field(v, "guide")),
        department: department(&field(v, "department")),
        themes: list(v, "themes", theme),
        forms: list(v, "forms", form_summary),
        demo: b(v, "demo"),
    }
}

pub fn form(v: &JsValue) -> Form {
    Form {
        code: s(v, "code"),
        title: s(v, "title"),
        items: strings(v, "items"),
        instructions: s(v, "instructions"),
        sections: list(v, "sections", |sec| FormSection {
            title: s(sec, "title"),
            fields: list(sec, "fields", |f| FormField {
                label: s(f, "label"),
                sample: s(f, "sample"),
                lines: field(f, "lines").as_f64().map_or(1, |n| n as u8),
            }),
        }),
        notes: strings(v, "notes"),
    }
}
