//! File-level import faults.
//!
//! Policy: a fault that makes the whole file untrustworthy (it is not a seed file, cannot be
//! parsed, cannot be decrypted, or fails an integrity check) is an `ImportError`, and nothing
//! from that file is imported. A fault in one token only is a `RefusedToken` in the report.
//! Every message is written for the administrator who uploaded the file and holds no secret.

use thiserror::Error;

/// Why a seed file was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The file has no content.
    #[error("the file is empty")]
    Empty,

    /// The file is UTF-16 (as some Windows tools save it); only UTF-8 is read.
    #[error("the file is UTF-16 encoded; save it as UTF-8 and import it again")]
    Utf16,

    /// Well-formed XML whose root is not a PSKC `KeyContainer`.
    #[error("not a PSKC KeyContainer: the root element is <{0}>")]
    NotPskc(String),

    /// A `KeyContainer` of another version than RFC 6030's 1.0.
    #[error("unsupported PSKC version {0:?}: only version 1.0 can be imported")]
    UnsupportedVersion(String),

    /// The XML itself cannot be parsed.
    #[error("malformed XML: {0}")]
    MalformedXml(String),

    /// The XML parses but breaks the PSKC structure in a way that affects every token.
    #[error("invalid PSKC file: {0}")]
    InvalidPskc(String),

    /// The file holds encrypted secrets and no key or password was given.
    #[error("the file is encrypted: enter the pre-shared key or password it was protected with")]
    KeyRequired,

    /// A pre-shared key was given for a file protected by a password.
    #[error("the file is protected by a password, not by a pre-shared key")]
    PasswordExpected,

    /// A password was given for a file protected by a pre-shared key.
    #[error("the file is protected by a pre-shared key, not by a password")]
    PreSharedKeyExpected,

    /// The key given does not fit the cipher the file names.
    #[error("the key is {actual} bytes long, but {cipher} needs a {expected}-byte key")]
    KeyLength {
        /// The cipher named in the file.
        cipher: &'static str,
        /// Key length the cipher needs.
        expected: usize,
        /// Key length that was given or derived.
        actual: usize,
    },

    /// Decryption failed (bad padding): wrong key or password, or a damaged file.
    #[error("decryption failed: the key or password is wrong, or the file is damaged")]
    WrongKey,

    /// A `ValueMAC` does not match the encrypted value it protects.
    #[error(
        "MAC value does not match for {0}: the file was altered or damaged, or the key is wrong"
    )]
    MacMismatch(String),

    /// The file declares a `MACMethod` but an encrypted value carries no `ValueMAC`.
    #[error("{0} is encrypted but has no ValueMAC, although the file declares a MACMethod")]
    MissingValueMac(String),

    /// Encrypted values without any `MACMethod`: tampering could not be detected.
    #[error(
        "the file holds encrypted values but no MACMethod, so their integrity cannot be checked"
    )]
    MissingMacMethod,

    /// An encryption algorithm or key transport this importer does not implement.
    #[error("unsupported encryption algorithm: {0}")]
    UnsupportedEncryption(String),

    /// A MAC algorithm this importer does not implement.
    #[error("unsupported MAC algorithm: {0}")]
    UnsupportedMac(String),

    /// A key derivation this importer does not implement, or parameters it will not run.
    #[error("unsupported key derivation: {0}")]
    UnsupportedKeyDerivation(String),

    /// The first CSV line is not the expected header.
    #[error("unreadable CSV header: {0}")]
    CsvHeader(String),
}
