//! `/account`: who is signed in and whether two-factor is on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::setup::{DisableOwnTwoFactor, account};
use crate::api::token_types::AssignedToken;
use crate::api::tokens::{ActivateOwnToken, own_tokens};
use crate::api::types::AccountView;
use crate::components::alert::{ActionAlert, LoadFailure, latest_error};
use crate::components::nav::SignedInNav;
use crate::components::token_activation::TokenActivation;
use crate::error::AppError;

/// The Account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let disable = ServerAction::<DisableOwnTwoFactor>::new();
    let activate = ServerAction::<ActivateOwnToken>::new();
    let data = Resource::new(
        move || (disable.version().get(), activate.version().get()),
        |_| async move { Ok::<_, AppError>((account().await?, own_tokens().await?)) },
    );

    view! {
        <Title text="Account" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((view, tokens)) => {
                        view! { <AccountBody view tokens disable activate /> }.into_any()
                    }
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountBody(
    view: AccountView,
    tokens: Vec<AssignedToken>,
    disable: ServerAction<DisableOwnTwoFactor>,
    activate: ServerAction<ActivateOwnToken>,
) -> impl IntoView {
    let errors = latest_error(vec![disable.value(), activate.value()]);
    let status = if view.two_factor_on {
        "Two-factor authentication is on"
    } else {
        "Two-factor authentication is off"
    };

    view! {
        <SignedInNav role=view.role />
        <main>
            <h1>"Account"</h1>
            <dl class="facts">
                <dt>"Username"</dt>
                <dd>{view.username}</dd>
                <dt>"Email"</dt>
                <dd>{view.email}</dd>
                <dt>"Role"</dt>
                <dd>{view.role.as_str()}</dd>
            </dl>
            <section aria-labelledby="two-factor-heading">
                <h2 id="two-factor-heading">"Two-factor authentication"</h2>
                <p class="status">{status}</p>
                <p>
                    <A href="/account/two-factor">"Set up two-factor authentication"</A>
                </p>
                <ActionAlert errors />
                {tokens
                    .into_iter()
                    .map(|token| view! { <TokenActivation token activate /> })
                    .collect_view()}
                {view
                    .two_factor_on
                    .then(|| {
                        view! {
                            <details class="card">
                                <summary>"Turn off two-factor authentication"</summary>
                                <p>
                                    "Turning it off needs a current code, so that nobody can do it with your password alone."
                                </p>
                                <ActionForm action=disable>
                                    <label for="disable-code">"Verification code"</label>
                                    <input
                                        id="disable-code"
                                        name="code"
                                        type="text"
                                        inputmode="numeric"
                                        autocomplete="one-time-code"
                                        required
                                    />
                                    <button type="submit">
                                        "Turn off two-factor authentication"
                                    </button>
                                </ActionForm>
                            </details>
                        }
                    })}
            </section>
        </main>
    }
}
