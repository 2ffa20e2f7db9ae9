//! An admin's care for an active token's clock: resetting the learned drift, and resync.
//!
//! Reset forgets the learned drift and centres the window on the server's time again. Resync
//! takes two consecutive codes, finds them within ±24 hours ([`resync`]) and learns the drift
//! interval the second code's step shows, centring the window on it. Either way the new centre
//! is also the base automatic learning is bounded around (±10 minutes), so a token resynced
//! hours away keeps following its clock from there. Resync also records the second code's step
//! as the last one used, unless a later step was used already: the last used step never goes
//! down, so neither resync code can sign in, and no code used before becomes valid again.

use sqlx::{Any, Transaction};
use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_drift_short;
use staffgate_core::otp::{DriftPolicy, normalize_code, resync};

use super::{TokenDesk, load, state_of, wrong_state};
use crate::db::credentials::{self, SqlTokenCredential};
use crate::db::notifications::Event;
use crate::db::tokens::{SqlToken, TokenState};
use crate::db::{now_ms, users};
use crate::service::internal;

impl TokenDesk<'_> {
    /// Forgets an active token's learned drift: its window goes back on the server's time.
    pub async fn reset_drift(&self, token_id: i64) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let (token, credential) = active_credential(&mut tx, token_id).await?;
        credentials::set_drift(&mut *tx, credential.id, None, 0, None)
            .await
            .map_err(internal("reset a drift"))?;

        let detail = format!(
            "{}: was {}",
            token.serial,
            describe_drift_short(
                credentials::token_drift(
                    credential.drift_lo_secs,
                    credential.drift_hi_secs,
                    credential.drift_base_secs,
                )
                .shown_secs()
            )
        );
        self.log_for_holder(&mut tx, &credential, Event::TokenDriftReset, &detail, now)
            .await?;
        tx.commit()
            .await
            .map_err(internal("commit a drift reset"))?;
        tracing::info!(token.id = token.id, "hardware token drift reset");
        Ok(())
    }

    /// Finds an active token's clock from two consecutive codes and centres its window there.
    pub async fn resync(&self, token_id: i64, first: &str, second: &str) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let (token, credential) = active_credential(&mut tx, token_id).await?;
        let key = self.key_of(&token)?;
        let digits = key.params.digits;
        let (Ok(first), Ok(second)) = (
            normalize_code(first, digits),
            normalize_code(second, digits),
        ) else {
            return Err(AppError::Invalid(format!(
                "Enter two consecutive {}-digit codes from hardware token {}.",
                digits.get(),
                token.serial
            )));
        };

        let now_secs = u64::try_from(now / 1000).unwrap_or(0);
        let Some(found) = resync(&key, &first, &second, now_secs) else {
            return Err(AppError::WrongCode(
                "No matching pair of codes was found within 24 hours.".into(),
            ));
        };
        let step = i64::try_from(found.step).map_err(internal("store a time step"))?;
        let resynced = DriftPolicy::Learned {
            learned: Some(found.drift),
            base_secs: found.drift.centre_secs(),
        };
        credentials::set_drift(
            &mut *tx,
            credential.id,
            Some(found.drift),
            found.drift.centre_secs(),
            Some(step),
        )
        .await
        .map_err(internal("store a resync"))?;

        let detail = format!(
            "{}: {}",
            token.serial,
            describe_drift_short(resynced.shown_secs())
        );
        self.log_for_holder(&mut tx, &credential, Event::TokenResynced, &detail, now)
            .await?;
        tx.commit().await.map_err(internal("commit a resync"))?;
        tracing::info!(
            token.id = token.id,
            drift_secs = found.drift.centre_secs(),
            "hardware token resynchronised"
        );
        Ok(())
    }

    async fn log_for_holder(
        &self,
        tx: &mut Transaction<'static, Any>,
        credential: &SqlTokenCredential,
        event: Event,
        detail: &str,
        now: i64,
    ) -> Result<(), AppError> {
        let user = users::by_id(&mut **tx, credential.user_id)
            .await
            .map_err(internal("load a token holder"))?;
        let subject = user.as_ref().map(|user| (user.id, user.username.as_str()));
        self.log(&mut **tx, event, subject, detail, now).await
    }
}

/// An active token and its credential; any other token is refused.
async fn active_credential(
    tx: &mut Transaction<'static, Any>,
    token_id: i64,
) -> Result<(SqlToken, SqlTokenCredential), AppError> {
    let token = load(&mut **tx, token_id).await?;
    let state = state_of(&token)?;
    if state != TokenState::Active {
        return Err(wrong_state(
            &token,
            state,
            "only an active token has a drift to reset or resync",
        ));
    }
    let credential = credentials::for_token(&mut **tx, token.id)
        .await
        .map_err(internal("load a token credential"))?
        .ok_or_else(|| internal("find the credential of an active token")(token.id))?;
    Ok((token, credential))
}
