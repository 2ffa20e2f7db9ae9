//! An admin turning off a user's two-factor: the checks before, and everything that must
//! happen together after.

use std::time::Duration;

use reqwest::StatusCode;
use staffgate_app::api::types::{AuthState, UserRow};
use staffgate_app::error::AppError;

use crate::helpers::{PASSWORD, code_in, outbox_row, pending_secret, spawn_app, wait_for};

const DISABLED_BY_ADMIN: &str = "Two-factor authentication turned off by an admin";

#[tokio::test]
async fn turning_off_a_users_two_factor_needs_a_reason_and_the_admins_password() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    app.enroll(&mut alice_browser).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let alice_id = alice.id.to_string();
    let too_long = "x".repeat(501);

    for (reason, password) in [
        ("", PASSWORD),
        ("   ", PASSWORD),
        (too_long.as_str(), PASSWORD),
        ("lost phone", "not my password"),
        ("lost phone", ""),
    ] {
        let reply = admin
            .call(
                "admin_disable_two_factor",
                &[
                    ("user_id", &alice_id),
                    ("reason", reason),
                    ("password", password),
                ],
            )
            .await;
        let error = reply.error_with_status(StatusCode::BAD_REQUEST);
        assert!(
            matches!(error, AppError::Invalid(_)),
            "{reason:?}/{password:?}: {error:?}"
        );
    }

    assert_eq!(app.credential_count(&alice).await, 1);
    alice_browser.call("account", &[]).await.assert_ok();
    let logged = app.notifications(&mut admin).await;
    assert!(
        logged.iter().all(|row| row.event != DISABLED_BY_ADMIN),
        "{logged:#?}"
    );
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject LIKE '%off%'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(queued, 0);
    let state: AuthState = admin.call("auth_state", &[]).await.assert_ok().json();
    assert!(
        matches!(state, AuthState::SignedIn(_)),
        "a wrong password does not sign out"
    );
}

#[tokio::test]
async fn an_admin_turning_off_two_factor_deletes_the_credential_ends_sessions_logs_and_mails() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    let old = app.enroll(&mut alice_browser).await;
    let mut alice_pending = app.at_code_step(&alice).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;

    let users: Vec<UserRow> = admin.call("list_users", &[]).await.assert_ok().json();
    let row = users
        .iter()
        .find(|row| row.username == "alice")
        .expect("alice is listed");
    assert!(row.two_factor_on);

    // Without STAFFGATE_TRUST_PROXY a forwarded address is not believed.
    let reply = admin
        .call_with(
            "admin_disable_two_factor",
            &[
                ("user_id", &alice.id.to_string()),
                ("reason", "  lost phone on the train  "),
                ("password", PASSWORD),
            ],
            &[("x-forwarded-for", "203.0.113.9")],
        )
        .await;
    reply.assert_ok();

    // The credential row is deleted, not flagged.
    assert_eq!(app.credential_count(&alice).await, 0);
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pending_enrollments")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(pending, 0);

    // Every session of alice's has ended, the signed-in one and the half-signed-in one.
    let reply = alice_browser.call("account", &[]).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
    let reply = alice_pending.verify_code(&code_in(&old.secret, 1)).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ?")
        .bind(alice.id)
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    admin.call("list_users", &[]).await.assert_ok();

    // The log names who, whom, from where and why.
    let logged = app.notifications(&mut admin).await;
    let entry = logged
        .iter()
        .find(|row| row.event == DISABLED_BY_ADMIN)
        .expect("a log entry");
    assert_eq!(entry.actor, "root");
    assert_eq!(entry.subject.as_deref(), Some("alice"));
    assert_eq!(entry.address.as_deref(), Some("127.0.0.1"));
    assert_eq!(entry.reason.as_deref(), Some("lost phone on the train"));

    // The mail is queued with the change and then sent (to the outbox folder here).
    let mail = outbox_row(&app.sql, "%turned off%").await;
    assert_eq!(mail.recipient, alice.email);
    assert_eq!(
        mail.subject,
        "Two-factor authentication was turned off for your account"
    );
    assert!(
        mail.body_text
            .contains("Reason given: lost phone on the train"),
        "{}",
        mail.body_text
    );
    assert!(
        mail.body_text
            .contains("\"root\", from the address 127.0.0.1"),
        "{}",
        mail.body_text
    );
    let sql = &app.sql;
    wait_for(
        "the mail to be sent",
        Duration::from_secs(10),
        || async move { outbox_row(sql, "%turned off%").await.sent_at.is_some() },
    )
    .await;

    // Alice now signs in with the password alone.
    let mut alice_browser = app.signed_in(&alice).await;

    // Turning it on again takes a new secret; the old secret's code does not confirm it.
    alice_browser.call("generate_secret", &[]).await.assert_ok();
    let new_secret = pending_secret(&mut alice_browser).await;
    assert_ne!(new_secret, old.secret);
    let reply = alice_browser
        .call("confirm_enrollment", &[("code", &code_in(&old.secret, 0))])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    assert_eq!(app.credential_count(&alice).await, 0);
}

#[tokio::test]
async fn turning_off_two_factor_for_an_unknown_user_or_a_user_without_it_is_refused() {
    let app = spawn_app().await;
    let bob = app.add_user("bob", "staff").await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;

    let reply = admin
        .call(
            "admin_disable_two_factor",
            &[
                ("user_id", "999999"),
                ("reason", "gone"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::NOT_FOUND),
        AppError::NotFound(_)
    ));

    let reply = admin
        .call(
            "admin_disable_two_factor",
            &[
                ("user_id", &bob.id.to_string()),
                ("reason", "gone"),
                ("password", PASSWORD),
            ],
        )
        .await;
    let error = reply.error_with_status(StatusCode::CONFLICT);
    assert!(
        matches!(error, AppError::Conflict(ref words) if words.contains("bob")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failure_part_way_through_turning_off_two_factor_changes_nothing() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    app.enroll(&mut alice_browser).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let logged_before = app.notifications(&mut admin).await.len();

    // Make the last write of the change, queueing the mail, fail in the database.
    sqlx::query(
        "CREATE TRIGGER test_outbox_down BEFORE INSERT ON outbox \
         BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END",
    )
    .execute(&app.sql)
    .await
    .unwrap();
    let reply = admin
        .call(
            "admin_disable_two_factor",
            &[
                ("user_id", &alice.id.to_string()),
                ("reason", "lost phone"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        reply.error_with_status(StatusCode::INTERNAL_SERVER_ERROR),
        AppError::Internal
    );

    assert_eq!(
        app.credential_count(&alice).await,
        1,
        "the credential is still there"
    );
    alice_browser.call("account", &[]).await.assert_ok();
    assert_eq!(
        app.notifications(&mut admin).await.len(),
        logged_before,
        "nothing was logged"
    );
}
