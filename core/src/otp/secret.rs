//! The shared secret of a credential and its Base32 text form.
//!
//! Secrets are typed by hand from a web page as often as they are scanned, so reading Base32 is
//! lenient about case, grouping spaces, line breaks, dashes and `=` padding, and strict about
//! everything else. The type can't be serialized and its `Debug` form hides the bytes.

use std::fmt;
use std::sync::LazyLock;

use data_encoding::{BASE32_NOPAD, Encoding};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// Length of a generated secret in bytes (160 bits, the size RFC 4226 recommends).
pub const GENERATED_SECRET_BYTES: usize = 20;

/// The shortest secret RFC 4226 allows, in bits.
pub const RFC_MINIMUM_BITS: usize = 128;

/// Base32 without padding that, like authenticator apps, ignores the unused low bits of the
/// last character instead of refusing the secret.
static LENIENT_BASE32: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = BASE32_NOPAD.specification();
    spec.check_trailing_bits = false;
    spec.encoding().expect("a valid Base32 specification")
});

/// Why a secret could not be read or made. The messages never quote the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("the secret is empty")]
    Empty,
    #[error(
        "the secret may only contain the letters A to Z and the digits 2 to 7 \
         (0, 1, 8 and 9 never occur)"
    )]
    InvalidCharacter,
    #[error("the secret has a character too many or too few")]
    InvalidLength,
    #[error("the system's random number generator failed")]
    Random,
}

