//! Integration tests for `staffgate_core::import`: the known-answer cases of
//! shared/cases/README.md on the sample files in `tests/samples/`, encrypted PSKC files built
//! with the RustCrypto crates, and property tests on arbitrary and mutated input.

#![cfg(feature = "import")]

mod csv_samples;
mod parameters;
mod properties;
mod pskc_encrypted;
mod pskc_samples;
mod support;
