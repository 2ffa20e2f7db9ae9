//! Parameter and name validation, including case C23.

use super::*;

#[test]
fn algorithm_names_are_read_in_any_case_and_with_an_hmac_prefix() {
    let cases = [
        ("SHA1", Algorithm::Sha1),
        ("sha1", Algorithm::Sha1),
        ("HMAC-SHA1", Algorithm::Sha1),
        ("hmac-sha-1", Algorithm::Sha1),
        ("Sha256", Algorithm::Sha256),
        ("HMAC-SHA256", Algorithm::Sha256),
        (" sha512 ", Algorithm::Sha512),
        ("hmac-sha512", Algorithm::Sha512),
    ];
    for (name, expected) in cases {
        assert_eq!(name.parse::<Algorithm>(), Ok(expected), "{name:?}");
    }
}

#[test]
fn unknown_algorithms_are_refused() {
    for name in ["", "MD5", "SHA384", "HMAC-", "SHA1X", "HMAC-HMAC-SHA1"] {
        assert!(name.parse::<Algorithm>().is_err(), "{name:?}");
    }
}

#[test]
fn algorithms_display_and_serialize_as_upper_case_names() {
    for (algorithm, name) in [
        (Algorithm::Sha1, "SHA1"),
        (Algorithm::Sha256, "SHA256"),
        (Algorithm::Sha512, "SHA512"),
    ] {
        assert_eq!(algorithm.as_str(), name);
        assert_eq!(algorithm.to_string(), name);
        let json = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name);
        assert_eq!(Algorithm::deserialize(json), Ok(algorithm));
    }
}

#[test]
fn digits_must_be_six_or_eight() {
    assert_eq!(Digits::new(6).map(Digits::get), Ok(6));
    assert_eq!(Digits::new(8).map(Digits::get), Ok(8));
    for digits in [0, 1, 5, 7, 9, 10, 255] {
        assert_eq!(
            Digits::new(digits),
            Err(ParamError::UnsupportedDigits(digits.into()))
        );
    }
}

#[test]
fn enrollment_periods_must_be_30_or_60_seconds() {
    assert_eq!(Period::new(30).map(Period::secs), Ok(30));
    assert_eq!(Period::new(60).map(Period::secs), Ok(60));
    for secs in [0, 1, 15, 45, 90, 3600] {
        assert!(Period::new(secs).is_err(), "{secs}");
    }
}

#[test]
fn imported_periods_may_be_anything_from_one_second_to_an_hour() {
    for secs in [1, 10, 15, 30, 45, 3600] {
        assert_eq!(Period::any(secs).map(Period::secs), Ok(secs));
    }
    for secs in [0, 3601, u32::MAX] {
        assert_eq!(
            Period::any(secs),
            Err(ParamError::PeriodOutOfRange(secs.into()))
        );
    }
}

#[test]
fn default_parameters_are_sha1_six_digits_thirty_seconds() {
    let params = OtpParams::default();
    assert_eq!(params.algorithm, Algorithm::Sha1);
    assert_eq!(params.digits.get(), 6);
    assert_eq!(params.period.secs(), 30);
    assert!(params.is_default());
    assert!(
        !OtpParams {
            digits: Digits::EIGHT,
            ..params
        }
        .is_default()
    );
    assert!(
        !OtpParams {
            period: Period::SIXTY,
            ..params
        }
        .is_default()
    );
    assert!(
        !OtpParams {
            algorithm: Algorithm::Sha256,
            ..params
        }
        .is_default()
    );
}

#[test]
fn c23_an_issuer_with_a_colon_is_refused() {
    for issuer in [
        "Staff Portal: Prod",
        "sso.example.test:8443",
        "https://sso.example.test",
    ] {
        let error = Issuer::parse(issuer).unwrap_err();
        assert_eq!(
            error.to_string(),
            "issuer must not contain ':'",
            "{issuer:?}"
        );
    }
}

#[test]
fn c23_an_account_name_with_a_colon_is_refused() {
    let error = AccountName::parse("corp:alice").unwrap_err();
    assert_eq!(error.to_string(), "account name must not contain ':'");
}

#[test]
fn names_are_trimmed() {
    assert_eq!(
        Issuer::parse("  Example Corp \n").unwrap().as_str(),
        "Example Corp"
    );
    assert_eq!(
        AccountName::parse("\talice@example.test ")
            .unwrap()
            .as_str(),
        "alice@example.test"
    );
}

#[test]
fn empty_names_are_refused() {
    for input in ["", "   ", "\n"] {
        assert_eq!(
            Issuer::parse(input),
            Err(ParamError::EmptyName { field: "issuer" })
        );
        let account = AccountName::parse(input);
        assert_eq!(
            account,
            Err(ParamError::EmptyName {
                field: "account name"
            })
        );
    }
}

#[test]
fn names_longer_than_64_characters_are_refused() {
    assert!(Issuer::parse(&"x".repeat(64)).is_ok());
    assert!(
        Issuer::parse(&"é".repeat(64)).is_ok(),
        "the limit counts characters, not bytes"
    );
    let error = Issuer::parse(&"x".repeat(65)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "issuer must be at most 64 characters long"
    );
    assert!(AccountName::parse(&"x".repeat(65)).is_err());
}

#[test]
fn names_with_control_characters_are_refused() {
    for input in [
        "Example\nCorp",
        "Example\u{0}Corp",
        "Example\u{7f}",
        "Ex\u{85}ample",
    ] {
        let error = Issuer::parse(input).unwrap_err();
        assert_eq!(
            error,
            ParamError::ControlCharacter { field: "issuer" },
            "{input:?}"
        );
    }
}

#[test]
fn names_deserialize_only_when_valid() {
    let ok = serde::de::value::StrDeserializer::<serde::de::value::Error>::new("Example Corp");
    assert_eq!(Issuer::deserialize(ok).unwrap().as_str(), "Example Corp");
    let bad = serde::de::value::StrDeserializer::<serde::de::value::Error>::new("a:b");
    assert!(Issuer::deserialize(bad).is_err());
}
