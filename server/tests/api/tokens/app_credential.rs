//! Removing one credential: an admin takes away a user's authenticator app while their
//! hardware token stays active, and the change is logged. It never turns two-factor off; that
//! stays "Disable two-factor authentication", with its reason and password.

use std::time::Duration;

use reqwest::StatusCode;
use staffgate_app::error::AppError;

use super::support::{
    K20, Params, SEEDS_CSV, assign_and_activate, code_in_steps, import, now_secs, row,
    sign_in_with, wait_for_fresh_step,
};
use crate::helpers::{code_in, spawn_app};

async fn kinds(app: &crate::helpers::TestApp, user_id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM credentials WHERE user_id = ? ORDER BY id")
        .bind(user_id)
        .fetch_all(&app.sql)
        .await
        .unwrap()
}

async fn removals(app: &crate::helpers::TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE event = 'app_credential_removed'")
        .fetch_one(&app.sql)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_removes_a_users_authenticator_app_and_the_token_still_signs_in() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let enrolled = app.enroll(&mut browser).await;
    wait_for_fresh_step(30, 8).await;
    assign_and_activate(&mut admin, "CSV-001", &alice, K20, Params::SHA1_6_30).await;
    let activated_in = now_secs() / 30;
    let listed = row(&mut admin, "CSV-001").await;
    assert!(listed.holder_has_app);
    assert_eq!(listed.user_id, Some(alice.id));

    let user_id = alice.id.to_string();
    admin
        .call("remove_app_credential", &[("user_id", &user_id)])
        .await
        .assert_ok();

    assert_eq!(kinds(&app, alice.id).await, ["token"]);
    assert!(!row(&mut admin, "CSV-001").await.holder_has_app);
    let log = app.notifications(&mut admin).await;
    assert_eq!(log[0].event, "Authenticator app removed from user");
    assert_eq!(log[0].actor, "root");
    assert_eq!(log[0].subject.as_deref(), Some("alice"));
    assert_eq!(
        log[0].detail.as_deref(),
        Some("hardware tokens kept: CSV-001")
    );
    assert_eq!(log[0].address.as_deref(), Some("127.0.0.1"));

    // Wait for a step neither credential has used: the app's code is refused, the token's
    // signs in.
    while now_secs() / 30 == activated_in {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let app_code = code_in(&enrolled.secret, 0);
    let token_code = code_in_steps(K20, Params::SHA1_6_30, 0);
    if app_code != token_code {
        let reply = sign_in_with(&app, &alice, &app_code).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    }
    let reply = sign_in_with(&app, &alice, &token_code).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn an_only_credential_a_missing_app_or_a_non_admin_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let bob = app.add_user("bob", "staff").await;
    let mut bobs = app.signed_in(&bob).await;
    app.enroll(&mut bobs).await;
    let carol = app.add_user("carol", "staff").await;
    let mut carols = app.signed_in(&carol).await;

    let only = admin
        .call("remove_app_credential", &[("user_id", &bob.id.to_string())])
        .await;
    let AppError::Conflict(message) = only.error_with_status(StatusCode::CONFLICT) else {
        panic!("{}", only.body);
    };
    assert!(
        message.contains("only credential") && message.contains("Disable two-factor"),
        "{message}"
    );
    let none = admin
        .call(
            "remove_app_credential",
            &[("user_id", &carol.id.to_string())],
        )
        .await;
    let error = none.error_with_status(StatusCode::CONFLICT).to_string();
    assert!(error.contains("no authenticator app"), "{error}");
    let cases = [
        ("9999", StatusCode::NOT_FOUND),
        ("x", StatusCode::BAD_REQUEST),
    ];
    for (user_id, status) in cases {
        let reply = admin
            .call("remove_app_credential", &[("user_id", user_id)])
            .await;
        reply.error_with_status(status);
    }

    let own = carols
        .call("remove_app_credential", &[("user_id", &bob.id.to_string())])
        .await;
    own.error_with_status(StatusCode::FORBIDDEN);
    let visitor = app
        .browser()
        .call("remove_app_credential", &[("user_id", &bob.id.to_string())])
        .await;
    visitor.error_with_status(StatusCode::UNAUTHORIZED);

    assert_eq!(kinds(&app, bob.id).await, ["app"]);
    assert_eq!(removals(&app).await, 0);
}
