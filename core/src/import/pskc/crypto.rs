//! The ciphers, MACs and key derivation of RFC 6030 section 6, all from RustCrypto crates.

use cbc::cipher::block_padding::Iso10126;
use cbc::cipher::{BlockCipher, BlockDecryptMut, KeyInit, KeyIvInit};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::import::ImportError;

const AES_BLOCK: usize = 16;

/// AES in CBC mode, with the key size an XML Encryption `Algorithm` URI names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cipher {
    Aes128,
    Aes192,
    Aes256,
}

impl Cipher {
    /// Reads an `xenc:EncryptionMethod` algorithm.
    pub fn from_uri(uri: &str) -> Result<Self, ImportError> {
        match uri.trim() {
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => Ok(Self::Aes128),
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => Ok(Self::Aes192),
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => Ok(Self::Aes256),
            other => Err(ImportError::UnsupportedEncryption(other.into())),
        }
    }

    /// Key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Aes128 => "AES-128-CBC",
            Self::Aes192 => "AES-192-CBC",
            Self::Aes256 => "AES-256-CBC",
        }
    }

    /// Decrypts a CipherValue: a 16-byte IV, then the ciphertext.
    ///
    /// Padding follows XML Encryption: only the last byte (the pad length) is checked,
    /// because the other pad bytes may be random. Integrity comes from the ValueMAC.
    pub fn decrypt(self, key: &[u8], cipher_value: &[u8]) -> Result<Vec<u8>, ImportError> {
        if key.len() != self.key_len() {
            let (expected, actual) = (self.key_len(), key.len());
            return Err(ImportError::KeyLength {
                cipher: self.name(),
                expected,
                actual,
            });
        }
        if cipher_value.len() < 2 * AES_BLOCK || !cipher_value.len().is_multiple_of(AES_BLOCK) {
            return Err(ImportError::InvalidPskc(format!(
                "a CipherValue of {} bytes is not an IV followed by whole AES blocks",
                cipher_value.len()
            )));
        }
        let (iv, ciphertext) = cipher_value.split_at(AES_BLOCK);
        let plain = match self {
            Self::Aes128 => decrypt_cbc::<aes::Aes128>(key, iv, ciphertext),
            Self::Aes192 => decrypt_cbc::<aes::Aes192>(key, iv, ciphertext),
            Self::Aes256 => decrypt_cbc::<aes::Aes256>(key, iv, ciphertext),
        };
        plain.ok_or(ImportError::WrongKey)
    }
}

fn decrypt_cbc<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor
        .decrypt_padded_vec_mut::<Iso10126>(ciphertext)
        .ok()
}

/// An HMAC named by an XML Signature URI, used for ValueMAC and as the PBKDF2 PRF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MacAlgorithm {
    HmacSha1,
    HmacSha256,
}

impl MacAlgorithm {
    /// Reads a `MACMethod` or `PRF` algorithm; `None` if the URI names another one.
    pub fn from_uri(uri: &str) -> Option<Self> {
        match uri.trim() {
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1" => Some(Self::HmacSha1),
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256" => Some(Self::HmacSha256),
            _ => None,
        }
    }

    /// Checks `tag` against the HMAC of `data`, in constant time; a truncated tag fails.
    pub fn verify(self, key: &[u8], data: &[u8], tag: &[u8]) -> bool {
        match self {
            Self::HmacSha1 => verify_hmac::<Hmac<Sha1>>(key, data, tag),
            Self::HmacSha256 => verify_hmac::<Hmac<Sha256>>(key, data, tag),
        }
    }

    /// PBKDF2 with this HMAC as the pseudo-random function.
    pub fn pbkdf2(self, password: &[u8], salt: &[u8], rounds: u32, len: usize) -> Vec<u8> {
        let mut key = vec![0; len];
        match self {
            Self::HmacSha1 => pbkdf2::pbkdf2_hmac::<Sha1>(password, salt, rounds, &mut key),
            Self::HmacSha256 => pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, rounds, &mut key),
        }
        key
    }
}

