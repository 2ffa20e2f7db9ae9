//! Windows, replays and drift hints from the cases README, and properties of `verify`.

use proptest::prelude::*;

use super::*;
use crate::otp::test_keys::{k20, key, rfc_seed};

#[test]
fn c13_the_standard_window_accepts_exactly_one_step_either_side() {
    let now = 1111111111;
    assert_eq!(k20().step_at(now), 37037037);
    let cases = [
        ("731029", Verdict::Rejected { drift: Some(-2) }),
        (
            "081804",
            Verdict::Accepted {
                step: 37037036,
                offset: -1,
            },
        ),
        (
            "050471",
            Verdict::Accepted {
                step: 37037037,
                offset: 0,
            },
        ),
        (
            "266759",
            Verdict::Accepted {
                step: 37037038,
                offset: 1,
            },
        ),
        ("306183", Verdict::Rejected { drift: Some(2) }),
    ];
    for (code, expected) in cases {
        assert_eq!(
            verify(&k20(), code, now, Window::STANDARD, None),
            expected,
            "{code}"
        );
    }
}

#[test]
fn a_learned_drift_moves_the_window() {
    let window = Window::centred_on(60);
    let now = 1111111111;
    assert_eq!(
        verify(&k20(), "306183", now, window, None),
        Verdict::Accepted {
            step: 37037039,
            offset: 2
        }
    );
    assert!(verify(&k20(), "266759", now, window, None).is_accepted());
    assert_eq!(
        verify(&k20(), "050471", now, window, None),
        Verdict::Rejected { drift: Some(0) }
    );
}

#[test]
fn a_zero_tolerance_accepts_only_the_current_step() {
    let window = Window {
        center_secs: 0,
        tolerance_secs: 0,
    };
    assert!(verify(&k20(), "050471", 1111111111, window, None).is_accepted());
    assert!(!verify(&k20(), "266759", 1111111111, window, None).is_accepted());
}

#[test]
fn c14_a_code_is_accepted_once_and_older_steps_never_again() {
    let mut last_step = None;
    let mut submit = |now: u64, code: &str| {
        let verdict = verify(&k20(), code, now, Window::STANDARD, last_step);
        if let Verdict::Accepted { step, .. } = verdict {
            last_step = Some(step);
        }
        (verdict, last_step)
    };

    let first = submit(1111111109, "081804");
    assert_eq!(
        first,
        (
            Verdict::Accepted {
                step: 37037036,
                offset: 0
            },
            Some(37037036)
        )
    );
    let again = submit(1111111112, "081804");
    assert_eq!(
        again,
        (Verdict::Replayed { step: 37037036 }, Some(37037036))
    );
    let next = submit(1111111112, "050471");
    assert_eq!(
        next,
        (
            Verdict::Accepted {
                step: 37037037,
                offset: 0
            },
            Some(37037037)
        )
    );
    let older = submit(1111111115, "081804");
    assert_eq!(
        older,
        (Verdict::Replayed { step: 37037036 }, Some(37037037))
    );
    let same = submit(1111111115, "050471");
    assert_eq!(same, (Verdict::Replayed { step: 37037037 }, Some(37037037)));
}

#[test]
fn c15_the_code_that_confirmed_enrollment_does_not_also_sign_in() {
    let confirmed = verify(&k20(), "050471", 1111111111, Window::STANDARD, None);
    let Verdict::Accepted {
        step: enrolled_step,
        ..
    } = confirmed
    else {
        panic!("enrollment was not confirmed: {confirmed:?}");
    };
    assert_eq!(enrolled_step, 37037037);

    let reused = verify(
        &k20(),
        "050471",
        1111111120,
        Window::STANDARD,
        Some(enrolled_step),
    );
    assert_eq!(reused, Verdict::Replayed { step: 37037037 });
    let fresh = verify(
        &k20(),
        "266759",
        1111111141,
        Window::STANDARD,
        Some(enrolled_step),
    );
    assert_eq!(
        fresh,
        Verdict::Accepted {
            step: 37037038,
            offset: 0
        }
    );
}

#[test]
fn c29_codes_from_a_device_two_minutes_off_are_rejected_with_a_drift_hint() {
    let now = 1111111111;
    let ahead = verify(&k20(), "754889", now, Window::STANDARD, None);
    assert_eq!(ahead, Verdict::Rejected { drift: Some(4) });
    let behind = verify(&k20(), "404137", now, Window::STANDARD, None);
    assert_eq!(behind, Verdict::Rejected { drift: Some(-4) });
}

