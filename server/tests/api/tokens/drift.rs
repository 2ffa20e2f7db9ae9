//! Drift: a token whose clock runs fast is followed a step at a time, a reset puts its window
//! back on the server's time, and a resync finds a token hours off from two consecutive codes.

use reqwest::StatusCode;
use staffgate_app::error::AppError;

use super::support::{
    K20, Params, SEEDS_CSV, assign_and_activate, code_off_by, import, row, sign_in_with,
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

#[tokio::test]
async fn resync_finds_a_token_three_hours_slow_from_two_consecutive_codes() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
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
    let second = code_off_by(K20, Params::SHA1_6_30, slow);
    let first = code_off_by(K20, Params::SHA1_6_30, slow - 30);
    admin
        .call(
            "resync_token",
            &[
                ("token_id", &id),
                ("first_code", &first),
                ("second_code", &second),
            ],
        )
        .await
        .assert_ok();
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, format!("device clock about {MINUS}180 min"));

    // The resync codes are used up; the token's next code signs in, and the centre stays.
    let reply = sign_in_with(&app, &user, &second).await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    assert_eq!(sign_in_off_by(&app, &user, slow + 30).await, StatusCode::OK);
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, format!("device clock about {MINUS}180 min"));

    let log = app.notifications(&mut admin).await;
    assert!(
        log.iter()
            .any(|row| row.event == "Hardware token resynchronised"
                && row.detail.as_deref() == Some("CSV-001: device clock about \u{2212}180 min"))
    );
}
