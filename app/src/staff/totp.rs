//! Time-based one-time codes (RFC 6238): the second factor staff add to their password, from
//! any authenticator app. Six digits, a new code every 30 seconds, HMAC-SHA1 over a 160-bit
//! secret, as every such app expects.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds each code lasts.
pub const STEP_SECS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;

/// A shared secret: 20 random bytes, shown to the person once as base32.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    pub fn generate() -> Secret {
        Secret(rand::random::<[u8; 20]>().to_vec())
    }

    /// Base32 without padding, as authenticator apps take it (and as it is stored).
    pub fn base32(&self) -> String {
        data_encoding::BASE32_NOPAD.encode(&self.0)
    }

    /// Reads a base32 secret, in any case and with spaces, as a person might type it.
    pub fn parse(text: &str) -> Option<Secret> {
        let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != '=').collect();
        let bytes = data_encoding::BASE32_NOPAD.decode(cleaned.to_ascii_uppercase().as_bytes()).ok()?;
        (bytes.len() >= 10).then_some(Secret(bytes))
    }

    /// The `otpauth://` address an authenticator app reads from a QR code.
    pub fn uri(&self, issuer: &str, account: &str) -> String {
        let encode = |text: &str| -> String {
            text.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
            encode(issuer),
            encode(account),
            self.base32(),
            encode(issuer)
        )
    }

    /// The code of one time step.
    pub fn code_at_step(&self, step: i64) -> u32 {
        let mut mac = Hmac::<Sha1>::new_from_slice(&self.0).expect("HMAC takes a key of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
        binary % 10u32.pow(DIGITS)
    }

    /// The time step a typed code belongs to, if it is this step's, the one before or the one
    /// after (a phone's clock a little off), and later than `after_step` (a code is good once).
    pub fn verify(&self, typed: &str, now_ms: i64, after_step: Option<i64>) -> Option<i64> {
        let digits: String = typed.chars().map(halfwidth).filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let code: u32 = digits.parse().ok()?;
        let now = now_ms.div_euclid(1000 * STEP_SECS);
        (now - 1..=now + 1)
            .filter(|&step| after_step.is_none_or(|used| step > used))
            .find(|&step| crate::staff::auth::same_secret(&format!("{:06}", self.code_at_step(step)), &format!("{code:06}")))
    }
}

/// A full-width letter, digit or sign (as a Chinese input method types them) as its ASCII
/// self; anything else as it is.
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B (SHA-1), the last six digits.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = Secret(b"12345678901234567890".to_vec());
        for (time, code) in [(59, 287_082), (1_111_111_109, 81_804), (1_111_111_111, 50_471), (1_234_567_890, 5_924), (2_000_000_000, 279_037)] {
            assert_eq!(secret.code_at_step(time / STEP_SECS), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_good_for_its_step_and_the_next_to_it_and_only_once() {
        let secret = Secret::generate();
        let now_ms = 1_764_000_000_000;
        let step = now_ms / 1000 / STEP_SECS;
        let code = format!("{:06}", secret.code_at_step(step));
        assert_eq!(secret.verify(&code, now_ms, None), Some(step));
        assert_eq!(secret.verify(&format!("{} {}", &code[..3], &code[3..]), now_ms + 30_000, None), Some(step), "typed with a space, 30 s late");
        assert_eq!(secret.verify(&code, now_ms, Some(step)), None, "used already");
        assert_eq!(secret.verify(&code, now_ms + 120_000, None), None, "too old");
        let fullwidth: String = code.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
        assert_eq!(secret.verify(&fullwidth, now_ms + 1, None), Some(step), "typed by a Chinese input method");
        assert_eq!(secret.verify("12345", now_ms, None), None);
        assert_eq!(secret.verify("abcdef", now_ms, None), None);
    }

    #[test]
    fn a_secret_reads_back_from_its_base32_and_makes_an_otpauth_address() {
        let secret = Secret::generate();
        let text = secret.base32();
        assert_eq!(text.len(), 32);
        assert_eq!(Secret::parse(&text.to_lowercase()), Some(secret.clone()));
        let uri = secret.uri("Counterpoint", "supervisor");
        assert!(uri.starts_with("otpauth://totp/Counterpoint:supervisor?secret="), "{uri}");
        assert!(uri.contains(&text) && uri.contains("period=30") && uri.contains("digits=6"));
        assert_eq!(Secret::parse("not base32!"), None);
    }
}
