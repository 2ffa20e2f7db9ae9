//! Case C09 on a hardware token: the 80-bit legacy secret S80 is imported from CSV with a
//! warning, never a crash, and then signs its user in. Its codes come from the app tests'
//! own RFC 6238 generator (`helpers::totp`), which shares no code with the server.

use std::time::Duration;

use reqwest::StatusCode;
use staffgate_app::api::token_types::{ImportOutcome, TokenState};

use super::support::{import, row, sign_in_with, wait_for_fresh_step};
use crate::helpers::spawn_app;
use crate::helpers::totp::{PERIOD_SECS, code_in, now_secs, totp};

#[tokio::test]
async fn c09_an_80_bit_token_from_csv_warns_on_the_report_and_signs_in() {
    // S80 from the cases README, JBSWY3DPEHPK3PXP, is hex 48656c6c6f21deadbeef.
    let s80 = data_encoding::BASE32_NOPAD
        .decode(b"JBSWY3DPEHPK3PXP")
        .unwrap();
    assert_eq!(data_encoding::HEXLOWER.encode(&s80), "48656c6c6f21deadbeef");
    assert_eq!(totp(&s80, 59, 6), "996554");
    assert_eq!(totp(&s80, 1_111_111_109, 6), "071271");

    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let csv = "serial,seed,type,digits,step_or_counter,algorithm\n\
               S80-1,48656c6c6f21deadbeef,totp,6,30,sha1\n";

    let summary = import(&app, &admin, ("legacy.csv", csv.as_bytes()), "").await;

    let line = summary.lines.iter().find(|line| line.serial == "S80-1");
    let Some(ImportOutcome::Imported { warnings }) = line.map(|line| &line.outcome) else {
        panic!("{summary:?}");
    };
    let short = |warning: &String| {
        warning.contains("only 80 bits") && warning.contains("shorter than the 128 bits")
    };
    assert!(warnings.iter().any(short), "{warnings:?}");
    assert!(row(&mut admin, "S80-1").await.warnings.iter().any(short));

    let alice = app.add_user("alice", "staff").await;
    let id = row(&mut admin, "S80-1").await.id.to_string();
    admin
        .call("assign_token", &[("token_id", &id), ("username", "alice")])
        .await
        .assert_ok();
    wait_for_fresh_step(PERIOD_SECS, 8).await;
    let activated_in = now_secs() / PERIOD_SECS;
    admin
        .call(
            "activate_token",
            &[("token_id", &id), ("code", &code_in(&s80, 0))],
        )
        .await
        .assert_ok();
    assert_eq!(row(&mut admin, "S80-1").await.state, TokenState::Active);

    // The activating step is used up: sign in with the code the token shows in the next one.
    while now_secs() / PERIOD_SECS == activated_in {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let reply = sign_in_with(&app, &alice, &code_in(&s80, 0)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}
