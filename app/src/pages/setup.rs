//! `/account/two-factor`: set up an authenticator app. Nothing changes until a current code
//! from the new secret is confirmed, so nobody locks themselves out.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::setup::{ConfirmEnrollment, GenerateSecret, setup};
use crate::api::types::{PendingEnrollment, SetupView};
use crate::components::alert::{ActionAlert, LoadFailure, latest_error};
use crate::components::clock_warning::ClockWarning;
use crate::components::countdown::StepCountdown;
use crate::components::nav::SignedInNav;
use crate::components::qr::EnrollmentQr;

/// The setup page.
#[component]
pub fn SetupPage() -> impl IntoView {
    let generate = ServerAction::<GenerateSecret>::new();
    let confirm = ServerAction::<ConfirmEnrollment>::new();
    let data = Resource::new(
        move || (generate.version().get(), confirm.version().get()),
        |_| setup(),
    );

    view! {
        <Title text="Set up two-factor authentication" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <SetupBody view generate confirm /> }.into_any(),
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SetupBody(
    view: SetupView,
    generate: ServerAction<GenerateSecret>,
    confirm: ServerAction<ConfirmEnrollment>,
) -> impl IntoView {
    let errors = latest_error(vec![generate.value(), confirm.value()]);

    view! {
        <SignedInNav role=view.role />
        <main class="narrow">
            <p>
                <a href="/account">"← Account"</a>
            </p>
            <h1>"Set up two-factor authentication"</h1>
            {if view.two_factor_on {
                "Two-factor authentication is on. A new secret replaces the one in use only once you confirm it with a code."
            } else {
                "Two-factor authentication is off. After setup, signing in will also ask for a code from your authenticator app."
            }}
            <ActionAlert errors />
            <ActionForm action=generate attr:class="inline">
                <button type="submit">"Generate a new secret"</button>
            </ActionForm>
            {view.pending.map(|pending| view! { <PendingSecret pending confirm /> })}
        </main>
    }
}

#[component]
fn PendingSecret(
    pending: PendingEnrollment,
    confirm: ServerAction<ConfirmEnrollment>,
) -> impl IntoView {
    let label = format!("QR code for {} at {}", pending.account, pending.issuer);
    let cadence = format!("It shows a new code every {} seconds.", pending.period_secs);

    view! {
        <section class="card" aria-labelledby="scan-heading">
            <h2 id="scan-heading">"1. Add the secret to your authenticator app"</h2>
            <EnrollmentQr uri=pending.uri label />
            <p>"Or type this key into the app:"</p>
            <p class="key">
                <code aria-label="Secret key">{pending.key_grouped}</code>
            </p>
            <p>{cadence}</p>
            {pending
                .non_default
                .then(|| {
                    view! {
                        <p class="notice">
                            {format!(
                                "This installation uses {} with {} digits every {} seconds. Some apps ignore these settings and then make codes that are refused; if that happens, use another app.",
                                pending.algorithm,
                                pending.digits,
                                pending.period_secs,
                            )}
                        </p>
                    }
                })}
            <h2>"2. Enter the code the app shows"</h2>
            <ClockWarning />
            <StepCountdown period_secs=pending.period_secs />
            <ActionForm action=confirm>
                <label for="code">"Verification code"</label>
                <input
                    id="code"
                    name="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    required
                />
                <button type="submit">"Enable two-factor authentication"</button>
            </ActionForm>
        </section>
    }
}
