//! Every hardware-token admin function checks the role on the server: staff and resellers get
//! 403, visitors 401, and nothing changes.

use reqwest::StatusCode;
use staffgate_app::api::token_types::TokenState;

use super::support::{PLAIN, SEEDS_CSV, import, row, token_count, upload};
use crate::helpers::{Browser, spawn_app};

/// Every admin token function with a well-formed form, as `(endpoint, form)`.
fn admin_calls(id: &str) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let token = || ("token_id", id.to_owned());
    vec![
        ("token_inventory", vec![]),
        (
            "assign_token",
            vec![token(), ("username", "mallory".into())],
        ),
        ("activate_token", vec![token(), ("code", "123456".into())]),
        ("remove_token", vec![token()]),
        ("return_token_to_stock", vec![token()]),
        ("reset_token_drift", vec![token()]),
        (
            "resync_token",
            vec![
                token(),
                ("first_code", "123456".into()),
                ("second_code", "654321".into()),
            ],
        ),
    ]
}

async fn status_of(browser: &mut Browser, endpoint: &str, form: &[(&str, String)]) -> StatusCode {
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = browser.call(endpoint, &form).await;
    if reply.status != StatusCode::OK {
        reply.error();
    }
    reply.status
}

#[tokio::test]
async fn staff_and_resellers_get_403_from_every_token_function_and_change_nothing() {
    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let id = row(&mut admin, "CSV-001").await.id.to_string();

    for role in ["staff", "reseller"] {
        let user = app.add_user(&format!("{role}-user"), role).await;
        let mut browser = app.signed_in(&user).await;
        for (endpoint, form) in admin_calls(&id) {
            let status = status_of(&mut browser, endpoint, &form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} calling {endpoint}");
        }
        let reply = upload(&app, &browser, ("pskc-plain.xml", PLAIN), "", "", false).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role} importing");
        // Their own (empty) list is theirs to read.
        browser.call("own_tokens", &[]).await.assert_ok();
    }

    let mut visitor = app.browser();
    for (endpoint, form) in admin_calls(&id) {
        let status = status_of(&mut visitor, endpoint, &form).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a visitor calling {endpoint}"
        );
    }
    let reply = upload(&app, &visitor, ("pskc-plain.xml", PLAIN), "", "", false).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let status = status_of(&mut visitor, "own_tokens", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    assert_eq!(token_count(&app).await, 3, "only the admin's import");
    let untouched = row(&mut admin, "CSV-001").await;
    assert_eq!(untouched.state, TokenState::InStock);
    assert_eq!(untouched.user, None);
}
