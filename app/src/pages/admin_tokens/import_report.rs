//! The report of the last import: the fault that refused the file, or every token's outcome.

use leptos::prelude::*;

use crate::api::token_types::{ImportLine, ImportOutcome, ImportSummary};

/// The last import of this session.
#[component]
pub fn ImportReport(summary: ImportSummary) -> impl IntoView {
    let file = summary
        .file_name
        .clone()
        .filter(|name| !name.is_empty())
        .map(|name| format!(" of {name}"))
        .unwrap_or_default();
    let counts = format!(
        "{} imported, {} refused.",
        summary.imported(),
        summary.refused()
    );

    view! {
        <section aria-labelledby="report-heading">
            <h2 id="report-heading">{format!("Last import{file}")}</h2>
            {match summary.file_error {
                Some(error) => {
                    view! {
                        <p class="alert" role="alert">
                            {error}
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="status">{counts}</p>
                        <table class="grid">
                            <thead>
                                <tr>
                                    <th scope="col">"Serial"</th>
                                    <th scope="col">"Result"</th>
                                    <th scope="col">"Details"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {summary
                                    .lines
                                    .into_iter()
                                    .map(|line| view! { <ReportLine line /> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ReportLine(line: ImportLine) -> impl IntoView {
    let (result, details) = match line.outcome {
        ImportOutcome::Imported { warnings } => ("imported", warnings.join(" ")),
        ImportOutcome::Refused { reason } => ("refused", reason),
    };

    view! {
        <tr>
            <th scope="row">{line.serial}</th>
            <td>{result}</td>
            <td>{details}</td>
        </tr>
    }
}
