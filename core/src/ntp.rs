//! The kernel clock discipline state.
