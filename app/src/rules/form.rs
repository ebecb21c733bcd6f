//! Online application forms: the standard form per audience and validation of every field kind.
//!
//! The browser checks each field as the user types and the server checks the whole form again
//! on submission, with these same functions, so both say exactly the same thing.

use std::collections::BTreeMap;

use crate::api::{Audience, FieldKind, FieldSpec, ItemGuide};

use super::date::Date;
use super::id_card::validate_id_card;
use super::phone::validate_mobile;
use super::uscc::validate_uscc;
use super::FieldError;

/// The longest value a field of `kind` takes, in characters: the one length rule the input
/// (`maxlength` and its counter), the autosave and the submission all apply. Structured kinds
/// leave room for the spaces and dashes people type in numbers (the rules fold them away).
pub fn max_chars(kind: FieldKind) -> usize {
    match kind {
        FieldKind::LongText => 2000,
        FieldKind::Text | FieldKind::Address | FieldKind::Choice => 100,
        FieldKind::IdCard | FieldKind::Uscc | FieldKind::Mobile => 30,
        FieldKind::Number => 15,
        FieldKind::Date => 10,
    }
}

/// The length rule alone (what the autosave checks): `value` (trimmed) is not longer than
/// [`max_chars`], or the message naming the field.
pub fn check_length(spec: &FieldSpec, value: &str) -> Result<(), FieldError> {
    let max = max_chars(spec.kind);
    let length = value.trim().chars().count();
    if length > max {
        Err(FieldError::new(format!(
            "{}最多{max}个字，您填写了{length}个字",
            spec.label
        )))
    } else {
        Ok(())
    }
}

/// The counter under a free-text field once its value is near the limit (from 80%):
/// "还可以输入 12 个字" — `None` before that, and for numbers, codes, dates and choices, whose
/// `maxlength` alone is enough.
pub fn length_counter(kind: FieldKind, value: &str) -> Option<String> {
    if !matches!(
        kind,
        FieldKind::Text | FieldKind::Address | FieldKind::LongText
    ) {
        return None;
    }
    let max = max_chars(kind);
    let length = value.chars().count();
    (length * 5 >= max * 4).then(|| {
        let left = max.saturating_sub(length);
        if left == 0 {
            format!("已达到{max}个字的上限")
        } else {
            format!("还可以输入 {left} 个字（最多{max}个字）")
        }
    })
}

fn field(id: &str, label: &str, kind: FieldKind, help: Option<&str>) -> FieldSpec {
    FieldSpec {
        id: id.into(),
        label: label.into(),
        kind,
        required: true,
        options: Vec::new(),
        help: help.map(Into::into),
    }
}

/// The item's own form, or the standard one for its audience.
pub fn form_for(guide: &ItemGuide) -> Vec<FieldSpec> {
    if !guide.form.is_empty() {
        return guide.form.clone();
    }
    let mut fields = match guide.audience {
        Audience::Business => vec![
            field("company_name", "企业名称", FieldKind::Text, None),
            field(
                "uscc",
                "统一社会信用代码",
                FieldKind::Uscc,
                Some("营业执照上的18位代码"),
            ),
            field("legal_rep_name", "法定代表人姓名", FieldKind::Text, None),
            field(
                "legal_rep_id",
                "法定代表人身份证号码",
                FieldKind::IdCard,
                None,
            ),
            field(
                "contact_phone",
                "联系电话",
                FieldKind::Mobile,
                Some("审核结果将发送到此手机号码"),
            ),
            field("business_address", "经营地址", FieldKind::Address, None),
        ],
        Audience::Personal | Audience::Both => vec![
            field("applicant_name", "申请人姓名", FieldKind::Text, None),
            field(
                "id_number",
                "身份证号码",
                FieldKind::IdCard,
                Some("18位，最后一位可能是 X"),
            ),
            field(
                "phone",
                "手机号码",
                FieldKind::Mobile,
                Some("审核结果将发送到此手机号码"),
            ),
            field("address", "联系地址", FieldKind::Address, None),
        ],
    };
    let mut remarks = field(
        "remarks",
        "补充说明",
        FieldKind::LongText,
        Some("选填：需要向审核人员说明的情况"),
    );
    remarks.required = false;
    fields.push(remarks);
    fields
}

/// Checks one value; returns it normalised (trimmed, upper-case X …).
pub fn validate_field(spec: &FieldSpec, value: &str, today: Date) -> Result<String, FieldError> {
    let value = value.trim();
    let label = &spec.label;
    if value.is_empty() {
        return if spec.required {
            Err(FieldError::new(format!("请填写{label}")))
        } else {
            Ok(String::new())
        };
    }
    check_length(spec, value)?;
    match spec.kind {
        FieldKind::IdCard => validate_id_card(value, today)
            .map(|card| card.number)
            .map_err(|e| rename(e, "身份证号码", label)),
        FieldKind::Uscc => validate_uscc(value).map_err(|e| rename(e, "统一社会信用代码", label)),
        FieldKind::Mobile => validate_mobile(value).map_err(|e| rename(e, "手机号码", label)),
        FieldKind::Date => {
            let date = Date::parse(value).ok_or_else(|| {
                FieldError::new(format!("{label}应为有效日期，格式如 2026-03-01"))
            })?;
            Ok(date.to_string())
        }
        FieldKind::Choice => spec
            .options
            .iter()
            .find(|o| o.as_str() == value)
            .cloned()
            .ok_or_else(|| FieldError::new(format!("请从列表中选择{label}"))),
        FieldKind::Number => {
            let ok = value
                .parse::<f64>()
                .is_ok_and(|n| n.is_finite() && n >= 0.0);
            if ok {
                Ok(value.to_string())
            } else {
                Err(FieldError::new(format!("{label}应为不小于0的数字")))
            }
        }
        FieldKind::Address if value.chars().count() < 5 => Err(FieldError::new(format!(
            "{label}请写到门牌号，例如：示范区民生路88号3单元501室"
        ))),
        FieldKind::Text | FieldKind::Address | FieldKind::LongText => Ok(value.to_string()),
    }
}

