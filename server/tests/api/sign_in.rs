//! The password step, the code step, and plain HTML form posts.

use reqwest::StatusCode;
use staffgate_app::api::types::{AccountView, AuthState, Me, Role};
use staffgate_app::error::AppError;

use crate::helpers::{PASSWORD, code_in, random_secret, spawn_app};

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
