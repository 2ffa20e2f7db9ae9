//! Drift: a token whose clock runs fast is followed a step at a time, a reset puts its window
//! back on the server's time, and a resync finds a token hours off from two consecutive codes.

use reqwest::StatusCode;
use staffgate_app::error::AppError;

use super::support::{
    K20, Params, SEEDS_CSV, assign_and_activate, code_off_by, import, now_secs, row, sign_in_with,
    wait_for_fresh_step,
};
use crate::helpers::{Browser, TestApp, TestUser, spawn_app};

const MINUS: char = '\u{2212}';

/// An admin, and a user holding CSV-001 (K20, SHA1, 6 digits, 30 s), activated just now.
async fn holder_of_csv_001(app: &TestApp) -> (Browser, TestUser) {
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let user = app.add_user("alice", "staff").await;
    wait_for_fresh_step(30, 12).await;
    assign_and_activate(&mut admin, "CSV-001", &user, K20, Params::SHA1_6_30).await;
    (admin, user)
}

/// Signs in with the code the token shows when its clock is `secs` off.
async fn sign_in_off_by(app: &TestApp, user: &TestUser, secs: i64) -> reqwest::StatusCode {
    let code = code_off_by(K20, Params::SHA1_6_30, secs);
    sign_in_with(app, user, &code).await.status
}

#[tokio::test]
async fn a_token_90_seconds_fast_signs_in_once_its_drift_is_learned() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;

    // Unlearned, a code three steps ahead is outside the window.
    let code = code_off_by(K20, Params::SHA1_6_30, 90);
    let reply = sign_in_with(&app, &user, &code).await;
    let AppError::WrongCode(message) = reply.error_with_status(StatusCode::BAD_REQUEST) else {
        panic!("{}", reply.body);
    };
    assert!(message.contains("ahead"), "{message}");

    // The token drifts a step at a time; each code is accepted and moves the window along.
    for (secs, learned) in [(30, "+30 s"), (60, "+60 s"), (90, "+90 s")] {
        assert_eq!(
            sign_in_off_by(&app, &user, secs).await,
            StatusCode::OK,
            "+{secs} s"
        );
        let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
        assert_eq!(drift, format!("device clock about {learned}"));
    }
    assert!(row(&mut admin, "CSV-001").await.last_used.is_some());

    // A reset puts the window back on the server's time: codes 90 s and 120 s ahead are
    // refused as too far ahead (not as replays), though 120 s was inside the learned window.
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    admin
        .call("reset_token_drift", &[("token_id", &id)])
        .await
        .assert_ok();
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, "device clock in step");
    for secs in [90, 120] {
        let code = code_off_by(K20, Params::SHA1_6_30, secs);
        let reply = sign_in_with(&app, &user, &code).await;
        let AppError::WrongCode(message) = reply.error_with_status(StatusCode::BAD_REQUEST) else {
            panic!("{}", reply.body);
        };
        assert!(message.contains("ahead"), "+{secs} s: {message}");
    }

    let log = app.notifications(&mut admin).await;
    let reset = log
        .iter()
        .find(|row| row.event == "Hardware token drift reset")
        .expect("the reset is logged");
    assert_eq!(reset.subject.as_deref(), Some("alice"));
    assert_eq!(
        reset.detail.as_deref(),
        Some("CSV-001: was device clock about +90 s")
    );
}

#[tokio::test]
async fn learning_stops_at_ten_minutes() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;

    // Walk the drift out to +10 minutes one step at a time (20 steps of 30 s).
    for steps in 1..=20 {
        let status = sign_in_off_by(&app, &user, steps * 30).await;
        assert_eq!(status, StatusCode::OK, "+{} s", steps * 30);
    }
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, "device clock about +10 min");

    // A code one step further still falls in the window, but the centre is not moved past
    // ten minutes.
    assert_eq!(sign_in_off_by(&app, &user, 21 * 30).await, StatusCode::OK);
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, "device clock about +10 min");
}

/// The token credential's learned drift, the base learning is bounded around, and the last
/// used step.
async fn stored_drift(app: &TestApp) -> (i64, i64, Option<i64>) {
    sqlx::query_as(
        "SELECT drift_steps, drift_base_steps, last_step FROM credentials WHERE kind = 'token'",
    )
    .fetch_one(&app.sql)
    .await
    .unwrap()
}

/// Makes the token's last use older than three hours, as for a token whose clock lost three
/// hours since it was last used: its codes since are ones it has never shown before.
async fn last_used_long_ago(app: &TestApp) {
    let long_ago = (now_secs() / 30) as i64 - 400;
    sqlx::query("UPDATE credentials SET last_step = ? WHERE kind = 'token'")
        .bind(long_ago)
        .execute(&app.sql)
        .await
        .unwrap();
}

