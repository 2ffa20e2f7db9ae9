//! Which credentials follow their clock's drift, and how far automatic learning may go.
//!
//! Authenticator apps run on phones that keep network time: their window always stays on the
//! server's time and nothing is learned from them (a code matched a step off is only shown to
//! admins). Hardware tokens have no network time: their clocks wander by seconds a month. Each
//! code a token sends matched a step some offset from the server's current step; the verifier
//! centres the token's next window on that offset, so a token that runs a little fast or slow
//! keeps working without a wider window for everyone.
//!
//! Learning is bounded relative to the *base*: the centre an admin last set (0 at activation and
//! after a reset, the found offset after a resync). Automatic learning never moves the centre
//! more than [`MAX_LEARNED_DRIFT_SECS`] from that base, so a token resynced hours away keeps
//! learning there, and no run of codes walks a window further than ten minutes on its own.

use crate::otp::params::Period;
use crate::otp::totp::Window;

/// The furthest automatic learning moves a window's centre from its base: 10 minutes.
pub const MAX_LEARNED_DRIFT_SECS: u32 = 600;

/// [`MAX_LEARNED_DRIFT_SECS`] in whole time steps of `period` (0 for steps over 10 minutes).
pub fn max_learned_steps(period: Period) -> i64 {
    i64::from(MAX_LEARNED_DRIFT_SECS / period.secs())
}

/// The window centre to keep after a code matched `matched_offset` steps from the current step:
/// that offset, held within [`max_learned_steps`] of `base` (the centre an admin last set).
pub fn learn_drift(base: i64, matched_offset: i64, period: Period) -> i64 {
    let reach = max_learned_steps(period);
    matched_offset.clamp(base.saturating_sub(reach), base.saturating_add(reach))
}

/// How a credential's window follows its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DriftPolicy {
    /// An authenticator app: the window stays on the server's time and learns nothing.
    ServerTime,
    /// A hardware token: the window is centred on the learned drift `center` (in steps), which
    /// each accepted code moves, within [`MAX_LEARNED_DRIFT_SECS`] of `base`.
    Learned { center: i64, base: i64 },
}

impl DriftPolicy {
    /// The window to verify the next code in.
    pub fn window(&self) -> Window {
        match *self {
            DriftPolicy::ServerTime => Window::STANDARD,
            DriftPolicy::Learned { center, .. } => Window::centred_on(center),
        }
    }

    /// The drift to store after a code matched `matched_offset` steps from the current step.
    // TODO: learn drift in seconds, not whole steps: at a 60 s period a code matched one step
    // off (within the ±30 s tolerance) moves the window a full minute, so a token only some
    // 25 s off can then miss the window for a few seconds a minute.
    pub fn after_accepted(&self, matched_offset: i64, period: Period) -> i64 {
        match *self {
            DriftPolicy::ServerTime => 0,
            DriftPolicy::Learned { base, .. } => learn_drift(base, matched_offset, period),
        }
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
    fn an_offset_within_ten_minutes_of_the_base_becomes_the_new_centre() {
        assert_eq!(learn_drift(0, 1, Period::THIRTY), 1);
        assert_eq!(learn_drift(0, 3, Period::THIRTY), 3);
        assert_eq!(learn_drift(0, 0, Period::THIRTY), 0);
        assert_eq!(learn_drift(0, 20, Period::THIRTY), 20);
        assert_eq!(learn_drift(0, -20, Period::THIRTY), -20);
        assert_eq!(learn_drift(0, -10, Period::SIXTY), -10);
    }

    #[test]
    fn learning_stops_at_ten_minutes_from_the_base() {
        assert_eq!(learn_drift(0, 21, Period::THIRTY), 20);
        assert_eq!(learn_drift(0, -21, Period::THIRTY), -20);
        assert_eq!(learn_drift(0, 11, Period::SIXTY), 10);
        assert_eq!(learn_drift(0, 1, Period::any(3600).unwrap()), 0);
    }

    #[test]
    fn a_token_resynced_three_hours_slow_keeps_learning_around_its_new_base() {
        let base = -360;
        assert_eq!(learn_drift(base, -359, Period::THIRTY), -359);
        assert_eq!(learn_drift(base, -361, Period::THIRTY), -361);
        assert_eq!(learn_drift(base, -340, Period::THIRTY), -340);
        assert_eq!(learn_drift(base, -339, Period::THIRTY), -340);
        assert_eq!(learn_drift(base, -381, Period::THIRTY), -380);
    }

    #[test]
    fn extreme_offsets_do_not_overflow() {
        assert_eq!(learn_drift(0, i64::MIN, Period::THIRTY), -20);
        assert_eq!(learn_drift(0, i64::MAX, Period::any(1).unwrap()), 600);
        assert_eq!(learn_drift(i64::MAX, 0, Period::THIRTY), i64::MAX - 20);
        assert_eq!(learn_drift(i64::MIN, 0, Period::THIRTY), i64::MIN + 20);
    }

    #[test]
    fn an_app_window_stays_on_server_time_after_codes_accepted_a_step_ahead() {
        let app = DriftPolicy::ServerTime;
        for _ in 0..3 {
            assert_eq!(app.after_accepted(1, Period::THIRTY), 0);
            assert_eq!(app.window(), Window::STANDARD);
        }
        assert_eq!(app.after_accepted(-1, Period::SIXTY), 0);
    }

    #[test]
    fn a_token_window_follows_the_codes_it_accepts() {
        let mut token = DriftPolicy::Learned { center: 0, base: 0 };
        for expected in 1..=3 {
            assert_eq!(token.window(), Window::centred_on(expected - 1));
            let center = token.after_accepted(expected, Period::THIRTY);
            assert_eq!(center, expected);
            token = DriftPolicy::Learned { center, base: 0 };
        }
    }
}
