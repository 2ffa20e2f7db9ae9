//! The append-only `notifications` table behind "System Notifications".
//!
//! This module only inserts and reads; the database refuses updates and deletes by trigger.

use sqlx::{Any, Executor, FromRow};

/// What happened, as stored in the `event` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    UserCreated,
    TwoFactorEnabled,
    TwoFactorDisabledByUser,
    TwoFactorDisabledByAdmin,
    TwoFactorDisabledFromCommandLine,
    SignInThrottled,
    TokensImported,
    TokenFileRefused,
    TokenAssigned,
    TokenActivated,
    TokenRemoved,
    TokenReturnedToStock,
    TokenDriftReset,
    TokenResynced,
    AppCredentialRemoved,
}

impl Event {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserCreated => "user_created",
            Self::TwoFactorEnabled => "two_factor_enabled",
            Self::TwoFactorDisabledByUser => "two_factor_disabled_by_user",
            Self::TwoFactorDisabledByAdmin => "two_factor_disabled_by_admin",
            Self::TwoFactorDisabledFromCommandLine => "two_factor_disabled_from_command_line",
            Self::SignInThrottled => "sign_in_throttled",
            Self::TokensImported => "tokens_imported",
            Self::TokenFileRefused => "token_file_refused",
            Self::TokenAssigned => "token_assigned",
            Self::TokenActivated => "token_activated",
            Self::TokenRemoved => "token_removed",
            Self::TokenReturnedToStock => "token_returned_to_stock",
            Self::TokenDriftReset => "token_drift_reset",
            Self::TokenResynced => "token_resynced",
            Self::AppCredentialRemoved => "app_credential_removed",
        }
    }

    /// The words shown in the log for a stored name.
    pub fn describe(stored: &str) -> String {
        let words = match stored {
            "user_created" => "User created",
            "two_factor_enabled" => "Two-factor authentication turned on",
            "two_factor_disabled_by_user" => "Two-factor authentication turned off by the user",
            "two_factor_disabled_by_admin" => "Two-factor authentication turned off by an admin",
            "two_factor_disabled_from_command_line" => {
                "Two-factor authentication turned off from the command line"
            }
            "sign_in_throttled" => "Sign-in throttled after wrong codes",
            "tokens_imported" => "Hardware tokens imported",
            "token_file_refused" => "Hardware token file refused",
            "token_assigned" => "Hardware token assigned",
            "token_activated" => "Hardware token activated",
            "token_removed" => "Hardware token removed from user",
            "token_returned_to_stock" => "Hardware token returned to stock",
            "token_drift_reset" => "Hardware token drift reset",
            "token_resynced" => "Hardware token resynchronised",
            "app_credential_removed" => "Authenticator app removed from user",
            other => return other.replace('_', " "),
        };
        words.to_owned()
    }
}

/// Who caused an entry: a signed-in user, or the server's command line.
#[derive(Debug, Clone)]
pub enum Actor {
    User {
        id: i64,
        username: String,
    },
    CommandLine,
    /// The system itself (for example, a throttle after wrong codes).
    System,
}

impl Actor {
    fn columns(&self) -> (Option<i64>, &str) {
        match self {
            Self::User { id, username } => (Some(*id), username.as_str()),
            Self::CommandLine => (None, "command line"),
            Self::System => (None, "Staffgate"),
        }
    }
}

/// A new log entry.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub event: Event,
    pub actor: &'a Actor,
    pub subject: Option<(i64, &'a str)>,
    pub client_addr: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub detail: Option<&'a str>,
}

/// A stored entry.
#[derive(Debug, Clone, FromRow)]
pub struct SqlNotification {
    pub id: i64,
    pub created_at: i64,
    pub event: String,
    pub actor: String,
    pub subject: Option<String>,
    pub client_addr: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
}

/// Appends an entry.
pub async fn append<'e>(
    db: impl Executor<'e, Database = Any>,
    entry: Entry<'_>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let (actor_id, actor) = entry.actor.columns();
    sqlx::query(
        "INSERT INTO notifications (created_at, event, actor_user_id, actor, subject_user_id, \
                                    subject, client_addr, reason, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(now_ms)
    .bind(entry.event.as_str())
    .bind(actor_id)
    .bind(actor)
    .bind(entry.subject.map(|(id, _)| id))
    .bind(entry.subject.map(|(_, name)| name))
    .bind(entry.client_addr)
    .bind(entry.reason)
    .bind(entry.detail)
    .execute(db)
    .await?;
    Ok(())
}

/// The newest `limit` entries, newest first.
pub async fn newest<'e>(
    db: impl Executor<'e, Database = Any>,
    limit: i64,
) -> Result<Vec<SqlNotification>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, created_at, event, actor, subject, client_addr, reason, detail \
         FROM notifications ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}
