//! Administration: users, the notification log, installation settings. Admins only; the
//! backend checks the role on every call.

use leptos::prelude::*;

use crate::api::types::{InstallationSettings, NotificationRow, UserRow};
use crate::error::AppError;

/// Every user, for "Manage System Users".
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.list_users(&cx).await)
}

/// Turns off a user's two-factor for a stated reason, after re-checking the admin's password.
#[server(endpoint = "admin_disable_two_factor")]
pub async fn admin_disable_two_factor(
    user_id: i64,
    reason: String,
    password: String,
) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.admin_disable(&cx, user_id, reason, password).await)?;
    crate::ssr::redirect("/admin/users");
    Ok(())
}

/// The System Notifications log, newest first.
#[server(endpoint = "list_notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationRow>, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.notifications(&cx).await)
}

/// The installation settings used for new enrollments.
#[server(endpoint = "installation_settings")]
pub async fn get_installation_settings() -> Result<InstallationSettings, AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    crate::ssr::finish(backend.settings(&cx).await)
}

/// Changes the installation settings; existing credentials keep theirs.
#[server(endpoint = "update_installation_settings")]
pub async fn update_installation_settings(
    issuer: String,
    algorithm: String,
    digits: u8,
    period_secs: u32,
) -> Result<(), AppError> {
    let (backend, cx) = crate::ssr::request().await?;
    let settings = InstallationSettings {
        issuer,
        algorithm,
        digits,
        period_secs,
    };
    crate::ssr::finish(backend.update_settings(&cx, settings).await)?;
    crate::ssr::redirect("/admin/settings");
    Ok(())
}
