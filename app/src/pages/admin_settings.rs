//! `/admin/settings`: installation settings for new enrollments.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::{UpdateInstallationSettings, get_installation_settings};
use crate::api::types::{InstallationSettings, Role};
use crate::components::alert::{ActionAlert, LoadFailure, latest_error};
use crate::components::nav::SignedInNav;

/// The settings form.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let update = ServerAction::<UpdateInstallationSettings>::new();
    let settings = Resource::new(
        move || update.version().get(),
        |_| get_installation_settings(),
    );

    view! {
        <Title text="Installation settings" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(current) => view! { <SettingsForm current update /> }.into_any(),
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(
    current: InstallationSettings,
    update: ServerAction<UpdateInstallationSettings>,
) -> impl IntoView {
    let errors = latest_error(vec![update.value()]);
    let option = |value: &'static str, label: &'static str, selected: bool| {
        view! {
            <option value=value selected=selected>
                {label}
            </option>
        }
    };

    view! {
        <SignedInNav role=Role::Admin />
        <main class="narrow">
            <h1>"Installation settings"</h1>
            <p>
                "These apply to new enrollments only; credentials already set up keep theirs. SHA1 with 6 digits every 30 seconds is the only set every common authenticator app honours."
            </p>
            <ActionAlert errors />
            <ActionForm action=update attr:class="card">
                <label for="issuer">"Issuer name shown in apps"</label>
                <input id="issuer" name="issuer" type="text" value=current.issuer required />
                <label for="algorithm">"Algorithm"</label>
                <select id="algorithm" name="algorithm">
                    {option("SHA1", "SHA1 (default)", current.algorithm == "SHA1")}
                    {option("SHA256", "SHA256", current.algorithm == "SHA256")}
                    {option("SHA512", "SHA512", current.algorithm == "SHA512")}
                </select>
                <label for="digits">"Code digits"</label>
                <select id="digits" name="digits">
                    {option("6", "6 (default)", current.digits == 6)}
                    {option("8", "8", current.digits == 8)}
                </select>
                <label for="period_secs">"Period"</label>
                <select id="period_secs" name="period_secs">
                    {option("30", "30 seconds (default)", current.period_secs == 30)}
                    {option("60", "60 seconds", current.period_secs == 60)}
                </select>
                <button type="submit">"Save settings"</button>
            </ActionForm>
        </main>
    }
}
