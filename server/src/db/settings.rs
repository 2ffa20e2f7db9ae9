//! The one-row `settings` table.

use sqlx::{Any, Executor, FromRow};

/// Installation settings as stored.
#[derive(Debug, Clone, FromRow)]
pub struct SqlSettings {
    pub issuer: String,
    pub algorithm: String,
    pub digits: i64,
    pub period: i64,
}

/// Reads the settings.
pub async fn get<'e>(db: impl Executor<'e, Database = Any>) -> Result<SqlSettings, sqlx::Error> {
    sqlx::query_as("SELECT issuer, algorithm, digits, period FROM settings WHERE id = 1")
        .fetch_one(db)
        .await
}

/// Replaces the settings.
pub async fn put<'e>(
    db: impl Executor<'e, Database = Any>,
    settings: &SqlSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE settings SET issuer = $1, algorithm = $2, digits = $3, period = $4 WHERE id = 1",
    )
    .bind(&settings.issuer)
    .bind(&settings.algorithm)
    .bind(settings.digits)
    .bind(settings.period)
    .execute(db)
    .await?;
    Ok(())
}
