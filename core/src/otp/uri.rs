//! otpauth:// URIs: the text inside an enrollment QR code, and reading one back.
//!
//! We write the smallest URI every common app reads the same way: issuer and account are
//! percent-encoded byte by byte (never `+` for a space, which some apps show literally), the
//! secret is upper-case Base32 without `=`, and `algorithm`, `digits` and `period` appear only
//! when they differ from the defaults, which keeps the QR code small.
//!
//! Reading follows the de facto rules of authenticator apps: the label splits at the first `:`
//! (or, failing that, at the first encoded `%3A`), `+` in the query means a space, and the
//! `issuer` parameter wins over the label's prefix.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::otp::params::{AccountName, Algorithm, Digits, Issuer, OtpParams, ParamError, Period};
use crate::otp::secret::{SecretError, SecretKey};

/// Everything but the RFC 3986 unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const SCHEME: &str = "otpauth://";

/// Why an otpauth URI could not be read. The messages never quote the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    #[error("not an otpauth:// link")]
    NotOtpauth,
    #[error("counter-based (HOTP) credentials are not supported; only time-based (TOTP) ones are")]
    Hotp,
    #[error("unknown credential type \"{0}\"; only totp is supported")]
    UnknownType(String),
    #[error("the link has no secret")]
    MissingSecret,
    #[error("the link has the {0} parameter more than once")]
    DuplicateParameter(&'static str),
    #[error("the {0} parameter must be a whole number")]
    NotANumber(&'static str),
    #[error("the link has invalid percent-encoding or text that is not UTF-8")]
    InvalidEncoding,
    #[error("the secret in the link is not valid: {0}")]
    Secret(#[from] SecretError),
    #[error(transparent)]
    Param(#[from] ParamError),
}

/// What an otpauth URI describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUri {
    pub issuer: Option<String>,
    pub account: String,
    pub secret: SecretKey,
    pub params: OtpParams,
}

/// The enrollment URI for a TOTP credential.
pub fn enrollment_uri(
    issuer: &Issuer,
    account: &AccountName,
    secret: &SecretKey,
    params: &OtpParams,
) -> String {
    let issuer = utf8_percent_encode(issuer.as_str(), COMPONENT);
    let account = utf8_percent_encode(account.as_str(), COMPONENT);
    let secret = secret.to_base32();
    let mut uri = format!("{SCHEME}totp/{issuer}:{account}?secret={secret}&issuer={issuer}");

    let defaults = OtpParams::default();
    if params.algorithm != defaults.algorithm {
        uri.push_str("&algorithm=");
        uri.push_str(params.algorithm.as_str());
    }
    if params.digits != defaults.digits {
        uri.push_str(&format!("&digits={}", params.digits.get()));
    }
    if params.period != defaults.period {
        uri.push_str(&format!("&period={}", params.period.secs()));
    }
    uri
}

/// Reads a TOTP otpauth URI. Periods from 1 to 3600 seconds are accepted, as for imports.
pub fn parse_uri(uri: &str) -> Result<ParsedUri, UriError> {
    let uri = uri.trim();
    let rest = strip_prefix_ignore_case(uri, SCHEME).ok_or(UriError::NotOtpauth)?;
    let (kind, rest) = rest.split_once('/').ok_or(UriError::NotOtpauth)?;
    if kind.eq_ignore_ascii_case("hotp") {
        return Err(UriError::Hotp);
    }
    if !kind.eq_ignore_ascii_case("totp") {
        return Err(UriError::UnknownType(kind.to_owned()));
    }

    let rest = rest
        .split_once('#')
        .map_or(rest, |(before, _fragment)| before);
    let (label, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (label_issuer, account) = split_label(label)?;
    let query = Query::parse(query)?;

    let secret = query.secret.ok_or(UriError::MissingSecret)?;
    let secret = SecretKey::from_base32(&secret)?;

    let mut params = OtpParams::default();
    if let Some(algorithm) = query.algorithm {
        params.algorithm = algorithm.parse::<Algorithm>()?;
    }
    if let Some(digits) = query.digits {
        let digits: u64 = digits
            .trim()
            .parse()
            .map_err(|_| UriError::NotANumber("digits"))?;
        let digits = u8::try_from(digits).map_err(|_| ParamError::UnsupportedDigits(digits))?;
        params.digits = Digits::new(digits)?;
    }
    if let Some(period) = query.period {
        let period: u64 = period
            .trim()
            .parse()
            .map_err(|_| UriError::NotANumber("period"))?;
        let period = u32::try_from(period).map_err(|_| ParamError::PeriodOutOfRange(period))?;
        params.period = Period::any(period)?;
    }

    let issuer = query
        .issuer
        .filter(|issuer| !issuer.is_empty())
        .or(label_issuer);
    Ok(ParsedUri {
        issuer,
        account,
        secret,
        params,
    })
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Splits `Issuer:account` at the first literal `:`, else at the first `%3A`, then decodes.
fn split_label(label: &str) -> Result<(Option<String>, String), UriError> {
    let split = label.split_once(':').or_else(|| {
        let at = label.to_ascii_lowercase().find("%3a")?;
        Some((&label[..at], &label[at + 3..]))
    });
    match split {
        Some((issuer, account)) => {
            let issuer = decode(issuer, false)?;
            let account = decode(account, false)?.trim_start_matches(' ').to_owned();
            Ok((Some(issuer).filter(|issuer| !issuer.is_empty()), account))
        }
        None => Ok((
            None,
            decode(label, false)?.trim_start_matches(' ').to_owned(),
        )),
    }
}

fn decode(text: &str, plus_is_space: bool) -> Result<String, UriError> {
    let text = if plus_is_space {
        text.replace('+', " ")
    } else {
        text.to_owned()
    };
    let decoded = percent_decode_str(&text)
        .decode_utf8()
        .map_err(|_| UriError::InvalidEncoding)?;
    Ok(decoded.into_owned())
}

/// The query parameters we read; others (such as `image`) are ignored.
#[derive(Default)]
struct Query {
    secret: Option<String>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
}

impl Query {
    fn parse(query: &str) -> Result<Query, UriError> {
        let mut parsed = Query::default();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name, true)?.to_ascii_lowercase();
            let (slot, name) = match name.as_str() {
                "secret" => (&mut parsed.secret, "secret"),
                "issuer" => (&mut parsed.issuer, "issuer"),
                "algorithm" => (&mut parsed.algorithm, "algorithm"),
                "digits" => (&mut parsed.digits, "digits"),
                "period" => (&mut parsed.period, "period"),
                _ => continue,
            };
            if slot.is_some() {
                return Err(UriError::DuplicateParameter(name));
            }
            *slot = Some(decode(value, true)?);
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests;
