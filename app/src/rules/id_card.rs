//! 居民身份证号码 (resident ID number), GB 11643-1999.
//!
//! 18 characters: 6-digit area code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for
//! men, even for women) and a check character computed over the first 17 digits (ISO 7064
//! MOD 11-2, where the value 10 is written `X`). The checks run in the order a person would fix
//! their typing — missing, wrong length, wrong characters, impossible birth date, wrong check
//! character — so the message always points at the first real problem.

use super::date::Date;
use super::{mask_middle, normalize_number, FieldError};

/// A valid ID number and what it says about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdCard {
    /// The normalised number: no spaces, check character `X` upper-case.
    pub number: String,
    pub birth: Date,
    pub male: bool,
    /// The 6-digit administrative division code where the number was first issued.
    pub area: String,
}

impl IdCard {
    /// Age in whole years on `date` (someone born on 29 February turns a year older on
    /// 1 March in common years).
    pub fn age_on(&self, date: Date) -> i32 {
        let birthday_passed = (date.month, date.day) >= (self.birth.month, self.birth.day);
        date.year - self.birth.year - i32::from(!birthday_passed)
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The check character for the first 17 digits, or `None` unless given exactly 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let sum = first17.bytes().zip(WEIGHTS).try_fold(0u32, |sum, (b, w)| {
        b.is_ascii_digit().then(|| sum + u32::from(b - b'0') * w)
    })?;
    Some(char::from(CHECK_CHARS[(sum % 11) as usize]))
}

/// Validates an ID number as typed: full-width digits and `Ｘ`, spaces and dashes are folded
/// ([`normalize_number`]) and a lower-case `x` is accepted; the normalised number is returned in
/// [`IdCard::number`]. `today` (Beijing date) bounds the birth date; the rules have no clock.
pub fn validate_id_card(input: &str, today: Date) -> Result<IdCard, FieldError> {
    let number = normalize_number(input).replace('x', "X");
    if number.is_empty() {
        return Err(FieldError::new("请填写身份证号码"));
    }
    let len = number.chars().count();
    if len != 18 {
        return Err(FieldError::new(format!(
            "身份证号码应为18位，您输入了{len}位"
        )));
    }
    let b = number.as_bytes();
    if !(b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X')) {
        return Err(FieldError::new(
            "身份证号码前17位应为数字，最后一位为数字或X",
        ));
    }

    let num = |r: std::ops::Range<usize>| number[r].parse::<u32>().expect("checked digits");
    let (y, m, d) = (num(6..10), num(10..12), num(12..14));
    let earliest = Date {
        year: 1900,
        month: 1,
        day: 1,
    };
    let birth = match Date::new(y as i32, m as u8, d as u8) {
        Some(birth) if birth >= earliest => birth,
        // A real calendar day, just earlier than any number issued under GB 11643.
        Some(_) => {
            return Err(FieldError::new(format!(
                "身份证号码中的出生日期（{y}年{m}月{d}日）超出范围，应不早于1900年1月1日"
            )))
        }
        None => {
            return Err(FieldError::new(format!(
                "身份证号码中的出生日期（{y}年{m}月{d}日）不存在"
            )))
        }
    };
    if birth > today {
        return Err(FieldError::new(format!(
            "身份证号码中的出生日期（{}）不能晚于今天",
            birth.chinese_long()
        )));
    }

    if id_check_char(&number[..17]) != Some(char::from(b[17])) {
        return Err(FieldError::new("身份证号码校验位不正确，请核对后重新输入"));
    }
    Ok(IdCard {
        male: num(14..17) % 2 == 1,
        area: number[..6].to_string(),
        birth,
        number,
    })
}

/// Masks an ID number for display (PIPL): first 3 and last 4 characters, e.g.
/// `110***********7758`.
pub fn mask_id_card(number: &str) -> String {
    mask_middle(&normalize_number(number), 3, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 2, 24).unwrap()
    }

    fn err(input: &str) -> String {
        validate_id_card(input, today()).unwrap_err().message
    }

    #[test]
    fn accepts_valid_numbers_and_reads_them() {
        let card = validate_id_card("110101199003077758", today()).unwrap();
        assert_eq!(card.number, "110101199003077758");
        assert_eq!(card.birth, Date::new(1990, 3, 7).unwrap());
        assert!(card.male);
        assert_eq!(card.area, "110101");

        // The 17th digit decides: 3 is odd (male), 4 even (female).
        let card = validate_id_card("110101199003076536", today()).unwrap();
        assert!(card.male);
        let card = validate_id_card("110101199003077643", today()).unwrap();
        assert!(!card.male);
    }

    #[test]
    fn normalises_spaces_and_lower_case_x() {
        // 110101200002290018 is valid; find one ending in X by brute force over the sequence.
        let first17 = (0..1000)
            .map(|seq| format!("11010120000229{seq:03}"))
            .find(|f| id_check_char(f) == Some('X'))
            .unwrap();
        let lower = format!(" {} {}x ", &first17[..6], &first17[6..]);
        let card = validate_id_card(&lower, today()).unwrap();
        assert_eq!(card.number, format!("{first17}X"));
        assert_eq!(card.birth, Date::new(2000, 2, 29).unwrap());
        assert_eq!(
            validate_id_card("\u{3000}110101199003077758\t", today())
                .unwrap()
                .number,
            "110101199003077758"
        );
    }

    #[test]
    fn empty_input() {
        assert_eq!(err(""), "请填写身份证号码");
        assert_eq!(err("   "), "请填写身份证号码");
    }

