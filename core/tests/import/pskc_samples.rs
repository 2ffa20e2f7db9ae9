//! Cases C09, C30, C32, C33 and C34 on the PSKC sample files. Expected codes come from the
//! cases README, never from the importer.

use staffgate_core::import::{ImportError, PskcKey, TokenKind, import_file, import_pskc};
use staffgate_core::otp::Algorithm;

use crate::support::*;

fn sample_psk() -> PskcKey {
    PskcKey::PreShared(SAMPLE_PSK.to_vec())
}

#[test]
fn reference_codes_match_the_rfc_vectors_before_they_judge_anything() {
    let b4 = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
    ];
    for (counter, expected) in (0..).zip(b4) {
        assert_eq!(hotp(Algorithm::Sha1, K20, counter, 6), expected);
    }
    assert_eq!(hotp(Algorithm::Sha1, K20, 1, 8), "94287082");
    assert_eq!(hotp(Algorithm::Sha256, K32, 1, 8), "46119246");
    assert_eq!(hotp(Algorithm::Sha512, K64, 1, 8), "90693936");
}

#[test]
fn c33_plain_secrets_are_base64_decoded_exactly_once() {
    let report = import_pskc(PLAIN, None).unwrap();
    assert_eq!(report.tokens.len(), 4);
    assert!(report.refused.is_empty(), "{:?}", report.refused);

    let tok1 = token(&report, "TOK-0001");
    assert_eq!(
        tok1.secret.as_bytes(),
        K20,
        "20 raw bytes, not the 28 base64 characters"
    );
    assert_eq!(
        tok1.kind,
        TokenKind::Totp {
            period_secs: 30,
            t0: 0
        }
    );
    assert_eq!((tok1.algorithm, tok1.digits), (Algorithm::Sha1, 6));
    assert_eq!(tok1.manufacturer.as_deref(), Some("ExampleVendor"));
    assert_eq!(tok1.model, None);
    assert!(tok1.warnings.is_empty(), "{:?}", tok1.warnings);
    assert_eq!(totp_code(tok1, 1_111_111_109), "081804");
}

#[test]
fn c33_sha256_and_wrapped_sha512_secrets_give_the_rfc_6238_codes() {
    let report = import_pskc(PLAIN, None).unwrap();

    let tok2 = token(&report, "TOK-0002");
    assert_eq!((tok2.algorithm, tok2.digits), (Algorithm::Sha256, 8));
    assert_eq!(tok2.secret.as_bytes(), K32);
    assert_eq!(totp_code(tok2, 59), "46119246");

    let tok3 = token(&report, "TOK-0003");
    assert_eq!((tok3.algorithm, tok3.digits), (Algorithm::Sha512, 8));
    assert_eq!(
        tok3.secret.as_bytes(),
        K64,
        "base64 wrapped over lines, 64 bytes"
    );
    assert_eq!(totp_code(tok3, 59), "90693936");
}

#[test]
fn c33_the_hotp_token_keeps_its_counter_and_is_never_totp() {
    let report = import_pskc(PLAIN, None).unwrap();
    let tok4 = token(&report, "TOK-0004");
    assert_eq!(tok4.kind, TokenKind::Hotp { counter: 0 });
    assert_eq!(tok4.secret.as_bytes(), K20);
    assert_eq!(next_hotp_codes(tok4, 2), ["755224", "287082"]);
}

#[test]
fn c34_the_right_pre_shared_key_opens_both_tokens() {
    let report = import_pskc(AES128, Some(&sample_psk())).unwrap();
    assert_eq!(report.tokens.len(), 2);
    assert!(report.refused.is_empty(), "{:?}", report.refused);

    let tok1 = token(&report, "TOK-1001");
    let expected = data_encoding::HEXLOWER
        .decode(b"404142434445464748494a4b4c4d4e4f50515253")
        .unwrap();
    assert_eq!(tok1.secret.as_bytes(), expected);
    assert_eq!(tok1.secret.to_base32(), "IBAUEQ2EIVDEOSCJJJFUYTKOJ5IFCUST");
    assert_eq!(
        tok1.kind,
        TokenKind::Totp {
            period_secs: 60,
            t0: 0
        }
    );
    assert_eq!((tok1.algorithm, tok1.digits), (Algorithm::Sha1, 6));
    assert_eq!(totp_code(tok1, 59), "467851");
    assert_eq!(totp_code(tok1, 1_111_111_109), "490907");
    assert_ne!(
        totp_code(tok1, 59),
        "443220",
        "the 30 s period must not be assumed"
    );
    assert_ne!(totp_code(tok1, 1_111_111_109), "817132");

    let tok2 = token(&report, "TOK-1002");
    assert_eq!(tok2.kind, TokenKind::Hotp { counter: 5 });
    assert_eq!((tok2.algorithm, tok2.digits), (Algorithm::Sha1, 8));
    assert_eq!(tok2.secret.as_bytes(), K20);
    assert_eq!(next_hotp_codes(tok2, 2), ["68254676", "18287922"]);
}

