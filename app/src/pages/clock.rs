//! `/clock`: "Clock check", public. Measures this device's clock against the server's, says
//! whether the server itself is synchronised, and explains what to do. Works offline with the
//! last measurement once the service worker has cached the page.

use leptos::prelude::*;
use leptos_meta::Title;
use staffgate_core::clock::words::{describe_age, format_signed_offset};

use crate::clock::use_clock;
use crate::components::clock_warning::{AutomaticTimeHelp, ClockWarning, ServerTime};
use crate::components::countdown::StepCountdown;

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
    let measured = move || {
        let measurement = clock.measurement.get()?;
        let now = clock.device_now_ms.get()?;
        let age = describe_age(now - measurement.measured_at_ms);
        Some(if clock.offline.get() {
            format!("measured {age}, offline now")
        } else {
            format!("measured {age}")
        })
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
                "Authenticator codes change every 30 seconds and only work while the clock of the device that makes them agrees with the server's. This page measures how far this device's clock is off."
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
                <dd aria-live="polite">{measured}</dd>
                <dt>"Server clock"</dt>
                <dd>{ntp}</dd>
            </dl>
            <p class="aside">
                "A positive offset means this device's clock is ahead of the server's, a negative one that it is behind."
            </p>
            <ClockWarning />
            <ServerTime />
            <StepCountdown period_secs=30 />
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
