//! Which passwords staff may choose: 12 to 128 characters, and none that an attacker tries
//! first. One home for the rule, used by administrators setting a password, by staff
//! changing their own, and by the command line that makes an administrator.

use crate::domain::Problem;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The shortest and longest password, in characters.
pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// The 10,000 most common passwords (`app/data/common-passwords.txt`), lower case.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Whether a password is one that is tried first: on the common list once lower-cased, or
/// once the digits and signs added at its end are taken off ("qwertyuiop123!"), or one
/// short piece repeated ("abcabcabcabc").
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
    let repeated = (1..=lower.len() / 2).any(|n| {
        lower.len().is_multiple_of(n)
            && lower.is_char_boundary(n)
            && lower.as_bytes().chunks(n).all(|c| c == &lower.as_bytes()[..n])
    });
    COMMON.contains(lower.as_str()) || (stem.len() >= 4 && COMMON.contains(stem)) || repeated
}

/// A password staff may choose, or why not.
pub fn check(password: &str) -> Result<&str, Problem> {
    if !(MIN_CHARS..=MAX_CHARS).contains(&password.chars().count()) {
        return Err(Problem::PasswordTooShort);
    }
    if is_common(password) {
        return Err(Problem::PasswordCommon);
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_whole_and_common_passwords_are_refused_however_dressed() {
        assert_eq!(COMMON.len(), 10_000);
        for common in ["password1234", "QWERTYUIOP", "qwertyuiop123!", "1q2w3e4r5t6y", "letmein12345", "abcabcabcabc", "aaaaaaaaaaaa"] {
            assert!(is_common(common), "{common}");
        }
        assert_eq!(check("iloveyou1234"), Err(Problem::PasswordCommon));
        assert_eq!(check("short"), Err(Problem::PasswordTooShort));
        assert_eq!(check(&"x".repeat(129)), Err(Problem::PasswordTooShort));
    }

    #[test]
    fn uncommon_passwords_of_any_script_pass() {
        for fine in ["correct horse battery staple", "窗口服務評價系統二〇二六", "Tide-Lantern-47-Oak"] {
            assert_eq!(check(fine), Ok(fine), "{fine}");
        }
    }
}
