//! Wording for a code that matches a time step other than the server's current one, and for a
//! device clock's drift in seconds.
//!
//! A code that matches step `n + k` instead of `n` came from a device whose clock was about
//! `k * period` seconds off: ahead (fast) when `k` is positive, behind (slow) when negative.
//! Matching a step pins the device's time only to within a period, hence "about".

use super::MINUS_SIGN;

/// Explains a code refused because it matches a time step `step_offset` steps away from the
/// server's current one, e.g. for +4 steps of 30 s: "This code is from about 2 minutes ahead
/// of the server's time: the clock on the device that made it is probably 2 minutes fast."
///
/// The size is `step_offset * period_secs`, written in whole seconds below two minutes
/// ("about 90 seconds"), in minutes to the nearest half from two minutes ("about 2.5
/// minutes"), and to the nearest whole minute from ten minutes; halves round up. Step 0 is
/// refused only for a hardware token whose window follows a learned drift: its clock is right
/// now, and the words say the learned drift is what is off.
pub fn describe_code_drift(step_offset: i64, period_secs: u32) -> String {
    let drift_secs = i128::from(step_offset) * i128::from(period_secs);
    let amount = Amount::of(drift_secs.unsigned_abs()).long();

    if drift_secs > 0 {
        format!(
            "This code is from about {amount} ahead of the server's time: \
             the clock on the device that made it is probably {amount} fast."
        )
    } else if drift_secs < 0 {
        format!(
            "This code is from about {amount} behind the server's time: \
             the clock on the device that made it is probably {amount} slow."
        )
    } else {
        "This code matches the server's current time, but this hardware token was learned to \
         run off that time: ask an admin to reset its drift."
            .to_owned()
    }
}

/// Summarises a drift of `drift_secs` seconds for an admin table: "device clock about +25 s",
/// "device clock about +2 min", "device clock about −90 s", or "device clock in step" for 0.
/// Sizes are rounded as in [`describe_code_drift`]. A step offset is `steps * period` seconds.
pub fn describe_drift_short(drift_secs: i64) -> String {
    if drift_secs == 0 {
        return "device clock in step".to_owned();
    }

    let sign = if drift_secs < 0 { MINUS_SIGN } else { '+' };
    let amount = Amount::of(u128::from(drift_secs.unsigned_abs())).short();
    format!("device clock about {sign}{amount}")
}

/// The size of a drift, rounded for reading.
enum Amount {
    /// Whole seconds, below two minutes.
    Seconds(u128),
    /// Half minutes, from two minutes (always a whole number of minutes from ten).
    HalfMinutes(u128),
}

impl Amount {
    /// Rounds a drift of `secs` seconds to the unit it is read in.
    fn of(secs: u128) -> Self {
        if secs < 120 {
            Amount::Seconds(secs)
        } else if secs < 600 {
            // Halves of a minute are 30 s each; add 15 s to round the nearest half up.
            Amount::HalfMinutes((secs + 15) / 30)
        } else {
            Amount::HalfMinutes((secs + 30) / 60 * 2)
        }
    }

    /// "1 second", "90 seconds", "2 minutes", "2.5 minutes".
    fn long(&self) -> String {
        match *self {
            Amount::Seconds(1) => "1 second".to_owned(),
            Amount::Seconds(secs) => format!("{secs} seconds"),
            Amount::HalfMinutes(2) => "1 minute".to_owned(),
            Amount::HalfMinutes(halves) => format!("{} minutes", minutes(halves)),
        }
    }

    /// "90 s", "2 min", "2.5 min".
    fn short(&self) -> String {
        match *self {
            Amount::Seconds(secs) => format!("{secs} s"),
            Amount::HalfMinutes(halves) => format!("{} min", minutes(halves)),
        }
    }
}

