//! What the hardware-token tests share: the sample seed files, an independent RFC 6238 code
//! generator for every algorithm and period the samples use, the multipart upload a browser
//! form sends, and a few steps (import, assign, activate, sign in) many tests take.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use staffgate_app::api::token_types::{ImportSummary, TokenRow, TokensView};
use staffgate_app::api::types::AuthState;

use crate::helpers::browser::SESSION_COOKIE;
use crate::helpers::{Browser, Reply, TestApp, TestUser};

pub const PLAIN: &[u8] = include_bytes!("../../../../core/tests/samples/pskc-plain.xml");
pub const AES128: &[u8] = include_bytes!("../../../../core/tests/samples/pskc-psk-aes128cbc.xml");
pub const BAD_MAC: &[u8] =
    include_bytes!("../../../../core/tests/samples/pskc-psk-bad-valuemac.xml");
pub const NOT_PSKC: &[u8] =
    include_bytes!("../../../../core/tests/samples/pskc-not-a-keycontainer.xml");
pub const SEEDS_CSV: &[u8] = include_bytes!("../../../../core/tests/samples/seeds.csv");

/// The pre-shared key of the encrypted samples.
pub const SAMPLE_PSK: &str = "0102030405060708090a0b0c0d0e0f10";

/// K20: ASCII "12345678901234567890".
pub const K20: &[u8] = b"12345678901234567890";
/// K32: ASCII "12345678901234567890123456789012".
pub const K32: &[u8] = b"12345678901234567890123456789012";
/// TOK-1001's secret, hex 404142…53.
pub const TOK_1001: [u8; 20] = [
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
    0x50, 0x51, 0x52, 0x53,
];

/// K64: ASCII "1234567890" repeated to 64 bytes.
pub fn k64() -> Vec<u8> {
    b"1234567890".iter().copied().cycle().take(64).collect()
}

/// The HMAC hash a token uses.
#[derive(Debug, Clone, Copy)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha512,
}

/// How a token makes its codes.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub hash: Hash,
    pub digits: u32,
    pub period: u64,
}

impl Params {
    pub const SHA1_6_30: Params = Params {
        hash: Hash::Sha1,
        digits: 6,
        period: 30,
    };
}

