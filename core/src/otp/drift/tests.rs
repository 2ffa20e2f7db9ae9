//! Drift intervals, their bound, the app rule, and the exhaustive check that a learned window
//! keeps accepting a token whose clock stays put.

use proptest::prelude::*;

use super::*;
use crate::otp::test_keys::{k20, key, rfc_seed};
use crate::otp::{Algorithm, Verdict, verify};

/// T = 1111111111 is step 37037037 of K20 (case C13), one second into that step.
const NOW: u64 = 1111111111;

fn interval(lo_secs: i64, hi_secs: i64) -> DriftInterval {
    DriftInterval::new(lo_secs, hi_secs).unwrap()
}

/// The step a token `drift_secs` off shows at server time `now`, for `period`.
fn token_step(now: u64, drift_secs: i64, period: u32) -> u64 {
    now.checked_add_signed(drift_secs).unwrap() / u64::from(period)
}

#[test]
fn one_code_proves_the_token_time_lay_inside_its_step() {
    // Step 37037038 runs from 1111111140 to 1111111169: 29 to 58 s ahead of T.
    let seen = DriftInterval::observed(37037038, Period::THIRTY, NOW).unwrap();
    assert_eq!((seen.lo_secs(), seen.hi_secs()), (29, 59));
    assert_eq!(seen.centre_secs(), 44);
    assert!(seen.contains(29) && seen.contains(58));
    assert!(!seen.contains(28) && !seen.contains(59));

    let behind = DriftInterval::observed(18518517, Period::SIXTY, 1111111109).unwrap();
    assert_eq!((behind.lo_secs(), behind.hi_secs()), (-89, -29));
    assert_eq!(behind.centre_secs(), -59);
}

#[test]
fn the_centre_of_an_odd_width_rounds_down() {
    assert_eq!(interval(20, 25).centre_secs(), 22);
    assert_eq!(interval(-25, -20).centre_secs(), -23);
    assert_eq!(interval(7, 8).centre_secs(), 7);
    assert_eq!(DriftInterval::new(5, 5), None);
    assert_eq!(DriftInterval::new(6, 5), None);
}

#[test]
fn codes_that_agree_narrow_the_interval_and_a_moved_clock_starts_again() {
    let first = interval(-10, 50);
    assert_eq!(first.narrowed_by(&interval(20, 80)), interval(20, 50));
    assert_eq!(first.narrowed_by(&interval(-40, 20)), interval(-10, 20));
    assert_eq!(first.narrowed_by(&interval(-30, 60)), first);
    // Touching is not overlapping: [50, 110) allows nothing [-10, 50) does.
    assert_eq!(first.narrowed_by(&interval(50, 110)), interval(50, 110));
    assert_eq!(
        first.narrowed_by(&interval(-200, -140)),
        interval(-200, -140)
    );
}

#[test]
fn the_first_code_is_learned_whole() {
    let seen = interval(-5, 55);
    assert_eq!(learn_drift(None, seen, 0), Some(seen));
}

#[test]
fn an_estimate_up_to_ten_minutes_from_the_base_is_learned() {
    assert_eq!(
        learn_drift(None, interval(570, 630), 0),
        Some(interval(570, 630))
    );
    assert_eq!(
        learn_drift(None, interval(-630, -570), 0),
        Some(interval(-630, -570))
    );
    let previous = Some(interval(580, 610));
    assert_eq!(
        learn_drift(previous, interval(590, 620), 0),
        Some(interval(590, 610))
    );
}

#[test]
fn an_estimate_beyond_ten_minutes_from_the_base_leaves_the_previous_one() {
    let previous = Some(interval(560, 590));
    assert_eq!(learn_drift(previous, interval(590, 620), 0), previous);
    assert_eq!(learn_drift(previous, interval(-631, -571), 0), previous);
    assert_eq!(learn_drift(None, interval(571, 631), 0), None);
    // The base moves the bound: around a base of +10 min, +20 min is learned.
    assert_eq!(
        learn_drift(previous, interval(1180, 1210), 600),
        Some(interval(1180, 1210))
    );
}

