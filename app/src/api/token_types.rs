//! Data about hardware tokens that the server sends to the browser. Never a secret.

use serde::{Deserialize, Serialize};

/// Where a token is in its life; decides which actions its inventory row offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenState {
    /// Nobody has it.
    InStock,
    /// Handed to a user, who has not yet proven it with a code.
    Assigned,
    /// The user signs in with it.
    Active,
    /// Taken away; it is not handed out again until an admin returns it to stock.
    Revoked,
}

impl TokenState {
    /// The state in words, as the inventory shows it.
    pub fn words(self) -> &'static str {
        match self {
            Self::InStock => "in stock",
            Self::Assigned => "assigned",
            Self::Active => "active",
            Self::Revoked => "revoked",
        }
    }
}

/// One row of the hardware-token inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub serial: String,
    /// Manufacturer and model, as far as the seed file named them.
    pub maker: String,
    pub algorithm: String,
    pub digits: u8,
    pub period_secs: u32,
    pub state: TokenState,
    /// Who has it (also kept for a revoked token, until it is returned to stock).
    pub user: Option<String>,
    /// That user's id.
    pub user_id: Option<i64>,
    /// When it last signed someone in, formatted in UTC.
    pub last_used: Option<String>,
    /// The learned drift of an active token ("device clock about +90 s").
    pub drift: Option<String>,
    /// What the import warned about.
    pub warnings: Vec<String>,
    /// Whether the token's user also has an authenticator app, which an admin may remove
    /// while the token stays.
    pub holder_has_app: bool,
}

/// What happened to one token of an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    /// Stored in stock; the warnings are worth reading before handing it out.
    Imported { warnings: Vec<String> },
    /// Left out, and why.
    Refused { reason: String },
}

/// One token of an import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    /// The serial, or "line N" when the file gave none that could be read.
    pub serial: String,
    pub outcome: ImportOutcome,
}

/// The report of one import: every token, or the fault that refused the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub file_name: Option<String>,
    /// Set when the whole file was refused; then nothing was imported.
    pub file_error: Option<String>,
    pub lines: Vec<ImportLine>,
}

impl ImportSummary {
    /// How many tokens were stored.
    pub fn imported(&self) -> usize {
        self.lines
            .iter()
            .filter(|line| matches!(line.outcome, ImportOutcome::Imported { .. }))
            .count()
    }

    /// How many tokens were left out.
    pub fn refused(&self) -> usize {
        self.lines.len() - self.imported()
    }
}

/// The "Hardware tokens" page: the inventory and this session's last import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensView {
    pub tokens: Vec<TokenRow>,
    pub last_import: Option<ImportSummary>,
}

/// A token assigned to the signed-in user and waiting for its first code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedToken {
    pub id: i64,
    pub serial: String,
    pub digits: u8,
}

/// An uploaded seed file with the key it may need. Neither field is ever logged or stored.
#[derive(Clone, Default)]
pub struct TokenUpload {
    pub file_name: Option<String>,
    pub data: Vec<u8>,
    /// A pre-shared key in hex, as typed (may be empty).
    pub psk_hex: String,
    /// The file's password (may be empty).
    pub password: String,
}

impl std::fmt::Debug for TokenUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenUpload")
            .field("file_name", &self.file_name)
            .field("bytes", &self.data.len())
            .finish_non_exhaustive()
    }
}
