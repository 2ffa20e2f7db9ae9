//! "The file, the pre-shared key and the password are never stored or logged": after imports
//! of every kind, neither they nor a plaintext secret is anywhere in the data folder or in
//! the server's logs, captured at every level.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use super::import_faults::{FIXTURE_PASSWORD, PBKDF2};
use super::support::{AES128, BAD_MAC, K20, SAMPLE_PSK, TOK_1001, token_count, upload};
use crate::helpers::{TestApp, spawn_app};

/// Everything written through `tracing` while a test runs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every file of the data folder (the database, its WAL, the sealing key), concatenated.
fn data_folder_bytes(app: &TestApp) -> Vec<u8> {
    let mut all = Vec::new();
    let mut folders = vec![app.data_dir()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                all.extend(std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    all
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn no_key_password_file_or_secret_reaches_the_database_or_the_logs() {
    // This thread runs the whole server (a single-threaded runtime), so a thread-local
    // subscriber sees every log line of these requests.
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _logs = tracing::subscriber::set_default(subscriber);

    let app = spawn_app().await;
    let admin = app.add_user("root", "admin").await;
    let admin = app.signed_in(&admin).await;
    let csv = "serial,seed,type,digits,step_or_counter,algorithm\n\
               CSV-LEAK,00112233445566778899aabbccddeeff,totp,6,30,sha1\n";
    let imports: [(&str, &[u8], &str, &str); 3] = [
        ("pskc-psk-aes128cbc.xml", AES128, SAMPLE_PSK, ""),
        ("pskc-pbkdf2-password.xml", PBKDF2, "", FIXTURE_PASSWORD),
        ("seeds.csv", csv.as_bytes(), "", ""),
    ];
    for (name, data, psk, password) in imports {
        upload(&app, &admin, (name, data), psk, password, false)
            .await
            .assert_ok();
    }
    // A refused file too: its key is as secret as a right one.
    upload(&app, &admin, ("bad.xml", BAD_MAC), SAMPLE_PSK, "", false).await;
    assert_eq!(token_count(&app).await, 3);

    let logs = captured.0.lock().unwrap().clone();
    assert!(
        holds(&logs, b"seed file imported"),
        "the capture saw the server's logs"
    );
    let database = data_folder_bytes(&app);
    assert!(
        holds(&database, b"TOK-1001"),
        "the capture read the database"
    );

    let psk_bytes: Vec<u8> = (1..=16).collect();
    const CSV_SEED: [u8; 16] = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
        0xff,
    ];
    let secrets: [(&str, &[u8]); 12] = [
        ("the pre-shared key in hex", SAMPLE_PSK.as_bytes()),
        (
            "the pre-shared key in upper-case hex",
            b"0102030405060708090A0B0C0D0E0F10",
        ),
        ("the pre-shared key", &psk_bytes),
        ("the password", FIXTURE_PASSWORD.as_bytes()),
        (
            "TOK-1001's secret in hex",
            b"404142434445464748494a4b4c4d4e4f50515253",
        ),
        ("TOK-1001's secret", &TOK_1001),
        (
            "TOK-1001's secret in Base32",
            b"IBAUEQ2EIVDEOSCJJJFUYTKOJ5IFCUST",
        ),
        ("PW-0001's secret", K20),
        ("a CSV seed in hex", b"00112233445566778899aabbccddeeff"),
        ("a CSV seed", &CSV_SEED),
        (
            "a CipherValue of the file",
            b"EBESExQVFhcYGRobHB0eHyIZgWQE4D5E",
        ),
        ("a ValueMAC of the file", b"YMK+lb1YyzQJjkALv1EtClY7rAE="),
    ];
    for (what, secret) in secrets {
        assert!(!holds(&logs, secret), "{what} is in the logs");
        assert!(!holds(&database, secret), "{what} is in the data folder");
    }
}
