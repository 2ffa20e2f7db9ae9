//! Encrypted PSKC files built in the test with the RustCrypto crates (see `support`): every
//! AES key size, both MACs, PBKDF2 passwords, and the faults that must refuse the whole file.

use data_encoding::BASE64;
use sha1::Sha1;
use sha2::Sha256;
use staffgate_core::import::{ImportError, PskcKey, TokenKind, import_pskc};
use staffgate_core::otp::Algorithm;

use crate::support::*;

const PSK_24: &[u8] = b"twenty-four byte AES key";
const PSK_32: &[u8] = b"a thirty-two byte AES-256 key!!!";

fn psk(key: &[u8]) -> PskcKey {
    PskcKey::PreShared(key.to_vec())
}

fn password(text: &str) -> PskcKey {
    PskcKey::Password(text.into())
}

/// A TOTP package whose secret is encrypted by `encrypter`.
fn totp(encrypter: &Encrypter, serial: &str, secret: &[u8], suite: &str, digits: u8) -> String {
    let secret = format!("<Secret>{}</Secret>", encrypter.value([0x11; 16], secret));
    package(serial, TOTP_URI, &parameters(suite, digits), &secret)
}

#[test]
fn aes_192_with_hmac_sha1_gives_the_rfc_6238_sha256_codes() {
    let encrypter = Encrypter::new(PSK_24, Algorithm::Sha1);
    let header = format!("{}{}", key_name(), encrypter.mac_method());
    let xml = container(&header, &[totp(&encrypter, "A192", K32, "HMAC-SHA256", 8)]);

    let report = import_pskc(&xml, Some(&psk(PSK_24))).unwrap();
    let token = token(&report, "A192");
    assert_eq!(token.secret.as_bytes(), K32);
    assert_eq!(token.manufacturer.as_deref(), Some("TestVendor"));
    assert_eq!(totp_code(token, 59), "46119246");
    assert_eq!(totp_code(token, 1_111_111_109), "68084774");
}

#[test]
fn aes_256_with_hmac_sha256_opens_totp_and_an_encrypted_hotp_counter() {
    let encrypter = Encrypter::new(PSK_32, Algorithm::Sha256);
    let counter = encrypter.value([0x22; 16], &3u64.to_be_bytes()[5..]);
    let hotp_data = format!(
        "<Secret>{}</Secret><Counter>{counter}</Counter>",
        encrypter.value([3; 16], K20)
    );
    let packages = [
        totp(&encrypter, "A256", K64, "HMAC-SHA512", 8),
        package("H256", HOTP_URI, &parameters("HMAC-SHA1", 6), &hotp_data),
    ];
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &packages,
    );

    let report = import_pskc(&xml, Some(&psk(PSK_32))).unwrap();
    assert_eq!(totp_code(token(&report, "A256"), 59), "90693936");
    let hotp_token = token(&report, "H256");
    assert_eq!(hotp_token.kind, TokenKind::Hotp { counter: 3 });
    assert_eq!(next_hotp_codes(hotp_token, 2), ["969429", "338314"]);
}

#[test]
fn a_password_file_with_the_default_sha1_prf_is_opened_by_its_password() {
    let salt = b"\x12\x3e\xff\x3c\x4a\x72\x12\x9c";
    let mut key = [0; 16];
    pbkdf2::pbkdf2_hmac::<Sha1>(b"qwerty", salt, 1000, &mut key);
    let encrypter = Encrypter::new(&key, Algorithm::Sha1);
    let header = format!(
        "{}{}",
        derived_key(salt, 1000, Some(16), None),
        encrypter.mac_method()
    );
    let xml = container(&header, &[totp(&encrypter, "PW-1", K20, "HMAC-SHA1", 8)]);

    let report = import_pskc(&xml, Some(&password("qwerty"))).unwrap();
    assert_eq!(totp_code(token(&report, "PW-1"), 1_111_111_109), "07081804");

    let wrong = import_pskc(&xml, Some(&password("Qwerty")));
    assert!(matches!(
        wrong,
        Err(ImportError::WrongKey | ImportError::MacMismatch(_))
    ));
    assert_eq!(
        import_pskc(&xml, Some(&psk(&key))).unwrap_err(),
        ImportError::PasswordExpected
    );
    assert_eq!(
        import_pskc(&xml, None).unwrap_err(),
        ImportError::KeyRequired
    );
}

