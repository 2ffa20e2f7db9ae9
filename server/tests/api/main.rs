//! Staffgate over HTTP: every test starts its own server on a free port, with a fresh SQLite
//! database in a temporary data folder, and talks to it as a browser or a script would.
//! Expected codes come from the independent TOTP helper, never from `staffgate_core::otp`.

mod admin;
mod bad_input;
mod cli;
mod clock_hints;
mod codes;
mod cross_site;
mod enrollment;
mod helpers;
mod mail;
mod notifications;
mod offline_files;
mod replay;
mod roles;
mod sessions;
mod sign_in;
mod static_files;
mod throttle;
mod time_endpoint;
mod tokens;
