//! The countdown to the next code, from server-corrected time.

use leptos::prelude::*;
use staffgate_core::clock::step::{seconds_left_in_step, step_fraction_elapsed};

use crate::clock::use_clock;

/// Seconds left in the current time step of `period_secs`, as a bar and as text.
///
/// Recomputed from the clock at every tick, so it never drifts and turns over at the step
/// boundary. The text is a `timer`, which screen readers do not announce on every change.
#[component]
pub fn StepCountdown(#[prop(into)] period_secs: Signal<u32>) -> impl IntoView {
    let clock = use_clock();
    let server_ms = move || clock.server_now_ms().map(|now| now.floor() as i64);
    let left = move || server_ms().map(|now| seconds_left_in_step(now, period_secs.get()));
    let elapsed =
        move || server_ms().map_or(0.0, |now| step_fraction_elapsed(now, period_secs.get()));

    view! {
        <div class="countdown">
            <div class="countdown-bar" aria-hidden="true">
                <div
                    class="countdown-fill"
                    style:width=move || format!("{:.1}%", (1.0 - elapsed()) * 100.0)
                ></div>
            </div>
            <p role="timer" aria-label="Time left for the current code">
                {move || match left() {
                    Some(1) => "The code changes in 1 second.".to_owned(),
                    Some(secs) => format!("The code changes in {secs} seconds."),
                    None if clock.offline.get() => {
                        "No countdown: the time has never been checked with the server, which cannot be reached now."
                            .to_owned()
                    }
                    None => "Checking the time with the server…".to_owned(),
                }}
            </p>
        </div>
    }
}