#[test]
fn c34_a_wrong_pre_shared_key_refuses_the_whole_file() {
    let error = import_pskc(AES128, Some(&PskcKey::PreShared(vec![0; 16]))).unwrap_err();
    assert_eq!(error, ImportError::WrongKey);
    assert!(
        error.to_string().contains("key or password is wrong"),
        "{error}"
    );

    // Any other wrong key fails too, through the padding or, failing that, the MAC.
    for byte in 0..=255u8 {
        let mut key = SAMPLE_PSK;
        key[usize::from(byte % 16)] ^= byte | 1;
        let result = import_pskc(AES128, Some(&PskcKey::PreShared(key.to_vec())));
        assert!(
            matches!(
                result,
                Err(ImportError::WrongKey | ImportError::MacMismatch(_))
            ),
            "{result:?}"
        );
    }
}

#[test]
fn c34_an_encrypted_file_without_the_right_kind_of_key_says_what_it_needs() {
    assert_eq!(
        import_pskc(AES128, None).unwrap_err(),
        ImportError::KeyRequired
    );
    let password = PskcKey::Password("0102030405060708090a0b0c0d0e0f10".into());
    let error = import_pskc(AES128, Some(&password)).unwrap_err();
    assert_eq!(error, ImportError::PreSharedKeyExpected);
    let short = PskcKey::PreShared(SAMPLE_PSK[..15].to_vec());
    let error = import_pskc(AES128, Some(&short)).unwrap_err();
    assert!(matches!(
        error,
        ImportError::KeyLength {
            expected: 16,
            actual: 15,
            ..
        }
    ));
}

#[test]
fn c30_a_bad_value_mac_refuses_the_whole_file() {
    let error = import_pskc(BAD_MAC, Some(&sample_psk())).unwrap_err();
    assert_eq!(
        error,
        ImportError::MacMismatch("the Secret of TOK-1001".into())
    );
    let message = error.to_string();
    assert!(message.contains("MAC value does not match"), "{message}");
    assert!(message.contains("TOK-1001"), "{message}");

    // The same file through the upload entry point: TOK-1002 is not imported either.
    let result = import_file(Some("vendor.pskc"), BAD_MAC, Some(&sample_psk()));
    assert!(
        matches!(result, Err(ImportError::MacMismatch(_))),
        "{result:?}"
    );
}

#[test]
fn c32_a_file_without_a_key_container_gets_a_clear_message() {
    let error = import_pskc(NOT_PSKC, None).unwrap_err();
    assert_eq!(error, ImportError::NotPskc("Tokens".into()));
    assert!(
        error.to_string().contains("not a PSKC KeyContainer"),
        "{error}"
    );
    assert_eq!(
        import_file(Some("tokens.xml"), NOT_PSKC, None).unwrap_err(),
        error
    );
}

#[test]
fn every_pskc_sample_is_recognised_as_xml_by_the_upload_entry_point() {
    let report = import_file(None, PLAIN, None).unwrap();
    assert_eq!(report.tokens.len(), 4);
    let report = import_file(Some("export.dat"), AES128, Some(&sample_psk())).unwrap();
    assert_eq!(report.tokens.len(), 2);
}

#[test]
fn c09_an_80_bit_legacy_secret_imports_with_a_warning_and_works() {
    let s80 = [0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef];
    let six = parameters("HMAC-SHA1", 6);
    let xml = container("", &[package("S80", TOTP_URI, &six, &plain_secret(&s80))]);
    let report = import_pskc(&xml, None).unwrap();
    let s80_token = token(&report, "S80");
    assert_eq!(s80_token.secret.to_base32(), "JBSWY3DPEHPK3PXP");
    assert_eq!(s80_token.warnings.len(), 1);
    assert!(
        s80_token.warnings[0].contains("80 bits"),
        "{:?}",
        s80_token.warnings
    );
    assert_eq!(totp_code(s80_token, 59), "996554");
    assert_eq!(totp_code(s80_token, 1_111_111_109), "071271");
}
