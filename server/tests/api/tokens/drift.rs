//! Drift: a token whose clock runs fast is followed as it goes, a reset puts its window back on
//! the server's time, learning stops ten minutes from the base, and a resync finds a token hours
//! off from two consecutive codes.
//!
//! The walks here jump the token's clock a whole step between codes, faster than any real
//! token drifts, so they stay inside one server time step (see [`holder_of_csv_001`]): the
//! learned interval assumes a clock that holds still between codes.

use reqwest::StatusCode;
use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_drift_short;
use staffgate_core::otp::{DriftInterval, DriftPolicy};

use super::support::{
    K20, Params, SEEDS_CSV, assign_and_activate, code_off_by, import, now_secs, row, sign_in_with,
    wait_for_fresh_step,
};
use crate::helpers::{Browser, TestApp, TestUser, spawn_app};

const MINUS: char = '\u{2212}';

/// An admin, and a user holding CSV-001 (K20, SHA1, 6 digits, 30 s), activated just now, with
/// at least 20 s left in the server's time step for the codes that follow.
async fn holder_of_csv_001(app: &TestApp) -> (Browser, TestUser) {
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    import(app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let user = app.add_user("alice", "staff").await;
    wait_for_fresh_step(30, 20).await;
    assign_and_activate(&mut admin, "CSV-001", &user, K20, Params::SHA1_6_30).await;
    (admin, user)
}

/// Signs in with the code the token shows when its clock is `secs` off.
async fn sign_in_off_by(app: &TestApp, user: &TestUser, secs: i64) -> reqwest::StatusCode {
    let code = code_off_by(K20, Params::SHA1_6_30, secs);
    sign_in_with(app, user, &code).await.status
}

/// The token credential's drift as stored: the learned interval, its base, the last used step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stored {
    learned: Option<DriftInterval>,
    base_secs: i64,
    last_step: Option<i64>,
}

impl Stored {
    fn policy(&self) -> DriftPolicy {
        DriftPolicy::Learned {
            learned: self.learned,
            base_secs: self.base_secs,
        }
    }

    /// The drift the window is centred on.
    fn centre(&self) -> i64 {
        self.policy().centre_secs()
    }

    /// What the inventory should say of it.
    fn shown(&self) -> String {
        describe_drift_short(self.policy().shown_secs())
    }
}

async fn stored_drift(app: &TestApp) -> Stored {
    let (lo, hi, base_secs, last_step): (Option<i64>, Option<i64>, i64, Option<i64>) =
        sqlx::query_as(
            "SELECT drift_lo_secs, drift_hi_secs, drift_base_secs, last_step FROM credentials \
             WHERE kind = 'token'",
        )
        .fetch_one(&app.sql)
        .await
        .unwrap();
    let learned = lo
        .zip(hi)
        .map(|(lo, hi)| DriftInterval::new(lo, hi).unwrap());
    assert_eq!(
        learned.is_some(),
        lo.is_some() || hi.is_some(),
        "{lo:?}..{hi:?}"
    );
    Stored {
        learned,
        base_secs,
        last_step,
    }
}

/// Checks that what was learned from a code of a token `secs` off is one 30 s step's worth
/// of drifts at most, lying within a step of `secs`, and that the inventory shows it.
async fn assert_follows(app: &TestApp, admin: &mut Browser, secs: i64) -> Stored {
    let stored = stored_drift(app).await;
    let learned = stored.learned.expect("a drift is learned");
    assert!(learned.hi_secs() - learned.lo_secs() <= 30, "{stored:?}");
    assert!(
        (learned.centre_secs() - secs).abs() < 30,
        "{secs} s: {stored:?}"
    );
    let shown = row(admin, "CSV-001").await.drift.unwrap();
    assert_eq!(shown, stored.shown(), "{stored:?}");
    stored
}

#[tokio::test]
async fn a_token_90_seconds_fast_signs_in_once_its_drift_is_learned() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;

    // The activating code showed a clock that may well be right: the inventory says so.
    let activated = stored_drift(&app).await;
    assert!(activated.learned.unwrap().contains(0), "{activated:?}");
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, "device clock in step");

    // A code three steps ahead is outside the window.
    let code = code_off_by(K20, Params::SHA1_6_30, 90);
    let reply = sign_in_with(&app, &user, &code).await;
    let AppError::WrongCode(message) = reply.error_with_status(StatusCode::BAD_REQUEST) else {
        panic!("{}", reply.body);
    };
    assert!(message.contains("ahead"), "{message}");

    // The token runs fast a step at a time; each code is accepted and the window follows it.
    for secs in [30, 60, 90] {
        assert_eq!(
            sign_in_off_by(&app, &user, secs).await,
            StatusCode::OK,
            "+{secs} s"
        );
        let stored = assert_follows(&app, &mut admin, secs).await;
        assert!(
            stored.shown().starts_with("device clock about +"),
            "{stored:?}"
        );
    }
    assert!(row(&mut admin, "CSV-001").await.last_used.is_some());
    let learned = row(&mut admin, "CSV-001").await.drift.unwrap();

    // A reset puts the window back on the server's time: codes 90 s and 120 s ahead are
    // refused as too far ahead (not as replays), though 120 s was inside the learned window.
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    admin
        .call("reset_token_drift", &[("token_id", &id)])
        .await
        .assert_ok();
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, "device clock in step");
    let reset = stored_drift(&app).await;
    assert_eq!((reset.learned, reset.base_secs), (None, 0));
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
    assert_eq!(reset.detail, Some(format!("CSV-001: was {learned}")));
}

