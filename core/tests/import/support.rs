//! Test helpers: an independent RFC 4226/6238 code generator and a builder for encrypted PSKC.
//!
//! How the encrypted test vectors are made: the builder encrypts a known secret with the
//! RustCrypto `cbc` and `aes` crates (AES-CBC, PKCS#7 padding, a fixed IV written in front of
//! the ciphertext, as RFC 6030 section 6.1 lays out a CipherValue), computes the ValueMAC with
//! the `hmac` crate over that IV and ciphertext, and encrypts the MAC key the same way for the
//! MACMethod. Password files derive the encryption key with `pbkdf2::pbkdf2_hmac` first. None
//! of this goes through the importer, so an import that returns the known secret shows that
//! both sides agree with RFC 6030, not merely with each other.

use aes::{Aes128, Aes192, Aes256};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockCipher, BlockEncryptMut, KeyInit, KeyIvInit};
use data_encoding::BASE64;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};
use staffgate_core::import::{ImportReport, ImportedToken, TokenKind};
use staffgate_core::otp::Algorithm;

pub const PLAIN: &[u8] = include_bytes!("../samples/pskc-plain.xml");
pub const AES128: &[u8] = include_bytes!("../samples/pskc-psk-aes128cbc.xml");
pub const BAD_MAC: &[u8] = include_bytes!("../samples/pskc-psk-bad-valuemac.xml");
pub const NOT_PSKC: &[u8] = include_bytes!("../samples/pskc-not-a-keycontainer.xml");
pub const SEEDS_CSV: &[u8] = include_bytes!("../samples/seeds.csv");

/// The pre-shared key of the encrypted samples.
pub const SAMPLE_PSK: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

pub const K20: &[u8] = b"12345678901234567890";
pub const K32: &[u8] = b"12345678901234567890123456789012";
pub const K64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

pub const TOTP_URI: &str = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
pub const HOTP_URI: &str = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
pub const HMAC_SHA1_URI: &str = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
pub const HMAC_SHA256_URI: &str = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";

/// The RFC 4226 code for `counter`, computed with the hmac and sha crates only.
pub fn hotp(algorithm: Algorithm, key: &[u8], counter: u64, digits: u8) -> String {
    let mac = hmac(algorithm, key, &counter.to_be_bytes());
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let word = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    let code = word % 10u32.pow(u32::from(digits));
    format!("{code:0width$}", width = usize::from(digits))
}

/// The RFC 6238 code an imported TOTP token shows at `unix_secs`.
pub fn totp_code(token: &ImportedToken, unix_secs: u64) -> String {
    let TokenKind::Totp { period_secs, t0 } = token.kind else {
        panic!("{} is not a TOTP token", token.serial);
    };
    let step = (unix_secs - t0) / u64::from(period_secs);
    hotp(token.algorithm, token.secret.as_bytes(), step, token.digits)
}

/// The next `count` codes an imported HOTP token shows.
pub fn next_hotp_codes(token: &ImportedToken, count: u64) -> Vec<String> {
    let TokenKind::Hotp { counter } = token.kind else {
        panic!("{} is not an HOTP token", token.serial);
    };
    let (algorithm, secret) = (token.algorithm, token.secret.as_bytes());
    (counter..counter + count)
        .map(|c| hotp(algorithm, secret, c, token.digits))
        .collect()
}

pub fn hmac(algorithm: Algorithm, key: &[u8], data: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = <M as Mac>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::Sha1 => run::<Hmac<Sha1>>(key, data),
        Algorithm::Sha256 => run::<Hmac<Sha256>>(key, data),
        Algorithm::Sha512 => run::<Hmac<Sha512>>(key, data),
    }
}

/// The token with this serial; fails the test if it was not imported.
pub fn token<'a>(report: &'a ImportReport, serial: &str) -> &'a ImportedToken {
    let found = report.tokens.iter().find(|token| token.serial == serial);
    found.unwrap_or_else(|| panic!("{serial} was not imported: {:?}", report.refused))
}

/// Encrypts values the way a vendor's PSKC export does.
pub struct Encrypter {
    pub key: Vec<u8>,
    pub mac: Algorithm,
    pub mac_key: Vec<u8>,
}

impl Encrypter {
    pub fn new(key: &[u8], mac: Algorithm) -> Self {
        Self {
            key: key.to_vec(),
            mac,
            mac_key: b"an HMAC key of 20 B.".to_vec(),
        }
    }

    pub fn cipher_uri(&self) -> String {
        format!(
            "http://www.w3.org/2001/04/xmlenc#aes{}-cbc",
            self.key.len() * 8
        )
    }

    /// IV || AES-CBC(plain) with PKCS#7 padding.
    pub fn encrypt(&self, iv: [u8; 16], plain: &[u8]) -> Vec<u8> {
        let pad = 16 - plain.len() % 16;
        let mut padded = plain.to_vec();
        padded.extend(std::iter::repeat_n(pad as u8, pad));
        self.encrypt_padded(iv, &padded)
    }

