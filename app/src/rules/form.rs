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

const MAX_TEXT: usize = 100;
const MAX_LONG_TEXT: usize = 2000;

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
    let length = value.chars().count();
    let too_long =
        |max: usize| FieldError::new(format!("{label}最多{max}个字，您填写了{length}个字"));
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
                .is_ok_and(|n| n.is_finite() && n >= 0.0)
                && length <= 15;
            if ok {
                Ok(value.to_string())
            } else {
                Err(FieldError::new(format!("{label}应为不小于0的数字")))
            }
        }
        FieldKind::LongText if length > MAX_LONG_TEXT => Err(too_long(MAX_LONG_TEXT)),
        FieldKind::LongText => Ok(value.to_string()),
        FieldKind::Address if length < 5 => Err(FieldError::new(format!(
            "{label}请写到门牌号，例如：示范区民生路88号3单元501室"
        ))),
        FieldKind::Text | FieldKind::Address if length > MAX_TEXT => Err(too_long(MAX_TEXT)),
        FieldKind::Text | FieldKind::Address => Ok(value.to_string()),
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
