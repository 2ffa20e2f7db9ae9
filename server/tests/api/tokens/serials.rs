//! Serials are unique whatever the letter case, and the database itself holds that rule: its
//! unique constraint is on the folded `serial_key`, so no path around the import's own check
//! (two imports at once, a direct insert) can store TOK-1 beside tok-1.

use reqwest::StatusCode;
use staffgate::db::is_unique_violation;
use staffgate::db::tokens::{self, NewToken, SERIAL_KEY, SERIAL_KEY_COLUMN};
use staffgate_app::api::token_types::{ImportOutcome, ImportSummary};

use super::support::{K20, token_count, upload};
use crate::helpers::{Reply, spawn_app};

const HEADER: &str = "serial,seed,type,digits,step_or_counter,algorithm\n";
const K20_HEX: &str = "3132333435363738393031323334353637383930";

#[tokio::test]
async fn the_database_refuses_a_serial_that_differs_only_in_the_case_of_its_letters() {
    let app = spawn_app().await;
    let pool = app.services.db.pool();
    let sealed = app.services.secrets.seal(K20);
    let token = |serial| NewToken {
        serial,
        manufacturer: None,
        model: None,
        sealed_secret: &sealed,
        algorithm: "SHA1",
        digits: 6,
        period: 30,
        warnings: None,
    };

    tokens::insert(pool, token("tok-1"), 0).await.unwrap();
    for again in ["TOK-1", "Tok-1", " tok-1 "] {
        let error = tokens::insert(pool, token(again), 0)
            .await
            .expect_err("a second tok-1 was stored");
        assert!(
            is_unique_violation(&error, SERIAL_KEY, SERIAL_KEY_COLUMN),
            "{again:?}: {error}"
        );
    }
    // Only ASCII letters are folded, as in a file's own duplicate check: Ä-1 and ä-1 are two
    // serials, and the Kelvin sign is not a K.
    for serial in ["Ä-1", "ä-1", "k-1", "\u{212a}-1"] {
        tokens::insert(pool, token(serial), 0).await.unwrap();
    }
    assert_eq!(token_count(&app).await, 5);
    let found = tokens::by_serial(pool, " TOK-1").await.unwrap().unwrap();
    assert_eq!(found.serial, "tok-1");
}

/// Whether a reply imported `serial`, refused it as already present, or refused the file
/// because another import stored it at the same moment.
fn imported(reply: &Reply, serial: &str) -> bool {
    if reply.status == StatusCode::CONFLICT {
        assert!(reply.body.contains("at the same moment"), "{}", reply.body);
        return false;
    }
    let summary: ImportSummary = reply.assert_ok().json();
    let line = summary.lines.iter().find(|line| line.serial == serial);
    match &line
        .unwrap_or_else(|| panic!("{serial}: {summary:?}"))
        .outcome
    {
        ImportOutcome::Imported { .. } => true,
        ImportOutcome::Refused { reason } => {
            assert_eq!(reason, "serial already present");
            false
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_imports_at_once_of_tok_1_and_uppercase_tok_1_store_one_token() {
    let app = spawn_app().await;
    let first = app.add_user("root", "admin").await;
    let second = app.add_user("deputy", "admin").await;
    let first = app.signed_in(&first).await;
    let second = app.signed_in(&second).await;

    for round in 0..4 {
        let lower = format!("{HEADER}tok-{round},{K20_HEX},totp,6,30,sha1\n");
        let upper = format!("{HEADER}TOK-{round},{K20_HEX},totp,6,30,sha1\n");
        let (a, b) = tokio::join!(
            upload(&app, &first, ("a.csv", lower.as_bytes()), "", "", false),
            upload(&app, &second, ("b.csv", upper.as_bytes()), "", "", false),
        );

        let stored = [
            imported(&a, &format!("tok-{round}")),
            imported(&b, &format!("TOK-{round}")),
        ];
        assert_eq!(stored.iter().filter(|s| **s).count(), 1, "round {round}");
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE serial_key = ?")
            .bind(format!("tok-{round}"))
            .fetch_one(&app.sql)
            .await
            .unwrap();
        assert_eq!(rows, 1, "round {round}");
    }
    assert_eq!(token_count(&app).await, 4);
}
