//! Sealing TOTP secrets at rest.
//!
//! Secrets are encrypted with XChaCha20-Poly1305 under a 256-bit key kept in a file beside the
//! database (created with mode 0600 on first start). A copy of the database alone does not
//! reveal any secret. The random 192-bit nonce is stored in front of each ciphertext.

use std::fs;
use std::io::Write;
use std::path::Path;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// Binds ciphertexts to their purpose, so a sealed secret cannot be mistaken for other data.
const ASSOCIATED_DATA: &[u8] = b"staffgate totp secret v1";

/// Encrypts and decrypts secrets with the installation's key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key redacted>)")
    }
}

/// A failure to load the key file or to open a sealed secret.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("could not read or create the secret key file {path}: {source}")]
    KeyFile {
        path: String,
        source: std::io::Error,
    },
    #[error("the secret key file {0} must hold exactly 32 bytes")]
    KeyLength(String),
    #[error("a stored secret could not be decrypted (wrong key file, or damaged data)")]
    Open,
}

impl SecretBox {
    /// Loads the key from `path`, creating it (mode 0600) if it does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<Self, CryptoError> {
        let shown = path.display().to_string();
        let io_error = |source| CryptoError::KeyFile {
            path: shown.clone(),
            source,
        };

        let key = match fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let key = XChaCha20Poly1305::generate_key(&mut OsRng);
                write_private(path, &key).map_err(io_error)?;
                tracing::info!(path = %shown, "created a new secret key file");
                key.to_vec()
            }
            Err(error) => return Err(io_error(error)),
        };
        if key.len() != KEY_LEN {
            return Err(CryptoError::KeyLength(shown));
        }
        Ok(Self::from_key(&key))
    }

    /// A box over a key held in memory (tests).
    pub fn from_key(key: &[u8]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(Key::from_slice(key)),
        }
    }

    /// Encrypts `secret`; the output holds the nonce and the ciphertext.
    pub fn seal(&self, secret: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: secret,
            aad: ASSOCIATED_DATA,
        };
        let ciphertext = self
            .cipher
            .encrypt(&nonce, payload)
            .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory secrets");
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    /// Decrypts what [`SecretBox::seal`] produced.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(CryptoError::Open);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: ASSOCIATED_DATA,
        };
        self.cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError::Open)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;

    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_to_the_same_bytes() {
        let secret_box = SecretBox::from_key(&[7; KEY_LEN]);
        let sealed = secret_box.seal(b"12345678901234567890");
        assert_eq!(secret_box.open(&sealed).unwrap(), b"12345678901234567890");
        assert!(
            !sealed
                .windows(20)
                .any(|window| window == b"12345678901234567890")
        );
    }

    #[test]
    fn a_sealed_secret_does_not_open_under_another_key_or_when_changed() {
        let sealed = SecretBox::from_key(&[7; KEY_LEN]).seal(b"secret");
        assert!(SecretBox::from_key(&[8; KEY_LEN]).open(&sealed).is_err());

        let mut damaged = sealed.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(SecretBox::from_key(&[7; KEY_LEN]).open(&damaged).is_err());
        assert!(
            SecretBox::from_key(&[7; KEY_LEN])
                .open(&sealed[..10])
                .is_err()
        );
    }

    #[test]
    fn the_key_file_is_created_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("staffgate-key-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("secret.key");
        let _ = fs::remove_file(&path);

        let first = SecretBox::load_or_create(&path).unwrap();
        let sealed = first.seal(b"kept");
        let second = SecretBox::load_or_create(&path).unwrap();
        assert_eq!(second.open(&sealed).unwrap(), b"kept");

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
