//! The session cookie: its attributes, new ids at each sign-in step, and ending it.

use reqwest::StatusCode;
use staffgate_app::api::types::AuthState;
use staffgate_app::error::AppError;

use crate::helpers::{PASSWORD, code_in, random_secret, spawn_app, spawn_app_with};

/// The attributes of a `Set-Cookie` header, lower-cased, without the name and value.
fn attributes(set_cookie: &str) -> Vec<String> {
    set_cookie
        .split(';')
        .skip(1)
        .map(|attribute| attribute.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site_and_not_secure_on_plain_http() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;

    let mut browser = app.browser();
    let reply = browser
        .call("sign_in", &[("username", "alice"), ("password", PASSWORD)])
        .await;
    let set_cookie = reply
        .assert_ok()
        .session_set_cookie()
        .expect("a session cookie");
    let attributes = attributes(&set_cookie);

    assert!(attributes.contains(&"httponly".into()), "{set_cookie}");
    assert!(
        attributes.contains(&"samesite=lax".into())
            || attributes.contains(&"samesite=strict".into()),
        "{set_cookie}"
    );
    assert!(!attributes.contains(&"secure".into()), "{set_cookie}");
    assert!(attributes.contains(&"path=/".into()), "{set_cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_public_url_is_https() {
    let app = spawn_app_with(&[("STAFFGATE_PUBLIC_URL", "https://sso.example.test")]).await;
    app.add_user("alice", "staff").await;

    let mut browser = app.browser();
    let reply = browser
        .call("sign_in", &[("username", "alice"), ("password", PASSWORD)])
        .await;
    let set_cookie = reply
        .assert_ok()
        .session_set_cookie()
        .expect("a session cookie");

    let attributes = attributes(&set_cookie);
    assert!(attributes.contains(&"secure".into()), "{set_cookie}");
    assert!(attributes.contains(&"httponly".into()), "{set_cookie}");
}

#[tokio::test]
async fn each_sign_in_step_gives_a_new_session_id_and_the_old_ones_are_worth_nothing() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;

    // An id planted in the browser before sign-in (session fixation) is not kept.
    let planted = "AAAAAAAAAAAAAAAAAAAAAA";
    let mut browser = app.browser();
    browser.set_session_id(Some(planted));
    browser.sign_in("alice", PASSWORD).await;
    let pending_id = browser
        .session_id()
        .expect("a session at the code step")
        .to_owned();
    assert_ne!(pending_id, planted);

    browser.verify_code(&code_in(&secret, 0)).await.assert_ok();
    let full_id = browser
        .session_id()
        .expect("a session after the code")
        .to_owned();
    assert_ne!(full_id, pending_id);
    browser.call("account", &[]).await.assert_ok();

    let mut replay = app.browser();
    for old in [planted, pending_id.as_str()] {
        replay.set_session_id(Some(old));
        let state: AuthState = replay.call("auth_state", &[]).await.assert_ok().json();
        assert_eq!(state, AuthState::SignedOut, "old id {old}");
        replay.set_session_id(Some(old));
        let reply = replay.call("account", &[]).await;
        assert_eq!(
            reply.error_with_status(StatusCode::UNAUTHORIZED),
            AppError::Unauthorized
        );
    }
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let old_id = browser.session_id().expect("a session").to_owned();

    let reply = browser.call("sign_out", &[]).await;
    reply.assert_ok();
    assert!(
        browser.session_id().is_none(),
        "the cookie is removed in the browser"
    );

    let mut replay = app.browser();
    replay.set_session_id(Some(&old_id));
    let reply = replay.call("account", &[]).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ?")
        .bind(alice.id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(left, 0, "the session row is gone");
}

#[tokio::test]
async fn cancelling_a_pending_sign_in_ends_it_on_the_server() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    let mut browser = app.at_code_step(&alice).await;
    let pending_id = browser.session_id().expect("a pending session").to_owned();

    browser.call("cancel_sign_in", &[]).await.assert_ok();

    browser.set_session_id(Some(&pending_id));
    let reply = browser.verify_code(&code_in(&secret, 0)).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
}

#[tokio::test]
async fn a_pending_sign_in_expires_after_five_minutes() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    let mut browser = app.at_code_step(&alice).await;

    // Move the start of the code step back by five minutes and a second.
    sqlx::query(
        "UPDATE sessions SET data = json_set(data, '$.code_step_since_ms', \
             json_extract(data, '$.code_step_since_ms') - 301000) WHERE user_id = ?",
    )
    .bind(alice.id)
    .execute(&app.sql)
    .await
    .unwrap();

    let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
    assert_eq!(state, AuthState::SignedOut);
    let reply = browser.verify_code(&code_in(&secret, 0)).await;
    assert!(
        reply.status.is_client_error(),
        "{} {}",
        reply.status,
        reply.body
    );
    reply.error();
    assert_eq!(app.credential_count(&alice).await, 1);
    let used: Option<i64> =
        sqlx::query_scalar("SELECT last_step FROM credentials WHERE user_id = ?")
            .bind(alice.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(used, None, "the code was not even checked");

    browser.sign_in("alice", PASSWORD).await;
    browser.verify_code(&code_in(&secret, 0)).await.assert_ok();
}
