//! Hardware tokens: importing seed files, handing tokens out, activating them, taking them
//! back, and looking after their drift.
//!
//! Rules, where the issue leaves a choice:
//! - A token is an inventory row (`db::tokens`) from import on. Only an *active* token has a
//!   credential: an ordinary row of kind `token`, labelled "Hardware token SERIAL", which
//!   [`Staffgate::check_code`](crate::service::Staffgate) verifies like an app credential.
//! - Assigning gives a token to a user; it becomes active only after a current code from it
//!   is entered (by the admin, by the user on their Account page, or with the code on the
//!   command line), and that code's step is used up so it cannot sign in too. A wrong code
//!   changes nothing.
//! - Removing a token from its user deletes the credential and revokes the token; a revoked
//!   token keeps its user on record and is not handed out until an admin returns it to stock.
//!   An admin can also remove just the user's authenticator app while a token stays active.
//! - Every change is written with its System Notifications entry in one transaction.
//!
//! [`TokenDesk`] holds these flows for both front ends: the web admin (through [`Staffgate`],
//! which checks the role first) and the command line.

mod activate;
pub(crate) mod admin;
mod app_credential;
mod drift;
mod import;
mod inventory;
mod lifecycle;

pub use inventory::{assigned_tokens, token_rows};

use sqlx::{Any, Executor, Transaction};
use staffgate_app::error::AppError;
use staffgate_core::otp::{OtpKey, SecretKey};

use crate::crypto::SecretBox;
use crate::db::Db;
use crate::db::notifications::{self, Actor, Entry, Event};
use crate::db::tokens::{self, SqlToken, TokenState};
use crate::service::codes::params_from_row;
use crate::service::internal;

#[cfg(doc)]
use crate::service::Staffgate;

/// Who works on the token inventory, and with what.
#[derive(Debug, Clone, Copy)]
pub struct TokenDesk<'a> {
    pub db: &'a Db,
    pub secrets: &'a SecretBox,
    pub actor: &'a Actor,
    /// The address the request came from; none on the command line.
    pub client_addr: Option<&'a str>,
}

impl TokenDesk<'_> {
    /// Starts a write transaction for one change to the inventory.
    async fn begin(&self) -> Result<Transaction<'static, Any>, AppError> {
        self.db
            .begin_write()
            .await
            .map_err(internal("begin a transaction"))
    }

    /// Opens a token's sealed secret into a key for the verifier.
    fn key_of(&self, token: &SqlToken) -> Result<OtpKey, AppError> {
        let secret = self
            .secrets
            .open(&token.secret)
            .map_err(internal("open a token secret"))?;
        let params = params_from_row(&token.algorithm, token.digits, token.period)?;
        Ok(OtpKey::new(SecretKey::from_bytes(secret), params))
    }

    /// Appends a System Notifications entry about a token.
    async fn log<'e>(
        &self,
        db: impl Executor<'e, Database = Any>,
        event: Event,
        subject: Option<(i64, &str)>,
        detail: &str,
        now_ms: i64,
    ) -> Result<(), AppError> {
        let entry = Entry {
            event,
            actor: self.actor,
            subject,
            client_addr: self.client_addr,
            reason: None,
            detail: Some(detail),
        };
        notifications::append(db, entry, now_ms)
            .await
            .map_err(internal("log a token change"))
    }
}

/// Loads a token, or says there is none.
async fn load<'e>(
    db: impl Executor<'e, Database = Any>,
    token_id: i64,
) -> Result<SqlToken, AppError> {
    tokens::by_id(db, token_id)
        .await
        .map_err(internal("load a token"))?
        .ok_or_else(|| AppError::NotFound("There is no such hardware token.".into()))
}

/// The state of a stored token; an unknown stored state is an internal fault.
fn state_of(token: &SqlToken) -> Result<TokenState, AppError> {
    TokenState::parse(&token.state).ok_or_else(|| internal("read a token state")(&token.state))
}

/// The state in the words the inventory uses.
fn state_words(state: TokenState) -> &'static str {
    match state {
        TokenState::InStock => "in stock",
        TokenState::Assigned => "assigned",
        TokenState::Active => "active",
        TokenState::Revoked => "revoked",
    }
}

/// Refuses an action that needs the token in another state.
fn wrong_state(token: &SqlToken, state: TokenState, needed: &str) -> AppError {
    AppError::Conflict(format!(
        "Hardware token {} is {}; {needed}.",
        token.serial,
        state_words(state)
    ))
}
