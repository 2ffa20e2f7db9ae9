//! The `credentials` and `pending_enrollments` tables.

use sqlx::{Any, Executor, FromRow};
use staffgate_core::otp::{DriftInterval, DriftPolicy};

/// An active credential; `secret` is still sealed.
#[derive(Debug, Clone, FromRow)]
pub struct SqlCredential {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub label: String,
    pub secret: Vec<u8>,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
    pub last_step: Option<i64>,
    /// The learned drift interval `[lo, hi)` in seconds, both NULL while nothing is learned.
    pub drift_lo_secs: Option<i64>,
    pub drift_hi_secs: Option<i64>,
    /// The centre an admin last set; automatic learning stays within 10 minutes of it.
    pub drift_base_secs: i64,
}

/// A secret waiting for its first code; `secret` is sealed.
#[derive(Debug, Clone, FromRow)]
pub struct SqlPending {
    pub secret: Vec<u8>,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
}

/// The fields of a new credential.
pub struct NewCredential<'a> {
    pub user_id: i64,
    pub kind: &'a str,
    pub label: &'a str,
    pub sealed_secret: &'a [u8],
    pub algorithm: &'a str,
    pub digits: i64,
    pub period: i64,
    /// The step of the code that confirmed it, so that code cannot sign in as well.
    pub last_step: Option<i64>,
}

/// The user's active credentials, oldest first.
pub async fn for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Vec<SqlCredential>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, kind, label, secret, algorithm, digits, period, last_step, \
                drift_lo_secs, drift_hi_secs, drift_base_secs \
         FROM credentials WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// How many active credentials the user has.
pub async fn count_for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM credentials WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// Stores a new credential and returns its id.
pub async fn insert<'e>(
    db: impl Executor<'e, Database = Any>,
    new: NewCredential<'_>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO credentials \
             (user_id, kind, label, secret, algorithm, digits, period, last_step, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.label)
    .bind(new.sealed_secret)
    .bind(new.algorithm)
    .bind(new.digits)
    .bind(new.period)
    .bind(new.last_step)
    .bind(now_ms)
    .fetch_one(db)
    .await
}

/// Reads a stored drift interval; a damaged pair (one bound missing, or empty) counts as
/// nothing learned, so the window falls back on the base.
pub fn drift_interval(lo_secs: Option<i64>, hi_secs: Option<i64>) -> Option<DriftInterval> {
    DriftInterval::new(lo_secs?, hi_secs?)
}

/// The window policy of a hardware token from its stored drift columns.
pub fn token_drift(lo_secs: Option<i64>, hi_secs: Option<i64>, base_secs: i64) -> DriftPolicy {
    DriftPolicy::Learned {
        learned: drift_interval(lo_secs, hi_secs),
        base_secs,
    }
}

/// Accepts time step `step` for a credential if no step at or after it was accepted before,
/// recording the offset it matched and the drift learned from it (`None`: nothing learned).
///
/// This single conditional UPDATE is the replay guard: of any number of concurrent requests
/// carrying the same code, exactly one sees `true`.
pub async fn accept_step<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    step: i64,
    offset_steps: i64,
    drift: Option<DriftInterval>,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE credentials \
         SET last_step = $1, last_offset_steps = $2, drift_lo_secs = $3, drift_hi_secs = $4, \
             last_used_at = $5 \
         WHERE id = $6 AND (last_step IS NULL OR last_step < $1)",
    )
    .bind(step)
    .bind(offset_steps)
    .bind(drift.map(|drift| drift.lo_secs()))
    .bind(drift.map(|drift| drift.hi_secs()))
    .bind(now_ms)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Remembers the offset of a refused code that matched a nearby time step.
pub async fn record_offset<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    offset_steps: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE credentials SET last_offset_steps = $1 WHERE id = $2")
        .bind(offset_steps)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes every credential of the user of the given kind (or all kinds); returns how many.