#[test]
fn a_token_resynced_three_hours_slow_keeps_learning_around_its_new_base() {
    let resynced = DriftInterval::observed(NOW / 30 - 360, Period::THIRTY, NOW).unwrap();
    assert_eq!((resynced.lo_secs(), resynced.hi_secs()), (-10801, -10771));
    let base_secs = resynced.centre_secs();
    assert_eq!(base_secs, -10786);
    let policy = DriftPolicy::Learned {
        learned: Some(resynced),
        base_secs,
    };
    assert_eq!(policy.window(), Window::centred_on(-10786));

    // The token loses a further 20 s: the next code narrows the interval there.
    let later = NOW + 10;
    let step = token_step(later, -10781 - 20, 30);
    let learned = policy.after_accepted(step, Period::THIRTY, later).unwrap();
    assert!(learned.contains(-10801));
    assert!(learned.centre_secs() >= base_secs - 600);

    // Learning stops 10 minutes from the resync's centre, not from the server's time.
    let far = DriftInterval::observed(token_step(later, -11400, 30), Period::THIRTY, later);
    assert_eq!(
        learn_drift(Some(resynced), far.unwrap(), base_secs),
        Some(resynced)
    );
}

#[test]
fn extreme_values_do_not_overflow() {
    assert_eq!(DriftInterval::observed(u64::MAX, Period::SIXTY, 0), None);
    assert_eq!(
        DriftInterval::observed(0, Period::THIRTY, u64::MAX),
        None,
        "the drift would be below i64::MIN"
    );
    let widest = interval(i64::MIN, i64::MAX);
    assert_eq!(widest.centre_secs(), -1);
    let top = interval(i64::MAX - 30, i64::MAX);
    assert_eq!(learn_drift(None, top, i64::MIN), None);
    assert_eq!(learn_drift(None, top, i64::MAX), Some(top));
    let policy = DriftPolicy::Learned {
        learned: Some(top),
        base_secs: i64::MAX,
    };
    let window = policy.window();
    assert!(!verify(&k20(), "050471", NOW, window, None).is_accepted());
    assert_eq!(policy.after_accepted(u64::MAX, Period::SIXTY, 0), Some(top));
}

#[test]
fn c12_c13_an_app_window_stays_on_server_time_whatever_it_accepts() {
    let app = DriftPolicy::ServerTime;
    assert_eq!(app.window(), Window::STANDARD);
    for (code, step) in [
        ("081804", 37037036),
        ("050471", 37037037),
        ("266759", 37037038),
    ] {
        assert!(verify(&k20(), code, NOW, app.window(), None).is_accepted());
        assert_eq!(app.after_accepted(step, Period::THIRTY, NOW), None);
        assert_eq!(app.window(), Window::STANDARD);
    }
    for code in ["731029", "306183"] {
        assert!(!verify(&k20(), code, NOW, app.window(), None).is_accepted());
    }

    // Case C12: a 60 s credential accepts 360094 at T=1111111109 and T=1111111139.
    let sixty = key(rfc_seed(20), Algorithm::Sha1, 6, 60);
    for now in [1111111109, 1111111139] {
        assert!(verify(&sixty, "360094", now, app.window(), None).is_accepted());
    }
    assert!(!verify(&sixty, "050471", 1111111139, app.window(), None).is_accepted());
    assert_eq!(
        app.after_accepted(18518519, Period::SIXTY, 1111111139),
        None
    );
}

#[test]
fn a_token_window_is_centred_on_what_it_learned_or_on_its_base() {
    assert_eq!(DriftPolicy::UNLEARNED.window(), Window::STANDARD);
    let resynced = DriftPolicy::Learned {
        learned: None,
        base_secs: -10800,
    };
    assert_eq!(resynced.centre_secs(), -10800);
    let learned = DriftPolicy::Learned {
        learned: Some(interval(20, 31)),
        base_secs: 0,
    };
    assert_eq!(learned.window(), Window::centred_on(25));
}

#[test]
fn admins_see_in_step_while_the_server_time_is_still_allowed() {
    let shown = |lo, hi| {
        DriftPolicy::Learned {
            learned: Some(interval(lo, hi)),
            base_secs: 0,
        }
        .shown_secs()
    };
    assert_eq!(shown(-20, 40), 0);
    assert_eq!(shown(0, 60), 0);
    assert_eq!(shown(1, 61), 31);
    assert_eq!(shown(-60, 0), -30);
    assert_eq!(shown(20, 30), 25);
    assert_eq!(DriftPolicy::UNLEARNED.shown_secs(), 0);
    assert_eq!(DriftPolicy::ServerTime.shown_secs(), 0);
}

