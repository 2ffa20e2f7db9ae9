//! The U and P cases from the cases README, refusals, and the round trip.

use proptest::prelude::*;

use super::*;
use crate::otp::test_keys::rfc_seed;

const K20_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn k20() -> SecretKey {
    rfc_seed(20)
}

fn uri_for(issuer: &str, account: &str, params: &OtpParams) -> String {
    let issuer = Issuer::parse(issuer).unwrap();
    let account = AccountName::parse(account).unwrap();
    enrollment_uri(&issuer, &account, &k20(), params)
}

#[test]
fn u1_default_parameters_are_left_out() {
    assert_eq!(
        uri_for("Example Corp", "alice@example.test", &OtpParams::default()),
        "otpauth://totp/Example%20Corp:alice%40example.test\
         ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Corp"
    );
}

#[test]
fn u2_and_c22_a_plus_in_the_account_is_encoded_and_never_bare() {
    let uri = uri_for(
        "Example Corp",
        "alice+ops@example.test",
        &OtpParams::default(),
    );
    assert_eq!(
        uri,
        "otpauth://totp/Example%20Corp:alice%2Bops%40example.test\
         ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Corp"
    );
    assert!(!uri.contains('+'));
}

#[test]
fn u4_non_default_parameters_are_written_after_the_issuer() {
    let params = OtpParams {
        algorithm: Algorithm::Sha256,
        digits: Digits::EIGHT,
        period: Period::SIXTY,
    };
    assert_eq!(
        uri_for("Example Corp", "bob smith", &params),
        "otpauth://totp/Example%20Corp:bob%20smith\
         ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Corp\
         &algorithm=SHA256&digits=8&period=60"
    );
}

#[test]
fn only_the_parameters_that_differ_from_the_default_are_written() {
    let params = OtpParams {
        period: Period::SIXTY,
        ..OtpParams::default()
    };
    let uri = uri_for("Example Corp", "bob", &params);
    assert!(uri.ends_with("&issuer=Example%20Corp&period=60"), "{uri}");
}

#[test]
fn non_ascii_names_are_encoded_as_utf8_bytes() {
    let uri = uri_for("Société Générale", "zoë", &OtpParams::default());
    assert!(uri.starts_with("otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB?"));
}

