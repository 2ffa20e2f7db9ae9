//! Time steps, clock offsets and how to describe them.
//!
//! Everything here is pure arithmetic on times the caller passes in, so the same code runs on
//! the server and in the browser's WASM bundle. Nothing in this module reads a clock, and it
//! depends on nothing beyond `serde` and `thiserror`, to keep that bundle small.
//!
//! - [`step`]: which time step a moment falls in, and how much of it is left (the countdown).
//! - [`offset`]: how far the device's clock is from the server's, from one or more round trips.
//! - [`warning`]: when that difference is worth telling the user about.
//! - [`words`]: plain English for offsets and for codes that match another time step.

pub mod offset;
pub mod step;
pub mod warning;
pub mod words;
