//! Importing a seed file into the inventory.
//!
//! The importers in `staffgate_core::import` read the file; this flow adds the server's own
//! refusals and stores the rest:
//! - HOTP tokens are refused ("HOTP tokens are not supported"), never treated as TOTP, and so
//!   are TOTP tokens whose step 0 starts at a time T0 other than 0.
//! - A serial already in the inventory (in any letter case) is refused, never overwritten.
//! - A file-level fault (not a seed file, wrong key, a MAC that does not match) stores nothing.
//! - Everything imported from one file is inserted in one transaction, together with one System
//!   Notifications entry that counts and names the tokens. A refused file gets an entry too.
//!
//! Secrets are sealed like app secrets. The file, the pre-shared key and the password are
//! neither stored nor logged; only serials, counts and reasons are.

use staffgate_app::api::token_types::{ImportLine, ImportOutcome, ImportSummary};
use staffgate_app::error::AppError;
use staffgate_core::import::{
    ImportError, ImportReport, ImportedToken, PskcKey, TokenKind, import_file,
};

use super::TokenDesk;
use crate::db::notifications::Event;
use crate::db::tokens::{self, NewToken};
use crate::db::{is_unique_violation, now_ms};
use crate::service::internal;

/// The longest file name kept in the log.
const MAX_NAME_CHARS: usize = 100;

impl TokenDesk<'_> {
    /// Imports the tokens of one seed file. A file-level fault is an [`AppError::Invalid`]
    /// whose message starts "Nothing was imported".
    pub async fn import(
        &self,
        file_name: Option<&str>,
        data: Vec<u8>,
        key: Option<PskcKey>,
    ) -> Result<ImportSummary, AppError> {
        let now = now_ms();
        let file_name = file_name.map(|name| name.chars().take(MAX_NAME_CHARS).collect::<String>());
        let shown_name = file_name.clone().unwrap_or_else(|| "the file".to_owned());

        let report = match read_file(file_name.clone(), data, key).await? {
            Ok(report) => report,
            Err(error) => {
                let detail = format!("{shown_name}: {error}");
                self.log(self.db.pool(), Event::TokenFileRefused, None, &detail, now)
                    .await?;
                tracing::info!(error = %error, "seed file refused");
                return Err(AppError::Invalid(format!("Nothing was imported: {error}.")));
            }
        };

        let mut tx = self.begin().await?;
        let mut lines = Vec::with_capacity(report.tokens.len() + report.refused.len());
        for token in &report.tokens {
            let refusal = match server_refusal(token) {
                Some(reason) => Some(reason.to_owned()),
                None => tokens::serial_exists(&mut *tx, &token.serial)
                    .await
                    .map_err(internal("look up a serial"))?
                    .then(|| "serial already present".to_owned()),
            };
            let outcome = match refusal {
                Some(reason) => ImportOutcome::Refused { reason },
                None => {
                    self.store(&mut tx, token, now).await?;
                    ImportOutcome::Imported {
                        warnings: token.warnings.clone(),
                    }
                }
            };
            lines.push(ImportLine {
                serial: token.serial.clone(),
                outcome,
            });
        }
        for refused in report.refused {
            let serial = match (refused.serial, refused.line) {
                (Some(serial), _) => serial,
                (None, Some(line)) => format!("line {line}"),
                (None, None) => "a token without a serial".to_owned(),
            };
            lines.push(ImportLine {
                serial,
                outcome: ImportOutcome::Refused {
                    reason: refused.reason,
                },
            });
        }

        let summary = ImportSummary {
            file_name,
            file_error: None,
            lines,
        };
        let detail = format!("{shown_name}: {}", describe(&summary));
        self.log(&mut *tx, Event::TokensImported, None, &detail, now)
            .await?;
        tx.commit().await.map_err(internal("commit an import"))?;
        tracing::info!(
            imported = summary.imported(),
            refused = summary.refused(),
            "seed file imported"
        );
        Ok(summary)
    }

    async fn store(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        token: &ImportedToken,
        now: i64,
    ) -> Result<(), AppError> {
        let TokenKind::Totp { period_secs, .. } = token.kind else {
            return Err(internal("store an HOTP token")(&token.serial));
        };
        let sealed = self.secrets.seal(token.secret.as_bytes());
        let warnings = (!token.warnings.is_empty()).then(|| token.warnings.join("\n"));
        let new = NewToken {
            serial: &token.serial,
            manufacturer: token.manufacturer.as_deref(),
            model: token.model.as_deref(),
            sealed_secret: &sealed,
            algorithm: token.algorithm.as_str(),
            digits: i64::from(token.digits),
            period: i64::from(period_secs),
            warnings: warnings.as_deref(),
        };
        match tokens::insert(&mut **tx, new, now).await {
            Ok(_) => Ok(()),
            Err(error)
                if is_unique_violation(&error, tokens::SERIAL_KEY, tokens::SERIAL_KEY_COLUMN) =>
            {
                Err(AppError::Conflict(format!(
                    "Another import stored {} at the same moment; nothing was imported. \
                     Import the file again.",
                    token.serial
                )))
            }
            Err(error) => Err(internal("store a token")(error)),
        }
    }
}

/// Reads and decrypts the file on a blocking thread: PBKDF2 may run up to a million rounds,
/// which must not hold up the requests sharing the async executor.
async fn read_file(
    file_name: Option<String>,
    data: Vec<u8>,
    key: Option<PskcKey>,
) -> Result<Result<ImportReport, ImportError>, AppError> {
    tokio::task::spawn_blocking(move || import_file(file_name.as_deref(), &data, key.as_ref()))
        .await
        .map_err(internal("read a seed file"))
}

/// Why the server refuses a token the importer could read, if it does.
fn server_refusal(token: &ImportedToken) -> Option<&'static str> {
    match token.kind {
        TokenKind::Hotp { .. } => Some("HOTP tokens are not supported"),
        TokenKind::Totp { t0, .. } if t0 != 0 => {
            Some("tokens with a start time (T0) other than 0 are not supported")
        }
        TokenKind::Totp { .. } => None,
    }
}

/// "2 imported (TOK-0001, TOK-0002); 1 refused (TOK-0004)" for the log.
fn describe(summary: &ImportSummary) -> String {
    let serials = |imported: bool| {
        summary
            .lines
            .iter()
            .filter(|line| matches!(line.outcome, ImportOutcome::Imported { .. }) == imported)
            .map(|line| line.serial.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!("{} imported", summary.imported());
    if summary.imported() > 0 {
        text.push_str(&format!(" ({})", serials(true)));
    }
    text.push_str(&format!("; {} refused", summary.refused()));
    if summary.refused() > 0 {
        text.push_str(&format!(" ({})", serials(false)));
    }
    text
}
