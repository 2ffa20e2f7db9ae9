//! One-time passwords.
