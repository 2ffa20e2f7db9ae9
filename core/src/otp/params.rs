//! The parameters of a credential: hash algorithm, code length, time step, and the names shown
//! in the authenticator app.
//!
//! Every credential Staffgate stores, enrolled or imported, uses 6 or 8 digits and a 30 or 60
//! second time step, what common authenticator apps and hardware tokens understand. Other
//! steps, from 1 second to an hour, are only read (from an otpauth URI, say) through
//! [`Period::any`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest issuer or account name we accept, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Longest time step an imported token may have, in seconds.
pub const MAX_PERIOD_SECS: u32 = 3600;

/// Why a credential parameter or name was refused; every message can be shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("unsupported algorithm \"{0}\": use SHA1, SHA256 or SHA512")]
    UnsupportedAlgorithm(String),
    #[error("codes must have 6 or 8 digits, not {0}")]
    UnsupportedDigits(u64),
    #[error("the time step must be 30 or 60 seconds, not {0}")]
    UnsupportedPeriod(u64),
    #[error("the time step must be between 1 and {MAX_PERIOD_SECS} seconds, not {0}")]
    PeriodOutOfRange(u64),
    #[error("{field} must not be empty")]
    EmptyName { field: &'static str },
    #[error("{field} must be at most {MAX_NAME_CHARS} characters long")]
    NameTooLong { field: &'static str },
    #[error("{field} must not contain control characters")]
    ControlCharacter { field: &'static str },
    #[error("{field} must not contain ':'")]
    Colon { field: &'static str },
}

/// The HMAC hash function a credential uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA1, the default, and the only one some apps really implement.
    #[default]
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

impl Algorithm {
    /// The name used in otpauth URIs and in storage: "SHA1", "SHA256" or "SHA512".
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }

    pub(crate) const fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

impl FromStr for Algorithm {
    type Err = ParamError;

    /// Accepts "SHA1", "sha-1", "HMAC-SHA1" and the like, in any letter case.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let upper = input.trim().to_ascii_uppercase();
        let name = upper.strip_prefix("HMAC-").unwrap_or(&upper);
        match name {
            "SHA1" | "SHA-1" => Ok(Algorithm::Sha1),
            "SHA256" | "SHA-256" => Ok(Algorithm::Sha256),
            "SHA512" | "SHA-512" => Ok(Algorithm::Sha512),
            _ => Err(ParamError::UnsupportedAlgorithm(input.to_owned())),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Algorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Algorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// How many digits a code has: 6 or 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Digits(u8);

impl Digits {
    /// Six-digit codes, the default.
    pub const SIX: Digits = Digits(6);
    /// Eight-digit codes.
    pub const EIGHT: Digits = Digits(8);

    /// Accepts 6 or 8.
    pub fn new(digits: u8) -> Result<Digits, ParamError> {
        match digits {
            6 | 8 => Ok(Digits(digits)),
            _ => Err(ParamError::UnsupportedDigits(digits.into())),
        }
    }

    /// The number of digits.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Digits::SIX
    }
}

impl TryFrom<u8> for Digits {
    type Error = ParamError;

    fn try_from(digits: u8) -> Result<Self, Self::Error> {
        Digits::new(digits)
    }
}

impl From<Digits> for u8 {
    fn from(digits: Digits) -> u8 {
        digits.0
    }
}

/// The length of one time step, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Period(u32);

impl Period {
    /// 30 seconds, the default.
    pub const THIRTY: Period = Period(30);
    /// 60 seconds.
    pub const SIXTY: Period = Period(60);

    /// For enrollment: accepts 30 or 60 seconds, the steps authenticator apps handle.
    pub fn new(secs: u32) -> Result<Period, ParamError> {
        match secs {
            30 | 60 => Ok(Period(secs)),
            _ => Err(ParamError::UnsupportedPeriod(secs.into())),
        }
    }

    /// For reading parameters written elsewhere: accepts any step from 1 to 3600 seconds.
    pub fn any(secs: u32) -> Result<Period, ParamError> {
        if (1..=MAX_PERIOD_SECS).contains(&secs) {
            Ok(Period(secs))
        } else {
            Err(ParamError::PeriodOutOfRange(secs.into()))
        }
    }

    /// The step length in seconds, never 0.
    pub const fn secs(self) -> u32 {
        self.0
    }
}

impl Default for Period {
    fn default() -> Self {
        Period::THIRTY
    }
}

impl TryFrom<u32> for Period {
    type Error = ParamError;

    fn try_from(secs: u32) -> Result<Self, Self::Error> {
        Period::any(secs)
    }
}

impl From<Period> for u32 {
    fn from(period: Period) -> u32 {
        period.0
    }
}

/// Everything besides the secret that decides which code is valid when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct OtpParams {
    pub algorithm: Algorithm,
    pub digits: Digits,
    pub period: Period,
}

impl OtpParams {
    /// True for SHA1, 6 digits, 30 seconds: the only combination every app honours.
    pub fn is_default(&self) -> bool {
        *self == OtpParams::default()
    }
}

/// The name of the service shown above the code in the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Issuer(String);

impl Issuer {
    /// Trims the input and refuses empty, over-long, control-character or ':' names.
    pub fn parse(input: &str) -> Result<Issuer, ParamError> {
        check_name(input, "issuer").map(Issuer)
    }

    /// The issuer as entered, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The account shown below the issuer in the authenticator app, usually the user's email.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountName(String);

impl AccountName {
    /// Trims the input and refuses empty, over-long, control-character or ':' names.
    pub fn parse(input: &str) -> Result<AccountName, ParamError> {
        check_name(input, "account name").map(AccountName)
    }

    /// The account name as entered, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ':' would make the otpauth label ambiguous, since it separates issuer from account.
fn check_name(input: &str, field: &'static str) -> Result<String, ParamError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(ParamError::EmptyName { field });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ParamError::NameTooLong { field });
    }
    if name.chars().any(char::is_control) {
        return Err(ParamError::ControlCharacter { field });
    }
    if name.contains(':') {
        return Err(ParamError::Colon { field });
    }
    Ok(name.to_owned())
}

macro_rules! name_conversions {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParamError;

            fn try_from(input: String) -> Result<Self, Self::Error> {
                $name::parse(&input)
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }
    };
}

name_conversions!(Issuer);
name_conversions!(AccountName);

#[cfg(test)]
mod tests;
