//! Settings administrators change from the browser, kept in the database and shared by
//! every service that needs them while the server runs.

use std::sync::{Arc, RwLock};

/// The `settings` key of the public address.
pub const PUBLIC_URL_KEY: &str = "public_base_url";

/// The public address (`https://…`, no trailing slash) that QR codes and the links in mails
/// point to. Cheap to clone; every clone sees a change at once.
#[derive(Clone, Debug)]
pub struct PublicAddress(Arc<RwLock<String>>);

impl PublicAddress {
    pub fn new(url: &str) -> PublicAddress {
        PublicAddress(Arc::new(RwLock::new(url.trim_end_matches('/').to_string())))
    }

    pub fn get(&self) -> String {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set(&self, url: &str) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = url.trim_end_matches('/').to_string();
    }
}

/// An address people can type or scan: `http://` or `https://`, a host, an optional port
/// and path; no spaces, query or fragment; at most 200 characters. The trailing `/` goes.
pub fn parse_public_url(raw: &str) -> Option<String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next()?;
    let host_ok = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    let rest_ok = rest.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'?' | b'#' | b'"' | b'<' | b'>' | b'\\'));
    (url.len() <= 200 && host_ok && rest_ok).then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_addresses_are_plain_http_or_https_addresses() {
        assert_eq!(parse_public_url(" https://qr.example.gov/ ").as_deref(), Some("https://qr.example.gov"));
        assert_eq!(parse_public_url("http://127.0.0.1:3000").as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(parse_public_url("https://example.gov/counterpoint").as_deref(), Some("https://example.gov/counterpoint"));
        for bad in ["", "example.gov", "javascript:alert(1)", "https://", "https://exa mple.gov", "https://x.gov/?a=1",
            "https://x.gov/#top", "ftp://x.gov", "https://x.gov/\"><script>", "https://用戶.gov"] {
            assert_eq!(parse_public_url(bad), None, "{bad}");
        }
        assert_eq!(parse_public_url(&format!("https://{}.gov", "a".repeat(200))), None);
        let shared = PublicAddress::new("https://a.gov/");
        let other = shared.clone();
        other.set("https://b.gov");
        assert_eq!(shared.get(), "https://b.gov");
    }
}
