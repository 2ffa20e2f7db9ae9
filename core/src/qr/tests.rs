//! Case C27: size, version and colours of the enrollment QR code.

use super::*;

/// The U1 URI from the cases README: 112 characters, 160-bit secret, default parameters.
const CANONICAL: &str = "otpauth://totp/Example%20Corp:alice%40example.test\
                         ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example%20Corp";

/// 272 characters: long issuer and account, 256-bit secret, default parameters written out.
const BLOATED: &str = "otpauth://totp/Example%20Corporation%20Staff%20Portal\
    :alice.longname%2Bstaff-portal-operations%40mail-eu-001.subsidiary.example.test\
    ?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ\
    &issuer=Example%20Corporation%20Staff%20Portal&algorithm=SHA1&digits=6&period=30";

#[test]
fn c27_the_canonical_uri_is_version_7_with_a_four_module_quiet_zone() {
    assert_eq!(CANONICAL.len(), 112);
    let qr = enrollment_qr_svg(CANONICAL).unwrap();
    assert_eq!(qr.version, 7);
    assert_eq!(
        qr.modules, 53,
        "45 modules plus 4 of quiet zone on each side"
    );
    assert_eq!(qr.size_px, 212, "4 px per module");
}

#[test]
fn c27_the_drawing_has_an_opaque_white_background_and_its_declared_size() {
    let qr = enrollment_qr_svg(CANONICAL).unwrap();
    assert!(
        qr.svg.starts_with("<svg "),
        "no XML declaration before the element"
    );
    assert!(qr.svg.contains(r#"width="212" height="212""#));
    assert!(qr.svg.contains(r#"viewBox="0 0 212 212""#));
    assert!(
        qr.svg
            .contains(r##"<rect x="0" y="0" width="212" height="212" fill="#ffffff"/>"##)
    );
    assert!(qr.svg.contains(r##"fill="#000000""##));
    assert!(qr.svg.ends_with("</svg>"));
}

#[test]
fn c27_the_quiet_zone_stays_light() {
    let qr = enrollment_qr_svg(CANONICAL).unwrap();
    // Dark modules are drawn as paths starting at their top-left corner ("M{x} {y}"); none may
    // start inside the 16 px border.
    let path = qr.svg.split(" d=\"").nth(1).unwrap();
    for corner in path.split('M').skip(1) {
        let mut numbers = corner
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty());
        let x: u32 = numbers.next().unwrap().parse().unwrap();
        let y: u32 = numbers.next().unwrap().parse().unwrap();
        assert!(
            (16..196).contains(&x) && (16..196).contains(&y),
            "module at {x},{y}"
        );
    }
}

#[test]
fn c27_a_version_12_code_is_refused() {
    assert_eq!(BLOATED.len(), 272);
    assert_eq!(
        enrollment_qr_svg(BLOATED),
        Err(QrError::TooDense { version: 12 })
    );
}

#[test]
fn every_drawable_size_keeps_at_least_4_px_per_module_and_212_px_in_all() {
    let mut versions = Vec::new();
    for len in (1..=260).step_by(7) {
        let Ok(qr) = enrollment_qr_svg(&"a".repeat(len)) else {
            continue;
        };
        let module_px = qr.size_px / u32::try_from(qr.modules).unwrap();
        assert_eq!(qr.size_px % u32::try_from(qr.modules).unwrap(), 0);
        assert!(module_px >= 4 && qr.size_px >= 212, "length {len}: {qr:?}");
        assert_eq!(
            qr.modules,
            usize::try_from(4 * qr.version + 17 + 8).unwrap()
        );
        assert!(
            qr.svg
                .contains(&format!("viewBox=\"0 0 {0} {0}\"", qr.size_px))
        );
        versions.push(qr.version);
    }
    assert!(versions.contains(&1) && versions.contains(&MAX_VERSION));
}

#[test]
fn data_beyond_any_qr_version_is_refused() {
    assert_eq!(enrollment_qr_svg(&"a".repeat(5000)), Err(QrError::TooLong));
}

#[cfg(feature = "otp")]
#[test]
fn c27_enrollment_uris_for_typical_names_stay_below_version_12() {
    use crate::otp::{
        AccountName, Algorithm, Digits, Issuer, OtpParams, Period, SecretKey, enrollment_uri,
    };

    let issuers = [
        "Staffgate",
        "Example Corp",
        "ACME Staff Portal",
        "Société Générale SSO",
    ];
    let accounts = [
        "alice@example.test",
        "alice+ops@example.test",
        "bob smith",
        "firstname.lastname@subsidiary.example.com",
        "very.long.firstname.double-barrelled-lastname@it.example.test",
    ];
    let unusual = OtpParams {
        algorithm: Algorithm::Sha512,
        digits: Digits::EIGHT,
        period: Period::SIXTY,
    };
    for issuer in issuers {
        for account in accounts {
            for params in [OtpParams::default(), unusual] {
                let issuer = Issuer::parse(issuer).unwrap();
                let account = AccountName::parse(account).unwrap();
                let uri = enrollment_uri(&issuer, &account, &SecretKey::generate(), &params);
                let qr = enrollment_qr_svg(&uri).unwrap();
                assert!(qr.version < 12, "{uri} needs version {}", qr.version);
            }
        }
    }
}

#[cfg(feature = "otp")]
#[test]
fn c27_our_u1_uri_gives_the_canonical_version() {
    use crate::otp::{AccountName, Issuer, OtpParams, SecretKey, enrollment_uri};

    let issuer = Issuer::parse("Example Corp").unwrap();
    let account = AccountName::parse("alice@example.test").unwrap();
    let uri = enrollment_uri(
        &issuer,
        &account,
        &SecretKey::generate(),
        &OtpParams::default(),
    );
    assert_eq!(uri.len(), 112);
    assert_eq!(enrollment_qr_svg(&uri).unwrap().version, 7);
}
