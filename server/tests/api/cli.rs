//! The `staffgate user …` commands, run as the built binary against a data folder.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use staffgate_app::error::AppError;

use crate::helpers::{PASSWORD, outbox_row, spawn_app, spawn_app_in};
use crate::mail::eml_files;

/// Runs `staffgate <args>` on `data_dir` with `stdin` piped in and nothing else inherited.
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

fn add_user(data_dir: &Path, username: &str, email: &str, role: &str, password: &str) -> Output {
    let args = [
        "user",
        "add",
        "--username",
        username,
        "--email",
        email,
        "--role",
        role,
        "--password-stdin",
    ];
    staffgate(data_dir, &args, &format!("{password}\n"))
}

/// Asserts a failed run whose standard error says `expected`.
#[track_caller]
fn assert_refused(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "should have failed; stderr: {stderr}"
    );
    assert!(
        stderr.contains(expected),
        "stderr does not say {expected:?}: {stderr}"
    );
}

#[tokio::test]
async fn user_add_creates_a_user_who_can_then_sign_in() {
    let data_dir = tempfile::tempdir().unwrap();

    let output = add_user(
        data_dir.path(),
        "Alice",
        "alice@example.test",
        "admin",
        PASSWORD,
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("alice"), "{stdout}");

    let app = spawn_app_in(data_dir, &[]).await;
    let mut browser = app.browser();
    browser.sign_in("alice", PASSWORD).await;
    browser.call("list_users", &[]).await.assert_ok();
    let actor: String =
        sqlx::query_scalar("SELECT actor FROM notifications WHERE subject = 'alice'")
            .fetch_one(&app.sql)
            .await
            .unwrap();
    assert_eq!(actor, "command line");
}

#[tokio::test]
async fn user_add_refuses_bad_input_with_a_clear_message() {
    let data_dir = tempfile::tempdir().unwrap();
    let dir = data_dir.path();
    let created = add_user(dir, "bob", "bob@example.test", "staff", PASSWORD);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    assert_refused(
        &add_user(dir, "BOB", "bob2@example.test", "staff", PASSWORD),
        "already exists",
    );
    assert_refused(
        &add_user(dir, "carol", "carol@example.test", "owner", PASSWORD),
        "role",
    );
    assert_refused(
        &add_user(dir, "carol", "not-an-address", "staff", PASSWORD),
        "not a mail address",
    );
    assert_refused(
        &add_user(dir, "carol", "carol@example.test", "staff", "short"),
        "at least 10",
    );
    assert_refused(
        &add_user(dir, "carol:x", "carol@example.test", "staff", PASSWORD),
        "username",
    );
    assert_refused(
        &add_user(dir, "carol", "carol@example.test", "staff", ""),
        "standard input",
    );

    let app = spawn_app_in(data_dir, &[]).await;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(users, 1, "nothing but bob was created");
}

#[tokio::test]
async fn user_disable_2fa_refuses_an_unknown_user_a_bad_reason_and_a_user_without_it() {
    let app = spawn_app().await;
    app.add_user("bob", "staff").await;
    let dir = app.data_dir();

    let unknown = [
        "user",
        "disable-2fa",
        "--username",
        "nobody",
        "--reason",
        "lost phone",
    ];
    assert_refused(&staffgate(&dir, &unknown, ""), "no user named \"nobody\"");
    let no_reason = ["user", "disable-2fa", "--username", "bob", "--reason", "  "];
    assert_refused(&staffgate(&dir, &no_reason, ""), "--reason");
    let long_reason = "x".repeat(501);
    let too_long = [
        "user",
        "disable-2fa",
        "--username",
        "bob",
        "--reason",
        &long_reason,
    ];
    assert_refused(&staffgate(&dir, &too_long, ""), "at most 500 characters");
    let already_off = [
        "user",
        "disable-2fa",
        "--username",
        "bob",
        "--reason",
        "lost phone",
    ];
    assert_refused(&staffgate(&dir, &already_off, ""), "already off");
}

#[tokio::test]
async fn user_disable_2fa_ends_sessions_deletes_the_credential_logs_and_writes_the_mail() {
    let app = spawn_app().await;
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    app.enroll(&mut alice_browser).await;

    let args = [
        "user",
        "disable-2fa",
        "--username",
        "Alice",
        "--reason",
        "locked out, ticket 42",
    ];
    let output = staffgate(&app.data_dir(), &args, "");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("now off"));

    assert_eq!(app.credential_count(&alice).await, 0);
    let reply = alice_browser.call("account", &[]).await;
    assert_eq!(
        reply.error_with_status(StatusCode::UNAUTHORIZED),
        AppError::Unauthorized
    );

    let (event, actor, reason, address): (String, String, Option<String>, Option<String>) =
        sqlx::query_as(
            "SELECT event, actor, reason, client_addr FROM notifications \
             WHERE event LIKE 'two_factor_disabled%'",
        )
        .fetch_one(&app.sql)
        .await
        .unwrap();
    assert_eq!(event, "two_factor_disabled_from_command_line");
    assert_eq!(actor, "command line");
    assert_eq!(reason.as_deref(), Some("locked out, ticket 42"));
    assert_eq!(address, None);

    assert!(
        outbox_row(&app.sql, "%turned off%").await.sent_at.is_some(),
        "sent by the command"
    );
    let mail = eml_files(&app)
        .into_iter()
        .find(|mail| {
            mail.header("subject")
                .is_some_and(|subject| subject.contains("turned off"))
        })
        .expect("an .eml file for the mail");
    assert_eq!(mail.header("mime-version"), Some("1.0"));
    assert!(mail.header("message-id").is_some_and(|id| id.contains('@')));
    assert!(mail.body.contains("command line"), "{}", mail.body);
    assert!(
        mail.body.contains("Reason given: locked out, ticket 42"),
        "{}",
        mail.body
    );

    app.signed_in(&alice).await;
}
