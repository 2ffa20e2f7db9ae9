//! The product's rule for every credential, applied at import: a period of 30 or 60 seconds
//! and codes of 6 or 8 digits. A token that breaks it is refused alone, with the reason; the
//! rest of the file still imports.

use staffgate_core::import::{ImportReport, PskcKey, TokenKind, import_csv, import_pskc};
use staffgate_core::otp::Algorithm;

use crate::support::*;

const HEADER: &str = "serial,seed,type,digits,step_or_counter,algorithm\r\n";
const K20_HEX: &str = "3132333435363738393031323334353637383930";
const PERIOD_REASON: &str = "period must be 30 or 60 seconds";

/// The reason `serial` was refused, and the line it was refused on.
fn refusal(report: &ImportReport, serial: &str) -> (Option<usize>, String) {
    let refused = report
        .refused
        .iter()
        .find(|refused| refused.serial.as_deref() == Some(serial));
    let refused = refused.unwrap_or_else(|| panic!("{serial} was not refused: {report:?}"));
    (refused.line, refused.reason.clone())
}

fn serials(report: &ImportReport) -> Vec<&str> {
    report
        .tokens
        .iter()
        .map(|token| token.serial.as_str())
        .collect()
}

#[test]
fn a_csv_row_with_a_period_other_than_30_or_60_seconds_is_refused_alone() {
    let rows = [
        format!("P30,{K20_HEX},totp,6,30,sha1"),
        format!("P45,{K20_HEX},totp,6,45,sha1"),
        format!("P60,{K20_HEX},totp,6,60,sha256"),
        format!("P1,{K20_HEX},totp,6,1,sha1"),
        format!("P3600,{K20_HEX},TOTP,8,3600,SHA1"),
        format!("D7,{K20_HEX},totp,7,30,sha1"),
        format!("D8,{K20_HEX},totp,8,30,sha1"),
    ];
    let csv = format!("{HEADER}{}\r\n", rows.join("\r\n"));

    let report = import_csv(csv.as_bytes()).unwrap();

    assert_eq!(serials(&report), ["P30", "P60", "D8"]);
    let periods: Vec<_> = report.tokens.iter().map(|token| token.kind).collect();
    let totp = |period_secs| TokenKind::Totp { period_secs, t0: 0 };
    assert_eq!(periods, [totp(30), totp(60), totp(30)]);
    for (serial, line, secs) in [("P45", 3, 45), ("P1", 5, 1), ("P3600", 6, 3600)] {
        let (at, reason) = refusal(&report, serial);
        assert_eq!(at, Some(line), "{serial}");
        assert!(reason.contains(PERIOD_REASON), "{serial}: {reason}");
        assert!(
            reason.contains(&format!("not {secs}")),
            "{serial}: {reason}"
        );
    }
    let (line, reason) = refusal(&report, "D7");
    assert_eq!(line, Some(7));
    assert!(reason.contains("6 or 8 digits"), "{reason}");
    assert_eq!(report.refused.len(), 4);
}

#[test]
fn a_pskc_key_package_with_a_period_other_than_30_or_60_seconds_is_refused_alone() {
    let interval =
        |secs: u32| format!("<TimeInterval><PlainValue>{secs}</PlainValue></TimeInterval>");
    let six = parameters("HMAC-SHA1", 6);
    let packages = [
        package("T30", TOTP_URI, &six, &plain_secret(K20)),
        package(
            "T45",
            TOTP_URI,
            &six,
            &format!("{}{}", plain_secret(K20), interval(45)),
        ),
        package(
            "T60",
            TOTP_URI,
            &six,
            &format!("{}{}", plain_secret(K20), interval(60)),
        ),
        package(
            "T7",
            TOTP_URI,
            &parameters("HMAC-SHA1", 7),
            &plain_secret(K20),
        ),
    ];
    let xml = container("", &packages);

    let report = import_pskc(&xml, None).unwrap();

    assert_eq!(serials(&report), ["T30", "T60"]);
    let (_, reason) = refusal(&report, "T45");
    assert!(
        reason.contains(PERIOD_REASON) && reason.contains("not 45"),
        "{reason}"
    );
    let (_, reason) = refusal(&report, "T7");
    assert!(reason.contains("6 or 8 digits"), "{reason}");
    assert_eq!(report.refused.len(), 2);
}

#[test]
fn an_encrypted_time_interval_is_held_to_the_same_rule() {
    let encrypter = Encrypter::new(&SAMPLE_PSK, Algorithm::Sha256);
    let data = |iv: u8, secs: u8| {
        format!(
            "<Secret>{}</Secret><TimeInterval>{}</TimeInterval>",
            encrypter.value([iv; 16], K20),
            encrypter.value([iv ^ 0x80; 16], &[secs]),
        )
    };
    let six = parameters("HMAC-SHA1", 6);
    let packages = [
        package("E90", TOTP_URI, &six, &data(1, 90)),
        package("E60", TOTP_URI, &six, &data(2, 60)),
    ];
    let header = format!("{}{}", key_name(), encrypter.mac_method());
    let xml = container(&header, &packages);

    let report = import_pskc(&xml, Some(&PskcKey::PreShared(SAMPLE_PSK.to_vec()))).unwrap();

    assert_eq!(serials(&report), ["E60"]);
    assert_eq!(totp_code(token(&report, "E60"), 1_111_111_109), "360094");
    let (_, reason) = refusal(&report, "E90");
    assert!(
        reason.contains(PERIOD_REASON) && reason.contains("not 90"),
        "{reason}"
    );
}
