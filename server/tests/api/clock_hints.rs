//! Codes from the wrong time: a refused code that matches a nearby time step says how far the
//! device's clock is off, admins see the last offset of every credential, and setup notices an
//! app that ignored the installation's settings.

use std::time::Duration;

use reqwest::StatusCode;
use staffgate_app::api::types::{AccountView, AuthState, SetupView, UserRow};
use staffgate_app::error::AppError;

use crate::helpers::browser::SESSION_COOKIE;
use crate::helpers::totp::{PERIOD_SECS, now_secs, totp};
use crate::helpers::{Browser, TestApp, code_in, pending_secret, random_secret, spawn_app};

const MINUS: char = '\u{2212}';

/// Waits until at least `margin_secs` are left in the current 30 s time step, so that a code
/// computed now is checked in the same step by the server.
async fn wait_for_fresh_step(margin_secs: u64) {
    let into_step = now_secs() % PERIOD_SECS;
    if into_step + margin_secs >= PERIOD_SECS {
        tokio::time::sleep(Duration::from_secs(PERIOD_SECS - into_step)).await;
    }
}

/// The "Device clock" cell of `username` as the admin's server function gives it.
async fn device_clock(admin: &mut Browser, username: &str) -> Option<String> {
    let users: Vec<UserRow> = admin.call("list_users", &[]).await.assert_ok().json();
    users
        .into_iter()
        .find(|row| row.username == username)
        .unwrap_or_else(|| panic!("{username} is listed"))
        .device_clock
}

/// The HTML of `path` as the browser with this session would load it.
async fn page_html(app: &TestApp, browser: &Browser, path: &str) -> String {
    let session = browser.session_id().expect("a session cookie");
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.base))
        .header("cookie", format!("{SESSION_COOKIE}={session}"))
        .send()
        .await
        .expect("load a page");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("read a page")
}

#[tokio::test]
async fn a_code_two_minutes_ahead_is_refused_in_words_and_admins_see_every_device_clock() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    let enrolled = app.enroll(&mut alice_browser).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    assert_eq!(device_clock(&mut admin, "alice").await, None);

    // An app whose phone is two minutes fast shows the code of four steps ahead.
    wait_for_fresh_step(10).await;
    let mut browser = app.at_code_step(&alice).await;
    let ahead = totp(&enrolled.secret, now_secs() + 4 * PERIOD_SECS, 6);
    let reply = browser.verify_code(&ahead).await;
    assert_eq!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(
            "This code is from about 2 minutes ahead of the server's time: the clock on the \
             device that made it is probably 2 minutes fast."
                .into()
        )
    );
    assert_eq!(app.failed_codes(&alice).await, 1, "a hint is no success");
    let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
    assert!(
        matches!(state, AuthState::CodeRequired { .. }),
        "the refused code signed nobody in: {state:?}"
    );

    assert_eq!(
        device_clock(&mut admin, "alice").await.as_deref(),
        Some("device clock about +2 min")
    );
    let html = page_html(&app, &admin, "/admin/users").await;
    assert!(html.contains("device clock about +2 min"), "{html}");

    // A second credential, a token 90 s slow: its offset is shown too, each one named, not
    // only the first credential's.
    let token = random_secret();
    app.give_credential(&alice, "token", &token).await;
    wait_for_fresh_step(10).await;
    let behind = totp(&token, now_secs() - 3 * PERIOD_SECS, 6);
    let reply = browser.verify_code(&behind).await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert_eq!(
        error,
        AppError::WrongCode(
            "This code is from about 90 seconds behind the server's time: the clock on the \
             device that made it is probably 90 seconds slow."
                .into()
        )
    );
    assert_eq!(
        device_clock(&mut admin, "alice").await,
        Some(format!(
            "Authenticator app: device clock about +2 min; test credential: device clock about \
             {MINUS}90 s"
        ))
    );
}

#[tokio::test]
async fn a_default_code_at_setup_on_a_non_default_installation_says_the_app_ignored_the_settings() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let alice = app.add_user("alice", "staff").await;

    for (algorithm, digits, period_secs) in [("SHA256", 8, 60), ("SHA1", 6, 60), ("SHA512", 6, 30)]
    {
        admin.set_installation(algorithm, digits, period_secs).await;
        let mut browser = app.signed_in(&alice).await;
        browser.call("generate_secret", &[]).await.assert_ok();
        let secret = pending_secret(&mut browser).await;

        // What an app that ignores the settings shows: SHA1, 6 digits, 30 s.
        wait_for_fresh_step(5).await;
        let reply = browser
            .call("confirm_enrollment", &[("code", &code_in(&secret, 0))])
            .await;
        assert_eq!(
            reply.error_with_status(StatusCode::BAD_REQUEST),
            AppError::WrongCode(format!(
                "Your authenticator app ignored this installation's settings ({algorithm}, \
                 {digits} digits, a new code every {period_secs} seconds) and made a SHA1, \
                 6-digit, 30-second code instead. Use an app that supports these settings, or \
                 ask an administrator to use the defaults."
            )),
            "{algorithm}/{digits}/{period_secs}"
        );

        // Nothing is turned on; the secret still waits for a right code.
        assert_eq!(app.credential_count(&alice).await, 0);
        let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
        assert!(!account.two_factor_on);
        let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
        assert!(!setup.two_factor_on);
        assert!(setup.pending.is_some());
        browser.call("sign_out", &[]).await.assert_ok();
    }
    let enabled = app
        .notifications(&mut admin)
        .await
        .into_iter()
        .filter(|row| row.event == "Two-factor authentication turned on")
        .count();
    assert_eq!(enabled, 0, "no enrollment is logged");
}
