//! Reading the inventory: the admin table, and a user's tokens waiting for their first code.

use staffgate_app::api::token_types::{AssignedToken, TokenRow, TokenState as ShownState};
use staffgate_app::error::AppError;
use staffgate_core::clock::words::describe_drift_short;

use crate::db::tokens::{self, SqlTokenListing, TokenState};
use crate::db::{Db, credentials};
use crate::service::internal;
use crate::when::format_utc;

/// Every token, by serial.
pub async fn token_rows(db: &Db) -> Result<Vec<TokenRow>, AppError> {
    let rows = tokens::list(db.pool())
        .await
        .map_err(internal("list tokens"))?;
    rows.into_iter().map(token_row).collect()
}

/// The tokens assigned to `user_id` that wait for their first code.
pub async fn assigned_tokens(db: &Db, user_id: i64) -> Result<Vec<AssignedToken>, AppError> {
    let rows = tokens::assigned_to(db.pool(), user_id)
        .await
        .map_err(internal("list a user's tokens"))?;
    Ok(rows
        .into_iter()
        .map(|row| AssignedToken {
            id: row.id,
            serial: row.serial,
            digits: u8::try_from(row.digits).unwrap_or(6),
        })
        .collect())
}

fn token_row(row: SqlTokenListing) -> Result<TokenRow, AppError> {
    let state =
        TokenState::parse(&row.state).ok_or_else(|| internal("read a token state")(&row.state))?;
    let period_secs = u32::try_from(row.period).unwrap_or(30);
    let maker = [row.manufacturer, row.model]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(TokenRow {
        id: row.id,
        serial: row.serial,
        maker,
        algorithm: row.algorithm,
        digits: u8::try_from(row.digits).unwrap_or(6),
        period_secs,
        state: match state {
            TokenState::InStock => ShownState::InStock,
            TokenState::Assigned => ShownState::Assigned,
            TokenState::Active => ShownState::Active,
            TokenState::Revoked => ShownState::Revoked,
        },
        user: row.username,
        user_id: row.user_id,
        holder_has_app: row.holder_apps > 0,
        last_used: row.last_used_at.map(format_utc),
        drift: row.drift_base_secs.map(|base_secs| {
            let policy = credentials::token_drift(row.drift_lo_secs, row.drift_hi_secs, base_secs);
            describe_drift_short(policy.shown_secs())
        }),
        warnings: row
            .warnings
            .map(|text| text.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
    })
}
