//! Where a rating comes from: the browser's device cookie and the client's address, handed
//! to the rating service as `app::rating::Source` for its throttles (held ratings, see
//! docs/TRANSPARENCY.md). The cookie is a random number with no meaning and no record on
//! the server: only this hour's counts per number are kept, in memory.

use super::guard::ClientIp;
use app::rating::Source;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::Response;

pub const DEVICE_COOKIE: &str = "cp_device";

/// Adds the `Source` to rating requests (`/c/…` and the page's `/api/rate`), and gives a
/// browser without a device cookie one, on any page of a counter.
pub async fn device_cookie(State(secure): State<bool>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !(path.starts_with("/c/") || path == "/api/rate") {
        return next.run(request).await;
    }
    let sent = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| app::cookie(h, DEVICE_COOKIE))
        .and_then(|v| (v.len() == 32).then(|| u128::from_str_radix(v, 16).ok()).flatten());
    let device = sent.unwrap_or_else(rand::random::<u128>);
    let address = request.extensions().get::<ClientIp>().map(|c| c.0);
    request.extensions_mut().insert(Source {
        device: Some(device),
        address,
    });
    let mut response = next.run(request).await;
    if sent.is_none() {
        let cookie = format!(
            "{DEVICE_COOKIE}={device:032x}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}
