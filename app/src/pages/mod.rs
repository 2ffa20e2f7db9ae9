//! One module per route.

pub mod account;
pub mod admin_notifications;
pub mod admin_settings;
pub mod admin_tokens;
pub mod admin_users;
pub mod clock;
pub mod home;
pub mod login;
pub mod not_found;
pub mod setup;
