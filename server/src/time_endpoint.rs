//! `GET /api/time`: the server's clock and NTP state, for the browser's offset measurement.
//!
//! No sign-in needed, never cached, and cheap: one `adjtimex` call, one read of the one-row
//! settings table (for the installation's time step) and one clock read. The clock is read
//! last, just before the answer is serialised, so the figure is as fresh as the server can
//! make it.

use axum::Json;
use axum::http::header;
use axum::response::IntoResponse;
use staffgate_app::api::types::{NtpReport, TimeReport};
use staffgate_core::ntp::{self, NtpState};

use crate::db::{Db, settings};

/// Answers with the server's Unix time in milliseconds, its NTP state and the installation's
/// time step.
pub async fn server_time(db: Db) -> impl IntoResponse {
    answer(installation_period(&db).await)
}

/// The answer itself, with the clock read last.
fn answer(period_secs: Option<u32>) -> impl IntoResponse {
    let state = ntp::read();
    let ntp = report(&state);
    let server_unix_ms = unix_ms_now();
    (
        [(header::CACHE_CONTROL, "no-store, max-age=0")],
        Json(TimeReport {
            server_unix_ms,
            ntp,
            period_secs,
        }),
    )
}

/// The time step of new enrollments, or `None` (logged) when the settings cannot be read: the
/// clock figures are still worth sending.
async fn installation_period(db: &Db) -> Option<u32> {
    match settings::get(db.pool()).await {
        Ok(stored) => u32::try_from(stored.period).ok(),
        Err(error) => {
            tracing::warn!(%error, "the time endpoint could not read the installation's period");
            None
        }
    }
}

fn report(state: &NtpState) -> NtpReport {
    let description = ntp::describe(state);
    match *state {
        NtpState::Synchronised {
            est_error_ms,
            max_error_ms,
        } => NtpReport {
            state: "synchronised".into(),
            est_error_ms: Some(est_error_ms),
            max_error_ms: Some(max_error_ms),
            description,
        },
        NtpState::NotSynchronised {
            est_error_ms,
            max_error_ms,
        } => NtpReport {
            state: "not_synchronised".into(),
            est_error_ms: Some(est_error_ms),
            max_error_ms: Some(max_error_ms),
            description,
        },
        NtpState::Unknown { .. } => NtpReport {
            state: "unknown".into(),
            est_error_ms: None,
            max_error_ms: None,
            description,
        },
    }
}

/// The wall clock in Unix milliseconds, with sub-millisecond precision.
fn unix_ms_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_the_state_and_keeps_the_errors() {
        let state = NtpState::NotSynchronised {
            est_error_ms: 16_000.0,
            max_error_ms: 16_000.0,
        };
        let report = report(&state);
        assert_eq!(report.state, "not_synchronised");
        assert_eq!(report.max_error_ms, Some(16_000.0));
        assert!(
            report.description.contains("NOT synchronised"),
            "{}",
            report.description
        );

        let unknown = report_of_unknown();
        assert_eq!(unknown.state, "unknown");
        assert_eq!(unknown.est_error_ms, None);
    }

    fn report_of_unknown() -> NtpReport {
        report(&NtpState::Unknown {
            reason: "not Linux".into(),
        })
    }

    #[tokio::test]
    async fn the_reported_time_is_within_5_ms_of_the_system_clock() {
        let before = unix_ms_now();
        let response = answer(Some(30)).into_response();
        let after = unix_ms_now();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let report: TimeReport = serde_json::from_slice(&body).unwrap();
        assert_eq!(report.period_secs, Some(30));
        assert!(
            report.server_unix_ms >= before - 5.0,
            "{} < {before}",
            report.server_unix_ms
        );
        assert!(
            report.server_unix_ms <= after + 5.0,
            "{} > {after}",
            report.server_unix_ms
        );
        assert!(
            after - before < 50.0,
            "the endpoint took {} ms",
            after - before
        );
    }
}
