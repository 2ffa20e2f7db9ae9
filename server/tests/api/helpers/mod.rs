//! A Staffgate per test: its own data folder, SQLite database and port, served in-process
//! over real HTTP, plus the users, credentials and database access the tests set up.

pub mod browser;
pub mod smtp;
pub mod totp;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Once;
use std::time::Duration;

use leptos::config::LeptosOptions;
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;
use staffgate::Services;
use staffgate::config::Config;
use staffgate::db::credentials::{self, NewCredential};
use staffgate::db::notifications::Actor;
use staffgate_app::api::types::{AuthState, NotificationRow, SetupView};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

pub use browser::{Browser, Reply};
pub use totp::{code_in, secret_of_uri};

/// The password every test user gets.
pub const PASSWORD: &str = "correct horse battery";

/// A running server and everything a test needs to look behind it.
pub struct TestApp {
    pub base: String,
    pub services: Services,
    /// A connection of its own to the same SQLite file, for checks and for writes the app
    /// would never make.
    pub sql: SqlitePool,
    data_dir: TempDir,
}

/// A user created for a test.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub username: String,
    pub email: String,
}

/// Sends the servers' logs to the test output when `TEST_LOG` is set (`TEST_LOG=1 cargo test
/// ... -- --nocapture`); they are silent otherwise.
fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            tracing_subscriber::fmt()
                .with_env_filter(EnvFilter::new("staffgate=debug,tower_http=debug,warn"))
                .with_test_writer()
                .init();
        }
    });
}

/// Starts a server with the default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts a server with extra `STAFFGATE_*` settings; the data folder is always a fresh one.
pub async fn spawn_app_with(settings: &[(&str, &str)]) -> TestApp {
    let data_dir = tempfile::tempdir().expect("create a data folder");
    spawn_app_in(data_dir, settings).await
}

/// Starts a server on an existing data folder (shared with a command-line run, for example).
pub async fn spawn_app_in(data_dir: TempDir, settings: &[(&str, &str)]) -> TestApp {
    init_logs();
    let mut env: HashMap<String, String> = settings
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    env.insert(
        "STAFFGATE_DATA_DIR".into(),
        data_dir.path().display().to_string(),
    );
    let config = Config::from_lookup(|name| env.get(name).cloned()).expect("a valid test config");
    let services = Services::open(&config).await.expect("open the services");

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
    let addr = listener.local_addr().expect("a bound address");
    let options = LeptosOptions::builder()
        .output_name("staffgate")
        .site_root(data_dir.path().display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let router = services.router(options, &config);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .expect("serve HTTP");
    });
    services
        .mailer
        .clone()
        .with_retry_base(Duration::from_millis(200))
        .spawn();

    let sql = SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(data_dir.path().join("staffgate.db"))
            .busy_timeout(Duration::from_secs(10)),
    )
    .await
    .expect("open the SQLite file");

    TestApp {
        base: format!("http://{addr}"),
        services,
        sql,
        data_dir,
    }
}

