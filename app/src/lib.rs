//! Staffgate UI.