/// Writes a count of half minutes as minutes: 4 is "2", 5 is "2.5".
fn minutes(halves: u128) -> String {
    match halves % 2 {
        0 => format!("{}", halves / 2),
        _ => format!("{}.5", halves / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_steps_ahead_at_30_s_is_a_device_2_minutes_fast() {
        assert_eq!(
            describe_code_drift(4, 30),
            "This code is from about 2 minutes ahead of the server's time: \
             the clock on the device that made it is probably 2 minutes fast."
        );
    }

    #[test]
    fn four_steps_behind_at_30_s_is_a_device_2_minutes_slow() {
        assert_eq!(
            describe_code_drift(-4, 30),
            "This code is from about 2 minutes behind the server's time: \
             the clock on the device that made it is probably 2 minutes slow."
        );
    }

    #[test]
    fn under_two_minutes_reads_in_seconds() {
        assert_eq!(
            describe_code_drift(2, 30),
            "This code is from about 60 seconds ahead of the server's time: \
             the clock on the device that made it is probably 60 seconds fast."
        );
        assert_eq!(
            describe_code_drift(-3, 30),
            "This code is from about 90 seconds behind the server's time: \
             the clock on the device that made it is probably 90 seconds slow."
        );
        assert_eq!(Amount::of(30).long(), "30 seconds");
        assert_eq!(Amount::of(119).long(), "119 seconds");
    }

    #[test]
    fn one_second_is_singular() {
        assert_eq!(
            describe_code_drift(1, 1),
            "This code is from about 1 second ahead of the server's time: \
             the clock on the device that made it is probably 1 second fast."
        );
    }

    #[test]
    fn one_minute_would_be_singular_and_half_minutes_are_plural() {
        assert_eq!(Amount::HalfMinutes(2).long(), "1 minute");
        assert_eq!(Amount::HalfMinutes(3).long(), "1.5 minutes");
        assert_eq!(Amount::of(120).long(), "2 minutes");
    }

    #[test]
    fn from_two_minutes_reads_in_half_minutes_then_whole_minutes() {
        assert_eq!(Amount::of(150).long(), "2.5 minutes");
        assert_eq!(Amount::of(134).long(), "2 minutes");
        assert_eq!(Amount::of(135).long(), "2.5 minutes");
        assert_eq!(Amount::of(599).long(), "10 minutes");
        assert_eq!(Amount::of(629).long(), "10 minutes");
        assert_eq!(Amount::of(630).long(), "11 minutes");
    }

    #[test]
    fn a_60_s_period_scales_the_drift() {
        assert_eq!(
            describe_code_drift(-1, 60),
            "This code is from about 60 seconds behind the server's time: \
             the clock on the device that made it is probably 60 seconds slow."
        );
        assert_eq!(
            describe_code_drift(10, 60),
            "This code is from about 10 minutes ahead of the server's time: \
             the clock on the device that made it is probably 10 minutes fast."
        );
        assert_eq!(
            describe_drift_short(-2 * 60),
            "device clock about \u{2212}2 min"
        );
    }

    #[test]
    fn step_zero_is_in_step() {
        assert_eq!(
            describe_code_drift(0, 30),
            "This code matches the server's current time, but this hardware token was learned \
             to run off that time: ask an admin to reset its drift."
        );
        assert_eq!(describe_drift_short(0), "device clock in step");
    }

    #[test]
    fn the_short_form_has_a_sign_and_a_unit() {
        assert_eq!(describe_drift_short(120), "device clock about +2 min");
        assert_eq!(describe_drift_short(-90), "device clock about \u{2212}90 s");
        assert_eq!(describe_drift_short(30), "device clock about +30 s");
        assert_eq!(
            describe_drift_short(-150),
            "device clock about \u{2212}2.5 min"
        );
    }

    #[test]
    fn a_learned_drift_reads_in_whole_seconds() {
        assert_eq!(describe_drift_short(25), "device clock about +25 s");
        assert_eq!(describe_drift_short(-7), "device clock about \u{2212}7 s");
        assert_eq!(describe_drift_short(1), "device clock about +1 s");
        assert_eq!(
            describe_drift_short(-10786),
            "device clock about \u{2212}180 min"
        );
        assert_eq!(describe_drift_short(585), "device clock about +10 min");
    }

    #[test]
    fn extreme_drifts_do_not_overflow() {
        let short = describe_drift_short(i64::MIN);
        assert!(short.starts_with("device clock about \u{2212}"));
        assert!(short.ends_with(" min"));
        assert!(describe_code_drift(i64::MAX, u32::MAX).ends_with(" minutes fast."));
    }
}
