//! Computing codes and verifying a submitted code against the server's clock.
//!
//! totp-rs computes each code (RFC 4226 truncation of the HMAC of a counter); the time steps,
//! the acceptance window, replay and drift rules are ours. Time is always the server's: the
//! caller passes `now` in Unix seconds, never a time reported by the browser or the device.
//!
//! The `last_step` given to [`verify`] is only a pre-check. Replay protection is decided in the
//! database: the caller records an accepted step with one conditional update that succeeds only
//! while the stored last step is lower (`… WHERE last_step < :step`), and treats a lost race as a
//! replay. Two requests carrying the same code can both pass this function; only one of them can
//! pass that update.

use std::fmt::{self, Write as _};
use std::ops::RangeInclusive;

use subtle::{Choice, ConstantTimeEq};

use crate::otp::params::{Algorithm, Digits, OtpParams, Period};
use crate::otp::secret::SecretKey;

/// How far from the current step a code that failed is still looked up, to tell the user that
/// their device clock is off. 10 steps of 30 s is 5 minutes either way.
pub const DRIFT_SEARCH_STEPS: u32 = 10;

/// How far from the server's time a code's time step may lie: a step is accepted when it
/// overlaps [now − 30 s, now + 30 s]. At a 30 s period that is one step either side; at 60 s,
/// the current step and whichever neighbour lies within 30 s of `now`.
pub const TOLERANCE_SECS: u32 = 30;

/// The widest tolerance [`verify`] uses; wider ones are narrowed to this so a bad setting can't
/// accept most of the day's codes. 5 minutes: the reach of the drift search at 30 s.
pub const MAX_TOLERANCE_SECS: u32 = 300;

/// The longest code totp-rs can produce for our [`Digits`].
const MAX_CODE_LEN: usize = 8;

/// A credential's secret with the parameters its codes are computed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpKey {
    pub secret: SecretKey,
    pub params: OtpParams,
}

impl OtpKey {
    /// Pairs a secret with its parameters; secrets of any length are accepted, legacy ones too.
    pub fn new(secret: SecretKey, params: OtpParams) -> OtpKey {
        OtpKey { secret, params }
    }

    /// The time step that contains `unix_secs`.
    pub fn step_at(&self, unix_secs: u64) -> u64 {
        unix_secs / u64::from(self.params.period.secs())
    }

    /// The code for one time step, zero padded to exactly the credential's number of digits.
    pub fn code_at_step(&self, step: u64) -> String {
        counter_code(
            &self.secret,
            self.params.algorithm,
            self.params.digits,
            step,
        )
    }

    /// The code valid at `unix_secs`.
    pub fn code_at(&self, unix_secs: u64) -> String {
        self.code_at_step(self.step_at(unix_secs))
    }
}

/// The HOTP code for `counter` (RFC 4226), zero padded to `digits` characters.
pub fn hotp(secret: &SecretKey, algorithm: Algorithm, digits: Digits, counter: u64) -> String {
    counter_code(secret, algorithm, digits, counter)
}

fn counter_code(secret: &SecretKey, algorithm: Algorithm, digits: Digits, counter: u64) -> String {
    counter_engine(secret, algorithm, digits)
        .generate(counter)
        .to_string()
}

/// A totp-rs generator whose "time" is the counter itself (a 1-second step), so that we choose
/// the step and nothing can overflow multiplying it back into seconds. `build_noncompliant`
/// because the checked `build` refuses legacy secrets shorter than 128 bits.
fn counter_engine(secret: &SecretKey, algorithm: Algorithm, digits: Digits) -> totp_rs::Totp {
    totp_rs::Builder::new()
        .with_algorithm(algorithm.to_totp_rs())
        .with_digits(digits.get())
        .with_secret(secret.as_bytes())
        .with_step_duration(1)
        .with_skew(0)
        .build_noncompliant()
}

/// Which steps are accepted: those overlapping [now + `center_secs` − `tolerance_secs`, now +
/// `center_secs` + `tolerance_secs`]. `center_secs` is a hardware token's learned drift, in
/// seconds (see [`crate::otp::drift`]); it is 0 for app credentials, whose window always stays
/// on the server's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    pub center_secs: i64,
    pub tolerance_secs: u32,
}

impl Window {
    /// Server time ± [`TOLERANCE_SECS`]: one step either side at 30 s, as RFC 6238 recommends.
    pub const STANDARD: Window = Window::centred_on(0);

    /// The standard tolerance around a drift of `center_secs` seconds.
    pub const fn centred_on(center_secs: i64) -> Window {
        Window {
            center_secs,
            tolerance_secs: TOLERANCE_SECS,
        }
    }

