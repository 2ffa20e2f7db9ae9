//! `staffgate tokens import|assign|list`, run as the built binary against a server's data
//! folder, with the samples and two fixtures made by openssl and Python (`fixtures/`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use staffgate_app::api::token_types::TokenState;

use super::support::{
    AES128, Hash, K20, PLAIN, Params, SAMPLE_PSK, code_in_steps, row, sign_in_with, token_count,
    totp, upload, wait_for_fresh_step,
};
use crate::helpers::spawn_app;

const PBKDF2: &[u8] = include_bytes!("fixtures/pskc-pbkdf2-password.xml");
const AES256: &[u8] = include_bytes!("fixtures/pskc-psk-aes256-hmac-sha256.xml");
const FIXTURE_PASSWORD: &str = "vendor password 2026";

/// Runs `staffgate <args>` on `data_dir` with `stdin` piped in.
fn staffgate(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_staffgate"))
        .args(args)
        .env_clear()
        .env("STAFFGATE_DATA_DIR", data_dir)
        .current_dir(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the staffgate binary");
    child
        .stdin
        .take()
        .expect("a stdin pipe")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for staffgate")
}

/// Writes `data` into the data folder and returns its path as text.
fn file_in(data_dir: &Path, name: &str, data: &[u8]) -> String {
    let path = data_dir.join(name);
    std::fs::write(&path, data).expect("write a seed file");
    path.display().to_string()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[track_caller]
fn stderr_of_failure(output: &Output) -> String {
    assert!(!output.status.success(), "should have failed");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn tokens_import_prints_a_line_per_token_and_fails_on_a_file_level_fault() {
    let app = spawn_app().await;
    let dir = app.data_dir();
    let plain = file_in(&dir, "pskc-plain.xml", PLAIN);
    let encrypted = file_in(&dir, "pskc-psk-aes128cbc.xml", AES128);

    let printed = stdout(&staffgate(&dir, &["tokens", "import", &plain], ""));
    for line in [
        "imported  TOK-0001",
        "imported  TOK-0002",
        "imported  TOK-0003",
        "refused   TOK-0004: HOTP tokens are not supported",
        "3 imported, 1 refused.",
    ] {
        assert!(printed.contains(line), "{line:?} missing from:\n{printed}");
    }

    let wrong_key = ["tokens", "import", &encrypted, "--psk-hex", "000102"];
    let error = stderr_of_failure(&staffgate(&dir, &wrong_key, ""));
    assert!(error.contains("Nothing was imported"), "{error}");
    let no_key = stderr_of_failure(&staffgate(&dir, &["tokens", "import", &encrypted], ""));
    assert!(no_key.contains("encrypted"), "{no_key}");
    let both = [
        "tokens",
        "import",
        &encrypted,
        "--psk-hex",
        SAMPLE_PSK,
        "--password-stdin",
    ];
    stderr_of_failure(&staffgate(&dir, &both, "x\n"));
    assert_eq!(token_count(&app).await, 3);

    let right_key = ["tokens", "import", &encrypted, "--psk-hex", SAMPLE_PSK];
    let printed = stdout(&staffgate(&dir, &right_key, ""));
    assert!(printed.contains("imported  TOK-1001"), "{printed}");
    assert!(printed.contains("refused   TOK-1002: HOTP tokens are not supported"));
    let again = stdout(&staffgate(&dir, &right_key, ""));
    assert!(
        again.contains("refused   TOK-1001: serial already present"),
        "{again}"
    );
    assert_eq!(token_count(&app).await, 4);

    let actor: String = sqlx::query_scalar(
        "SELECT actor FROM notifications WHERE event = 'tokens_imported' LIMIT 1",
    )
    .fetch_one(&app.sql)
    .await
    .unwrap();
    assert_eq!(actor, "command line");
}

#[tokio::test]
async fn a_pbkdf2_password_file_opens_with_the_password_from_standard_input_only() {
    let app = spawn_app().await;
    let dir = app.data_dir();
    let file = file_in(&dir, "pskc-pbkdf2-password.xml", PBKDF2);
    let args = ["tokens", "import", &file, "--password-stdin"];

    let error = stderr_of_failure(&staffgate(&dir, &args, "Vendor password 2026\n"));
    assert!(error.contains("Nothing was imported"), "{error}");
    assert_eq!(token_count(&app).await, 0);

    let printed = stdout(&staffgate(&dir, &args, &format!("{FIXTURE_PASSWORD}\n")));
    assert!(printed.contains("imported  PW-0001"), "{printed}");
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret FROM tokens WHERE serial = 'PW-0001'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(app.services.secrets.open(&stored).unwrap(), K20);
}

#[tokio::test]
async fn an_aes_256_file_with_hmac_sha256_macs_imports_on_the_admin_page_and_signs_in() {
    let sha256_8_60 = Params {
        hash: Hash::Sha256,
        digits: 8,
        period: 60,
    };
    // Case U4: K20, SHA256, 8 digits, 60 s.
    assert_eq!(totp(K20, sha256_8_60, 1_111_111_109), "69648066");

    let app = spawn_app().await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    let psk: String = (0u8..32).map(|byte| format!("{byte:02x}")).collect();
    let reply = upload(&app, &admin, ("fx.xml", AES256), &psk, "", false).await;
    reply.assert_ok();
    let token = row(&mut admin, "AES-0001").await;
    assert_eq!(token.maker, "FixtureVendor FX-1");
    assert_eq!(
        (token.algorithm.as_str(), token.digits, token.period_secs),
        ("SHA256", 8, 60)
    );

    let alice = app.add_user("alice", "staff").await;
    super::support::wait_for_next_step_in_window(60, 10).await;
    super::support::assign_and_activate(&mut admin, "AES-0001", &alice, K20, sha256_8_60).await;
    let next = code_in_steps(K20, sha256_8_60, 1);
    sign_in_with(&app, &alice, &next).await.assert_ok();
}

#[tokio::test]
async fn tokens_assign_activates_with_a_current_code_and_a_wrong_code_changes_nothing() {
    let app = spawn_app().await;
    let dir = app.data_dir();
    let alice = app.add_user("alice", "staff").await;
    let file = file_in(&dir, "pskc-pbkdf2-password.xml", PBKDF2);
    let import = ["tokens", "import", &file, "--password-stdin"];
    stdout(&staffgate(&dir, &import, &format!("{FIXTURE_PASSWORD}\n")));

    wait_for_fresh_step(30, 10).await;
    let wrong = code_in_steps(K20, Params::SHA1_6_30, 4);
    let assign = |code: &str| {
        let args = [
            "tokens",
            "assign",
            "pw-0001",
            "--username",
            "alice",
            "--code",
            code,
        ];
        staffgate(&dir, &args, "")
    };
    let error = stderr_of_failure(&assign(&wrong));
    assert!(
        error.contains("ahead") || error.contains("does not match"),
        "{error}"
    );
    let state: String = sqlx::query_scalar("SELECT state FROM tokens WHERE serial = 'PW-0001'")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(state, "in_stock", "a wrong code assigns nothing either");
    assert_eq!(app.credential_count(&alice).await, 0);
    let unknown = [
        "tokens",
        "assign",
        "NOPE",
        "--username",
        "alice",
        "--code",
        "123456",
    ];
    stderr_of_failure(&staffgate(&dir, &unknown, ""));

    let code = code_in_steps(K20, Params::SHA1_6_30, 0);
    let printed = stdout(&assign(&code));
    assert!(printed.contains("PW-0001 is now active"), "{printed}");

    let next = code_in_steps(K20, Params::SHA1_6_30, 1);
    let reply = sign_in_with(&app, &alice, &next).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let listed = stdout(&staffgate(&dir, &["tokens", "list"], ""));
    let line = listed
        .lines()
        .find(|line| line.starts_with("PW-0001"))
        .unwrap_or_else(|| panic!("no PW-0001 in:\n{listed}"));
    for cell in [
        "FixtureVendor FX-1",
        "SHA1",
        "30 s",
        "alice",
        "active",
        "device clock",
    ] {
        assert!(line.contains(cell), "{cell:?} missing from {line:?}");
    }
    assert!(listed.starts_with("SERIAL"), "{listed}");

    // The command line's break-glass turn-off revokes the token too.
    let disable = [
        "user",
        "disable-2fa",
        "--username",
        "alice",
        "--reason",
        "token lost",
    ];
    stdout(&staffgate(&dir, &disable, ""));
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    assert_eq!(row(&mut admin, "PW-0001").await.state, TokenState::Revoked);
    let log = app.notifications(&mut admin).await;
    assert!(log.iter().any(|row| row.event == "Hardware token activated"
        && row.actor == "command line"
        && row.subject.as_deref() == Some("alice")));
}
