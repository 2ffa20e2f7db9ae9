//! Wording for how old a clock measurement is.

/// Says how long ago a measurement was taken: "just now", "12 s ago", "5 min ago",
/// "3 h ago", "2 days ago". A negative age (the device's clock went back) reads "just now".
pub fn describe_age(age_ms: f64) -> String {
    if !age_ms.is_finite() || age_ms < 1_000.0 {
        return "just now".to_owned();
    }
    // Truncation is intended: "59 s ago" until a full minute has passed.
    let secs = (age_ms / 1000.0) as u64;
    match secs {
        0..=59 => format!("{secs} s ago"),
        60..=3_599 => format!("{} min ago", secs / 60),
        3_600..=172_799 => format!("{} h ago", secs / 3_600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_the_largest_whole_unit() {
        assert_eq!(describe_age(-5_000.0), "just now");
        assert_eq!(describe_age(999.0), "just now");
        assert_eq!(describe_age(12_400.0), "12 s ago");
        assert_eq!(describe_age(59_999.0), "59 s ago");
        assert_eq!(describe_age(60_000.0), "1 min ago");
        assert_eq!(describe_age(3.0 * 3_600_000.0 + 5.0), "3 h ago");
        assert_eq!(describe_age(47.9 * 3_600_000.0), "47 h ago");
        assert_eq!(describe_age(49.0 * 3_600_000.0), "2 days ago");
        assert_eq!(describe_age(f64::NAN), "just now");
    }
}
