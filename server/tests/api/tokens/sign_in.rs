//! The codes each imported token produces, checked by signing in with them: the known secret
//! first gives the cases README's values in the independent generator, then the token is
//! assigned, activated with its current code, and signs its user in with the next one.

use reqwest::StatusCode;

use super::support::{
    AES128, Hash, K20, K32, PLAIN, Params, SAMPLE_PSK, SEEDS_CSV, TOK_1001, assign_and_activate,
    code_in_steps, import, k64, now_secs, sign_in_with, totp, wait_for_next_step_in_window,
};
use crate::helpers::{TestApp, spawn_app};

/// One imported token: its serial, the secret the cases README gives, its parameters.
struct Token {
    serial: &'static str,
    secret: Vec<u8>,
    params: Params,
}

/// Hands `token` to a new user and signs that user in with the token's next code.
async fn signs_in(app: &TestApp, admin: &mut crate::helpers::Browser, token: &Token) {
    let user = app.add_user(&token.serial.to_lowercase(), "staff").await;
    wait_for_next_step_in_window(token.params.period, 10).await;
    assign_and_activate(admin, token.serial, &user, &token.secret, token.params).await;

    let code = code_in_steps(&token.secret, token.params, 1);
    assert_eq!(code.len(), token.params.digits as usize);
    let reply = sign_in_with(app, &user, &code).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}: {}",
        token.serial,
        reply.body
    );
}

#[tokio::test]
async fn c33_each_plain_pskc_token_signs_in_with_its_own_algorithm_and_digits() {
    let sha256 = Params {
        hash: Hash::Sha256,
        digits: 8,
        period: 30,
    };
    let sha512 = Params {
        hash: Hash::Sha512,
        ..sha256
    };
    // The cases README's values for the secrets the sample holds.
    assert_eq!(totp(K20, Params::SHA1_6_30, 1_111_111_109), "081804");
    assert_eq!(totp(K32, sha256, 59), "46119246");
    assert_eq!(totp(&k64(), sha512, 59), "90693936");

    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(&app, &admin, ("pskc-plain.xml", PLAIN), "").await;

    let tokens = [
        Token {
            serial: "TOK-0001",
            secret: K20.to_vec(),
            params: Params::SHA1_6_30,
        },
        Token {
            serial: "TOK-0002",
            secret: K32.to_vec(),
            params: sha256,
        },
        Token {
            serial: "TOK-0003",
            secret: k64(),
            params: sha512,
        },
    ];
    for token in &tokens {
        signs_in(&app, &mut admin, token).await;
    }
}

#[tokio::test]
async fn c34_the_decrypted_token_signs_in_with_60_second_codes_and_not_30_second_ones() {
    let sixty = Params {
        period: 60,
        ..Params::SHA1_6_30
    };
    assert_eq!(totp(&TOK_1001, sixty, 59), "467851");
    assert_eq!(totp(&TOK_1001, sixty, 1_111_111_109), "490907");
    assert_eq!(totp(&TOK_1001, Params::SHA1_6_30, 59), "443220");

    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(&app, &admin, ("pskc-psk-aes128cbc.xml", AES128), SAMPLE_PSK).await;
    let user = app.add_user("alice", "staff").await;
    wait_for_next_step_in_window(60, 10).await;
    assign_and_activate(&mut admin, "TOK-1001", &user, &TOK_1001, sixty).await;

    // What an app that ignored the 60 s period would show is refused.
    let thirty = totp(&TOK_1001, Params::SHA1_6_30, now_secs() + 30);
    let next = code_in_steps(&TOK_1001, sixty, 1);
    if thirty != next && thirty != code_in_steps(&TOK_1001, sixty, 0) {
        let reply = sign_in_with(&app, &user, &thirty).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    }
    let reply = sign_in_with(&app, &user, &next).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn c36_each_imported_csv_token_signs_in() {
    let eight = Params {
        digits: 8,
        ..Params::SHA1_6_30
    };
    let sha256_60 = Params {
        hash: Hash::Sha256,
        digits: 6,
        period: 60,
    };
    assert_eq!(totp(K20, eight, 1_111_111_109), "07081804");
    assert_eq!(totp(K20, sha256_60, 1_111_111_109), "648066");

    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;

    let tokens = [
        Token {
            serial: "CSV-001",
            secret: K20.to_vec(),
            params: Params::SHA1_6_30,
        },
        Token {
            serial: "CSV-002",
            secret: K20.to_vec(),
            params: eight,
        },
        Token {
            serial: "CSV-007",
            secret: K20.to_vec(),
            params: sha256_60,
        },
    ];
    for token in &tokens {
        signs_in(&app, &mut admin, token).await;
    }
}

#[tokio::test]
async fn an_eight_digit_token_refuses_its_code_cut_to_six_digits() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let eight = Params {
        digits: 8,
        ..Params::SHA1_6_30
    };
    let user = app.add_user("bob", "staff").await;
    assign_and_activate(&mut admin, "CSV-002", &user, K20, eight).await;

    let code = code_in_steps(K20, eight, 1);
    let reply = sign_in_with(&app, &user, &code[2..]).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let reply = sign_in_with(&app, &user, &code).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
