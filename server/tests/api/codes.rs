//! How typed codes are read: spaces and dashes are forgiven, nothing else is, and a code is
//! compared as a string so that lost leading zeros never match.

use reqwest::StatusCode;
use staffgate_app::error::AppError;

use crate::helpers::totp::{now_secs, totp};
use crate::helpers::{code_in, random_secret, spawn_app};

#[tokio::test]
async fn codes_typed_with_spaces_a_dash_or_a_newline_are_accepted() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    // One hardware token per way of typing, so that each sign-in uses a fresh time step.
    let typed: [fn(&str) -> String; 4] = [
        |code| format!("{} {}", &code[..3], &code[3..]),
        |code| format!(" {code} "),
        |code| format!("{}-{}", &code[..3], &code[3..]),
        |code| format!("{code}\n"),
    ];
    let mut tokens = Vec::new();
    for _ in &typed {
        let secret = random_secret();
        app.give_credential(&alice, "token", &secret).await;
        tokens.push(secret);
    }

    for (secret, typed) in tokens.iter().zip(typed) {
        let entered = typed(&code_in(secret, 0));
        let mut browser = app.at_code_step(&alice).await;
        let reply = browser.verify_code(&entered).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{entered:?} was refused: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn wrong_lengths_letters_and_full_width_digits_are_refused_and_count_as_failures() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    let code = code_in(&secret, 0);
    let full_width: String = code
        .chars()
        .map(|digit| char::from_u32(u32::from(digit) + 0xFF10 - 0x30).unwrap())
        .collect();
    let refused = [
        code[1..].to_owned(),
        format!("{code}0"),
        format!("O{}", &code[1..]),
        full_width,
    ];

    let mut browser = app.at_code_step(&alice).await;
    for (count, entered) in refused.iter().enumerate() {
        let reply = browser.verify_code(entered).await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(
            matches!(error, AppError::WrongCode(ref words) if words.contains("6-digit code")),
            "{entered:?}: {error:?}"
        );
        assert_eq!(
            app.failed_codes(&alice).await,
            count as i64 + 1,
            "{entered:?} is a failure"
        );
    }

    browser.verify_code(&code).await.assert_ok();
    assert_eq!(
        app.failed_codes(&alice).await,
        0,
        "a right code resets the count"
    );
}

#[tokio::test]
async fn a_code_with_its_leading_zeros_left_off_is_refused() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    // A secret whose code for the next time step starts with two zeros.
    let next_step = now_secs() + 30;
    let (secret, code) = std::iter::repeat_with(random_secret)
        .map(|secret| {
            let code = totp(&secret, next_step, 6);
            (secret, code)
        })
        .find(|(_, code)| code.starts_with("00"))
        .expect("an endless search");
    app.give_credential(&alice, "app", &secret).await;

    let as_number = code.parse::<u32>().unwrap().to_string();
    let mut browser = app.at_code_step(&alice).await;
    for entered in [as_number.as_str(), &code[1..], &code[2..]] {
        let reply = browser.verify_code(entered).await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(
            matches!(error, AppError::WrongCode(_)),
            "{entered:?}: {error:?}"
        );
    }
    browser.verify_code(&code).await.assert_ok();
}

#[tokio::test]
async fn a_code_from_a_fast_or_slow_clock_is_refused_with_a_hint_and_counts_as_a_failure() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let secret = random_secret();
    app.give_credential(&alice, "app", &secret).await;
    let now = now_secs();
    let (ahead, behind) = (totp(&secret, now + 120, 6), totp(&secret, now - 120, 6));

    let mut browser = app.at_code_step(&alice).await;
    for (entered, words) in [(&ahead, "fast"), (&behind, "slow")] {
        let reply = browser.verify_code(entered).await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(
            matches!(error, AppError::WrongCode(ref message) if message.contains(words)),
            "{error:?}"
        );
    }
    assert_eq!(app.failed_codes(&alice).await, 2, "a hint is no success");
}
