//! The token a citizen follows a complaint with (`/track/{token}`).
//!
//! 128 random bits, written as 26 characters of Crockford's base32 in groups of five
//! (`k7m2q-...`): no I, L, O or U, so a token read aloud or copied by hand survives, and
//! guessing one is hopeless (2^128 possibilities, far beyond the 80 bits asked for).

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
const LEN: usize = 26;

#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackingToken(String);

impl TrackingToken {
    /// Encodes 16 random bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> TrackingToken {
        let mut value = u128::from_be_bytes(bytes);
        let mut out = [0u8; LEN];
        for slot in out.iter_mut().rev() {
            *slot = ALPHABET[(value & 31) as usize];
            value >>= 5;
        }
        TrackingToken(out.iter().map(|&b| b as char).collect())
    }

    /// Reads a token as a person may type it: any case, with or without hyphens and
    /// spaces, O for 0 and I or L for 1.
    pub fn parse(raw: &str) -> Option<TrackingToken> {
        let mut token = String::with_capacity(LEN);
        for c in raw.chars() {
            let c = match c.to_ascii_lowercase() {
                '-' | ' ' => continue,
                'o' => '0',
                'i' | 'l' => '1',
                c => c,
            };
            if !ALPHABET.contains(&(c as u8)) || !c.is_ascii() {
                return None;
            }
            token.push(c);
        }
        // 26 characters carry 130 bits; the top two must be zero for 128.
        let first = token.as_bytes().first().copied()?;
        (token.len() == LEN && ALPHABET.iter().position(|&a| a == first)? < 8)
            .then_some(TrackingToken(token))
    }

    /// The canonical form, for URLs and storage.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form to show and read aloud: groups of five.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(5)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect::<Vec<_>>()
            .join("-")
    }
}

/// Never prints the token itself: tokens must not reach logs.
impl fmt::Debug for TrackingToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrackingToken(…{})", &self.0[LEN - 2..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_through_their_spoken_form() {
        let token = TrackingToken::from_bytes([0xA5; 16]);
        assert_eq!(token.as_str().len(), 26);
        let typed = token
            .grouped()
            .to_uppercase()
            .replace('0', "O")
            .replace('1', "I");
        assert_eq!(TrackingToken::parse(&typed), Some(token.clone()));
        assert_eq!(
            TrackingToken::parse(&format!(" {} ", token.grouped())),
            Some(token)
        );
    }

    #[test]
    fn distinct_bytes_give_distinct_tokens() {
        let a = TrackingToken::from_bytes([0; 16]);
        let mut bytes = [0; 16];
        bytes[15] = 1;
        assert_ne!(a, TrackingToken::from_bytes(bytes));
        assert_eq!(TrackingToken::from_bytes([0xFF; 16]).as_str().len(), 26);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "abc",
            &"u".repeat(26),
            &"z".repeat(26),
            "../../etc/passwd",
            &"0".repeat(27),
        ] {
            assert!(TrackingToken::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_hides_the_token() {
        let token = TrackingToken::from_bytes([7; 16]);
        assert!(!format!("{token:?}").contains(&token.as_str()[..10]));
    }
}
