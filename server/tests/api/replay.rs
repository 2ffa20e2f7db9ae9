//! A code's time step is used once: never again, not even by simultaneous requests.

use std::sync::Arc;

use reqwest::StatusCode;
use staffgate_app::error::AppError;
use tokio::sync::Barrier;
use tokio::task::JoinSet;

use crate::helpers::totp::{now_secs, totp};
use crate::helpers::{random_secret, spawn_app};

#[tokio::test]
async fn a_used_time_step_is_refused_and_so_is_an_older_one() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    let now = now_secs();
    let (this_code, next_code) = (totp(&secret, now, 6), totp(&secret, now + 30, 6));

    let mut browser = app.at_code_step(&alice).await;
    browser.verify_code(&this_code).await.assert_ok();

    let mut browser = app.at_code_step(&alice).await;
    let reply = browser.verify_code(&this_code).await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(matches!(error, AppError::WrongCode(ref words) if words.contains("already used")));
    browser.verify_code(&next_code).await.assert_ok();

    let mut browser = app.at_code_step(&alice).await;
    for used in [&this_code, &next_code] {
        let reply = browser.verify_code(used).await;
        assert!(matches!(
            reply.error_with_status(StatusCode::BAD_REQUEST),
            AppError::WrongCode(_)
        ));
    }

    let last_step: i64 = sqlx::query_scalar("SELECT last_step FROM credentials WHERE user_id = ?")
        .bind(alice.id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(last_step, (now / 30 + 1) as i64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_twenty_simultaneous_submissions_of_one_code_exactly_one_signs_in() {
    const RACERS: usize = 20;
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;

    let mut pending = Vec::new();
    for _ in 0..RACERS {
        pending.push(app.at_code_step(&alice).await);
    }
    let now = now_secs();
    let code = totp(&secret, now, 6);

    let start = Arc::new(Barrier::new(RACERS));
    let mut racers = JoinSet::new();
    for mut browser in pending {
        let (start, code) = (start.clone(), code.clone());
        racers.spawn(async move {
            start.wait().await;
            browser.verify_code(&code).await
        });
    }
    let replies = racers.join_all().await;

    let accepted = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::OK)
        .count();
    assert_eq!(accepted, 1, "{replies:#?}");
    for reply in replies
        .iter()
        .filter(|reply| reply.status != StatusCode::OK)
    {
        let error = reply.error();
        assert!(
            matches!(error, AppError::WrongCode(_) | AppError::Throttled(_)),
            "a losing request must be an ordinary refusal: {error:?}"
        );
    }
    let last_step: i64 = sqlx::query_scalar("SELECT last_step FROM credentials WHERE user_id = ?")
        .bind(alice.id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(last_step, (now / 30) as i64);
}
