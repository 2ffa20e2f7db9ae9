//! Removing a user's authenticator app while their hardware token stays: the single-credential
//! removal beside "Remove from user" for a token.
//!
//! Like a token's removal it needs an admin and no password, and it is logged. It never turns
//! two-factor off: when the app is the user's only active credential it is refused, and the
//! admin uses "Disable two-factor authentication" instead, with its reason, password and mail.

use staffgate_app::error::AppError;
use staffgate_app::ssr::RequestContext;

use super::TokenDesk;
use crate::db::notifications::{Actor, Event};
use crate::db::{credentials, now_ms, tokens, users};
use crate::service::{Staffgate, internal};

/// The stored kind of an authenticator-app credential.
const APP: &str = "app";

impl Staffgate {
    /// Deletes the authenticator-app credential of `user_id`, as an admin.
    pub(crate) async fn remove_app_of(
        &self,
        cx: &RequestContext,
        user_id: i64,
    ) -> Result<(), AppError> {
        let admin = self.admin(cx).await?;
        let actor = Actor::User {
            id: admin.id,
            username: admin.username.clone(),
        };
        let desk = TokenDesk {
            db: &self.db,
            secrets: &self.secrets,
            actor: &actor,
            client_addr: cx.client_addr.as_deref(),
        };
        desk.remove_app_credential(user_id).await
    }
}

impl TokenDesk<'_> {
    /// Deletes the user's authenticator-app credential and keeps their other credentials.
    pub async fn remove_app_credential(&self, user_id: i64) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let user = users::by_id(&mut *tx, user_id)
            .await
            .map_err(internal("load a user"))?
            .ok_or_else(|| AppError::NotFound("There is no such user.".into()))?;
        let held = credentials::for_user(&mut *tx, user.id)
            .await
            .map_err(internal("list credentials"))?;
        let apps = held
            .iter()
            .filter(|credential| credential.kind == APP)
            .count();
        if apps == 0 {
            return Err(AppError::Conflict(format!(
                "{} has no authenticator app to remove.",
                user.username
            )));
        }
        if apps == held.len() {
            return Err(AppError::Conflict(format!(
                "The authenticator app is the only credential of {}; to turn two-factor \
                 authentication off, use \"Disable two-factor authentication\" on Manage System \
                 Users.",
                user.username
            )));
        }

        credentials::delete_for_user(&mut *tx, user.id, Some(APP))
            .await
            .map_err(internal("delete an app credential"))?;
        let kept = tokens::active_serials_of(&mut *tx, user.id)
            .await
            .map_err(internal("list a user's tokens"))?;
        let detail = format!("hardware tokens kept: {}", kept.join(", "));
        let subject = Some((user.id, user.username.as_str()));
        self.log(&mut *tx, Event::AppCredentialRemoved, subject, &detail, now)
            .await?;
        tx.commit()
            .await
            .map_err(internal("commit an app credential removal"))?;
        tracing::info!(user.id = user.id, "authenticator app removed from its user");
        Ok(())
    }
}
