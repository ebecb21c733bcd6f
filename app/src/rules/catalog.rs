//! Checks of an edited 办事指南 before it is saved as a draft or published.
//!
//! The manager's editor shows these messages at the field as it is typed; the server checks the
//! same guide again on publish (422 with `fields`). A problem is keyed by the path of the field
//! in the guide (`materials[2].name`, `situations[0].options[1].value`, `promised_days`) and says
//! in Chinese which entry and what to change.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{FieldKind, Handling, ItemGuide, When};

use super::normalize_number;
use super::phone::validate_mobile;

/// Field path → message, in path order.
pub type GuideProblems = BTreeMap<String, String>;

/// What the guide may refer to outside itself: the catalog's departments, themes and blank
/// forms (codes). Empty sets are not checked (an editor that has not loaded them yet).
#[derive(Debug, Clone, Default)]
pub struct CatalogRefs {
    pub departments: BTreeSet<String>,
    pub themes: BTreeSet<String>,
    pub forms: BTreeSet<String>,
}

/// The 事项类型 of the national catalog.
pub const ITEM_TYPES: &[&str] = &[
    "行政许可",
    "行政确认",
    "行政给付",
    "行政裁决",
    "行政备案",
    "行政检查",
    "行政奖励",
    "其他行政权力",
    "公共服务",
];

/// Longest 法定/承诺时限 accepted, in working days (a year of working days).
pub const MAX_DAYS: u32 = 250;

