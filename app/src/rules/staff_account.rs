//! Staff accounts: what a user name, a display name and a password must be. The manager's page
//! checks as the manager types, the server checks again on every create, reset and password
//! change, and `server staff add` uses the same rules.

use super::FieldError;

/// The password of every demo staff account. It is printed in the README, so no real account
/// may ever use it.
pub const DEMO_PASSWORD: &str = "Demo@2026";

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The longest display name (姓名).
pub const MAX_NAME_CHARS: usize = 40;

/// A user name: 3–32 lowercase letters, digits, `_`, `.` or `-` (after trimming).
pub fn check_username(username: &str) -> Result<(), FieldError> {
    let username = username.trim();
    if username.is_empty() {
        return Err(FieldError::new("请填写用户名"));
    }
    let ok = (3..=32).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "用户名应为 3–32 位小写字母、数字或 _ . -，例如 ga_wang",
        ))
    }
}

/// A display name (姓名): not empty, at most [`MAX_NAME_CHARS`] characters.
pub fn check_display_name(name: &str) -> Result<(), FieldError> {
    let name = name.trim();
    if name.is_empty() {
        Err(FieldError::new("请填写姓名"))
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(FieldError::new(format!("姓名最多 {MAX_NAME_CHARS} 个字")))
    } else {
        Ok(())
    }
}

/// The password policy for a password a person chooses for the account `username`: at least
/// [`MIN_PASSWORD_CHARS`] characters, letters and digits both, not containing the user name
/// (in any case), and not the public demo password.
pub fn check_password(password: &str, username: &str) -> Result<(), FieldError> {
    if password.is_empty() {
        return Err(FieldError::new("请填写新密码"));
    }
    if password == DEMO_PASSWORD {
        return Err(FieldError::new("新密码不能是公开的示范密码 Demo@2026"));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(format!(
            "新密码至少 {MIN_PASSWORD_CHARS} 位"
        )));
    }
    let letters = password.chars().any(|c| c.is_alphabetic());
    let digits = password.chars().any(|c| c.is_ascii_digit());
    if !(letters && digits) {
        return Err(FieldError::new("新密码须同时包含字母和数字"));
    }
    let name = username.trim().to_lowercase();
    if !name.is_empty() && password.to_lowercase().contains(&name) {
        return Err(FieldError::new("新密码不能包含用户名"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_short_lowercase_words() {
        assert!(check_username("ga_wang").is_ok());
        assert!(check_username(" zheng.zr ").is_ok());
        assert!(check_username("").is_err());
        assert!(check_username("ab").is_err());
        assert!(check_username("GaWang").is_err());
        assert!(check_username("王五").is_err());
        assert!(check_username(&"a".repeat(33)).is_err());
    }

    #[test]
    fn display_names_are_present_and_short() {
        assert!(check_display_name("公安审核员 王五").is_ok());
        assert!(check_display_name("  ").is_err());
        assert!(check_display_name(&"王".repeat(41)).is_err());
    }

    #[test]
    fn the_password_policy() {
        assert!(check_password("Sfq2027spring", "ga_wang").is_ok());
        assert!(check_password("长城2027年的口令abc", "ga_wang").is_ok());
        let refused = |p: &str| check_password(p, "ga_wang").unwrap_err().message;
        assert!(refused("").contains("请填写"));
        assert!(refused("Abc12345").contains("10"));
        assert!(refused("abcdefghijk").contains("字母和数字"));
        assert!(refused("12345678901").contains("字母和数字"));
        assert!(refused("GA_WANG2027x").contains("用户名"));
        assert!(refused(DEMO_PASSWORD).contains("示范密码"));
    }
}
