//! Importing the sample seed files (cases C30, C32, C33, C34 and the CSV rows): every token is
//! reported, and a file-level fault stores nothing.

use reqwest::StatusCode;
use staffgate_app::api::token_types::{ImportOutcome, ImportSummary};
use staffgate_app::error::AppError;

use super::support::{
    AES128, BAD_MAC, NOT_PSKC, PLAIN, SAMPLE_PSK, SEEDS_CSV, TOK_1001, import, inventory,
    token_count, upload,
};
use crate::helpers::{PASSWORD, spawn_app};

pub(super) fn outcome<'a>(summary: &'a ImportSummary, serial: &str) -> &'a ImportOutcome {
    &summary
        .lines
        .iter()
        .find(|line| line.serial == serial)
        .unwrap_or_else(|| panic!("{serial} is not in the report: {summary:?}"))
        .outcome
}

#[track_caller]
pub(super) fn assert_imported(summary: &ImportSummary, serial: &str) {
    assert!(
        matches!(outcome(summary, serial), ImportOutcome::Imported { .. }),
        "{serial}: {:?}",
        outcome(summary, serial)
    );
}

#[track_caller]
pub(super) fn assert_refused(summary: &ImportSummary, serial: &str, reason: &str) {
    match outcome(summary, serial) {
        ImportOutcome::Refused { reason: given } => {
            assert!(given.contains(reason), "{serial}: {given:?}")
        }
        other => panic!("{serial} should be refused with {reason:?}: {other:?}"),
    }
}

#[tokio::test]
async fn c33_the_plain_pskc_sample_imports_three_totp_tokens_and_refuses_the_hotp_one() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    let summary = import(&app, &admin, ("pskc-plain.xml", PLAIN), "").await;

    assert_eq!(summary.lines.len(), 4, "{summary:?}");
    for serial in ["TOK-0001", "TOK-0002", "TOK-0003"] {
        assert_imported(&summary, serial);
    }
    assert_refused(&summary, "TOK-0004", "HOTP tokens are not supported");
    assert_eq!((summary.imported(), summary.refused()), (3, 1));
    assert!(summary.file_error.is_none());

    let rows = inventory(&mut admin).await.tokens;
    let shown: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                row.serial.as_str(),
                row.algorithm.as_str(),
                row.digits,
                row.period_secs,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("TOK-0001", "SHA1", 6, 30),
            ("TOK-0002", "SHA256", 8, 30),
            ("TOK-0003", "SHA512", 8, 30),
        ]
    );
    assert!(
        rows.iter()
            .all(|row| row.user.is_none() && row.drift.is_none())
    );
}

#[tokio::test]
async fn secrets_are_stored_sealed_and_the_import_is_one_log_entry() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    import(&app, &admin, ("pskc-psk-aes128cbc.xml", AES128), SAMPLE_PSK).await;

    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret FROM tokens WHERE serial = 'TOK-1001'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert!(
        !stored
            .windows(TOK_1001.len())
            .any(|window| window == TOK_1001)
    );
    assert_eq!(
        app.services.secrets.open(&stored).unwrap(),
        TOK_1001,
        "the sealed secret is TOK-1001's"
    );
    let everything: Vec<String> =
        sqlx::query_scalar("SELECT COALESCE(detail, '') FROM notifications")
            .fetch_all(&app.sql)
            .await
            .unwrap();
    assert!(everything.iter().all(|detail| !detail.contains(SAMPLE_PSK)));

    let log = app.notifications(&mut admin).await;
    let imports: Vec<_> = log
        .iter()
        .filter(|row| row.event == "Hardware tokens imported")
        .collect();
    assert_eq!(imports.len(), 1, "{log:?}");
    assert_eq!(imports[0].actor, "root");
    let detail = imports[0].detail.as_deref().unwrap_or_default();
    assert!(detail.contains("1 imported (TOK-1001)"), "{detail}");
    assert!(detail.contains("1 refused (TOK-1002)"), "{detail}");
}

