//! The HTTP front: Leptos pages and server functions, static files, sessions, and the checks
//! every request passes (client address, cross-site refusal).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{LeptosRoutes, generate_route_list};
use staffgate_app::error::AppError;
use staffgate_app::ssr::{ClientAddr, SharedBackend};
use staffgate_app::{App, BuildId, shell};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::config::Config;
use crate::db::Db;
use crate::db::sessions::SqlSessionStore;

mod build_id;

pub use build_id::OFFLINE_FILES;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "staffgate_session";
/// The largest error body [`status_from_early_server_fn_error`] reads; errors are short.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// A session ends after this long without a request.
const SESSION_IDLE: time::Duration = time::Duration::hours(12);

/// Builds the whole router.
pub fn router(
    options: LeptosOptions,
    backend: SharedBackend,
    store: SqlSessionStore,
    db: Db,
    config: &Config,
) -> Router {
    let routes = generate_route_list(App);
    let site_root = Path::new(options.site_root.as_ref());
    let build = BuildId(build_id::build_id(site_root));
    let context = move || {
        provide_context(backend.clone());
        provide_context(build.clone());
    };
    let sessions = SessionManagerLayer::new(store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_expiry(Expiry::OnInactivity(SESSION_IDLE));

    // The browser files are served by `ServeDir` itself: leptos_axum's file handler passes
    // it no conditional headers, so every revalidation would cost the whole file. A missing
    // file under the pkg folder is a plain 404; any other unknown path gets the app's page.
    let pkg_dir = options.site_pkg_dir.trim_matches('/');
    let not_found = leptos_axum::file_and_error_handler_with_context(context.clone(), shell)
        .with_state(options.clone());
    let site_files = ServeDir::new(site_root)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found);
    let mut router = Router::new()
        .route(
            "/api/time",
            get(move || crate::time_endpoint::server_time(db.clone())),
        )
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        });
    if !pkg_dir.is_empty() {
        let pkg_files = ServeDir::new(site_root.join(pkg_dir)).precompressed_gzip();
        router = router.nest_service(&format!("/{pkg_dir}"), pkg_files);
    }

    router
        .fallback_service(site_files)
        .layer(middleware::from_fn(build_id::revalidate_browser_files))
        .layer(middleware::from_fn(crate::upload::require_multipart))
        .layer(middleware::from_fn(status_from_early_server_fn_error))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(sessions)
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trust_proxy),
            record_client_addr,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(options)
}

/// Gives a server function's error its own status when the function never ran.
///
/// A missing field, a number that is not one or an unreadable body fails while the arguments
/// are read, before [`staffgate_app::ssr::finish`] can set the status, and server_fn answers
/// those with 500. The body is the JSON [`AppError`], which knows its status.
async fn status_from_early_server_fn_error(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let early_error = response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && response.headers().contains_key(SERVER_FN_ERROR_HEADER);
    if !early_error {
        return response;
    }

    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Refuses state-changing requests that a browser sent on behalf of another site.
///
/// Browsers mark every request with `Sec-Fetch-Site`; older ones at least send `Origin` on
/// POST. Requests with neither (scripts, tests, the CLI's HTTP clients) are not from a browser
/// and cannot carry a victim's cookies by accident.
async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe_method && is_cross_site(&request) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        // The JSON error a server function would give, so the page can show its words.
        return (StatusCode::FORBIDDEN, Json(AppError::CrossSite)).into_response();
    }
    next.run(request).await
}

fn is_cross_site(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
    {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    origin == "null" || origin_host != host
}

/// Works out the client's address once per request, for the log and the notifications.
async fn record_client_addr(
    State(trust_proxy): State<Arc<bool>>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded = trust_proxy
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(|first| first.trim().to_owned())
        .filter(|first| !first.is_empty());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    request
        .extensions_mut()
        .insert(ClientAddr(forwarded.or(peer)));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut request = Request::post("/api/sign_in").header(header::HOST, "sso.example.test");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(Body::empty()).unwrap()
    }

    #[test]
    fn fetch_metadata_decides_when_the_browser_sends_it() {
        for site in ["same-origin", "none"] {
            let request = post(&[("sec-fetch-site", site), ("origin", "https://evil.example")]);
            assert!(!is_cross_site(&request), "{site}");
        }
        for site in ["same-site", "cross-site", "something-new"] {
            let request = post(&[
                ("sec-fetch-site", site),
                ("origin", "https://sso.example.test"),
            ]);
            assert!(is_cross_site(&request), "{site}");
        }
    }

    #[test]
    fn without_fetch_metadata_the_origin_must_name_this_host() {
        assert!(!is_cross_site(&post(&[(
            "origin",
            "https://sso.example.test"
        )])));
        for origin in [
            "https://evil.example",
            "https://sso.example.test:8443",
            "null",
            "garbage",
        ] {
            assert!(is_cross_site(&post(&[("origin", origin)])), "{origin}");
        }
    }

    #[test]
    fn a_request_with_neither_header_is_not_from_a_browser_and_passes() {
        assert!(!is_cross_site(&post(&[])));
    }
}
