//! QR codes for enrollment, drawn as SVG so phone cameras can read them on any screen.
//!
//! The drawing follows what scanners need: error correction level M, the smallest version that
//! holds the URI as one byte-mode segment, a quiet zone of 4 modules, at least 4 pixels per
//! module and at least 212 pixels in all, black on an opaque white background (a transparent
//! one shows whatever is behind it, dark in a dark theme). Codes of version 12 and up are
//! refused: they are too dense for many cameras, and an enrollment URI only gets there with an
//! over-long issuer or account name.

use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode, Version};

/// The densest QR version we draw; 11 is 61×61 modules.
pub const MAX_VERSION: i16 = 11;

/// Width of the light border around the code, in modules.
pub const QUIET_ZONE_MODULES: usize = 4;

/// The smallest pixel size of one module.
pub const MIN_MODULE_PX: u32 = 4;

/// The smallest width of the whole image, quiet zone included, in pixels.
pub const MIN_SIZE_PX: u32 = 212;

/// Why a QR code could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error("the enrollment link is too long for a QR code")]
    TooLong,
    #[error(
        "the enrollment link needs a QR code of version {version}, too dense for many phone \
         cameras; shorten the issuer or the account name"
    )]
    TooDense { version: i16 },
    #[error("the enrollment link could not be drawn as a QR code: {0}")]
    Encoding(String),
}

/// A drawn QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSvg {
    /// A standalone `<svg>` element, without an XML declaration, ready to inline in HTML.
    pub svg: String,
    /// The QR version (1 to 40): version `v` has `4v + 17` modules a side.
    pub version: i16,
    /// Modules a side, quiet zone included.
    pub modules: usize,
    /// Pixels a side of the drawing at 1×.
    pub size_px: u32,
}

/// Draws `uri` as a QR code; see the module documentation for the rules it follows.
pub fn enrollment_qr_svg(uri: &str) -> Result<QrSvg, QrError> {
    let (code, version) = encode(uri.as_bytes())?;
    if version > MAX_VERSION {
        return Err(QrError::TooDense { version });
    }

    let modules = code.width() + 2 * QUIET_ZONE_MODULES;
    let modules_u32 = u32::try_from(modules).map_err(|_| QrError::TooLong)?;
    let module_px = MIN_SIZE_PX.div_ceil(modules_u32).max(MIN_MODULE_PX);
    let drawing = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(module_px, module_px)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();

    // The renderer starts with an XML declaration, which has no place inside an HTML page.
    let svg = match drawing.find("<svg") {
        Some(start) => drawing[start..].to_owned(),
        None => drawing,
    };
    Ok(QrSvg {
        svg,
        version,
        modules,
        size_px: modules_u32 * module_px,
    })
}

/// Encodes `data` as a single byte-mode segment in the smallest version that holds it.
///
/// The qrcode crate's automatic encoding would switch modes inside the URI (the upper-case
/// secret fits the denser alphanumeric mode). One byte segment is what most generators emit and
/// every scanner reads, and it is the encoding the C27 measurements use (version 7 for the
/// canonical URI, where mixed modes give version 6).
fn encode(data: &[u8]) -> Result<(QrCode, i16), QrError> {
    for version in 1..=40 {
        let mut bits = Bits::new(Version::Normal(version));
        let pushed = bits
            .push_byte_data(data)
            .and_then(|()| bits.push_terminator(EcLevel::M));
        match pushed {
            Ok(()) => {}
            Err(qrcode::types::QrError::DataTooLong) => continue,
            Err(other) => return Err(QrError::Encoding(other.to_string())),
        }
        let code = QrCode::with_bits(bits, EcLevel::M)
            .map_err(|error| QrError::Encoding(error.to_string()))?;
        return Ok((code, version));
    }
    Err(QrError::TooLong)
}

#[cfg(test)]
mod tests;
