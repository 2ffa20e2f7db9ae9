//! Staffgate's product logic, free of any web framework or database.
//!
//! The UI (`staffgate-app`), the server (`staffgate`) and later the validation API share these
//! modules, so the rules for codes, time steps, drift and seed files live in exactly one place.
//! Time is always passed in as Unix seconds or milliseconds; nothing here reads the clock.

pub mod clock;
#[cfg(feature = "import")]
pub mod import;
#[cfg(feature = "ntp")]
pub mod ntp;
#[cfg(feature = "otp")]
pub mod otp;
#[cfg(feature = "qr")]
pub mod qr;