/// Resynchronises CSV-001 with the pair of codes it shows when its clock is `secs` off.
async fn resync_off_by(admin: &mut Browser, id: &str, secs: i64) -> crate::helpers::Reply {
    let first = code_off_by(K20, Params::SHA1_6_30, secs - 30);
    let second = code_off_by(K20, Params::SHA1_6_30, secs);
    admin
        .call(
            "resync_token",
            &[
                ("token_id", id),
                ("first_code", &first),
                ("second_code", &second),
            ],
        )
        .await
}

#[tokio::test]
async fn resync_finds_a_token_three_hours_slow_from_two_consecutive_codes() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    last_used_long_ago(&app).await;
    let slow = -3 * 3600;
    assert_eq!(
        sign_in_off_by(&app, &user, slow).await,
        StatusCode::BAD_REQUEST
    );

    // Two codes that are not consecutive are no pair.
    let first = code_off_by(K20, Params::SHA1_6_30, slow - 30);
    let later = code_off_by(K20, Params::SHA1_6_30, slow + 30);
    let reply = admin
        .call(
            "resync_token",
            &[
                ("token_id", &id),
                ("first_code", &first),
                ("second_code", &later),
            ],
        )
        .await;
    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert_eq!(
        error.to_string(),
        "No matching pair of codes was found within 24 hours."
    );

    wait_for_fresh_step(30, 10).await;
    resync_off_by(&mut admin, &id, slow).await.assert_ok();
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, format!("device clock about {MINUS}180 min"));
    let now_step = (now_secs() / 30) as i64;
    assert_eq!(stored_drift(&app).await, (-360, -360, Some(now_step - 360)));

    // The resync codes are used up; the token's next code signs in, and as the token wanders
    // a further step, learning follows it from the resync's centre.
    let second = code_off_by(K20, Params::SHA1_6_30, slow);
    let reply = sign_in_with(&app, &user, &second).await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    assert_eq!(sign_in_off_by(&app, &user, slow + 30).await, StatusCode::OK);
    assert_eq!(stored_drift(&app).await.0, -359);
    assert_eq!(sign_in_off_by(&app, &user, slow + 60).await, StatusCode::OK);
    assert_eq!(stored_drift(&app).await.0, -358);

    let log = app.notifications(&mut admin).await;
    assert!(
        log.iter()
            .any(|row| row.event == "Hardware token resynchronised"
                && row.detail.as_deref() == Some("CSV-001: device clock about \u{2212}180 min"))
    );
}

#[tokio::test]
async fn after_a_resync_learning_stops_ten_minutes_from_the_resynced_centre() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    last_used_long_ago(&app).await;
    let slow = -3 * 3600;
    wait_for_fresh_step(30, 10).await;
    resync_off_by(&mut admin, &id, slow).await.assert_ok();

    // Walk the token 10 minutes back towards the server's time, one step at a time.
    for steps in 1..=20 {
        let status = sign_in_off_by(&app, &user, slow + steps * 30).await;
        assert_eq!(status, StatusCode::OK, "{steps} steps on");
    }
    assert_eq!(stored_drift(&app).await.0, -340);

    // One step further is still inside the window, but the centre stays 10 minutes from the
    // resync's; two steps further is outside the window.
    assert_eq!(
        sign_in_off_by(&app, &user, slow + 21 * 30).await,
        StatusCode::OK
    );
    assert_eq!(stored_drift(&app).await.0, -340);
    assert_eq!(
        sign_in_off_by(&app, &user, slow + 23 * 30).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(stored_drift(&app).await.0, -340);
}

#[tokio::test]
async fn a_resync_never_makes_a_used_code_valid_again() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    // The token signs in once, a step ahead of the step that activated it.
    assert_eq!(sign_in_off_by(&app, &user, 30).await, StatusCode::OK);
    let (_, _, used) = stored_drift(&app).await;

    // A resync onto the two steps before now centres the window a step back, but the last used
    // step stays where it was: the activation code is refused as used, not accepted again.
    resync_off_by(&mut admin, &id, -30).await.assert_ok();
    assert_eq!(stored_drift(&app).await, (-1, -1, used));
    let reply = sign_in_with(&app, &user, &code_off_by(K20, Params::SHA1_6_30, 0)).await;
    let AppError::WrongCode(message) = reply.error_with_status(StatusCode::BAD_REQUEST) else {
        panic!("{}", reply.body);
    };
    assert!(message.contains("already used"), "{message}");

    // A reset puts the centre and its base back on the server's time.
    admin
        .call("reset_token_drift", &[("token_id", &id)])
        .await
        .assert_ok();
    assert_eq!(stored_drift(&app).await, (0, 0, used));
}
