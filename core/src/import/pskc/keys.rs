//! A PSKC file's encryption key and MAC key (RFC 6030 sections 6.1 and 6.2).
//!
//! The encryption key is the pre-shared key, or is derived from the password with the
//! file's PBKDF2 parameters. The MAC key travels in the file, encrypted under that key.
//! Every encrypted value must carry a ValueMAC over its IV and ciphertext, and the MAC is
//! checked (in constant time) before the value is decrypted.

use data_encoding::BASE64;

use super::crypto::{Cipher, MacAlgorithm};
use super::xml::Element;
use crate::import::{ImportError, PskcKey};

const PBKDF2_URI: &str = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2";

/// PBKDF2 rounds above this are refused rather than run; vendor files use far fewer.
const MAX_ROUNDS: u32 = 1_000_000;

/// The keys that open a file's encrypted values.
pub(super) struct Protection {
    key: Vec<u8>,
    mac: MacAlgorithm,
    mac_key: Vec<u8>,
}

/// How the file says its encryption key is obtained.
enum KeySource {
    PreShared,
    Password(Pbkdf2),
}

struct Pbkdf2 {
    salt: Vec<u8>,
    rounds: u32,
    key_len: Option<usize>,
    prf: MacAlgorithm,
}

impl Protection {
    /// Works out both keys for a `KeyContainer` that holds encrypted values.
    pub fn unlock(container: &Element, given: Option<&PskcKey>) -> Result<Self, ImportError> {
        let source = key_source(container)?;
        let method = container
            .child("MACMethod")
            .ok_or(ImportError::MissingMacMethod)?;
        let mac_uri = method.attribute("Algorithm").unwrap_or("(none)");
        let mac = MacAlgorithm::from_uri(mac_uri)
            .ok_or_else(|| ImportError::UnsupportedMac(mac_uri.into()))?;
        let Some(encrypted_mac_key) = method.child("MACKey") else {
            if method.child("MACKeyReference").is_some() {
                let reason = "a MACKeyReference to a MAC key kept outside the file";
                return Err(ImportError::UnsupportedMac(reason.into()));
            }
            return Err(ImportError::InvalidPskc(
                "the MACMethod has no MACKey".into(),
            ));
        };

        let key = match (source, given) {
            (_, None) => return Err(ImportError::KeyRequired),
            (KeySource::PreShared, Some(PskcKey::PreShared(key))) => key.clone(),
            (KeySource::PreShared, Some(PskcKey::Password(_))) => {
                return Err(ImportError::PreSharedKeyExpected);
            }
            (KeySource::Password(_), Some(PskcKey::PreShared(_))) => {
                return Err(ImportError::PasswordExpected);
            }
            (KeySource::Password(params), Some(PskcKey::Password(password))) => {
                let len = match params.key_len {
                    Some(len) => len,
                    None => first_cipher(container)?.key_len(),
                };
                params
                    .prf
                    .pbkdf2(password.as_bytes(), &params.salt, params.rounds, len)
            }
        };

        let (cipher, value) = cipher_value(encrypted_mac_key, "the MACKey")?;
        let mac_key = cipher.decrypt(&key, &value)?;
        if mac_key.is_empty() {
            return Err(ImportError::InvalidPskc("the MACKey is empty".into()));
        }
        Ok(Self { key, mac, mac_key })
    }

    /// Checks an `EncryptedValue` against its `ValueMAC`, then decrypts it.
    ///
    /// `what` names the value in messages, such as "the Secret of TOK-1001".
    pub fn open(
        &self,
        encrypted: &Element,
        value_mac: Option<&Element>,
        what: &str,
    ) -> Result<Vec<u8>, ImportError> {
        let (cipher, value) = cipher_value(encrypted, what)?;
        let value_mac = value_mac.ok_or_else(|| ImportError::MissingValueMac(what.into()))?;
        let tag = base64(value_mac.trimmed_text(), &format!("the ValueMAC of {what}"))?;
        if !self.mac.verify(&self.mac_key, &value, &tag) {
            return Err(ImportError::MacMismatch(what.into()));
        }
        cipher.decrypt(&self.key, &value)
    }
}

fn key_source(container: &Element) -> Result<KeySource, ImportError> {
    let Some(encryption_key) = container.child("EncryptionKey") else {
        return Ok(KeySource::PreShared);
    };
    if encryption_key.child("X509Data").is_some() {
        let reason = "asymmetric key transport (X509Data, RFC 6030 section 6.3)";
        return Err(ImportError::UnsupportedEncryption(reason.into()));
    }
    match encryption_key.child("DerivedKey") {
        Some(derived) => Ok(KeySource::Password(pbkdf2_params(derived)?)),
        None => Ok(KeySource::PreShared),
    }
}

