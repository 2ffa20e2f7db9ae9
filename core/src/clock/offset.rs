//! Estimating the device's clock offset from the server, NTP-style, in the browser.
//!
//! The browser asks the server for its time. It notes its wall clock (`Date.now()`) once when
//! it sends the request, and measures the round trip with its monotonic clock
//! (`performance.now()`), which the user or NTP cannot step mid-request. Assuming the server
//! stamped its reply halfway through the round trip, the device's wall clock read at that
//! moment would have been `sent_wall_ms + round_trip_ms / 2`. Wherever in the round trip the
//! server really stamped it, the true offset is within half a round trip of the estimate.
//!
//! # Two sign conventions
//!
//! - [`Estimate::offset_ms`] is the **server's** view, as NTP defines it: what to add to the
//!   device's clock to get the server's time. Positive means the server is ahead, that is, the
//!   **device is behind**. [`corrected_now_ms`] uses it.
//! - [`device_offset_secs`] is the **device's** view, the one the UI shows: how far the
//!   device's clock is ahead of the server's. Positive ("+45.2 s") means the **device is
//!   ahead**, negative ("−3.0 s") that it is behind. It is `-offset_ms / 1000`.

use serde::{Deserialize, Serialize};

/// One round trip to the server's time endpoint, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The monotonic clock (`performance.now()`) when the request was sent.
    pub sent_mono_ms: f64,
    /// The monotonic clock (`performance.now()`) when the reply arrived.
    pub received_mono_ms: f64,
    /// The device's wall clock (`Date.now()`, Unix ms) when the request was sent.
    pub sent_wall_ms: f64,
    /// The server's clock (Unix ms) as stamped in its reply.
    pub server_unix_ms: f64,
}

/// What one round trip says about the device's clock.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The server's time minus the device's: positive when the **device is behind**.
    pub offset_ms: f64,
    /// The most the true offset can differ from `offset_ms`: half the round trip.
    pub error_ms: f64,
    /// The monotonic time between sending the request and receiving the reply.
    pub round_trip_ms: f64,
}

/// Estimates the offset from one round trip.
///
/// A sample whose round trip is negative or not finite (the monotonic readings were swapped
/// or missing) gives a meaningless estimate; [`best_of`] skips such samples.
pub fn estimate(sample: Sample) -> Estimate {
    let round_trip_ms = sample.received_mono_ms - sample.sent_mono_ms;
    let local_midpoint_ms = sample.sent_wall_ms + round_trip_ms / 2.0;

    Estimate {
        offset_ms: sample.server_unix_ms - local_midpoint_ms,
        error_ms: round_trip_ms / 2.0,
        round_trip_ms,
    }
}

/// Returns the estimate from the sample with the shortest round trip, which has the smallest
/// error bound, or `None` when no sample is usable.
///
/// Samples with a negative or non-finite round trip, or a non-finite offset, are ignored. Of
/// samples with equally short round trips, the first is kept.
pub fn best_of(samples: &[Sample]) -> Option<Estimate> {
    samples
        .iter()
        .map(|sample| estimate(*sample))
        .filter(|e| {
            e.round_trip_ms >= 0.0 && e.round_trip_ms.is_finite() && e.offset_ms.is_finite()
        })
        .min_by(|a, b| a.round_trip_ms.total_cmp(&b.round_trip_ms))
}

/// Returns the server's time now, in Unix ms, from the device's wall clock now
/// (`Date.now()`) and an estimate.
pub fn corrected_now_ms(device_now_ms: f64, estimate: &Estimate) -> f64 {
    device_now_ms + estimate.offset_ms
}

