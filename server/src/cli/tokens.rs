//! `staffgate tokens …`: import seed files, hand a token to a user, print the inventory.
//! Changes are logged in System Notifications with "command line" as the actor.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use staffgate_app::api::token_types::{ImportOutcome, ImportSummary, TokenRow};
use staffgate_core::import::PskcKey;

use super::{CliError, open, read_password};
use crate::Services;
use crate::config::Config;
use crate::db::notifications::Actor;
use crate::service::TokenDesk;
use crate::service::tokens::token_rows;

/// `staffgate tokens ...`
#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Import a PSKC (RFC 6030) or CSV seed file; prints a line per token.
    Import(ImportTokens),
    /// Assign a token to a user and activate it with a current code from the token.
    Assign(AssignToken),
    /// Print the inventory.
    List,
}

/// Arguments of `staffgate tokens import`.
#[derive(Debug, Args)]
pub struct ImportTokens {
    /// The seed file.
    pub file: PathBuf,
    /// The pre-shared key of an encrypted PSKC file, in hex.
    #[arg(long, value_name = "HEX", conflicts_with = "password_stdin")]
    pub psk_hex: Option<String>,
    /// Read the password of a password-protected PSKC file from standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Arguments of `staffgate tokens assign`.
#[derive(Debug, Args)]
pub struct AssignToken {
    /// The serial printed on the token.
    pub serial: String,
    #[arg(long)]
    pub username: String,
    /// The code the token shows now.
    #[arg(long)]
    pub code: String,
}

/// Runs a tokens command and returns what to print.
pub async fn run_tokens_command(
    config: &Config,
    command: TokensCommand,
) -> Result<String, CliError> {
    match command {
        TokensCommand::Import(import) => import_file(config, import).await,
        TokensCommand::Assign(assign) => assign_token(config, assign).await,
        TokensCommand::List => list(config).await,
    }
}

async fn import_file(config: &Config, import: ImportTokens) -> Result<String, CliError> {
    let key = match (&import.psk_hex, import.password_stdin) {
        (Some(hex), _) => Some(PskcKey::pre_shared_from_hex(hex).ok_or_else(|| {
            CliError("--psk-hex must be hexadecimal digits, two per byte".into())
        })?),
        (None, true) => Some(PskcKey::Password(read_password()?)),
        (None, false) => None,
    };
    let data = std::fs::read(&import.file)
        .map_err(|error| CliError(format!("could not read {}: {error}", import.file.display())))?;
    let file_name = import
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());

    let services = open(config).await?;
    let summary = desk(&services)
        .import(file_name.as_deref(), data, key)
        .await
        .map_err(|error| CliError(error.to_string()))?;
    Ok(describe_import(&summary))
}

async fn assign_token(config: &Config, assign: AssignToken) -> Result<String, CliError> {
    let services = open(config).await?;
    let (token, user) = desk(&services)
        .assign_and_activate(&assign.serial, &assign.username, &assign.code)
        .await
        .map_err(|error| CliError(error.to_string()))?;
    Ok(format!(
        "Hardware token {} is now active for {:?}; the change is in System Notifications.",
        token.serial, user.username
    ))
}

async fn list(config: &Config) -> Result<String, CliError> {
    let services = open(config).await?;
    let rows = token_rows(&services.db)
        .await
        .map_err(|error| CliError(error.to_string()))?;
    if rows.is_empty() {
        return Ok("No hardware tokens yet; import a seed file first.".into());
    }
    Ok(table(&rows))
}

fn desk(services: &Services) -> TokenDesk<'_> {
    TokenDesk {
        db: &services.db,
        secrets: &services.secrets,
        actor: &Actor::CommandLine,
        client_addr: None,
    }
}

/// A line per token, then the counts.
fn describe_import(summary: &ImportSummary) -> String {
    let mut text = String::new();
    for line in &summary.lines {
        match &line.outcome {
            ImportOutcome::Imported { warnings } => {
                text.push_str(&format!("imported  {}\n", line.serial));
                for warning in warnings {
                    text.push_str(&format!("          warning: {warning}\n"));
                }
            }
            ImportOutcome::Refused { reason } => {
                text.push_str(&format!("refused   {}: {reason}\n", line.serial));
            }
        }
    }
    text.push_str(&format!(
        "{} imported, {} refused.",
        summary.imported(),
        summary.refused()
    ));
    text
}

/// The inventory as aligned columns.
fn table(rows: &[TokenRow]) -> String {
    let header = [
        "SERIAL",
        "MAKER",
        "ALGORITHM",
        "DIGITS",
        "PERIOD",
        "USER",
        "STATE",
        "LAST USE",
        "DRIFT",
    ];
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|cell| cell.to_string()).collect()];
    for row in rows {
        cells.push(vec![
            row.serial.clone(),
            row.maker.clone(),
            row.algorithm.clone(),
            row.digits.to_string(),
            format!("{} s", row.period_secs),
            row.user.clone().unwrap_or_default(),
            row.state.words().to_owned(),
            row.last_used.clone().unwrap_or_default(),
            row.drift.clone().unwrap_or_default(),
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            cells
                .iter()
                .map(|line| line[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    cells
        .iter()
        .map(|line| {
            let padded: Vec<String> = line
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:width$}"))
                .collect();
            padded.join("  ").trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
