//! Staffgate's user interface: Leptos pages rendered on the server and hydrated in the browser,
//! and the server functions they call.
//!
//! With the `ssr` feature this crate is linked into the server; with `hydrate` it is the
//! WebAssembly entry point. Every form also works without JavaScript: it posts to its server
//! function, which redirects back with the result.

#![recursion_limit = "256"]

pub mod api;
pub mod clock;
pub mod components;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use crate::pages::{
    account::AccountPage, admin_notifications::NotificationsPage, admin_settings::SettingsPage,
    admin_tokens::TokensPage, admin_users::UsersPage, clock::ClockPage, home::HomePage,
    login::LoginPage, not_found::NotFound, setup::SetupPage,
};

/// Identifies the build of the browser files, so the offline cache can be replaced when they
/// change. The server provides it as context; the page carries it in a `<meta>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildId(pub String);

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let build = use_context::<BuildId>().map(|id| id.0).unwrap_or_default();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <meta name="theme-color" content="#0b5cad" />
                <meta name="staffgate-build" content=build />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routes. Pages wait for their data before the first byte is sent (`SsrMode::Async`),
/// so a page that needs a signed-in user can answer with a real redirect, also without
/// JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::clock::provide_clock();

    view! {
        <Stylesheet id="leptos" href="/pkg/staffgate.css" />
        <Title formatter=|page: String| format!("{page} · Staffgate") />
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/clock") view=ClockPage ssr=SsrMode::Async />
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                <Route path=path!("/account/two-factor") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/notifications")
                    view=NotificationsPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/admin/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/tokens") view=TokensPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}

/// The WebAssembly entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    crate::clock::register_service_worker();
}
