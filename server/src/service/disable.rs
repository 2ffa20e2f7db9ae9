//! Turning a user's two-factor off: by the user, by an admin, or from the command line.
//!
//! All three do the same in one transaction: delete the user's credentials (app secrets and
//! hardware tokens alike) and any pending secret (deleted, not flagged), revoke every hardware
//! token assigned to the user (it keeps the user on record until an admin returns it to stock,
//! so a lost token is not handed out again by mistake), end the user's sessions when someone
//! else acted, append the permanent log entry, and queue the mail to the user. The mail goes
//! out right after commit.

use crate::db::notifications::{self, Actor, Entry, Event};
use crate::db::{Db, credentials, now_ms, outbox, sessions, tokens, users};
use crate::mail::Mailer;
use crate::mail::messages::{self, DisabledBy};
use crate::when::format_utc;

/// The longest reason kept in the log and sent in the mail, from the web or the command line.
pub const MAX_REASON_CHARS: usize = 500;

/// Who is turning two-factor off, and why.
#[derive(Debug, Clone)]
pub struct DisableRequest<'a> {
    pub user_id: i64,
    pub actor: &'a Actor,
    /// True when the user turns off their own two-factor (with a current code).
    pub by_user: bool,
    pub reason: Option<&'a str>,
    pub client_addr: Option<&'a str>,
}

/// Why two-factor could not be turned off.
#[derive(Debug, thiserror::Error)]
pub enum DisableError {
    #[error("there is no such user")]
    UnknownUser,
    #[error("two-factor authentication is already off for {0}")]
    AlreadyOff(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Turns off the user's two-factor in one transaction and wakes the mailer.
/// Returns the username.
pub async fn disable_two_factor(
    db: &Db,
    mailer: &Mailer,
    request: DisableRequest<'_>,
) -> Result<String, DisableError> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;

    let user = users::by_id(&mut *tx, request.user_id)
        .await?
        .ok_or(DisableError::UnknownUser)?;
    let removed = credentials::delete_for_user(&mut *tx, user.id, None).await?;
    if removed == 0 {
        return Err(DisableError::AlreadyOff(user.username));
    }
    credentials::delete_pending(&mut *tx, user.id).await?;
    let mut revoked = tokens::revoke_for_user(&mut *tx, user.id).await?;
    revoked.sort();
    let detail =
        (!revoked.is_empty()).then(|| format!("hardware tokens revoked: {}", revoked.join(", ")));
    let ended_sessions = if request.by_user {
        0
    } else {
        sessions::delete_for_user(&mut *tx, user.id).await?
    };

    let event = match (request.by_user, request.actor) {
        (true, _) => Event::TwoFactorDisabledByUser,
        (false, Actor::CommandLine) => Event::TwoFactorDisabledFromCommandLine,
        (false, _) => Event::TwoFactorDisabledByAdmin,
    };
    let entry = Entry {
        event,
        actor: request.actor,
        subject: Some((user.id, &user.username)),
        client_addr: request.client_addr,
        reason: request.reason,
        detail: detail.as_deref(),
    };
    notifications::append(&mut *tx, entry, now).await?;

    let by = match request.actor {
        _ if request.by_user => DisabledBy::User,
        Actor::User { username, .. } => DisabledBy::Admin {
            username,
            client_addr: request.client_addr,
        },
        Actor::CommandLine | Actor::System => DisabledBy::CommandLine,
    };
    let draft = messages::two_factor_disabled(&user.username, &format_utc(now), by, request.reason);
    outbox::enqueue(&mut *tx, &user.email, &draft.subject, &draft.body, now).await?;

    tx.commit().await?;
    mailer.wake();
    tracing::info!(
        user.id = user.id,
        event = event.as_str(),
        credentials = removed,
        tokens_revoked = revoked.len(),
        sessions = ended_sessions,
        "two-factor turned off"
    );
    Ok(user.username)
}
