//! The `tokens` table: the hardware-token inventory.
//!
//! A token moves `in_stock` → `assigned` (handed to a user) → `active` (proven with a code; it
//! then has a credential row pointing back at it) → `revoked` (taken away; the user is kept for
//! the record) → `in_stock` again when an admin returns it. Every state change below names the
//! state it starts from, so two admins acting at once cannot skip a step.

use sqlx::{Any, Executor, FromRow};
use staffgate_core::import::serial_key;

/// The name of the unique constraint on serials, which holds on their folded `serial_key`
/// (ASCII letters in lower case), so no letter case can store a serial twice.
pub const SERIAL_KEY: &str = "tokens_serial_key";

/// The column SQLite names when that constraint fails.
pub const SERIAL_KEY_COLUMN: &str = "tokens.serial_key";

/// Where a token is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    InStock,
    Assigned,
    Active,
    Revoked,
}

impl TokenState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InStock => "in_stock",
            Self::Assigned => "assigned",
            Self::Active => "active",
            Self::Revoked => "revoked",
        }
    }

    /// Reads a stored name.
    pub fn parse(stored: &str) -> Option<Self> {
        match stored {
            "in_stock" => Some(Self::InStock),
            "assigned" => Some(Self::Assigned),
            "active" => Some(Self::Active),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

/// A token as stored; `secret` is sealed.
#[derive(Debug, Clone, FromRow)]
pub struct SqlToken {
    pub id: i64,
    pub serial: String,
    pub secret: Vec<u8>,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    pub state: String,
    pub user_id: Option<i64>,
}

/// A row of the inventory, with the holder's name and the credential's use and drift.
#[derive(Debug, Clone, FromRow)]
pub struct SqlTokenListing {
    pub id: i64,
    pub serial: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    pub state: String,
    pub warnings: Option<String>,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub last_used_at: Option<i64>,
    pub drift_lo_secs: Option<i64>,
    pub drift_hi_secs: Option<i64>,
    /// The credential's drift base: NULL when the token has no credential.
    pub drift_base_secs: Option<i64>,
    /// How many authenticator-app credentials the holder has (0 or 1).
    pub holder_apps: i64,
}

/// The fields of a newly imported token.
pub struct NewToken<'a> {
    pub serial: &'a str,
    pub manufacturer: Option<&'a str>,
    pub model: Option<&'a str>,
    pub sealed_secret: &'a [u8],
    pub algorithm: &'a str,
    pub digits: i64,
    pub period: i64,
    pub warnings: Option<&'a str>,
}

const COLUMNS: &str = "id, serial, secret, algorithm, digits, period, state, user_id";

/// Stores a token in stock and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    new: NewToken<'_>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO tokens (serial, serial_key, manufacturer, model, secret, algorithm, \
                             digits, period, state, imported_at, warnings) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'in_stock', $9, $10) RETURNING id",
    )
    .bind(new.serial)
    .bind(serial_key(new.serial))
    .bind(new.manufacturer)
    .bind(new.model)
    .bind(new.sealed_secret)
    .bind(new.algorithm)
    .bind(new.digits)
    .bind(new.period)
    .bind(now_ms)
    .bind(new.warnings)
    .fetch_one(db)
    .await
}

/// True when a token with this serial exists, whatever the letter case of its ASCII letters.
pub async fn serial_exists<'e>(
    db: impl Executor<'e, Database = Any>,
    serial: &str,
) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE serial_key = $1")
        .bind(serial_key(serial))
        .fetch_one(db)
        .await?;
    Ok(count > 0)
}

/// Finds a token by id.
pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<SqlToken>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Finds a token by serial, whatever the letter case of its ASCII letters.
pub async fn by_serial<'e>(
    db: impl Executor<'e, Database = Any>,
    serial: &str,
) -> Result<Option<SqlToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM tokens WHERE serial_key = $1"
    ))
    .bind(serial_key(serial))
    .fetch_optional(db)
    .await
}

/// The whole inventory, by serial.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<SqlTokenListing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT t.id, t.serial, t.manufacturer, t.model, t.algorithm, t.digits, t.period, \
                t.state, t.warnings, t.user_id, u.username, c.last_used_at, c.drift_lo_secs, \
                c.drift_hi_secs, c.drift_base_secs, \
                (SELECT COUNT(*) FROM credentials a \
                 WHERE a.user_id = t.user_id AND a.kind = 'app') AS holder_apps \
         FROM tokens t \
         LEFT JOIN users u ON u.id = t.user_id \
         LEFT JOIN credentials c ON c.token_id = t.id \
         ORDER BY t.serial",
    )
    .fetch_all(db)
    .await
}

/// The tokens assigned to a user and not yet activated, by serial.
pub async fn assigned_to<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<SqlToken>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM tokens WHERE user_id = $1 AND state = 'assigned' ORDER BY serial"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The serials of the user's active tokens, by serial.
pub async fn active_serials_of<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT serial FROM tokens WHERE user_id = $1 AND state = 'active' ORDER BY serial",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Moves a token from state `from` to state `to` with holder `user_id`; false when the token
/// was not in state `from` (any more).
pub async fn change_state<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    from: TokenState,
    to: TokenState,
    user_id: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE tokens SET state = $1, user_id = $2 WHERE id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(user_id)
            .bind(id)
            .bind(from.as_str())
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every token assigned to or active for a user (the user stays on record); returns
/// their serials.
pub async fn revoke_for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE tokens SET state = 'revoked' \
         WHERE user_id = $1 AND state IN ('assigned', 'active') RETURNING serial",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}
