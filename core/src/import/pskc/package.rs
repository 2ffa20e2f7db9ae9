//! One `KeyPackage` into one token.
//!
//! Every encrypted value of the package is MAC-checked and decrypted first, so a crypto
//! fault refuses the whole file even in a package that would be refused for another reason.
//! Only then are the token's parameters read; a fault there refuses just this token.

use super::keys::{Protection, decode_wrapped_base64};
use super::xml::Element;
use crate::import::checks;
use crate::import::{ImportError, ImportedToken, TokenKind};
use crate::otp::Algorithm;

const TOTP_URI: &str = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
const HOTP_URI: &str = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";

/// Why a package did not become a token.
#[derive(Debug)]
pub(super) enum Fault {
    /// The whole file must be refused.
    File(ImportError),
    /// Only this token is refused, for this reason.
    Token(String),
}

impl From<ImportError> for Fault {
    fn from(error: ImportError) -> Self {
        Self::File(error)
    }
}

impl From<&str> for Fault {
    fn from(reason: &str) -> Self {
        Self::Token(reason.to_owned())
    }
}

impl From<String> for Fault {
    fn from(reason: String) -> Self {
        Self::Token(reason)
    }
}

/// The serial from `DeviceInfo/SerialNo`, or else the `Key`'s `Id`.
pub(super) fn serial(package: &Element) -> Option<String> {
    let serial_no = package
        .path(&["DeviceInfo", "SerialNo"])
        .map(Element::trimmed_text);
    let key_id = package
        .child("Key")
        .and_then(|key| key.attribute("Id"))
        .map(str::trim);
    [serial_no, key_id]
        .into_iter()
        .flatten()
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Reads one package; `protection` is there whenever the file holds encrypted values.
pub(super) fn read(
    package: &Element,
    protection: Option<&Protection>,
) -> Result<ImportedToken, Fault> {
    let mut keys = package.children_named("Key");
    let key = keys
        .next()
        .ok_or_else(|| "the KeyPackage holds no Key".to_owned())?;
    if keys.next().is_some() {
        let message = format!("the KeyPackage on line {} holds several Keys", package.line);
        return Err(ImportError::InvalidPskc(message).into());
    }
    let serial = serial(package);
    let label = match &serial {
        Some(serial) => serial.clone(),
        None => format!("the KeyPackage on line {}", package.line),
    };
    let data = Data::open(key.child("Data"), protection, &label)?;

    let totp = is_totp(key)?;
    let serial =
        serial.ok_or_else(|| "the token has neither a SerialNo nor a Key Id".to_owned())?;
    let parameters = key.child("AlgorithmParameters");
    let algorithm = suite(parameters)?;
    let digits = response_length(parameters)?;

    let mut warnings = Vec::new();
    let secret = checks::secret(data.secret()?, &mut warnings)?;
    let kind = if totp {
        time_step(&data, &mut warnings)?
    } else {
        counter(&data, &mut warnings)?
    };
    if data.is_nonzero("TimeDrift") {
        warnings.push("the file's TimeDrift was not imported".into());
    }
    if key.child("Policy").is_some_and(|p| !p.children.is_empty()) {
        let ignored = "the key's Policy (PIN, validity dates, usage limits) was not imported";
        warnings.push(ignored.into());
    }

    let device = |name| {
        package
            .path(&["DeviceInfo", name])
            .map(Element::trimmed_text)
    };
    let text = |value: Option<&str>| value.filter(|v| !v.is_empty()).map(str::to_owned);
    Ok(ImportedToken {
        serial,
        manufacturer: text(device("Manufacturer")),
        model: text(device("Model")),
        kind,
        secret,
        algorithm,
        digits,
        warnings,
    })
}

/// TOTP or HOTP from the `Key`'s `Algorithm`; anything else, or nothing, is refused.
fn is_totp(key: &Element) -> Result<bool, String> {
    let uri = key
        .attribute("Algorithm")
        .map(str::trim)
        .unwrap_or_default();
    if uri.eq_ignore_ascii_case(TOTP_URI) {
        Ok(true)
    } else if uri.eq_ignore_ascii_case(HOTP_URI) {
        Ok(false)
    } else if uri.is_empty() {
        Err("the Key has no Algorithm, so it is neither known as TOTP nor HOTP".into())
    } else {
        Err(format!(
            "the algorithm {uri} is not supported (only TOTP and HOTP)"
        ))
    }
}

/// TimeInterval (default 30 s) and Time, read as T0 (default 0).
fn time_step(data: &Data, warnings: &mut Vec<String>) -> Result<TokenKind, String> {
    let period_secs = checks::period(data.integer("TimeInterval")?.unwrap_or(30))?;
    let t0 = data.integer("Time")?.unwrap_or(0);
    if t0 != 0 {
        warnings.push(format!(
            "the file's Time of {t0} was read as the Unix time T0 at which step 0 starts"
        ));
    }
    Ok(TokenKind::Totp { period_secs, t0 })
}

/// The HOTP Counter; a token without one starts at 0, with a warning.
fn counter(data: &Data, warnings: &mut Vec<String>) -> Result<TokenKind, String> {
    let counter = data.integer("Counter")?;
    if counter.is_none() {
        warnings.push("the file gives no Counter, so the token starts at counter 0".into());
    }
    Ok(TokenKind::Hotp {
        counter: counter.unwrap_or(0),
    })
}

fn suite(parameters: Option<&Element>) -> Result<Algorithm, String> {
    let suite = parameters
        .and_then(|p| p.child("Suite"))
        .map(Element::trimmed_text);
    match suite {
        None | Some("") => Ok(Algorithm::Sha1),
        Some(name) => name
            .parse()
            .map_err(|_| format!("the Suite {name} is not HMAC-SHA1, HMAC-SHA256 or HMAC-SHA512")),
    }
}

fn response_length(parameters: Option<&Element>) -> Result<u8, String> {
    let format = parameters.and_then(|p| p.child("ResponseFormat"));
    let format = format.ok_or("the Key has no ResponseFormat, so its code length is unknown")?;
    let encoding = format
        .attribute("Encoding")
        .map(str::trim)
        .unwrap_or("DECIMAL");
    if !encoding.eq_ignore_ascii_case("DECIMAL") {
        return Err(format!("{encoding} codes are not supported, only DECIMAL"));
    }
    if matches!(
        format.attribute("CheckDigits").map(str::trim),
        Some("true" | "1")
    ) {
        return Err("codes with a check digit are not supported".into());
    }
    let length = format
        .attribute("Length")
        .ok_or("the ResponseFormat has no Length")?;
    checks::digits(length)
}

/// The values under a `Key`'s `Data`, with encrypted ones already checked and decrypted.
struct Data {
    values: Vec<(String, Value)>,
}

enum Value {
    Plain(String),
    Decrypted(Vec<u8>),
    Both,
}

impl Data {
    fn open(
        data: Option<&Element>,
        protection: Option<&Protection>,
        label: &str,
    ) -> Result<Self, ImportError> {
        let mut values = Vec::new();
        for field in data
            .map(|data| data.children.as_slice())
            .unwrap_or_default()
        {
            let plain = field.child("PlainValue").map(|plain| plain.text.clone());
            let value = match (field.child("EncryptedValue"), plain) {
                (None, None) => continue,
                (None, Some(plain)) => Value::Plain(plain),
                (Some(encrypted), plain) => {
                    let protection = protection.ok_or(ImportError::KeyRequired)?;
                    let what = format!("the {} of {label}", field.name);
                    let bytes = protection.open(encrypted, field.child("ValueMAC"), &what)?;
                    if plain.is_some() {
                        Value::Both
                    } else {
                        Value::Decrypted(bytes)
                    }
                }
            };
            values.push((field.name.clone(), value));
        }
        Ok(Self { values })
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value)
    }

    /// The secret, decoded from base64 exactly once when it is plain.
    fn secret(&self) -> Result<Vec<u8>, String> {
        match self.get("Secret") {
            None => Err("the Key has no Secret value".into()),
            Some(Value::Plain(text)) => {
                decode_wrapped_base64(text).ok_or_else(|| "the Secret is not valid base64".into())
            }
            Some(Value::Decrypted(bytes)) => Ok(bytes.clone()),
            Some(Value::Both) => Err(both("Secret")),
        }
    }

    /// A whole number: decimal text when plain, big-endian bytes when encrypted.
    fn integer(&self, name: &str) -> Result<Option<u64>, String> {
        let not_a_number = || format!("the {name} is not a whole number from 0 to 2^64-1");
        match self.get(name) {
            None => Ok(None),
            Some(Value::Plain(text)) => text.trim().parse().map(Some).map_err(|_| not_a_number()),
            Some(Value::Decrypted(bytes)) if !bytes.is_empty() && bytes.len() <= 8 => Ok(Some(
                bytes
                    .iter()
                    .fold(0, |number, byte| number << 8 | u64::from(*byte)),
            )),
            Some(Value::Both) => Err(both(name)),
            Some(Value::Decrypted(_)) => Err(not_a_number()),
        }
    }

    fn is_nonzero(&self, name: &str) -> bool {
        match self.get(name) {
            Some(Value::Plain(text)) => !matches!(text.trim(), "" | "0" | "+0" | "-0"),
            Some(Value::Decrypted(bytes)) => bytes.iter().any(|byte| *byte != 0),
            Some(Value::Both) | None => false,
        }
    }
}

fn both(name: &str) -> String {
    format!("the {name} has both a PlainValue and an EncryptedValue")
}
