//! A token's life: assigned, activated (by the admin or on the user's Account page), taken
//! back on "Disable two-factor authentication" or by "Remove from user", returned to stock.
//! Wrong codes and bad input change nothing.

use reqwest::StatusCode;
use staffgate_app::api::token_types::{AssignedToken, TokenState};
use staffgate_app::api::types::AccountView;
use staffgate_app::error::AppError;

use super::support::{
    K20, Params, SEEDS_CSV, assign_and_activate, code_in_steps, import, row, sign_in_with,
    wait_for_fresh_step,
};
use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn a_user_activates_an_assigned_token_on_the_account_page_and_signs_in_with_it() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let alice = app.add_user("alice", "staff").await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    admin
        .call("assign_token", &[("token_id", &id), ("username", "Alice ")])
        .await
        .assert_ok();
    let assigned = row(&mut admin, "CSV-001").await;
    assert_eq!(assigned.state, TokenState::Assigned);
    assert_eq!(assigned.user.as_deref(), Some("alice"));

    // Assigned but not active: alice still signs in with her password alone.
    let mut browser = app.signed_in(&alice).await;
    let own: Vec<AssignedToken> = browser.call("own_tokens", &[]).await.assert_ok().json();
    assert_eq!(own.len(), 1);
    assert_eq!((own[0].serial.as_str(), own[0].digits), ("CSV-001", 6));

    wait_for_fresh_step(30, 8).await;
    let wrong = code_in_steps(K20, Params::SHA1_6_30, 5);
    let reply = browser
        .call("activate_own_token", &[("token_id", &id), ("code", &wrong)])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::BAD_REQUEST),
        AppError::WrongCode(_)
    ));
    assert_eq!(app.credential_count(&alice).await, 0);
    assert_eq!(row(&mut admin, "CSV-001").await.state, TokenState::Assigned);
    assert_eq!(app.failed_codes(&alice).await, 1, "a wrong code counts");

    let code = code_in_steps(K20, Params::SHA1_6_30, 0);
    browser
        .call("activate_own_token", &[("token_id", &id), ("code", &code)])
        .await
        .assert_ok();
    assert_eq!(app.failed_codes(&alice).await, 0, "a right code resets");
    let account: AccountView = browser.call("account", &[]).await.assert_ok().json();
    assert!(account.two_factor_on);
    let active = row(&mut admin, "CSV-001").await;
    assert_eq!(active.state, TokenState::Active);
    assert_eq!(active.drift.as_deref(), Some("device clock in step"));

    // The activating code is used up; the next one signs in.
    let reply = sign_in_with(&app, &alice, &code).await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    let next = code_in_steps(K20, Params::SHA1_6_30, 1);
    sign_in_with(&app, &alice, &next).await.assert_ok();

    let log = app.notifications(&mut admin).await;
    let activated = log
        .iter()
        .find(|row| row.event == "Hardware token activated")
        .unwrap();
    assert_eq!(activated.actor, "alice");
    assert_eq!(activated.detail.as_deref(), Some("CSV-001"));
    assert!(log.iter().any(|row| row.event == "Hardware token assigned"
        && row.actor == "root"
        && row.subject.as_deref() == Some("alice")));
}

#[tokio::test]
async fn nobody_activates_a_token_assigned_to_someone_else() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    app.add_user("alice", "staff").await;
    let mallory = app.add_user("mallory", "staff").await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    admin
        .call("assign_token", &[("token_id", &id), ("username", "alice")])
        .await
        .assert_ok();

    let mut browser = app.signed_in(&mallory).await;
    let code = code_in_steps(K20, Params::SHA1_6_30, 0);
    let reply = browser
        .call("activate_own_token", &[("token_id", &id), ("code", &code)])
        .await;
    reply.error_with_status(StatusCode::NOT_FOUND);
    let own: Vec<AssignedToken> = browser.call("own_tokens", &[]).await.assert_ok().json();
    assert!(own.is_empty());
    assert_eq!(app.credential_count(&mallory).await, 0);
    assert_eq!(row(&mut admin, "CSV-001").await.state, TokenState::Assigned);
}

