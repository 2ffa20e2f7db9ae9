//! The header of every signed-in page.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::session::SignOut;
use crate::api::types::Role;

/// Links for the signed-in user and the "Sign out" button.
#[component]
pub fn SignedInNav(role: Role) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();

    view! {
        <header class="topbar">
            <span class="brand">"Staffgate"</span>
            <nav aria-label="Main">
                <A href="/account">"Account"</A>
                {(role == Role::Admin)
                    .then(|| {
                        view! {
                            <A href="/admin/users">"Manage System Users"</A>
                            <A href="/admin/notifications">"System Notifications"</A>
                            <A href="/admin/tokens">"Hardware tokens"</A>
                            <A href="/admin/settings">"Installation settings"</A>
                        }
                    })}
            </nav>
            <ActionForm action=sign_out attr:class="inline">
                <button type="submit">"Sign out"</button>
            </ActionForm>
        </header>
    }
}
