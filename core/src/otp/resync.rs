//! Resync: finding a token whose clock has wandered far, from two consecutive codes.
//!
//! One code alone matches some step within a day by chance about once in 350 tries (2,880
//! steps either way at 30 s, against a million codes); two consecutive codes narrow that to
//! about one in a hundred million, which is why an admin enters a pair. The search looks
//! [`RESYNC_SEARCH_SECS`] either side of the server's time and prefers the pair nearest to it.
//! The second code's step gives the drift interval to learn from and centre the window on.

use crate::otp::drift::DriftInterval;
use crate::otp::totp::OtpKey;

/// How far either side of the server's time a resync looks: 24 hours.
pub const RESYNC_SEARCH_SECS: u32 = 86_400;

/// Where a pair of consecutive codes was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resynced {
    /// The time step of the second (later) code.
    pub step: u64,
    /// That step's distance from the server's current step.
    pub offset: i64,
    /// The drifts that step allows ([`DriftInterval::observed`]); its centre is the new base.
    pub drift: DriftInterval,
}

/// Searches ±[`RESYNC_SEARCH_SECS`] around `now_unix_secs` for a step `s` whose code is
/// `first` while the code of `s + 1` is `second`. Both codes must already be normalised
/// (see [`crate::otp::normalize_code`]); the match nearest to the current step wins.
pub fn resync(key: &OtpKey, first: &str, second: &str, now_unix_secs: u64) -> Option<Resynced> {
    let current = i128::from(key.step_at(now_unix_secs));
    let reach = i128::from(RESYNC_SEARCH_SECS / key.params.period.secs());
    let lowest = u64::try_from((current - reach).max(0)).ok()?;
    let highest = u64::try_from(current + reach).ok()?;

    let mut best: Option<(u64, i64)> = None;
    let mut previous = key.code_at_step(lowest);
    for step in lowest.saturating_add(1)..=highest {
        let code = key.code_at_step(step);
        if previous == first && code == second {
            let offset = i64::try_from(i128::from(step) - current).ok()?;
            if best.is_none_or(|(_, found)| offset.unsigned_abs() < found.unsigned_abs()) {
                best = Some((step, offset));
            }
        }
        previous = code;
    }
    let (step, offset) = best?;
    let drift = DriftInterval::observed(step, key.params.period, now_unix_secs)?;
    Some(Resynced {
        step,
        offset,
        drift,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::params::Algorithm;
    use crate::otp::test_keys::{k20, key, rfc_seed};

    /// T = 1111111111 is step 37037037 of K20 (case C13).
    const NOW: u64 = 1111111111;
    const NOW_STEP: u64 = 37037037;

    fn drift(lo_secs: i64, hi_secs: i64) -> DriftInterval {
        DriftInterval::new(lo_secs, hi_secs).unwrap()
    }

    #[test]
    fn c13_neighbouring_pairs_are_found_one_step_either_side() {
        // Case C13: 731029 (−2), 081804 (−1), 050471 (0), 266759 (+1), 306183 (+2).
        let behind = resync(&k20(), "731029", "081804", NOW).unwrap();
        assert_eq!((behind.step, behind.offset), (NOW_STEP - 1, -1));
        // Step 37037036 ran from 1111111080 to 1111111109: 31 to 2 s behind T.
        assert_eq!(behind.drift, drift(-31, -1));
        let ahead = resync(&k20(), "266759", "306183", NOW).unwrap();
        assert_eq!((ahead.step, ahead.offset), (NOW_STEP + 2, 2));
        assert_eq!(ahead.drift, drift(59, 89));
    }

    #[test]
    fn codes_out_of_order_or_not_consecutive_are_not_a_pair() {
        assert_eq!(resync(&k20(), "081804", "731029", NOW), None);
        assert_eq!(resync(&k20(), "731029", "050471", NOW), None);
        assert_eq!(resync(&k20(), "050471", "050471", NOW), None);
    }

    #[test]
    fn a_token_three_hours_slow_is_found() {
        let key = k20();
        let slow = NOW_STEP - 360;
        let first = key.code_at_step(slow - 1);
        let second = key.code_at_step(slow);
        let found = resync(&key, &first, &second, NOW).unwrap();
        assert_eq!((found.step, found.offset), (slow, -360));
        assert_eq!(found.drift, drift(-10801, -10771));
        assert_eq!(found.drift.centre_secs(), -10786);
    }

    #[test]
    fn the_search_reaches_exactly_24_hours_either_way() {
        let key = k20();
        let reach = 2880;
        for (second, found) in [
            (NOW_STEP + reach, true),
            (NOW_STEP - reach + 1, true),
            (NOW_STEP + reach + 1, false),
            (NOW_STEP - reach, false),
        ] {
            let first = key.code_at_step(second - 1);
            let code = key.code_at_step(second);
            assert_eq!(
                resync(&key, &first, &code, NOW).is_some(),
                found,
                "second code at step {second}"
            );
        }
    }

    #[test]
    fn a_sixty_second_eight_digit_sha256_token_is_searched_in_its_own_steps() {
        let key = key(rfc_seed(32), Algorithm::Sha256, 8, 60);
        let now_step = key.step_at(NOW);
        let fast = now_step + 100;
        let first = key.code_at_step(fast - 1);
        let second = key.code_at_step(fast);
        assert_eq!(first.len(), 8);
        let found = resync(&key, &first, &second, NOW).unwrap();
        assert_eq!((found.step, found.offset), (fast, 100));
        // T is 31 s into its 60 s step, so the step 100 on began 31 s before T + 100 minutes.
        assert_eq!(found.drift, drift(5969, 6029));
        // A day is 1,440 steps of 60 s.
        let far = now_step + 1441;
        let first = key.code_at_step(far - 1);
        let second = key.code_at_step(far);
        assert_eq!(resync(&key, &first, &second, NOW), None);
    }

    #[test]
    fn the_start_of_unix_time_is_not_crossed() {
        let key = k20();
        let first = key.code_at_step(0);
        let second = key.code_at_step(1);
        let found = resync(&key, &first, &second, 59).unwrap();
        assert_eq!((found.step, found.offset), (1, 0));
        assert_eq!(found.drift, drift(-29, 1));
    }
}
