//! Bad input to the token actions: unknown tokens and users, missing or malformed fields, and
//! actions the token's state does not allow. Each gets a clear 4xx and changes nothing.

use reqwest::StatusCode;
use staffgate_app::api::token_types::TokenState;
use staffgate_app::error::AppError;

use super::support::{SEEDS_CSV, import, row};
use crate::helpers::spawn_app;

/// An endpoint, its form, and the status it must answer with.
type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], StatusCode);

#[tokio::test]
async fn bad_input_to_token_actions_gets_a_clear_4xx_and_changes_nothing() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    app.add_user("alice", "staff").await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();

    let cases: &[Case] = &[
        (
            "assign_token",
            &[("token_id", "9999"), ("username", "alice")],
            StatusCode::NOT_FOUND,
        ),
        (
            "assign_token",
            &[("token_id", "abc"), ("username", "alice")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "assign_token",
            &[("token_id", &id), ("username", "nobody")],
            StatusCode::NOT_FOUND,
        ),
        (
            "assign_token",
            &[("token_id", &id), ("username", "  ")],
            StatusCode::BAD_REQUEST,
        ),
        (
            "assign_token",
            &[("token_id", &id)],
            StatusCode::BAD_REQUEST,
        ),
        (
            "activate_token",
            &[("token_id", &id), ("code", "123456")],
            StatusCode::CONFLICT,
        ),
        ("remove_token", &[("token_id", &id)], StatusCode::CONFLICT),
        (
            "return_token_to_stock",
            &[("token_id", &id)],
            StatusCode::CONFLICT,
        ),
        (
            "reset_token_drift",
            &[("token_id", &id)],
            StatusCode::CONFLICT,
        ),
        (
            "reset_token_drift",
            &[("token_id", "-1")],
            StatusCode::NOT_FOUND,
        ),
        (
            "resync_token",
            &[("token_id", &id), ("first_code", "1"), ("second_code", "2")],
            StatusCode::CONFLICT,
        ),
        (
            "activate_own_token",
            &[("token_id", &id), ("code", "x")],
            StatusCode::NOT_FOUND,
        ),
    ];
    for (endpoint, form, status) in cases {
        let reply = admin.call(endpoint, form).await;
        let error = reply.error_with_status(*status);
        assert!(!error.to_string().is_empty(), "{endpoint}");
        assert_ne!(error, AppError::Internal, "{endpoint}");
    }

    let untouched = row(&mut admin, "CSV-001").await;
    assert_eq!(untouched.state, TokenState::InStock);
    assert_eq!(untouched.user, None);
    let changes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE event LIKE 'token_%' AND event <> 'tokens_imported'",
    )
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(changes, 0);
}