#[test]
fn a_60_second_token_25_seconds_fast_is_accepted_at_every_second_after_one_code() {
    // The case whole-step learning got wrong: at 40 s into a step the token already shows the
    // next step, and moving the window a whole minute then missed it 5 s in every minute.
    let key = key(rfc_seed(20), Algorithm::Sha1, 6, 60);
    let start = 18518518 * 60;
    let drift = 25;
    let first = start + 40;
    let code = key.code_at(first + drift);
    let Verdict::Accepted { step, offset } = verify(&key, &code, first, Window::STANDARD, None)
    else {
        panic!("the first code was refused");
    };
    assert_eq!(offset, 1);
    let learned = DriftPolicy::UNLEARNED.after_accepted(step, Period::SIXTY, first);
    assert_eq!(learned, Some(interval(20, 80)));
    let policy = DriftPolicy::Learned {
        learned,
        base_secs: 0,
    };

    for now in first + 1..first + 4 * 60 {
        let code = key.code_at(now + drift);
        assert!(
            verify(&key, &code, now, policy.window(), None).is_accepted(),
            "{} s after the first code",
            now - first
        );
    }
}

#[test]
fn for_every_drift_within_ten_minutes_one_code_keeps_the_token_accepted_at_every_second() {
    for secs in [30_u32, 60] {
        let period = Period::any(secs).unwrap();
        let always_learned = 600 - i64::from(secs / 2);
        let secs = u64::from(secs);
        let start = 18518518 * 60;
        for drift in -600_i64..=600 {
            let mut learned_somewhere = false;
            for first in start..start + secs {
                let step = token_step(first, drift, period.secs());
                let Some(learned) = DriftPolicy::UNLEARNED.after_accepted(step, period, first)
                else {
                    assert!(drift.abs() > always_learned, "drift {drift} s not learned");
                    continue;
                };
                learned_somewhere = true;
                assert!(learned.contains(drift));
                let policy = DriftPolicy::Learned {
                    learned: Some(learned),
                    base_secs: 0,
                };
                let window = policy.window();
                for now in first + 1..=first + 3 * secs {
                    let offsets = window.offsets(period, now);
                    let wanted = i64::try_from(token_step(now, drift, period.secs())).unwrap()
                        - i64::try_from(now / secs).unwrap();
                    assert!(
                        offsets.contains(&wanted),
                        "P={secs} d={drift} learned at {first}, missed at {now}"
                    );
                    // Never wider than the window on server time: 3 steps at 30 s, 2 at 60 s.
                    let steps = offsets.end() - offsets.start() + 1;
                    assert!(steps <= if secs == 30 { 3 } else { 2 });
                }
            }
            assert!(learned_somewhere, "P={secs} d={drift} never learned");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_steady_clock_stays_inside_what_is_learned_and_inside_the_window(
        drift in -600_i64..=600,
        sixty in any::<bool>(),
        gaps in proptest::collection::vec(1_u64..5_000, 1..12),
        probe in 0_u64..600,
    ) {
        let secs: u32 = if sixty { 60 } else { 30 };
        let period = Period::any(secs).unwrap();
        let mut now = 1_700_000_000_u64;
        let mut policy = DriftPolicy::UNLEARNED;
        for gap in gaps {
            now += gap;
            let step = token_step(now, drift, secs);
            let learned = policy.after_accepted(step, period, now);
            if let Some(learned) = learned {
                prop_assert!(learned.contains(drift), "{learned:?} lost drift {drift}");
                prop_assert!(learned.centre_secs().abs() <= 600);
            }
            policy = DriftPolicy::Learned { learned, base_secs: 0 };
            if learned.is_some() {
                let later = now + probe;
                let wanted = i64::try_from(token_step(later, drift, secs)).unwrap()
                    - i64::try_from(later / u64::from(secs)).unwrap();
                prop_assert!(policy.window().offsets(period, later).contains(&wanted));
            }
        }
    }
}
