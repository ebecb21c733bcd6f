//! Pure domain rules shared by the browser client and the API server.
//!
//! Everything here is compiled twice — natively for the server and to wasm32 for the browser — so
//! that a citizen sees exactly the verdict the server will later enforce: the same check digits,
//! the same working-day calendar, the same tailoring of a guide to their situation. To keep that
//! possible the rules are pure functions: no clock (callers pass `today`), no I/O, no threads and
//! no dependencies beyond `serde`/`serde_json`.

use std::fmt;

pub mod appointment;
pub mod auto_fetch;
pub mod bundle;
pub mod case_flow;
pub mod catalog;
pub mod company_name;
pub mod csv;
pub mod date;
pub mod form;
pub mod geo;
pub mod holiday_year;
pub mod id_card;
pub mod opening;
pub mod phone;
pub mod site_settings;
pub mod staff_account;
pub mod standard_list;
pub mod stats;
pub mod tailor;
pub mod uscc;
pub mod workdays;
pub mod working_hours;

/// Why a value typed into a form field was refused.
///
/// `message` is a complete Chinese sentence naming the field, meant to be shown right under it
/// (and returned in [`crate::api::ApiError::fields`] by the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub message: String,
}

impl FieldError {
    pub fn new(message: impl Into<String>) -> Self {
        FieldError {
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// Removes every whitespace character (including the full-width space U+3000): people paste
/// numbers copied from documents that group digits with spaces, and that should not be an error.
pub(crate) fn strip_spaces(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Folds a number as people type or paste it into plain ASCII, for 身份证号码, 统一社会信用代码
/// and mobile numbers alike: full-width forms (`１２３`, `Ｘ`, `ｍａ`, the ideographic space) become
/// their ASCII counterparts, and the spaces and dashes (`-`, `－`, `—`, `–`, `‐`, `−` …) that group
/// digits are removed. Letter case is kept; each rule decides about it. Every validator of these
/// numbers starts here, so the browser (as the user types) and the server (on submission) see the
/// same normalised value, and that value is what is stored.
pub fn normalize_number(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            // Full-width ASCII block: U+FF01..U+FF5E ↔ U+0021..U+007E.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .filter(|&c| !c.is_whitespace() && !is_dash(c))
        .collect()
}

/// Hyphens and dashes people use to group digits.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}'
    )
}

/// Keeps the first `head` and last `tail` characters and replaces the rest with `*`, one per
/// hidden character. Values too short to hide anything are masked completely rather than shown.
pub(crate) fn mask_middle(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - head - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_displays_its_message() {
        let e = FieldError::new("请填写身份证号码");
        assert_eq!(e.to_string(), "请填写身份证号码");
        assert_eq!(
            e,
            FieldError {
                message: "请填写身份证号码".into()
            }
        );
    }

    #[test]
    fn strip_spaces_removes_ascii_and_full_width_spaces() {
        assert_eq!(
            strip_spaces(" 110101\u{3000}1990 0307\t7758 "),
            "110101199003077758"
        );
    }

    #[test]
    fn normalize_number_folds_full_width_and_drops_spaces_and_dashes() {
        assert_eq!(
            normalize_number("１１０１０１１９９００３０７７７５８"),
            "110101199003077758"
        );
        assert_eq!(
            normalize_number("１１０１０１ １９９０\u{3000}０３０７７７５ｘ"),
            "11010119900307775x"
        );
        assert_eq!(
            normalize_number("９１３５０１００Ｍ０００１００Ｙ４３"),
            "91350100M000100Y43"
        );
        assert_eq!(normalize_number("138-1234-5678"), "13812345678");
        assert_eq!(normalize_number("138－1234—5678–0‐1−2"), "13812345678012");
        assert_eq!(normalize_number("＋８６ １３８"), "+86138");
        assert_eq!(normalize_number("ma01"), "ma01", "case is kept");
        assert_eq!(normalize_number(" \t "), "");
    }

    #[test]
    fn mask_middle_hides_the_middle_and_never_reveals_short_values() {
        assert_eq!(mask_middle("13812345678", 3, 4), "138****5678");
        assert_eq!(mask_middle("1234567", 3, 4), "*******");
        assert_eq!(mask_middle("", 3, 4), "");
    }
}
