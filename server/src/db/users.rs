//! The `users` table.

use sqlx::{Any, Executor, FromRow};

/// A user as stored. The password hash stays inside the server.
#[derive(Debug, Clone, FromRow)]
pub struct SqlUser {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub password_hash: String,
    pub last_sign_in_at: Option<i64>,
    pub failed_codes: i64,
    pub codes_blocked_until: Option<i64>,
}

/// A user row for the admin table, with whether any credential is active.
#[derive(Debug, Clone, FromRow)]
pub struct SqlUserListing {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub last_sign_in_at: Option<i64>,
    pub credentials: i64,
}

/// The last observed offset of one credential, for the admin table.
#[derive(Debug, Clone, FromRow)]
pub struct SqlDeviceClock {
    pub user_id: i64,
    /// "Authenticator app", or a hardware token's serial.
    pub label: String,
    /// The offset of the last code seen from this credential, in time steps.
    pub last_offset_steps: i64,
    /// The credential's period, to turn steps into time.
    pub period: i64,
}

const COLUMNS: &str = "id, username, email, role, password_hash, last_sign_in_at, \
                       failed_codes, codes_blocked_until";

/// The name of the unique constraint on usernames.
pub const USERNAME_KEY: &str = "users_username_key";

/// Adds a user and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
    email: &str,
    role: &str,
    password_hash: &str,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (username, email, role, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(username)
    .bind(email)
    .bind(role)
    .bind(password_hash)
    .bind(now_ms)
    .fetch_one(db)
    .await
}

/// Finds a user by username (usernames are stored in lower case).
pub async fn by_username<'e>(
    db: impl Executor<'e, Database = Any>,
    username: &str,
) -> Result<Option<SqlUser>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(db)
        .await
}

/// Finds a user by id.
pub async fn by_id<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<SqlUser>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Every user with the number of active credentials, by username.
pub async fn list<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<SqlUserListing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username, u.email, u.role, u.last_sign_in_at, \
                (SELECT COUNT(*) FROM credentials c WHERE c.user_id = u.id) AS credentials \
         FROM users u ORDER BY u.username",
    )
    .fetch_all(db)
    .await
}

/// The last observed offset of every credential that has one, by user and credential.
///
/// One row per credential rather than one per user: each credential is a device with a clock
/// of its own, and the offsets carry no time of observation to pick the latest by.
pub async fn device_clocks<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Vec<SqlDeviceClock>, sqlx::Error> {
    sqlx::query_as(
        "SELECT user_id, label, last_offset_steps, period FROM credentials \
         WHERE last_offset_steps IS NOT NULL ORDER BY user_id, id",
    )
    .fetch_all(db)
    .await
}

/// Records a completed sign-in and clears the wrong-code count.
pub async fn record_sign_in<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET last_sign_in_at = $1, failed_codes = 0, codes_blocked_until = NULL \
         WHERE id = $2",
    )
    .bind(now_ms)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Reserves a code attempt: counts it as a wrong code in advance and returns the new count,
/// unless codes are refused at `now_ms` or the count has already reached `limit` (a pending
/// sign-in's last attempt); then nothing changes and the answer is `None`.
///
/// Run it in a write transaction with [`block_codes_until`], so that parallel attempts are
/// numbered one after the other and each sees the delay the one before it earned.
pub async fn reserve_code_attempt<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now_ms: i64,
    limit: Option<i64>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE users SET failed_codes = failed_codes + 1 \
         WHERE id = $1 AND (codes_blocked_until IS NULL OR codes_blocked_until <= $2) \
             AND failed_codes < COALESCE($3, failed_codes + 1) \
         RETURNING failed_codes",
    )
    .bind(id)
    .bind(now_ms)
    .bind(limit)
    .fetch_optional(db)
    .await
}

/// Refuses codes for this user until `until_ms`.
pub async fn block_codes_until<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    until_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET codes_blocked_until = $1 WHERE id = $2")
        .bind(until_ms)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Clears the wrong-code count and any wait after a correct code.
pub async fn clear_failed_codes<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failed_codes = 0, codes_blocked_until = NULL WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
