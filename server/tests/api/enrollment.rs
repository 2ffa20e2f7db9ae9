//! Setting up two-factor: a new secret changes nothing until a current code from it is
//! confirmed, the confirming code cannot sign in as well, and every secret is fresh.

use std::collections::HashSet;

use reqwest::StatusCode;
use staffgate_app::api::types::{AccountView, SetupView};
use staffgate_app::error::AppError;

use crate::helpers::{code_in, outbox_row, pending_secret, secret_of_uri, spawn_app};

#[tokio::test]
async fn a_wrong_code_at_confirmation_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    browser.call("generate_secret", &[]).await.assert_ok();
    let secret = pending_secret(&mut browser).await;

    let wrong_code = code_in(&secret, 5);
    let reply = browser
        .call("confirm_enrollment", &[("code", &wrong_code)])
        .await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(matches!(error, AppError::WrongCode(_)), "{error:?}");
    let reply = browser
        .call("confirm_enrollment", &[("code", "12345")])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));

    assert_eq!(app.credential_count(&alice).await, 0);
    let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
    assert!(!account.two_factor_on);
    let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
    assert!(
        setup.pending.is_some(),
        "the secret still waits for a right code"
    );

    // The next sign-in still needs only the password.
    browser.call("sign_out", &[]).await.assert_ok();
    app.signed_in(&alice).await;
}

#[tokio::test]
async fn a_current_code_turns_two_factor_on() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;

    let enrolled = app.enroll(&mut browser).await;

    let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
    assert!(account.two_factor_on);
    let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
    assert!(setup.two_factor_on);
    assert!(
        setup.pending.is_none(),
        "a confirmed secret is never shown again"
    );
    assert_eq!(app.credential_count(&alice).await, 1);
    let (kind, last_step): (String, Option<i64>) =
        sqlx::query_as("SELECT kind, last_step FROM credentials WHERE user_id = ?")
            .bind(alice.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(kind, "app");
    assert!(last_step.is_some(), "the confirming code's step is used up");

    // Signing in now takes a code, and the one after the confirming code works.
    browser.call("sign_out", &[]).await.assert_ok();
    let mut browser = app.at_code_step(&alice).await;
    browser
        .verify_code(&code_in(&enrolled.secret, 1))
        .await
        .assert_ok();
}

#[tokio::test]
async fn the_code_that_confirmed_enrollment_cannot_also_sign_in() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let enrolled = app.enroll(&mut browser).await;
    browser.call("sign_out", &[]).await.assert_ok();

    let mut browser = app.at_code_step(&alice).await;
    let reply = browser.verify_code(&enrolled.code).await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(
        matches!(error, AppError::WrongCode(ref words) if words.contains("already used")),
        "{error:?}"
    );
    browser
        .verify_code(&code_in(&enrolled.secret, 1))
        .await
        .assert_ok();
}

#[tokio::test]
async fn a_new_secret_is_not_active_until_confirmed_and_the_old_one_keeps_working() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let old = app.enroll(&mut browser).await;

    // Re-enrol while two-factor is on, and fail to confirm.
    browser.call("generate_secret", &[]).await.assert_ok();
    let new_secret = pending_secret(&mut browser).await;
    assert_ne!(new_secret, old.secret);
    let reply = browser
        .call("confirm_enrollment", &[("code", &code_in(&old.secret, 1))])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
    assert!(setup.two_factor_on, "the old credential is still active");
    assert_eq!(app.credential_count(&alice).await, 1);
    browser.call("sign_out", &[]).await.assert_ok();

    // At sign-in the pending secret's code is refused; the old secret's code works.
    let mut browser = app.at_code_step(&alice).await;
    let reply = browser.verify_code(&code_in(&new_secret, 0)).await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    browser
        .verify_code(&code_in(&old.secret, 1))
        .await
        .assert_ok();

    // Confirming the new secret replaces the old one.
    let reply = browser
        .call("confirm_enrollment", &[("code", &code_in(&new_secret, 0))])
        .await;
    reply.assert_ok();
    assert_eq!(app.credential_count(&alice).await, 1);
    browser.call("sign_out", &[]).await.assert_ok();
    let mut browser = app.at_code_step(&alice).await;
    let reply = browser.verify_code(&code_in(&old.secret, 1)).await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    browser
        .verify_code(&code_in(&new_secret, 1))
        .await
        .assert_ok();
}

#[tokio::test]
async fn every_generated_secret_is_fresh_160_bit_base32_without_padding() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;

    let mut seen = HashSet::new();
    for _ in 0..20 {
        browser.call("generate_secret", &[]).await.assert_ok();
        let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
        let pending = setup.pending.expect("a pending secret");
        let (base32, bytes) = secret_of_uri(&pending.uri);

        assert_eq!(base32.len(), 32, "{base32}");
        assert!(
            base32
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
            "{base32}"
        );
        assert_eq!(bytes.len(), 20);
        assert_eq!(
            pending.key_grouped.replace(' ', ""),
            base32,
            "the typed key is the same key"
        );
        assert!(
            pending.uri.starts_with("otpauth://totp/Staffgate:alice?"),
            "{}",
            pending.uri
        );
        assert!(seen.insert(base32), "a secret came twice");
    }
}

#[tokio::test]
async fn confirming_without_a_pending_secret_is_a_conflict() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;

    let reply = browser
        .call("confirm_enrollment", &[("code", "123456")])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::CONFLICT),
        AppError::Conflict(_)
    ));
}

#[tokio::test]
async fn turning_off_ones_own_two_factor_needs_a_current_code() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let enrolled = app.enroll(&mut browser).await;
    // A sign-in that waits for its code on another device.
    let mut elsewhere = app.at_code_step(&alice).await;

    let reply = browser
        .call("disable_own_two_factor", &[("code", &enrolled.code)])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    assert_eq!(app.credential_count(&alice).await, 1);

    let code = code_in(&enrolled.secret, 1);
    browser
        .call("disable_own_two_factor", &[("code", &code)])
        .await
        .assert_ok();
    assert_eq!(app.credential_count(&alice).await, 0);
    let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
    assert!(!account.two_factor_on, "the user's own session goes on");
    let event: String = sqlx::query_scalar(
        "SELECT event FROM notifications WHERE event LIKE 'two_factor_disabled%'",
    )
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(event, "two_factor_disabled_by_user");
    outbox_row(&app.sql, "%turned off%").await;

    // The waiting sign-in has nothing left to check its code against: it starts over.
    let reply = elsewhere.verify_code(&code_in(&enrolled.secret, 1)).await;
    let error = reply.error_with_status(StatusCode::CONFLICT);
    assert!(
        matches!(error, AppError::Conflict(ref words) if words.contains("not set up")),
        "{error:?}"
    );
    let reply = elsewhere.verify_code(&code_in(&enrolled.secret, 1)).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
    let reply = elsewhere.call("account", &[]).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
}