impl TestApp {
    /// The data folder.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir.path().to_owned()
    }

    /// A new browser with no cookie.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// Creates a user with [`PASSWORD`] and the given role.
    pub async fn add_user(&self, username: &str, role: &str) -> TestUser {
        let email = format!("{username}@example.test");
        let id = staffgate::accounts::create_user(
            &self.services.db,
            username,
            &email,
            role,
            PASSWORD.to_owned(),
            &Actor::CommandLine,
        )
        .await
        .expect("create a test user");
        TestUser {
            id,
            username: username.to_owned(),
            email,
        }
    }

    /// A browser signed in as `user`, who must have two-factor off.
    pub async fn signed_in(&self, user: &TestUser) -> Browser {
        let mut browser = self.browser();
        browser.sign_in(&user.username, PASSWORD).await;
        let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
        assert!(
            matches!(state, AuthState::SignedIn(_)),
            "not signed in: {state:?}"
        );
        browser
    }

    /// Turns two-factor on for the signed-in user of `browser` through the setup pages, and
    /// returns the secret and the code that confirmed it.
    pub async fn enroll(&self, browser: &mut Browser) -> Enrolled {
        browser.call("generate_secret", &[]).await.assert_ok();
        let secret = pending_secret(browser).await;
        let code = code_in(&secret, 0);
        browser
            .call("confirm_enrollment", &[("code", &code)])
            .await
            .assert_ok();
        Enrolled { secret, code }
    }

    /// Gives `user` an active credential with `secret` (SHA1, 6 digits, 30 s) directly in the
    /// database, with no time step used yet.
    pub async fn give_credential(&self, user: &TestUser, kind: &str, secret: &[u8]) {
        let sealed = self.services.secrets.seal(secret);
        let new = NewCredential {
            user_id: user.id,
            kind,
            label: "test credential",
            sealed_secret: &sealed,
            algorithm: "SHA1",
            digits: 6,
            period: 30,
            last_step: None,
        };
        credentials::insert(self.services.db.pool(), new, 0)
            .await
            .expect("insert a credential");
    }

    /// A browser at the code step for `user` (password given, code not yet).
    pub async fn at_code_step(&self, user: &TestUser) -> Browser {
        let mut browser = self.browser();
        browser.sign_in(&user.username, PASSWORD).await;
        let state: AuthState = browser.call("auth_state", &[]).await.assert_ok().json();
        assert!(
            matches!(state, AuthState::CodeRequired { .. }),
            "no code step: {state:?}"
        );
        browser
    }

    /// The System Notifications log as an admin sees it, newest first.
    pub async fn notifications(&self, admin: &mut Browser) -> Vec<NotificationRow> {
        admin
            .call("list_notifications", &[])
            .await
            .assert_ok()
            .json()
    }

    /// How many active credentials `user` has, read straight from the database.
    pub async fn credential_count(&self, user: &TestUser) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM credentials WHERE user_id = ?")
            .bind(user.id)
            .fetch_one(&self.sql)
            .await
            .expect("count credentials")
    }

    /// The user's wrong-code count, read straight from the database.
    pub async fn failed_codes(&self, user: &TestUser) -> i64 {
        sqlx::query_scalar("SELECT failed_codes FROM users WHERE id = ?")
            .bind(user.id)
            .fetch_one(&self.sql)
            .await
            .expect("read failed_codes")
    }
}

/// A confirmed enrollment.
#[derive(Debug, Clone)]
pub struct Enrolled {
    pub secret: Vec<u8>,
    /// The code that confirmed it (its time step is used up).
    pub code: String,
}

/// The raw secret of the pending enrollment shown on the setup page.
pub async fn pending_secret(browser: &mut Browser) -> Vec<u8> {
    let setup: SetupView = browser.call("setup", &[]).await.assert_ok().json();
    let pending = setup
        .pending
        .expect("a pending secret after generate_secret");
    secret_of_uri(&pending.uri).1
}

/// A row of the mail outbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// The one outbox row whose subject is like `subject_like` (an SQL LIKE pattern).
pub async fn outbox_row(sql: &SqlitePool, subject_like: &str) -> OutboxRow {
    sqlx::query_as(
        "SELECT recipient, subject, body_text, attempts, sent_at, last_error FROM outbox \
         WHERE subject LIKE ?",
    )
    .bind(subject_like)
    .fetch_one(sql)
    .await
    .unwrap_or_else(|error| panic!("no single outbox row like {subject_like:?}: {error}"))
}

/// Waits until `check` holds, or panics after `timeout` naming `what`.
pub async fn wait_for<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A random 160-bit secret.
pub fn random_secret() -> Vec<u8> {
    let mut secret = vec![0; 20];
    getrandom::getrandom(&mut secret).expect("random bytes");
    secret
}
