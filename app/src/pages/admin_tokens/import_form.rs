//! The import form: a plain multipart form, so the file goes up with or without JavaScript.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::token_import::ImportTokens;

/// File, pre-shared key or password, and "Import".
#[component]
pub fn ImportForm() -> impl IntoView {
    view! {
        <section aria-labelledby="import-heading" class="card">
            <h2 id="import-heading">"Import"</h2>
            <p>
                "A PSKC file (RFC 6030), plain or encrypted with a pre-shared key or a password, or a CSV file with the columns serial, seed, type, digits, step_or_counter, algorithm (hex seeds). Fill in the key or the password only if the file is encrypted."
            </p>
            <form method="post" action=ImportTokens::PATH enctype="multipart/form-data">
                <label for="token-file">"Token file"</label>
                <input
                    id="token-file"
                    name="file"
                    type="file"
                    accept=".xml,.pskc,.csv,.txt,text/xml,application/xml,text/csv"
                    required
                />
                <label for="psk-hex">"Pre-shared key (hex)"</label>
                <input
                    id="psk-hex"
                    name="psk_hex"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                />
                <label for="pskc-password">"Password"</label>
                <input id="pskc-password" name="password" type="password" autocomplete="off" />
                <button type="submit">"Import"</button>
            </form>
        </section>
    }
}
