//! The inventory table: one row per token, with the actions its state allows.

use leptos::prelude::*;

use super::actions::TokenActions;
use super::row_actions::RowActions;
use crate::api::token_types::{TokenRow, TokenState};

/// Every token, by serial.
#[component]
pub fn TokenTable(rows: Vec<TokenRow>, actions: TokenActions) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"No hardware tokens yet. Import a seed file above."</p> }.into_any();
    }

    view! {
        <table class="grid">
            <thead>
                <tr>
                    <th scope="col">"Serial"</th>
                    <th scope="col">"Manufacturer / model"</th>
                    <th scope="col">"Algorithm"</th>
                    <th scope="col">"Digits"</th>
                    <th scope="col">"Period"</th>
                    <th scope="col">"Assigned user"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Last use"</th>
                    <th scope="col">"Learned drift"</th>
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| view! { <TokenTableRow row actions /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn TokenTableRow(row: TokenRow, actions: TokenActions) -> impl IntoView {
    let warnings = row.warnings.join(" ");
    let has_warnings = !warnings.is_empty();
    let app_holder = match (row.state, row.holder_has_app, row.user_id, &row.user) {
        (TokenState::Active, true, Some(user_id), Some(username)) => {
            Some((user_id, username.clone()))
        }
        _ => None,
    };

    view! {
        <tr>
            <th scope="row">
                {row.serial} {has_warnings.then(|| view! { <p class="aside">{warnings}</p> })}
            </th>
            <td>{row.maker}</td>
            <td>{row.algorithm}</td>
            <td>{row.digits}</td>
            <td>{format!("{} s", row.period_secs)}</td>
            <td>{row.user.unwrap_or_default()}</td>
            <td>{row.state.words()}</td>
            <td>{row.last_used.unwrap_or_else(|| "never".into())}</td>
            <td>{row.drift.unwrap_or_default()}</td>
            <td>
                <RowActions id=row.id state=row.state actions app_holder />
            </td>
        </tr>
    }
}
