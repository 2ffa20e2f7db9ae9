//! `/admin/users`: "Manage System Users". An admin can turn off a user's two-factor here when
//! the user has lost their device; there are no recovery codes by design.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    components::{A, Form},
    hooks::use_query_map,
};

use crate::api::admin::{AdminDisableTwoFactor, list_users};
use crate::api::types::{Role, UserRow};
use crate::components::alert::{ActionAlert, LoadFailure, latest_error};
use crate::components::nav::SignedInNav;

/// The user table.
#[component]
pub fn UsersPage() -> impl IntoView {
    let disable = ServerAction::<AdminDisableTwoFactor>::new();
    let users = Resource::new(move || disable.version().get(), |_| list_users());
    let errors = latest_error(vec![disable.value()]);
    let query = use_query_map();
    // The row whose "Disable" form is open, chosen by a plain GET so it works without scripts.
    let open_row = move || {
        query
            .read()
            .get("disable")
            .and_then(|id| id.parse::<i64>().ok())
    };

    view! {
        <Title text="Manage System Users" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(rows) => {
                        view! {
                            <SignedInNav role=Role::Admin />
                            <main>
                                <h1>"Manage System Users"</h1>
                                <ActionAlert errors />
                                <UserTable rows open_row=Signal::derive(open_row) disable />
                            </main>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn UserTable(
    rows: Vec<UserRow>,
    open_row: Signal<Option<i64>>,
    disable: ServerAction<AdminDisableTwoFactor>,
) -> impl IntoView {
    view! {
        <table class="grid">
            <thead>
                <tr>
                    <th scope="col">"Username"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Two-factor"</th>
                    <th scope="col">"Last sign-in"</th>
                    <th scope="col">"Device clock"</th>
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| view! { <UserTableRow row open_row disable /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn UserTableRow(
    row: UserRow,
    open_row: Signal<Option<i64>>,
    disable: ServerAction<AdminDisableTwoFactor>,
) -> impl IntoView {
    let id = row.id;
    let username = row.username.clone();

    view! {
        <tr>
            <th scope="row">{row.username}</th>
            <td>{row.role.as_str()}</td>
            <td>{row.email}</td>
            <td>{if row.two_factor_on { "on" } else { "off" }}</td>
            <td>{row.last_sign_in.unwrap_or_else(|| "never".into())}</td>
            <td>{row.device_clock.unwrap_or_default()}</td>
            <td>
                {row
                    .two_factor_on
                    .then(move || {
                        view! {
                            <Show
                                when=move || open_row.get() == Some(id)
                                fallback=move || {
                                    view! {
                                        <Form method="GET" action="">
                                            <button type="submit" name="disable" value=id.to_string()>
                                                "Disable two-factor authentication"
                                            </button>
                                        </Form>
                                    }
                                }
                            >
                                <DisableForm id username=username.clone() disable />
                            </Show>
                        }
                    })}
            </td>
        </tr>
    }
}

/// Reason and the admin's own password, checked again before anything changes.
#[component]
fn DisableForm(
    id: i64,
    username: String,
    disable: ServerAction<AdminDisableTwoFactor>,
) -> impl IntoView {
    view! {
        <ActionForm action=disable attr:class="stacked">
            <p>
                {format!(
                    "Turn off two-factor authentication for {username}? They will be emailed and the change is logged.",
                )}
            </p>
            <input type="hidden" name="user_id" value=id.to_string() />
            <label for=format!("reason-{id}")>"Reason"</label>
            <input id=format!("reason-{id}") name="reason" type="text" required />
            <label for=format!("admin-password-{id}")>"Your password"</label>
            <input
                id=format!("admin-password-{id}")
                name="password"
                type="password"
                autocomplete="current-password"
                required
            />
            <button type="submit">"Confirm"</button>
            <A href="/admin/users">"Cancel"</A>
        </ActionForm>
    }
}
