//! `/admin/notifications`: the append-only System Notifications log.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::admin::list_notifications;
use crate::api::types::{NotificationRow, Role};
use crate::components::alert::LoadFailure;
use crate::components::nav::SignedInNav;

/// The log, newest first.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let entries = Resource::new(|| (), |_| list_notifications());

    view! {
        <Title text="System Notifications" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(rows) => {
                        view! {
                            <SignedInNav role=Role::Admin />
                            <main>
                                <h1>"System Notifications"</h1>
                                <p>
                                    "Every change to sign-in security, newest first. Entries cannot be changed or deleted."
                                </p>
                                <NotificationTable rows />
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
fn NotificationTable(rows: Vec<NotificationRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p>"Nothing has happened yet."</p> }.into_any();
    }

    view! {
        <table class="grid">
            <thead>
                <tr>
                    <th scope="col">"When (UTC)"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"By"</th>
                    <th scope="col">"User"</th>
                    <th scope="col">"From address"</th>
                    <th scope="col">"Reason"</th>
                    <th scope="col">"Details"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <tr>
                                <td>{row.at}</td>
                                <td>{row.event}</td>
                                <td>{row.actor}</td>
                                <td>{row.subject.unwrap_or_default()}</td>
                                <td>{row.address.unwrap_or_default()}</td>
                                <td>{row.reason.unwrap_or_default()}</td>
                                <td>{row.detail.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
