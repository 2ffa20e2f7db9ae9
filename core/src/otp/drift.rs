//! Learning a credential's clock drift from the codes it sends.
//!
//! Hardware tokens have no network time: their clocks wander by seconds a month. Each accepted
//! code matched a step some offset from the server's current step; the verifier centres the
//! next window on that offset, so a token that runs a little fast or slow keeps working without
//! a wider window for everyone. Learning is bounded: automatic learning never moves the centre
//! more than [`MAX_LEARNED_DRIFT_SECS`] away, and a code matched further out (possible only
//! after an admin's resync moved the centre there) leaves the centre where it is.

use crate::otp::params::Period;

/// The furthest automatic learning moves a window's centre from the server's time: 10 minutes.
pub const MAX_LEARNED_DRIFT_SECS: u32 = 600;

/// [`MAX_LEARNED_DRIFT_SECS`] in whole time steps of `period` (0 for steps over 10 minutes).
pub fn max_learned_steps(period: Period) -> i64 {
    i64::from(MAX_LEARNED_DRIFT_SECS / period.secs())
}

/// The window centre to keep after a code matched `matched_offset` steps from the current
/// step: that offset when it lies within the learning bound, otherwise `current_center`.
pub fn learn_drift(current_center: i64, matched_offset: i64, period: Period) -> i64 {
    if matched_offset.unsigned_abs() <= max_learned_steps(period).unsigned_abs() {
        matched_offset
    } else {
        current_center
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_is_ten_minutes_in_whole_steps() {
        assert_eq!(max_learned_steps(Period::THIRTY), 20);
        assert_eq!(max_learned_steps(Period::SIXTY), 10);
        assert_eq!(max_learned_steps(Period::any(45).unwrap()), 13);
        assert_eq!(max_learned_steps(Period::any(3600).unwrap()), 0);
    }

    #[test]
    fn an_offset_within_ten_minutes_becomes_the_new_centre() {
        assert_eq!(learn_drift(0, 1, Period::THIRTY), 1);
        assert_eq!(learn_drift(2, 3, Period::THIRTY), 3);
        assert_eq!(learn_drift(3, 0, Period::THIRTY), 0);
        assert_eq!(learn_drift(0, 20, Period::THIRTY), 20);
        assert_eq!(learn_drift(0, -20, Period::THIRTY), -20);
        assert_eq!(learn_drift(0, -10, Period::SIXTY), -10);
    }

    #[test]
    fn an_offset_beyond_ten_minutes_leaves_the_centre_alone() {
        assert_eq!(learn_drift(20, 21, Period::THIRTY), 20);
        assert_eq!(learn_drift(0, -21, Period::THIRTY), 0);
        assert_eq!(learn_drift(0, 11, Period::SIXTY), 0);
        // A centre an admin's resync put 3 hours back is kept by codes matched near it.
        assert_eq!(learn_drift(-360, -361, Period::THIRTY), -360);
        assert_eq!(learn_drift(-360, -359, Period::THIRTY), -360);
    }

    #[test]
    fn extreme_offsets_do_not_overflow() {
        assert_eq!(learn_drift(0, i64::MIN, Period::THIRTY), 0);
        assert_eq!(learn_drift(0, i64::MAX, Period::any(1).unwrap()), 0);
    }
}
