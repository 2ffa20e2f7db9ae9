//! Requests a browser sends on behalf of another site are refused before they change anything.

use reqwest::StatusCode;
use staffgate_app::api::types::AuthState;
use staffgate_app::error::AppError;

use crate::helpers::{PASSWORD, random_secret, spawn_app};

const CROSS_SITE_HEADERS: &[&[(&str, &str)]] = &[
    &[("sec-fetch-site", "cross-site")],
    &[("sec-fetch-site", "same-site")],
    &[("origin", "http://evil.example")],
    &[("origin", "null")],
    // A browser that sends both: Fetch Metadata decides.
    &[
        ("sec-fetch-site", "cross-site"),
        ("origin", "http://evil.example"),
    ],
];

#[tokio::test]
async fn server_functions_refuse_cross_site_requests_and_change_nothing() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    app.give_credential(&alice, "app", &random_secret()).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let alice_id = alice.id.to_string();

    for headers in CROSS_SITE_HEADERS {
        let disable = admin
            .call_with(
                "admin_disable_two_factor",
                &[
                    ("user_id", &alice_id),
                    ("reason", "forged"),
                    ("password", PASSWORD),
                ],
                headers,
            )
            .await;
        // The refusal is an AppError like any other, so the page can show it.
        let error = disable.error_with_status(StatusCode::FORBIDDEN);
        assert_eq!(error, AppError::CrossSite, "{headers:?}");

        let settings = admin
            .call_with(
                "update_installation_settings",
                &[
                    ("issuer", "Forged"),
                    ("algorithm", "SHA1"),
                    ("digits", "6"),
                    ("period_secs", "30"),
                ],
                headers,
            )
            .await;
        assert_eq!(settings.status, StatusCode::FORBIDDEN, "{headers:?}");

        let sign_out = admin.call_with("sign_out", &[], headers).await;
        assert_eq!(sign_out.status, StatusCode::FORBIDDEN, "{headers:?}");

        let mut stranger = app.browser();
        let sign_in = stranger
            .call_with(
                "sign_in",
                &[("username", "root"), ("password", PASSWORD)],
                headers,
            )
            .await;
        assert_eq!(sign_in.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(
            stranger.session_id().is_none(),
            "no session from a refused sign-in"
        );
    }

    assert_eq!(app.credential_count(&alice).await, 1);
    let issuer: String = sqlx::query_scalar("SELECT issuer FROM settings")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(issuer, "Staffgate");
    let state: AuthState = admin.call("auth_state", &[]).await.assert_ok().json();
    assert!(
        matches!(state, AuthState::SignedIn(_)),
        "the admin is still signed in"
    );
}

#[tokio::test]
async fn same_origin_requests_work() {
    let app = spawn_app().await;
    app.add_user("alice", "staff").await;
    let same_origin: [&[(&str, &str)]; 4] = [
        &[("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        &[("origin", &app.base)],
        &[("sec-fetch-site", "same-origin"), ("origin", &app.base)],
    ];

    for headers in same_origin {
        let mut browser = app.browser();
        let reply = browser
            .call_with(
                "sign_in",
                &[("username", "alice"), ("password", PASSWORD)],
                headers,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{headers:?}: {}", reply.body);
        browser.call_with("account", &[], headers).await.assert_ok();
        browser
            .call_with("sign_out", &[], headers)
            .await
            .assert_ok();
    }
}

#[tokio::test]
async fn reading_pages_is_not_refused_for_cross_site_navigation() {
    let app = spawn_app().await;
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/login", app.base))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_ne!(
        response.status(),
        StatusCode::FORBIDDEN,
        "a link from another site must work"
    );
}
