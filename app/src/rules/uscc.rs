//! 统一社会信用代码 (unified social credit code of organisations), GB 32100-2015.
//!
//! 18 symbols from a 31-character alphabet that leaves out I, O, S, V and Z (too easily confused
//! with 1, 0, 5, U and 2): registration authority, organisation type, 6-digit administrative
//! division, 9-character organisation code and a MOD 31 check symbol.

use super::{normalize_number, FieldError};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

fn value(symbol: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == symbol).map(|i| i as u32)
}

/// The check symbol for the first 17 symbols (upper-case), or `None` unless given exactly 17
/// symbols of the alphabet.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let sum = first17
        .bytes()
        .zip(WEIGHTS)
        .try_fold(0u32, |sum, (b, w)| Some(sum + value(b)? * w))?;
    // C = 31 − (S mod 31), where 31 is written as 0.
    let check = (31 - sum % 31) % 31;
    Some(char::from(ALPHABET[check as usize]))
}

/// Validates a code as typed — full-width characters, spaces, dashes and lower case are folded
/// ([`normalize_number`]) — and returns it normalised to upper-case ASCII without separators.
/// Positions 3–8 (the administrative division of the registration authority) must be digits.
pub fn validate_uscc(input: &str) -> Result<String, FieldError> {
    let code = normalize_number(input).to_ascii_uppercase();
    if code.is_empty() {
        return Err(FieldError::new("请填写统一社会信用代码"));
    }
    let len = code.chars().count();
    if len != 18 {
        return Err(FieldError::new(format!(
            "统一社会信用代码应为18位，您输入了{len}位"
        )));
    }
    if code.bytes().any(|b| value(b).is_none()) {
        return Err(FieldError::new(
            "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）",
        ));
    }
    if !code.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
        return Err(FieldError::new(
            "统一社会信用代码第3至8位是登记管理机关行政区划码，应为6位数字",
        ));
    }
    if uscc_check_char(&code[..17]) != code[17..].chars().next() {
        return Err(FieldError::new(
            "统一社会信用代码校验位不正确，请核对后重新输入",
        ));
    }
    Ok(code)
}

