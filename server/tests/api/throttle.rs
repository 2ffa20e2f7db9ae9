//! Wrong codes are counted per account: the fifth drops the pending sign-in, the sixth makes
//! the next try wait, and a right code after the wait resets the count. Parallel guesses are
//! numbered one by one, so no burst gets more than five codes checked, and setup counts too.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use staffgate_app::api::types::AuthState;
use staffgate_app::error::AppError;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::helpers::{
    Browser, PASSWORD, Reply, TestApp, TestUser, code_in, pending_secret, random_secret,
    spawn_app_with,
};

/// A code that is surely wrong for `secret` now (none of the codes of the window).
fn wrong_code(secret: &[u8], seed: usize) -> String {
    let window: Vec<String> = (-1..=1).map(|steps| code_in(secret, steps)).collect();
    (seed..)
        .map(|n| format!("{:06}", (n * 111_111 + 7) % 1_000_000))
        .find(|code| !window.contains(code))
        .expect("an endless search")
}

async fn enter_wrong_code(browser: &mut Browser, secret: &[u8], seed: usize) -> AppError {
    // Each try comes from another address: the count must not be per address.
    let address = format!("198.51.100.{}", seed + 1);
    let reply = browser
        .call_with(
            "verify_code",
            &[("code", &wrong_code(secret, seed))],
            &[("x-forwarded-for", &address)],
        )
        .await;
    reply.error()
}

async fn setup() -> (TestApp, TestUser, Vec<u8>) {
    let app = spawn_app_with(&[("STAFFGATE_TRUST_PROXY", "true")]).await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    (app, alice, secret)
}