/// The RFC 6238 code at `unix_secs`, as a string of exactly `digits` digits.
pub fn totp(secret: &[u8], params: Params, unix_secs: u64) -> String {
    let counter = (unix_secs / params.period).to_be_bytes();
    let hash = match params.hash {
        Hash::Sha1 => hmac::<Hmac<Sha1>>(secret, &counter),
        Hash::Sha256 => hmac::<Hmac<Sha256>>(secret, &counter),
        Hash::Sha512 => hmac::<Hmac<Sha512>>(secret, &counter),
    };
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let word = u32::from_be_bytes(hash[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    let code = word % 10u32.pow(params.digits);
    format!("{code:0width$}", width = params.digits as usize)
}

fn hmac<M: Mac + hmac::digest::KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <M as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// The current Unix time in seconds.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// The code a token shows `steps` of its own time steps from now.
pub fn code_in_steps(secret: &[u8], params: Params, steps: i64) -> String {
    let at = now_secs().saturating_add_signed(steps * params.period as i64);
    totp(secret, params, at)
}

/// The code a token shows when its clock is `secs` ahead (negative: behind).
pub fn code_off_by(secret: &[u8], params: Params, secs: i64) -> String {
    totp(secret, params, now_secs().saturating_add_signed(secs))
}

/// Posts a seed file to the import endpoint as a multipart form, as the admin page's form
/// does. With `from_form`, the request accepts HTML like a browser navigation.
pub async fn upload(
    app: &TestApp,
    browser: &Browser,
    file: (&str, &[u8]),
    psk_hex: &str,
    password: &str,
    from_form: bool,
) -> Reply {
    let boundary = "----staffgate-test-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let (file_name, data) = file;
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    for (name, value) in [("psk_hex", psk_hex), ("password", password)] {
        body.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n\
                 {value}"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());

    let content_type = format!("multipart/form-data; boundary={boundary}");
    post_upload(app, browser, body, &content_type, from_form).await
}

/// Posts `body` to the import endpoint with the given content type.
pub async fn post_upload(
    app: &TestApp,
    browser: &Browser,
    body: Vec<u8>,
    content_type: &str,
    from_form: bool,
) -> Reply {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = client
        .post(format!("{}/api/import_tokens", app.base))
        .header("content-type", content_type)
        .body(body);
    if let Some(id) = browser.session_id() {
        request = request.header("cookie", format!("{SESSION_COOKIE}={id}"));
    }
    if from_form {
        request = request
            .header("accept", "text/html")
            .header("referer", format!("{}/admin/tokens", app.base));
    }
    let response = request.send().await.expect("post an upload");
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("read the answer"),
    }
}

/// Imports a file as a script would and returns the report, which must be a success.
pub async fn import(
    app: &TestApp,
    admin: &Browser,
    file: (&str, &[u8]),
    psk_hex: &str,
) -> ImportSummary {
    upload(app, admin, file, psk_hex, "", false)
        .await
        .assert_ok()
        .json()
}

/// The inventory as the admin page reads it.
pub async fn inventory(admin: &mut Browser) -> TokensView {
    admin.call("token_inventory", &[]).await.assert_ok().json()
}

/// The inventory row of `serial`.
pub async fn row(admin: &mut Browser, serial: &str) -> TokenRow {
    inventory(admin)
        .await
        .tokens
        .into_iter()
        .find(|row| row.serial == serial)
        .unwrap_or_else(|| panic!("{serial} is not in the inventory"))
}

/// Assigns `serial` to `user` and activates it with the token's current code (step 0).
pub async fn assign_and_activate(
    admin: &mut Browser,
    serial: &str,
    user: &TestUser,
    secret: &[u8],
    params: Params,
) {
    let id = row(admin, serial).await.id.to_string();
    admin
        .call(
            "assign_token",
            &[("token_id", &id), ("username", &user.username)],
        )
        .await
        .assert_ok();
    let code = code_in_steps(secret, params, 0);
    admin
        .call("activate_token", &[("token_id", &id), ("code", &code)])
        .await
        .assert_ok();
}

/// Signs `user` in with the password and then `code`; returns the answer to the code.
pub async fn sign_in_with(app: &TestApp, user: &TestUser, code: &str) -> Reply {
    let mut browser = app.at_code_step(user).await;
    let reply = browser.verify_code(code).await;
    if reply.status == StatusCode::OK {
        let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
        assert!(matches!(state, AuthState::SignedIn(_)), "{state:?}");
    }
    reply
}

/// How many tokens are stored, read straight from the database.
pub async fn token_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM tokens")
        .fetch_one(&app.sql)
        .await
        .expect("count tokens")
}

/// Waits until at least `margin_secs` are left in the current time step of `period`, so that
/// a few requests in a row see the same server step as the codes computed for them.
pub async fn wait_for_fresh_step(period: u64, margin_secs: u64) {
    let into_step = now_secs() % period;
    if into_step + margin_secs >= period {
        let wait = period - into_step;
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    }
}

/// Waits until the next time step of `period` begins within 30 s, so that its code is inside
/// the window (server time ± 30 s), and at least `margin_secs` from now, so that a code of
/// the current step can still be used first. At 30 s that is any time but the last
/// `margin_secs` of a step; at 60 s only the second half of a step qualifies.
pub async fn wait_for_next_step_in_window(period: u64, margin_secs: u64) {
    let into_step = now_secs() % period;
    let earliest = period.saturating_sub(30);
    let latest = period.saturating_sub(margin_secs);
    let wait = if into_step < earliest {
        earliest - into_step
    } else if into_step >= latest {
        period - into_step + earliest
    } else {
        0
    };
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
}
