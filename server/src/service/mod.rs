//! Staffgate's flows: signing in, setting up and turning off two-factor, administration.
//!
//! [`Staffgate`] implements the UI's [`Backend`] seam. Its methods check the session and the
//! role first, then validate input, then change the database (in one transaction when a change
//! has several parts), then answer. Internal faults are logged here, once, and reach the
//! browser only as [`AppError::Internal`].

mod admin;
mod auth;
mod codes;
mod disable;
mod enrollment;
pub mod session;
pub mod tokens;

use std::fmt::Display;

use async_trait::async_trait;
use staffgate_app::api::token_types::{AssignedToken, ImportSummary, TokenUpload, TokensView};
use staffgate_app::api::types::{
    AccountView, AuthState, InstallationSettings, NotificationRow, Role, SetupView, UserRow,
};
use staffgate_app::error::AppError;
use staffgate_app::ssr::{Backend, RequestContext, SignInNext};

use crate::crypto::SecretBox;
use crate::db::Db;
use crate::db::users::{self, SqlUser};
use crate::mail::Mailer;
use crate::service::session::Stage;

pub use disable::{DisableRequest, MAX_REASON_CHARS, disable_two_factor};
pub use tokens::TokenDesk;

use self::tokens::admin::TokenAction;

/// The product's flows over storage, secret sealing and mail.
#[derive(Clone)]
pub struct Staffgate {
    db: Db,
    secrets: SecretBox,
    mailer: Mailer,
}

impl Staffgate {
    /// Flows over `db`, sealing secrets with `secrets` and sending mail with `mailer`.
    pub fn new(db: Db, secrets: SecretBox, mailer: Mailer) -> Self {
        Self {
            db,
            secrets,
            mailer,
        }
    }

    /// The fully signed-in user of this request.
    async fn signed_in(&self, cx: &RequestContext) -> Result<SqlUser, AppError> {
        let Some(current) = session::read(&cx.session).await? else {
            return Err(AppError::Unauthorized);
        };
        if current.stage != Stage::Full {
            return Err(AppError::Unauthorized);
        }
        let user = users::by_id(self.db.pool(), current.user_id)
            .await
            .map_err(internal("load the signed-in user"))?;
        user.ok_or(AppError::Unauthorized)
    }

    /// The signed-in user, who must be an admin.
    async fn admin(&self, cx: &RequestContext) -> Result<SqlUser, AppError> {
        let user = self.signed_in(cx).await?;
        if role_of(&user) != Role::Admin {
            tracing::warn!(user.id = user.id, "a non-admin called an admin function");
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }
}

/// The role of a stored user; an unknown stored role gets the least rights.
fn role_of(user: &SqlUser) -> Role {
    Role::parse(&user.role).unwrap_or(Role::Staff)
}

/// Logs an internal fault once and hides it from the browser.
pub(crate) fn internal<E: Display>(doing: &'static str) -> impl FnOnce(E) -> AppError {
    move |error| {
        tracing::error!(%error, "could not {doing}");
        AppError::Internal
    }
}

#[async_trait]
impl Backend for Staffgate {
    async fn auth_state(&self, cx: &RequestContext) -> Result<AuthState, AppError> {
        self.current_auth_state(cx).await
    }

    async fn sign_in(
        &self,
        cx: &RequestContext,
        username: String,
        password: String,
    ) -> Result<SignInNext, AppError> {
        self.sign_in_with_password(cx, username, password).await
    }

    async fn verify_code(&self, cx: &RequestContext, code: String) -> Result<(), AppError> {
        self.complete_sign_in(cx, code).await
    }

    async fn cancel_sign_in(&self, cx: &RequestContext) -> Result<(), AppError> {
        session::end(&cx.session).await
    }

    async fn sign_out(&self, cx: &RequestContext) -> Result<(), AppError> {
        session::end(&cx.session).await
    }

    async fn account(&self, cx: &RequestContext) -> Result<AccountView, AppError> {
        self.account_view(cx).await
    }

    async fn setup(&self, cx: &RequestContext) -> Result<SetupView, AppError> {
        self.setup_view(cx).await
    }

    async fn generate_secret(&self, cx: &RequestContext) -> Result<(), AppError> {
        self.start_enrollment(cx).await
    }

    async fn confirm_enrollment(&self, cx: &RequestContext, code: String) -> Result<(), AppError> {
        self.finish_enrollment(cx, code).await
    }

    async fn disable_own(&self, cx: &RequestContext, code: String) -> Result<(), AppError> {
        self.disable_own_two_factor(cx, code).await
    }

    async fn list_users(&self, cx: &RequestContext) -> Result<Vec<UserRow>, AppError> {
        self.user_rows(cx).await
    }

    async fn admin_disable(
        &self,
        cx: &RequestContext,
        user_id: i64,
        reason: String,
        password: String,
    ) -> Result<(), AppError> {
        self.disable_for_user(cx, user_id, reason, password).await
    }

    async fn notifications(&self, cx: &RequestContext) -> Result<Vec<NotificationRow>, AppError> {
        self.notification_rows(cx).await
    }

    async fn settings(&self, cx: &RequestContext) -> Result<InstallationSettings, AppError> {
        self.installation_settings(cx).await
    }

    async fn update_settings(
        &self,
        cx: &RequestContext,
        settings: InstallationSettings,
    ) -> Result<(), AppError> {
        self.change_settings(cx, settings).await
    }

    async fn token_inventory(&self, cx: &RequestContext) -> Result<TokensView, AppError> {
        self.tokens_view(cx).await
    }

    async fn import_tokens(
        &self,
        cx: &RequestContext,
        upload: TokenUpload,
    ) -> Result<ImportSummary, AppError> {
        self.import_upload(cx, upload).await
    }

    async fn assign_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        username: String,
    ) -> Result<(), AppError> {
        let action = TokenAction::Assign { username };
        self.token_action(cx, token_id, action).await
    }

    async fn activate_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        code: String,
    ) -> Result<(), AppError> {
        let action = TokenAction::Activate { code };
        self.token_action(cx, token_id, action).await
    }

    async fn remove_token(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError> {
        self.token_action(cx, token_id, TokenAction::Remove).await
    }

    async fn remove_app_credential(
        &self,
        cx: &RequestContext,
        user_id: i64,
    ) -> Result<(), AppError> {
        self.remove_app_of(cx, user_id).await
    }

    async fn return_token(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError> {
        self.token_action(cx, token_id, TokenAction::Return).await
    }

    async fn reset_token_drift(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError> {
        self.token_action(cx, token_id, TokenAction::ResetDrift)
            .await
    }

    async fn resync_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        first_code: String,
        second_code: String,
    ) -> Result<(), AppError> {
        let action = TokenAction::Resync {
            first: first_code,
            second: second_code,
        };
        self.token_action(cx, token_id, action).await
    }

    async fn own_tokens(&self, cx: &RequestContext) -> Result<Vec<AssignedToken>, AppError> {
        self.own_token_list(cx).await
    }

    async fn activate_own_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        code: String,
    ) -> Result<(), AppError> {
        self.activate_own(cx, token_id, code).await
    }
}
