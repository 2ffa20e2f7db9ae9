//! `/clock`: "Clock check", public. Measures this device's clock against the server's, says
//! whether the server itself is synchronised, and explains what to do. Works offline with the
//! last measurement once the service worker has cached the page.

use leptos::prelude::*;
use leptos_meta::Title;
use staffgate_core::clock::offset::corrected_now_ms;
use staffgate_core::clock::words::{describe_age, format_signed_offset};

use crate::clock::format::local_and_utc;
use crate::clock::use_clock;
use crate::components::clock_warning::{AutomaticTimeHelp, ClockWarning, ServerTime};
use crate::components::countdown::StepCountdown;

/// The countdown's period until the server has said the installation's: the default.
const DEFAULT_PERIOD_SECS: u32 = 30;

/// The clock check page.
#[component]
pub fn ClockPage() -> impl IntoView {
    let clock = use_clock();
    let offset = move || {
        clock.measurement.get().map_or_else(
            || "measuring…".to_owned(),
            |m| format_signed_offset(m.device_offset_secs()),
        )
    };
    let bound = move || {
        clock
            .measurement
            .get()
            .map(|m| format!("±{} ms", m.estimate.error_ms.round()))
    };
    // The time of the last measurement is announced when it changes, and so is going offline
    // or coming back; its age, which changes every second, is not.
    let measured_at = move || {
        clock.measurement.get().map_or_else(
            || "none yet".to_owned(),
            |m| {
                let (local, _) = local_and_utc(corrected_now_ms(m.measured_at_ms, &m.estimate));
                format!("{local} (your time zone)")
            },
        )
    };
    let measured_age = move || {
        let measurement = clock.measurement.get()?;
        let now = clock.device_now_ms.get()?;
        Some(format!(
            ", measured {}",
            describe_age(now - measurement.measured_at_ms)
        ))
    };
    let offline_words = move || clock.offline.get().then_some(", offline now");
    let period_secs = Signal::derive(move || {
        clock
            .measurement
            .with(|m| m.as_ref().and_then(|m| m.period_secs))
            .unwrap_or(DEFAULT_PERIOD_SECS)
    });
    let period_words = move || {
        clock
            .measurement
            .with(|m| m.as_ref().and_then(|m| m.period_secs))
            .map_or_else(
                || "at the end of every time step (usually every 30 seconds)".to_owned(),
                |secs| format!("every {secs} seconds here"),
            )
    };
    let ntp = move || {
        clock.measurement.get().and_then(|m| m.ntp).map_or_else(
            || "The server's NTP state has not been read yet.".to_owned(),
            |ntp| ntp.description,
        )
    };

    view! {
        <Title text="Clock check" />
        <main class="narrow">
            <h1>"Clock check"</h1>
            <p>
                "Authenticator codes change " {period_words}
                " and only work while the clock of the device that makes them agrees with the server's. This page measures how far this device's clock is off."
            </p>
            <dl class="facts">
                <dt>"Device clock offset"</dt>
                <dd>
                    <span
                        role="status"
                        aria-label="Device clock offset"
                        class="offset"
                        data-offset-ms=move || {
                            clock
                                .measurement
                                .get()
                                .map(|m| format!("{:.1}", m.device_offset_secs() * 1000.0))
                        }
                        data-error-ms=move || {
                            clock.measurement.get().map(|m| format!("{:.1}", m.estimate.error_ms))
                        }
                    >
                        {offset}
                    </span>
                    " "
                    <span class="aside">{bound}</span>
                </dd>
                <dt>"Last measurement"</dt>
                <dd
                    class="measured"
                    data-measured-at-ms=move || {
                        clock.measurement.get().map(|m| format!("{:.0}", m.measured_at_ms))
                    }
                >
                    <span aria-live="polite">{measured_at}</span>
                    <span>{measured_age}</span>
                    <span aria-live="polite">{offline_words}</span>
                </dd>
                <dt>"Server clock"</dt>
                <dd>{ntp}</dd>
            </dl>
            <p class="aside">
                "A positive offset means this device's clock is ahead of the server's, a negative one that it is behind."
            </p>
            <ClockWarning />
            <ServerTime />
            <StepCountdown period_secs />
            <button type="button" on:click=move |_| clock.measure_now()>
                "Measure again"
            </button>
            <h2>"If your codes are refused"</h2>
            <p>
                "Your authenticator app usually runs on your phone, so the phone's clock matters more than this computer's. Compare the phone's time with the server time above; if they differ by more than a few seconds, turn on automatic time on the phone."
            </p>
            <AutomaticTimeHelp />
            <p>
                <a href="/login">"Back to sign-in"</a>
            </p>
        </main>
    }
}
