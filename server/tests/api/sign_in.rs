//! The password step, the code step, and plain HTML form posts.

use reqwest::StatusCode;
use staffgate_app::api::types::{AccountView, AuthState, Me, Role};
use staffgate_app::error::AppError;

use crate::helpers::totp::now_secs;
use crate::helpers::{PASSWORD, TestApp, TestUser, code_in, random_secret, spawn_app};

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;

    let mut browser = app.browser();
    let wrong_password = browser
        .call(
            "sign_in",
            &[("username", "alice"), ("password", "not the password")],
        )
        .await;
    let unknown_user = browser
        .call(
            "sign_in",
            &[("username", "mallory"), ("password", PASSWORD)],
        )
        .await;

    assert_eq!(wrong_password.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong_password.error(), AppError::InvalidCredentials);
    assert_eq!(wrong_password.status, unknown_user.status);
    assert_eq!(wrong_password.body, unknown_user.body);
    assert!(wrong_password.session_set_cookie().is_none());
    assert!(unknown_user.session_set_cookie().is_none());
    assert!(browser.session_id().is_none());
}

#[tokio::test]
async fn a_user_without_two_factor_is_signed_in_by_the_password_alone() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;

    let mut browser = app.browser();
    // Usernames are not case-sensitive, and surrounding spaces are ignored.
    browser.sign_in(" Alice ", PASSWORD).await;

    let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
    assert_eq!(
        state,
        AuthState::SignedIn(Me {
            username: "alice".into(),
            role: Role::Staff
        })
    );
    let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
    assert_eq!(account.email, "alice@example.test");
    assert!(!account.two_factor_on);
}

#[tokio::test]
async fn a_user_with_two_factor_on_needs_a_current_code_after_the_password() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;

    let mut browser = app.at_code_step(&alice).await;
    let wrong = browser.verify_code(&code_in(&random_secret(), 0)).await;
    assert!(matches!(
        wrong.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    browser.verify_code(&code_in(&secret, 0)).await.assert_ok();

    let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
    assert!(matches!(state, AuthState::SignedIn(Me { ref username, .. }) if username == "alice"));
    let last_sign_in: Option<i64> =
        sqlx::query_scalar("SELECT last_sign_in_at FROM users WHERE id = ?")
            .bind(alice.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert!(last_sign_in.is_some(), "a completed sign-in is recorded");
}

/// The stored drift interval (seconds) and the offset of the last code seen (steps), of the
/// user's only credential.
async fn drift_of(app: &TestApp, user: &TestUser) -> (Option<i64>, Option<i64>, Option<i64>) {
    sqlx::query_as(
        "SELECT drift_lo_secs, drift_hi_secs, last_offset_steps FROM credentials \
         WHERE user_id = ?",
    )
    .bind(user.id)
    .fetch_one(&app.sql)
    .await
    .unwrap()
}

#[tokio::test]
async fn an_app_credential_keeps_its_window_on_server_time_after_a_code_a_step_ahead() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let bob = app.add_user("bob", "staff").await;
    let (app_secret, token_secret) = (random_secret(), random_secret());
    app.give_credential(&alice, "app", &app_secret).await;
    app.give_credential(&bob, "token", &token_secret).await;
    // Keep clear of a step boundary, so that "one step ahead" means the same step throughout.
    let into_step = now_secs() % 30;
    if into_step > 22 {
        tokio::time::sleep(std::time::Duration::from_secs(30 - into_step)).await;
    }

    // Both accept a code one step ahead; only the hardware token learns from it: the next
    // step began between 1 and 30 s after the server's time, so its clock is 1 to 59 s fast.
    for (user, secret) in [(&alice, &app_secret), (&bob, &token_secret)] {
        let mut browser = app.at_code_step(user).await;
        browser.verify_code(&code_in(secret, 1)).await.assert_ok();
    }
    assert_eq!(drift_of(&app, &alice).await, (None, None, Some(1)));
    let (lo, hi, offset) = drift_of(&app, &bob).await;
    let (lo, hi) = (lo.unwrap(), hi.unwrap());
    assert_eq!((hi - lo, offset), (30, Some(1)));
    assert!((1..=30).contains(&lo), "[{lo}, {hi})");

    // Two steps ahead is 60 s off: outside server time ± 30 s, so the app's code is refused
    // with a hint, while the token's window has moved along with its clock.
    let mut browser = app.at_code_step(&alice).await;
    let reply = browser.verify_code(&code_in(&app_secret, 2)).await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(
        matches!(error, AppError::WrongCode(ref words) if words.contains("ahead")),
        "{error:?}"
    );
    assert_eq!(
        drift_of(&app, &alice).await,
        (None, None, Some(2)),
        "the near miss is recorded for admins, the window stays"
    );
    let mut browser = app.at_code_step(&bob).await;
    browser
        .verify_code(&code_in(&token_secret, 2))
        .await
        .assert_ok();
    // The step after next began 31 to 60 s after the server's time.
    let (lo, hi, offset) = drift_of(&app, &bob).await;
    let (lo, hi) = (lo.unwrap(), hi.unwrap());
    assert_eq!(offset, Some(2));
    assert!(lo >= 31 && hi <= 60 + 30 && lo < hi, "[{lo}, {hi})");
}

#[tokio::test]
async fn an_empty_username_or_password_is_refused_with_a_message() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;
    let mut browser = app.browser();

    for (username, password) in [("", PASSWORD), ("alice", ""), ("  ", "")] {
        let reply = browser
            .call("sign_in", &[("username", username), ("password", password)])
            .await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(matches!(error, AppError::Invalid(ref words) if words.contains("username")));
    }
}

#[tokio::test]
async fn a_plain_form_post_is_sent_back_to_the_form_with_the_error_or_on_with_the_result() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;
    let login = format!("{}/login", app.base);
    let form_headers = [
        ("accept", "text/html,application/xhtml+xml"),
        ("referer", &login),
    ];

    let mut browser = app.browser();
    let refused = browser
        .call_with(
            "sign_in",
            &[("username", "alice"), ("password", "wrong")],
            &form_headers,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FOUND);
    let location = refused.header("location").expect("a Location header");
    assert!(location.starts_with(&login), "{location}");
    assert!(
        location.contains("__err"),
        "the error travels in the query: {location}"
    );
    assert!(browser.session_id().is_none());

    let accepted = browser
        .call_with(
            "sign_in",
            &[("username", "alice"), ("password", PASSWORD)],
            &form_headers,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::FOUND);
    assert_eq!(accepted.header("location"), Some("/account"));
    assert!(browser.session_id().is_some());
    browser.call("account", &[]).await.assert_ok();
}
