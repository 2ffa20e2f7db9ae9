//! Server functions and the data they exchange with the browser.
//!
//! Each server function has a fixed endpoint under `/api/` because scripts and tests outside
//! the UI call them too. Their bodies only adapt HTTP to [`crate::ssr::Backend`].

pub mod admin;
pub mod session;
pub mod setup;
pub mod token_import;
pub mod token_types;
pub mod tokens;
pub mod types;