#[tokio::test]
async fn five_wrong_codes_drop_the_sign_in_and_the_sixth_makes_the_next_try_wait() {
    let (app, alice, secret) = setup().await;
    let mut browser = app.at_code_step(&alice).await;

    for seed in 0..4 {
        let error = enter_wrong_code(&mut browser, &secret, seed).await;
        assert!(
            matches!(error, AppError::WrongCode(_)),
            "try {}: {error:?}",
            seed + 1
        );
    }
    let pending_id = browser.session_id().expect("a pending sign-in").to_owned();
    let fifth = enter_wrong_code(&mut browser, &secret, 4).await;
    assert!(
        matches!(fifth, AppError::Throttled(ref words) if words.contains("password again")),
        "{fifth:?}"
    );
    assert!(
        browser.session_id().is_none(),
        "the pending sign-in is dropped in the browser"
    );

    // The right code no longer helps, even with the old cookie: the password must be entered
    // again.
    browser.set_session_id(Some(&pending_id));
    let reply = browser.verify_code(&code_in(&secret, 0)).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
    let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
    assert_eq!(state, AuthState::SignedOut);
    assert_eq!(app.failed_codes(&alice).await, 5);

    // The count survives a new password step; the sixth failure imposes a delay.
    browser.sign_in("alice", PASSWORD).await;
    assert_eq!(app.failed_codes(&alice).await, 5);
    let sixth = enter_wrong_code(&mut browser, &secret, 5).await;
    assert!(
        matches!(sixth, AppError::Throttled(ref words) if words.contains("Wait")),
        "{sixth:?}"
    );
    assert!(
        browser.session_id().is_some(),
        "the sixth failure does not drop the sign-in"
    );

    let early = browser.verify_code(&code_in(&secret, 0)).await;
    let error = early.error_with_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(
        matches!(error, AppError::Throttled(ref words) if words.contains("Wait")),
        "{error:?}"
    );

    tokio::time::sleep(Duration::from_millis(2_100)).await;
    browser.verify_code(&code_in(&secret, 0)).await.assert_ok();
    assert_eq!(
        app.failed_codes(&alice).await,
        0,
        "a right code resets the count"
    );
    let blocked: Option<i64> =
        sqlx::query_scalar("SELECT codes_blocked_until FROM users WHERE id = ?")
            .bind(alice.id)
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(blocked, None);

    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let throttled: Vec<_> = app
        .notifications(&mut admin)
        .await
        .into_iter()
        .filter(|row| row.event == "Sign-in throttled after wrong codes")
        .collect();
    assert_eq!(throttled.len(), 2, "{throttled:#?}");
    for row in &throttled {
        assert_eq!(row.subject.as_deref(), Some("alice"));
        assert!(
            row.detail
                .as_deref()
                .is_some_and(|detail| detail.contains("wrong codes"))
        );
    }
    assert!(
        throttled[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("6 wrong codes")
    );
    assert!(
        throttled[1]
            .detail
            .as_deref()
            .unwrap()
            .contains("5 wrong codes")
    );
}

#[tokio::test]
async fn wrong_codes_on_the_turn_off_form_count_too_and_a_right_one_resets_them() {
    let (app, alice, secret) = setup().await;
    let mut browser = app.at_code_step(&alice).await;
    browser.verify_code(&code_in(&secret, 0)).await.assert_ok();

    for seed in 0..2 {
        let reply = browser
            .call(
                "disable_own_two_factor",
                &[("code", &wrong_code(&secret, seed))],
            )
            .await;
        assert!(matches!(
            reply.error_with_status(StatusCode::BAD_REQUEST),
            AppError::WrongCode(_)
        ));
    }
    assert_eq!(app.failed_codes(&alice).await, 2);

    browser
        .call("disable_own_two_factor", &[("code", &code_in(&secret, 1))])
        .await
        .assert_ok();
    assert_eq!(app.credential_count(&alice).await, 0);
    assert_eq!(
        app.failed_codes(&alice).await,
        0,
        "a right code resets the count"
    );
}

/// Sends one code from each browser at the same moment; returns the replies.
async fn all_at_once(browsers: Vec<Browser>, codes: Vec<String>) -> Vec<Reply> {
    let start = Arc::new(Barrier::new(browsers.len()));
    let mut racers = JoinSet::new();
    for (mut browser, code) in browsers.into_iter().zip(codes) {
        let start = start.clone();
        racers.spawn(async move {
            start.wait().await;
            browser.verify_code(&code).await
        });
    }
    racers.join_all().await
}

/// Every reply is an ordinary refusal, none a success or a fault.
fn all_refused(replies: &[Reply]) {
    for reply in replies {
        assert_ne!(reply.status, StatusCode::OK, "{}", reply.body);
        let error = reply.error();
        assert!(
            matches!(
                error,
                AppError::WrongCode(_) | AppError::Throttled(_) | AppError::Unauthorized
            ),
            "{error:?}"
        );
    }
}

/// Signs in again from a fresh password step with the right code, which must work.
async fn the_right_code_still_signs_in(app: &TestApp, alice: &TestUser, secret: &[u8]) {
    let mut browser = app.at_code_step(alice).await;
    browser.verify_code(&code_in(secret, 0)).await.assert_ok();
    assert_eq!(app.failed_codes(alice).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c17_of_twenty_parallel_guesses_on_one_pending_sign_in_at_most_five_are_checked() {
    const GUESSES: usize = 20;
    let (app, alice, secret) = setup().await;
    let pending = app.at_code_step(&alice).await;
    let session = pending.session_id().expect("a pending sign-in").to_owned();
    let browsers = (0..GUESSES)
        .map(|_| {
            let mut browser = app.browser();
            browser.set_session_id(Some(&session));
            browser
        })
        .collect();
    let guesses = (0..GUESSES).map(|seed| wrong_code(&secret, seed)).collect();

    let replies = all_at_once(browsers, guesses).await;
    all_refused(&replies);
    assert_eq!(
        app.failed_codes(&alice).await,
        5,
        "only five attempts were reserved, so only five codes were checked"
    );

    // The right code, sent later on the same pending sign-in, is refused unchecked.
    let mut late = app.browser();
    late.set_session_id(Some(&session));
    let reply = late.verify_code(&code_in(&secret, 0)).await;
    all_refused(std::slice::from_ref(&reply));
    assert_eq!(app.failed_codes(&alice).await, 5);
    the_right_code_still_signs_in(&app, &alice, &secret).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn c17_twenty_pending_sign_ins_of_one_account_guessing_at_once_get_five_checks_in_all() {
    const SIGN_INS: usize = 20;
    let (app, alice, secret) = setup().await;
    let mut pending = Vec::new();
    for _ in 0..SIGN_INS {
        pending.push(app.at_code_step(&alice).await);
    }
    let sessions: Vec<String> = pending
        .iter()
        .map(|browser| browser.session_id().unwrap().to_owned())
        .collect();
    let guesses = (0..SIGN_INS)
        .map(|seed| wrong_code(&secret, seed))
        .collect();

    let replies = all_at_once(pending, guesses).await;
    all_refused(&replies);
    assert_eq!(app.failed_codes(&alice).await, 5);

    // Each of the twenty then sends the right code: none is checked, so none signs in.
    let browsers = sessions
        .iter()
        .map(|session| {
            let mut browser = app.browser();
            browser.set_session_id(Some(session));
            browser
        })
        .collect();
    let right = vec![code_in(&secret, 0); SIGN_INS];
    let replies = all_at_once(browsers, right).await;
    all_refused(&replies);
    assert_eq!(app.failed_codes(&alice).await, 5);
    the_right_code_still_signs_in(&app, &alice, &secret).await;
}

#[tokio::test]
async fn wrong_codes_when_confirming_setup_count_too_and_a_right_one_resets_them() {
    let app = spawn_app_with(&[]).await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    browser.call("generate_secret", &[]).await.assert_ok();
    let secret = pending_secret(&mut browser).await;

    for (count, code) in [wrong_code(&secret, 0), "12345".to_owned()]
        .iter()
        .enumerate()
    {
        let reply = browser.call("confirm_enrollment", &[("code", code)]).await;
        assert!(matches!(
            reply.error_with_status(StatusCode::BAD_REQUEST),
            AppError::WrongCode(_)
        ));
        assert_eq!(app.failed_codes(&alice).await, count as i64 + 1, "{code:?}");
    }
    assert_eq!(app.credential_count(&alice).await, 0);

    browser
        .call("confirm_enrollment", &[("code", &code_in(&secret, 0))])
        .await
        .assert_ok();
    assert_eq!(app.credential_count(&alice).await, 1);
    assert_eq!(
        app.failed_codes(&alice).await,
        0,
        "a right code resets the count"
    );
}