    /// The accepted steps at `now_unix_secs` for codes of `period`, as offsets from the current
    /// step: `step_at(now + center − tolerance) ..= step_at(now + center + tolerance)`. The one
    /// rule every verifier uses; a tolerance above [`MAX_TOLERANCE_SECS`] is narrowed to it.
    pub fn offsets(&self, period: Period, now_unix_secs: u64) -> RangeInclusive<i64> {
        let period = i128::from(period.secs());
        let tolerance = i128::from(self.tolerance_secs.min(MAX_TOLERANCE_SECS));
        let now = i128::from(now_unix_secs);
        let current = now / period;
        let centre = now + i128::from(self.center_secs);
        // Floor division: before the epoch the step numbers go negative, and are skipped.
        let offset_at = |secs: i128| {
            let offset = secs.div_euclid(period) - current;
            i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX })
        };
        offset_at(centre - tolerance)..=offset_at(centre + tolerance)
    }
}

impl Default for Window {
    fn default() -> Self {
        Window::STANDARD
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The code matches `step`, which lies `offset` steps from the current step.
    Accepted { step: u64, offset: i64 },
    /// The code matches `step`, but that step or a later one was already used.
    Replayed { step: u64 },
    /// No step in the window matches. `drift` is set when the code matches a step at most
    /// [`DRIFT_SEARCH_STEPS`] from the current one: a hint that the device clock is off by that
    /// many steps. The hint never makes the code valid and the attempt still counts as failed.
    Rejected { drift: Option<i64> },
}

impl Verdict {
    /// True only for [`Verdict::Accepted`].
    pub fn is_accepted(&self) -> bool {
        matches!(self, Verdict::Accepted { .. })
    }
}

/// Checks an already normalised `code` (see [`crate::otp::normalize_code`]) at server time
/// `now_unix_secs`. A match at a step `<= last_step` is a replay.
pub fn verify(
    key: &OtpKey,
    code: &str,
    now_unix_secs: u64,
    window: Window,
    last_step: Option<u64>,
) -> Verdict {
    let digits = key.params.digits;
    if code.len() != usize::from(digits.get()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Verdict::Rejected { drift: None };
    }

    let engine = counter_engine(&key.secret, key.params.algorithm, digits);
    let current = i128::from(key.step_at(now_unix_secs));
    let offsets = window.offsets(key.params.period, now_unix_secs);
    let first = current + i128::from(*offsets.start());
    let last = current + i128::from(*offsets.end());

    // Every step of the window is computed, so the time taken does not depend on which matched.
    let mut accepted = None;
    let mut replayed = None;
    for candidate in first..=last {
        let Ok(step) = u64::try_from(candidate) else {
            continue;
        };
        if !matches_step(&engine, code, step) {
            continue;
        }
        if last_step.is_some_and(|used| step <= used) {
            replayed = Some(step);
        } else if accepted.is_none() {
            accepted = Some(step);
        }
    }

    if let Some(step) = accepted {
        let offset = i64::try_from(i128::from(step) - current).unwrap_or(i64::MAX);
        return Verdict::Accepted { step, offset };
    }
    if let Some(step) = replayed {
        return Verdict::Replayed { step };
    }

    let drift = drift_offsets().find(|&offset| {
        let candidate = current + i128::from(offset);
        let in_window = (first..=last).contains(&candidate);
        let step = u64::try_from(candidate).ok();
        !in_window && step.is_some_and(|step| matches_step(&engine, code, step))
    });
    Verdict::Rejected { drift }
}

/// 0, -1, +1, -2, +2, … up to ±[`DRIFT_SEARCH_STEPS`], nearest first.
fn drift_offsets() -> impl Iterator<Item = i64> {
    (0..=i64::from(DRIFT_SEARCH_STEPS)).flat_map(|distance| {
        let behind = (distance > 0).then_some(-distance);
        behind.into_iter().chain(std::iter::once(distance))
    })
}

/// Constant-time comparison of the code for `step` with `code`, without allocating.
fn matches_step(engine: &totp_rs::Totp, code: &str, step: u64) -> bool {
    let mut expected = CodeBuffer::default();
    if write!(expected, "{}", engine.generate(step)).is_err() {
        return false;
    }
    let same: Choice = expected.as_bytes().ct_eq(code.as_bytes());
    same.into()
}

/// A code written on the stack.
#[derive(Default)]
struct CodeBuffer {
    bytes: [u8; MAX_CODE_LEN],
    len: usize,
}

impl CodeBuffer {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl fmt::Write for CodeBuffer {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let end = self.len + text.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod code_tests;
#[cfg(test)]
mod verify_tests;
