//! `GET /api/time` through the real router: public, never cached, the JSON the browser's
//! offset measurement reads, a figure from the server's clock, and the installation's period.

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use serde_json::Value;
use staffgate_app::api::types::TimeReport;

use crate::helpers::spawn_app;

fn unix_ms_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs_f64()
        * 1000.0
}

async fn get_time(base: &str) -> (reqwest::Response, f64, f64) {
    let client = reqwest::Client::new();
    let before = unix_ms_now();
    let response = client
        .get(format!("{base}/api/time"))
        .send()
        .await
        .expect("GET /api/time");
    let after = unix_ms_now();
    (response, before, after)
}

#[tokio::test]
async fn the_time_endpoint_needs_no_sign_in_is_never_cached_and_tells_the_servers_time() {
    let app = spawn_app().await;

    let (response, before, after) = get_time(&app.base).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let cache_control = header("cache-control").expect("a Cache-Control header");
    assert!(cache_control.contains("no-store"), "{cache_control}");
    assert!(cache_control.contains("max-age=0"), "{cache_control}");
    assert!(
        header("content-type").is_some_and(|kind| kind.starts_with("application/json")),
        "{:?}",
        header("content-type")
    );
    assert_eq!(header("set-cookie"), None, "no session is started");

    let body: Value =
        serde_json::from_str(&response.text().await.expect("a body")).expect("a JSON body");
    let object = body.as_object().expect("a JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["ntp", "period_secs", "server_unix_ms"], "{body}");
    let mut ntp_keys: Vec<&str> = body["ntp"]
        .as_object()
        .expect("an ntp object")
        .keys()
        .map(String::as_str)
        .collect();
    ntp_keys.sort_unstable();
    assert_eq!(
        ntp_keys,
        ["description", "est_error_ms", "max_error_ms", "state"],
        "{body}"
    );

    let report: TimeReport = serde_json::from_value(body.clone()).expect("a time report");
    // The server and the test read the same clock: its figure lies within the request, give
    // or take the 5 ms the unit test allows between reading the clock and writing the answer.
    assert!(
        report.server_unix_ms >= before - 5.0 && report.server_unix_ms <= after + 5.0,
        "{} is not within [{before}, {after}]",
        report.server_unix_ms
    );
    assert_eq!(report.period_secs, Some(30));
    assert!(!report.ntp.description.is_empty());
    match report.ntp.state.as_str() {
        "synchronised" | "not_synchronised" => {
            let (est, max) = (report.ntp.est_error_ms, report.ntp.max_error_ms);
            assert!(est.is_some_and(|est| est >= 0.0), "{body}");
            assert!(max.is_some_and(|max| max >= 0.0), "{body}");
        }
        "unknown" => {
            assert_eq!(report.ntp.est_error_ms, None, "unknown is never a guess");
            assert_eq!(report.ntp.max_error_ms, None, "unknown is never a guess");
        }
        other => panic!("unexpected NTP state {other:?}"),
    }
}

#[tokio::test]
async fn the_time_endpoint_gives_the_installations_period() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    admin.set_installation("SHA1", 6, 60).await;

    let (response, _, _) = get_time(&app.base).await;
    let body = response.text().await.expect("a body");
    let report: TimeReport = serde_json::from_str(&body).expect("a time report");
    assert_eq!(report.period_secs, Some(60));
}
