//! `/admin/tokens`: "Hardware tokens". Import seed files, hand tokens to users, and look after
//! them. Every form works without JavaScript: the import is a plain multipart form post, and
//! its report is kept in the session to be shown here after the redirect.

mod actions;
mod import_form;
mod import_report;
mod row_actions;
mod token_table;

use leptos::prelude::*;
use leptos_meta::Title;

use self::actions::TokenActions;
use self::import_form::ImportForm;
use self::import_report::ImportReport;
use self::token_table::TokenTable;
use crate::api::token_types::TokensView;
use crate::api::tokens::token_inventory;
use crate::api::types::Role;
use crate::components::alert::{ActionAlert, LoadFailure};
use crate::components::nav::SignedInNav;

/// The inventory page.
#[component]
pub fn TokensPage() -> impl IntoView {
    let actions = TokenActions::new();
    let inventory = Resource::new(move || actions.version(), |_| token_inventory());

    view! {
        <Title text="Hardware tokens" />
        <Suspense fallback=|| {
            view! { <p>"Loading…"</p> }
        }>
            {move || Suspend::new(async move {
                match inventory.await {
                    Ok(view) => view! { <TokensBody view actions /> }.into_any(),
                    Err(error) => view! { <LoadFailure error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TokensBody(view: TokensView, actions: TokenActions) -> impl IntoView {
    let errors = actions.latest_error();

    view! {
        <SignedInNav role=Role::Admin />
        <main>
            <h1>"Hardware tokens"</h1>
            <ActionAlert errors />
            <ImportForm />
            {view.last_import.map(|summary| view! { <ImportReport summary /> })}
            <section aria-labelledby="inventory-heading">
                <h2 id="inventory-heading">"Inventory"</h2>
                <TokenTable rows=view.tokens actions />
            </section>
        </main>
    }
}
