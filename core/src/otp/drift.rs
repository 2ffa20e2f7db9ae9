//! Which credentials follow their clock's drift, and how far automatic learning may go.
//!
//! Authenticator apps run on phones that keep network time: their window always stays on the
//! server's time and nothing is learned from them (a code matched a step off is only shown to
//! admins). Hardware tokens have no network time: their clocks wander by seconds a month.
//!
//! A token's drift `d` is its time minus the server's, in seconds. A code accepted for time step
//! `s` of period `P` at server time `t` proves `s·P ≤ t + d < (s+1)·P`, so `d` lies in
//! `[s·P − t, (s+1)·P − t)` ([`DriftInterval::observed`]). Each accepted code narrows the stored
//! interval to what both allow; when they allow nothing in common the token's clock has moved,
//! and the new interval replaces the old one. The window is centred on the interval's middle:
//! the interval is at most one period wide, so for periods up to 60 s the tolerance of ±30 s
//! covers every drift it allows, and a token whose clock stays put is accepted at every second.
//! (The server's time is when a code arrives, not when it was read off the token: typing delay
//! makes the learned drift read slow by those seconds, as later codes typed as slowly do.)
//!
//! Learning is bounded relative to the *base*: the centre an admin last set (0 at activation and
//! after a reset, the found drift after a resync). Automatic learning never puts the centre more
//! than [`MAX_LEARNED_DRIFT_SECS`] from that base; an estimate beyond it is not learned and the
//! previous one stays. So a token resynced hours away keeps learning there, and no run of codes
//! walks a window further than ten minutes on its own.

use crate::otp::params::Period;
use crate::otp::totp::Window;

/// The furthest automatic learning puts a window's centre from its base: 10 minutes.
pub const MAX_LEARNED_DRIFT_SECS: u32 = 600;

/// The drifts a token's codes still allow: its time minus the server's, in seconds, is at least
/// `lo_secs` and below `hi_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DriftInterval {
    lo_secs: i64,
    hi_secs: i64,
}

impl DriftInterval {
    /// `[lo_secs, hi_secs)`, or `None` when that is empty.
    pub fn new(lo_secs: i64, hi_secs: i64) -> Option<DriftInterval> {
        (lo_secs < hi_secs).then_some(DriftInterval { lo_secs, hi_secs })
    }

    /// What one accepted code proves: it is the code of time step `step` of `period`, and the
    /// server's time was `now_unix_secs`, so the token's time lay inside that step. `None` only
    /// when the bounds do not fit in an `i64`.
    pub fn observed(step: u64, period: Period, now_unix_secs: u64) -> Option<DriftInterval> {
        let period = i128::from(period.secs());
        let start = i128::from(step) * period - i128::from(now_unix_secs);
        let lo_secs = i64::try_from(start).ok()?;
        let hi_secs = i64::try_from(start + period).ok()?;
        DriftInterval::new(lo_secs, hi_secs)
    }

    /// The lowest drift allowed.
    pub fn lo_secs(&self) -> i64 {
        self.lo_secs
    }

    /// The first drift above those allowed.
    pub fn hi_secs(&self) -> i64 {
        self.hi_secs
    }

    /// The middle, rounded down: the drift a window is centred on.
    pub fn centre_secs(&self) -> i64 {
        let width = (i128::from(self.hi_secs) - i128::from(self.lo_secs)) / 2;
        // Between lo and hi, so it fits.
        i64::try_from(i128::from(self.lo_secs) + width).unwrap_or(self.lo_secs)
    }

    /// Whether `drift_secs` is among the drifts allowed.
    pub fn contains(&self, drift_secs: i64) -> bool {
        (self.lo_secs..self.hi_secs).contains(&drift_secs)
    }

    /// The drifts both allow, or `None` when they have none in common.
    pub fn intersection(&self, other: &DriftInterval) -> Option<DriftInterval> {
        DriftInterval::new(
            self.lo_secs.max(other.lo_secs),
            self.hi_secs.min(other.hi_secs),
        )
    }

    /// The drifts still allowed after another code showed `observed`: those both allow, or
    /// `observed` alone when they have none in common (the token's clock moved).
    pub fn narrowed_by(&self, observed: &DriftInterval) -> DriftInterval {
        self.intersection(observed).unwrap_or(*observed)
    }
}

/// The interval to keep after a code showed `observed`: `previous` narrowed by it (or it alone
/// when nothing was learned yet), unless that puts the centre more than
/// [`MAX_LEARNED_DRIFT_SECS`] from `base_secs`; then `previous` stays.
pub fn learn_drift(
    previous: Option<DriftInterval>,
    observed: DriftInterval,
    base_secs: i64,
) -> Option<DriftInterval> {
    let estimate = previous.map_or(observed, |previous| previous.narrowed_by(&observed));
    let distance = (i128::from(estimate.centre_secs()) - i128::from(base_secs)).unsigned_abs();
    if distance <= u128::from(MAX_LEARNED_DRIFT_SECS) {
        Some(estimate)
    } else {
        previous
    }
}

/// How a credential's window follows its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DriftPolicy {
    /// An authenticator app: the window stays on the server's time and learns nothing.
    ServerTime,
    /// A hardware token: the window is centred on the middle of `learned`, or on `base_secs`
    /// while nothing is learned; each accepted code narrows `learned`, within
    /// [`MAX_LEARNED_DRIFT_SECS`] of `base_secs`.
    Learned {
        learned: Option<DriftInterval>,
        base_secs: i64,
    },
}

impl DriftPolicy {
    /// A hardware token just activated or reset: nothing learned, the base on the server's time.
    pub const UNLEARNED: DriftPolicy = DriftPolicy::Learned {
        learned: None,
        base_secs: 0,
    };

    /// The drift the window is centred on, in seconds.
    pub fn centre_secs(&self) -> i64 {
        match *self {
            DriftPolicy::ServerTime => 0,
            DriftPolicy::Learned { learned, base_secs } => {
                learned.map_or(base_secs, |learned| learned.centre_secs())
            }
        }
    }

    /// The window to verify the next code in.
    pub fn window(&self) -> Window {
        Window::centred_on(self.centre_secs())
    }

    /// The interval to store after a code for time step `step` of `period` was accepted at
    /// server time `now_unix_secs`: always `None` for an app, which learns nothing.
    pub fn after_accepted(
        &self,
        step: u64,
        period: Period,
        now_unix_secs: u64,
    ) -> Option<DriftInterval> {
        match *self {
            DriftPolicy::ServerTime => None,
            DriftPolicy::Learned { learned, base_secs } => {
                match DriftInterval::observed(step, period, now_unix_secs) {
                    Some(observed) => learn_drift(learned, observed, base_secs),
                    None => learned,
                }
            }
        }
    }

    /// The drift shown to admins, in seconds: 0 ("in step") while the codes still allow the
    /// server's own time, otherwise the window's centre.
    pub fn shown_secs(&self) -> i64 {
        match *self {
            DriftPolicy::Learned {
                learned: Some(learned),
                ..
            } if learned.contains(0) => 0,
            _ => self.centre_secs(),
        }
    }
}

#[cfg(test)]
mod tests;
