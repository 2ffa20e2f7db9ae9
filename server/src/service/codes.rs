//! Checking a code against a user's credentials, with replay protection and the wrong-code
//! throttle. Every route that accepts a code goes through [`Staffgate::check_code`], or, when it
//! checks the code itself (setup, token activation), through [`Staffgate::with_code_attempt`].
//!
//! A user may hold several credentials (an app and hardware tokens); a current code from any of
//! them is accepted, and each keeps its own last step, so replay protection is per credential.
//! An app credential's window stays on the server's time; a hardware token's is centred on its
//! learned drift, the interval of clock offsets its accepted codes allow, which each accepted
//! code narrows or moves, within ten minutes of the centre an admin last set ([`DriftPolicy`]).
//!
//! Each attempt is reserved before its code is checked: one write transaction counts it as a
//! wrong code and applies the wait that failure earns, unless the account must still wait or the
//! pending sign-in has used its tries. A right code then clears the count. So a burst of
//! parallel guesses is numbered one by one, and no more of them are checked than the policy
//! ([`staffgate_core::otp::throttle`]) allows.

use std::future::Future;

use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_code_drift;
use staffgate_core::otp::{
    Algorithm, Digits, DriftPolicy, FailureAction, OtpKey, OtpParams, Period, SecretKey, Verdict,
    after_failure, after_sign_in_failure, last_sign_in_attempt, normalize_code, verify,
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

/// Where a code is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeRoute {
    /// The code step of a pending sign-in, whose password was accepted while the account had
    /// `failed_codes_at_password` wrong codes; it may check five codes from there.
    SignIn { failed_codes_at_password: i64 },
    /// A form of a signed-in user: turning two-factor off, setup, activating a token.
    SignedIn,
}

/// A reserved attempt: it counts as wrong code number `failures` unless its code is right.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    failures: i64,
    action: FailureAction,
}

