//! Who reaches what: admins, staff, anonymous callers and half-signed-in sessions.

use reqwest::StatusCode;
use staffgate_app::api::types::{AuthState, InstallationSettings};
use staffgate_app::error::AppError;

use crate::helpers::{Browser, PASSWORD, code_in, random_secret, spawn_app};

/// Every admin server function with a well-formed form, as `(endpoint, form)`.
fn admin_calls(target_user_id: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("list_users", vec![]),
        (
            "admin_disable_two_factor",
            vec![
                ("user_id", target_user_id.to_owned()),
                ("reason", "lost phone".to_owned()),
                ("password", PASSWORD.to_owned()),
            ],
        ),
        ("list_notifications", vec![]),
        ("installation_settings", vec![]),
        (
            "update_installation_settings",
            vec![
                ("issuer", "Taken Over".to_owned()),
                ("algorithm", "SHA256".to_owned()),
                ("digits", "8".to_owned()),
                ("period_secs", "60".to_owned()),
            ],
        ),
    ]
}

/// Every server function that needs a fully signed-in user, other than the admin ones.
const ACCOUNT_CALLS: &[(&str, &[(&str, &str)])] = &[
    ("account", &[]),
    ("setup", &[]),
    ("generate_secret", &[]),
    ("confirm_enrollment", &[("code", "123456")]),
    ("disable_own_two_factor", &[("code", "123456")]),
];

async fn call_owned(browser: &mut Browser, endpoint: &str, form: &[(&str, String)]) -> StatusCode {
    let form: Vec<(&str, &str)> = form
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let reply = browser.call(endpoint, &form).await;
    if reply.status != StatusCode::OK {
        reply.error();
    }
    reply.status
}

#[tokio::test]
async fn staff_and_resellers_get_403_from_every_admin_function_and_change_nothing() {
    let app = spawn_app().await;
    let target = app.add_user("alice", "staff").await;
    app.give_credential(&target, "app", &random_secret()).await;
    let target_id = target.id.to_string();

    for role in ["staff", "reseller"] {
        let user = app.add_user(&format!("{role}-user"), role).await;
        let mut browser = app.signed_in(&user).await;
        for (endpoint, form) in admin_calls(&target_id) {
            let status = call_owned(&mut browser, endpoint, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} calling {endpoint}");
        }
    }

    assert_eq!(
        app.credential_count(&target).await,
        1,
        "the credential must survive"
    );
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    let settings: InstallationSettings = admin
        .call("installation_settings", &[])
        .await
        .assert_ok()
        .json();
    assert_eq!(settings.issuer, "Staffgate");
    assert_eq!((settings.digits, settings.period_secs), (6, 30));
}

#[tokio::test]
async fn an_admin_reaches_every_admin_function() {
    let app = spawn_app().await;
    let target = app.add_user("alice", "staff").await;
    app.give_credential(&target, "app", &random_secret()).await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    for (endpoint, form) in admin_calls(&target.id.to_string()) {
        let status = call_owned(&mut admin, endpoint, &form).await;
        assert_eq!(status, StatusCode::OK, "admin calling {endpoint}");
    }
}

#[tokio::test]
async fn anonymous_callers_get_401_from_every_function_that_needs_a_user() {
    let app = spawn_app().await;
    let target = app.add_user("alice", "staff").await;
    let mut anonymous = app.browser();

    for (endpoint, form) in admin_calls(&target.id.to_string()) {
        let status = call_owned(&mut anonymous, endpoint, &form).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "anonymous calling {endpoint}"
        );
    }
    for (endpoint, form) in ACCOUNT_CALLS {
        let reply = anonymous.call(endpoint, form).await;
        assert_eq!(
            reply.error_with_status(StatusCode::UNAUTHORIZED),
            AppError::Unauthorized
        );
    }
    let reply = anonymous.verify_code("123456").await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );

    let state: AuthState = anonymous.call("auth_state", &[]).await.assert_ok().json();
    assert_eq!(state, AuthState::SignedOut);
    assert!(
        anonymous.session_id().is_none(),
        "an anonymous call must not start a session"
    );
}

#[tokio::test]
async fn a_password_only_session_reaches_nothing_but_the_code_step() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let secret = random_secret();
    app.give_credential(&admin, "app", &secret).await;
    let mut pending = app.at_code_step(&admin).await;

    for (endpoint, form) in admin_calls(&admin.id.to_string()) {
        let status = call_owned(&mut pending, endpoint, &form).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "password-only session calling {endpoint}"
        );
    }
    for (endpoint, form) in ACCOUNT_CALLS {
        let reply = pending.call(endpoint, form).await;
        assert_eq!(
            reply.error_with_status(StatusCode::UNAUTHORIZED),
            AppError::Unauthorized
        );
    }
    assert_eq!(app.credential_count(&admin).await, 1);

    let state: AuthState = pending.call("auth_state", &[]).await.assert_ok().json();
    assert!(
        matches!(state, AuthState::CodeRequired { ref username, .. } if username == "root"),
        "{state:?}"
    );
    pending.verify_code(&code_in(&secret, 0)).await.assert_ok();
    pending.call("account", &[]).await.assert_ok();
    pending.call("list_users", &[]).await.assert_ok();
}