/// Assembles a code from its parts and appends the check symbol (used to make demo data that
/// passes validation). `None` when a part has the wrong length or symbols; the administrative
/// division must be 6 digits.
pub fn make_uscc(registration: char, org_type: char, area6: &str, org9: &str) -> Option<String> {
    if area6.len() != 6 || !area6.bytes().all(|b| b.is_ascii_digit()) || org9.len() != 9 {
        return None;
    }
    let first17 = format!("{registration}{org_type}{area6}{org9}").to_ascii_uppercase();
    let check = uscc_check_char(&first17)?;
    Some(format!("{first17}{check}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_codes() {
        assert_eq!(
            validate_uscc("91350100M000100Y43").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            validate_uscc("91000000MA01ABCD2X").unwrap(),
            "91000000MA01ABCD2X"
        );
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(
            validate_uscc(" 91350100m000100y43 ").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            validate_uscc("913501 00M000 100Y43").unwrap(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn messages_in_order() {
        assert_eq!(
            validate_uscc("").unwrap_err().message,
            "请填写统一社会信用代码"
        );
        assert_eq!(
            validate_uscc(" \t").unwrap_err().message,
            "请填写统一社会信用代码"
        );
        assert_eq!(
            validate_uscc("91350100M000100Y4").unwrap_err().message,
            "统一社会信用代码应为18位，您输入了17位"
        );
        assert_eq!(
            validate_uscc("统一社会信用代码").unwrap_err().message,
            "统一社会信用代码应为18位，您输入了8位"
        );
        let bad_chars = "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）";
        for code in [
            "91350100I000100Y43",
            "91350100O000100Y43",
            "91350100S000100Y43",
            "91350100V000100Y43",
            "91350100Z000100Y43",
            "91350100#000100Y43",
            "91350100M000100Y4Ｚ",
        ] {
            assert_eq!(
                validate_uscc(code).unwrap_err().message,
                bad_chars,
                "{code}"
            );
        }
        assert_eq!(
            validate_uscc("91350100M000100Y44").unwrap_err().message,
            "统一社会信用代码校验位不正确，请核对后重新输入"
        );
    }

    #[test]
    fn normalises_full_width_and_dashes() {
        assert_eq!(
            validate_uscc("９１３５０１００Ｍ０００１００Ｙ４３").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            validate_uscc("９１３５０１００ｍ０００１００ｙ４３").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            validate_uscc("913501-00M000-100Y43").unwrap(),
            "91350100M000100Y43"
        );
        // A dash that stands for a character leaves the code one short: say so, not "bad character".
        assert_eq!(
            validate_uscc("91350100-000100Y43").unwrap_err().message,
            "统一社会信用代码应为18位，您输入了17位"
        );
    }

    #[test]
    fn division_code_must_be_digits() {
        let msg = "统一社会信用代码第3至8位是登记管理机关行政区划码，应为6位数字";
        // Letters of the alphabet in positions 3–8, with a correct check symbol each time.
        for first17 in [
            "91A50100M000100Y4",
            "9135010BM000100Y4",
            "91MA0000MA01ABCD2",
            "92H10000MA01ABCD2",
        ] {
            let code = format!("{first17}{}", uscc_check_char(first17).unwrap());
            assert_eq!(validate_uscc(&code).unwrap_err().message, msg, "{code}");
        }
        // Letters elsewhere (positions 1–2, 9–18) stay allowed.
        let first17 = "Y1350100MA01ABCDX";
        let code = format!("{first17}{}", uscc_check_char(first17).unwrap());
        assert!(validate_uscc(&code).is_ok(), "{code}");
    }

    #[test]
    fn single_typos_are_caught() {
        let valid = b"91350100M000100Y43";
        for i in 0..18 {
            for &symbol in ALPHABET {
                if symbol == valid[i] {
                    continue;
                }
                let mut typo = valid.to_vec();
                typo[i] = symbol;
                let typo = String::from_utf8(typo).unwrap();
                assert!(validate_uscc(&typo).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn check_char_computation() {
        assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(uscc_check_char("91000000MA01ABCD2"), Some('X'));
        assert_eq!(uscc_check_char("91350100M000100Y"), None);
        assert_eq!(uscc_check_char("91350100I000100Y4"), None);
        assert_eq!(uscc_check_char("91350100m000100y4"), None);
    }

    #[test]
    fn check_value_31_is_written_0() {
        // Find a prefix whose weighted sum is a multiple of 31: its check symbol must be '0'.
        let first17 = (0..31 * 31)
            .map(|n| {
                let (a, b) = (ALPHABET[n / 31] as char, ALPHABET[n % 31] as char);
                format!("91110000MA01ABC{a}{b}")
            })
            .find(|f| {
                let sum: u32 = f
                    .bytes()
                    .zip(WEIGHTS)
                    .map(|(b, w)| value(b).unwrap() * w)
                    .sum();
                sum.is_multiple_of(31)
            })
            .unwrap();
        assert_eq!(uscc_check_char(&first17), Some('0'));
        assert!(validate_uscc(&format!("{first17}0")).is_ok());
    }

    #[test]
    fn make_appends_the_check_symbol() {
        assert_eq!(
            make_uscc('9', '1', "350100", "M000100Y4").unwrap(),
            "91350100M000100Y43"
        );
        assert_eq!(
            make_uscc('9', '1', "000000", "ma01abcd2").unwrap(),
            "91000000MA01ABCD2X"
        );
        let made = make_uscc('5', '2', "510300", "MJ0012345").unwrap();
        assert_eq!(validate_uscc(&made).unwrap(), made);
        assert_eq!(make_uscc('9', '1', "35010", "M000100Y4"), None);
        assert_eq!(make_uscc('9', '1', "35010A", "M000100Y4"), None);
        assert_eq!(make_uscc('9', '1', "350100", "M000100Y"), None);
        assert_eq!(make_uscc('I', '1', "350100", "M000100Y4"), None);
        assert_eq!(make_uscc('9', '1', "350100", "M000100S4"), None);
    }
}
