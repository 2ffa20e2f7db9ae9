//! What a browser session records about sign-in.
//!
//! A session is in one of two stages: `code` after a correct password for a user with
//! two-factor on (it reaches nothing but the code step), and `full` once signed in. The session
//! id changes at both steps, so an id seen before sign-in is worth nothing after it.

use serde::{Deserialize, Serialize};
use staffgate_app::error::AppError;
use tower_sessions::Session;

use crate::db::sessions::USER_ID_KEY;
use crate::service::internal;

const STAGE_KEY: &str = "stage";
const CODE_STEP_SINCE_KEY: &str = "code_step_since_ms";
const FAILED_CODES_KEY: &str = "failed_codes_at_password";

/// How long the code step waits after the password before the password is needed again.
pub const CODE_STEP_TIMEOUT_MS: i64 = 5 * 60 * 1000;

/// The sign-in stage of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Code,
    Full,
}

/// The signed-in part of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionUser {
    pub user_id: i64,
    pub stage: Stage,
    pub code_step_since_ms: Option<i64>,
    /// At the code step: the account's wrong-code count when the password was accepted, from
    /// which this pending sign-in's own tries are counted.
    pub failed_codes_at_password: Option<i64>,
}

/// Reads who the session belongs to, if anyone.
pub async fn read(session: &Session) -> Result<Option<SessionUser>, AppError> {
    let user_id: Option<i64> = session
        .get(USER_ID_KEY)
        .await
        .map_err(internal("read a session"))?;
    let stage: Option<Stage> = session
        .get(STAGE_KEY)
        .await
        .map_err(internal("read a session"))?;
    let since: Option<i64> = session
        .get(CODE_STEP_SINCE_KEY)
        .await
        .map_err(internal("read a session"))?;
    let failed_codes: Option<i64> = session
        .get(FAILED_CODES_KEY)
        .await
        .map_err(internal("read a session"))?;
    Ok(match (user_id, stage) {
        (Some(user_id), Some(stage)) => Some(SessionUser {
            user_id,
            stage,
            code_step_since_ms: since,
            failed_codes_at_password: failed_codes,
        }),
        _ => None,
    })
}

/// Starts a fresh session (new id, no old data) for `user_id`, fully signed in.
pub async fn start_signed_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    begin(session, user_id, Stage::Full).await
}

/// Starts a fresh session for `user_id` at the code step, after the password was accepted at
/// `now_ms` while the account had `failed_codes` wrong codes.
pub async fn start_code_step(
    session: &Session,
    user_id: i64,
    now_ms: i64,
    failed_codes: i64,
) -> Result<(), AppError> {
    begin(session, user_id, Stage::Code).await?;
    session
        .insert(CODE_STEP_SINCE_KEY, now_ms)
        .await
        .map_err(internal("write a session"))?;
    session
        .insert(FAILED_CODES_KEY, failed_codes)
        .await
        .map_err(internal("write a session"))
}

async fn begin(session: &Session, user_id: i64, stage: Stage) -> Result<(), AppError> {
    session
        .cycle_id()
        .await
        .map_err(internal("renew a session id"))?;
    session.clear().await;
    session
        .insert(USER_ID_KEY, user_id)
        .await
        .map_err(internal("write a session"))?;
    session
        .insert(STAGE_KEY, stage)
        .await
        .map_err(internal("write a session"))
}

/// Ends the session on the server and in the browser.
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(internal("end a session"))
}