#[test]
fn c29_the_drift_search_covers_ten_steps_and_no_more() {
    let key = k20();
    let now = 1111111111;
    let current = key.step_at(now);
    for offset in -12_i64..=12 {
        let code = key.code_at_step(current.checked_add_signed(offset).unwrap());
        let verdict = verify(&key, &code, now, Window::STANDARD, None);
        let expected = match offset {
            -1..=1 => Verdict::Accepted {
                step: current.checked_add_signed(offset).unwrap(),
                offset,
            },
            -10..=10 => Verdict::Rejected {
                drift: Some(offset),
            },
            _ => Verdict::Rejected { drift: None },
        };
        assert_eq!(verdict, expected, "offset {offset}");
    }
}

#[test]
fn c29_only_server_time_decides_not_a_browser_clock_600_seconds_ahead() {
    let server_now = 1111111111;
    let browser_now = 1111111711;
    assert!(verify(&k20(), "050471", server_now, Window::STANDARD, None).is_accepted());
    // Had the browser's clock been used, the same code would be 20 steps old and refused.
    let wrong_clock = verify(&k20(), "050471", browser_now, Window::STANDARD, None);
    assert_eq!(wrong_clock, Verdict::Rejected { drift: None });
}

#[test]
fn steps_near_the_epoch_do_not_underflow() {
    let key = key(rfc_seed(20), Algorithm::Sha1, 8, 30);
    assert_eq!(
        verify(&key, "94287082", 59, Window::STANDARD, None),
        Verdict::Accepted { step: 1, offset: 0 }
    );
    let step_zero = key.code_at_step(0);
    assert_eq!(
        verify(&key, &step_zero, 0, Window::STANDARD, None),
        Verdict::Accepted { step: 0, offset: 0 }
    );
    assert_eq!(
        verify(&key, &step_zero, 59, Window::STANDARD, None),
        Verdict::Accepted {
            step: 0,
            offset: -1
        }
    );
    assert_eq!(
        verify(&key, "94287082", 0, Window::STANDARD, Some(0)),
        Verdict::Accepted { step: 1, offset: 1 }
    );
}

#[test]
fn tolerances_beyond_five_minutes_are_narrowed() {
    let wide = Window {
        center_secs: 0,
        tolerance_secs: u32::MAX,
    };
    let code = k20().code_at_step(37037037 + 11);
    assert!(!verify(&k20(), &code, 1111111111, wide, None).is_accepted());
    let code = k20().code_at_step(37037037 + 10);
    assert!(verify(&k20(), &code, 1111111111, wide, None).is_accepted());
}

#[test]
fn at_30_seconds_the_window_is_one_step_either_side_at_every_second_of_a_step() {
    let start = 37037037 * 30;
    for now in start..start + 30 {
        assert_eq!(
            Window::STANDARD.offsets(Period::THIRTY, now),
            -1..=1,
            "T={now}"
        );
    }
}

#[test]
fn at_60_seconds_the_window_holds_the_neighbour_within_30_seconds_and_no_other() {
    let start = 18518518 * 60;
    for now in start..start + 60 {
        let expected = if now - start < 30 { -1..=0 } else { 0..=1 };
        assert_eq!(
            Window::STANDARD.offsets(Period::SIXTY, now),
            expected,
            "T={now}"
        );
    }
}

#[test]
fn c12_a_60_second_code_one_step_away_is_accepted_only_while_within_30_seconds() {
    let key = key(rfc_seed(20), Algorithm::Sha1, 6, 60);
    // T=1111111109 is 29 s into step 18518518 (which gives 360094, case C12).
    let (before, after) = (key.code_at_step(18518517), key.code_at_step(18518519));
    assert_eq!(
        verify(&key, &before, 1111111109, Window::STANDARD, None),
        Verdict::Accepted {
            step: 18518517,
            offset: -1
        }
    );
    // Step 18518519 begins 31 s after T=1111111109: outside ±30 s, though only one step on.
    assert_eq!(
        verify(&key, &after, 1111111109, Window::STANDARD, None),
        Verdict::Rejected { drift: Some(1) }
    );
    // At T=1111111139 it begins in 1 s, and the step that ended 59 s ago is refused.
    assert!(verify(&key, &after, 1111111139, Window::STANDARD, None).is_accepted());
    assert_eq!(
        verify(&key, &before, 1111111139, Window::STANDARD, None),
        Verdict::Rejected { drift: Some(-1) }
    );
}

