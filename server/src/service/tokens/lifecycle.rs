//! Handing a token to a user, taking it back, and returning it to stock.

use sqlx::{Any, Transaction};
use staffgate_app::error::AppError;

use super::{TokenDesk, load, state_of, wrong_state};
use crate::db::notifications::Event;
use crate::db::tokens::{self, SqlToken, TokenState};
use crate::db::users::{self, SqlUser};
use crate::db::{credentials, now_ms};
use crate::service::internal;

impl TokenDesk<'_> {
    /// Assigns an in-stock token to the user named `username`.
    pub async fn assign(&self, token_id: i64, username: &str) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let token = load(&mut *tx, token_id).await?;
        let user = find_user(&mut tx, username).await?;
        self.assign_in(&mut tx, &token, &user, now).await?;
        tx.commit()
            .await
            .map_err(internal("commit a token assignment"))?;
        tracing::info!(
            user.id = user.id,
            token.id = token.id,
            "hardware token assigned"
        );
        Ok(())
    }

    /// Assigns the token with `serial` to `username` and activates it with `code`, all or
    /// nothing (the command line's `tokens assign`). A token already assigned to that user is
    /// only activated.
    pub async fn assign_and_activate(
        &self,
        serial: &str,
        username: &str,
        code: &str,
    ) -> Result<(SqlToken, SqlUser), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let token = tokens::by_serial(&mut *tx, serial)
            .await
            .map_err(internal("find a token by serial"))?
            .ok_or_else(|| {
                AppError::NotFound(format!("There is no hardware token {:?}.", serial.trim()))
            })?;
        let user = find_user(&mut tx, username).await?;
        let held = state_of(&token)? == TokenState::Assigned && token.user_id == Some(user.id);
        if !held {
            self.assign_in(&mut tx, &token, &user, now).await?;
        }
        self.activate_in(&mut tx, &token, &user, code, now).await?;
        tx.commit()
            .await
            .map_err(internal("commit a token activation"))?;
        tracing::info!(
            user.id = user.id,
            token.id = token.id,
            "hardware token activated"
        );
        Ok((token, user))
    }

    /// Takes an assigned or active token from its user: deletes its credential and revokes it.
    pub async fn remove(&self, token_id: i64) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let token = load(&mut *tx, token_id).await?;
        let state = state_of(&token)?;
        if !matches!(state, TokenState::Assigned | TokenState::Active) {
            return Err(wrong_state(
                &token,
                state,
                "only an assigned or active token can be removed from its user",
            ));
        }
        credentials::delete_for_token(&mut *tx, token.id)
            .await
            .map_err(internal("delete a token credential"))?;
        self.move_token(&mut tx, &token, state, TokenState::Revoked, token.user_id)
            .await?;

        let holder = self.holder(&mut tx, &token).await?;
        let mut detail = token.serial.clone();
        if let Some((user_id, _)) = &holder {
            let left = credentials::count_for_user(&mut *tx, *user_id)
                .await
                .map_err(internal("count credentials"))?;
            if left == 0 {
                detail.push_str("; two-factor authentication is now off for this user");
            }
        }
        let subject = holder.as_ref().map(|(id, name)| (*id, name.as_str()));
        self.log(&mut *tx, Event::TokenRemoved, subject, &detail, now)
            .await?;
        tx.commit()
            .await
            .map_err(internal("commit a token removal"))?;
        tracing::info!(token.id = token.id, "hardware token removed from its user");
        Ok(())
    }

    /// Returns a revoked token to stock, clearing its user.
    pub async fn return_to_stock(&self, token_id: i64) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let token = load(&mut *tx, token_id).await?;
        let state = state_of(&token)?;
        if state != TokenState::Revoked {
            return Err(wrong_state(
                &token,
                state,
                "only a revoked token can be returned to stock",
            ));
        }
        let holder = self.holder(&mut tx, &token).await?;
        self.move_token(&mut tx, &token, state, TokenState::InStock, None)
            .await?;
        let subject = holder.as_ref().map(|(id, name)| (*id, name.as_str()));
        self.log(
            &mut *tx,
            Event::TokenReturnedToStock,
            subject,
            &token.serial,
            now,
        )
        .await?;
        tx.commit()
            .await
            .map_err(internal("commit a token return"))?;
        tracing::info!(token.id = token.id, "hardware token returned to stock");
        Ok(())
    }

    /// Gives an in-stock `token` to `user` inside `tx`, with its log entry.
    pub(super) async fn assign_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        token: &SqlToken,
        user: &SqlUser,
        now: i64,
    ) -> Result<(), AppError> {
        let state = state_of(token)?;
        if state != TokenState::InStock {
            return Err(wrong_state(
                token,
                state,
                "only a token in stock can be assigned",
            ));
        }
        self.move_token(tx, token, state, TokenState::Assigned, Some(user.id))
            .await?;
        let subject = Some((user.id, user.username.as_str()));
        self.log(&mut **tx, Event::TokenAssigned, subject, &token.serial, now)
            .await
    }

    /// Moves `token` from `from` to `to`; a token changed by someone else meanwhile is refused.
    async fn move_token(
        &self,
        tx: &mut Transaction<'static, Any>,
        token: &SqlToken,
        from: TokenState,
        to: TokenState,
        user_id: Option<i64>,
    ) -> Result<(), AppError> {
        let moved = tokens::change_state(&mut **tx, token.id, from, to, user_id)
            .await
            .map_err(internal("change a token's state"))?;
        if moved {
            Ok(())
        } else {
            Err(AppError::Conflict(format!(
                "Hardware token {} changed in the meantime; reload the page.",
                token.serial
            )))
        }
    }

    /// The id and name of the token's user, if it has one.
    async fn holder(
        &self,
        tx: &mut Transaction<'static, Any>,
        token: &SqlToken,
    ) -> Result<Option<(i64, String)>, AppError> {
        let Some(user_id) = token.user_id else {
            return Ok(None);
        };
        let user = users::by_id(&mut **tx, user_id)
            .await
            .map_err(internal("load a token holder"))?;
        Ok(user.map(|user| (user.id, user.username)))
    }
}

/// Finds the user a token is for, by the username an admin typed.
async fn find_user(
    tx: &mut Transaction<'static, Any>,
    username: &str,
) -> Result<SqlUser, AppError> {
    let username = username.trim().to_lowercase();
    if username.is_empty() {
        return Err(AppError::Invalid(
            "Enter the username of the person who gets the token.".into(),
        ));
    }
    users::by_username(&mut **tx, &username)
        .await
        .map_err(internal("look up a user"))?
        .ok_or_else(|| AppError::NotFound(format!("There is no user named {username:?}.")))
}
