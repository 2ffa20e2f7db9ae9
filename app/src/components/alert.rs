//! Showing errors: from actions (forms) and from loading a page's data.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::error::AppError;

/// The last error of one or more actions, announced to screen readers.
///
/// Pass the actions' `value()` signals; the alert shows the error of whichever finished last
/// and disappears when one succeeds.
#[component]
pub fn ActionAlert(#[prop(into)] errors: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        errors.get().map(|error| {
            view! {
                <p class="alert" role="alert">
                    {error.to_string()}
                </p>
            }
        })
    }
}

/// Follows the results of several actions and keeps the most recent error.
///
/// On the server (and so without JavaScript) only one action can carry an error, the one
/// Leptos put in the URL after the form post; in the browser each new result replaces it.
pub fn latest_error(
    values: Vec<MappedSignal<Option<Result<(), AppError>>>>,
) -> Signal<Option<AppError>> {
    let initial = values
        .iter()
        .find_map(|value| value.get_untracked().and_then(Result::err));
    let latest = RwSignal::new(initial);
    for value in values {
        Effect::new(move |previous: Option<()>| {
            let current = value.get();
            // The first run only registers the dependency: the initial value is set above.
            if previous.is_some() {
                match current {
                    Some(Err(error)) => latest.set(Some(error)),
                    Some(Ok(_)) => latest.set(None),
                    None => {}
                }
            }
        });
    }
    latest.into()
}

/// What a page shows when its data could not be loaded: the sign-in page for a visitor who
/// is not signed in, otherwise the reason.
#[component]
pub fn LoadFailure(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthorized => view! { <Redirect path="/login" /> }.into_any(),
        other => view! {
            <p class="alert" role="alert">
                {other.to_string()}
            </p>
        }
        .into_any(),
    }
}
