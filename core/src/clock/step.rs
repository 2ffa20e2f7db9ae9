//! Time-step arithmetic for the code countdown.
//!
//! A time step is the interval `[n * period, (n + 1) * period)` of Unix time that one TOTP code
//! is valid for. Times are Unix milliseconds; times before 1970 are negative and still fall in
//! the step whose interval contains them (the step number is floored, not truncated).
//!
//! Every function panics when `period_secs` is zero: a zero period is not a time step, and the
//! stored credential is the place that refuses one.

/// Returns the period in milliseconds, refusing a zero period.
fn period_ms(period_secs: u32) -> i64 {
    assert!(
        period_secs > 0,
        "a time step period must be at least one second"
    );
    i64::from(period_secs) * 1000
}

/// Returns the number of the time step that `unix_ms` falls in (floored, so `-1` ms is in
/// step `-1`).
///
/// # Panics
///
/// When `period_secs` is zero.
pub fn step_of(unix_ms: i64, period_secs: u32) -> i64 {
    unix_ms.div_euclid(period_ms(period_secs))
}

/// Returns the milliseconds from `unix_ms` to the start of the next time step, in
/// `1..=period_secs * 1000`.
///
/// Exactly at a step boundary the new step has just begun, so the whole period is left.
///
/// # Panics
///
/// When `period_secs` is zero.
pub fn millis_left_in_step(unix_ms: i64, period_secs: u32) -> i64 {
    let period_ms = period_ms(period_secs);
    period_ms - unix_ms.rem_euclid(period_ms)
}

/// Returns the whole seconds left in the current time step, rounded up, in `1..=period_secs`.
///
/// A countdown for a 30 s period shows 30 right at the boundary, then 29 from 1 ms after it,
/// and 1 during the last second.
///
/// # Panics
///
/// When `period_secs` is zero.
pub fn seconds_left_in_step(unix_ms: i64, period_secs: u32) -> u32 {
    let millis_left = millis_left_in_step(unix_ms, period_secs);
    let seconds_left = (millis_left + 999) / 1000;
    u32::try_from(seconds_left).expect("the seconds left never exceed the period")
}

/// Returns how much of the current time step has passed, in `0.0..1.0`, for a progress ring.
///
/// The fraction is `0.0` exactly at a step boundary.
///
/// # Panics
///
/// When `period_secs` is zero.
pub fn step_fraction_elapsed(unix_ms: i64, period_secs: u32) -> f64 {
    let period_ms = period_ms(period_secs);
    let elapsed_ms = unix_ms.rem_euclid(period_ms);

    // Both values are below 2^43, so the conversions are exact.
    elapsed_ms as f64 / period_ms as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// 1111111111 s, the time the test cases use: inside step 37037037 at 30 s.
    const T_MS: i64 = 1_111_111_111_000;

    #[test]
    fn step_of_matches_the_rfc_6238_step_for_the_case_time() {
        assert_eq!(step_of(T_MS, 30), 37_037_037);
        assert_eq!(step_of(T_MS, 60), 18_518_518);
        assert_eq!(step_of(59_000, 30), 1);
    }

    #[test]
    fn step_of_turns_over_exactly_at_the_boundary() {
        assert_eq!(step_of(29_999, 30), 0);
        assert_eq!(step_of(30_000, 30), 1);
        assert_eq!(step_of(0, 30), 0);
    }

    #[test]
    fn step_of_floors_negative_times() {
        assert_eq!(step_of(-1, 30), -1);
        assert_eq!(step_of(-30_000, 30), -1);
        assert_eq!(step_of(-30_001, 30), -2);
        assert_eq!(step_of(i64::MIN, 1), i64::MIN / 1000 - 1);
    }

    #[test]
    fn a_boundary_leaves_the_full_period() {
        assert_eq!(millis_left_in_step(30_000, 30), 30_000);
        assert_eq!(seconds_left_in_step(30_000, 30), 30);
        assert_eq!(step_fraction_elapsed(30_000, 30), 0.0);
    }

    #[test]
    fn the_countdown_drops_to_29_one_millisecond_after_a_boundary() {
        assert_eq!(millis_left_in_step(30_001, 30), 29_999);
        assert_eq!(seconds_left_in_step(30_001, 30), 30);
        assert_eq!(seconds_left_in_step(31_000, 30), 29);
        assert_eq!(seconds_left_in_step(31_001, 30), 29);
    }

    #[test]
    fn the_last_millisecond_of_a_step_shows_one_second_left() {
        assert_eq!(millis_left_in_step(59_999, 30), 1);
        assert_eq!(seconds_left_in_step(59_999, 30), 1);
        assert_eq!(seconds_left_in_step(59_000, 30), 1);
        assert_eq!(seconds_left_in_step(58_999, 30), 2);
    }

    #[test]
    fn the_countdown_works_before_1970() {
        // -1 ms is the last millisecond of step -1, which covers -30000..0.
        assert_eq!(millis_left_in_step(-1, 30), 1);
        assert_eq!(seconds_left_in_step(-1, 30), 1);
        assert_eq!(millis_left_in_step(-30_000, 30), 30_000);
        assert_eq!(seconds_left_in_step(-29_999, 30), 30);
        assert_eq!(step_fraction_elapsed(-15_000, 30), 0.5);
    }

    #[test]
    fn the_case_time_has_29_seconds_left_at_both_periods() {
        // 1111111111 = 37037037 * 30 + 1 = 18518518 * 60 + 31.
        assert_eq!(seconds_left_in_step(T_MS, 30), 29);
        assert_eq!(seconds_left_in_step(T_MS, 60), 29);
        assert_eq!(millis_left_in_step(T_MS + 500, 60), 28_500);
    }

    #[test]
    fn the_fraction_elapsed_grows_through_the_step() {
        assert_eq!(step_fraction_elapsed(7_500, 30), 0.25);
        assert_eq!(step_fraction_elapsed(45_000, 60), 0.75);
        assert!(step_fraction_elapsed(59_999, 30) < 1.0);
    }

    #[test]
    #[should_panic(expected = "at least one second")]
    fn a_zero_period_is_refused() {
        step_of(T_MS, 0);
    }

    proptest! {
        #[test]
        fn the_step_and_the_millis_left_agree(unix_ms in any::<i64>(), period in 1u32..=300) {
            let period_ms = i64::from(period) * 1000;
            let left = millis_left_in_step(unix_ms, period);
            prop_assert!((1..=period_ms).contains(&left));

            let seconds = seconds_left_in_step(unix_ms, period);
            prop_assert!((1..=period).contains(&seconds));

            let fraction = step_fraction_elapsed(unix_ms, period);
            prop_assert!((0.0..1.0).contains(&fraction));

            if let Some(next_start) = unix_ms.checked_add(left) {
                prop_assert_eq!(step_of(next_start, period), step_of(unix_ms, period) + 1);
                prop_assert_eq!(step_of(next_start - 1, period), step_of(unix_ms, period));
            }
        }
    }
}
