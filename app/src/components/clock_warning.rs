//! Warnings about this device's clock, shown before a code is typed.

use leptos::prelude::*;
use staffgate_core::clock::warning::{ClockLevel, level};
use staffgate_core::clock::words::describe_device_offset;

use crate::clock::use_clock;

/// A notice from 10 s of offset, an alert with guidance from 30 s.
#[component]
pub fn ClockWarning() -> impl IntoView {
    let clock = use_clock();
    let offset = move || clock.measurement.get().map(|m| m.device_offset_secs());

    move || {
        let offset = offset()?;
        match level(offset) {
            ClockLevel::Fine => None,
            ClockLevel::Notice => Some(
                view! {
                    <p class="notice" role="status">
                        {describe_device_offset(offset)}
                    </p>
                }
                .into_any(),
            ),
            ClockLevel::Alert => Some(
                view! {
                    <div class="alert" role="alert">
                        <p>
                            <strong>{describe_device_offset(offset)}</strong>
                            " Codes made by an authenticator on a device with a clock this far off will be refused."
                        </p>
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

    view! {
        <div class="server-time">
            <p class="server-time-label">"Server time"</p>
            <p class="server-time-big" aria-live="off">
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
                    <strong>"iPhone and iPad: "</strong>
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

/// Formats Unix ms as HH:MM:SS in the browser's time zone and in UTC.
fn local_and_utc(unix_ms: f64) -> (String, String) {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
        let local = format!(
            "{:02}:{:02}:{:02}",
            date.get_hours(),
            date.get_minutes(),
            date.get_seconds()
        );
        let utc = format!(
            "{:02}:{:02}:{:02}",
            date.get_utc_hours(),
            date.get_utc_minutes(),
            date.get_utc_seconds()
        );
        (local, utc)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // The server never renders a time: its rendering would be stale by the time it shows.
        let _ = unix_ms;
        ("--:--:--".to_owned(), "--:--:--".to_owned())
    }
}
