//! Hardware tokens: the admin inventory and its actions, and a user's own tokens waiting for
//! their first code. The backend checks the role (or the holder) on every call.

use leptos::prelude::*;

use crate::api::token_types::{AssignedToken, TokensView};
use crate::error::AppError;

/// The inventory and this session's last import report.
#[server(endpoint = "token_inventory")]
pub async fn token_inventory() -> Result<TokensView, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.token_inventory(&cx).await)
}

/// Hands an in-stock token to a user; it works only after a code from it is entered.
#[server(endpoint = "assign_token")]
pub async fn assign_token(token_id: i64, username: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.assign_token(&cx, token_id, username).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Activates an assigned token with a current code from it (the admin holds the token).
#[server(endpoint = "activate_token")]
pub async fn activate_token(token_id: i64, code: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.activate_token(&cx, token_id, code).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Takes a token away from its user: its credential is deleted and the token is revoked.
#[server(endpoint = "remove_token")]
pub async fn remove_token(token_id: i64) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.remove_token(&cx, token_id).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Removes a user's authenticator app while their active hardware token stays.
#[server(endpoint = "remove_app_credential")]
pub async fn remove_app_credential(user_id: i64) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.remove_app_credential(&cx, user_id).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Puts a revoked token back in stock, ready to be handed out again.
#[server(endpoint = "return_token_to_stock")]
pub async fn return_token_to_stock(token_id: i64) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.return_token(&cx, token_id).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Centres an active token's window on the server's time again.
#[server(endpoint = "reset_token_drift")]
pub async fn reset_token_drift(token_id: i64) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.reset_token_drift(&cx, token_id).await)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// Finds an active token's clock again from two consecutive codes.
#[server(endpoint = "resync_token")]
pub async fn resync_token(
    token_id: i64,
    first_code: String,
    second_code: String,
) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    let result = backend
        .resync_token(&cx, token_id, first_code, second_code)
        .await;
    crate::ssr::finish(result)?;
    crate::ssr::redirect("/admin/tokens");
    Ok(())
}

/// The signed-in user's tokens that wait for their first code.
#[server(endpoint = "own_tokens")]
pub async fn own_tokens() -> Result<Vec<AssignedToken>, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.own_tokens(&cx).await)
}

/// Activates a token assigned to the signed-in user with a current code from it.
#[server(endpoint = "activate_own_token")]
pub async fn activate_own_token(token_id: i64, code: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.activate_own_token(&cx, token_id, code).await)?;
    crate::ssr::redirect("/account");
    Ok(())
}
