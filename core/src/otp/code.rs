//! Reading the code a user typed or pasted.
//!
//! Apps show codes as "123 456" and users copy them that way, so ASCII whitespace and `-` are
//! removed. Nothing else is forgiven: the code stays a string of exactly the credential's number
//! of digits, so a code whose leading zeros were lost can never match (it is never read as an
//! integer), and look-alike characters such as the letter O or full-width digits are refused.

use crate::otp::params::Digits;

/// Why a submitted code was refused before it was compared. Messages are shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Too few or too many digits.
    #[error("Enter the {digits}-digit code from your authenticator app.")]
    WrongLength { digits: u8 },
    /// Something other than the digits 0 to 9, spaces and dashes.
    #[error(
        "The code can only contain the digits 0 to 9. \
         Enter the {digits}-digit code from your authenticator app."
    )]
    NotDigits { digits: u8 },
}

/// Removes ASCII whitespace and `-`, then requires exactly `digits` ASCII digits.
pub fn normalize_code(input: &str, digits: Digits) -> Result<String, CodeError> {
    let wanted = usize::from(digits.get());
    let mut code = String::with_capacity(wanted);
    for character in input.chars() {
        if character.is_ascii_digit() {
            if code.len() == wanted {
                return Err(CodeError::WrongLength {
                    digits: digits.get(),
                });
            }
            code.push(character);
        } else if !(character.is_ascii_whitespace() || character == '-') {
            return Err(CodeError::NotDigits {
                digits: digits.get(),
            });
        }
    }

    if code.len() == wanted {
        Ok(code)
    } else {
        Err(CodeError::WrongLength {
            digits: digits.get(),
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn c18_spaces_dashes_and_a_trailing_newline_are_removed() {
        for input in [
            "050 471",
            " 050471 ",
            "050-471",
            "050471\n",
            "\t050 - 471\r\n",
        ] {
            assert_eq!(
                normalize_code(input, Digits::SIX).as_deref(),
                Ok("050471"),
                "{input:?}"
            );
        }
    }

    #[test]
    fn c18_missing_or_extra_digits_are_refused() {
        for input in ["50471", "0504710", ""] {
            assert_eq!(
                normalize_code(input, Digits::SIX),
                Err(CodeError::WrongLength { digits: 6 }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn c18_letter_o_and_full_width_digits_are_refused() {
        for input in [
            "O50471",
            "０５０４７１",
            "05047١",
            "+50471",
            "050.471",
            "050_471",
        ] {
            assert_eq!(
                normalize_code(input, Digits::SIX),
                Err(CodeError::NotDigits { digits: 6 }),
                "{input:?}"
            );
        }
    }

    #[test]
    fn c02_codes_with_leading_zeros_left_off_are_refused_at_every_length() {
        assert_eq!(
            normalize_code("000101", Digits::SIX).as_deref(),
            Ok("000101")
        );
        for input in ["101", "0101", "00101"] {
            assert!(normalize_code(input, Digits::SIX).is_err(), "{input:?}");
        }

        // The same holds for every shorter or longer string, for both code lengths.
        for digits in [Digits::SIX, Digits::EIGHT] {
            let wanted = usize::from(digits.get());
            for len in 0..=12 {
                let result = normalize_code(&"0".repeat(len), digits);
                assert_eq!(
                    result.is_ok(),
                    len == wanted,
                    "{len} zeros for {wanted} digits"
                );
            }
        }
    }

    #[test]
    fn eight_digit_credentials_need_eight_digits() {
        assert_eq!(
            normalize_code("0708 1804", Digits::EIGHT).as_deref(),
            Ok("07081804")
        );
        assert_eq!(
            normalize_code("081804", Digits::EIGHT),
            Err(CodeError::WrongLength { digits: 8 })
        );
    }

    #[test]
    fn error_messages_are_plain_user_text() {
        let short = normalize_code("123", Digits::SIX).unwrap_err();
        assert_eq!(
            short.to_string(),
            "Enter the 6-digit code from your authenticator app."
        );
        let letters = normalize_code("12345a", Digits::EIGHT).unwrap_err();
        assert!(
            letters
                .to_string()
                .ends_with("Enter the 8-digit code from your authenticator app.")
        );
    }

    proptest! {
        #[test]
        fn normalize_code_never_panics_and_only_returns_ascii_digits(input in ".*") {
            for digits in [Digits::SIX, Digits::EIGHT] {
                if let Ok(code) = normalize_code(&input, digits) {
                    prop_assert_eq!(code.len(), usize::from(digits.get()));
                    prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
                }
            }
        }
    }
}