impl Staffgate {
    /// Checks `raw_code` for `user` at `now_ms`, entered on `route`. On success the
    /// credential's time step is used up and the wrong-code count is cleared; on failure the
    /// attempt stays counted and may throttle the account.
    pub(crate) async fn check_code(
        &self,
        user: &SqlUser,
        raw_code: &str,
        now_ms: i64,
        route: CodeRoute,
    ) -> Result<Result<i64, Refusal>, AppError> {
        let credentials = credentials::for_user(self.db.pool(), user.id)
            .await
            .map_err(internal("load credentials"))?;
        if credentials.is_empty() {
            return Err(AppError::Conflict(
                "Two-factor authentication is not set up for this account.".into(),
            ));
        }
        let attempt = match self.reserve_attempt(user, now_ms, route).await? {
            Ok(attempt) => attempt,
            Err(refusal) => return Ok(Err(refusal)),
        };

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
            let policy = drift_policy(credential);
            let last_step = credential
                .last_step
                .and_then(|step| u64::try_from(step).ok());
            match verify(&key, &code, now_secs, policy.window(), last_step) {
                Verdict::Accepted { step, offset } => {
                    let drift = policy.after_accepted(step, key.params.period, now_secs);
                    let step = i64::try_from(step).map_err(internal("store a time step"))?;
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
                        self.code_was_right(user).await?;
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
        self.code_was_wrong(user, attempt, message, now_ms)
            .await
            .map(Err)
    }

    /// Runs `check`, a code check of a signed-in user's form that answers
    /// [`AppError::WrongCode`] for a wrong code, as a reserved attempt: it runs only when the
    /// account may try a code now, a wrong code counts and may throttle, a right one clears the
    /// count. Other errors pass through, the attempt still counted.
    pub(crate) async fn with_code_attempt<T>(
        &self,
        user: &SqlUser,
        now_ms: i64,
        check: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let attempt = match self
            .reserve_attempt(user, now_ms, CodeRoute::SignedIn)
            .await?
        {
            Ok(attempt) => attempt,
            Err(refusal) => return Err(refusal.error),
        };
        match check.await {
            Ok(value) => {
                self.code_was_right(user).await?;
                Ok(value)
            }
            Err(AppError::WrongCode(message)) => {
                let refusal = self.code_was_wrong(user, attempt, message, now_ms).await?;
                Err(refusal.error)
            }
            Err(error) => Err(error),
        }
    }

    /// Counts an attempt as a wrong code before its code is checked, and applies the wait that
    /// failure would earn, in one write transaction. Refused, and nothing changes, while the
    /// account must wait or once a pending sign-in has used its tries.
    async fn reserve_attempt(
        &self,
        user: &SqlUser,
        now_ms: i64,
        route: CodeRoute,
    ) -> Result<Result<Attempt, Refusal>, AppError> {
        let limit = match route {
            CodeRoute::SignIn {
                failed_codes_at_password,
            } => {
                let base = u32::try_from(failed_codes_at_password).unwrap_or(u32::MAX);
                Some(i64::from(last_sign_in_attempt(base)))
            }
            CodeRoute::SignedIn => None,
        };

        let mut tx = self
            .db
            .begin_write()
            .await
            .map_err(internal("begin a transaction"))?;
        let reserved = users::reserve_code_attempt(&mut *tx, user.id, now_ms, limit)
            .await
            .map_err(internal("reserve a code attempt"))?;
        let Some(failures) = reserved else {
            let current = users::by_id(&mut *tx, user.id)
                .await
                .map_err(internal("load a user"))?
                .ok_or(AppError::Unauthorized)?;
            return Ok(Err(refused_before_check(&current, now_ms)));
        };

        let action = failure_action(route, failures);
        if let Some(delay) = action.delay {
            let until = now_ms.saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
            users::block_codes_until(&mut *tx, user.id, until)
                .await
                .map_err(internal("block codes"))?;
        }
        tx.commit()
            .await
            .map_err(internal("commit a code attempt"))?;
        Ok(Ok(Attempt { failures, action }))
    }

    /// A right code resets the count and any wait, on every route.
    async fn code_was_right(&self, user: &SqlUser) -> Result<(), AppError> {
        users::clear_failed_codes(self.db.pool(), user.id)
            .await
            .map_err(internal("clear the wrong-code count"))
    }

    /// The refusal for a wrong code of a reserved attempt; a throttle is logged.
    async fn code_was_wrong(
        &self,
        user: &SqlUser,
        attempt: Attempt,
        message: String,
        now_ms: i64,
    ) -> Result<Refusal, AppError> {
        let Attempt { failures, action } = attempt;
        if !action.drop_pending_sign_in && action.delay.is_none() {
            return Ok(Refusal {
                error: AppError::WrongCode(message),
                drop_sign_in: false,
            });
        }

        let mut detail = format!("{failures} wrong codes in a row");
        let mut words = format!("{message} Too many wrong codes in a row.");
        if let Some(delay) = action.delay {
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

/// How a credential's window follows its clock: only hardware tokens learn drift.
fn drift_policy(credential: &SqlCredential) -> DriftPolicy {
    if credential.kind == "token" {
        credentials::token_drift(
            credential.drift_lo_secs,
            credential.drift_hi_secs,
            credential.drift_base_secs,
        )
    } else {
        DriftPolicy::ServerTime
    }
}

/// What wrong code number `failures` entails on `route`; only a sign-in has anything to drop.
fn failure_action(route: CodeRoute, failures: i64) -> FailureAction {
    let failures = u32::try_from(failures).unwrap_or(u32::MAX);
    match route {
        CodeRoute::SignIn {
            failed_codes_at_password,
        } => {
            let base = u32::try_from(failed_codes_at_password).unwrap_or(u32::MAX);
            after_sign_in_failure(base, failures)
        }
        CodeRoute::SignedIn => FailureAction {
            drop_pending_sign_in: false,
            ..after_failure(failures)
        },
    }
}

/// Why an attempt was refused without its code being checked.
fn refused_before_check(user: &SqlUser, now_ms: i64) -> Refusal {
    if let Some(until) = user.codes_blocked_until.filter(|until| *until > now_ms) {
        let wait_secs = (until - now_ms + 999) / 1000;
        tracing::info!(
            user.id = user.id,
            wait_secs,
            "code refused unchecked: the account must wait"
        );
        let error = AppError::Throttled(format!(
            "Too many wrong codes. Wait {wait_secs} {} before trying another code.",
            if wait_secs == 1 { "second" } else { "seconds" }
        ));
        return Refusal {
            error,
            drop_sign_in: false,
        };
    }
    tracing::warn!(
        user.id = user.id,
        failures = user.failed_codes,
        "code refused unchecked: the pending sign-in has used its tries"
    );
    Refusal {
        error: AppError::Throttled(
            "Too many wrong codes for this sign-in. For your security, enter your password \
             again."
                .into(),
        ),
        drop_sign_in: true,
    }
}

#[cfg(test)]
mod tests {
    use staffgate_core::otp::{DriftInterval, Window};

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

    fn credential(kind: &str, drift: Option<(i64, i64)>, drift_base_secs: i64) -> SqlCredential {
        SqlCredential {
            id: 1,
            user_id: 1,
            kind: kind.into(),
            label: "test".into(),
            secret: Vec::new(),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            last_step: None,
            drift_lo_secs: drift.map(|(lo, _)| lo),
            drift_hi_secs: drift.map(|(_, hi)| hi),
            drift_base_secs,
        }
    }

    /// T = 1111111111, step 37037037 of 30 s, one second into it.
    const NOW: u64 = 1111111111;

    #[test]
    fn an_app_credential_stays_on_server_time_whatever_drift_is_stored() {
        for stored in [None, Some((20, 50)), Some((-95, -65))] {
            let policy = drift_policy(&credential("app", stored, 0));
            assert_eq!(policy, DriftPolicy::ServerTime);
            assert_eq!(policy.window(), Window::STANDARD);
            assert_eq!(policy.after_accepted(37037038, Period::THIRTY, NOW), None);
        }
    }

    #[test]
    fn a_hardware_token_learns_around_the_base_an_admin_set() {
        let learned = Some((-10801, -10771));
        let policy = drift_policy(&credential("token", learned, -10786));
        assert_eq!(policy.window(), Window::centred_on(-10786));
        // Ten seconds on, a code from 10,790 s behind, which the interval allows, narrows it.
        let later = NOW + 10;
        let step = (later - 10790) / 30;
        assert_eq!(
            policy.after_accepted(step, Period::THIRTY, later),
            DriftInterval::new(-10801, -10781)
        );
        // A code 11,400 s behind would centre more than 10 minutes from the base: not learned.
        let step = (later - 11400) / 30;
        assert_eq!(
            policy.after_accepted(step, Period::THIRTY, later),
            DriftInterval::new(-10801, -10771)
        );
    }

    #[test]
    fn a_damaged_drift_pair_is_nothing_learned() {
        for stored in [
            (Some(5), None),
            (None, Some(5)),
            (Some(5), Some(5)),
            (Some(9), Some(5)),
        ] {
            assert_eq!(credentials::drift_interval(stored.0, stored.1), None);
        }
        let policy = drift_policy(&SqlCredential {
            drift_lo_secs: Some(40),
            ..credential("token", None, 0)
        });
        assert_eq!(policy.window(), Window::STANDARD);
    }

    #[test]
    fn only_a_sign_in_drops_and_only_after_its_own_tries_or_the_accounts_fifth() {
        let sign_in = |base| CodeRoute::SignIn {
            failed_codes_at_password: base,
        };
        assert!(!failure_action(sign_in(0), 4).drop_pending_sign_in);
        assert!(failure_action(sign_in(0), 5).drop_pending_sign_in);
        assert!(failure_action(sign_in(2), 7).drop_pending_sign_in);
        assert!(!failure_action(CodeRoute::SignedIn, 5).drop_pending_sign_in);
        assert_eq!(
            failure_action(CodeRoute::SignedIn, 6).delay,
            after_failure(6).delay
        );
    }
}