/// Returns how many seconds the **device's** clock is ahead of the server's (negative when it
/// is behind): the opposite sign of [`Estimate::offset_ms`], as the UI shows it.
pub fn device_offset_secs(estimate: &Estimate) -> f64 {
    // Adding +0.0 turns the -0.0 that negating a zero offset gives into +0.0.
    -estimate.offset_ms / 1000.0 + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(sent_mono: f64, received_mono: f64, sent_wall: f64, server: f64) -> Sample {
        Sample {
            sent_mono_ms: sent_mono,
            received_mono_ms: received_mono,
            sent_wall_ms: sent_wall,
            server_unix_ms: server,
        }
    }

    #[test]
    fn a_symmetric_round_trip_to_an_equal_clock_gives_a_zero_offset() {
        let e = estimate(sample(
            1_000.0,
            1_200.0,
            1_700_000_000_000.0,
            1_700_000_000_100.0,
        ));

        assert_eq!(e.round_trip_ms, 200.0);
        assert_eq!(e.error_ms, 100.0);
        assert_eq!(e.offset_ms, 0.0);
        assert_eq!(device_offset_secs(&e), 0.0);
        assert!(device_offset_secs(&e).is_sign_positive());
    }

    #[test]
    fn an_asymmetric_round_trip_stays_within_the_error_bound() {
        // Equal clocks, but the request took 250 ms and the reply 50 ms: the midpoint guess
        // (150 ms) is 100 ms early, which is within half the 300 ms round trip.
        let e = estimate(sample(
            1_000.0,
            1_300.0,
            1_700_000_000_000.0,
            1_700_000_000_250.0,
        ));

        assert_eq!(e.round_trip_ms, 300.0);
        assert_eq!(e.error_ms, 150.0);
        assert_eq!(e.offset_ms, 100.0);
        assert!(e.offset_ms.abs() <= e.error_ms);
    }

    #[test]
    fn a_device_that_is_behind_has_a_positive_offset_and_a_negative_device_offset() {
        // The device reads 1_000_000 at send; 50 ms later the server reads 45.2 s more.
        let e = estimate(sample(10.0, 110.0, 1_000_000.0, 1_045_250.0));

        assert_eq!(e.offset_ms, 45_200.0);
        assert_eq!(device_offset_secs(&e), -45.2);
        assert_eq!(corrected_now_ms(2_000_000.0, &e), 2_045_200.0);
    }

    #[test]
    fn a_browser_600_s_ahead_reads_as_plus_600_s_on_the_device() {
        // Case C29 (c): Date.now() is 1111111711000 while the server is at 1111111111000.
        let e = estimate(sample(
            5_000.0,
            5_200.0,
            1_111_111_711_000.0,
            1_111_111_111_100.0,
        ));

        assert_eq!(e.offset_ms, -600_000.0);
        assert_eq!(device_offset_secs(&e), 600.0);
        assert_eq!(
            corrected_now_ms(1_111_111_711_500.0, &e),
            1_111_111_111_500.0
        );
    }

    #[test]
    fn the_wall_clock_is_read_only_at_send_time() {
        // A long round trip moves the midpoint, not the wall clock reading.
        let e = estimate(sample(0.0, 4_000.0, 10_000.0, 12_000.0));

        assert_eq!(e.offset_ms, 0.0);
        assert_eq!(e.error_ms, 2_000.0);
    }

    #[test]
    fn best_of_keeps_the_shortest_round_trip() {
        let samples = [
            sample(0.0, 300.0, 10_000.0, 10_400.0),
            sample(1_000.0, 1_080.0, 11_000.0, 11_240.0),
            sample(2_000.0, 2_120.0, 12_000.0, 12_300.0),
        ];

        let best = best_of(&samples).expect("three usable samples");
        assert_eq!(best.round_trip_ms, 80.0);
        assert_eq!(best.offset_ms, 200.0);
        assert_eq!(best.error_ms, 40.0);
    }

    #[test]
    fn best_of_ignores_negative_and_nan_round_trips() {
        let samples = [
            sample(1_000.0, 900.0, 10_000.0, 90_000.0),
            sample(f64::NAN, 1_000.0, 10_000.0, 90_000.0),
            sample(0.0, f64::INFINITY, 10_000.0, 90_000.0),
            sample(0.0, 500.0, 10_000.0, 13_250.0),
            sample(0.0, 10.0, 10_000.0, f64::NAN),
        ];

        let best = best_of(&samples).expect("one usable sample");
        assert_eq!(best.round_trip_ms, 500.0);
        assert_eq!(best.offset_ms, 3_000.0);
    }

    #[test]
    fn best_of_keeps_the_first_of_equal_round_trips() {
        let samples = [
            sample(0.0, 100.0, 0.0, 1_050.0),
            sample(0.0, 100.0, 0.0, 2_050.0),
        ];

        assert_eq!(best_of(&samples).map(|e| e.offset_ms), Some(1_000.0));
    }

    #[test]
    fn best_of_accepts_a_zero_round_trip() {
        let samples = [sample(7.0, 7.0, 0.0, -500.0)];

        assert_eq!(best_of(&samples).map(|e| e.offset_ms), Some(-500.0));
    }

    #[test]
    fn best_of_nothing_usable_is_none() {
        assert_eq!(best_of(&[]), None);
        assert_eq!(best_of(&[sample(5.0, 1.0, 0.0, 0.0)]), None);
    }
}
