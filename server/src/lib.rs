//! The Staffgate server: configuration, storage, mail, the flows behind the UI, and the HTTP
//! front. `main.rs` only parses the command line and calls into here; the integration tests
//! build the same router on a port of their own.

pub mod accounts;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod db;
pub mod http;
pub mod mail;
pub mod password;
pub mod service;
pub mod time_endpoint;
pub mod upload;
pub mod when;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::db::Db;
use crate::db::sessions::SqlSessionStore;
use crate::mail::Mailer;
use crate::service::Staffgate;

/// Everything a running Staffgate holds.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub secrets: SecretBox,
    pub mailer: Mailer,
    pub staffgate: Staffgate,
}

impl Services {
    /// Opens the data folder, the database (migrating it) and the mail transport.
    pub async fn open(config: &Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "STAFFGATE_DATA_DIR: could not create {}",
                config.data_dir.display()
            )
        })?;
        let db = Db::open(&config.database_url).await?;
        let secrets = SecretBox::load_or_create(&config.key_file())?;
        let mailer = Mailer::new(db.clone(), config)?;
        let staffgate = Staffgate::new(db.clone(), secrets.clone(), mailer.clone());
        Ok(Self {
            db,
            secrets,
            mailer,
            staffgate,
        })
    }

    /// The HTTP router over these services.
    pub fn router(&self, options: LeptosOptions, config: &Config) -> Router {
        let backend = Arc::new(self.staffgate.clone());
        http::router(
            options,
            backend,
            SqlSessionStore::new(self.db.clone()),
            self.db.clone(),
            config,
        )
    }

    /// Starts the background work: the mail sender and the expired-session sweep.
    pub fn spawn_background(&self) {
        self.mailer.clone().spawn();
        let store = SqlSessionStore::new(self.db.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(600));
            loop {
                every.tick().await;
                match store.delete_expired().await {
                    Ok(0) => {}
                    Ok(count) => tracing::debug!(count, "expired sessions deleted"),
                    Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
                }
            }
        });
    }
}

/// Runs the web server until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let options = leptos::config::get_configuration(None)
        .context("reading the LEPTOS_* settings")?
        .leptos_options;
    let addr = options.site_addr;
    let services = Services::open(&config).await?;
    services.spawn_background();
    let router = services.router(options, &config);

    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("LEPTOS_SITE_ADDR: could not listen on {addr}"))?;
    if config.trust_proxy && !config.secure_cookies() {
        tracing::warn!(
            "STAFFGATE_TRUST_PROXY is on but STAFFGATE_PUBLIC_URL is not https://: session \
             cookies are not marked Secure"
        );
    }
    tracing::info!(%addr, "Staffgate is listening");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving HTTP")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
