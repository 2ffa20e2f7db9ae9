//! Data the server sends to the browser. Nothing here ever holds an active secret.

use serde::{Deserialize, Serialize};

/// What a user may do. Staff and resellers see only their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Staff,
    Reseller,
}

impl Role {
    /// The name used in the database, the CLI and the user table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Reseller => "reseller",
        }
    }

    /// Reads the stored or typed name of a role.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Self::Admin),
            "staff" => Some(Self::Staff),
            "reseller" => Some(Self::Reseller),
            _ => None,
        }
    }
}

/// Where the current browser session stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthState {
    /// Nobody is signed in.
    SignedOut,
    /// The password was right; a current code is still needed.
    CodeRequired { username: String, period_secs: u32 },
    /// Fully signed in.
    SignedIn(Me),
}

/// The signed-in user, as the navigation needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub username: String,
    pub role: Role,
}

/// The Account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub username: String,
    pub email: String,
    pub role: Role,
    pub two_factor_on: bool,
    /// Digits of the active app credential, for the "turn off" form.
    pub code_digits: u8,
}

/// A secret waiting for its first code. Sent to the browser only until it is confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingEnrollment {
    /// The otpauth URI the QR code encodes.
    pub uri: String,
    /// The Base32 key in groups of four, for typing by hand.
    pub key_grouped: String,
    pub issuer: String,
    pub account: String,
    pub algorithm: String,
    pub digits: u8,
    pub period_secs: u32,
    /// True when the parameters differ from SHA1/6/30, which some apps ignore.
    pub non_default: bool,
}

/// The setup page: whether two-factor is on and the secret being set up, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupView {
    pub role: Role,
    pub two_factor_on: bool,
    pub pending: Option<PendingEnrollment>,
}

/// One row of "Manage System Users".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub role: Role,
    pub two_factor_on: bool,
    /// Last full sign-in, already formatted in UTC.
    pub last_sign_in: Option<String>,
    /// How far off the clock of the device behind the last code was ("device clock about
    /// +2 min"), so a helpdesk call about refused codes starts with the likely cause.
    pub device_clock: Option<String>,
}

/// One entry of the "System Notifications" log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: i64,
    /// When it happened, formatted in UTC.
    pub at: String,
    /// What happened, in words.
    pub event: String,
    /// Who did it: a username or "command line".
    pub actor: String,
    /// Whose account it concerns.
    pub subject: Option<String>,
    /// The address the request came from, if it came over the network.
    pub address: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
}

/// Installation-wide settings for new enrollments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallationSettings {
    pub issuer: String,
    pub algorithm: String,
    pub digits: u8,
    pub period_secs: u32,
}

/// The answer of the time endpoint `GET /api/time`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeReport {
    /// The server's clock, Unix milliseconds, read just before the answer was written.
    pub server_unix_ms: f64,
    pub ntp: NtpReport,
    /// The installation's time step in seconds (codes of new enrollments change this often),
    /// or `None` when the server could not read its settings.
    pub period_secs: Option<u32>,
}

/// Whether the server's own clock is kept right by NTP, as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NtpReport {
    /// `synchronised`, `not_synchronised` or `unknown`.
    pub state: String,
    pub est_error_ms: Option<f64>,
    pub max_error_ms: Option<f64>,
    /// The state in words, for people.
    pub description: String,
}
