//! Hardware tokens through the product: importing the sample seed files, handing tokens out,
//! signing in with them, drift, and the command line. Expected codes come from the cases
//! README or from the independent generator in `support`, never from `staffgate_core`.

mod bad_input;
mod cli;
mod drift;
mod import;
mod import_more;
mod lifecycle;
mod roles;
mod sign_in;
mod support;
