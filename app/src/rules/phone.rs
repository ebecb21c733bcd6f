//! 手机号码 validation and the masking of personal data for display.
//!
//! PIPL asks for the minimum: wherever the full value is not needed (lists, confirmations,
//! receipts) show `138****5678`, `张*三` instead.

use super::{mask_middle, normalize_number, FieldError};

/// A mobile number as people type it, folded to what [`validate_mobile`] checks: full-width
/// digits become ASCII, spaces, dashes and brackets go (`(+86) 138-1234-5678`), and the country
/// code of mainland China is dropped when written as `+86`, `0086`, or `86` in front of eleven
/// digits. Anything else is kept, so the validator can say what is wrong with it.
pub fn normalize_mobile(input: &str) -> String {
    let folded: String = normalize_number(input)
        .chars()
        .filter(|c| !matches!(c, '(' | ')'))
        .collect();
    if let Some(rest) = folded
        .strip_prefix("+86")
        .or_else(|| folded.strip_prefix("0086"))
    {
        return rest.to_string();
    }
    match folded.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => folded,
    }
}

/// Validates a mainland mobile number: 11 digits starting with 13–19, as folded by
/// [`normalize_mobile`] (`138 1234 5678`, `138-1234-5678`, `+86 13812345678`, `１３８…`); the
/// normalised digits are returned.
pub fn validate_mobile(input: &str) -> Result<String, FieldError> {
    let number = normalize_mobile(input);
    if number.is_empty() {
        return Err(FieldError::new("请填写手机号码"));
    }
    if number.starts_with('+') {
        return Err(FieldError::new("手机号码仅支持中国大陆号码（+86）"));
    }
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new("手机号码只能包含数字"));
    }
    if number.len() != 11 {
        return Err(FieldError::new(format!(
            "手机号码应为11位数字，您输入了{}位",
            number.len()
        )));
    }
    if !(number.starts_with('1') && (b'3'..=b'9').contains(&number.as_bytes()[1])) {
        return Err(FieldError::new("手机号码应以13至19开头，请核对后重新输入"));
    }
    Ok(number)
}

/// `13812345678` → `138****5678`.
pub fn mask_mobile(number: &str) -> String {
    mask_middle(&normalize_mobile(number), 3, 4)
}

/// Keeps the first and last character of a name: `张小三` → `张*三`, `欧阳小明` → `欧**明`;
/// a two-character name keeps only the surname, `李四` → `李*`.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        _ => mask_middle(name, 1, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers() {
        for n in ["13812345678", "19912345678", "15000000000", "17700001111"] {
            assert_eq!(validate_mobile(n).unwrap(), n);
        }
        assert_eq!(validate_mobile(" 138 1234 5678 ").unwrap(), "13812345678");
        assert_eq!(validate_mobile("138-1234-5678").unwrap(), "13812345678");
    }

    #[test]
    fn accepts_numbers_as_people_type_them() {
        for n in [
            "１３８１２３４５６７８",
            "+8613812345678",
            "+86 138 1234 5678",
            "＋８６－１３８１２３４５６７８",
            "(+86) 138-1234-5678",
            "008613812345678",
            "8613812345678",
            "86 138 1234 5678",
            "138—1234—5678",
        ] {
            assert_eq!(validate_mobile(n).unwrap(), "13812345678", "{n}");
        }
        // A bare 86 is only a country code in front of a whole mobile number.
        assert_eq!(normalize_mobile("861381234567"), "861381234567");
        assert_eq!(
            validate_mobile("861381234567").unwrap_err().message,
            "手机号码应为11位数字，您输入了12位"
        );
        assert_eq!(mask_mobile("+86 138 1234 5678"), "138****5678");
    }

    #[test]
    fn rejects_with_messages_naming_the_field() {
        let msg = |n: &str| validate_mobile(n).unwrap_err().message;
        assert_eq!(msg(""), "请填写手机号码");
        assert_eq!(msg(" - "), "请填写手机号码");
        assert_eq!(msg("1381234567a"), "手机号码只能包含数字");
        assert_eq!(msg("１３８１２３４５６７Ａ"), "手机号码只能包含数字");
        assert_eq!(msg("+1 415 555 0100"), "手机号码仅支持中国大陆号码（+86）");
        assert_eq!(
            msg("+86 138 1234 567"),
            "手机号码应为11位数字，您输入了10位"
        );
        assert_eq!(msg("1381234567"), "手机号码应为11位数字，您输入了10位");
        assert_eq!(msg("138123456789"), "手机号码应为11位数字，您输入了12位");
        for n in ["12812345678", "10012345678", "23812345678", "03812345678"] {
            assert_eq!(msg(n), "手机号码应以13至19开头，请核对后重新输入", "{n}");
        }
        for n in ["", "abc", "1", "12812345678"] {
            assert!(msg(n).contains("手机号码"), "{n}");
        }
    }

    #[test]
    fn masks_mobile() {
        assert_eq!(mask_mobile("13812345678"), "138****5678");
        assert_eq!(mask_mobile("138 1234 5678"), "138****5678");
        assert_eq!(mask_mobile("12345"), "*****");
    }

    #[test]
    fn masks_names() {
        assert_eq!(mask_name("张小三"), "张*三");
        assert_eq!(mask_name("李四"), "李*");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name(" 王 "), "*");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_name("阿依·买买提"), "阿****提");
    }
}