fn verify_hmac<M: Mac + hmac::digest::KeyInit>(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    let Ok(mut mac) = <M as Mac>::new_from_slice(key) else {
        return false;
    };
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap()
    }

    #[test]
    fn the_sample_mac_key_decrypts_under_the_pre_shared_key() {
        let psk = hex("0102030405060708090a0b0c0d0e0f10");
        let cipher_value = data_encoding::BASE64
            .decode(b"AAECAwQFBgcICQoLDA0ODzX/HPHX2KHcm0xfLFuF8ARlgtKkBmsyY88Q3c0CAOxa")
            .unwrap();
        let mac_key = Cipher::Aes128.decrypt(&psk, &cipher_value).unwrap();
        assert_eq!(mac_key.len(), 20);
    }

    #[test]
    fn bad_lengths_are_reported_before_any_decryption() {
        let error = Cipher::Aes256.decrypt(&[0; 16], &[0; 32]).unwrap_err();
        assert_eq!(
            error,
            ImportError::KeyLength {
                cipher: "AES-256-CBC",
                expected: 32,
                actual: 16
            }
        );
        for len in [0, 16, 31, 33] {
            let error = Cipher::Aes128.decrypt(&[0; 16], &vec![0; len]).unwrap_err();
            assert!(
                matches!(error, ImportError::InvalidPskc(_)),
                "{len}: {error:?}"
            );
        }
    }

    #[test]
    fn only_a_pad_length_of_one_to_sixteen_bytes_is_accepted() {
        // Changing the IV's last byte runs the last plaintext byte through all 256 values.
        let mut lengths = Vec::new();
        for last in 0..=255u8 {
            let mut cipher_value = [0; 32];
            cipher_value[15] = last;
            match Cipher::Aes128.decrypt(&[7; 16], &cipher_value) {
                Ok(plain) => lengths.push(plain.len()),
                Err(error) => assert_eq!(error, ImportError::WrongKey),
            }
        }
        lengths.sort_unstable();
        assert_eq!(lengths, (0..16).collect::<Vec<_>>());
    }

    #[test]
    fn unknown_algorithm_uris_are_refused() {
        let kw = "http://www.w3.org/2001/04/xmlenc#kw-aes128";
        assert_eq!(
            Cipher::from_uri(kw),
            Err(ImportError::UnsupportedEncryption(kw.into()))
        );
        assert_eq!(
            MacAlgorithm::from_uri("http://www.w3.org/2000/09/xmldsig#hmac-md5"),
            None
        );
    }

    #[test]
    fn hmacs_match_rfc_2202_and_4231_and_refuse_truncated_tags() {
        let key = [0x0b; 20];
        let sha1 = hex("b617318655057264e28bc0b6fb378c8ef146be00");
        let sha256 = hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        assert!(MacAlgorithm::HmacSha1.verify(&key, b"Hi There", &sha1));
        assert!(MacAlgorithm::HmacSha256.verify(&key, b"Hi There", &sha256));
        assert!(!MacAlgorithm::HmacSha1.verify(&key, b"Hi There", &sha1[..10]));
        assert!(!MacAlgorithm::HmacSha256.verify(&key, b"Hi there", &sha256));
    }

    #[test]
    fn pbkdf2_matches_rfc_6070_and_the_rfc_6030_example() {
        let derived = MacAlgorithm::HmacSha1.pbkdf2(b"password", b"salt", 2, 20);
        assert_eq!(derived, hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"));

        let salt = data_encoding::BASE64.decode(b"Ej7/PEpyEpw=").unwrap();
        let derived = MacAlgorithm::HmacSha1.pbkdf2(b"qwerty", &salt, 1000, 16);
        assert_eq!(derived, hex("651e63cd57008476af1ff6422cd02e41"));
    }
}
