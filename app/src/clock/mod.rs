//! The browser's view of the server's clock.
//!
//! Codes only work while clocks agree, so pages that ask for a code measure how far this
//! device's clock is from the server's (NTP style, several round trips to `GET /api/time`,
//! keeping the shortest) and show a countdown and warnings from server-corrected time. The
//! arithmetic lives in `staffgate_core::clock`; this module holds the reactive state, and
//! [`browser`] the parts that only run in the browser.

#[cfg(feature = "hydrate")]
mod browser;
pub mod format;

use leptos::prelude::*;
use staffgate_core::clock::offset::{Estimate, corrected_now_ms, device_offset_secs};

use crate::api::types::NtpReport;

/// One offset measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub estimate: Estimate,
    /// The device's wall clock when it was taken (Unix ms).
    pub measured_at_ms: f64,
    pub ntp: Option<NtpReport>,
    /// The installation's time step in seconds, if the server could say.
    pub period_secs: Option<u32>,
    /// False when it was loaded from storage rather than measured on this page.
    pub fresh: bool,
}

impl Measurement {
    /// How far this device's clock is ahead of the server's, in seconds (negative: behind).
    pub fn device_offset_secs(&self) -> f64 {
        device_offset_secs(&self.estimate)
    }
}

/// Shared clock state of the page.
#[derive(Debug, Clone, Copy)]
pub struct ClockContext {
    /// The latest measurement, if any.
    pub measurement: RwSignal<Option<Measurement>>,
    /// The device's wall clock (Unix ms), updated at every whole second of server time.
    pub device_now_ms: RwSignal<Option<f64>>,
    /// True while the browser says it is offline, or when the last attempt to reach the
    /// server failed.
    pub offline: RwSignal<bool>,
    started: StoredValue<bool>,
}

impl ClockContext {
    /// The server's time now (Unix ms) by this device's clock and the latest measurement.
    pub fn server_now_ms(&self) -> Option<f64> {
        let now = self.device_now_ms.get()?;
        let measurement = self.measurement.get()?;
        Some(corrected_now_ms(now, &measurement.estimate))
    }

    /// The measurement warnings may use: online only one taken on this page, since a stored
    /// one may be hours old; offline the stored one too (the warning then says how old it is).
    pub fn measurement_for_warnings(&self) -> Option<Measurement> {
        let offline = self.offline.get();
        self.measurement
            .get()
            .filter(|measurement| measurement.fresh || offline)
    }

    /// Measures again now (also done every minute and when the tab becomes visible).
    pub fn measure_now(&self) {
        #[cfg(feature = "hydrate")]
        browser::measure_in_background(*self);
    }
}

/// Makes the clock state available to the whole app (call once, at the top).
pub fn provide_clock() {
    provide_context(ClockContext {
        measurement: RwSignal::new(None),
        device_now_ms: RwSignal::new(None),
        offline: RwSignal::new(false),
        started: StoredValue::new(false),
    });
}

/// The app's clock state; measuring and ticking start the first time a page asks for it
/// (in the browser only: the server renders "checking the time" placeholders).
pub fn use_clock() -> ClockContext {
    let context = use_context::<ClockContext>().unwrap_or_else(|| {
        provide_clock();
        expect_context::<ClockContext>()
    });

    if !context.started.get_value() {
        context.started.set_value(true);
        #[cfg(feature = "hydrate")]
        Effect::new(move |_| browser::start(context));
    }
    context
}

/// Registers the service worker that keeps the app shell and the clock check working offline.
#[cfg(feature = "hydrate")]
pub fn register_service_worker() {
    browser::register_service_worker();
}