#[test]
fn a_password_file_with_a_sha256_prf_and_no_key_length_derives_a_key_for_its_cipher() {
    let salt = b"salt for the AES-256 test";
    let mut key = [0; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>("pässwörd".as_bytes(), salt, 2000, &mut key);
    let encrypter = Encrypter::new(&key, Algorithm::Sha256);
    let header = format!(
        "{}{}",
        derived_key(salt, 2000, None, Some(HMAC_SHA256_URI)),
        encrypter.mac_method()
    );
    let xml = container(&header, &[totp(&encrypter, "PW-2", K32, "HMAC-SHA256", 8)]);

    let report = import_pskc(&xml, Some(&password("pässwörd"))).unwrap();
    assert_eq!(totp_code(token(&report, "PW-2"), 59), "46119246");
}

#[test]
fn unsupported_key_derivations_are_named() {
    let encrypter = Encrypter::new(&[9; 16], Algorithm::Sha1);
    let packages = [totp(&encrypter, "X", K20, "HMAC-SHA1", 6)];
    let md5_prf = derived_key(b"salt", 10, None, Some("urn:example:md5"));
    let xml = container(&format!("{md5_prf}{}", encrypter.mac_method()), &packages);
    let error = import_pskc(&xml, Some(&password("x"))).unwrap_err();
    assert!(matches!(&error, ImportError::UnsupportedKeyDerivation(m) if m.contains("md5")));

    let too_slow = derived_key(b"salt", 50_000_000, None, None);
    let xml = container(&format!("{too_slow}{}", encrypter.mac_method()), &packages);
    let error = import_pskc(&xml, Some(&password("x"))).unwrap_err();
    assert!(
        matches!(error, ImportError::UnsupportedKeyDerivation(_)),
        "{error:?}"
    );
}

#[test]
fn a_tampered_ciphertext_refuses_every_token_in_the_file() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let mut cipher_value = encrypter.encrypt([5; 16], K20);
    let value_mac = hmac(Algorithm::Sha1, &encrypter.mac_key, &cipher_value);
    cipher_value[20] ^= 0x01;
    let tampered = format!(
        "<Secret>{}<ValueMAC>{}</ValueMAC></Secret>",
        encrypter.encrypted(&cipher_value),
        BASE64.encode(&value_mac)
    );
    let packages = [
        totp(&encrypter, "GOOD", K20, "HMAC-SHA1", 6),
        package("BAD", TOTP_URI, &parameters("HMAC-SHA1", 6), &tampered),
    ];
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &packages,
    );
    let error = import_pskc(&xml, Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert_eq!(error, ImportError::MacMismatch("the Secret of BAD".into()));
}

#[test]
fn a_mac_fault_wins_over_a_token_fault_in_the_same_package() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let mut other = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    other.mac_key = b"not the file's MAC key".to_vec();
    let secret = format!("<Secret>{}</Secret>", other.value([1; 16], K20));
    let no_algorithm = package("NOALG", "", &parameters("HMAC-SHA1", 6), &secret);
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &[no_algorithm],
    );
    let error = import_pskc(&xml, Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert!(matches!(error, ImportError::MacMismatch(_)), "{error:?}");
}

