//! Mail goes through the outbox: a stopped SMTP server delays it but loses nothing, and
//! without SMTP it is written to the outbox folder.

use std::time::Duration;

use crate::helpers::smtp::{Received, SmtpReceiver, unused_port};
use crate::helpers::{PASSWORD, TestApp, outbox_row, spawn_app, spawn_app_with, wait_for};

const REASON: &str = "phone stolen at the airport";

/// Alice with two-factor on, turned off by the admin "root" with [`REASON`].
async fn admin_turns_off_alices_two_factor(app: &TestApp) {
    let alice = app.add_user("alice", "staff").await;
    let mut alice_browser = app.signed_in(&alice).await;
    app.enroll(&mut alice_browser).await;
    let root = app.add_user("root", "admin").await;
    let mut admin = app.signed_in(&root).await;
    admin
        .call(
            "admin_disable_two_factor",
            &[
                ("user_id", &alice.id.to_string()),
                ("reason", REASON),
                ("password", PASSWORD),
            ],
        )
        .await
        .assert_ok();
}

#[tokio::test]
async fn mail_waits_in_the_outbox_while_smtp_is_down_and_goes_out_when_it_is_back() {
    let port = unused_port().await;
    let app = spawn_app_with(&[("STAFFGATE_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    admin_turns_off_alices_two_factor(&app).await;

    let sql = &app.sql;
    wait_for("a failed attempt", Duration::from_secs(10), || async move {
        outbox_row(sql, "%turned off%").await.attempts >= 1
    })
    .await;
    let row = outbox_row(sql, "%turned off%").await;
    assert_eq!(row.sent_at, None);
    assert!(row.last_error.is_some(), "the failure is recorded");

    let mut receiver = SmtpReceiver::start(port).await;
    let mail = loop {
        let mail = receiver.next(Duration::from_secs(20)).await;
        if mail
            .header("subject")
            .is_some_and(|subject| subject.contains("turned off"))
        {
            break mail;
        }
    };
    assert_eq!(mail.recipients, ["<alice@example.test>"]);
    assert!(
        mail.body.contains(&format!("Reason given: {REASON}")),
        "{}",
        mail.body
    );
    assert!(
        mail.body.contains("the administrator \"root\""),
        "{}",
        mail.body
    );
    assert!(mail.body.contains("127.0.0.1"), "{}", mail.body);

    wait_for(
        "the outbox row to be marked sent",
        Duration::from_secs(10),
        || async move { outbox_row(sql, "%turned off%").await.sent_at.is_some() },
    )
    .await;
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_an_eml_file_in_the_outbox_folder() {
    let app = spawn_app().await;
    admin_turns_off_alices_two_factor(&app).await;

    let sql = &app.sql;
    wait_for(
        "the mail to be written",
        Duration::from_secs(10),
        || async move { outbox_row(sql, "%turned off%").await.sent_at.is_some() },
    )
    .await;
    let mail = eml_files(&app)
        .into_iter()
        .find(|mail| {
            mail.header("subject")
                .is_some_and(|subject| subject.contains("turned off"))
        })
        .expect("an .eml file for the mail");
    assert_eq!(mail.header("to"), Some("alice@example.test"));
    assert!(
        mail.body.contains(&format!("Reason given: {REASON}")),
        "{}",
        mail.body
    );
    assert!(
        mail.body.contains("the administrator \"root\""),
        "{}",
        mail.body
    );
}

/// Every `.eml` file in the outbox folder, read.
pub fn eml_files(app: &TestApp) -> Vec<Received> {
    let folder = app.data_dir().join("outbox");
    std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "eml"))
        .map(|path| {
            Received::parse(
                Vec::new(),
                &std::fs::read_to_string(path).expect("read mail"),
            )
        })
        .collect()
}