/// Field-specific messages name the field by its label (法定代表人身份证号码 …).
fn rename(error: FieldError, generic: &str, label: &str) -> FieldError {
    if generic == label {
        error
    } else {
        FieldError::new(error.message.replace(generic, label))
    }
}

/// Checks a whole form: normalised values, or every field's error at once (field id → message).
pub fn validate_form(
    specs: &[FieldSpec],
    values: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, BTreeMap<String, String>> {
    let mut clean = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for spec in specs {
        let value = values.get(&spec.id).map(String::as_str).unwrap_or("");
        match validate_field(spec, value, today) {
            Ok(v) => {
                clean.insert(spec.id.clone(), v);
            }
            Err(e) => {
                errors.insert(spec.id.clone(), e.message);
            }
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// The applicant's display name from a filled form (for masking in lists and `/track`).
pub fn applicant_name(values: &BTreeMap<String, String>) -> Option<&str> {
    ["applicant_name", "legal_rep_name", "company_name"]
        .iter()
        .find_map(|k| {
            values
                .get(*k)
                .map(String::as_str)
                .filter(|v| !v.trim().is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn spec(kind: FieldKind, label: &str) -> FieldSpec {
        field("x", label, kind, None)
    }

    #[test]
    fn id_card_errors_name_the_field() {
        let s = spec(FieldKind::IdCard, "法定代表人身份证号码");
        let error = validate_field(&s, "110101199003077757", today()).unwrap_err();
        assert!(
            error.message.starts_with("法定代表人身份证号码"),
            "{}",
            error.message
        );
        assert!(validate_field(&s, "11010119900307775x", today()).is_err());
        assert_eq!(
            validate_field(&s, "110101199003077758", today()).unwrap(),
            "110101199003077758"
        );
    }

    #[test]
    fn required_optional_choice_date_number() {
        assert_eq!(
            validate_field(&spec(FieldKind::Text, "申请人姓名"), " ", today())
                .unwrap_err()
                .message,
            "请填写申请人姓名"
        );
        let mut optional = spec(FieldKind::LongText, "补充说明");
        optional.required = false;
        assert_eq!(validate_field(&optional, "", today()).unwrap(), "");
        let mut choice = spec(FieldKind::Choice, "办理方式");
        choice.options = vec!["窗口领取".into(), "邮寄".into()];
        assert!(validate_field(&choice, "邮寄", today()).is_ok());
        assert_eq!(
            validate_field(&choice, "快递", today())
                .unwrap_err()
                .message,
            "请从列表中选择办理方式"
        );
        assert!(validate_field(&spec(FieldKind::Date, "出生日期"), "2026-02-30", today()).is_err());
        assert!(validate_field(&spec(FieldKind::Number, "注册资本"), "-1", today()).is_err());
        assert!(
            validate_field(&spec(FieldKind::Mobile, "联系电话"), "12345678901", today())
                .unwrap_err()
                .message
                .contains("联系电话")
        );
    }

    #[test]
    fn one_length_rule_for_every_kind() {
        let long = spec(FieldKind::LongText, "补充说明");
        let at_limit = "字".repeat(max_chars(FieldKind::LongText));
        assert!(check_length(&long, &at_limit).is_ok());
        assert!(validate_field(&long, &at_limit, today()).is_ok());
        let over = format!("{at_limit}多");
        let error = check_length(&long, &over).unwrap_err();
        assert_eq!(error.message, "补充说明最多2000个字，您填写了2001个字");
        // The submission says exactly what the autosave said.
        assert_eq!(validate_field(&long, &over, today()).unwrap_err(), error);
        // Surrounding spaces are not counted.
        assert!(check_length(&long, &format!("  {at_limit}  ")).is_ok());
        let name = spec(FieldKind::Text, "申请人姓名");
        assert!(check_length(&name, &"张".repeat(101)).is_err());
        let capital = spec(FieldKind::Number, "注册资本");
        assert!(validate_field(&capital, "1234567890123456", today())
            .unwrap_err()
            .message
            .starts_with("注册资本最多15个字"));
        // A number typed with spaces still fits the input.
        let id = spec(FieldKind::IdCard, "身份证号码");
        assert!(check_length(&id, "110101 19900307 7758").is_ok());
    }

    #[test]
    fn counter_appears_near_the_limit() {
        assert_eq!(length_counter(FieldKind::Text, &"字".repeat(79)), None);
        assert_eq!(
            length_counter(FieldKind::Text, &"字".repeat(80)).as_deref(),
            Some("还可以输入 20 个字（最多100个字）")
        );
        assert_eq!(
            length_counter(FieldKind::LongText, &"字".repeat(2000)).as_deref(),
            Some("已达到2000个字的上限")
        );
        assert_eq!(length_counter(FieldKind::IdCard, &"1".repeat(30)), None);
    }

    #[test]
    fn whole_form_reports_every_error_at_once() {
        let specs = vec![
            field("name", "申请人姓名", FieldKind::Text, None),
            field("id", "身份证号码", FieldKind::IdCard, None),
            field("phone", "手机号码", FieldKind::Mobile, None),
        ];
        let values = BTreeMap::from([
            ("name".to_string(), "张小明".to_string()),
            ("id".to_string(), "123".to_string()),
        ]);
        let errors = validate_form(&specs, &values, today()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors["id"].contains("身份证号码"));
        assert_eq!(errors["phone"], "请填写手机号码");
    }
}