pub async fn delete_for_user<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    kind: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = match kind {
        Some(kind) => {
            sqlx::query("DELETE FROM credentials WHERE user_id = $1 AND kind = $2")
                .bind(user_id)
                .bind(kind)
                .execute(db)
                .await?
        }
        None => {
            sqlx::query("DELETE FROM credentials WHERE user_id = $1")
                .bind(user_id)
                .execute(db)
                .await?
        }
    };
    Ok(done.rows_affected())
}

/// Stores (or replaces) the user's pending secret.
pub async fn put_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    sealed_secret: &[u8],
    algorithm: &str,
    digits: i64,
    period: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO pending_enrollments (user_id, secret, algorithm, digits, period, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
             algorithm = excluded.algorithm, digits = excluded.digits, \
             period = excluded.period, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(sealed_secret)
    .bind(algorithm)
    .bind(digits)
    .bind(period)
    .bind(now_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// The user's pending secret, if any.
pub async fn pending<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<Option<SqlPending>, sqlx::Error> {
    sqlx::query_as(
        "SELECT secret, algorithm, digits, period FROM pending_enrollments WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Forgets the user's pending secret.
pub async fn delete_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM pending_enrollments WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The credential of an active hardware token, with the fields a drift change needs.
#[derive(Debug, Clone, FromRow)]
pub struct SqlTokenCredential {
    pub id: i64,
    pub user_id: i64,
    pub last_step: Option<i64>,
    pub drift_lo_secs: Option<i64>,
    pub drift_hi_secs: Option<i64>,
    pub drift_base_secs: i64,
}

/// Stores the credential of a hardware token that has just been activated, with the drift its
/// activating code showed.
pub async fn insert_for_token<'e>(
    db: impl Executor<'e, Database = Any>,
    new: NewCredential<'_>,
    token_id: i64,
    drift: Option<DriftInterval>,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO credentials (user_id, kind, label, secret, algorithm, digits, period, \
                                  last_step, drift_lo_secs, drift_hi_secs, token_id, \
                                  created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(new.user_id)
    .bind(new.kind)
    .bind(new.label)
    .bind(new.sealed_secret)
    .bind(new.algorithm)
    .bind(new.digits)
    .bind(new.period)
    .bind(new.last_step)
    .bind(drift.map(|drift| drift.lo_secs()))
    .bind(drift.map(|drift| drift.hi_secs()))
    .bind(token_id)
    .bind(now_ms)
    .fetch_one(db)
    .await
}

/// The credential of a hardware token, if the token is active.
pub async fn for_token<'e>(
    db: impl Executor<'e, Database = Any>,
    token_id: i64,
) -> Result<Option<SqlTokenCredential>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, user_id, last_step, drift_lo_secs, drift_hi_secs, drift_base_secs \
         FROM credentials WHERE token_id = $1",
    )
    .bind(token_id)
    .fetch_optional(db)
    .await
}

/// Deletes the credential of a hardware token; returns how many rows went (0 or 1).
pub async fn delete_for_token<'e>(
    db: impl Executor<'e, Database = Any>,
    token_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM credentials WHERE token_id = $1")
        .bind(token_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Sets a credential's learned drift and the base automatic learning is bounded around (an
/// admin's reset or resync) and, when given, its last used step. The last used step never goes
/// down: a resync that finds a token behind cannot make codes already used valid again.
pub async fn set_drift<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    drift: Option<DriftInterval>,
    base_secs: i64,
    last_step: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE credentials SET drift_lo_secs = $1, drift_hi_secs = $2, drift_base_secs = $3, \
             last_step = COALESCE(CASE WHEN last_step > $4 THEN last_step ELSE $4 END, \
                                  last_step) \
         WHERE id = $5",
    )
    .bind(drift.map(|drift| drift.lo_secs()))
    .bind(drift.map(|drift| drift.hi_secs()))
    .bind(base_secs)
    .bind(last_step)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}
