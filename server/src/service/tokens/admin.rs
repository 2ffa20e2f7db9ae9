//! The web side of hardware tokens: each method checks who is asking (an admin, or the
//! token's own user) and hands over to [`TokenDesk`].

use staffgate_app::api::token_types::{AssignedToken, ImportSummary, TokenUpload, TokensView};
use staffgate_app::error::AppError;
use staffgate_app::ssr::RequestContext;
use staffgate_core::import::PskcKey;

use super::TokenDesk;
use super::inventory::{assigned_tokens, token_rows};
use crate::db::notifications::Actor;
use crate::db::now_ms;
use crate::db::users::SqlUser;
use crate::service::{Staffgate, internal};

/// The session key of the last import report, shown on the inventory page after a redirect.
const LAST_IMPORT_KEY: &str = "last_token_import";

/// What a token action is asked to do.
pub(crate) enum TokenAction {
    Assign { username: String },
    Activate { code: String },
    Remove,
    Return,
    ResetDrift,
    Resync { first: String, second: String },
}

impl Staffgate {
    /// The inventory page: every token, and this session's last import report.
    pub(crate) async fn tokens_view(&self, cx: &RequestContext) -> Result<TokensView, AppError> {
        self.admin(cx).await?;
        let last_import = cx
            .session
            .get::<ImportSummary>(LAST_IMPORT_KEY)
            .await
            .map_err(internal("read a session"))?;
        Ok(TokensView {
            tokens: token_rows(&self.db).await?,
            last_import,
        })
    }

    /// Imports an uploaded seed file and keeps the report (or the refusal) in the session.
    pub(crate) async fn import_upload(
        &self,
        cx: &RequestContext,
        mut upload: TokenUpload,
    ) -> Result<ImportSummary, AppError> {
        let admin = self.admin(cx).await?;
        let actor = actor_of(&admin);
        let desk = self.desk(&actor, cx);
        let result = match key_of(&upload) {
            Ok(key) => {
                let data = std::mem::take(&mut upload.data);
                desk.import(upload.file_name.as_deref(), data, key).await
            }
            Err(error) => Err(error),
        };

        let kept = match &result {
            Ok(summary) => Some(summary.clone()),
            Err(AppError::Invalid(message) | AppError::Conflict(message)) => Some(ImportSummary {
                file_name: upload.file_name.clone(),
                file_error: Some(message.clone()),
                lines: Vec::new(),
            }),
            Err(_) => None,
        };
        if let Some(kept) = kept {
            cx.session
                .insert(LAST_IMPORT_KEY, kept)
                .await
                .map_err(internal("keep an import report"))?;
        }
        result
    }

    /// Assigns, activates, removes, returns or re-centres a token, as an admin.
    pub(crate) async fn token_action(
        &self,
        cx: &RequestContext,
        token_id: i64,
        action: TokenAction,
    ) -> Result<(), AppError> {
        let admin = self.admin(cx).await?;
        let actor = actor_of(&admin);
        let desk = self.desk(&actor, cx);
        match action {
            TokenAction::Assign { username } => desk.assign(token_id, &username).await,
            TokenAction::Activate { code } => desk.activate(token_id, &code, None).await.map(drop),
            TokenAction::Remove => desk.remove(token_id).await,
            TokenAction::Return => desk.return_to_stock(token_id).await,
            TokenAction::ResetDrift => desk.reset_drift(token_id).await,
            TokenAction::Resync { first, second } => desk.resync(token_id, &first, &second).await,
        }
    }

    /// The signed-in user's tokens that wait for their first code.
    pub(crate) async fn own_token_list(
        &self,
        cx: &RequestContext,
    ) -> Result<Vec<AssignedToken>, AppError> {
        let user = self.signed_in(cx).await?;
        assigned_tokens(&self.db, user.id).await
    }

    /// Activates one of the signed-in user's own assigned tokens.
    pub(crate) async fn activate_own(
        &self,
        cx: &RequestContext,
        token_id: i64,
        code: String,
    ) -> Result<(), AppError> {
        let user = self.signed_in(cx).await?;
        let actor = actor_of(&user);
        let desk = self.desk(&actor, cx);
        let activation = desk.activate(token_id, &code, Some(user.id));
        // The user's code counts like any other; a token that is not theirs to activate is
        // refused before any code is checked, and that refusal is not counted.
        let waiting = assigned_tokens(&self.db, user.id).await?;
        if !waiting.iter().any(|token| token.id == token_id) {
            return activation.await.map(drop);
        }
        self.with_code_attempt(&user, now_ms(), activation)
            .await
            .map(drop)
    }

    fn desk<'a>(&'a self, actor: &'a Actor, cx: &'a RequestContext) -> TokenDesk<'a> {
        TokenDesk {
            db: &self.db,
            secrets: &self.secrets,
            actor,
            client_addr: cx.client_addr.as_deref(),
        }
    }
}

fn actor_of(user: &SqlUser) -> Actor {
    Actor::User {
        id: user.id,
        username: user.username.clone(),
    }
}

/// The key typed on the import form: a pre-shared key in hex, a password, or neither.
fn key_of(upload: &TokenUpload) -> Result<Option<PskcKey>, AppError> {
    let psk_hex = upload.psk_hex.trim();
    match (psk_hex.is_empty(), upload.password.is_empty()) {
        (true, true) => Ok(None),
        (false, false) => Err(AppError::Invalid(
            "Nothing was imported: enter either a pre-shared key or a password, not both.".into(),
        )),
        (false, true) => PskcKey::pre_shared_from_hex(psk_hex)
            .map(Some)
            .ok_or_else(|| {
                AppError::Invalid(
                    "Nothing was imported: the pre-shared key must be written in hexadecimal \
                     digits, two per byte."
                        .into(),
                )
            }),
        (true, false) => Ok(Some(PskcKey::Password(upload.password.clone()))),
    }
}
