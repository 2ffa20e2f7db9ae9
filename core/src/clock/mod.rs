//! Time steps, clock offsets and how to describe them.
