//! Signing in: the password step, then the code step for users with two-factor on.

use staffgate_app::api::types::{AuthState, Me};
use staffgate_app::error::AppError;
use staffgate_app::ssr::{RequestContext, SignInNext};

use crate::db::{credentials, now_ms, users};
use crate::password;
use crate::service::codes::CodeRoute;
use crate::service::session::{self, CODE_STEP_TIMEOUT_MS, Stage};
use crate::service::{Staffgate, internal, role_of};

/// Longer input than this is refused before any work is done.
const MAX_INPUT_CHARS: usize = 1024;

impl Staffgate {
    /// Where the session stands; a stale session counts as signed out.
    pub(super) async fn current_auth_state(
        &self,
        cx: &RequestContext,
    ) -> Result<AuthState, AppError> {
        let Some(current) = session::read(&cx.session).await? else {
            return Ok(AuthState::SignedOut);
        };
        let user = users::by_id(self.db.pool(), current.user_id)
            .await
            .map_err(internal("load the session's user"))?;
        let Some(user) = user else {
            return Ok(AuthState::SignedOut);
        };
        Ok(match current.stage {
            Stage::Full => AuthState::SignedIn(Me {
                role: role_of(&user),
                username: user.username,
            }),
            Stage::Code if code_step_expired(current.code_step_since_ms, now_ms()) => {
                AuthState::SignedOut
            }
            Stage::Code => {
                let credentials = credentials::for_user(self.db.pool(), user.id)
                    .await
                    .map_err(internal("load credentials"))?;
                let period = credentials
                    .first()
                    .map_or(30, |credential| credential.period);
                AuthState::CodeRequired {
                    username: user.username,
                    period_secs: u32::try_from(period).unwrap_or(30),
                }
            }
        })
    }

    /// Checks the password. Users without two-factor are signed in; the others get a session
    /// that reaches only the code step.
    pub(super) async fn sign_in_with_password(
        &self,
        cx: &RequestContext,
        username: String,
        password: String,
    ) -> Result<SignInNext, AppError> {
        let username = username.trim().to_lowercase();
        if username.is_empty() || password.is_empty() {
            return Err(AppError::Invalid(
                "Enter your username and password.".into(),
            ));
        }
        if username.chars().count() > MAX_INPUT_CHARS || password.chars().count() > MAX_INPUT_CHARS
        {
            return Err(AppError::InvalidCredentials);
        }

        let user = users::by_username(self.db.pool(), &username)
            .await
            .map_err(internal("look up a user"))?;
        let stored = user.as_ref().map(|user| user.password_hash.clone());
        let matches = password::verify(password, stored)
            .await
            .map_err(internal("check a password"))?;
        let Some(user) = user.filter(|_| matches) else {
            tracing::info!("sign-in refused: unknown user or wrong password");
            return Err(AppError::InvalidCredentials);
        };

        let now = now_ms();
        let enrolled = credentials::count_for_user(self.db.pool(), user.id)
            .await
            .map_err(internal("count credentials"))?;
        if enrolled > 0 {
            session::start_code_step(&cx.session, user.id, now, user.failed_codes).await?;
            tracing::info!(user.id = user.id, "password accepted; waiting for a code");
            return Ok(SignInNext::CodeRequired);
        }

        session::start_signed_in(&cx.session, user.id).await?;
        users::record_sign_in(self.db.pool(), user.id, now)
            .await
            .map_err(internal("record a sign-in"))?;
        tracing::info!(
            user.id = user.id,
            "signed in with a password (two-factor is off)"
        );
        Ok(SignInNext::SignedIn)
    }

    /// Checks the code of a pending sign-in and, if it is right, signs the user in.
    pub(super) async fn complete_sign_in(
        &self,
        cx: &RequestContext,
        code: String,
    ) -> Result<(), AppError> {
        let now = now_ms();
        let current = session::read(&cx.session).await?;
        let Some(current) = current.filter(|current| current.stage == Stage::Code) else {
            return Err(AppError::Unauthorized);
        };
        // A code step without its wrong-code base is treated like an expired one.
        let Some(failed_codes_at_password) = current
            .failed_codes_at_password
            .filter(|_| !code_step_expired(current.code_step_since_ms, now))
        else {
            session::end(&cx.session).await?;
            return Err(AppError::Throttled(
                "The sign-in took too long. Enter your password again.".into(),
            ));
        };
        let user = users::by_id(self.db.pool(), current.user_id)
            .await
            .map_err(internal("load the pending user"))?;
        let Some(user) = user else {
            session::end(&cx.session).await?;
            return Err(AppError::Unauthorized);
        };

        let route = CodeRoute::SignIn {
            failed_codes_at_password,
        };
        match self.check_code(&user, &code, now, route).await {
            Ok(Ok(_credential)) => {
                session::start_signed_in(&cx.session, user.id).await?;
                users::record_sign_in(self.db.pool(), user.id, now)
                    .await
                    .map_err(internal("record a sign-in"))?;
                tracing::info!(user.id = user.id, "signed in with a code");
                Ok(())
            }
            Ok(Err(refusal)) => {
                if refusal.drop_sign_in {
                    session::end(&cx.session).await?;
                }
                Err(refusal.error)
            }
            Err(AppError::Conflict(message)) => {
                // Two-factor was turned off while this sign-in waited: start over.
                session::end(&cx.session).await?;
                Err(AppError::Conflict(message))
            }
            Err(error) => Err(error),
        }
    }
}

fn code_step_expired(since_ms: Option<i64>, now_ms: i64) -> bool {
    since_ms.is_none_or(|since| now_ms - since > CODE_STEP_TIMEOUT_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_step_lasts_five_minutes_from_the_password() {
        let since = 1_700_000_000_000;
        assert!(!code_step_expired(Some(since), since));
        assert!(!code_step_expired(
            Some(since),
            since + CODE_STEP_TIMEOUT_MS
        ));
        assert!(code_step_expired(
            Some(since),
            since + CODE_STEP_TIMEOUT_MS + 1
        ));
    }

    #[test]
    fn a_code_step_without_a_start_time_counts_as_expired() {
        assert!(code_step_expired(None, 0));
    }
}
