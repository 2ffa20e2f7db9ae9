//! The page for unknown addresses.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Says the page does not exist and offers a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Not found" />
        <main class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address."</p>
            <p>
                <A href="/account">"Go to your account"</A>
            </p>
        </main>
    }
}
