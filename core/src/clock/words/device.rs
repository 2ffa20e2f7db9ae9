//! Wording for this device's measured clock offset.

use super::MINUS_SIGN;

/// Formats a device offset with one decimal, an explicit sign and " s": "+45.2 s", "−3.0 s".
///
/// The value is rounded to the nearest tenth, halves away from zero. Anything that rounds to
/// zero is "+0.0 s", never "−0.0 s". A value that is not finite gives "unknown".
pub fn format_signed_offset(device_offset_secs: f64) -> String {
    if !device_offset_secs.is_finite() {
        return "unknown".to_owned();
    }

    let tenths = (device_offset_secs * 10.0).round();
    let sign = if tenths < 0.0 { MINUS_SIGN } else { '+' };

    // The cast saturates at u64::MAX, far beyond any clock a browser can report.
    let tenths = tenths.abs() as u64;
    format!("{sign}{}.{} s", tenths / 10, tenths % 10)
}

/// Describes a device offset in a sentence, such as "This device's clock is 14 s behind the
/// server."
///
/// The offset is first rounded to whole seconds (halves away from zero); the rounded value
/// picks the wording:
///
/// | rounded offset     | wording            |
/// |--------------------|--------------------|
/// | 0 s                | matches the server's to within a second |
/// | 1 s to 89 s        | "14 s"             |
/// | 90 s to 9 min 59 s | "2 min 5 s", "3 min" |
/// | 10 min to 119 min  | "about 12 min" (nearest minute, halves up) |
/// | 2 h to 47 h        | "about 5 h" (nearest hour, halves up) |
/// | 48 h and more      | "about 3 days" (nearest day, halves up) |
///
/// Each coarser unit starts where its count would first be 2, so "about 1 h" never appears.
pub fn describe_device_offset(device_offset_secs: f64) -> String {
    if !device_offset_secs.is_finite() {
        return "This device's clock could not be compared with the server's.".to_owned();
    }

    // The cast saturates at u64::MAX, far beyond any clock a browser can report.
    let whole_secs = device_offset_secs.abs().round() as u64;
    if whole_secs == 0 {
        return "This device's clock matches the server's to within a second.".to_owned();
    }

    let amount = duration_words(whole_secs);
    let direction = if device_offset_secs > 0.0 {
        "ahead of"
    } else {
        "behind"
    };
    format!("This device's clock is {amount} {direction} the server.")
}

/// Writes a whole number of seconds (at least 1) in the bands of [`describe_device_offset`].
fn duration_words(secs: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;

    if secs < 90 {
        format!("{secs} s")
    } else if secs < 10 * MINUTE {
        match secs % MINUTE {
            0 => format!("{} min", secs / MINUTE),
            rest => format!("{} min {rest} s", secs / MINUTE),
        }
    } else if secs < 2 * HOUR {
        format!("about {} min", nearest(secs, MINUTE))
    } else if secs < 2 * DAY {
        format!("about {} h", nearest(secs, HOUR))
    } else {
        format!("about {} days", nearest(secs, DAY))
    }
}

/// Divides `secs` by `unit`, rounding halves up.
fn nearest(secs: u64, unit: u64) -> u64 {
    secs / unit + u64::from(secs % unit >= unit / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_get_one_decimal_and_an_explicit_sign() {
        assert_eq!(format_signed_offset(45.2), "+45.2 s");
        assert_eq!(format_signed_offset(-3.0), "\u{2212}3.0 s");
        assert_eq!(format_signed_offset(600.0), "+600.0 s");
        assert_eq!(format_signed_offset(-0.96), "\u{2212}1.0 s");
    }

    #[test]
    fn offsets_round_to_the_nearest_tenth_with_halves_away_from_zero() {
        assert_eq!(format_signed_offset(45.25), "+45.3 s");
        assert_eq!(format_signed_offset(-45.25), "\u{2212}45.3 s");
        assert_eq!(format_signed_offset(0.05), "+0.1 s");
        assert_eq!(format_signed_offset(-0.05), "\u{2212}0.1 s");
    }

    #[test]
    fn tiny_offsets_are_never_negative_zero() {
        assert_eq!(format_signed_offset(0.0), "+0.0 s");
        assert_eq!(format_signed_offset(-0.0), "+0.0 s");
        assert_eq!(format_signed_offset(-0.04), "+0.0 s");
        assert_eq!(format_signed_offset(0.04), "+0.0 s");
    }

    #[test]
    fn a_non_finite_offset_is_unknown() {
        assert_eq!(format_signed_offset(f64::NAN), "unknown");
        assert_eq!(format_signed_offset(f64::INFINITY), "unknown");
        assert_eq!(
            describe_device_offset(f64::NAN),
            "This device's clock could not be compared with the server's."
        );
    }

    #[test]
    fn under_half_a_second_matches_the_server() {
        let matches = "This device's clock matches the server's to within a second.";
        assert_eq!(describe_device_offset(0.0), matches);
        assert_eq!(describe_device_offset(0.49), matches);
        assert_eq!(describe_device_offset(-0.49), matches);
    }

    #[test]
    fn under_90_seconds_reads_in_seconds() {
        assert_eq!(
            describe_device_offset(-14.2),
            "This device's clock is 14 s behind the server."
        );
        assert_eq!(
            describe_device_offset(0.5),
            "This device's clock is 1 s ahead of the server."
        );
        assert_eq!(
            describe_device_offset(89.4),
            "This device's clock is 89 s ahead of the server."
        );
    }

    #[test]
    fn from_90_seconds_reads_in_minutes_and_seconds() {
        assert_eq!(
            describe_device_offset(89.5),
            "This device's clock is 1 min 30 s ahead of the server."
        );
        assert_eq!(
            describe_device_offset(125.0),
            "This device's clock is 2 min 5 s ahead of the server."
        );
        assert_eq!(
            describe_device_offset(-180.0),
            "This device's clock is 3 min behind the server."
        );
        assert_eq!(
            describe_device_offset(-599.0),
            "This device's clock is 9 min 59 s behind the server."
        );
    }

    #[test]
    fn from_ten_minutes_reads_as_about_whole_minutes() {
        // Case C29 (c): a browser 600 s ahead.
        assert_eq!(
            describe_device_offset(600.0),
            "This device's clock is about 10 min ahead of the server."
        );
        assert_eq!(duration_words(629), "about 10 min");
        assert_eq!(duration_words(630), "about 11 min");
        assert_eq!(duration_words(7_199), "about 120 min");
    }

    #[test]
    fn from_two_hours_reads_as_about_hours_then_days() {
        assert_eq!(duration_words(7_200), "about 2 h");
        assert_eq!(duration_words(5 * 3_600 + 1_799), "about 5 h");
        assert_eq!(duration_words(5 * 3_600 + 1_800), "about 6 h");
        assert_eq!(duration_words(172_799), "about 48 h");
        assert_eq!(duration_words(172_800), "about 2 days");
        assert_eq!(
            describe_device_offset(-366.0 * 86_400.0),
            "This device's clock is about 366 days behind the server."
        );
    }
}