    /// IV || AES-CBC(padded) for input that is already padded to whole blocks.
    pub fn encrypt_padded(&self, iv: [u8; 16], padded: &[u8]) -> Vec<u8> {
        fn run<C: BlockCipher + BlockEncryptMut + KeyInit>(
            key: &[u8],
            iv: [u8; 16],
            padded: &[u8],
        ) -> Vec<u8> {
            let encryptor = cbc::Encryptor::<C>::new_from_slices(key, &iv).unwrap();
            let ciphertext = encryptor.encrypt_padded_vec_mut::<NoPadding>(padded);
            [iv.as_slice(), &ciphertext].concat()
        }
        match self.key.len() {
            16 => run::<Aes128>(&self.key, iv, padded),
            24 => run::<Aes192>(&self.key, iv, padded),
            32 => run::<Aes256>(&self.key, iv, padded),
            other => panic!("no AES key has {other} bytes"),
        }
    }

    pub fn mac_uri(&self) -> &'static str {
        match self.mac {
            Algorithm::Sha1 => HMAC_SHA1_URI,
            Algorithm::Sha256 => HMAC_SHA256_URI,
            Algorithm::Sha512 => "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512",
        }
    }

    /// An `<EncryptedValue>` and its `<ValueMAC>` over IV and ciphertext.
    pub fn value(&self, iv: [u8; 16], plain: &[u8]) -> String {
        self.value_from_cipher(&self.encrypt(iv, plain))
    }

    pub fn value_from_cipher(&self, cipher_value: &[u8]) -> String {
        let mac = hmac(self.mac, &self.mac_key, cipher_value);
        format!(
            "{}<ValueMAC>{}</ValueMAC>",
            self.encrypted(cipher_value),
            BASE64.encode(&mac)
        )
    }

    pub fn encrypted(&self, cipher_value: &[u8]) -> String {
        format!(
            "<EncryptedValue><xenc:EncryptionMethod Algorithm=\"{}\"/><xenc:CipherData>\
             <xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></EncryptedValue>",
            self.cipher_uri(),
            BASE64.encode(cipher_value)
        )
    }

    /// The `<MACMethod>` carrying the MAC key encrypted under the encryption key.
    pub fn mac_method(&self) -> String {
        let mac_key = self.encrypt([0xee; 16], &self.mac_key);
        format!(
            "<MACMethod Algorithm=\"{}\"><MACKey><xenc:EncryptionMethod Algorithm=\"{}\"/>\
             <xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData>\
             </MACKey></MACMethod>",
            self.mac_uri(),
            self.cipher_uri(),
            BASE64.encode(&mac_key)
        )
    }
}

/// A `KeyContainer` around the given header (EncryptionKey, MACMethod) and packages.
pub fn container(header: &str, packages: &[String]) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"\n \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"\n \
         xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"\n \
         xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\"\n \
         xmlns:pkcs5=\"http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#\">\n\
         {header}\n{}\n</KeyContainer>\n",
        packages.join("\n")
    )
    .into_bytes()
}

/// One `KeyPackage`; `data` holds the `<Secret>` and the other `Data` children.
pub fn package(serial: &str, algorithm: &str, parameters: &str, data: &str) -> String {
    format!(
        "<KeyPackage>\n<DeviceInfo><Manufacturer>TestVendor</Manufacturer>\
         <SerialNo>{serial}</SerialNo></DeviceInfo>\n\
         <Key Id=\"{serial}\" Algorithm=\"{algorithm}\">\n\
         <AlgorithmParameters>{parameters}</AlgorithmParameters>\n<Data>{data}</Data>\n\
         </Key>\n</KeyPackage>"
    )
}

/// `<AlgorithmParameters>` content for a suite and code length.
pub fn parameters(suite: &str, digits: u8) -> String {
    format!("<Suite>{suite}</Suite><ResponseFormat Length=\"{digits}\" Encoding=\"DECIMAL\"/>")
}

/// `<EncryptionKey>` for a pre-shared key.
pub fn key_name() -> String {
    "<EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>".into()
}

/// `<EncryptionKey>` for a password, with RFC 6030 section 6.2's PBKDF2 parameters.
pub fn derived_key(
    salt: &[u8],
    rounds: u32,
    key_length: Option<usize>,
    prf: Option<&str>,
) -> String {
    let key_length = key_length.map(|len| format!("<KeyLength>{len}</KeyLength>"));
    let prf = prf.map(|uri| format!("<PRF Algorithm=\"{uri}\"/>"));
    format!(
        "<EncryptionKey><xenc11:DerivedKey><xenc11:KeyDerivationMethod \
         Algorithm=\"http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2\">\
         <pkcs5:PBKDF2-params><Salt><Specified>{}</Specified></Salt>\
         <IterationCount>{rounds}</IterationCount>{}{}</pkcs5:PBKDF2-params>\
         </xenc11:KeyDerivationMethod></xenc11:DerivedKey></EncryptionKey>",
        BASE64.encode(salt),
        key_length.unwrap_or_default(),
        prf.unwrap_or_default()
    )
}

/// `<Secret>` with a plain base64 value.
pub fn plain_secret(secret: &[u8]) -> String {
    format!(
        "<Secret><PlainValue>{}</PlainValue></Secret>",
        BASE64.encode(secret)
    )
}
