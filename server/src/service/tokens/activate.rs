//! Activating an assigned token with a current code from it: the same no-lockout rule as app
//! setup. The matched step is used up, so the code that activated a token cannot also sign in.

use sqlx::{Any, Transaction};
use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_code_drift;
use staffgate_core::otp::{DriftPolicy, OtpKey, Verdict, Window, normalize_code, verify};

use super::{TokenDesk, load, state_of, wrong_state};
use crate::db::notifications::Event;
use crate::db::tokens::{self, SqlToken, TokenState};
use crate::db::users::{self, SqlUser};
use crate::db::{credentials, now_ms};
use crate::service::internal;

impl TokenDesk<'_> {
    /// Activates an assigned token with `code`. With `holder`, only that user's own token.
    /// Returns the token's serial.
    pub async fn activate(
        &self,
        token_id: i64,
        code: &str,
        holder: Option<i64>,
    ) -> Result<String, AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;

        let token = load(&mut *tx, token_id).await?;
        if holder.is_some_and(|user_id| token.user_id != Some(user_id)) {
            return Err(AppError::NotFound(
                "There is no such hardware token assigned to you.".into(),
            ));
        }
        let state = state_of(&token)?;
        if state != TokenState::Assigned {
            return Err(wrong_state(
                &token,
                state,
                "only an assigned token can be activated",
            ));
        }
        let user_id = token
            .user_id
            .ok_or_else(|| internal("find the holder of an assigned token")(token.id))?;
        let user = users::by_id(&mut *tx, user_id)
            .await
            .map_err(internal("load a token holder"))?
            .ok_or_else(|| internal("find the holder of an assigned token")(user_id))?;

        self.activate_in(&mut tx, &token, &user, code, now).await?;
        tx.commit()
            .await
            .map_err(internal("commit a token activation"))?;
        tracing::info!(
            user.id = user.id,
            token.id = token.id,
            "hardware token activated"
        );
        Ok(token.serial)
    }

    /// Checks `code` and makes the assigned `token` an active credential of `user`, inside
    /// `tx`. Nothing is written when the code is wrong.
    pub(super) async fn activate_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        token: &SqlToken,
        user: &SqlUser,
        code: &str,
        now: i64,
    ) -> Result<(), AppError> {
        let key = self.key_of(token)?;
        let step = matching_step(&key, &token.serial, code, now)?;

        let label = format!("Hardware token {}", token.serial);
        let new = credentials::NewCredential {
            user_id: user.id,
            kind: "token",
            label: &label,
            sealed_secret: &token.secret,
            algorithm: key.params.algorithm.as_str(),
            digits: i64::from(key.params.digits.get()),
            period: i64::from(key.params.period.secs()),
            last_step: Some(i64::try_from(step).map_err(internal("store a time step"))?),
        };
        let now_secs = u64::try_from(now / 1000).unwrap_or(0);
        let drift = DriftPolicy::UNLEARNED.after_accepted(step, key.params.period, now_secs);
        credentials::insert_for_token(&mut **tx, new, token.id, drift, now)
            .await
            .map_err(internal("store a token credential"))?;
        let moved = tokens::change_state(
            &mut **tx,
            token.id,
            TokenState::Assigned,
            TokenState::Active,
            Some(user.id),
        )
        .await
        .map_err(internal("activate a token"))?;
        if !moved {
            return Err(AppError::Conflict(format!(
                "Hardware token {} changed in the meantime; reload the page.",
                token.serial
            )));
        }
        let subject = Some((user.id, user.username.as_str()));
        self.log(
            &mut **tx,
            Event::TokenActivated,
            subject,
            &token.serial,
            now,
        )
        .await
    }
}

/// The step a current code from the token matches, within one step of the server's time.
fn matching_step(key: &OtpKey, serial: &str, code: &str, now_ms: i64) -> Result<u64, AppError> {
    let digits = key.params.digits.get();
    let code = normalize_code(code, key.params.digits).map_err(|_| {
        AppError::WrongCode(format!(
            "Enter the {digits}-digit code that hardware token {serial} shows now."
        ))
    })?;
    let now_secs = u64::try_from(now_ms / 1000).unwrap_or(0);
    match verify(key, &code, now_secs, Window::STANDARD, None) {
        Verdict::Accepted { step, .. } => Ok(step),
        Verdict::Rejected { drift: Some(steps) } => Err(AppError::WrongCode(format!(
            "{} A token is activated only with a code within one time step of the server's \
             time.",
            describe_code_drift(steps, key.params.period.secs())
        ))),
        Verdict::Rejected { drift: None } | Verdict::Replayed { .. } => {
            Err(AppError::WrongCode(format!(
                "That code does not match hardware token {serial}. Enter the code it shows now."
            )))
        }
    }
}
