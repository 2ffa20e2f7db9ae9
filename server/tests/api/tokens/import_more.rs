//! More of the import: a serial already present, a short secret's warning, the form post a
//! browser without JavaScript makes, and uploads that are not a multipart form.

use reqwest::StatusCode;
use staffgate_app::api::token_types::{ImportLine, ImportOutcome};

use super::import::{assert_imported, assert_refused, outcome};
use super::support::{K20, NOT_PSKC, PLAIN, SEEDS_CSV, import, inventory, token_count, upload};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_serial_already_present_is_refused_and_never_overwritten() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;
    import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;
    let before: Vec<u8> = sqlx::query_scalar("SELECT secret FROM tokens WHERE serial = 'CSV-001'")
        .fetch_one(&app.sql)
        .await
        .unwrap();

    // The same serial with another secret, in another letter case, and a new serial.
    let csv = "serial,seed,type,digits,step_or_counter,algorithm\n\
               csv-001,00112233445566778899aabbccddeeff,totp,6,30,sha1\n\
               CSV-100,3132333435363738393031323334353637383930,totp,6,30,sha1\n";
    let summary = import(&app, &admin, ("more.csv", csv.as_bytes()), "").await;

    assert_refused(&summary, "csv-001", "serial already present");
    assert_imported(&summary, "CSV-100");
    let after: Vec<u8> = sqlx::query_scalar("SELECT secret FROM tokens WHERE serial = 'CSV-001'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(app.services.secrets.open(&after).unwrap(), K20);
    assert_eq!(token_count(&app).await, 4);
}

#[tokio::test]
async fn a_short_secret_is_imported_with_its_warning_on_the_report() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    // S80 from the cases README: 48656c6c6f21deadbeef, 80 bits.
    let csv = "serial,seed,type,digits,step_or_counter,algorithm\n\
               OLD-1,48656c6c6f21deadbeef,totp,6,30,sha1\n";

    let summary = import(&app, &admin, ("old.csv", csv.as_bytes()), "").await;

    let ImportOutcome::Imported { warnings } = outcome(&summary, "OLD-1") else {
        panic!("{summary:?}");
    };
    assert!(
        warnings.iter().any(|warning| warning.contains("80 bits")),
        "{warnings:?}"
    );
    let row = super::support::row(&mut admin, "OLD-1").await;
    assert!(
        row.warnings
            .iter()
            .any(|warning| warning.contains("80 bits"))
    );
}

#[tokio::test]
async fn a_form_post_without_javascript_redirects_to_the_page_that_shows_the_report() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    let reply = upload(&app, &admin, ("pskc-plain.xml", PLAIN), "", "", true).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.header("location"), Some("/admin/tokens"));

    let view = inventory(&mut admin).await;
    let report = view.last_import.expect("the report is kept in the session");
    assert_eq!(report.file_name.as_deref(), Some("pskc-plain.xml"));
    assert!(report.lines.contains(&ImportLine {
        serial: "TOK-0004".into(),
        outcome: ImportOutcome::Refused {
            reason: "HOTP tokens are not supported".into()
        }
    }));
    let page = reqwest::Client::new()
        .get(format!("{}/admin/tokens", app.base))
        .header(
            "cookie",
            format!("staffgate_session={}", admin.session_id().unwrap()),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for words in [
        "Hardware tokens",
        "TOK-0004",
        "HOTP tokens are not supported",
        "Token file",
    ] {
        assert!(page.contains(words), "the page does not show {words:?}");
    }

    // A refused file is reported the same way.
    let reply = upload(&app, &admin, ("x.xml", NOT_PSKC), "", "", true).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let report = inventory(&mut admin).await.last_import.unwrap();
    assert!(
        report
            .file_error
            .unwrap()
            .contains("not a PSKC KeyContainer")
    );
}

#[tokio::test]
async fn an_upload_that_is_not_a_multipart_form_gets_a_400() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    let reply = admin.call("import_tokens", &[("file", "x")]).await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    let reply = super::support::post_upload(
        &app,
        &admin,
        b"--x\r\nbroken".to_vec(),
        "multipart/form-data; boundary=x",
        false,
    )
    .await;
    reply.error_with_status(StatusCode::BAD_REQUEST);
    assert_eq!(token_count(&app).await, 0);
}

#[tokio::test]
async fn a_period_other_than_30_or_60_seconds_refuses_that_token_only() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;
    let csv = "serial,seed,type,digits,step_or_counter,algorithm\r\n\
               P45,3132333435363738393031323334353637383930,totp,6,45,sha1\r\n\
               P60,3132333435363738393031323334353637383930,totp,6,60,sha1\r\n\
               P120,3132333435363738393031323334353637383930,totp,8,120,sha256\r\n\
               D7,3132333435363738393031323334353637383930,totp,7,30,sha1\r\n";

    let summary = import(&app, &admin, ("periods.csv", csv.as_bytes()), "").await;

    assert_imported(&summary, "P60");
    assert_refused(&summary, "P45", "period must be 30 or 60 seconds, not 45");
    assert_refused(&summary, "P120", "period must be 30 or 60 seconds, not 120");
    assert_refused(&summary, "D7", "6 or 8 digits");

    // TOK-1001 of the encrypted sample with its TimeInterval changed, which the MAC does not
    // cover: that key package alone is refused.
    let xml = String::from_utf8(super::support::AES128.to_vec())
        .unwrap()
        .replace(
            "<TimeInterval><PlainValue>60</PlainValue>",
            "<TimeInterval><PlainValue>45</PlainValue>",
        );
    let psk = super::support::SAMPLE_PSK;
    let summary = import(&app, &admin, ("tok-45.xml", xml.as_bytes()), psk).await;
    assert_refused(
        &summary,
        "TOK-1001",
        "period must be 30 or 60 seconds, not 45",
    );
    assert_refused(&summary, "TOK-1002", "HOTP tokens are not supported");

    let periods: Vec<_> = inventory(&mut admin)
        .await
        .tokens
        .into_iter()
        .map(|row| (row.serial, row.period_secs))
        .collect();
    assert_eq!(periods, [("P60".to_owned(), 60)]);
    assert_eq!(token_count(&app).await, 1);
}