/// The HMAC key shared with the authenticator. Deliberately not `Serialize`; its bytes are
/// wiped when it is dropped (and totp-rs wipes its own copy, through its `zeroize` feature).
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl SecretKey {
    /// A new 160-bit secret from the operating system's random number generator.
    ///
    /// # Panics
    ///
    /// If the operating system can't provide random bytes; see [`SecretKey::try_generate`].
    pub fn generate() -> SecretKey {
        SecretKey::try_generate().expect("the operating system's random number generator failed")
    }

    /// A new 160-bit secret, or an error if the operating system can't provide random bytes.
    pub fn try_generate() -> Result<SecretKey, SecretError> {
        let mut bytes = vec![0; GENERATED_SECRET_BYTES];
        getrandom::getrandom(&mut bytes).map_err(|_| SecretError::Random)?;
        Ok(SecretKey(bytes))
    }

    /// Wraps raw key bytes, of any length (legacy tokens may be shorter than 128 bits).
    pub fn from_bytes(bytes: Vec<u8>) -> SecretKey {
        SecretKey(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Reads Base32 as typed or pasted: any letter case, ASCII whitespace, `-` and trailing `=`
    /// are allowed; other characters and lengths no Base32 text can have are refused.
    pub fn from_base32(input: &str) -> Result<SecretKey, SecretError> {
        let mut text = Vec::with_capacity(input.len());
        for byte in input.bytes() {
            match byte {
                b'a'..=b'z' | b'A'..=b'Z' | b'2'..=b'7' | b'=' => {
                    text.push(byte.to_ascii_uppercase())
                }
                b'-' => {}
                _ if byte.is_ascii_whitespace() => {}
                _ => return Err(SecretError::InvalidCharacter),
            }
        }

        let padding = text.iter().rev().take_while(|&&byte| byte == b'=').count();
        text.truncate(text.len() - padding);
        if text.contains(&b'=') {
            return Err(SecretError::InvalidCharacter);
        }
        if text.is_empty() {
            return Err(SecretError::Empty);
        }

        // Each 8 characters carry 5 bytes; 1, 3 or 6 characters left over can't end a text.
        if matches!(text.len() % 8, 1 | 3 | 6) {
            return Err(SecretError::InvalidLength);
        }
        LENIENT_BASE32
            .decode(&text)
            .map(SecretKey)
            .map_err(|_| SecretError::InvalidLength)
    }

    /// The canonical text form: upper-case Base32 without `=` padding.
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// Base32 in groups of four separated by single spaces, for typing the secret by hand.
    pub fn grouped_base32(&self) -> String {
        let plain = self.to_base32();
        let mut grouped = String::with_capacity(plain.len() + plain.len() / 4);
        for (index, character) in plain.chars().enumerate() {
            if index > 0 && index % 4 == 0 {
                grouped.push(' ');
            }
            grouped.push(character);
        }
        grouped
    }

    /// The key length in bits.
    pub fn bits(&self) -> usize {
        self.0.len() * 8
    }

    /// True for legacy secrets under the 128 bits RFC 4226 requires; they still work.
    pub fn is_shorter_than_rfc_minimum(&self) -> bool {
        self.bits() < RFC_MINIMUM_BITS
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &SecretKey) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey(<redacted, {} bits>)", self.bits())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const K20_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn k20_decodes_to_the_ascii_rfc_seed() {
        let key = SecretKey::from_base32(K20_BASE32).unwrap();
        assert_eq!(key.as_bytes(), b"12345678901234567890");
    }

    #[test]
    fn c05_lower_case_grouped_and_whitespace_wrapped_secrets_decode_to_k20() {
        let inputs = [
            "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
            "\tGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n",
            "GEZD-GNBV-GY3T-QOJQ\r\nGEZD-GNBV-GY3T-QOJQ",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====",
        ];
        for input in inputs {
            let key = SecretKey::from_base32(input).unwrap();
            assert_eq!(key.as_bytes(), b"12345678901234567890", "{input:?}");
            assert_eq!(key.to_base32(), K20_BASE32, "{input:?}");
        }
    }

    #[test]
    fn s128_whose_length_is_not_a_multiple_of_eight_decodes() {
        let key = SecretKey::from_base32("AAISEM2EKVTHPCEZVK54ZXPO74").unwrap();
        let expected: Vec<u8> = (0..16).map(|n| n * 0x11).collect();
        assert_eq!(key.as_bytes(), expected);
        assert_eq!(key.bits(), 128);
        assert!(!key.is_shorter_than_rfc_minimum());
    }

    #[test]
    fn s128_with_its_padding_decodes_the_same() {
        let padded = SecretKey::from_base32("AAISEM2EKVTHPCEZVK54ZXPO74======").unwrap();
        let plain = SecretKey::from_base32("AAISEM2EKVTHPCEZVK54ZXPO74").unwrap();
        assert_eq!(padded, plain);
    }

    #[test]
    fn s80_decodes_and_is_flagged_as_short() {
        let key = SecretKey::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(
            key.as_bytes(),
            [0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]
        );
        assert_eq!(key.bits(), 80);
        assert!(key.is_shorter_than_rfc_minimum());
    }

    #[test]
    fn empty_or_blank_secrets_are_refused() {
        for input in ["", "   ", "\n\t", "----", "====", " = "] {
            assert_eq!(
                SecretKey::from_base32(input),
                Err(SecretError::Empty),
                "{input:?}"
            );
        }
    }

    #[test]
    fn characters_outside_base32_are_refused() {
        let inputs = [
            "GEZDGNBVGY3TQOJ0",
            "GEZDGNBVGY3TQOJ1",
            "GEZDGNBV_Y3TQOJQ",
            "GEZDGNBV+Y3TQOJQ",
        ];
        for input in inputs {
            assert_eq!(
                SecretKey::from_base32(input),
                Err(SecretError::InvalidCharacter)
            );
        }
        assert_eq!(
            SecretKey::from_base32("GEZD=GNBV"),
            Err(SecretError::InvalidCharacter)
        );
        assert_eq!(
            SecretKey::from_base32("ＧEZDGNBV"),
            Err(SecretError::InvalidCharacter)
        );
    }

    #[test]
    fn lengths_no_base32_text_can_have_are_refused_and_the_others_decode() {
        for len in 1..=40 {
            let result = SecretKey::from_base32(&"A".repeat(len));
            if matches!(len % 8, 1 | 3 | 6) {
                assert_eq!(result, Err(SecretError::InvalidLength), "length {len}");
            } else {
                assert_eq!(
                    result.unwrap().as_bytes().len(),
                    len * 5 / 8,
                    "length {len}"
                );
            }
        }
    }

    #[test]
    fn c08_generated_secrets_are_160_bits_of_upper_case_base32_without_padding() {
        for _ in 0..20 {
            let key = SecretKey::generate();
            assert_eq!(key.bits(), 160);
            let text = key.to_base32();
            assert_eq!(text.len(), 32);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
            );
        }
    }

    #[test]
    fn generated_secrets_differ() {
        assert_ne!(SecretKey::generate(), SecretKey::generate());
    }

    #[test]
    fn grouped_base32_splits_into_groups_of_four() {
        let key = SecretKey::from_base32(K20_BASE32).unwrap();
        assert_eq!(
            key.grouped_base32(),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        let s128 = SecretKey::from_base32("AAISEM2EKVTHPCEZVK54ZXPO74").unwrap();
        assert_eq!(s128.grouped_base32(), "AAIS EM2E KVTH PCEZ VK54 ZXPO 74");
    }

    #[test]
    fn debug_output_hides_the_key_bytes() {
        let key = SecretKey::from_base32(K20_BASE32).unwrap();
        let debug = format!("{key:?}");
        assert_eq!(debug, "SecretKey(<redacted, 160 bits>)");
        assert!(!debug.contains("GEZD") && !debug.contains("49"));
    }

    proptest! {
        #[test]
        fn base32_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 1..80)) {
            let key = SecretKey::from_bytes(bytes.clone());
            let decoded = SecretKey::from_base32(&key.to_base32()).unwrap();
            prop_assert_eq!(decoded.as_bytes(), &bytes[..]);
            let regrouped = SecretKey::from_base32(&key.grouped_base32().to_lowercase()).unwrap();
            prop_assert_eq!(regrouped.as_bytes(), &bytes[..]);
        }

        #[test]
        fn from_base32_never_panics(input in ".*") {
            let _ = SecretKey::from_base32(&input);
        }
    }
}
