//! Keys and credentials from the cases README, shared by the tests of several modules.

use crate::otp::params::{Algorithm, Digits, OtpParams, Period};
use crate::otp::secret::SecretKey;
use crate::otp::totp::OtpKey;

/// The RFC 4226 and 6238 seeds: ASCII digits repeated to the wanted length.
pub(crate) fn rfc_seed(len: usize) -> SecretKey {
    SecretKey::from_bytes(b"1234567890".iter().copied().cycle().take(len).collect())
}

/// A credential with the given parameters; panics on values the cases never use.
pub(crate) fn key(secret: SecretKey, algorithm: Algorithm, digits: u8, period: u32) -> OtpKey {
    let digits = Digits::new(digits).unwrap();
    let period = Period::any(period).unwrap();
    OtpKey::new(
        secret,
        OtpParams {
            algorithm,
            digits,
            period,
        },
    )
}

/// K20 with the defaults (SHA1, 6 digits, 30 s): the credential most cases use.
pub(crate) fn k20() -> OtpKey {
    OtpKey::new(rfc_seed(20), OtpParams::default())
}