#[test]
fn a_mac_over_the_plaintext_instead_of_iv_and_ciphertext_is_refused() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let cipher_value = encrypter.encrypt([5; 16], K20);
    let plaintext_mac = hmac(Algorithm::Sha1, &encrypter.mac_key, K20);
    let secret = format!(
        "<Secret>{}<ValueMAC>{}</ValueMAC></Secret>",
        encrypter.encrypted(&cipher_value),
        BASE64.encode(&plaintext_mac)
    );
    let package = package("P", TOTP_URI, &parameters("HMAC-SHA1", 6), &secret);
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &[package],
    );
    let error = import_pskc(&xml, Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert!(matches!(error, ImportError::MacMismatch(_)), "{error:?}");
}

#[test]
fn missing_macs_refuse_the_file() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let bare = format!(
        "<Secret>{}</Secret>",
        encrypter.encrypted(&encrypter.encrypt([5; 16], K20))
    );
    let package = package("NOMAC", TOTP_URI, &parameters("HMAC-SHA1", 6), &bare);

    let declared = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        std::slice::from_ref(&package),
    );
    let error = import_pskc(&declared, Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert_eq!(
        error,
        ImportError::MissingValueMac("the Secret of NOMAC".into())
    );

    let undeclared = container(&key_name(), &[package]);
    let error = import_pskc(&undeclared, Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert_eq!(error, ImportError::MissingMacMethod);
}

#[test]
fn random_xml_encryption_padding_is_accepted() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    // 20 secret bytes, 11 arbitrary pad bytes, then the pad length 12 (XML Encryption 5.2).
    let mut padded = K20.to_vec();
    padded.extend_from_slice(b"\x9a\x01\xfe\x33\x00\x7c\xc4\x10\x55\xab\x02\x0c");
    let value = encrypter.value_from_cipher(&encrypter.encrypt_padded([8; 16], &padded));
    let secret = format!("<Secret>{value}</Secret>");
    let package = package("ISO", TOTP_URI, &parameters("HMAC-SHA1", 6), &secret);
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &[package],
    );
    let report = import_pskc(&xml, Some(&psk(&SAMPLE_PSK))).unwrap();
    assert_eq!(token(&report, "ISO").secret.as_bytes(), K20);
}

#[test]
fn unsupported_algorithms_and_key_sizes_are_named() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let packages = [totp(&encrypter, "T", K20, "HMAC-SHA1", 6)];
    let header = format!("{}{}", key_name(), encrypter.mac_method());

    let xml = String::from_utf8(container(&header, &packages)).unwrap();
    let wrapped = xml.replace("xmlenc#aes128-cbc", "xmlenc#kw-aes128");
    let error = import_pskc(wrapped.as_bytes(), Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert!(matches!(&error, ImportError::UnsupportedEncryption(m) if m.contains("kw-aes128")));

    let sha512 = xml.replace(
        HMAC_SHA1_URI,
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512",
    );
    let error = import_pskc(sha512.as_bytes(), Some(&psk(&SAMPLE_PSK))).unwrap_err();
    assert!(matches!(&error, ImportError::UnsupportedMac(m) if m.contains("hmac-sha512")));

    let error = import_pskc(xml.as_bytes(), Some(&psk(PSK_32))).unwrap_err();
    assert!(matches!(
        error,
        ImportError::KeyLength {
            expected: 16,
            actual: 32,
            ..
        }
    ));
}

#[test]
fn a_token_fault_in_an_encrypted_file_refuses_only_that_token() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha1);
    let packages = [
        totp(&encrypter, "SEVEN", K20, "HMAC-SHA1", 7),
        totp(&encrypter, "SIX", K20, "HMAC-SHA1", 6),
    ];
    let xml = container(
        &format!("{}{}", key_name(), encrypter.mac_method()),
        &packages,
    );
    let report = import_pskc(&xml, Some(&psk(&SAMPLE_PSK))).unwrap();
    assert_eq!(token(&report, "SIX").secret.as_bytes(), K20);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].serial.as_deref(), Some("SEVEN"));
    assert!(report.refused[0].reason.contains("6 or 8 digits"));
}
