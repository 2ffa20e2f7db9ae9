//! `/login`: the password step, then the code step for users with two-factor on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::session::{CancelSignIn, SignIn, VerifyCode, get_auth_state};
use crate::api::types::AuthState;
use crate::clock::use_clock;
use crate::components::alert::{ActionAlert, latest_error};
use crate::components::clock_warning::ClockWarning;
use crate::components::countdown::StepCountdown;

/// The sign-in page. What it shows follows the session on the server, so a reload or a form
/// post without JavaScript lands on the right step.
#[component]
pub fn LoginPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let verify = ServerAction::<VerifyCode>::new();
    let cancel = ServerAction::<CancelSignIn>::new();
    let errors = latest_error(vec![sign_in.value(), verify.value(), cancel.value()]);
    let state = Resource::new(
        move || {
            (
                sign_in.version().get(),
                verify.version().get(),
                cancel.version().get(),
            )
        },
        |_| get_auth_state(),
    );

    view! {
        <Title text="Sign in" />
        <main class="narrow">
            <h1>"Sign in to Staffgate"</h1>
            <OfflineNotice />
            <ActionAlert errors />
            <Suspense fallback=|| {
                view! { <p>"Loading…"</p> }
            }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(AuthState::SignedIn(_)) => {
                            view! { <Redirect path="/account" /> }.into_any()
                        }
                        Ok(AuthState::CodeRequired { username, period_secs }) => {
                            view! { <CodeStep verify cancel username period_secs /> }.into_any()
                        }
                        _ => view! { <PasswordStep sign_in /> }.into_any(),
                    }
                })}
            </Suspense>
            <p class="aside">
                "Codes refused? " <a href="/clock">"Clock check"</a>
                " shows whether this device's clock agrees with the server."
            </p>
        </main>
    }
}

/// Username and password.
#[component]
fn PasswordStep(sign_in: ServerAction<SignIn>) -> impl IntoView {
    view! {
        <ActionForm action=sign_in attr:class="card">
            <label for="username">"Username"</label>
            <input id="username" name="username" type="text" autocomplete="username" required />
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
            />
            <button type="submit">"Sign in"</button>
        </ActionForm>
    }
}

/// A current code from the user's authenticator app or hardware token.
#[component]
fn CodeStep(
    verify: ServerAction<VerifyCode>,
    cancel: ServerAction<CancelSignIn>,
    username: String,
    period_secs: u32,
) -> impl IntoView {
    view! {
        <ClockWarning />
        <ActionForm action=verify attr:class="card">
            <p>
                "Signing in as " <strong>{username}</strong>
                ". Enter the code your authenticator app or hardware token shows now."
            </p>
            <label for="code">"Verification code"</label>
            <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                autofocus
                required
            />
            <StepCountdown period_secs />
            <button type="submit">"Verify"</button>
        </ActionForm>
        <ActionForm action=cancel attr:class="inline">
            <button type="submit" class="link">
                "Sign in as someone else"
            </button>
        </ActionForm>
    }
}

/// Says plainly that signing in needs the server when the browser is offline.
#[component]
fn OfflineNotice() -> impl IntoView {
    let clock = use_clock();
    move || {
        clock.offline.get().then(|| {
            view! {
                <p class="alert" role="alert">
                    "You are offline. Signing in needs a connection to the Staffgate server; it will work again once you are back online. The "
                    <a href="/clock">"clock check"</a>
                    " works offline."
                </p>
            }
        })
    }
}