#[tokio::test]
async fn disabling_two_factor_revokes_the_token_until_an_admin_returns_it_to_stock() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let alice = app.add_user("alice", "staff").await;
    wait_for_fresh_step(30, 8).await;
    assign_and_activate(&mut admin, "CSV-001", &alice, K20, Params::SHA1_6_30).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();

    let alice_id = alice.id.to_string();
    admin
        .call(
            "admin_disable_two_factor",
            &[
                ("user_id", &alice_id),
                ("reason", "token lost"),
                ("password", PASSWORD),
            ],
        )
        .await
        .assert_ok();

    assert_eq!(app.credential_count(&alice).await, 0);
    let revoked = row(&mut admin, "CSV-001").await;
    assert_eq!(revoked.state, TokenState::Revoked);
    assert_eq!(
        revoked.user.as_deref(),
        Some("alice"),
        "kept for the record"
    );
    // Alice is back to her password alone; the lost token is no second factor any more.
    app.signed_in(&alice).await;
    let log = app.notifications(&mut admin).await;
    assert_eq!(
        log[0].detail.as_deref(),
        Some("hardware tokens revoked: CSV-001")
    );

    // A revoked token is not handed out again by mistake.
    let bob = app.add_user("bob", "staff").await;
    let reply = admin
        .call("assign_token", &[("token_id", &id), ("username", "bob")])
        .await;
    assert!(matches!(
        reply.error_with_status(StatusCode::CONFLICT),
        AppError::Conflict(_)
    ));

    admin
        .call("return_token_to_stock", &[("token_id", &id)])
        .await
        .assert_ok();
    let returned = row(&mut admin, "CSV-001").await;
    assert_eq!(returned.state, TokenState::InStock);
    assert_eq!(returned.user, None);
    wait_for_fresh_step(30, 8).await;
    assign_and_activate(&mut admin, "CSV-001", &bob, K20, Params::SHA1_6_30).await;
    let log = app.notifications(&mut admin).await;
    assert!(
        log.iter()
            .any(|row| row.event == "Hardware token returned to stock"
                && row.subject.as_deref() == Some("alice"))
    );
}

#[tokio::test]
async fn turning_off_ones_own_two_factor_with_a_token_code_revokes_the_token() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let alice = app.add_user("alice", "staff").await;
    wait_for_fresh_step(30, 8).await;
    assign_and_activate(&mut admin, "CSV-001", &alice, K20, Params::SHA1_6_30).await;

    let mut browser = app.at_code_step(&alice).await;
    let next = code_in_steps(K20, Params::SHA1_6_30, 1);
    browser.verify_code(&next).await.assert_ok();
    let later = code_in_steps(K20, Params::SHA1_6_30, 2);
    browser
        .call("disable_own_two_factor", &[("code", &later)])
        .await
        .assert_ok();

    assert_eq!(app.credential_count(&alice).await, 0);
    assert_eq!(row(&mut admin, "CSV-001").await.state, TokenState::Revoked);
}

#[tokio::test]
async fn removing_a_token_from_its_user_leaves_the_app_credential_and_is_logged() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let alice = app.add_user("alice", "staff").await;
    let mut browser = app.signed_in(&alice).await;
    let enrolled = app.enroll(&mut browser).await;
    wait_for_fresh_step(30, 8).await;
    assign_and_activate(&mut admin, "CSV-001", &alice, K20, Params::SHA1_6_30).await;
    assert_eq!(app.credential_count(&alice).await, 2);
    let id = row(&mut admin, "CSV-001").await.id.to_string();

    admin
        .call("remove_token", &[("token_id", &id)])
        .await
        .assert_ok();

    assert_eq!(app.credential_count(&alice).await, 1);
    assert_eq!(row(&mut admin, "CSV-001").await.state, TokenState::Revoked);
    let token_code = code_in_steps(K20, Params::SHA1_6_30, 1);
    sign_in_with(&app, &alice, &token_code)
        .await
        .error_with_status(StatusCode::BAD_REQUEST);
    let app_code = crate::helpers::code_in(&enrolled.secret, 1);
    sign_in_with(&app, &alice, &app_code).await.assert_ok();
    let log = app.notifications(&mut admin).await;
    assert!(
        log.iter()
            .any(|row| row.event == "Hardware token removed from user"
                && row.detail.as_deref() == Some("CSV-001"))
    );
}