    #[test]
    fn wrong_length_counts_characters() {
        assert_eq!(err("11010119900307775"), "身份证号码应为18位，您输入了17位");
        assert_eq!(
            err("1101011990030777580"),
            "身份证号码应为18位，您输入了19位"
        );
        // First-generation 15-digit numbers are no longer valid.
        assert_eq!(err("110101900307775"), "身份证号码应为18位，您输入了15位");
        // Characters, not bytes: 18 Chinese characters would be 54 bytes.
        assert_eq!(err("一二三"), "身份证号码应为18位，您输入了3位");
    }

    #[test]
    fn bad_characters() {
        let msg = "身份证号码前17位应为数字，最后一位为数字或X";
        assert_eq!(err("11010119900307775A"), msg);
        assert_eq!(err("X10101199003077758"), msg);
        assert_eq!(err("1101011990030777X8"), msg);
        assert_eq!(err("11010119900307775Ａ"), msg); // full-width letter other than X
        assert_eq!(err("110101#99003077758"), msg);
    }

    #[test]
    fn impossible_birth_dates() {
        assert_eq!(
            err("110101199002307758"),
            "身份证号码中的出生日期（1990年2月30日）不存在"
        );
        assert_eq!(
            err("110101199013017758"),
            "身份证号码中的出生日期（1990年13月1日）不存在"
        );
        assert_eq!(
            err("110101199000017758"),
            "身份证号码中的出生日期（1990年0月1日）不存在"
        );
        assert_eq!(
            err("110101202502297758"),
            "身份证号码中的出生日期（2025年2月29日）不存在"
        );
        assert_eq!(
            err("110101189902297758"),
            "身份证号码中的出生日期（1899年2月29日）不存在"
        );
    }

    #[test]
    fn birth_dates_before_1900_are_out_of_range() {
        assert_eq!(
            err("110101189912317758"),
            "身份证号码中的出生日期（1899年12月31日）超出范围，应不早于1900年1月1日"
        );
        assert_eq!(
            err("110101000101017758"),
            "身份证号码中的出生日期（1年1月1日）超出范围，应不早于1900年1月1日"
        );
    }

    #[test]
    fn numbers_as_people_type_them() {
        let want = "110101199003077758";
        for typed in [
            "１１０１０１１９９００３０７７７５８",
            "110101-19900307-7758",
            "110101 1990 0307 7758",
            "１１０１０１－１９９００３０７－７７５８",
        ] {
            assert_eq!(
                validate_id_card(typed, today()).unwrap().number,
                want,
                "{typed}"
            );
        }
        let first17 = (0..1000)
            .map(|seq| format!("11010120000229{seq:03}"))
            .find(|f| id_check_char(f) == Some('X'))
            .unwrap();
        let full_width: String = first17
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
            .collect();
        for x in ["Ｘ", "ｘ"] {
            let card = validate_id_card(&format!("{full_width}{x}"), today()).unwrap();
            assert_eq!(card.number, format!("{first17}X"));
        }
        // A dash typed instead of a digit leaves the number short: say that.
        assert_eq!(
            err("110101-99003077758"),
            "身份证号码应为18位，您输入了17位"
        );
        assert_eq!(
            mask_id_card("１１０１０１１９９００３０７７７５８"),
            "110***********7758"
        );
    }

    #[test]
    fn birth_date_in_the_future() {
        let first17 = "11010120260225001";
        let number = format!("{first17}{}", id_check_char(first17).unwrap());
        assert_eq!(
            validate_id_card(&number, today()).unwrap_err().message,
            "身份证号码中的出生日期（2026年2月25日）不能晚于今天"
        );
        // Born today is fine: a newborn's 户口 registration needs a number.
        let first17 = "11010120260224001";
        let number = format!("{first17}{}", id_check_char(first17).unwrap());
        assert!(validate_id_card(&number, today()).is_ok());
    }

    #[test]
    fn earliest_birth_date_is_accepted() {
        let first17 = "11010119000101001";
        let number = format!("{first17}{}", id_check_char(first17).unwrap());
        assert!(validate_id_card(&number, today()).is_ok());
    }

    #[test]
    fn wrong_check_digit() {
        assert_eq!(
            err("110101199003077757"),
            "身份证号码校验位不正确，请核对后重新输入"
        );
        assert_eq!(
            err("11010119900307775X"),
            "身份证号码校验位不正确，请核对后重新输入"
        );
        // A single mistyped digit anywhere is always caught.
        let valid = "110101199003077758";
        for i in 0..17 {
            for digit in b'0'..=b'9' {
                let mut b = valid.as_bytes().to_vec();
                if b[i] == digit {
                    continue;
                }
                b[i] = digit;
                let typo = String::from_utf8(b).unwrap();
                assert!(validate_id_card(&typo, today()).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn check_char_computation() {
        assert_eq!(id_check_char("11010119900307775"), Some('8'));
        assert_eq!(id_check_char("11010119900307653"), Some('6'));
        assert_eq!(id_check_char("11010120000229001"), Some('8'));
        assert_eq!(id_check_char("1101011990030777"), None);
        assert_eq!(id_check_char("110101199003077758"), None);
        assert_eq!(id_check_char("1101011990030777A"), None);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id_card("110101199003077758"), "110***********7758");
        assert_eq!(mask_id_card(" 110101199003077758 "), "110***********7758");
        assert_eq!(mask_id_card("1234"), "****");
    }

    #[test]
    fn age() {
        let card = validate_id_card("110101199003077758", today()).unwrap();
        assert_eq!(card.age_on(Date::new(2026, 3, 6).unwrap()), 35);
        assert_eq!(card.age_on(Date::new(2026, 3, 7).unwrap()), 36);
        let leapling = IdCard {
            birth: Date::new(2000, 2, 29).unwrap(),
            ..card
        };
        assert_eq!(leapling.age_on(Date::new(2018, 2, 28).unwrap()), 17);
        assert_eq!(leapling.age_on(Date::new(2018, 3, 1).unwrap()), 18);
    }
}
