//! The kernel clock discipline state: is the server's clock kept right by NTP?
//!
//! Codes are checked against the server's clock, so an admin needs to know whether anything
//! keeps it right. On Linux, `adjtimex` with `modes = 0` only reads the state the NTP client
//! (chrony, ntpd, systemd-timesyncd) has given the kernel, and needs no privileges. The
//! kernel's view is all we report: a clock kept right by other means (a hypervisor, say)
//! still reads as not synchronised, and the wording says "as far as the kernel knows".
//!
//! [`interpret`] turns the raw values into an [`NtpState`] and is tested with constructed
//! values; [`read`] makes the call.

use serde::{Deserialize, Serialize};

/// `adjtimex` clock states 0 to 4 (`TIME_OK`, `TIME_INS`, `TIME_DEL`, `TIME_OOP`,
/// `TIME_WAIT`) mean the clock is synchronised, some of them around a leap second.
const TIME_WAIT: i32 = 4;

/// The `adjtimex` clock state for a clock that is not synchronised.
const TIME_ERROR: i32 = 5;

/// The status bit the kernel keeps set until an NTP client says the clock is synchronised.
const STA_UNSYNC: i32 = 0x0040;

/// Whether the kernel considers the server's clock synchronised, with its error bounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum NtpState {
    /// An NTP client keeps the clock synchronised.
    Synchronised {
        /// The kernel's estimated error, in milliseconds.
        est_error_ms: f64,
        /// The kernel's maximum error, in milliseconds.
        max_error_ms: f64,
    },
    /// Nothing has told the kernel the clock is synchronised.
    NotSynchronised {
        /// The kernel's estimated error, in milliseconds.
        est_error_ms: f64,
        /// The kernel's maximum error, in milliseconds.
        max_error_ms: f64,
    },
    /// The state could not be read.
    Unknown {
        /// Why, in words.
        reason: String,
    },
}

/// Interprets what `adjtimex` returned: its return code (the clock state, or `-1` on
/// failure), the `status` bits and the estimated and maximum errors in microseconds.
///
/// `TIME_ERROR` (5) or the `STA_UNSYNC` bit (0x0040) means not synchronised; a negative
/// return code or one the kernel does not define means unknown.
pub fn interpret(return_code: i32, status: i32, est_error_us: i64, max_error_us: i64) -> NtpState {
    // Microsecond bounds are far below 2^53, so the conversions are exact.
    let est_error_ms = est_error_us as f64 / 1000.0;
    let max_error_ms = max_error_us as f64 / 1000.0;

    match return_code {
        0..=TIME_WAIT if status & STA_UNSYNC == 0 => NtpState::Synchronised {
            est_error_ms,
            max_error_ms,
        },
        0..=TIME_ERROR => NtpState::NotSynchronised {
            est_error_ms,
            max_error_ms,
        },
        code if code < 0 => NtpState::Unknown {
            reason: format!("the adjtimex call failed (return code {code})"),
        },
        code => NtpState::Unknown {
            reason: format!("adjtimex returned a clock state this version does not know ({code})"),
        },
    }
}

/// Reads the kernel's clock discipline state. Read-only, and needs no privileges.
///
/// Only Linux is supported; elsewhere the state is [`NtpState::Unknown`].
pub fn read() -> NtpState {
    #[cfg(target_os = "linux")]
    {
        let (return_code, timex) = adjtimex_read_only();
        if return_code == -1 {
            let error = std::io::Error::last_os_error();
            return NtpState::Unknown {
                reason: format!("the adjtimex call failed: {error}"),
            };
        }

        #[allow(
            clippy::useless_conversion,
            reason = "`c_long` is `i32` on 32-bit Linux"
        )]
        let (est_error_us, max_error_us) = (i64::from(timex.esterror), i64::from(timex.maxerror));
        interpret(return_code, timex.status, est_error_us, max_error_us)
    }

    #[cfg(not(target_os = "linux"))]
    {
        NtpState::Unknown {
            reason: "reading the kernel's clock state is only supported on Linux".to_owned(),
        }
    }
}

/// Calls `adjtimex` with `modes = 0`, which reads the kernel's state and changes nothing.
#[cfg(target_os = "linux")]
#[expect(unsafe_code, reason = "adjtimex is a C call with no safe wrapper")]
fn adjtimex_read_only() -> (i32, libc::timex) {
    // SAFETY: `timex` holds only integers (and padding), for which all-zero bytes are valid.
    let mut timex: libc::timex = unsafe { std::mem::zeroed() };
    timex.modes = 0;

    // SAFETY: the pointer is to a live, writable `timex`; with `modes = 0` the kernel only
    // fills it in.
    let return_code = unsafe { libc::adjtimex(&mut timex) };
    (return_code, timex)
}