#[test]
fn a_learned_drift_moves_the_seconds_window_by_its_seconds() {
    assert_eq!(
        Window::centred_on(-10800).offsets(Period::THIRTY, 1111111111),
        -361..=-359
    );
    assert_eq!(
        Window::centred_on(300).offsets(Period::SIXTY, 1111111109),
        4..=5
    );
}

#[test]
fn a_window_centred_25_seconds_ahead_holds_the_steps_overlapping_now_minus_5_to_now_plus_55() {
    let window = Window::centred_on(25);
    let start = 18518518 * 60;
    for now in start..start + 60 {
        // now − 5 is in the step before for the first 5 s; now + 55 reaches the next step
        // from 5 s on.
        let expected = if now - start < 5 { -1..=0 } else { 0..=1 };
        assert_eq!(window.offsets(Period::SIXTY, now), expected, "T={now}");
    }
}

#[test]
fn the_window_before_the_epoch_starts_below_step_zero_and_those_steps_are_skipped() {
    assert_eq!(Window::STANDARD.offsets(Period::THIRTY, 0), -1..=1);
    let key = key(rfc_seed(20), Algorithm::Sha1, 6, 30);
    let first = key.code_at_step(0);
    assert_eq!(
        verify(&key, &first, 0, Window::STANDARD, None),
        Verdict::Accepted { step: 0, offset: 0 }
    );
}

fn edge_u64() -> impl Strategy<Value = u64> {
    prop_oneof![0..100_u64, (u64::MAX - 100)..=u64::MAX, any::<u64>()]
}

fn edge_i64() -> impl Strategy<Value = i64> {
    prop_oneof![-20..20_i64, Just(i64::MIN), Just(i64::MAX), any::<i64>()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn verify_never_panics(
        now in edge_u64(),
        center in edge_i64(),
        tolerance_secs in prop_oneof![0..90_u32, Just(u32::MAX), any::<u32>()],
        last_step in proptest::option::of(edge_u64()),
        code in "[0-9]{6}",
        period in prop_oneof![Just(1_u32), Just(30), Just(3600)],
    ) {
        let key = key(rfc_seed(20), Algorithm::Sha1, 6, period);
        let window = Window { center_secs: center, tolerance_secs };
        let _ = verify(&key, &code, now, window, last_step);
        let own_code = key.code_at(now);
        let _ = verify(&key, &own_code, now, window, last_step);
    }

    #[test]
    fn the_current_code_is_accepted_unless_its_step_was_used(
        now in edge_u64(),
        last_step in proptest::option::of(edge_u64()),
    ) {
        let key = k20();
        let code = key.code_at(now);
        let verdict = verify(&key, &code, now, Window::STANDARD, last_step);
        let step = key.step_at(now);
        if let Verdict::Accepted { step: accepted, .. } = verdict {
            prop_assert!(last_step.is_none_or(|used| accepted > used));
        }
        if last_step.is_none_or(|used| used < step) {
            prop_assert!(verdict.is_accepted());
        }
    }

    #[test]
    fn the_window_holds_exactly_the_steps_that_overlap_now_plus_minus_the_tolerance(
        now in 1_000..u64::from(u32::MAX),
        period in prop_oneof![Just(30_u32), Just(60), 1..3600_u32],
        tolerance_secs in 0..=MAX_TOLERANCE_SECS,
    ) {
        let period = Period::any(period).unwrap();
        let window = Window { center_secs: 0, tolerance_secs };
        let offsets = window.offsets(period, now);
        let secs = u64::from(period.secs());
        let current = now / secs;
        let (low, high) = (now - u64::from(tolerance_secs), now + u64::from(tolerance_secs));
        for offset in -700_i64..=700 {
            let Some(step) = current.checked_add_signed(offset) else { continue };
            let overlaps = step * secs <= high && (step + 1) * secs > low;
            prop_assert_eq!(offsets.contains(&offset), overlaps, "offset {}", offset);
        }
    }
}