#[tokio::test]
async fn learning_stops_at_ten_minutes() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;

    // Walk the token out to +10 minutes one step at a time (20 steps of 30 s), and on: every
    // code up to +10 minutes is accepted, and the centre never goes past +10 minutes.
    let mut accepted = Vec::new();
    for steps in 1..=22 {
        let status = sign_in_off_by(&app, &user, steps * 30).await;
        if status == StatusCode::OK {
            accepted.push(steps);
        }
        let stored = stored_drift(&app).await;
        assert!(stored.centre() <= 600, "+{} s: {stored:?}", steps * 30);
    }
    assert!(
        (1..=20).all(|steps| accepted.contains(&steps)),
        "{accepted:?}"
    );
    // Centred at most 10 minutes ahead, the window reaches no code 11 minutes ahead.
    assert!(!accepted.contains(&22), "{accepted:?}");

    let stored = stored_drift(&app).await;
    assert!(stored.centre() >= 540, "{stored:?}");
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, stored.shown());
    assert!(drift.ends_with(" min"), "{drift}");
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

    wait_for_fresh_step(30, 15).await;
    let before = now_secs() as i64;
    resync_off_by(&mut admin, &id, slow).await.assert_ok();
    let after = now_secs() as i64;
    let drift = row(&mut admin, "CSV-001").await.drift.unwrap();
    assert_eq!(drift, format!("device clock about {MINUS}180 min"));

    // The second code's step, 360 steps back, is the last used one and gives the interval:
    // the drifts for which the token showed that step at the server's time of the resync.
    let resynced = stored_drift(&app).await;
    let now_step = after / 30;
    assert_eq!(resynced.last_step, Some(now_step - 360));
    let learned = resynced.learned.unwrap();
    let step_start = (now_step - 360) * 30;
    assert!(
        (before..=after)
            .any(|now| learned
                == DriftInterval::new(step_start - now, step_start + 30 - now).unwrap()),
        "{resynced:?}"
    );
    assert_eq!(resynced.base_secs, learned.centre_secs());

    // The resync codes are used up; the token's next code signs in, and as the token wanders
    // a further step and another, learning follows it around the resync's centre.
    let second = code_off_by(K20, Params::SHA1_6_30, slow);
    let reply = sign_in_with(&app, &user, &second).await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    for secs in [slow + 30, slow + 60] {
        assert_eq!(sign_in_off_by(&app, &user, secs).await, StatusCode::OK);
        let stored = assert_follows(&app, &mut admin, secs).await;
        assert_eq!(stored.base_secs, resynced.base_secs);
    }

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
    wait_for_fresh_step(30, 15).await;
    resync_off_by(&mut admin, &id, slow).await.assert_ok();
    let base = stored_drift(&app).await.base_secs;

    // Walk the token 10 minutes and a step back towards the server's time, a step at a time:
    // every code is accepted, and the centre stays within 10 minutes of the resync's.
    for steps in 1..=21 {
        let status = sign_in_off_by(&app, &user, slow + steps * 30).await;
        assert_eq!(status, StatusCode::OK, "{steps} steps on");
        let stored = stored_drift(&app).await;
        assert_eq!(stored.base_secs, base);
        assert!(
            stored.centre() - base <= 600,
            "{steps} steps on: {stored:?}"
        );
    }
    let stored = stored_drift(&app).await;
    assert!(stored.centre() - base >= 540, "{stored:?}");

    // Two steps further is outside the window, and changes nothing.
    assert_eq!(
        sign_in_off_by(&app, &user, slow + 23 * 30).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(stored_drift(&app).await, stored);
}

#[tokio::test]
async fn a_resync_never_makes_a_used_code_valid_again() {
    let app = spawn_app().await;
    let (mut admin, user) = holder_of_csv_001(&app).await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();
    // The token signs in once, a step ahead of the step that activated it.
    assert_eq!(sign_in_off_by(&app, &user, 30).await, StatusCode::OK);
    let used = stored_drift(&app).await.last_step;

    // A resync onto the two steps before now centres the window about a step back, but the last
    // used step stays where it was: the activation code is refused as used, not accepted again.
    resync_off_by(&mut admin, &id, -30).await.assert_ok();
    let resynced = stored_drift(&app).await;
    let learned = resynced.learned.unwrap();
    assert_eq!(learned.hi_secs() - learned.lo_secs(), 30);
    assert!(
        learned.hi_secs() <= 0 && learned.lo_secs() >= -59,
        "{resynced:?}"
    );
    assert_eq!(resynced.base_secs, learned.centre_secs());
    assert_eq!(resynced.last_step, used);
    let reply = sign_in_with(&app, &user, &code_off_by(K20, Params::SHA1_6_30, 0)).await;
    let AppError::WrongCode(message) = reply.error_with_status(StatusCode::BAD_REQUEST) else {
        panic!("{}", reply.body);
    };
    assert!(message.contains("already used"), "{message}");

    // A reset forgets the learned drift and puts its base back on the server's time.
    admin
        .call("reset_token_drift", &[("token_id", &id)])
        .await
        .assert_ok();
    let reset = stored_drift(&app).await;
    assert_eq!(
        reset,
        Stored {
            learned: None,
            base_secs: 0,
            last_step: used
        }
    );
}