/// Describes the state in a sentence for the admin pages.
pub fn describe(state: &NtpState) -> String {
    match state {
        NtpState::Synchronised {
            est_error_ms,
            max_error_ms,
        } => format!(
            "The server's clock is synchronised by NTP (estimated error {}, at most {}).",
            millis_words(*est_error_ms),
            millis_words(*max_error_ms)
        ),
        NtpState::NotSynchronised {
            est_error_ms,
            max_error_ms,
        } => format!(
            "The server's clock is NOT synchronised by NTP, as far as the kernel knows \
             (estimated error {}, at most {}). Codes are checked against this clock, so \
             run an NTP client such as chrony or systemd-timesyncd on the host.",
            millis_words(*est_error_ms),
            millis_words(*max_error_ms)
        ),
        NtpState::Unknown { reason } => format!("The server's NTP state is unknown: {reason}."),
    }
}

/// Writes an error bound: "under 1 ms", "12 ms", "1.5 s", "16 s".
fn millis_words(ms: f64) -> String {
    if ms < 0.5 {
        "under 1 ms".to_owned()
    } else if ms < 999.5 {
        format!("{} ms", ms.round())
    } else {
        let tenths = (ms / 100.0).round();
        if tenths % 10.0 == 0.0 {
            format!("{} s", tenths / 10.0)
        } else {
            format!("{:.1} s", tenths / 10.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `STA_PLL | STA_NANO`, as a status with the kernel's PLL in use might read.
    const STA_PLL_NANO: i32 = 0x0001 | 0x2000;

    #[test]
    fn time_error_with_sta_unsync_reads_as_not_synchronised() {
        // What this machine's kernel returns: no NTP client has disciplined it.
        let state = interpret(TIME_ERROR, STA_UNSYNC, 16_000_000, 16_000_000);

        assert_eq!(
            state,
            NtpState::NotSynchronised {
                est_error_ms: 16_000.0,
                max_error_ms: 16_000.0
            }
        );
        assert_eq!(
            describe(&state),
            "The server's clock is NOT synchronised by NTP, as far as the kernel knows \
             (estimated error 16 s, at most 16 s). Codes are checked against this clock, so \
             run an NTP client such as chrony or systemd-timesyncd on the host."
        );
    }

    #[test]
    fn either_time_error_or_sta_unsync_alone_means_not_synchronised() {
        let not_synchronised = NtpState::NotSynchronised {
            est_error_ms: 2.0,
            max_error_ms: 30.0,
        };

        assert_eq!(
            interpret(TIME_ERROR, STA_PLL_NANO, 2_000, 30_000),
            not_synchronised
        );
        assert_eq!(
            interpret(0, STA_UNSYNC | STA_PLL_NANO, 2_000, 30_000),
            not_synchronised
        );
    }

    #[test]
    fn a_clean_status_reads_as_synchronised_in_milliseconds() {
        let state = interpret(0, STA_PLL_NANO, 1_000, 12_000);

        assert_eq!(
            state,
            NtpState::Synchronised {
                est_error_ms: 1.0,
                max_error_ms: 12.0
            }
        );
        assert_eq!(
            describe(&state),
            "The server's clock is synchronised by NTP (estimated error 1 ms, at most 12 ms)."
        );
    }

    #[test]
    fn leap_second_states_are_still_synchronised() {
        for return_code in 1..=TIME_WAIT {
            let state = interpret(return_code, STA_PLL_NANO, 1_500, 250);
            assert_eq!(
                state,
                NtpState::Synchronised {
                    est_error_ms: 1.5,
                    max_error_ms: 0.25
                }
            );
        }
    }

    #[test]
    fn a_failing_call_or_an_unknown_state_is_unknown() {
        assert_eq!(
            interpret(-1, 0, 0, 0),
            NtpState::Unknown {
                reason: "the adjtimex call failed (return code -1)".to_owned()
            }
        );
        assert!(matches!(interpret(6, 0, 0, 0), NtpState::Unknown { .. }));
        assert_eq!(
            describe(&interpret(-1, 0, 0, 0)),
            "The server's NTP state is unknown: the adjtimex call failed (return code -1)."
        );
    }

    #[test]
    fn error_bounds_read_in_milliseconds_or_seconds() {
        assert_eq!(millis_words(0.0), "under 1 ms");
        assert_eq!(millis_words(0.25), "under 1 ms");
        assert_eq!(millis_words(1.5), "2 ms");
        assert_eq!(millis_words(999.4), "999 ms");
        assert_eq!(millis_words(999.5), "1 s");
        assert_eq!(millis_words(1_500.0), "1.5 s");
        assert_eq!(millis_words(16_000.0), "16 s");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn reading_the_kernel_state_works_unprivileged() {
        // This machine's clock may well be unsynchronised; only the read itself must work.
        let state = read();

        assert!(
            !matches!(state, NtpState::Unknown { .. }),
            "{}",
            describe(&state)
        );
    }
}
