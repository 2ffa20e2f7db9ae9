//! The `staffgate` binary: parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use staffgate::cli::tokens::run_tokens_command;
use staffgate::cli::{Cli, CliError, Command, run_user_command};
use staffgate::config::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The server logs its work; a one-off command prints its result and only warnings.
    let default_filter = match cli.command {
        None | Some(Command::Serve) => "staffgate=info,tower_http=warn,warn",
        Some(_) => "warn",
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };

    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match staffgate::serve(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        },
        Command::User(command) => report(run_user_command(&config, command).await),
        Command::Tokens(command) => report(run_tokens_command(&config, command).await),
    }
}

/// Prints a command's result and turns it into the exit code.
fn report(result: Result<String, CliError>) -> ExitCode {
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