#[test]
fn c08_twenty_generated_uris_carry_160_bit_unpadded_upper_case_secrets() {
    let issuer = Issuer::parse("Example Corp").unwrap();
    let account = AccountName::parse("alice@example.test").unwrap();
    for _ in 0..20 {
        let uri = enrollment_uri(
            &issuer,
            &account,
            &SecretKey::generate(),
            &OtpParams::default(),
        );
        let secret = uri
            .split("secret=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert_eq!(secret.len(), 32, "{secret}");
        assert!(
            secret
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
    }
}

#[test]
fn p1_an_encoded_colon_inside_the_issuer_does_not_split_the_label() {
    let parsed = parse_uri(
        "otpauth://totp/Text%3A%20More%20Text:Secret\
         ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Text%3A%20More%20Text",
    )
    .unwrap();
    assert_eq!(parsed.issuer.as_deref(), Some("Text: More Text"));
    assert_eq!(parsed.account, "Secret");
    assert_eq!(parsed.secret, k20());
}

#[test]
fn p4_a_plus_in_the_query_is_a_space_and_the_issuer_parameter_is_read() {
    let parsed = parse_uri(
        "otpauth://totp/Example%20Corp:alice%40example.test\
         ?issuer=Example+Corp&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    )
    .unwrap();
    assert_eq!(parsed.issuer.as_deref(), Some("Example Corp"));
    assert_eq!(parsed.account, "alice@example.test");
    assert!(parsed.params.is_default());
}

#[test]
fn the_label_splits_at_an_encoded_colon_when_there_is_no_literal_one() {
    let parsed = parse_uri("otpauth://totp/ACME%3a%20%20bob?secret=GEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(parsed.issuer.as_deref(), Some("ACME"));
    assert_eq!(parsed.account, "bob");
}

#[test]
fn the_issuer_parameter_wins_over_the_label_prefix() {
    let parsed = parse_uri("otpauth://totp/Old:bob?secret=GEZDGNBVGY3TQOJQ&issuer=New").unwrap();
    assert_eq!(parsed.issuer.as_deref(), Some("New"));
}

#[test]
fn a_label_without_issuer_gives_no_issuer() {
    let parsed = parse_uri("otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(parsed.issuer, None);
    assert_eq!(parsed.account, "bob");
}

#[test]
fn padded_lower_case_secrets_and_non_default_parameters_are_read() {
    let parsed = parse_uri(
        "otpauth://totp/A:b?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq%3D%3D\
         &algorithm=sha512&digits=8&period=15",
    )
    .unwrap();
    assert_eq!(parsed.secret.to_base32(), K20_BASE32);
    assert_eq!(parsed.params.algorithm, Algorithm::Sha512);
    assert_eq!(parsed.params.digits.get(), 8);
    assert_eq!(parsed.params.period.secs(), 15);
}

#[test]
fn hotp_and_unknown_types_are_refused() {
    let hotp = parse_uri("otpauth://hotp/A:b?secret=GEZDGNBVGY3TQOJQ&counter=0");
    assert_eq!(hotp, Err(UriError::Hotp));
    let other = parse_uri("otpauth://motp/A:b?secret=GEZDGNBVGY3TQOJQ");
    assert_eq!(other, Err(UriError::UnknownType("motp".into())));
    assert_eq!(
        parse_uri("https://example.test/"),
        Err(UriError::NotOtpauth)
    );
    assert_eq!(parse_uri("otpauth:"), Err(UriError::NotOtpauth));
}

#[test]
fn bad_parameters_are_refused_with_clear_messages() {
    let base = "otpauth://totp/A:b?secret=GEZDGNBVGY3TQOJQ";
    let refused = [
        (
            "&algorithm=MD5",
            "unsupported algorithm \"MD5\": use SHA1, SHA256 or SHA512",
        ),
        ("&digits=7", "codes must have 6 or 8 digits, not 7"),
        ("&digits=300", "codes must have 6 or 8 digits, not 300"),
        ("&digits=six", "the digits parameter must be a whole number"),
        (
            "&period=0",
            "the time step must be between 1 and 3600 seconds, not 0",
        ),
        (
            "&period=86400",
            "the time step must be between 1 and 3600 seconds, not 86400",
        ),
        (
            "&secret=GEZDGNBVGY3TQOJQ",
            "the link has the secret parameter more than once",
        ),
    ];
    for (extra, message) in refused {
        let error = parse_uri(&format!("{base}{extra}")).unwrap_err();
        assert_eq!(error.to_string(), message, "{extra}");
    }
    let missing = parse_uri("otpauth://totp/A:b?issuer=A").unwrap_err();
    assert_eq!(missing, UriError::MissingSecret);
    let bad_secret = parse_uri("otpauth://totp/A:b?secret=GEZDGNBV0Y3TQOJQ").unwrap_err();
    assert!(matches!(
        bad_secret,
        UriError::Secret(SecretError::InvalidCharacter)
    ));
    let bad_utf8 = parse_uri("otpauth://totp/A%FF:b?secret=GEZDGNBVGY3TQOJQ").unwrap_err();
    assert_eq!(bad_utf8, UriError::InvalidEncoding);
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{1,64}",
        "\\PC{1,64}",
        "[a-z]{1,8}[+@ %&=?#/][a-z.]{1,20}"
    ]
}

fn params() -> impl Strategy<Value = OtpParams> {
    let algorithm = prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ];
    let digits = prop_oneof![Just(Digits::SIX), Just(Digits::EIGHT)];
    let period = prop_oneof![Just(30_u32), Just(60), 1..=3600_u32];
    (algorithm, digits, period).prop_map(|(algorithm, digits, period)| OtpParams {
        algorithm,
        digits,
        period: Period::any(period).unwrap(),
    })
}

proptest! {
    #[test]
    fn parsing_an_enrollment_uri_gives_back_what_went_in(
        issuer in name().prop_filter_map("not a valid issuer", |n| Issuer::parse(&n).ok()),
        account in name().prop_filter_map("not a valid account", |n| AccountName::parse(&n).ok()),
        secret in proptest::collection::vec(any::<u8>(), 1..64),
        params in params(),
    ) {
        let secret = SecretKey::from_bytes(secret);
        let uri = enrollment_uri(&issuer, &account, &secret, &params);
        prop_assert!(!uri.contains('+'));
        let secret_text = uri.split("?secret=").nth(1).unwrap().split('&').next().unwrap();
        prop_assert_eq!(secret_text, secret.to_base32());
        prop_assert!(!secret_text.contains('='));
        let parsed = parse_uri(&uri).unwrap();
        let expected = ParsedUri {
            issuer: Some(issuer.as_str().to_owned()),
            account: account.as_str().to_owned(),
            secret,
            params,
        };
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn parse_uri_never_panics(input in "(otpauth://totp/)?\\PC{0,80}") {
        let _ = parse_uri(&input);
    }
}
