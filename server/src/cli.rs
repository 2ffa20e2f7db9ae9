//! The `staffgate` command line.

pub mod tokens;

use std::io::Read;

use clap::{Args, Parser, Subcommand};

use crate::Services;
use crate::accounts::{self, CreateUserError};
use crate::config::Config;
use crate::db::notifications::Actor;
use crate::db::users;
use crate::service::{DisableRequest, MAX_REASON_CHARS, disable_two_factor};

use self::tokens::TokensCommand;

/// Self-hosted two-factor sign-in for staff.
#[derive(Debug, Parser)]
#[command(name = "staffgate", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do; without a command, Staffgate serves.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage hardware tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
}

/// `staffgate user ...`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. The password is read from standard input.
    Add(AddUser),
    /// Turn off a user's two-factor authentication (the break-glass path for a locked-out
    /// admin). Logged, and the user is emailed, exactly like the web action.
    #[command(name = "disable-2fa")]
    Disable2fa(DisableTwoFactor),
}

/// Arguments of `staffgate user add`.
#[derive(Debug, Args)]
pub struct AddUser {
    #[arg(long)]
    pub username: String,
    #[arg(long)]
    pub email: String,
    /// admin, staff or reseller.
    #[arg(long)]
    pub role: String,
    /// Read the password from standard input (the only way: it never appears in the process
    /// list or the shell history).
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

/// Arguments of `staffgate user disable-2fa`.
#[derive(Debug, Args)]
pub struct DisableTwoFactor {
    #[arg(long)]
    pub username: String,
    /// Why: goes into the log and the mail to the user.
    #[arg(long)]
    pub reason: String,
}

/// A command's failure, already worded for the person at the terminal.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CliError(pub String);

/// Runs a user command and returns what to print.
pub async fn run_user_command(config: &Config, command: UserCommand) -> Result<String, CliError> {
    match command {
        UserCommand::Add(add) => add_user(config, add).await,
        UserCommand::Disable2fa(disable) => disable_2fa(config, disable).await,
    }
}

async fn add_user(config: &Config, add: AddUser) -> Result<String, CliError> {
    let password = read_password()?;
    // Check what can be checked before touching the data folder.
    accounts::normalize_username(&add.username).map_err(|error| CliError(error.to_string()))?;
    let services = open(config).await?;
    let created = accounts::create_user(
        &services.db,
        &add.username,
        &add.email,
        &add.role,
        password,
        &Actor::CommandLine,
    )
    .await;
    match created {
        Ok(_) => Ok(format!(
            "Created {} user {:?}.",
            add.role.trim().to_lowercase(),
            add.username.trim().to_lowercase()
        )),
        Err(CreateUserError::Internal(error)) => Err(CliError(format!("{error:#}"))),
        Err(error) => Err(CliError(error.to_string())),
    }
}

async fn disable_2fa(config: &Config, disable: DisableTwoFactor) -> Result<String, CliError> {
    let reason = disable.reason.trim();
    if reason.is_empty() {
        return Err(CliError(
            "--reason must not be empty: it goes into the log and the mail".into(),
        ));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(CliError(format!(
            "--reason is too long: at most {MAX_REASON_CHARS} characters"
        )));
    }
    let username = disable.username.trim().to_lowercase();
    let services = open(config).await?;
    let user = users::by_username(services.db.pool(), &username)
        .await
        .map_err(|error| CliError(format!("could not read the database: {error}")))?
        .ok_or_else(|| CliError(format!("there is no user named {username:?}")))?;

    let request = DisableRequest {
        user_id: user.id,
        actor: &Actor::CommandLine,
        by_user: false,
        reason: Some(reason),
        client_addr: None,
    };
    disable_two_factor(&services.db, &services.mailer, request)
        .await
        .map_err(|error| CliError(error.to_string()))?;

    let mail = match services.mailer.deliver_due().await {
        Ok(pass) if pass.failed == 0 => "The user has been emailed.".to_owned(),
        Ok(_) => "The mail could not be sent yet; the running server will keep trying.".into(),
        Err(error) => format!("The mail is queued but the outbox could not be read: {error}."),
    };
    Ok(format!(
        "Two-factor authentication is now off for {username:?}; their sessions were ended and \
         the change is in System Notifications. {mail}"
    ))
}

async fn open(config: &Config) -> Result<Services, CliError> {
    Services::open(config)
        .await
        .map_err(|error| CliError(format!("{error:#}")))
}

fn read_password() -> Result<String, CliError> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| {
            CliError(format!(
                "could not read the password from standard input: {error}"
            ))
        })?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        return Err(CliError(
            "no password on standard input (use --password-stdin and pipe it in)".into(),
        ));
    }
    Ok(password)
}