fn pbkdf2_params(derived: &Element) -> Result<Pbkdf2, ImportError> {
    let invalid = |what: &str| ImportError::InvalidPskc(format!("the DerivedKey {what}"));
    let unsupported = |what: String| ImportError::UnsupportedKeyDerivation(what);

    let method = derived
        .child("KeyDerivationMethod")
        .ok_or_else(|| invalid("has no method"))?;
    let uri = method.attribute("Algorithm").unwrap_or("(none)").trim();
    if uri != PBKDF2_URI {
        return Err(unsupported(uri.into()));
    }
    let params = method
        .child("PBKDF2-params")
        .ok_or_else(|| invalid("has no PBKDF2-params"))?;

    let salt = params.child("Salt").ok_or_else(|| invalid("has no Salt"))?;
    let Some(specified) = salt.child("Specified") else {
        return Err(unsupported(
            "a PBKDF2 salt that is not Specified in the file".into(),
        ));
    };
    let salt = base64(specified.trimmed_text(), "the PBKDF2 salt")?;

    let rounds = params
        .child("IterationCount")
        .ok_or_else(|| invalid("has no IterationCount"))?;
    let rounds = match rounds.trimmed_text().parse::<u32>() {
        Ok(rounds @ 1..=MAX_ROUNDS) => rounds,
        Ok(0) | Err(_) => return Err(invalid("IterationCount is not a positive number")),
        Ok(rounds) => {
            return Err(unsupported(format!(
                "{rounds} PBKDF2 rounds (at most {MAX_ROUNDS})"
            )));
        }
    };
    let key_len = match params.child("KeyLength") {
        None => None,
        Some(len) => match len.trimmed_text().parse::<usize>() {
            Ok(len @ 1..=64) => Some(len),
            _ => return Err(invalid("KeyLength is not between 1 and 64 bytes")),
        },
    };
    let prf = match params
        .child("PRF")
        .and_then(|prf| prf.attribute("Algorithm"))
    {
        None => MacAlgorithm::HmacSha1,
        Some(uri) => MacAlgorithm::from_uri(uri)
            .ok_or_else(|| unsupported(format!("PBKDF2 with the PRF {}", uri.trim())))?,
    };
    Ok(Pbkdf2 {
        salt,
        rounds,
        key_len,
        prf,
    })
}

/// The cipher of the first encrypted value, which fixes the derived key's length when the
/// file gives no KeyLength.
fn first_cipher(element: &Element) -> Result<Cipher, ImportError> {
    fn find(element: &Element) -> Option<&str> {
        if element.name == "EncryptionMethod" {
            return element.attribute("Algorithm");
        }
        element.children.iter().find_map(find)
    }
    let uri = find(element).ok_or_else(|| {
        ImportError::InvalidPskc("no EncryptionMethod names the cipher of the file".into())
    })?;
    Cipher::from_uri(uri)
}

/// Reads an element holding `xenc:EncryptionMethod` and `xenc:CipherData/xenc:CipherValue`.
fn cipher_value(element: &Element, what: &str) -> Result<(Cipher, Vec<u8>), ImportError> {
    let method = element
        .child("EncryptionMethod")
        .and_then(|m| m.attribute("Algorithm"));
    let method = method.ok_or_else(|| {
        ImportError::InvalidPskc(format!("{what} is encrypted without an EncryptionMethod"))
    })?;
    let cipher = Cipher::from_uri(method)?;
    let value = element
        .path(&["CipherData", "CipherValue"])
        .ok_or_else(|| ImportError::InvalidPskc(format!("{what} has no CipherData/CipherValue")))?;
    Ok((cipher, base64(value.trimmed_text(), what)?))
}

/// Decodes base64 that may be wrapped over lines.
pub(super) fn base64(text: &str, what: &str) -> Result<Vec<u8>, ImportError> {
    decode_wrapped_base64(text)
        .ok_or_else(|| ImportError::InvalidPskc(format!("{what} is not valid base64")))
}

/// Decodes base64 once, ignoring the whitespace of line wrapping.
pub(super) fn decode_wrapped_base64(text: &str) -> Option<Vec<u8>> {
    let compact: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    BASE64.decode(&compact).ok()
}
