//! The HTTP surface: leptos pages and server functions, plain form posts, and the few
//! JSON and redirect endpoints, behind the guard (size, origin, rate limit).

mod admin;
mod cases;
mod device;
mod download;
mod form_data;
mod forms;
pub mod guard;
pub mod health;
mod intake;
mod lang;
pub mod listen;
pub mod message;
pub mod metrics;
mod observe;
mod open311;
mod transparency;
mod staff;
pub mod stats;
mod supervision;
mod track_cache;

use app::state::AppState;
use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, RETRY_AFTER, VARY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::routing::{get, post};
use guard::Guard;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::trace::TraceLayer;

/// After every answer: pages depend on the language cookie and header, and staff pages on
/// the session, so say so to caches, and never let a shared desk's Back button show a
/// signed-out staff page. And every answer of 500 or more is logged with its method and
/// path (tokens left out), at any log level but `off`, so an operator sees what failed and
/// the end-to-end tests fail on any they did not ask for (a panic is logged by the panic
/// hook where it happens). `/readyz` saying "not ready yet" (503) is its answer, not a
/// failure.
async fn cache_rules(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let status = response.status();
    if status.is_server_error() && path != "/readyz" {
        let path = loggable_path(&path);
        tracing::error!(%method, %path, status = status.as_u16(), "answered with a server error");
    }
    let headers = response.headers_mut();
    // The database or a job is out for a moment: say when to try again (a phone's browser
    // shows the page; a proxy or a script waits).
    if status == axum::http::StatusCode::SERVICE_UNAVAILABLE && !headers.contains_key(RETRY_AFTER) {
        headers.insert(RETRY_AFTER, HeaderValue::from_static(OUTAGE_RETRY_SECS));
    }
    if never_kept(&path) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if !path.starts_with("/pkg/") && !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    if !path.starts_with("/pkg/") {
        headers.append(VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    }
    response
}

/// The Content-Security-Policy of every answer. Scripts are limited by each page's own
/// `<meta>` policy (`app::pages::script_policy`, with that response's nonce): a header
/// cannot carry the nonce of a page rendered after it was chosen. Inline `style`
/// attributes stay allowed for the statistics' bars.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; \
    img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'";

/// Seconds a client is asked to wait after a 503 that gave no time of its own.
const OUTAGE_RETRY_SECS: &str = "5";

/// Staff pages, a complaint's tracking page, and every server function but the public
/// ones: never kept by any cache (a new server function is private until listed here).
fn never_kept(path: &str) -> bool {
    const PUBLIC_API: [&str; 5] = ["directory", "counter", "rate", "stats", "guide"];
    path.starts_with("/staff")
        || path.starts_with("/track/")
        || path.strip_prefix("/api/").is_some_and(|name| !PUBLIC_API.contains(&name))
}

/// The page routes, listed once per process. Listing them runs the app with resource
/// loading suppressed through a process-wide flag (leptos_server's `SuppressResourceLoad`,
/// leptos issue #4773): a page whose resource first polled while a second router was being
/// built in the same process waited forever. Only tests build several routers in one
/// process, but one listing is all any process needs.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Builds the whole application router.
pub fn router(state: AppState, guard: Guard, secure_cookies: bool) -> Router {
    let routes = route_list();
    let leptos_options = state.leptos_options.clone();
    let context_state = state.clone();
    let state_for_pages = state.clone();

    let app_routes = Router::new()
        .route("/c/{code}", post(forms::rate_counter))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/transparency/digests.json", get(transparency::digests))
        .route("/transparency/ledger/{file}", get(transparency::day))
        .route("/open311/v2", get(open311::index))
        .route("/open311/v2/", get(open311::index))
        .route("/open311/v2/{file}", get(open311::document).post(open311::post_request))
        .route("/open311/v2/services/{file}", get(open311::service))
        .route("/open311/v2/requests/{file}", get(open311::request))
        .route("/stats/export.csv", get(stats::csv))
        .route("/stats/export.json", get(stats::json))
        .route("/staff/login", post(staff::sign_in))
        .route("/staff/logout", post(staff::sign_out))
        .route("/staff/password", post(staff::change_password))
        .route("/staff/login/code", post(staff::give_code))
        .route("/staff/second-factor", post(staff::second_factor))
        .route(
            "/complain",
            // The guard limits this body (photos included); axum's own 2 MB cap is lifted.
            post(cases::complain).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/track/{token}", post(cases::confirm))
        .route("/staff/cases/{id}", post(cases::act))
        .route("/staff/photos/{id}", get(cases::photo))
        .route("/staff/orders/{id}", post(supervision::order))
        .route("/staff/intake", post(intake::take_in))
        .route("/staff/calendar", post(supervision::calendar))
        .route("/staff/mail/{id}/retry", post(supervision::retry_mail))
        .route("/staff/holds", post(supervision::decide_holds))
        .route("/staff/admin/counters", post(admin::create_counter))
        .route("/staff/admin/counters/{code}/rename", post(admin::rename_counter))
        .route("/staff/admin/counters/{code}/retire", post(admin::retire_counter))
        .route("/staff/admin/halls", post(admin::create_place))
        .route("/staff/admin/halls/{code}/rename", post(admin::rename_place))
        .route("/staff/admin/halls/{code}/retire", post(admin::retire_place))
        .route("/staff/admin/departments", post(admin::create_place))
        .route("/staff/admin/departments/{code}/rename", post(admin::rename_place))
        .route("/staff/admin/departments/{code}/retire", post(admin::retire_place))
        .route("/staff/admin/public-url", post(admin::set_public_url))
        .route("/staff/admin/limits", post(admin::set_time_limits))
        .route("/staff/admin/staff", post(admin::create_account))
        .route("/staff/admin/staff/{username}", post(admin::update_account))
        .route("/staff/admin/staff/{username}/password", post(admin::set_password))
        .route("/staff/admin/staff/{username}/second-factor/reset", post(admin::reset_second_factor))
        .route("/staff/admin/second-factor", post(admin::set_second_factor_roles))
        .route("/staff/admin/channels", post(admin::create_channel))
        .route("/staff/admin/channels/{id}/revoke", post(admin::revoke_channel))
        .route("/staff/admin/services", post(admin::create_service_item))
        .route("/staff/admin/services/{code}", post(admin::update_service_item))
        .route("/staff/departments/{id}/report.csv", get(supervision::department_csv))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || app::shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(
            app::shell,
        ))
        .layer(axum::middleware::from_fn_with_state(state.clone(), staff::first_step_first))
        .layer(axum::middleware::from_fn_with_state(secure_cookies, device::device_cookie))
        .with_state(state);

    let lang_routes = Router::new()
        .route("/lang/{tag}", get(lang::switch_language))
        .with_state(secure_cookies);

    // Behind https, browsers are told to come back only over https for a year.
    let app_routes = if secure_cookies {
        app_routes.layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
    } else {
        app_routes
    };
    app_routes
        .merge(lang_routes)
        .layer(axum::middleware::from_fn_with_state(
            (state_for_pages, track_cache::TrackPages::default()),
            track_cache::serve,
        ))
        .layer(axum::middleware::from_fn(guard::api_error_status))
        .layer(axum::middleware::from_fn(cache_rules))
        .layer(axum::middleware::from_fn_with_state(guard.clone(), guard::guard))
        .layer(axum::middleware::from_fn_with_state(guard, observe::observe))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                // Answers of 5xx are logged by `cache_rules`; here only a body that broke
                // off midway (a download whose storage failed).
                .on_failure(|failure: ServerErrorsFailureClass, _: std::time::Duration, _: &tracing::Span| {
                    if let ServerErrorsFailureClass::Error(error) = failure {
                        tracing::error!(%error, "a response broke off");
                    }
                }),
        )
        // A bug must cost one request a 500, never the connection (or the worker thread).
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
}

/// The request's span: method and path, with tracking tokens and query strings left out,
/// so a log line never holds the key to someone's case.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = %loggable_path(request.uri().path()),
    )
}

pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/track/") {
        Some(_) => "/track/…".to_string(),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::never_kept;

    #[test]
    fn staff_and_tracking_data_is_never_kept_by_a_cache() {
        for path in [
            "/staff", "/staff/cases/3", "/track/abc", "/api/me", "/api/inbox", "/api/case", "/api/track",
            "/api/orders", "/api/department", "/api/calendar", "/api/mail", "/api/admin", "/api/qr_sheet",
            "/api/admin_services", "/api/admin_limits", "/api/admin_staff", "/api/anything_new",
        ] {
            assert!(never_kept(path), "{path}");
        }
        for path in ["/", "/c/A01", "/stats", "/services", "/api/directory", "/api/counter", "/api/stats", "/api/guide"] {
            assert!(!never_kept(path), "{path}");
        }
    }
}
