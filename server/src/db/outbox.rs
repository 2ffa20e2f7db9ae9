//! The `outbox` table: mail written with the change it reports, sent later by the mailer.

use sqlx::{Any, Executor, FromRow};

/// A message to send.
#[derive(Debug, Clone, FromRow)]
pub struct SqlMessage {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
}

/// Queues a message for sending as soon as possible.
pub async fn enqueue<'e>(
    db: impl Executor<'e, Database = Any>,
    recipient: &str,
    subject: &str,
    body_text: &str,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outbox (created_at, recipient, subject, body_text, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $1)",
    )
    .bind(now_ms)
    .bind(recipient)
    .bind(subject)
    .bind(body_text)
    .execute(db)
    .await?;
    Ok(())
}

/// Ids of unsent messages whose next attempt is due, oldest first.
pub async fn due<'e>(
    db: impl Executor<'e, Database = Any>,
    now_ms: i64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY id LIMIT $2",
    )
    .bind(now_ms)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Claims a message for `lease_ms`; `None` when another sender got it first.
pub async fn claim<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now_ms: i64,
    lease_ms: i64,
) -> Result<Option<SqlMessage>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE outbox SET claimed_until = $1 \
         WHERE id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3) \
         RETURNING id, recipient, subject, body_text, attempts",
    )
    .bind(now_ms + lease_ms)
    .bind(id)
    .bind(now_ms)
    .fetch_optional(db)
    .await
}

/// Marks a message as sent.
pub async fn mark_sent<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, \
             last_error = NULL \
         WHERE id = $2",
    )
    .bind(now_ms)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn mark_failed<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    error: &str,
    retry_at_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, claimed_until = NULL, last_error = $1, \
             next_attempt_at = $2 \
         WHERE id = $3",
    )
    .bind(error)
    .bind(retry_at_ms)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// The time of the earliest unsent message's next attempt, to know how long to sleep.
pub async fn next_attempt_at<'e>(
    db: impl Executor<'e, Database = Any>,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(db)
        .await
}
