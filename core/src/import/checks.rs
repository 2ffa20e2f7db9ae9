//! Token checks shared by the PSKC and CSV readers, so both refuse the same things alike.

use std::collections::HashMap;

use crate::otp::params::{Digits, ParamError, Period};
use crate::otp::secret::{RFC_MINIMUM_BITS, SecretKey};

/// Reads a code length with the product's rule: 6 or 8 digits.
pub(crate) fn digits(text: &str) -> Result<u8, String> {
    let digits = text
        .trim()
        .parse::<u64>()
        .map_err(|_| "the number of digits is not a number")?;
    let checked = u8::try_from(digits).map_err(|_| ParamError::UnsupportedDigits(digits));
    match checked.and_then(Digits::new) {
        Ok(digits) => Ok(digits.get()),
        Err(error) => Err(error.to_string()),
    }
}

/// Checks a time step with the product's rule for every credential: 30 or 60 seconds.
pub(crate) fn period(secs: u64) -> Result<u32, String> {
    match u32::try_from(secs).ok().map(Period::new) {
        Some(Ok(period)) => Ok(period.secs()),
        _ => Err(format!("the period must be 30 or 60 seconds, not {secs}")),
    }
}

/// Refuses an empty secret and warns about one shorter than RFC 4226's 128 bits (case C09).
pub(crate) fn secret(bytes: Vec<u8>, warnings: &mut Vec<String>) -> Result<SecretKey, String> {
    let secret = SecretKey::from_bytes(bytes);
    if secret.bits() == 0 {
        return Err("the secret is empty".into());
    }
    if secret.is_shorter_than_rfc_minimum() {
        warnings.push(format!(
            "the secret is only {} bits long, shorter than the {RFC_MINIMUM_BITS} bits \
             RFC 4226 asks for; replace this token when you can",
            secret.bits()
        ));
    }
    Ok(secret)
}

/// The form a serial is compared in: trimmed, ASCII letters in lower case, anything else kept.
///
/// Storage keeps this beside the serial under a unique constraint, so a file and the
/// inventory agree on which serials are the same token.
pub fn serial_key(serial: &str) -> String {
    serial.trim().to_ascii_lowercase()
}

/// Serials seen so far in one file, to refuse a second token with the same serial.
#[derive(Default)]
pub(crate) struct Serials {
    first_line: HashMap<String, Option<usize>>,
}

impl Serials {
    /// Records `serial`, or says where it appeared first. Letter case does not matter.
    pub(crate) fn claim(&mut self, serial: &str, line: Option<usize>) -> Result<(), String> {
        let folded = serial_key(serial);
        match self.first_line.get(&folded) {
            Some(Some(first)) => Err(format!("serial {serial} already appears on line {first}")),
            Some(None) => Err(format!(
                "serial {serial} appears more than once in the file"
            )),
            None => {
                self.first_line.insert(folded, line);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_six_and_eight_digit_codes_are_accepted() {
        assert_eq!(digits("6"), Ok(6));
        assert_eq!(digits(" 8 "), Ok(8));
        for text in [
            "7",
            "0",
            "10",
            "-6",
            "six",
            "",
            "300",
            "99999999999999999999",
        ] {
            assert!(digits(text).is_err(), "{text:?} was accepted");
        }
        assert!(digits("7").unwrap_err().contains("not 7"));
        assert!(digits("300").unwrap_err().contains("not 300"));
    }

    #[test]
    fn only_30_and_60_second_periods_are_accepted() {
        assert_eq!(period(30), Ok(30));
        assert_eq!(period(60), Ok(60));
        for secs in [0, 1, 29, 45, 90, 3600, u64::from(u32::MAX) + 30] {
            let reason = period(secs).expect_err("an unusual period was accepted");
            assert!(
                reason.contains("period must be 30 or 60 seconds"),
                "{reason}"
            );
            assert!(reason.ends_with(&format!("not {secs}")), "{reason}");
        }
    }

    #[test]
    fn short_secrets_import_with_a_warning_and_empty_ones_are_refused() {
        let mut warnings = Vec::new();
        assert_eq!(secret(vec![0x48; 10], &mut warnings).unwrap().bits(), 80);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("80 bits"), "{}", warnings[0]);

        let mut warnings = Vec::new();
        assert!(secret(vec![0; 16], &mut warnings).is_ok());
        assert!(warnings.is_empty());

        assert!(secret(Vec::new(), &mut Vec::new()).is_err());
    }

    #[test]
    fn a_serial_is_refused_the_second_time_whatever_its_case() {
        let mut serials = Serials::default();
        assert!(serials.claim("TOK-1", Some(2)).is_ok());
        assert!(serials.claim("TOK-2", Some(3)).is_ok());
        let reason = serials.claim("tok-1", Some(9)).unwrap_err();
        assert!(reason.contains("line 2"), "{reason}");
    }

    #[test]
    fn serial_keys_fold_ascii_letters_only() {
        assert_eq!(serial_key(" TOK-1001\t"), "tok-1001");
        assert_eq!(
            serial_key("Ä-1"),
            "Ä-1",
            "non-ASCII letters are kept as they are"
        );
        assert_ne!(serial_key("Ä-1"), serial_key("ä-1"));
        assert_eq!(serial_key("K"), serial_key("k"));
        assert_ne!(
            serial_key("\u{212a}"),
            serial_key("k"),
            "the Kelvin sign is not a K"
        );
    }
}
