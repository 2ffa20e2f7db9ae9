//! `/`: sends the visitor where they belong.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::api::session::get_auth_state;
use crate::api::types::AuthState;

/// Redirects to the Account page when signed in, else to the sign-in page.
#[component]
pub fn HomePage() -> impl IntoView {
    let state = Resource::new(|| (), |_| get_auth_state());

    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let path = match state.await {
                    Ok(AuthState::SignedIn(_)) => "/account",
                    _ => "/login",
                };
                view! { <Redirect path=path /> }
            })}
        </Suspense>
    }
}
