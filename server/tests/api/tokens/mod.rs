//! Hardware tokens through the product: importing the sample seed files, handing tokens out,
//! signing in with them, drift, and the command line. Expected codes come from the cases
//! README or from the independent generator in `support`, never from `staffgate_core`.

mod app_credential;
mod bad_input;
mod cli;
mod drift;
mod import;
mod import_faults;
mod import_more;
mod lifecycle;
mod no_leaks;
mod roles;
mod serials;
mod short_secret;
mod sign_in;
mod support;
