//! The forms in an inventory row, by the token's state: assign a token in stock; activate or
//! take back an assigned one; take back, reset or resync an active one, or remove its user's
//! authenticator app while the token stays; return a revoked one.

use leptos::prelude::*;

use super::actions::TokenActions;
use crate::api::token_types::TokenState;

/// The actions for one token; `app_holder` is the user id and name of an active token's
/// user when they also have an authenticator app.
#[component]
pub fn RowActions(
    id: i64,
    state: TokenState,
    actions: TokenActions,
    app_holder: Option<(i64, String)>,
) -> impl IntoView {
    match state {
        TokenState::InStock => view! {
            <ActionForm action=actions.assign attr:class="stacked">
                <TokenId id />
                <label for=format!("assign-{id}")>"Assign to"</label>
                <input
                    id=format!("assign-{id}")
                    name="username"
                    type="text"
                    autocomplete="off"
                    placeholder="username"
                    required
                />
                <button type="submit">"Assign"</button>
            </ActionForm>
        }
        .into_any(),
        TokenState::Assigned => view! {
            <ActionForm action=actions.activate attr:class="stacked">
                <TokenId id />
                <label for=format!("activate-{id}")>"Verification code"</label>
                <input
                    id=format!("activate-{id}")
                    name="code"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    required
                />
                <button type="submit">"Activate"</button>
            </ActionForm>
            <ActionForm action=actions.remove attr:class="inline">
                <TokenId id />
                <button type="submit">"Remove from user"</button>
            </ActionForm>
        }
        .into_any(),
        TokenState::Active => view! {
            <ActionForm action=actions.remove attr:class="inline">
                <TokenId id />
                <button type="submit">"Remove from user"</button>
            </ActionForm>
            <ActionForm action=actions.reset_drift attr:class="inline">
                <TokenId id />
                <button type="submit">"Reset drift"</button>
            </ActionForm>
            {app_holder
                .map(|(user_id, username)| {
                    view! {
                        <ActionForm action=actions.remove_app attr:class="stacked">
                            <p class="aside">
                                {format!("{username} also has an authenticator app.")}
                            </p>
                            <input type="hidden" name="user_id" value=user_id.to_string() />
                            <button type="submit">"Remove authenticator app"</button>
                        </ActionForm>
                    }
                })}
            <details>
                <summary>"Resync"</summary>
                <ActionForm action=actions.resync attr:class="stacked">
                    <TokenId id />
                    <label for=format!("resync-first-{id}")>"First code"</label>
                    <input
                        id=format!("resync-first-{id}")
                        name="first_code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        required
                    />
                    <label for=format!("resync-second-{id}")>"Next code"</label>
                    <input
                        id=format!("resync-second-{id}")
                        name="second_code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        required
                    />
                    <button type="submit">"Resync"</button>
                </ActionForm>
            </details>
        }
        .into_any(),
        TokenState::Revoked => view! {
            <ActionForm action=actions.return_to_stock attr:class="inline">
                <TokenId id />
                <button type="submit">"Return to stock"</button>
            </ActionForm>
        }
        .into_any(),
    }
}

/// The hidden field that names the token.
#[component]
fn TokenId(id: i64) -> impl IntoView {
    view! { <input type="hidden" name="token_id" value=id.to_string() /> }
}
