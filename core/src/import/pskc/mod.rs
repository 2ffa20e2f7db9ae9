//! PSKC files (RFC 6030): plain secrets, or secrets encrypted with AES-CBC under a pre-shared
//! key (section 6.1) or a PBKDF2 password-derived key (section 6.2), each with a ValueMAC.

mod crypto;
mod keys;
mod package;
mod xml;

use self::keys::Protection;
use self::package::Fault;
use super::checks::Serials;
use super::{ImportError, ImportReport, PskcKey, RefusedToken};

const PSKC_NAMESPACE: &str = "urn:ietf:params:xml:ns:keyprov:pskc";

/// Reads a PSKC `KeyContainer`; `key` opens its encrypted secrets and is ignored otherwise.
///
/// A file that cannot be parsed, decrypted or MAC-checked is refused as a whole; a token
/// with unusable parameters is refused alone, with the reason and its line in the report.
pub fn import_pskc(xml: &[u8], key: Option<&PskcKey>) -> Result<ImportReport, ImportError> {
    let root = xml::parse(super::strip_bom(xml)?)?;
    if root.name != "KeyContainer" {
        return Err(ImportError::NotPskc(root.name));
    }
    if root.namespace.as_deref() != Some(PSKC_NAMESPACE) {
        let namespace = root.namespace.as_deref().unwrap_or_default();
        return Err(ImportError::NotPskc(format!(
            "KeyContainer xmlns=\"{namespace}\""
        )));
    }
    if let Some(version) = root.attribute("Version").map(str::trim)
        && version != "1.0"
    {
        return Err(ImportError::UnsupportedVersion(version.into()));
    }

    let packages: Vec<_> = root.children_named("KeyPackage").collect();
    let encrypted = packages
        .iter()
        .any(|package| package.contains("EncryptedValue"));
    let protection = if encrypted {
        Some(Protection::unlock(&root, key)?)
    } else {
        None
    };

    let mut report = ImportReport::default();
    let mut serials = Serials::default();
    for package in packages {
        let line = Some(package.line);
        let outcome = package::read(package, protection.as_ref()).and_then(|token| {
            serials.claim(&token.serial, line)?;
            Ok(token)
        });
        match outcome {
            Ok(token) => report.tokens.push(token),
            Err(Fault::Token(reason)) => {
                let serial = package::serial(package);
                report.refused.push(RefusedToken {
                    serial,
                    line,
                    reason,
                });
            }
            Err(Fault::File(error)) => return Err(error),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::TokenKind;
    use crate::otp::Algorithm;

    const K20_BASE64: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=";

    /// A container with one plain key built from the given pieces.
    fn container(algorithm: &str, parameters: &str, data: &str) -> Vec<u8> {
        format!(
            r#"<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc">
  <KeyPackage>
    <DeviceInfo><SerialNo>T-1</SerialNo><Model>M</Model></DeviceInfo>
    <Key Id="K-1" {algorithm}>
      <AlgorithmParameters>{parameters}</AlgorithmParameters>
      <Data>{data}</Data>
    </Key>
  </KeyPackage>
</KeyContainer>"#
        )
        .into_bytes()
    }

    fn plain(algorithm: &str, parameters: &str, extra: &str) -> Vec<u8> {
        let data = format!("<Secret><PlainValue>{K20_BASE64}</PlainValue></Secret>{extra}");
        container(algorithm, parameters, &data)
    }

    const TOTP: &str = r#"Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:totp""#;
    const SIX: &str = r#"<ResponseFormat Length="6" Encoding="DECIMAL"/>"#;

    fn refusal(xml: &[u8]) -> String {
        let report = import_pskc(xml, None).expect("token faults do not refuse the file");
        assert!(report.tokens.is_empty(), "the token was imported");
        assert_eq!(report.refused[0].serial.as_deref(), Some("T-1"));
        assert_eq!(report.refused[0].line, Some(2));
        report.refused[0].reason.clone()
    }

    #[test]
    fn a_key_without_algorithm_is_refused_never_taken_for_totp() {
        assert!(refusal(&plain("", SIX, "")).contains("no Algorithm"));
        let ocra = r#"Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:ocra""#;
        assert!(refusal(&plain(ocra, SIX, "")).contains("not supported"));
    }

    #[test]
    fn unusable_parameters_refuse_only_that_token() {
        let seven = r#"<ResponseFormat Length="7" Encoding="DECIMAL"/>"#;
        assert!(refusal(&plain(TOTP, seven, "")).contains("6 or 8 digits"));
        assert!(refusal(&plain(TOTP, "", "")).contains("no ResponseFormat"));
        let hex = r#"<ResponseFormat Length="6" Encoding="HEXADECIMAL"/>"#;
        assert!(refusal(&plain(TOTP, hex, "")).contains("HEXADECIMAL"));
        let md5 = format!("<Suite>HMAC-MD5</Suite>{SIX}");
        assert!(refusal(&plain(TOTP, &md5, "")).contains("Suite HMAC-MD5"));
        let zero = "<TimeInterval><PlainValue>0</PlainValue></TimeInterval>";
        assert!(refusal(&plain(TOTP, SIX, zero)).contains("period must be 30 or 60 seconds"));
        let odd = "<TimeInterval><PlainValue>45</PlainValue></TimeInterval>";
        assert!(refusal(&plain(TOTP, SIX, odd)).contains("30 or 60 seconds, not 45"));
        let words = "<Time><PlainValue>soon</PlainValue></Time>";
        assert!(refusal(&plain(TOTP, SIX, words)).contains("Time is not a whole number"));
        assert!(refusal(&container(TOTP, SIX, "")).contains("no Secret"));
        let bad = "<Secret><PlainValue>MTIz*</PlainValue></Secret>";
        assert!(refusal(&container(TOTP, SIX, bad)).contains("not valid base64"));
    }

    #[test]
    fn defaults_apply_and_unusual_values_carry_a_warning() {
        let extra = "<Time><PlainValue>1000</PlainValue></Time>\
                     <TimeDrift><PlainValue>-2</PlainValue></TimeDrift>";
        let report = import_pskc(&plain(TOTP, SIX, extra), None).unwrap();
        let token = &report.tokens[0];
        assert_eq!(
            token.kind,
            TokenKind::Totp {
                period_secs: 30,
                t0: 1000
            }
        );
        assert_eq!(token.algorithm, Algorithm::Sha1);
        assert_eq!(
            (token.serial.as_str(), token.model.as_deref()),
            ("T-1", Some("M"))
        );
        assert_eq!(token.manufacturer, None);
        assert_eq!(token.warnings.len(), 2, "{:?}", token.warnings);

        let hotp = r#"Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp""#;
        let report = import_pskc(&plain(hotp, SIX, ""), None).unwrap();
        assert_eq!(report.tokens[0].kind, TokenKind::Hotp { counter: 0 });
        assert!(report.tokens[0].warnings[0].contains("no Counter"));
    }

    #[test]
    fn the_key_id_stands_in_for_a_missing_serial_number() {
        let xml = String::from_utf8(plain(TOTP, SIX, "")).unwrap();
        let xml = xml.replace("<SerialNo>T-1</SerialNo>", "<SerialNo> </SerialNo>");
        let report = import_pskc(xml.as_bytes(), None).unwrap();
        assert_eq!(report.tokens[0].serial, "K-1");
    }

    #[test]
    fn a_repeated_serial_is_refused_on_its_second_package() {
        let xml = String::from_utf8(plain(TOTP, SIX, "")).unwrap();
        let start = xml.find("<KeyPackage>").unwrap();
        let end = xml.find("</KeyContainer>").unwrap();
        let doubled = format!("{}{}", &xml[..end], &xml[start..]);
        let report = import_pskc(doubled.as_bytes(), None).unwrap();
        assert_eq!(report.tokens.len(), 1);
        assert_eq!(report.refused[0].line, Some(9));
        assert!(
            report.refused[0]
                .reason
                .contains("already appears on line 2")
        );
    }

    #[test]
    fn other_roots_namespaces_and_versions_are_not_pskc() {
        let other = import_pskc(b"<KeyContainer Version='1.0'/>", None).unwrap_err();
        assert_eq!(
            other,
            ImportError::NotPskc("KeyContainer xmlns=\"\"".into())
        );
        let xml = String::from_utf8(plain(TOTP, SIX, "")).unwrap();
        let version = import_pskc(xml.replace("\"1.0\"", "\"2.0\"").as_bytes(), None);
        assert_eq!(
            version.unwrap_err(),
            ImportError::UnsupportedVersion("2.0".into())
        );
        let empty = b"<KeyContainer xmlns='urn:ietf:params:xml:ns:keyprov:pskc'/>";
        let report = import_pskc(empty, None).unwrap();
        assert!(report.tokens.is_empty() && report.refused.is_empty());
    }
}
