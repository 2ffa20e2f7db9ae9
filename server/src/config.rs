//! Settings read from the environment at start-up.
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `STAFFGATE_DATA_DIR` | `./data` | SQLite file, secret key file, mail outbox folder |
//! | `DATABASE_URL` | `sqlite://<data dir>/staffgate.db` | the database (sqlx URL) |
//! | `STAFFGATE_SMTP_URL` | none | lettre SMTP URL; without it mail goes to `<data dir>/outbox` |
//! | `STAFFGATE_MAIL_FROM` | `Staffgate <staffgate@localhost>` | sender of notification mail |
//! | `STAFFGATE_PUBLIC_URL` | none | the address users type, e.g. `https://sso.example.com` |
//! | `STAFFGATE_TRUST_PROXY` | `false` | take the client address from `X-Forwarded-For` |
//!
//! `LEPTOS_SITE_ADDR` and `LEPTOS_SITE_ROOT` are read by Leptos itself.

use std::path::PathBuf;

use lettre::message::Mailbox;

/// A setting that could not be used, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

/// Everything the server needs besides Leptos's own options.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: Mailbox,
    /// When set and `https`, session cookies are marked `Secure`.
    pub public_url: Option<String>,
    pub trust_proxy: bool,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let data_dir =
            PathBuf::from(lookup("STAFFGATE_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("staffgate.db").display()
            )
        });

        let smtp_url = lookup("STAFFGATE_SMTP_URL");
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError {
                variable: "STAFFGATE_SMTP_URL",
                problem: "must start with smtp:// or smtps://".into(),
            });
        }

        let mail_from = lookup("STAFFGATE_MAIL_FROM")
            .unwrap_or_else(|| "Staffgate <staffgate@localhost>".into())
            .parse::<Mailbox>()
            .map_err(|error| ConfigError {
                variable: "STAFFGATE_MAIL_FROM",
                problem: format!("not a mail address: {error}"),
            })?;

        let public_url =
            lookup("STAFFGATE_PUBLIC_URL").map(|url| url.trim_end_matches('/').to_owned());
        if let Some(url) = &public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError {
                variable: "STAFFGATE_PUBLIC_URL",
                problem: "must start with http:// or https://".into(),
            });
        }

        let trust_proxy = match lookup("STAFFGATE_TRUST_PROXY").as_deref() {
            None | Some("false" | "0" | "no") => false,
            Some("true" | "1" | "yes") => true,
            Some(other) => {
                return Err(ConfigError {
                    variable: "STAFFGATE_TRUST_PROXY",
                    problem: format!("expected true or false, not {other:?}"),
                });
            }
        };

        Ok(Self {
            data_dir,
            database_url,
            smtp_url,
            mail_from,
            public_url,
            trust_proxy,
        })
    }

    /// Whether cookies must carry the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The secret key file.
    pub fn key_file(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    /// Where mail is written when no SMTP server is set.
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_put_everything_under_the_data_folder() {
        let config = config(&[]).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.database_url, "sqlite://./data/staffgate.db?mode=rwc");
        assert!(config.smtp_url.is_none());
        assert!(!config.secure_cookies());
        assert!(!config.trust_proxy);
    }

    #[test]
    fn an_https_public_url_makes_cookies_secure() {
        let config = config(&[("STAFFGATE_PUBLIC_URL", "https://sso.example.test/")]).unwrap();
        assert!(config.secure_cookies());
        assert_eq!(
            config.public_url.as_deref(),
            Some("https://sso.example.test")
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        let error = config(&[("STAFFGATE_SMTP_URL", "mail.example.test")]).unwrap_err();
        assert_eq!(error.variable, "STAFFGATE_SMTP_URL");
        let error = config(&[("STAFFGATE_MAIL_FROM", "not an address")]).unwrap_err();
        assert_eq!(error.variable, "STAFFGATE_MAIL_FROM");
        let error = config(&[("STAFFGATE_TRUST_PROXY", "maybe")]).unwrap_err();
        assert_eq!(error.variable, "STAFFGATE_TRUST_PROXY");
    }
}
