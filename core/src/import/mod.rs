//! Hardware-token seed files: PSKC (RFC 6030), plain or encrypted, and CSV seed lists.
//!
//! Each importer turns one uploaded file into an [`ImportReport`]: the tokens that can be
//! stored and the ones refused with a reason. Faults that make the whole file untrustworthy
//! are an [`ImportError`] instead, and then nothing is imported. Whether a serial already
//! exists as a credential is for the caller to check; every token carries its serial for that.

mod checks;
mod csv;
mod error;
mod model;
mod pskc;

pub use self::checks::serial_key;
pub use self::csv::import_csv;
pub use self::error::ImportError;
pub use self::model::{ImportReport, ImportedToken, PskcKey, RefusedToken, TokenKind};
pub use self::pskc::import_pskc;

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads a seed file of either kind: XML content is read as PSKC, anything else as CSV.
///
/// `name_hint` is the uploaded file's name; a `.xml` or `.pskc` name makes a file whose
/// content does not start with `<` fail as XML rather than as CSV, for a clearer message.
pub fn import_file(
    name_hint: Option<&str>,
    data: &[u8],
    key: Option<&PskcKey>,
) -> Result<ImportReport, ImportError> {
    let body = strip_bom(data)?;
    let Some(first) = body.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(ImportError::Empty);
    };
    let named_xml = name_hint.is_some_and(|name| {
        let name = name.to_ascii_lowercase();
        name.ends_with(".xml") || name.ends_with(".pskc")
    });
    if *first == b'<' || named_xml {
        import_pskc(data, key)
    } else {
        import_csv(data)
    }
}

/// Drops a UTF-8 byte order mark and refuses UTF-16, which neither reader handles.
fn strip_bom(data: &[u8]) -> Result<&[u8], ImportError> {
    if data.starts_with(b"\xff\xfe") || data.starts_with(b"\xfe\xff") {
        return Err(ImportError::Utf16);
    }
    Ok(data.strip_prefix(UTF8_BOM).unwrap_or(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &[u8] = b"serial,seed,type,digits,step_or_counter,algorithm\r\n\
        T1,3132333435363738393031323334353637383930,totp,6,30,sha1\r\n";

    #[test]
    fn content_decides_the_format_whatever_the_name() {
        let report = import_file(Some("tokens.xml"), CSV, None);
        assert!(
            matches!(report, Err(ImportError::MalformedXml(_))),
            "{report:?}"
        );
        assert_eq!(
            import_file(Some("tokens.csv"), CSV, None)
                .unwrap()
                .tokens
                .len(),
            1
        );
        assert_eq!(import_file(None, CSV, None).unwrap().tokens.len(), 1);

        let xml = b"\xef\xbb\xbf \n<Tokens/>";
        let error = import_file(Some("seeds.csv"), xml, None).unwrap_err();
        assert_eq!(error, ImportError::NotPskc("Tokens".into()));
    }

    #[test]
    fn empty_and_utf16_files_get_their_own_message() {
        assert_eq!(
            import_file(None, b"", None).unwrap_err(),
            ImportError::Empty
        );
        assert_eq!(
            import_file(None, b"\xef\xbb\xbf \r\n", None).unwrap_err(),
            ImportError::Empty
        );
        let utf16 = b"\xff\xfes\x00e\x00";
        assert_eq!(
            import_file(None, utf16, None).unwrap_err(),
            ImportError::Utf16
        );
        assert_eq!(import_csv(utf16).unwrap_err(), ImportError::Utf16);
    }
}
