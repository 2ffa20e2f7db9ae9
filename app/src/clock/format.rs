//! Clock times for people: HH:MM:SS in the browser's time zone and in UTC.

/// Formats Unix ms as HH:MM:SS in the browser's time zone and in UTC.
///
/// The server renders "--:--:--" instead: its rendering would be stale by the time it shows,
/// and it does not know the reader's time zone.
pub fn local_and_utc(unix_ms: f64) -> (String, String) {
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
        let _ = unix_ms;
        ("--:--:--".to_owned(), "--:--:--".to_owned())
    }
}
