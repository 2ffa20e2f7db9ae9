//! Checking a code against a user's credentials, with replay protection and the wrong-code
//! throttle. Every route that accepts a code goes through [`Staffgate::check_code`].
//!
//! A user may hold several credentials (an app and hardware tokens); a current code from any of
//! them is accepted, and each keeps its own last step, so replay protection is per credential.
//! Each window is centred on the credential's learned drift, and an accepted code moves that
//! centre to the offset it matched when that lies within ten minutes ([`learn_drift`]).

use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_code_drift;
use staffgate_core::otp::{
    Algorithm, Digits, OtpKey, OtpParams, Period, SecretKey, Verdict, Window, learn_drift,
    normalize_code, throttle::after_failure, verify,
};

use crate::db::notifications::{self, Actor, Entry, Event};
use crate::db::users::SqlUser;
use crate::db::{credentials, credentials::SqlCredential, users};
use crate::service::{Staffgate, internal};

/// The outcome of a code that was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: AppError,
    /// The pending sign-in must be dropped: the password has to be entered again.
    pub drop_sign_in: bool,
}

impl Staffgate {
    /// Checks `raw_code` for `user` at `now_ms`. On success the credential's time step is used
    /// up and the wrong-code count is cleared; on failure the count grows and may throttle the
    /// account.
    pub(crate) async fn check_code(
        &self,
        user: &SqlUser,
        raw_code: &str,
        now_ms: i64,
    ) -> Result<Result<i64, Refusal>, AppError> {
        if let Some(until) = user.codes_blocked_until.filter(|until| *until > now_ms) {
            let wait_secs = (until - now_ms + 999) / 1000;
            let error = AppError::Throttled(format!(
                "Too many wrong codes. Wait {wait_secs} {} before trying another code.",
                if wait_secs == 1 { "second" } else { "seconds" }
            ));
            return Ok(Err(Refusal {
                error,
                drop_sign_in: false,
            }));
        }

        let credentials = credentials::for_user(self.db.pool(), user.id)
            .await
            .map_err(internal("load credentials"))?;
        if credentials.is_empty() {
            return Err(AppError::Conflict(
                "Two-factor authentication is not set up for this account.".into(),
            ));
        }

        let now_secs = u64::try_from(now_ms / 1000).unwrap_or(0);
        let mut format_error = None;
        let mut well_formed = false;
        let mut replayed = false;
        let mut drift = None;
        for credential in &credentials {
            let key = self.otp_key(credential)?;
            let code = match normalize_code(raw_code, key.params.digits) {
                Ok(code) => code,
                Err(error) => {
                    format_error.get_or_insert(error.to_string());
                    continue;
                }
            };
            well_formed = true;
            let window = Window {
                center: credential.drift_steps,
                ..Window::STANDARD
            };
            let last_step = credential
                .last_step
                .and_then(|step| u64::try_from(step).ok());
            match verify(&key, &code, now_secs, window, last_step) {
                Verdict::Accepted { step, offset } => {
                    let step = i64::try_from(step).map_err(internal("store a time step"))?;
                    let drift = learn_drift(credential.drift_steps, offset, key.params.period);
                    let accepted = credentials::accept_step(
                        self.db.pool(),
                        credential.id,
                        step,
                        offset,
                        drift,
                        now_ms,
                    )
                    .await
                    .map_err(internal("use up a time step"))?;
                    if accepted {
                        // A right code resets the count on every route, not only at sign-in.
                        users::clear_failed_codes(self.db.pool(), user.id)
                            .await
                            .map_err(internal("clear the wrong-code count"))?;
                        return Ok(Ok(credential.id));
                    }
                    // Another request used this step first.
                    replayed = true;
                }
                Verdict::Replayed { .. } => replayed = true,
                Verdict::Rejected { drift: Some(steps) } => {
                    credentials::record_offset(self.db.pool(), credential.id, steps)
                        .await
                        .map_err(internal("record a clock offset"))?;
                    drift.get_or_insert((steps, key.params.period.secs()));
                }
                Verdict::Rejected { drift: None } => {}
            }
        }

        let message = match (well_formed, replayed, drift) {
            (false, _, _) => format_error.unwrap_or_default(),
            (true, true, _) => {
                "That code was already used. Wait for the next code and enter that one.".into()
            }
            (true, false, Some((steps, period))) => describe_code_drift(steps, period),
            (true, false, None) => "That code is not right. Check that the code is for this \
                                    account and enter the one shown now."
                .into(),
        };
        self.count_failure(user, message, now_ms).await.map(Err)
    }

