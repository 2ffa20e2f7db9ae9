//! An independent RFC 6238 implementation (HMAC-SHA1 only) for computing the codes an
//! authenticator app would show. It shares no code with `staffgate_core::otp`, which is what
//! the tests check.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per time step.
pub const PERIOD_SECS: u64 = 30;

/// The code for `secret` at Unix time `unix_secs`, as a string of exactly `digits` digits.
pub fn totp(secret: &[u8], unix_secs: u64, digits: u32) -> String {
    let counter = unix_secs / PERIOD_SECS;
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();

    // RFC 4226 section 5.3: dynamic truncation.
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let bytes = [
        hash[offset],
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ];
    let binary = u32::from_be_bytes(bytes) & 0x7fff_ffff;
    let code = binary % 10u32.pow(digits);
    format!("{code:0width$}", width = digits as usize)
}

/// The current Unix time in seconds.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

/// The 6-digit code `steps` time steps from now (0 = the code an app shows now).
pub fn code_in(secret: &[u8], steps: i64) -> String {
    let at = now_secs().saturating_add_signed(steps * PERIOD_SECS as i64);
    totp(secret, at, 6)
}

/// Reads the `secret=` parameter of an otpauth URI and decodes its Base32.
pub fn secret_of_uri(uri: &str) -> (String, Vec<u8>) {
    let (_, query) = uri
        .split_once('?')
        .unwrap_or_else(|| panic!("no query in {uri}"));
    let base32 = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("secret="))
        .unwrap_or_else(|| panic!("no secret= in {uri}"))
        .to_owned();
    let bytes = data_encoding::BASE32_NOPAD
        .decode(base32.as_bytes())
        .unwrap_or_else(|error| panic!("secret {base32:?} is not Base32: {error}"));
    (base32, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const K20: &[u8] = b"12345678901234567890";

    #[test]
    fn the_helper_gives_the_rfc_6238_sha1_vectors() {
        let vectors = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        for (at, expected) in vectors {
            assert_eq!(totp(K20, at, 8), expected, "T = {at}");
        }
    }

    #[test]
    fn the_helper_keeps_leading_zeros() {
        assert_eq!(totp(K20, 1_700_004_720, 6), "000101");
        assert_eq!(totp(K20, 1_111_111_109, 6), "081804");
    }

    #[test]
    fn the_helper_agrees_with_oathtool_when_it_is_installed() {
        let Ok(output) = std::process::Command::new("oathtool")
            .args([
                "--totp",
                "--base32",
                "-N",
                "@1111111111",
                "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            ])
            .output()
        else {
            return;
        };
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            totp(K20, 1_111_111_111, 6)
        );
    }
}
