//! The Account page and two-factor setup.

use leptos::prelude::*;

use crate::api::types::{AccountView, SetupView};
use crate::error::AppError;

/// The signed-in user's account.
#[server(endpoint = "account")]
pub async fn account() -> Result<AccountView, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.account(&cx).await)
}

/// The setup page's state, including a secret still waiting for its first code.
#[server(endpoint = "setup")]
pub async fn setup() -> Result<SetupView, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.setup(&cx).await)
}

/// Makes a new secret to set up; the active one (if any) stays until the new one is confirmed.
#[server(endpoint = "generate_secret")]
pub async fn generate_secret() -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.generate_secret(&cx).await)?;
    crate::ssr::redirect("/account/two-factor");
    Ok(())
}

/// Turns two-factor on with the secret being set up, given a current code from it.
#[server(endpoint = "confirm_enrollment")]
pub async fn confirm_enrollment(code: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.confirm_enrollment(&cx, code).await)?;
    crate::ssr::redirect("/account");
    Ok(())
}

/// Turns the user's own two-factor off, given a current code.
#[server(endpoint = "disable_own_two_factor")]
pub async fn disable_own_two_factor(code: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.disable_own(&cx, code).await)?;
    crate::ssr::redirect("/account");
    Ok(())
}
