//! The one error type every server function returns.
//!
//! Policy: each variant is something a person can act on and carries the words shown to them.
//! Internal faults (database, mail, I/O) are logged once on the server, where they happen, and
//! reach the browser only as [`AppError::Internal`], which says nothing about the cause.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An error from a server function, with the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Error)]
pub enum AppError {
    /// The same words for an unknown user and a wrong password.
    #[error("The username or password is not right.")]
    InvalidCredentials,
    /// A code was refused; the message says why (format, wrong, replayed, clock drift).
    #[error("{0}")]
    WrongCode(String),
    /// Too many wrong codes: the pending sign-in was dropped or a delay is running.
    #[error("{0}")]
    Throttled(String),
    /// The request needs a signed-in user (or the pending sign-in has expired).
    #[error("Please sign in first.")]
    Unauthorized,
    /// The signed-in user may not do this.
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// The input was refused; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// The thing acted upon does not exist (any more).
    #[error("{0}")]
    NotFound(String),
    /// The change conflicts with the current state (a duplicate, a finished step).
    #[error("{0}")]
    Conflict(String),
    /// A cross-site request was refused.
    #[error("This request came from another site and was refused.")]
    CrossSite,
    /// Something failed on the server; details are in the server log only.
    #[error(
        "Something went wrong on the server. Please try again; if it keeps happening, tell an administrator."
    )]
    Internal,
    /// The request never reached the server function (network, encoding).
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status that goes with this error when a script (not a form) called.
    pub fn status(&self) -> u16 {
        match self {
            Self::InvalidCredentials | Self::WrongCode(_) | Self::Invalid(_) => 400,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::CrossSite => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::Throttled(_) => 429,
            Self::Transport(_) => 400,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => {
                Self::Transport("The server could not be reached. Check your connection.".into())
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                Self::Transport("The form was incomplete. Please fill in every field.".into())
            }
            // On the server: a body that is too large or not UTF-8, which is the sender's fault.
            ServerFnErrorErr::Deserialization(_) => {
                Self::Transport("The form could not be read. Reload the page and try again.".into())
            }
            _ => Self::Internal,
        }
    }
}