    /// Counts a wrong code and applies the throttle policy.
    async fn count_failure(
        &self,
        user: &SqlUser,
        message: String,
        now_ms: i64,
    ) -> Result<Refusal, AppError> {
        let failures = users::add_failed_code(self.db.pool(), user.id)
            .await
            .map_err(internal("count a wrong code"))?;
        let action = after_failure(u32::try_from(failures).unwrap_or(u32::MAX));
        if !action.drop_pending_sign_in && action.delay.is_none() {
            return Ok(Refusal {
                error: AppError::WrongCode(message),
                drop_sign_in: false,
            });
        }

        let mut detail = format!("{failures} wrong codes in a row");
        let mut words = format!("{message} Too many wrong codes in a row.");
        if let Some(delay) = action.delay {
            let until = now_ms + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX / 2);
            users::block_codes_until(self.db.pool(), user.id, until)
                .await
                .map_err(internal("block codes"))?;
            detail.push_str(&format!("; codes refused for {} s", delay.as_secs()));
            words.push_str(&format!(
                " Wait {} seconds before the next try.",
                delay.as_secs()
            ));
        }
        if action.drop_pending_sign_in {
            detail.push_str("; the pending sign-in was dropped");
            words.push_str(" For your security, enter your password again.");
        }

        let entry = Entry {
            event: Event::SignInThrottled,
            actor: &Actor::System,
            subject: Some((user.id, &user.username)),
            client_addr: None,
            reason: None,
            detail: Some(&detail),
        };
        notifications::append(self.db.pool(), entry, now_ms)
            .await
            .map_err(internal("log a throttle"))?;
        tracing::warn!(user.id = user.id, failures, detail = %detail, "sign-in throttled");

        Ok(Refusal {
            error: AppError::Throttled(words),
            drop_sign_in: action.drop_pending_sign_in,
        })
    }

    /// Opens a stored credential into a key for the verifier.
    pub(crate) fn otp_key(&self, credential: &SqlCredential) -> Result<OtpKey, AppError> {
        let secret = self
            .secrets
            .open(&credential.secret)
            .map_err(internal("open a secret"))?;
        let params = params_from_row(&credential.algorithm, credential.digits, credential.period)?;
        Ok(OtpKey::new(SecretKey::from_bytes(secret), params))
    }
}

/// Reads stored parameters; a bad row is an internal fault, never the user's.
pub(crate) fn params_from_row(
    algorithm: &str,
    digits: i64,
    period: i64,
) -> Result<OtpParams, AppError> {
    let algorithm: Algorithm = algorithm.parse().map_err(internal("read an algorithm"))?;
    let digits = u8::try_from(digits).map_err(internal("read digits"))?;
    let digits = Digits::new(digits).map_err(internal("read digits"))?;
    let period = u32::try_from(period).map_err(internal("read a period"))?;
    let period = Period::any(period).map_err(internal("read a period"))?;
    Ok(OtpParams {
        algorithm,
        digits,
        period,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_parameters_are_read_back() {
        let params = params_from_row("SHA256", 8, 60).unwrap();
        assert_eq!(params.algorithm, Algorithm::Sha256);
        assert_eq!(params.digits.get(), 8);
        assert_eq!(params.period.secs(), 60);
    }

    #[test]
    fn a_damaged_row_is_an_internal_fault_and_not_the_users() {
        for (algorithm, digits, period) in [
            ("MD5", 6, 30),
            ("SHA1", 7, 30),
            ("SHA1", 300, 30),
            ("SHA1", 6, 0),
            ("SHA1", 6, -30),
        ] {
            assert_eq!(
                params_from_row(algorithm, digits, period).unwrap_err(),
                AppError::Internal,
                "{algorithm}/{digits}/{period}"
            );
        }
    }
}
