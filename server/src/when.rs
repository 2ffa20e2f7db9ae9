//! Showing stored times to people.

use time::OffsetDateTime;
use time::macros::format_description;

/// Formats Unix milliseconds as `2026-12-03 19:40:12 UTC`.
pub fn format_utc(unix_ms: i64) -> String {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|at| at.format(format).ok())
        .unwrap_or_else(|| format!("{unix_ms} ms after 1970"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_utc_to_the_second() {
        assert_eq!(format_utc(1_111_111_109_999), "2005-03-18 01:58:29 UTC");
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
    }
}
