//! One data row of a CSV seed list into one token, or the reason it is refused.

use csv::ByteRecord;
use data_encoding::HEXLOWER_PERMISSIVE;

use super::COLUMNS;
use crate::import::checks;
use crate::import::{ImportedToken, TokenKind};
use crate::otp::Algorithm;

/// One data row's fields, already trimmed.
pub(super) struct Row<'a> {
    serial: &'a str,
    seed: &'a str,
    kind: &'a str,
    digits: &'a str,
    step_or_counter: &'a str,
    algorithm: &'a str,
}

impl<'a> Row<'a> {
    pub(super) fn pick(record: &'a ByteRecord, order: &[usize; 6]) -> Result<Self, String> {
        if record.len() != COLUMNS.len() {
            return Err(format!("expected 6 fields, found {}", record.len()));
        }
        let field = |column: usize| {
            std::str::from_utf8(&record[order[column]])
                .map_err(|_| format!("the {} field is not valid UTF-8", COLUMNS[column]))
        };
        Ok(Self {
            serial: field(0)?,
            seed: field(1)?,
            kind: field(2)?,
            digits: field(3)?,
            step_or_counter: field(4)?,
            algorithm: field(5)?,
        })
    }

    pub(super) fn token(&self) -> Result<ImportedToken, String> {
        if self.serial.is_empty() {
            return Err("the serial is empty".into());
        }
        let secret = hex_seed(self.seed)?;
        let unknown = |_| "unknown algorithm: expected sha1, sha256 or sha512";
        let algorithm: Algorithm = self.algorithm.parse().map_err(unknown)?;
        let digits = checks::digits(self.digits)?;
        let kind = match self.kind.to_ascii_lowercase().as_str() {
            "totp" => TokenKind::Totp {
                period_secs: period(self.step_or_counter)?,
                t0: 0,
            },
            "hotp" => TokenKind::Hotp {
                counter: counter(self.step_or_counter)?,
            },
            _ => return Err("unknown type: expected totp or hotp".into()),
        };
        let mut warnings = Vec::new();
        let secret = checks::secret(secret, &mut warnings)?;

        Ok(ImportedToken {
            serial: self.serial.to_owned(),
            manufacturer: None,
            model: None,
            kind,
            secret,
            algorithm,
            digits,
            warnings,
        })
    }
}

/// Decodes a hex seed. The reasons never repeat the seed.
fn hex_seed(seed: &str) -> Result<Vec<u8>, String> {
    if seed.is_empty() {
        return Err("the seed is empty".into());
    }
    if !seed.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the seed is not hex (Base32 and other encodings are not accepted)".into());
    }
    if seed.len() % 2 == 1 {
        return Err(format!(
            "the hex seed has an odd number of digits ({})",
            seed.len()
        ));
    }
    HEXLOWER_PERMISSIVE
        .decode(seed.as_bytes())
        .map_err(|_| "the seed is not valid hex".into())
}

fn period(text: &str) -> Result<u32, String> {
    let secs = text
        .parse::<u64>()
        .map_err(|_| "the time step is not a whole number of seconds")?;
    checks::period(secs)
}

fn counter(text: &str) -> Result<u64, String> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse()
            .map_err(|_| "the counter is larger than 18446744073709551615".into())
    } else {
        Err("the counter is not a whole number".into())
    }
}

#[cfg(test)]
mod tests {
    use crate::import::{ImportReport, TokenKind, import_csv};

    const HEADER: &str = "serial,seed,type,digits,step_or_counter,algorithm\n";
    const K20: &str = "3132333435363738393031323334353637383930";

    fn one_row(row: &str) -> ImportReport {
        import_csv(format!("{HEADER}{row}\n").as_bytes()).expect("the header is valid")
    }

    fn reason(row: &str) -> String {
        let report = one_row(row);
        assert!(report.tokens.is_empty(), "{row} was imported");
        assert_eq!(report.refused[0].line, Some(2));
        report.refused[0].reason.clone()
    }

    #[test]
    fn row_faults_refuse_only_that_row_with_a_reason() {
        assert!(reason(&format!(",{K20},totp,6,30,sha1")).contains("serial is empty"));
        assert!(reason("T,,totp,6,30,sha1").contains("seed is empty"));
        assert!(reason("T,31 32,totp,6,30,sha1").contains("not hex"));
        assert!(reason(&format!("T,{K20},motp,6,30,sha1")).contains("unknown type"));
        assert!(reason(&format!("T,{K20},totp,6,30,md5")).contains("unknown algorithm"));
        assert!(reason(&format!("T,{K20},totp,6,0,sha1")).contains("period must be 30 or 60"));
        assert!(reason(&format!("T,{K20},totp,6,45,sha1")).contains("30 or 60 seconds, not 45"));
        assert!(reason(&format!("T,{K20},totp,6,-30,sha1")).contains("time step"));
        assert!(reason(&format!("T,{K20},hotp,6,-1,sha1")).contains("not a whole number"));
        assert!(reason(&format!("T,{K20},totp,6,30")).contains("expected 6 fields"));
        let short = one_row(&format!("SHORT,{K20},totp,6,30"));
        assert_eq!(short.refused[0].serial.as_deref(), Some("SHORT"));
        let too_big = format!("T,{K20},hotp,6,18446744073709551616,sha1");
        assert!(reason(&too_big).contains("larger than"));
    }

    #[test]
    fn the_largest_counter_still_fits() {
        let report = one_row(&format!("T,{K20},HOTP,6,18446744073709551615,SHA1"));
        assert_eq!(report.tokens[0].kind, TokenKind::Hotp { counter: u64::MAX });
    }

    #[test]
    fn no_reason_ever_repeats_a_seed() {
        let seed = "ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABC";
        let rows =
            format!("T,{seed},totp,7,30,sha1\nU,{seed}Z,totp,6,30,sha1\nV,{seed},totp,6,30,x");
        for refused in one_row(&rows).refused {
            assert!(!refused.reason.contains("ABCDEF"), "{}", refused.reason);
        }
    }
}