/// A 咨询/投诉电话 as written in guides: a mainland mobile number, a landline with its area
/// code (`0000-8801 1003`, `028-12345678`), or a service number such as `12345` or `95598`.
pub fn validate_service_phone(input: &str, label: &str) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(format!("请填写{label}"));
    }
    let digits = normalize_number(trimmed);
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{label}只能包含数字、空格和短横线，如 0000-8801 1003 或 12345"
        ));
    }
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    // 110, 12345, 95598, 96xxx: short numbers start with 1 or 9.
    let service =
        (digits.starts_with('1') || digits.starts_with('9')) && (3..=6).contains(&digits.len());
    if landline || service || validate_mobile(&digits).is_ok() {
        Ok(trimmed.to_string())
    } else {
        Err(format!(
            "{label}“{trimmed}”不是有效的电话号码：固定电话请带区号（如 0000-8801 1003），服务热线如 12345，手机为 11 位"
        ))
    }
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Every problem of `guide`, keyed by field path; empty when it may be published.
pub fn check_guide(guide: &ItemGuide, refs: &CatalogRefs) -> GuideProblems {
    let mut p = GuideProblems::new();
    let mut put = |path: String, message: String| {
        p.entry(path).or_insert(message);
    };

    // 基本信息.
    if blank(&guide.code) {
        put("code".into(), "请填写事项编码".into());
    }
    if blank(&guide.name) {
        put("name".into(), "请填写事项名称".into());
    } else if guide.name.chars().count() > 60 {
        put("name".into(), "事项名称不能超过 60 个字".into());
    }
    if !ITEM_TYPES.contains(&guide.item_type.as_str()) {
        put(
            "item_type".into(),
            format!("事项类型须为以下之一：{}", ITEM_TYPES.join("、")),
        );
    }
    if blank(&guide.department) {
        put("department".into(), "请选择实施部门".into());
    } else if !refs.departments.is_empty() && !refs.departments.contains(&guide.department) {
        put(
            "department".into(),
            format!("实施部门“{}”不存在，请从列表中选择", guide.department),
        );
    }
    for (i, theme) in guide.themes.iter().enumerate() {
        if !refs.themes.is_empty() && !refs.themes.contains(theme) {
            put(
                format!("themes[{i}]"),
                format!("主题“{theme}”不存在，请从列表中选择"),
            );
        }
    }
    if blank(&guide.summary) {
        put(
            "summary".into(),
            "请用一句话写明事项用途（事项简介）".into(),
        );
    }
    if guide.legal_basis.iter().all(|b| blank(b)) {
        put("legal_basis".into(), "请至少填写一条设立依据".into());
    }
    for (i, basis) in guide.legal_basis.iter().enumerate() {
        if blank(basis) {
            put(
                format!("legal_basis[{i}]"),
                format!("第 {} 条设立依据为空，请填写或删除", i + 1),
            );
        }
    }
    for (i, word) in guide.keywords.iter().enumerate() {
        if blank(word) {
            put(
                format!("keywords[{i}]"),
                format!("第 {} 个搜索关键词为空，请填写或删除", i + 1),
            );
        }
    }
    if blank(&guide.result) {
        put("result".into(), "请填写办理结果，如“居民身份证”".into());
    }

    // 时限与办件类型.
    if guide.statutory_days > MAX_DAYS {
        put(
            "statutory_days".into(),
            format!("法定时限不能超过 {MAX_DAYS} 个工作日"),
        );
    }
    if guide.statutory_days > 0 && guide.promised_days > guide.statutory_days {
        put(
            "promised_days".into(),
            format!(
                "承诺时限（{} 个工作日）不能超过法定时限（{} 个工作日）",
                guide.promised_days, guide.statutory_days
            ),
        );
    } else if guide.promised_days > MAX_DAYS {
        put(
            "promised_days".into(),
            format!("承诺时限不能超过 {MAX_DAYS} 个工作日"),
        );
    }
    match guide.handling {
        Handling::Immediate if guide.promised_days > 0 => put(
            "handling".into(),
            "即办件当场办结，承诺时限应为 0；如需数日办结请选择承诺件".into(),
        ),
        Handling::Promised | Handling::Joint if guide.promised_days == 0 => put(
            "promised_days".into(),
            format!(
                "{}须填写承诺时限（至少 1 个工作日）；当场办结请选择即办件",
                guide.handling.label()
            ),
        ),
        _ => {}
    }
    if guide.visits > 5 {
        put("visits".into(), "到现场次数不能超过 5 次".into());
    }

    // 情形引导.
    let mut question_ids = BTreeSet::new();
    for (i, s) in guide.situations.iter().enumerate() {
        let at = format!("situations[{i}]");
        if blank(&s.id) {
            put(
                format!("{at}.id"),
                format!("第 {} 个情形问题缺少编号", i + 1),
            );
        } else if !question_ids.insert(s.id.as_str()) {
            put(
                format!("{at}.id"),
                format!("情形问题编号“{}”重复，请改用另一个编号", s.id),
            );
        }
        if blank(&s.question) {
            put(
                format!("{at}.question"),
                format!("第 {} 个情形问题的问题文字为空", i + 1),
            );
        }
        if s.options.len() < 2 {
            put(
                format!("{at}.options"),
                format!("情形问题“{}”至少需要两个选项", s.question.trim()),
            );
        }
        let mut values = BTreeSet::new();
        for (j, o) in s.options.iter().enumerate() {
            if blank(&o.value) {
                put(
                    format!("{at}.options[{j}].value"),
                    format!("第 {} 个选项缺少取值", j + 1),
                );
            } else if !values.insert(o.value.as_str()) {
                put(
                    format!("{at}.options[{j}].value"),
                    format!("选项取值“{}”重复", o.value),
                );
            }
            if blank(&o.label) {
                put(
                    format!("{at}.options[{j}].label"),
                    format!("第 {} 个选项的文字为空", j + 1),
                );
            }
        }
    }
    let check_when =
        |path: String, when: &When, what: &str, put: &mut dyn FnMut(String, String)| {
            for (question, values) in when {
                let Some(situation) = guide.situations.iter().find(|s| &s.id == question) else {
                    put(
                        format!("{path}.when"),
                        format!("{what}的适用情形引用了不存在的情形问题“{question}”"),
                    );
                    continue;
                };
                if values.is_empty() {
                    put(
                        format!("{path}.when"),
                        format!(
                            "{what}的适用情形“{}”没有选择任何选项，永远不会显示",
                            situation.question.trim()
                        ),
                    );
                }
                for value in values {
                    if !situation.options.iter().any(|o| &o.value == value) {
                        put(
                            format!("{path}.when"),
                            format!(
                                "{what}的适用情形引用了情形问题“{}”不存在的选项“{value}”",
                                situation.question.trim()
                            ),
                        );
                    }
                }
            }
        };

    // 受理条件.
    for (i, c) in guide.conditions.iter().enumerate() {
        let at = format!("conditions[{i}]");
        if blank(&c.text) {
            put(format!("{at}.text"), format!("第 {} 条受理条件为空", i + 1));
        }
        check_when(at, &c.when, &format!("第 {} 条受理条件", i + 1), &mut put);
    }

    // 申报材料.
    let mut material_ids = BTreeSet::new();
    for (i, m) in guide.materials.iter().enumerate() {
        let at = format!("materials[{i}]");
        let what = if blank(&m.name) {
            format!("第 {} 项材料", i + 1)
        } else {
            format!("材料“{}”", m.name.trim())
        };
        if blank(&m.id) {
            put(format!("{at}.id"), format!("{what}缺少材料编号"));
        } else if !m
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            put(
                format!("{at}.id"),
                format!("{what}的编号只能用小写字母、数字和下划线，如 id_card"),
            );
        } else if !material_ids.insert(m.id.as_str()) {
            put(
                format!("{at}.id"),
                format!("材料编号“{}”重复，每项材料须有自己的编号", m.id),
            );
        }
        if blank(&m.name) {
            put(format!("{at}.name"), format!("第 {} 项材料缺少名称", i + 1));
        }
        if blank(&m.source) {
            put(
                format!("{at}.source"),
                format!("{what}缺少来源，如“申请人自备”"),
            );
        }
        if m.originals > 20 || m.copies > 20 {
            put(format!("{at}.copies"), format!("{what}的份数不能超过 20"));
        }
        if let Some(form) = &m.blank_form {
            if blank(form) {
                put(
                    format!("{at}.blank_form"),
                    format!("{what}的空白表格编码为空，请填写或取消"),
                );
            } else if !refs.forms.is_empty() && !refs.forms.contains(form) {
                put(
                    format!("{at}.blank_form"),
                    format!("{what}引用的空白表格“{form}”不存在"),
                );
            }
        }
        if m.has_sample && m.blank_form.is_none() {
            put(
                format!("{at}.has_sample"),
                format!("{what}没有空白表格，不能提供示范文本"),
            );
        }
        check_when(at, &m.when, &what, &mut put);
    }

    // 办理流程.
    if guide.steps.is_empty() {
        put("steps".into(), "请至少填写一个办理步骤".into());
    }
    for (i, s) in guide.steps.iter().enumerate() {
        let at = format!("steps[{i}]");
        if blank(&s.title) {
            put(
                format!("{at}.title"),
                format!("第 {} 步缺少步骤名称", i + 1),
            );
        }
        if blank(&s.description) {
            put(
                format!("{at}.description"),
                format!("第 {} 步缺少说明", i + 1),
            );
        }
        check_when(at, &s.when, &format!("第 {} 步", i + 1), &mut put);
    }
    for (i, t) in guide.tips.iter().enumerate() {
        let at = format!("tips[{i}]");
        if blank(&t.text) {
            put(format!("{at}.text"), format!("第 {} 条温馨提示为空", i + 1));
        }
        check_when(at, &t.when, &format!("第 {} 条温馨提示", i + 1), &mut put);
    }

    // 收费.
    if blank(&guide.fee.description) {
        put(
            "fee.description".into(),
            if guide.fee.free {
                "请填写收费说明，如“不收费”".into()
            } else {
                "请写明收费项目和标准，如“工本费 20 元/证”".into()
            },
        );
    }
    if !guide.fee.free && guide.fee.basis.as_deref().is_none_or(blank) {
        put(
            "fee.basis".into(),
            "收费事项须写明收费依据（文件名称和文号）".into(),
        );
    }
    if guide.fee.free && guide.fee.basis.as_deref().is_some_and(|b| !blank(b)) {
        put(
            "fee.basis".into(),
            "不收费的事项不填写收费依据；如需收费请取消“不收费”".into(),
        );
    }

    // 办理地点、电话.
    if guide.places.is_empty() && guide.visits > 0 {
        put(
            "places".into(),
            "需要到现场办理的事项须至少填写一个办理地点".into(),
        );
    }
    for (i, place) in guide.places.iter().enumerate() {
        let at = format!("places[{i}]");
        for (field, value, label) in [
            ("name", &place.name, "名称"),
            ("address", &place.address, "地址"),
            ("window", &place.window, "窗口"),
            ("hours", &place.hours, "办理时间"),
        ] {
            if blank(value) {
                put(
                    format!("{at}.{field}"),
                    format!("第 {} 个办理地点缺少{label}", i + 1),
                );
            }
        }
    }
    if let Err(e) = validate_service_phone(&guide.consult_phone, "咨询电话") {
        put("consult_phone".into(), e);
    }
    if let Err(e) = validate_service_phone(&guide.complaint_phone, "监督投诉电话") {
        put("complaint_phone".into(), e);
    }

    // 网上申报表单.
    let mut field_ids = BTreeSet::new();
    for (i, f) in guide.form.iter().enumerate() {
        let at = format!("form[{i}]");
        if blank(&f.id) {
            put(
                format!("{at}.id"),
                format!("表单第 {} 个字段缺少编号", i + 1),
            );
        } else if !field_ids.insert(f.id.as_str()) {
            put(format!("{at}.id"), format!("表单字段编号“{}”重复", f.id));
        }
        if blank(&f.label) {
            put(
                format!("{at}.label"),
                format!("表单第 {} 个字段缺少名称", i + 1),
            );
        }
        if f.kind == FieldKind::Choice && f.options.iter().filter(|o| !blank(o)).count() < 2 {
            put(
                format!("{at}.options"),
                format!("选择题字段“{}”至少需要两个选项", f.label.trim()),
            );
        }
    }
    p
}

