//! `GET /lang/{tag}?next=/path`: remember a language and go back where the person was.
//! A link, not a form, so it works everywhere; it changes only a preference.

use app::i18n::{LOCALE_COOKIE, Locale};
use axum::extract::{Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path on this site: never `//host` or `https://...`, so the link cannot be
/// used to send people elsewhere.
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p
        }
        _ => "/",
    }
}

pub async fn switch_language(
    State(secure): State<bool>,
    Path(tag): Path<String>,
    Query(next): Query<Next>,
) -> Response {
    let target = local_path(next.next.as_deref());
    let location = HeaderValue::from_str(target).unwrap_or(HeaderValue::from_static("/"));
    let mut response = (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response();
    if let Some(locale) = Locale::from_tag(&tag) {
        let cookie = format!(
            "{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            locale.tag(),
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/c/A01?x=1")), "/c/A01?x=1");
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
