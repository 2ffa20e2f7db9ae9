//! Warnings about this device's clock, shown before a code is typed.

use leptos::prelude::*;
use staffgate_core::clock::warning::{ClockLevel, level};
use staffgate_core::clock::words::{describe_age, describe_device_offset};

use crate::clock::format::local_and_utc;
use crate::clock::use_clock;

/// A notice from 10 s of offset, an alert with guidance from 30 s.
///
/// Online it waits for a measurement taken on this page; offline it uses the stored one and
/// says how old it is. Screen readers hear it when the level changes or a new measurement
/// changes its words, not when the age or the clock below it tick.
#[component]
pub fn ClockWarning() -> impl IntoView {
    let clock = use_clock();
    let offset = move || {
        clock
            .measurement_for_warnings()
            .map(|m| m.device_offset_secs())
    };
    let shown_level = Memo::new(move |_| offset().map(level));
    let words = move || offset().map(describe_device_offset);
    let age = move || {
        if !clock.offline.get() {
            return None;
        }
        let measured_at = clock
            .measurement
            .with(|m| m.as_ref().map(|m| m.measured_at_ms))?;
        let now = clock.device_now_ms.get()?;
        Some(format!(
            "Measured {}, offline now.",
            describe_age(now - measured_at)
        ))
    };

    move || {
        match shown_level.get()? {
        ClockLevel::Fine => None,
        ClockLevel::Notice => Some(
            view! {
                <p class="notice" role="status">
                    {words}
                </p>
                {move || age().map(|age| view! { <p class="aside">{age}</p> })}
            }
            .into_any(),
        ),
        ClockLevel::Alert => Some(
            view! {
                <div class="alert" role="alert">
                    <p>
                        <strong>{words}</strong>
                        " Codes made by an authenticator on a device with a clock this far off will be refused."
                    </p>
                    {move || {
                        age()
                            .map(|age| {
                                view! {
                                    <p class="aside" aria-live="off">
                                        {age}
                                    </p>
                                }
                            })
                    }}
                    <p>
                        "Your authenticator app usually runs on your phone, not on this computer, so the phone's clock is the one that matters. Hold your phone beside the server time below: if they differ, turn on automatic time on the phone."
                    </p>
                    <ServerTime />
                    <AutomaticTimeHelp />
                </div>
            }
            .into_any(),
        ),
    }
    }
}

/// The server's time, large, in the user's time zone and in UTC.
#[component]
pub fn ServerTime() -> impl IntoView {
    let clock = use_clock();
    let times = move || clock.server_now_ms().map(local_and_utc);

    // Never announced: it changes every second, also inside the alert.
    view! {
        <div class="server-time" aria-live="off">
            <p class="server-time-label">"Server time"</p>
            <p class="server-time-big">
                {move || times().map_or_else(|| "--:--:--".to_owned(), |(local, _)| local)}
                <span class="server-time-zone">" (your time zone)"</span>
            </p>
            <p class="server-time-utc">
                {move || times().map_or_else(|| "--:--:--".to_owned(), |(_, utc)| utc)} " UTC"
            </p>
        </div>
    }
}

/// How to turn on automatic time on each platform.
#[component]
pub fn AutomaticTimeHelp() -> impl IntoView {
    view! {
        <details class="help" open>
            <summary>"How to turn on automatic time"</summary>
            <ul>
                <li>
                    <strong>"Android: "</strong>
                    "Settings → System → Date & time → turn on “Set time automatically”."
                </li>
                <li>
                    <strong>"iOS (iPhone and iPad): "</strong>
                    "Settings → General → Date & Time → turn on “Set Automatically”."
                </li>
                <li>
                    <strong>"Windows: "</strong>
                    "Settings → Time & language → Date & time → turn on “Set time automatically”, then press “Sync now”."
                </li>
                <li>
                    <strong>"macOS: "</strong>
                    "System Settings → General → Date & Time → turn on “Set time and date automatically”."
                </li>
                <li>
                    <strong>"Linux: "</strong>
                    "run “timedatectl set-ntp true”, or enable chrony or systemd-timesyncd."
                </li>
            </ul>
        </details>
    }
}
