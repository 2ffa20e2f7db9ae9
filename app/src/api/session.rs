//! Signing in and out.

use leptos::prelude::*;

use crate::api::types::AuthState;
use crate::error::AppError;

/// Where the current browser session stands.
#[server(endpoint = "auth_state")]
pub async fn get_auth_state() -> Result<AuthState, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.auth_state(&cx).await)
}

/// Checks a username and password; then either signs in or asks for a code.
#[server(endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String) -> Result<(), AppError> {
    use crate::ssr::SignInNext;

    let (backend, cx) = crate::ssr::request().await?;
    let next = crate::ssr::finish(backend.sign_in(&cx, username, password).await)?;
    match next {
        SignInNext::SignedIn => crate::ssr::redirect("/account"),
        SignInNext::CodeRequired => crate::ssr::redirect("/login"),
    }
    Ok(())
}

/// Checks the code of a pending sign-in.
#[server(endpoint = "verify_code")]
pub async fn verify_code(code: String) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.verify_code(&cx, code).await)?;
    crate::ssr::redirect("/account");
    Ok(())
}

/// Drops a pending sign-in so that someone else can sign in on this browser.
#[server(endpoint = "cancel_sign_in")]
pub async fn cancel_sign_in() -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.cancel_sign_in(&cx).await)?;
    crate::ssr::redirect("/login");
    Ok(())
}

/// Ends the session on the server.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.sign_out(&cx).await)?;
    crate::ssr::redirect("/login");
    Ok(())
}