/// One changed field between two versions of a guide, for the diff preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// Path as [`check_guide`] names fields, e.g. `materials[1].name`, `fee`.
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The field-level differences between `before` and `after` (both as JSON), leaves compared
/// one by one; lists are compared by position.
pub fn diff_guides(before: &ItemGuide, after: &ItemGuide) -> Vec<FieldChange> {
    diff_documents(before, after)
}

/// [`diff_guides`] for any published catalog document (a guide, a 一件事): every changed leaf
/// of their JSON, by path.
pub fn diff_documents<T: serde::Serialize>(before: &T, after: &T) -> Vec<FieldChange> {
    let a = serde_json::to_value(before).unwrap_or_default();
    let b = serde_json::to_value(after).unwrap_or_default();
    let mut out = Vec::new();
    diff_value("", Some(&a), Some(&b), &mut out);
    out
}

fn leaf(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn diff_value(
    path: &str,
    a: Option<&serde_json::Value>,
    b: Option<&serde_json::Value>,
    out: &mut Vec<FieldChange>,
) {
    use serde_json::Value;
    if a == b {
        return;
    }
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                diff_value(&sub, x.get(key), y.get(key), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                diff_value(&format!("{path}[{i}]"), x.get(i), y.get(i), out);
            }
        }
        _ => out.push(FieldChange {
            path: path.to_string(),
            before: a.map(leaf),
            after: b.map(leaf),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{
        Audience, Clause, Fee, Material, OnlineLevel, Place, Situation, SituationOption, Step,
    };

    fn material(id: &str, name: &str) -> Material {
        Material::new(id, name)
    }

    fn guide() -> ItemGuide {
        ItemGuide {
            code: "SFQ-GA-0001".into(),
            name: "居民身份证申领".into(),
            item_type: "行政许可".into(),
            department: "ga".into(),
            audience: Audience::Personal,
            themes: vec!["id".into()],
            keywords: vec!["身份证".into()],
            summary: "办理居民身份证。".into(),
            legal_basis: vec!["《中华人民共和国居民身份证法》".into()],
            conditions: vec![Clause {
                text: "本市户籍".into(),
                when: When::new(),
            }],
            materials: vec![material("id_card", "居民身份证"), material("photo", "照片")],
            steps: vec![Step {
                title: "申请".into(),
                description: "到窗口申请".into(),
                when: When::new(),
            }],
            fee: Fee {
                free: false,
                description: "工本费 20 元/证".into(),
                basis: Some("发改价格〔2003〕2322号".into()),
            },
            statutory_days: 60,
            promised_days: 20,
            handling: Handling::Promised,
            online_level: OnlineLevel::Accept,
            visits: 1,
            result: "居民身份证".into(),
            delivery: vec!["窗口领取".into()],
            places: vec![Place {
                name: "示范区政务服务中心".into(),
                address: "示范路 1 号".into(),
                window: "一楼 A 区".into(),
                hours: "周一至周五".into(),
            }],
            consult_phone: "0000-8801 1003".into(),
            complaint_phone: "12345".into(),
            appointment: true,
            cross_province: false,
            situations: vec![Situation {
                id: "local".into(),
                question: "本市户籍吗？".into(),
                help: None,
                options: vec![
                    SituationOption {
                        value: "yes".into(),
                        label: "是".into(),
                    },
                    SituationOption {
                        value: "no".into(),
                        label: "否".into(),
                    },
                ],
            }],
            tips: vec![],
            form: vec![],
        }
    }

    fn refs() -> CatalogRefs {
        CatalogRefs {
            departments: ["ga".to_string()].into(),
            themes: ["id".to_string()].into(),
            forms: ["F-GA-0001".to_string()].into(),
        }
    }

    #[test]
    fn a_complete_guide_has_no_problems() {
        assert_eq!(check_guide(&guide(), &refs()), GuideProblems::new());
    }

    #[test]
    fn promised_days_may_not_exceed_statutory_days() {
        let mut g = guide();
        g.promised_days = 61;
        let p = check_guide(&g, &refs());
        assert_eq!(
            p.get("promised_days").map(String::as_str),
            Some("承诺时限（61 个工作日）不能超过法定时限（60 个工作日）")
        );
        g.statutory_days = 0;
        assert!(!check_guide(&g, &refs()).contains_key("promised_days"));
    }

    #[test]
    fn handling_must_agree_with_promised_days() {
        let mut g = guide();
        g.handling = Handling::Immediate;
        assert!(check_guide(&g, &refs())["handling"].contains("即办件"));
        g.handling = Handling::Promised;
        g.promised_days = 0;
        assert!(check_guide(&g, &refs())["promised_days"].contains("承诺件"));
    }

    #[test]
    fn whens_must_name_existing_questions_and_options() {
        let mut g = guide();
        g.materials[1].when = When::from([("local".into(), vec!["maybe".into()])]);
        g.steps[0].when = When::from([("age".into(), vec!["old".into()])]);
        g.conditions[0].when = When::from([("local".into(), vec![])]);
        let p = check_guide(&g, &refs());
        assert!(
            p["materials[1].when"].contains("不存在的选项“maybe”"),
            "{p:?}"
        );
        assert!(p["materials[1].when"].contains("材料“照片”"));
        assert!(p["steps[0].when"].contains("不存在的情形问题“age”"));
        assert!(p["conditions[0].when"].contains("永远不会显示"));
        g.materials[1].when = When::from([("local".into(), vec!["no".into()])]);
        assert!(!check_guide(&g, &refs()).contains_key("materials[1].when"));
    }

    #[test]
    fn materials_need_unique_ids_names_sources_and_existing_forms() {
        let mut g = guide();
        g.materials[1].id = "id_card".into();
        g.materials[0].name = " ".into();
        g.materials[0].source = String::new();
        g.materials[1].blank_form = Some("F-XX-9999".into());
        let p = check_guide(&g, &refs());
        assert!(p["materials[1].id"].contains("重复"));
        assert_eq!(p["materials[0].name"], "第 1 项材料缺少名称");
        assert!(p["materials[0].source"].contains("缺少来源"));
        assert!(p["materials[1].blank_form"].contains("F-XX-9999"));
        g.materials[1].blank_form = Some("F-GA-0001".into());
        assert!(!check_guide(&g, &refs()).contains_key("materials[1].blank_form"));
    }

    #[test]
    fn a_charged_fee_needs_its_basis_and_a_free_one_none() {
        let mut g = guide();
        g.fee.basis = None;
        assert!(check_guide(&g, &refs())["fee.basis"].contains("收费依据"));
        g.fee.free = true;
        g.fee.description = String::new();
        let p = check_guide(&g, &refs());
        assert!(p["fee.description"].contains("不收费"));
        assert!(!p.contains_key("fee.basis"));
    }

    #[test]
    fn phones_are_checked() {
        for ok in [
            "0000-8801 1003",
            "028-12345678",
            "12345",
            "95598",
            "138 1234 5678",
        ] {
            assert!(validate_service_phone(ok, "咨询电话").is_ok(), "{ok}");
        }
        for bad in ["", "8801", "abc", "0123", "23456789012"] {
            assert!(validate_service_phone(bad, "咨询电话").is_err(), "{bad}");
        }
        let mut g = guide();
        g.complaint_phone = "123".into();
        g.consult_phone = "电话".into();
        let p = check_guide(&g, &refs());
        assert!(p["consult_phone"].starts_with("咨询电话"));
        assert!(
            !p.contains_key("complaint_phone"),
            "123 is a short service number"
        );
    }

    #[test]
    fn unknown_department_theme_and_duplicate_questions_are_named() {
        let mut g = guide();
        g.department = "nope".into();
        g.themes.push("nope".into());
        g.situations.push(g.situations[0].clone());
        g.situations[1].options.truncate(1);
        let p = check_guide(&g, &refs());
        assert!(p["department"].contains("nope"));
        assert!(p["themes[1]"].contains("nope"));
        assert!(p["situations[1].id"].contains("重复"));
        assert!(p["situations[1].options"].contains("两个选项"));
        // Without the catalog's lists only the guide itself is checked.
        let p = check_guide(&g, &CatalogRefs::default());
        assert!(!p.contains_key("department"));
    }

    #[test]
    fn the_diff_names_changed_leaves() {
        let before = guide();
        let mut after = guide();
        after.fee.description = "工本费 25 元/证".into();
        after.materials[1].name = "近期照片".into();
        after.materials.push(material("extra", "其他"));
        let changes = diff_guides(&before, &after);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"fee.description"), "{paths:?}");
        assert!(paths.contains(&"materials[1].name"));
        assert!(paths.contains(&"materials[2]"));
        let fee = changes
            .iter()
            .find(|c| c.path == "fee.description")
            .unwrap();
        assert_eq!(fee.before.as_deref(), Some("工本费 20 元/证"));
        assert_eq!(fee.after.as_deref(), Some("工本费 25 元/证"));
        assert!(diff_guides(&before, &before).is_empty());
    }
}
