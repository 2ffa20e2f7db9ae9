//! An import as a whole: a file-level fault leaves the inventory exactly as it was, and a
//! slow password file does not hold up other requests.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::support::{AES128, BAD_MAC, NOT_PSKC, PLAIN, SAMPLE_PSK, import, upload};
use crate::helpers::{TestApp, spawn_app};

pub(super) const PBKDF2: &[u8] = include_bytes!("fixtures/pskc-pbkdf2-password.xml");
pub(super) const FIXTURE_PASSWORD: &str = "vendor password 2026";
/// TOK-1002's ValueMAC in the AES-128 sample.
const TOK_1002_MAC: &str = "B5PF0DOt7T+znut7baoT58xm5C4=";

/// Every stored token: serial, state, holder and sealed secret.
async fn inventory_rows(app: &TestApp) -> Vec<(String, String, Option<i64>, Vec<u8>)> {
    sqlx::query_as("SELECT serial, state, user_id, secret FROM tokens ORDER BY id")
        .fetch_all(&app.sql)
        .await
        .expect("read the tokens table")
}

async fn refused_files(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE event = 'token_file_refused'")
        .fetch_one(&app.sql)
        .await
        .unwrap()
}

/// The AES-128 sample with `from` replaced by `to`, and TOK-1001 renamed so that it would be
/// new to the inventory: a partial import would show as a new row.
fn sample_with(from: &str, to: &str) -> Vec<u8> {
    let xml = String::from_utf8(AES128.to_vec()).unwrap();
    assert!(xml.contains(from), "{from}");
    xml.replace(from, to)
        .replace("TOK-1001", "NEW-1001")
        .into_bytes()
}

#[tokio::test]
async fn a_file_level_fault_leaves_the_tokens_table_as_it_was() {
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;
    import(&app, &admin, ("pskc-plain.xml", PLAIN), "").await;
    let before = inventory_rows(&app).await;
    assert_eq!(before.len(), 3);

    let flipped_mac = TOK_1002_MAC.replacen('B', "C", 1);
    let missing_mac = format!("<ValueMAC>{TOK_1002_MAC}</ValueMAC>");
    let faults: Vec<(&str, Vec<u8>, &str, &str, &str)> = vec![
        (
            "bad.xml",
            BAD_MAC.to_vec(),
            SAMPLE_PSK,
            "",
            "MAC value does not match",
        ),
        (
            "second-mac.xml",
            sample_with(TOK_1002_MAC, &flipped_mac),
            SAMPLE_PSK,
            "",
            "MAC value does not match for the Secret of TOK-1002",
        ),
        (
            "no-mac.xml",
            sample_with(&missing_mac, ""),
            SAMPLE_PSK,
            "",
            "has no ValueMAC",
        ),
        (
            "wrong-key.xml",
            sample_with("TOK-1002", "NEW-1002"),
            "000102030405060708090a0b0c0d0e0f",
            "",
            "decryption failed",
        ),
        (
            "no-key.xml",
            sample_with("TOK-1002", "NEW-1002"),
            "",
            "",
            "pre-shared key",
        ),
        (
            "pw.xml",
            PBKDF2.to_vec(),
            "",
            "Vendor password 2026",
            "decryption failed",
        ),
        (
            "other.xml",
            NOT_PSKC.to_vec(),
            "",
            "",
            "not a PSKC KeyContainer",
        ),
        (
            "header.csv",
            b"serial,seed,kind\nNEW-1,3132333435363738393031323334353637383930,totp\n".to_vec(),
            "",
            "",
            "CSV header",
        ),
    ];
    let mut logged = refused_files(&app).await;
    for (name, data, psk, password, message) in &faults {
        let reply = upload(&app, &admin, (name, data), psk, password, false).await;

        let error = reply.error_with_status(StatusCode::BAD_REQUEST).to_string();
        assert!(error.starts_with("Nothing was imported"), "{name}: {error}");
        assert!(error.contains(message), "{name}: {error}");
        assert_eq!(
            inventory_rows(&app).await,
            before,
            "{name} changed the inventory"
        );
        logged += 1;
        assert_eq!(
            refused_files(&app).await,
            logged,
            "{name} is logged as refused"
        );
    }

    // The same file without its fault imports both new serials (TOK-1002 as an HOTP refusal).
    let fixed = sample_with("TOK-1002", "NEW-1002");
    let summary = import(&app, &admin, ("fixed.xml", &fixed), SAMPLE_PSK).await;
    assert_eq!(
        (summary.imported(), summary.refused()),
        (1, 1),
        "{summary:?}"
    );
    assert_eq!(inventory_rows(&app).await.len(), before.len() + 1);
}

#[tokio::test]
async fn a_slow_password_file_does_not_hold_up_other_requests() {
    // The tests run on a single-threaded runtime: PBKDF2 on it would stall every request.
    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;
    let slow = String::from_utf8(PBKDF2.to_vec())
        .unwrap()
        .replace(
            "<IterationCount>1000</IterationCount>",
            "<IterationCount>1000000</IterationCount>",
        )
        .into_bytes();

    let began = Instant::now();
    let import = async {
        let reply = upload(
            &app,
            &admin,
            ("slow.xml", &slow),
            "",
            FIXTURE_PASSWORD,
            false,
        )
        .await;
        (reply, began.elapsed())
    };
    // Asked once the import is under way; a stalled thread would also delay this timer.
    let probe = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let time = reqwest::get(format!("{}/api/time", app.base))
            .await
            .unwrap();
        assert_eq!(time.status(), StatusCode::OK);
        began.elapsed()
    };
    let ((reply, imported_after), answered_after) = tokio::join!(import, probe);

    // A million rounds with the key of a thousand: the file is read, and refused.
    let error = reply.error_with_status(StatusCode::BAD_REQUEST).to_string();
    assert!(error.contains("decryption failed"), "{error}");
    assert!(
        answered_after < imported_after / 2,
        "the time endpoint answered after {answered_after:?}, the import after \
         {imported_after:?}"
    );
}
