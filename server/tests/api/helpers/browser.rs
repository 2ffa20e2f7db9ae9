//! A scripted browser: posts to server functions, keeps the session cookie as a browser
//! would, and exposes what came back.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde::de::DeserializeOwned;
use staffgate_app::api::types::InstallationSettings;
use staffgate_app::error::AppError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "staffgate_session";

/// One browser: its own cookie, nothing shared with other browsers.
#[derive(Clone)]
pub struct Browser {
    base: String,
    client: reqwest::Client,
    cookie: Option<String>,
}

/// An HTTP answer, read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Browser {
    /// A browser with no cookie that talks to `base` (`http://127.0.0.1:port`).
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build an HTTP client");
        Self {
            base: base.to_owned(),
            client,
            cookie: None,
        }
    }

    /// The session id this browser would send, if any.
    pub fn session_id(&self) -> Option<&str> {
        self.cookie.as_deref()
    }

    /// Replaces the session cookie (to replay an old one, or plant one).
    pub fn set_session_id(&mut self, id: Option<&str>) {
        self.cookie = id.map(str::to_owned);
    }

    /// Posts `form` to `/api/<endpoint>` as a script would (JSON answers, real statuses).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_with(endpoint, form, &[]).await
    }

    /// Like [`Browser::call`], with extra request headers.
    pub async fn call_with(
        &mut self,
        endpoint: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        let request = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .form(form);
        self.send(request, headers).await
    }

    /// Posts a body exactly as given to `path`, labelled as a form.
    pub async fn post_raw(
        &mut self,
        path: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request, headers).await
    }

    async fn send(
        &mut self,
        mut request: reqwest::RequestBuilder,
        headers: &[(&str, &str)],
    ) -> Reply {
        if let Some(id) = &self.cookie {
            request = request.header("cookie", format!("{SESSION_COOKIE}={id}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        let reply = Reply {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await.expect("read a response body"),
        };
        if let Some(set_cookie) = reply.session_set_cookie() {
            self.cookie = cookie_value(&set_cookie);
        }
        reply
    }

    /// Signs in with a password and asserts the answer was a success.
    pub async fn sign_in(&mut self, username: &str, password: &str) {
        let reply = self
            .call("sign_in", &[("username", username), ("password", password)])
            .await;
        reply.assert_ok();
    }

    /// Enters a code at the code step and returns the answer.
    pub async fn verify_code(&mut self, code: &str) -> Reply {
        self.call("verify_code", &[("code", code)]).await
    }

    /// As an admin, sets the installation's algorithm, digits and period, keeping the issuer.
    pub async fn set_installation(&mut self, algorithm: &str, digits: u8, period_secs: u32) {
        let current: InstallationSettings = self
            .call("installation_settings", &[])
            .await
            .assert_ok()
            .json();
        self.call(
            "update_installation_settings",
            &[
                ("issuer", &current.issuer),
                ("algorithm", algorithm),
                ("digits", &digits.to_string()),
                ("period_secs", &period_secs.to_string()),
            ],
        )
        .await
        .assert_ok();
    }
}

impl Reply {
    /// Panics with the body unless the status is 200.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.status,
            StatusCode::OK,
            "unexpected answer: {}",
            self.body
        );
        self
    }

    /// Reads the body as JSON of type `T`.
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not the JSON expected ({error}): {}", self.body))
    }

    /// Reads the body as the JSON of an [`AppError`], checking that it came with the status
    /// that goes with it.
    #[track_caller]
    pub fn error(&self) -> AppError {
        let error: AppError = self.json();
        assert_eq!(
            self.status.as_u16(),
            error.status(),
            "status and error disagree: {error:?}"
        );
        error
    }

    /// The message of an error answer, checking its status first.
    #[track_caller]
    pub fn error_with_status(&self, status: StatusCode) -> AppError {
        assert_eq!(self.status, status, "unexpected answer: {}", self.body);
        self.error()
    }

    /// The `Set-Cookie` header for the session cookie, if the answer set or removed it.
    pub fn session_set_cookie(&self) -> Option<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with(&format!("{SESSION_COOKIE}=")))
            .map(str::to_owned)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// The value a `Set-Cookie` header leaves in the browser: `None` when it removes the cookie.
fn cookie_value(set_cookie: &str) -> Option<String> {
    let mut parts = set_cookie.split(';').map(str::trim);
    let (_, value) = parts.next()?.split_once('=')?;
    let removed = parts.any(|attribute| attribute.eq_ignore_ascii_case("max-age=0"));
    (!removed && !value.is_empty()).then(|| value.to_owned())
}
