//! The browser side of the clock: round trips to `/api/time`, the tick, offline handling (the
//! browser's `online`/`offline` events and failed round trips) and the service worker. Intervals use the monotonic clock (`performance.now()`); `Date.now()`
//! is read only as the device's wall clock.

use std::time::Duration;

use gloo_timers::future::sleep;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use staffgate_core::clock::offset::{Estimate, Sample, best_of};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response, VisibilityState};

use super::{ClockContext, Measurement};
use crate::api::types::{NtpReport, TimeReport};

/// Round trips per measurement; the one with the shortest round trip wins.
const SAMPLES: usize = 5;
/// How often to measure again while the page is open.
const REMEASURE_EVERY: Duration = Duration::from_secs(60);
/// Where the last measurement is kept for offline use.
const STORAGE_KEY: &str = "staffgate.clock";

/// What is stored between visits.
#[derive(Serialize, Deserialize)]
struct Stored {
    estimate: Estimate,
    measured_at_ms: f64,
    ntp: Option<NtpReport>,
    /// Missing in what older builds stored.
    #[serde(default)]
    period_secs: Option<u32>,
}

/// Loads the stored measurement, starts the tick, measures, and keeps measuring.
pub(super) fn start(clock: ClockContext) {
    if let Some(stored) = load() {
        clock.measurement.set(Some(Measurement {
            estimate: stored.estimate,
            measured_at_ms: stored.measured_at_ms,
            ntp: stored.ntp,
            period_secs: stored.period_secs,
            fresh: false,
        }));
    }
    if !browser_online() {
        clock.offline.set(true);
    }
    // Say so at once when the connection goes, and measure as soon as it is back.
    on_window_event("offline", move || clock.offline.set(true));
    on_window_event("online", move || measure_in_background(clock));
    clock.device_now_ms.set(Some(js_sys::Date::now()));
    spawn_local(tick(clock));
    spawn_local(async move {
        loop {
            measure(clock).await;
            sleep(REMEASURE_EVERY).await;
        }
    });
    on_visible(move || measure_in_background(clock));
}

/// Starts one measurement without waiting for it.
pub(super) fn measure_in_background(clock: ClockContext) {
    spawn_local(measure(clock));
}

async fn measure(clock: ClockContext) {
    let mut samples = Vec::with_capacity(SAMPLES);
    let mut report = None;
    if browser_online() {
        for _ in 0..SAMPLES {
            match round_trip().await {
                Ok((sample, answer)) => {
                    samples.push(sample);
                    report = Some(answer);
                }
                Err(_) => break,
            }
        }
    }
    let (Some(estimate), Some(report)) = (best_of(&samples), report) else {
        clock.offline.set(true);
        return;
    };

    let measurement = Measurement {
        estimate,
        measured_at_ms: js_sys::Date::now(),
        ntp: Some(report.ntp),
        period_secs: report.period_secs,
        fresh: true,
    };
    save(&measurement);
    // The connection may have gone while the answers were on their way.
    clock.offline.set(!browser_online());
    clock.measurement.set(Some(measurement));
    clock.device_now_ms.set(Some(js_sys::Date::now()));
}

async fn round_trip() -> Result<(Sample, TimeReport), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let performance = window.performance().ok_or("no performance clock")?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(RequestCache::NoStore);

    let sent_wall_ms = js_sys::Date::now();
    let sent_mono_ms = performance.now();
    let response: Response = JsFuture::from(window.fetch_with_str_and_init("/api/time", &init))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Err("the time endpoint answered with an error".into());
    }
    let body = JsFuture::from(response.text()?).await?;
    // The reply has fully arrived only now; the server's stamp lies between send and here.
    let received_mono_ms = performance.now();

    let text = body.as_string().ok_or("the time endpoint sent no text")?;
    let report: TimeReport =
        serde_json::from_str(&text).map_err(|error| JsValue::from_str(&error.to_string()))?;
    let sample = Sample {
        sent_mono_ms,
        received_mono_ms,
        sent_wall_ms,
        server_unix_ms: report.server_unix_ms,
    };
    Ok((sample, report))
}

/// Updates the clock at each whole second of server time, so a countdown turns over exactly
/// at step boundaries and never drifts: every tick recomputes from the clock.
async fn tick(clock: ClockContext) {
    loop {
        let now = js_sys::Date::now();
        clock.device_now_ms.set(Some(now));
        let offset = clock
            .measurement
            .with_untracked(|m| m.as_ref().map_or(0.0, |m| m.estimate.offset_ms));
        let server_ms = now + offset;
        let to_next_second = 1000.0 - server_ms.rem_euclid(1000.0);
        // A millisecond past the boundary, so the tick lands in the new second; a timer that
        // fires early is caught up by the next, a millisecond later.
        sleep(Duration::from_millis(to_next_second.ceil() as u64 + 1)).await;
    }
}

/// What the browser says about its connection (`navigator.onLine`); true if it cannot say.
fn browser_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

fn on_window_event(name: &str, action: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let listener = Closure::<dyn Fn()>::new(action);
    let _ = window.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
    // The page keeps the listener for its whole life.
    listener.forget();
}

fn on_visible(action: impl Fn() + 'static) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let listener = Closure::<dyn Fn()>::new(move || {
        let visible = web_sys::window()
            .and_then(|window| window.document())
            .is_some_and(|document| document.visibility_state() == VisibilityState::Visible);
        if visible {
            action();
        }
    });
    let _ = document
        .add_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
    // The page keeps the listener for its whole life.
    listener.forget();
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load() -> Option<Stored> {
    let text = storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn save(measurement: &Measurement) {
    let stored = Stored {
        estimate: measurement.estimate,
        measured_at_ms: measurement.measured_at_ms,
        ntp: measurement.ntp.clone(),
        period_secs: measurement.period_secs,
    };
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(&stored)) {
        let _ = storage.set_item(STORAGE_KEY, &text);
    }
}

/// Registers `/sw.js` for this build (the build id comes from the page's
/// `<meta name="staffgate-build">`), so a new build replaces the old offline cache.
pub(super) fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let build = window
        .document()
        .and_then(|document| {
            document
                .query_selector("meta[name=staffgate-build]")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default();
    let url = format!("/sw.js?build={build}");
    spawn_local(async move {
        if let Err(error) = JsFuture::from(container.register(&url)).await {
            leptos::logging::warn!("the offline cache could not be set up: {error:?}");
        }
    });
}
