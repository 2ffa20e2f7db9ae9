//! What an import yields: credentials ready for storage, and the ones refused with a reason.

use std::fmt;

use crate::otp::{Algorithm, SecretKey};

/// How a token moves from one code to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Time-based (RFC 6238): the time step is `(now - t0) / period_secs`.
    Totp {
        /// Length of one time step in seconds, never 0.
        period_secs: u32,
        /// Unix time at which step 0 starts.
        t0: u64,
    },
    /// Event-based (RFC 4226): the token's next code is the one for `counter`.
    Hotp {
        /// The moving factor the next code is computed from.
        counter: u64,
    },
}

/// One hardware token read from a seed file, ready to be stored as a credential.
#[derive(Debug, Clone)]
pub struct ImportedToken {
    /// The serial number printed on the device; every token has one.
    pub serial: String,
    /// The vendor, when the file names one.
    pub manufacturer: Option<String>,
    /// The device model, when the file names one.
    pub model: Option<String>,
    /// TOTP with its time step, or HOTP with its counter.
    pub kind: TokenKind,
    /// The shared secret, decoded exactly once.
    pub secret: SecretKey,
    /// The HMAC hash function.
    pub algorithm: Algorithm,
    /// Length of a code: 6 or 8.
    pub digits: u8,
    /// Things an administrator should know before using the token, such as a short secret.
    pub warnings: Vec<String>,
}

/// A token that was left out of the import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedToken {
    /// The serial, when it could be read.
    pub serial: Option<String>,
    /// 1-based line in the file where the token (CSV row or PSKC KeyPackage) starts.
    pub line: Option<usize>,
    /// A message for the administrator; it never holds a secret.
    pub reason: String,
}

/// The outcome of reading one seed file that had no file-level fault.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Tokens that can be stored, in file order.
    pub tokens: Vec<ImportedToken>,
    /// Tokens that were left out, in file order.
    pub refused: Vec<RefusedToken>,
}

/// The key a PSKC file's secrets are encrypted under (RFC 6030 section 6).
#[derive(Clone)]
pub enum PskcKey {
    /// A symmetric key shared with the vendor out of band (section 6.1).
    PreShared(Vec<u8>),
    /// A password the encryption key is derived from with PBKDF2 (section 6.2).
    Password(String),
}

impl PskcKey {
    /// Reads a pre-shared key typed in hex, ignoring case and whitespace.
    pub fn pre_shared_from_hex(text: &str) -> Option<Self> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let bytes = data_encoding::HEXLOWER_PERMISSIVE
            .decode(compact.as_bytes())
            .ok()?;
        (!bytes.is_empty()).then_some(Self::PreShared(bytes))
    }
}

impl fmt::Debug for PskcKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PreShared(_) => f.write_str("PreShared(redacted)"),
            Self::Password(_) => f.write_str("Password(redacted)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_holds_no_secret_bytes() {
        let key = PskcKey::PreShared(vec![0xab; 16]);
        let password = PskcKey::Password("hunter2".into());
        assert_eq!(format!("{key:?}"), "PreShared(redacted)");
        assert!(!format!("{password:?}").contains("hunter2"));
    }

    #[test]
    fn pre_shared_keys_are_typed_in_hex_with_spaces_and_any_case() {
        let Some(PskcKey::PreShared(bytes)) = PskcKey::pre_shared_from_hex("0102 0A0b\n") else {
            panic!("valid hex was refused");
        };
        assert_eq!(bytes, [1, 2, 10, 11]);
        assert!(PskcKey::pre_shared_from_hex("012").is_none());
        assert!(PskcKey::pre_shared_from_hex("zz").is_none());
        assert!(PskcKey::pre_shared_from_hex("  ").is_none());
    }
}
