//! Plain English for clock offsets and for codes that match another time step.
//!
//! Two audiences, two sets of wording: [`format_signed_offset`] and [`describe_device_offset`]
//! say how far this device's clock is from the server's (measured in the browser), while
//! [`describe_code_drift`] explains a refused code that matches a time step other than the
//! current one and [`describe_drift_short`] sums up a credential's drift for admins. In every
//! function a positive number means the device's clock is ahead (fast) and a negative one that
//! it is behind (slow).
//!
//! Negative numbers use the real minus sign U+2212 ("−"), not a hyphen.

mod age;
mod device;
mod drift;

pub use age::describe_age;
pub use device::{describe_device_offset, format_signed_offset};
pub use drift::{describe_code_drift, describe_drift_short};

/// The minus sign (U+2212) shown before negative numbers.
const MINUS_SIGN: char = '\u{2212}';
