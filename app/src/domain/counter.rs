//! The code printed on a counter's QR sticker.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A counter's public code: 1 to 16 ASCII letters, digits or hyphens, stored in upper case.
/// It appears in `/c/{code}`, a URL printed on stickers, so it never changes once issued.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CounterCode(String);

impl CounterCode {
    pub const MAX_LEN: usize = 16;

    /// Accepts what a person might type or a scanner might read (any case, stray spaces).
    pub fn parse(raw: &str) -> Option<CounterCode> {
        let code = raw.trim();
        let ok = !code.is_empty()
            && code.len() <= Self::MAX_LEN
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !code.starts_with('-');
        ok.then(|| CounterCode(code.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CounterCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_to_upper_case() {
        assert_eq!(CounterCode::parse(" a01 ").unwrap().as_str(), "A01");
    }

    #[test]
    fn hostile_codes_are_refused() {
        for bad in [
            "",
            "-A",
            "A/../B",
            "A01;DROP",
            "ÄÖ",
            "A".repeat(17).as_str(),
            "a b",
        ] {
            assert!(
                CounterCode::parse(bad).is_none(),
                "{bad:?} should be refused"
            );
        }
    }
}
