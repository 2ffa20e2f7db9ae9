//! The Account page's form for a hardware token an admin has assigned to the user: the token
//! works only once a current code from it has been entered, so nobody is locked out by a token
//! that does not work.

use leptos::prelude::*;

use crate::api::token_types::AssignedToken;
use crate::api::tokens::ActivateOwnToken;

/// "Activate hardware token" for one assigned token.
#[component]
pub fn TokenActivation(
    token: AssignedToken,
    activate: ServerAction<ActivateOwnToken>,
) -> impl IntoView {
    let id = token.id;

    view! {
        <ActionForm action=activate attr:class="card">
            <h3>"Activate hardware token"</h3>
            <p>
                {format!(
                    "An administrator has given you hardware token {}. Enter the {}-digit code it shows now to start signing in with it.",
                    token.serial,
                    token.digits,
                )}
            </p>
            <input type="hidden" name="token_id" value=id.to_string() />
            <label for=format!("token-code-{id}")>"Verification code"</label>
            <input
                id=format!("token-code-{id}")
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                required
            />
            <button type="submit">"Activate hardware token"</button>
        </ActionForm>
    }
}
