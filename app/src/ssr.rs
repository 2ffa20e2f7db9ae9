//! The seam between the user interface and the server.
//!
//! Server functions are thin adapters: they gather the request context, call one method of
//! [`Backend`], and turn its error into a response. The server crate implements `Backend` with
//! its storage, mail and policy; tests and later front ends (a validation API, forward-auth)
//! use the same implementation.

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::{HeaderMap, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use tower_sessions::Session;

use crate::api::token_types::{AssignedToken, ImportSummary, TokenUpload, TokensView};
use crate::api::types::{
    AccountView, AuthState, InstallationSettings, NotificationRow, SetupView, UserRow,
};
use crate::error::AppError;

/// The network address a request came from, as the server decided to trust it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

/// What a server function knows about the request it serves.
#[derive(Clone)]
pub struct RequestContext {
    pub session: Session,
    pub client_addr: Option<String>,
}

/// What comes after a correct password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInNext {
    /// Signed in fully (two-factor is off for this user).
    SignedIn,
    /// A current code is needed.
    CodeRequired,
}

/// Everything the UI asks of the server.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    async fn auth_state(&self, cx: &RequestContext) -> Result<AuthState, AppError>;
    async fn sign_in(
        &self,
        cx: &RequestContext,
        username: String,
        password: String,
    ) -> Result<SignInNext, AppError>;
    async fn verify_code(&self, cx: &RequestContext, code: String) -> Result<(), AppError>;
    async fn cancel_sign_in(&self, cx: &RequestContext) -> Result<(), AppError>;
    async fn sign_out(&self, cx: &RequestContext) -> Result<(), AppError>;

    async fn account(&self, cx: &RequestContext) -> Result<AccountView, AppError>;
    async fn setup(&self, cx: &RequestContext) -> Result<SetupView, AppError>;
    async fn generate_secret(&self, cx: &RequestContext) -> Result<(), AppError>;
    async fn confirm_enrollment(&self, cx: &RequestContext, code: String) -> Result<(), AppError>;
    async fn disable_own(&self, cx: &RequestContext, code: String) -> Result<(), AppError>;

    async fn list_users(&self, cx: &RequestContext) -> Result<Vec<UserRow>, AppError>;
    async fn admin_disable(
        &self,
        cx: &RequestContext,
        user_id: i64,
        reason: String,
        password: String,
    ) -> Result<(), AppError>;
    async fn notifications(&self, cx: &RequestContext) -> Result<Vec<NotificationRow>, AppError>;
    async fn settings(&self, cx: &RequestContext) -> Result<InstallationSettings, AppError>;
    async fn update_settings(
        &self,
        cx: &RequestContext,
        settings: InstallationSettings,
    ) -> Result<(), AppError>;

    async fn token_inventory(&self, cx: &RequestContext) -> Result<TokensView, AppError>;
    async fn import_tokens(
        &self,
        cx: &RequestContext,
        upload: TokenUpload,
    ) -> Result<ImportSummary, AppError>;
    async fn assign_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        username: String,
    ) -> Result<(), AppError>;
    async fn activate_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        code: String,
    ) -> Result<(), AppError>;
    async fn remove_token(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError>;
    async fn remove_app_credential(
        &self,
        cx: &RequestContext,
        user_id: i64,
    ) -> Result<(), AppError>;
    async fn return_token(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError>;
    async fn reset_token_drift(&self, cx: &RequestContext, token_id: i64) -> Result<(), AppError>;
    async fn resync_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        first_code: String,
        second_code: String,
    ) -> Result<(), AppError>;
    async fn own_tokens(&self, cx: &RequestContext) -> Result<Vec<AssignedToken>, AppError>;
    async fn activate_own_token(
        &self,
        cx: &RequestContext,
        token_id: i64,
        code: String,
    ) -> Result<(), AppError>;
}

/// The backend the server provided as Leptos context.
pub type SharedBackend = Arc<dyn Backend>;

/// Gathers the backend and the request context for a server function.
pub async fn request() -> Result<(SharedBackend, RequestContext), AppError> {
    let Some(backend) = use_context::<SharedBackend>() else {
        tracing::error!("the server did not provide a backend to the Leptos context");
        return Err(AppError::Internal);
    };
    let session: Session = leptos_axum::extract().await.map_err(|_| {
        tracing::error!("no session layer in front of a server function");
        AppError::Internal
    })?;
    let client_addr = leptos_axum::extract::<axum::Extension<ClientAddr>>()
        .await
        .ok()
        .and_then(|addr| addr.0.0);

    Ok((
        backend,
        RequestContext {
            session,
            client_addr,
        },
    ))
}

/// Finishes a server function: errors get a fitting HTTP status unless a plain HTML form
/// posted (then Leptos redirects back to the form and shows the error there).
pub fn finish<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        let from_form = use_context::<axum::http::request::Parts>()
            .is_some_and(|parts| accepts_html(&parts.headers));
        if !from_form && let Some(response) = use_context::<ResponseOptions>() {
            let status =
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            response.set_status(status);
        }
    }
    result
}

/// Sends the browser to `path` after the server function returns.
pub fn redirect(path: &str) {
    leptos_axum::redirect(path);
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.contains("text/html"))
}
