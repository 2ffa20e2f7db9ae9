//! The enrollment QR code, drawn in the browser from the otpauth URI.
//!
//! The server renders only the frame; the WebAssembly client draws the SVG after hydration.
//! Without JavaScript the page still shows the key as text, which is enough to set up an app.

use leptos::prelude::*;

/// A scannable QR code of `uri`, labelled for screen readers.
#[component]
pub fn EnrollmentQr(uri: String, label: String) -> impl IntoView {
    let svg = RwSignal::new(None::<String>);
    // Set when the URI does not fit a QR code that phones scan reliably (a very long issuer or
    // username): the page then says so instead of waiting for a drawing that never comes.
    let too_long = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| match staffgate_core::qr::enrollment_qr_svg(&uri) {
        Ok(drawn) => svg.set(Some(drawn.svg)),
        Err(error) => {
            leptos::logging::error!("could not draw the QR code: {error}");
            too_long.set(true);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = uri;

    view! {
        <div class="qr">
            {move || match svg.get() {
                Some(svg) => {
                    view! {
                        <div
                            class="qr-image"
                            role="img"
                            aria-label=label.clone()
                            inner_html=svg
                        ></div>
                    }
                        .into_any()
                }
                None if too_long.get() => {
                    view! {
                        <p class="qr-placeholder" role="alert">
                            "This account's name is too long for a QR code that phones scan reliably. Type the key below into your app instead."
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="qr-placeholder">
                            "The QR code is drawn by this page's script. If it does not appear, type the key below into your app."
                        </p>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
