//! CSV seed lists: `serial,seed,type,digits,step_or_counter,algorithm` with hex seeds.
//!
//! The header names the columns (in any order and letter case); a missing or unknown column
//! refuses the file. Each data row stands alone: a fault refuses that row with its line number
//! and the other rows still import. Seeds are hex only; Base32 is never guessed.

mod row;

use csv::{ByteRecord, ReaderBuilder, Trim};

use self::row::Row;
use super::checks::Serials;
use super::{ImportError, ImportReport, RefusedToken};

const COLUMNS: [&str; 6] = [
    "serial",
    "seed",
    "type",
    "digits",
    "step_or_counter",
    "algorithm",
];

/// Reads a CSV seed list; a UTF-8 BOM, CRLF line ends and spaces around fields are accepted.
pub fn import_csv(data: &[u8]) -> Result<ImportReport, ImportError> {
    let data = super::strip_bom(data)?;
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(data);

    let mut records = reader.byte_records().filter(|record| match record {
        Ok(record) => record.iter().any(|field| !field.is_empty()),
        Err(_) => true,
    });
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => return Err(ImportError::CsvHeader(error.to_string())),
        None => return Err(ImportError::Empty),
    };
    let order = column_order(&header)?;

    let mut report = ImportReport::default();
    let mut serials = Serials::default();
    let mut lines = Lines::default();
    for record in records {
        // Reading from a byte slice fails only on I/O, which cannot happen; skip defensively.
        let Ok(record) = record else { continue };
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok());
        let line = start.map(|start| lines.line_at(data, start));
        let serial = record
            .get(order[0])
            .and_then(|s| std::str::from_utf8(s).ok());
        let serial = serial.filter(|s| !s.is_empty()).map(str::to_owned);

        let outcome = Row::pick(&record, &order).and_then(|row| {
            let token = row.token()?;
            serials.claim(&token.serial, line)?;
            Ok(token)
        });
        match outcome {
            Ok(token) => report.tokens.push(token),
            Err(reason) => report.refused.push(RefusedToken {
                serial,
                line,
                reason,
            }),
        }
    }
    Ok(report)
}

/// Maps each of `COLUMNS` to its position in the file.
fn column_order(header: &ByteRecord) -> Result<[usize; 6], ImportError> {
    let mut order = [usize::MAX; 6];
    for (position, name) in header.iter().enumerate() {
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        let Some(column) = COLUMNS.iter().position(|known| *known == name) else {
            return Err(ImportError::CsvHeader(format!(
                "column {} is not one of {}",
                position + 1,
                COLUMNS.join(", ")
            )));
        };
        if order[column] != usize::MAX {
            return Err(ImportError::CsvHeader(format!(
                "column {name} appears twice"
            )));
        }
        order[column] = position;
    }
    let missing: Vec<_> = COLUMNS
        .iter()
        .zip(order)
        .filter(|(_, position)| *position == usize::MAX)
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::CsvHeader(format!(
            "missing column(s): {}",
            missing.join(", ")
        )));
    }
    Ok(order)
}

/// Line numbers from byte offsets. The csv crate's own count is one short after CRLF, and
/// a record's offset may point at the end of the previous line, so line ends are skipped.
#[derive(Default)]
struct Lines {
    offset: usize,
    breaks: usize,
}

impl Lines {
    fn line_at(&mut self, data: &[u8], start: usize) -> usize {
        let mut start = start.clamp(self.offset, data.len());
        while start < data.len() && matches!(data[start], b'\r' | b'\n') {
            start += 1;
        }
        let seen = &data[self.offset..start];
        let lone_cr = |(i, b): (usize, &u8)| *b == b'\r' && seen.get(i + 1) != Some(&b'\n');
        self.breaks += seen
            .iter()
            .enumerate()
            .filter(|&(i, b)| *b == b'\n' || lone_cr((i, b)))
            .count();
        self.offset = start;
        self.breaks + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::TokenKind;
    use crate::otp::Algorithm;

    const HEADER: &str = "serial,seed,type,digits,step_or_counter,algorithm\n";
    const K20: &str = "3132333435363738393031323334353637383930";

    #[test]
    fn header_columns_may_come_in_any_order_and_case() {
        let data = format!(
            " Algorithm ,TYPE,serial,Seed,digits,Step_Or_Counter\nsha256,hotp,T1,{K20},8,7\n"
        );
        let report = import_csv(data.as_bytes()).unwrap();
        let token = &report.tokens[0];
        assert_eq!(token.kind, TokenKind::Hotp { counter: 7 });
        assert_eq!((token.algorithm, token.digits), (Algorithm::Sha256, 8));
    }

    #[test]
    fn a_missing_or_unknown_column_refuses_the_file_without_echoing_it() {
        let missing = import_csv(b"serial,seed,type,digits,algorithm\n").unwrap_err();
        assert!(matches!(&missing, ImportError::CsvHeader(m) if m.contains("step_or_counter")));

        let data = format!("{K20},totp,6,30,sha1,x\n");
        let error = import_csv(data.as_bytes()).unwrap_err();
        assert!(matches!(&error, ImportError::CsvHeader(m) if m.contains("column 1")));
        assert!(!error.to_string().contains(K20));

        let twice = import_csv(b"serial,serial,type,digits,step_or_counter,algorithm\n");
        assert!(matches!(twice, Err(ImportError::CsvHeader(_))));
        assert_eq!(
            import_csv(b"\xef\xbb\xbf\r\n").unwrap_err(),
            ImportError::Empty
        );
    }

    #[test]
    fn line_numbers_count_crlf_lf_and_blank_lines_alike() {
        let row = format!("T,{K20},totp,6,30,x");
        for newline in ["\n", "\r\n", "\r"] {
            let header = HEADER.trim_end();
            let data = [header, &row, "", &row.replace('T', "U"), ""].join(newline);
            let report = import_csv(data.as_bytes()).unwrap();
            let lines: Vec<_> = report.refused.iter().map(|r| r.line).collect();
            assert_eq!(lines, [Some(2), Some(4)], "{newline:?}");
        }
    }

    #[test]
    fn a_duplicate_serial_is_refused_and_the_first_one_kept() {
        let data = format!("{HEADER}A,{K20},totp,6,30,sha1\na,{K20},totp,6,30,sha1\n");
        let report = import_csv(data.as_bytes()).unwrap();
        assert_eq!(report.tokens.len(), 1);
        assert_eq!(report.refused[0].serial.as_deref(), Some("a"));
        assert_eq!(report.refused[0].line, Some(3));
        assert!(report.refused[0].reason.contains("line 2"));
    }

    #[test]
    fn blank_lines_and_quoted_fields_are_handled() {
        let data = format!("{HEADER}\n\"Q,1\",\"{K20}\",totp,6,30,sha1\n , , , , , \n");
        let report = import_csv(data.as_bytes()).unwrap();
        assert_eq!(report.tokens[0].serial, "Q,1");
        assert_eq!(report.tokens[0].secret.as_bytes(), b"12345678901234567890");
        assert!(report.refused.is_empty(), "{:?}", report.refused);
    }
}