#[tokio::test]
async fn c34_the_encrypted_sample_opens_with_its_pre_shared_key_and_refuses_its_hotp_token() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;

    let summary = import(&app, &admin, ("pskc-psk-aes128cbc.xml", AES128), SAMPLE_PSK).await;

    assert_imported(&summary, "TOK-1001");
    assert_refused(&summary, "TOK-1002", "HOTP tokens are not supported");
    assert_eq!(token_count(&app).await, 1);
}

#[tokio::test]
async fn c34_a_wrong_pre_shared_key_or_none_imports_nothing() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;
    let file = ("pskc-psk-aes128cbc.xml", AES128);

    let wrong = upload(
        &app,
        &admin,
        file,
        "00000000000000000000000000000000",
        "",
        false,
    )
    .await;
    let AppError::Invalid(message) = wrong.error_with_status(StatusCode::BAD_REQUEST) else {
        panic!("{}", wrong.body);
    };
    assert!(message.starts_with("Nothing was imported"), "{message}");
    assert!(message.contains("decryption failed"), "{message}");

    let missing = upload(&app, &admin, file, "", "", false).await;
    let error = missing.error_with_status(StatusCode::BAD_REQUEST);
    assert!(
        error.to_string().contains("pre-shared key or password"),
        "{error}"
    );

    let not_hex = upload(&app, &admin, file, "01020g", "", false).await;
    let error = not_hex.error_with_status(StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("hexadecimal"), "{error}");

    let both = upload(&app, &admin, file, SAMPLE_PSK, PASSWORD, false).await;
    let error = both.error_with_status(StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("not both"), "{error}");

    assert_eq!(token_count(&app).await, 0);
}

#[tokio::test]
async fn c30_a_flipped_value_mac_refuses_the_whole_file() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&admin).await;

    let reply = upload(
        &app,
        &admin,
        ("pskc-psk-bad-valuemac.xml", BAD_MAC),
        SAMPLE_PSK,
        "",
        false,
    )
    .await;

    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(
        error.to_string().contains("MAC value does not match"),
        "{error}"
    );
    assert_eq!(token_count(&app).await, 0, "neither TOK-1001 nor TOK-1002");
    let log = app.notifications(&mut admin).await;
    assert_eq!(log[0].event, "Hardware token file refused");
    assert!(log[0].detail.as_deref().unwrap_or_default().contains("MAC"));
}

#[tokio::test]
async fn c32_a_file_without_a_key_container_gets_a_clear_400() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;

    let reply = upload(&app, &admin, ("tokens.xml", NOT_PSKC), "", "", false).await;

    let error = reply.error_with_status(StatusCode::BAD_REQUEST);
    assert!(
        error.to_string().contains("not a PSKC KeyContainer"),
        "{error}"
    );
    assert_eq!(token_count(&app).await, 0);

    for (name, data) in [
        ("empty.csv", &b""[..]),
        ("junk.bin", &[0xff, 0xfe, 0, 1][..]),
    ] {
        let reply = upload(&app, &admin, (name, data), "", "", false).await;
        reply.error_with_status(StatusCode::BAD_REQUEST);
    }
    assert_eq!(token_count(&app).await, 0);
}

#[tokio::test]
async fn c36_the_csv_sample_imports_its_good_totp_rows_and_names_every_refusal() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;

    let summary = import(&app, &admin, ("seeds.csv", SEEDS_CSV), "").await;

    for serial in ["CSV-001", "CSV-002", "CSV-007"] {
        assert_imported(&summary, serial);
    }
    for serial in ["CSV-003", "CSV-004"] {
        assert_refused(&summary, serial, "HOTP tokens are not supported");
    }
    assert_refused(&summary, "CSV-005", "odd number of digits");
    assert_refused(&summary, "CSV-006", "not hex");
    assert_refused(&summary, "CSV-008", "6 or 8");
    assert_eq!((summary.imported(), summary.refused()), (3, 5));
    assert_eq!(token_count(&app).await, 3);
}
