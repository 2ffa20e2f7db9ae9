//! Bad input is the caller's fault: it gets a 4xx and a JSON error, never a 500.

use reqwest::StatusCode;
use staffgate_app::api::types::InstallationSettings;
use staffgate_app::error::AppError;

use crate::helpers::{Browser, PASSWORD, Reply, TestApp, TestUser, random_secret, spawn_app};

/// Asserts a 4xx answer carrying a JSON [`AppError`] with the status that goes with it.
#[track_caller]
fn assert_client_error(reply: &Reply, what: &str) -> AppError {
    assert!(
        reply.status.is_client_error(),
        "{what}: {} {}",
        reply.status,
        reply.body
    );
    reply.error()
}

/// An admin's browser, with alice (two-factor on) to act upon.
async fn admin_and_alice(app: &TestApp) -> (Browser, TestUser) {
    let alice = app.add_user("alice", "staff").await;
    app.give_credential(&alice, "app", &random_secret()).await;
    let root = app.add_user("root", "admin").await;
    (app.signed_in(&root).await, alice)
}

#[tokio::test]
async fn missing_form_fields_get_a_4xx_json_error() {
    let app = spawn_app().await;
    let (mut admin, alice) = admin_and_alice(&app).await;
    let alice_id = alice.id.to_string();

    let cases: &[(&str, &[(&str, &str)])] = &[
        ("sign_in", &[]),
        ("sign_in", &[("username", "root")]),
        ("verify_code", &[]),
        ("confirm_enrollment", &[]),
        ("disable_own_two_factor", &[]),
        (
            "admin_disable_two_factor",
            &[("user_id", &alice_id), ("password", PASSWORD)],
        ),
        (
            "admin_disable_two_factor",
            &[("reason", "lost phone"), ("password", PASSWORD)],
        ),
        (
            "update_installation_settings",
            &[("issuer", "Acme"), ("algorithm", "SHA1")],
        ),
    ];
    for (endpoint, form) in cases {
        let reply = admin.call(endpoint, form).await;
        assert_client_error(&reply, &format!("{endpoint} {form:?}"));
    }
    assert_eq!(app.credential_count(&alice).await, 1);
}

#[tokio::test]
async fn numbers_that_are_not_numbers_or_out_of_range_get_a_4xx_json_error() {
    let app = spawn_app().await;
    let (mut admin, _) = admin_and_alice(&app).await;

    for user_id in ["abc", "1e99", "99999999999999999999999", "", "-"] {
        let form = [
            ("user_id", user_id),
            ("reason", "lost phone"),
            ("password", PASSWORD),
        ];
        let reply = admin.call("admin_disable_two_factor", &form).await;
        assert_client_error(&reply, &format!("user_id {user_id:?}"));
    }
    for (digits, period) in [
        ("six", "30"),
        ("300", "30"),
        ("-6", "30"),
        ("6", "-30"),
        ("6", "4294967296"),
    ] {
        let form = [
            ("issuer", "Acme"),
            ("algorithm", "SHA1"),
            ("digits", digits),
            ("period_secs", period),
        ];
        let reply = admin.call("update_installation_settings", &form).await;
        assert_client_error(&reply, &format!("digits {digits:?}, period {period:?}"));
    }
}

#[tokio::test]
async fn absurdly_long_input_gets_a_4xx_json_error() {
    let app = spawn_app().await;
    let (mut admin, alice) = admin_and_alice(&app).await;
    let long = "9".repeat(200_000);
    let alice_id = alice.id.to_string();

    let cases: &[(&str, &[(&str, &str)])] = &[
        ("sign_in", &[("username", &long), ("password", PASSWORD)]),
        ("sign_in", &[("username", "root"), ("password", &long)]),
        ("verify_code", &[("code", &long)]),
        ("confirm_enrollment", &[("code", &long)]),
        ("disable_own_two_factor", &[("code", &long)]),
        (
            "admin_disable_two_factor",
            &[
                ("user_id", &alice_id),
                ("reason", &long),
                ("password", PASSWORD),
            ],
        ),
        (
            "admin_disable_two_factor",
            &[("user_id", &long), ("reason", "x"), ("password", PASSWORD)],
        ),
        (
            "update_installation_settings",
            &[
                ("issuer", &long),
                ("algorithm", "SHA1"),
                ("digits", "6"),
                ("period_secs", "30"),
            ],
        ),
    ];
    for (endpoint, form) in cases {
        let reply = admin.call(endpoint, form).await;
        assert_client_error(&reply, endpoint);
    }

    // A body far beyond any form.
    let huge = format!("username={}&password=x", "a".repeat(3 * 1024 * 1024));
    let reply = admin.post_raw("/api/sign_in", huge, &[]).await;
    assert_client_error(&reply, "a 3 MiB body");
    admin.call("list_users", &[]).await.assert_ok();
}

#[tokio::test]
async fn bodies_that_are_not_forms_get_a_4xx_json_error() {
    let app = spawn_app().await;
    let mut browser = app.browser();

    let bodies: [(&str, Vec<u8>); 4] = [
        (
            "raw bytes that are not UTF-8",
            b"username=\xff\xfe&password=x".to_vec(),
        ),
        (
            "an escape that is not UTF-8",
            b"username=%FF%FE&password=x".to_vec(),
        ),
        ("a broken escape", b"username=%G&password=%".to_vec()),
        ("JSON", br#"{"username":"root","password":"x"}"#.to_vec()),
    ];
    for (what, body) in bodies {
        let reply = browser.post_raw("/api/sign_in", body, &[]).await;
        assert_client_error(&reply, what);
    }
}

#[tokio::test]
async fn invalid_installation_settings_are_refused_with_a_message_and_change_nothing() {
    let app = spawn_app().await;
    let (mut admin, _) = admin_and_alice(&app).await;

    for (issuer, algorithm, digits, period) in [
        ("Staff Portal: Prod", "SHA1", "6", "30"),
        ("sso.example.test:8443", "SHA1", "6", "30"),
        ("", "SHA1", "6", "30"),
        ("Acme", "MD5", "6", "30"),
        ("Acme", "SHA1", "7", "30"),
        ("Acme", "SHA1", "6", "0"),
    ] {
        let form = [
            ("issuer", issuer),
            ("algorithm", algorithm),
            ("digits", digits),
            ("period_secs", period),
        ];
        let reply = admin.call("update_installation_settings", &form).await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(matches!(error, AppError::Invalid(_)), "{form:?}: {error:?}");
    }
    let reply = admin
        .call(
            "update_installation_settings",
            &[
                ("issuer", "Staff Portal: Prod"),
                ("algorithm", "SHA1"),
                ("digits", "6"),
                ("period_secs", "30"),
            ],
        )
        .await;
    let error = reply.error();
    assert!(
        error.to_string().contains("':'") || error.to_string().contains("colon"),
        "{error}"
    );

    let settings: InstallationSettings = admin
        .call("installation_settings", &[])
        .await
        .assert_ok()
        .json();
    assert_eq!(
        settings,
        InstallationSettings {
            issuer: "Staffgate".into(),
            algorithm: "SHA1".into(),
            digits: 6,
            period_secs: 30
        }
    );
}

#[tokio::test]
async fn an_unknown_server_function_is_a_client_error() {
    let app = spawn_app().await;
    let reply = app.browser().call("no_such_function", &[]).await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
}
