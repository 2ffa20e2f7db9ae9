//! Case C36: every row of `seeds.csv`. Expected codes come from the cases README.

use staffgate_core::import::{ImportError, ImportReport, TokenKind, import_csv, import_file};
use staffgate_core::otp::Algorithm;

use crate::support::*;

fn reason_for(report: &ImportReport, serial: &str) -> (usize, String) {
    let refused = report
        .refused
        .iter()
        .find(|r| r.serial.as_deref() == Some(serial));
    let refused = refused.unwrap_or_else(|| panic!("{serial} was not refused"));
    (
        refused.line.expect("CSV refusals carry a line"),
        refused.reason.clone(),
    )
}

#[test]
fn the_sample_really_has_a_bom_and_crlf_line_ends() {
    assert!(SEEDS_CSV.starts_with(b"\xef\xbb\xbfserial,"));
    assert!(SEEDS_CSV.windows(2).any(|pair| pair == b"\r\n"));
}

#[test]
fn c36_the_header_behind_a_bom_is_recognised_and_five_rows_import() {
    let report = import_csv(SEEDS_CSV).unwrap();
    let serials: Vec<_> = report.tokens.iter().map(|t| t.serial.as_str()).collect();
    assert_eq!(
        serials,
        ["CSV-001", "CSV-002", "CSV-003", "CSV-004", "CSV-007"]
    );
    let refused: Vec<_> = report.refused.iter().map(|r| r.serial.as_deref()).collect();
    assert_eq!(refused, [Some("CSV-005"), Some("CSV-006"), Some("CSV-008")]);
}

#[test]
fn c36_totp_rows_import_with_their_parameters() {
    let report = import_csv(SEEDS_CSV).unwrap();

    let csv1 = token(&report, "CSV-001");
    assert_eq!(
        csv1.kind,
        TokenKind::Totp {
            period_secs: 30,
            t0: 0
        }
    );
    assert_eq!((csv1.algorithm, csv1.digits), (Algorithm::Sha1, 6));
    assert_eq!(csv1.secret.as_bytes(), K20);
    assert_eq!(totp_code(csv1, 1_111_111_109), "081804");

    let csv2 = token(&report, "CSV-002");
    assert_eq!(csv2.secret.as_bytes(), K20, "the seed is trimmed");
    assert_eq!((csv2.algorithm, csv2.digits), (Algorithm::Sha1, 8));
    assert_eq!(totp_code(csv2, 1_111_111_109), "07081804");

    let csv7 = token(&report, "CSV-007");
    assert_eq!(
        csv7.kind,
        TokenKind::Totp {
            period_secs: 60,
            t0: 0
        }
    );
    assert_eq!((csv7.algorithm, csv7.digits), (Algorithm::Sha256, 6));
    assert_eq!(totp_code(csv7, 1_111_111_109), "648066");
}

#[test]
fn c36_hotp_rows_keep_their_counters_even_beyond_32_bits() {
    let report = import_csv(SEEDS_CSV).unwrap();

    let csv3 = token(&report, "CSV-003");
    assert_eq!(csv3.kind, TokenKind::Hotp { counter: 0 });
    assert_eq!(next_hotp_codes(csv3, 1), ["755224"]);

    let csv4 = token(&report, "CSV-004");
    assert_eq!(
        csv4.kind,
        TokenKind::Hotp {
            counter: 4_294_967_296
        }
    );
    assert_eq!(next_hotp_codes(csv4, 1), ["999456"]);
}

#[test]
fn c36_bad_rows_are_refused_with_their_line_and_reason() {
    let report = import_csv(SEEDS_CSV).unwrap();

    let (line, reason) = reason_for(&report, "CSV-005");
    assert_eq!(line, 6);
    assert!(reason.contains("odd number of digits"), "{reason}");

    let (line, reason) = reason_for(&report, "CSV-006");
    assert_eq!(line, 7);
    assert!(reason.contains("not hex"), "{reason}");
    assert!(
        !reason.contains("GEZDGNBV"),
        "the reason repeats the seed: {reason}"
    );

    let (line, reason) = reason_for(&report, "CSV-008");
    assert_eq!(line, 9);
    assert!(reason.contains("6 or 8 digits"), "{reason}");
}

#[test]
fn c36_the_upload_entry_point_reads_the_sample_as_csv() {
    let report = import_file(Some("seeds.csv"), SEEDS_CSV, None).unwrap();
    assert_eq!((report.tokens.len(), report.refused.len()), (5, 3));
    let report = import_file(None, SEEDS_CSV, None).unwrap();
    assert_eq!(report.tokens.len(), 5);
}

#[test]
fn a_garbled_header_refuses_the_file() {
    let without_header = &SEEDS_CSV[SEEDS_CSV.iter().position(|b| *b == b'\n').unwrap() + 1..];
    let error = import_csv(without_header).unwrap_err();
    assert!(matches!(error, ImportError::CsvHeader(_)), "{error:?}");
    assert!(!error.to_string().contains("3132333435"), "{error}");

    let garbled = b"serial;seed;type;digits;step_or_counter;algorithm\r\n";
    assert!(matches!(
        import_csv(garbled),
        Err(ImportError::CsvHeader(_))
    ));
}
