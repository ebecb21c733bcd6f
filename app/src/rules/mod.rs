//! Pure domain rules shared by the browser client and the API server.
//!
//! Everything here is compiled twice — natively for the server and to wasm32 for the browser — so
//! that a citizen sees exactly the verdict the server will later enforce: the same check digits,
//! the same working-day calendar, the same tailoring of a guide to their situation. To keep that
//! possible the rules are pure functions: no clock (callers pass `today`), no I/O, no threads and
//! no dependencies beyond `serde`/`serde_json`.

use std::fmt;

pub mod bundle;
pub mod case_flow;
pub mod company_name;
pub mod date;
pub mod form;
pub mod geo;
pub mod id_card;
pub mod opening;
pub mod phone;
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
    fn mask_middle_hides_the_middle_and_never_reveals_short_values() {
        assert_eq!(mask_middle("13812345678", 3, 4), "138****5678");
        assert_eq!(mask_middle("1234567", 3, 4), "*******");
        assert_eq!(mask_middle("", 3, 4), "");
    }
}
