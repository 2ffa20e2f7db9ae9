//! One-time passwords: secrets, credential parameters, reading codes, verifying them against
//! the server clock, otpauth URIs and the policy for wrong codes.
//!
//! Codes are computed by totp-rs; everything decided around them (time steps, windows, replay,
//! drift hints, limits) lives here, so that the server, the UI and later the validation API
//! follow one set of rules.

pub mod code;
pub mod drift;
pub mod params;
pub mod resync;
pub mod secret;
pub mod throttle;
pub mod totp;
pub mod uri;

#[cfg(test)]
mod test_keys;

pub use code::{CodeError, normalize_code};
pub use drift::{DriftInterval, DriftPolicy, MAX_LEARNED_DRIFT_SECS, learn_drift};
pub use params::{AccountName, Algorithm, Digits, Issuer, OtpParams, ParamError, Period};
pub use resync::{RESYNC_SEARCH_SECS, Resynced, resync};
pub use secret::{SecretError, SecretKey};
pub use throttle::{
    FailureAction, MAX_FAILURES_PER_SIGN_IN, after_failure, after_sign_in_failure,
    last_sign_in_attempt,
};
pub use totp::{
    DRIFT_SEARCH_STEPS, MAX_TOLERANCE_SECS, OtpKey, TOLERANCE_SECS, Verdict, Window, hotp, verify,
};
pub use uri::{ParsedUri, UriError, enrollment_uri, parse_uri};
