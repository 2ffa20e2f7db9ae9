//! What happens after a wrong code: the pure policy, with no storage and no clock.
//!
//! Wrong codes are counted per account, across sign-in attempts and on every route that checks a
//! code, never per IP address, which an attacker can rotate. The caller reserves each attempt
//! before checking its code: it adds one to the count (unless the account must still wait),
//! applies the delay [`after_failure`] gives for that number at once, so that parallel guesses
//! queue behind it, and only then checks the code. A correct code resets the count to 0.
//!
//! Every fifth failure in a row drops the pending sign-in, so the password has to be entered
//! again, and one pending sign-in never checks more than [`MAX_FAILURES_PER_SIGN_IN`] codes:
//! attempts numbered past [`last_sign_in_attempt`] are refused without a check. From the sixth
//! failure on, each failure also makes the next try wait: 2 seconds after the sixth, doubling
//! with each further failure, and never more than 15 minutes (reached at the 15th). A wrong
//! code that only matched with a clock-drift hint still counts as a failure.

use std::time::Duration;

/// Wrong codes allowed for one pending sign-in before it is dropped.
pub const MAX_FAILURES_PER_SIGN_IN: u32 = 5;

/// The longest wait imposed between two tries.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);

/// What to do after a wrong code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FailureAction {
    /// Forget the pending sign-in: the user must enter the password again.
    pub drop_pending_sign_in: bool,
    /// How long the account must wait before the next code may be tried.
    pub delay: Option<Duration>,
}

/// The action for `consecutive_failures`, which counts the failure just made.
pub fn after_failure(consecutive_failures: u32) -> FailureAction {
    let drop_pending_sign_in =
        consecutive_failures > 0 && consecutive_failures.is_multiple_of(MAX_FAILURES_PER_SIGN_IN);

    let delay = consecutive_failures
        .checked_sub(MAX_FAILURES_PER_SIGN_IN)
        .filter(|&over| over > 0);
    let delay = delay.map(|over| {
        let secs = 1_u64.checked_shl(over).unwrap_or(u64::MAX);
        Duration::from_secs(secs).min(MAX_DELAY)
    });

    FailureAction {
        drop_pending_sign_in,
        delay,
    }
}

/// The last attempt number a pending sign-in may check, when the account had
/// `failures_at_password` wrong codes as its password was accepted.
pub fn last_sign_in_attempt(failures_at_password: u32) -> u32 {
    failures_at_password.saturating_add(MAX_FAILURES_PER_SIGN_IN)
}

/// [`after_failure`] inside a pending sign-in: it is also dropped once it has used its own
/// [`MAX_FAILURES_PER_SIGN_IN`] tries, wherever the account's count stands.
pub fn after_sign_in_failure(
    failures_at_password: u32,
    consecutive_failures: u32,
) -> FailureAction {
    let mut action = after_failure(consecutive_failures);
    action.drop_pending_sign_in |=
        consecutive_failures >= last_sign_in_attempt(failures_at_password);
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c17_the_first_four_failures_neither_drop_nor_delay() {
        for failures in 1..=4 {
            let expected = FailureAction {
                drop_pending_sign_in: false,
                delay: None,
            };
            assert_eq!(after_failure(failures), expected, "failure {failures}");
        }
    }

    #[test]
    fn c17_the_fifth_failure_drops_the_pending_sign_in() {
        let expected = FailureAction {
            drop_pending_sign_in: true,
            delay: None,
        };
        assert_eq!(after_failure(5), expected);
    }

    #[test]
    fn every_fifth_failure_drops_the_pending_sign_in_again() {
        for failures in 1..=100 {
            assert_eq!(
                after_failure(failures).drop_pending_sign_in,
                failures % 5 == 0
            );
        }
    }

    #[test]
    fn delays_double_from_the_sixth_failure() {
        let secs = |failures| after_failure(failures).delay.map(|delay| delay.as_secs());
        assert_eq!(secs(6), Some(2));
        assert_eq!(secs(7), Some(4));
        assert_eq!(secs(10), Some(32));
        assert_eq!(secs(14), Some(512));
    }

    #[test]
    fn delays_stop_growing_at_fifteen_minutes() {
        for failures in [15, 16, 37, 64, 69, 1000, u32::MAX] {
            assert_eq!(
                after_failure(failures).delay,
                Some(MAX_DELAY),
                "failure {failures}"
            );
        }
    }

    #[test]
    fn delays_never_shrink() {
        let mut previous = Duration::ZERO;
        for failures in 0..=200 {
            let delay = after_failure(failures).delay.unwrap_or_default();
            assert!(delay >= previous, "failure {failures}");
            previous = delay;
        }
    }

    #[test]
    fn a_count_of_zero_asks_for_nothing() {
        let expected = FailureAction {
            drop_pending_sign_in: false,
            delay: None,
        };
        assert_eq!(after_failure(0), expected);
    }

    #[test]
    fn c17_a_pending_sign_in_checks_five_codes_counted_from_its_password() {
        assert_eq!(last_sign_in_attempt(0), 5);
        assert_eq!(last_sign_in_attempt(5), 10);
        assert_eq!(last_sign_in_attempt(3), 8);
        assert_eq!(last_sign_in_attempt(u32::MAX), u32::MAX);
    }

    #[test]
    fn a_sign_in_is_dropped_after_its_own_fifth_failure_or_the_accounts() {
        let dropped = |base, failures| after_sign_in_failure(base, failures).drop_pending_sign_in;
        // Began with 3 failures: the account's fifth drops it, so does its own fifth.
        assert!(!dropped(3, 4));
        assert!(dropped(3, 5));
        assert!(!dropped(3, 7));
        assert!(dropped(3, 8));
        // Began with 5: only its own fifth, the account's tenth.
        for failures in 6..=9 {
            assert!(!dropped(5, failures), "failure {failures}");
        }
        assert!(dropped(5, 10));
    }

    #[test]
    fn inside_a_sign_in_the_delays_are_the_accounts() {
        for failures in 0..=40_u32 {
            assert_eq!(
                after_sign_in_failure(failures.saturating_sub(2), failures).delay,
                after_failure(failures).delay,
                "failure {failures}"
            );
        }
    }
}
