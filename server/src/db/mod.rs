//! Storage: one `Db` over SQLite (the embedded default) or PostgreSQL.
//!
//! Queries use sqlx's `Any` driver with `$n` placeholders, which both databases accept, so
//! every query is written once. Each table has its own module of plain functions that take an
//! executor (a pool or an open transaction), which is what lets a flow such as "turn off
//! two-factor" delete, log and queue mail in one transaction.

pub mod credentials;
pub mod notifications;
pub mod outbox;
pub mod sessions;
pub mod settings;
pub mod tokens;
pub mod users;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};

/// The database engine behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection pool and the engine it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
}

/// A failure to open or migrate the database.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, not {0:?}")]
    UnknownScheme(String),
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl Db {
    /// Connects to `url` and applies any migrations the database has not seen yet.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            let scheme = url.split(':').next().unwrap_or_default().to_owned();
            return Err(OpenError::UnknownScheme(scheme));
        };

        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let options = match engine {
            // WAL lets readers work while one connection writes; writers queue on the busy
            // timeout because every write transaction starts with BEGIN IMMEDIATE.
            Engine::Sqlite => options.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            }),
            Engine::Postgres => options.max_connections(16),
        };
        let pool = options.connect(url).await.map_err(OpenError::Connect)?;

        let migrator = match engine {
            Engine::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator.run(&pool).await.map_err(OpenError::Migrate)?;

        Ok(Self { pool, engine })
    }

    /// The pool, for single statements outside a transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine this database runs on.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock up front, so two
    /// writers queue instead of failing when one upgrades a read lock.
    pub async fn begin_write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }
}

/// The current time as the database stores it: Unix milliseconds.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map_or(0, |elapsed| {
        i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
    })
}

/// True when `error` is a violation of the named unique constraint.
pub fn is_unique_violation(error: &sqlx::Error, constraint: &str, column: &str) -> bool {
    let Some(db_error) = error.as_database_error() else {
        return false;
    };
    if !db_error.is_unique_violation() {
        return false;
    }
    // PostgreSQL names the constraint; SQLite only names the column in its message.
    db_error.constraint() == Some(constraint) || db_error.message().contains(column)
}
