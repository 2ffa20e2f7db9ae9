//! When a device's clock offset is worth telling the user about.
//!
//! The level depends only on the size of the device offset
//! ([`device_offset_secs`](super::offset::device_offset_secs)), not its sign: a clock that is
//! 40 s fast is as wrong as one that is 40 s slow.

use serde::{Deserialize, Serialize};

/// From this many seconds of offset (inclusive) the UI mentions the difference.
pub const NOTICE_SECS: f64 = 10.0;

/// From this many seconds of offset (inclusive) the UI warns that codes may be refused.
pub const ALERT_SECS: f64 = 30.0;

/// How much a device's clock offset matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClockLevel {
    /// Under [`NOTICE_SECS`]: nothing to say.
    Fine,
    /// From [`NOTICE_SECS`] up to, not including, [`ALERT_SECS`].
    Notice,
    /// [`ALERT_SECS`] or more.
    Alert,
}

/// Returns the level for a device offset in seconds, of either sign.
///
/// `NaN` is not a measurement and reads as [`ClockLevel::Fine`]; [`best_of`] never produces
/// one. An infinite offset is an [`ClockLevel::Alert`].
///
/// [`best_of`]: super::offset::best_of
pub fn level(device_offset_secs: f64) -> ClockLevel {
    let size = device_offset_secs.abs();

    if size >= ALERT_SECS {
        ClockLevel::Alert
    } else if size >= NOTICE_SECS {
        ClockLevel::Notice
    } else {
        ClockLevel::Fine
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_offsets_are_fine() {
        assert_eq!(level(0.0), ClockLevel::Fine);
        assert_eq!(level(-0.0), ClockLevel::Fine);
        assert_eq!(level(9.999), ClockLevel::Fine);
        assert_eq!(level(-9.999), ClockLevel::Fine);
    }

    #[test]
    fn exactly_ten_seconds_is_a_notice() {
        assert_eq!(level(10.0), ClockLevel::Notice);
        assert_eq!(level(-10.0), ClockLevel::Notice);
        assert_eq!(level(29.999), ClockLevel::Notice);
        assert_eq!(level(-29.999), ClockLevel::Notice);
    }

    #[test]
    fn exactly_thirty_seconds_is_an_alert() {
        assert_eq!(level(30.0), ClockLevel::Alert);
        assert_eq!(level(-30.0), ClockLevel::Alert);
        assert_eq!(level(600.0), ClockLevel::Alert);
        assert_eq!(level(f64::NEG_INFINITY), ClockLevel::Alert);
    }

    #[test]
    fn nan_is_not_a_measurement_and_reads_as_fine() {
        assert_eq!(level(f64::NAN), ClockLevel::Fine);
    }

    #[test]
    fn the_levels_are_ordered_by_severity() {
        assert!(ClockLevel::Fine < ClockLevel::Notice);
        assert!(ClockLevel::Notice < ClockLevel::Alert);
    }
}
