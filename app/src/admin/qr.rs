//! QR codes as SVG path data: each dark module a 1×1 square, with the 4-module quiet zone
//! the standard asks for, so a phone camera reads it from a printed card.

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// The side (modules, quiet zone included) and the path of the QR code for `text`;
/// `None` if the text is too long for any QR version.
pub fn path(text: &str) -> Option<(u32, String)> {
    // M: survives a scratched or dirty sticker (about 15% of the modules).
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let n = code.width();
    let colors = code.to_colors();
    let mut d = String::with_capacity(n * n * 6);
    for y in 0..n {
        for x in 0..n {
            if colors[y * n + x] == Color::Dark {
                let _ = write!(d, "M{} {}h1v1h-1z", x + 4, y + 4);
            }
        }
    }
    Some((n as u32 + 8, d))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_counter_address_makes_a_square_code_with_a_quiet_zone() {
        let (size, d) = super::path("https://counterpoint.example.gov/c/A01").unwrap();
        // 38 bytes at level M fits version 3 (29 modules) + 8 of quiet zone.
        assert_eq!(size, 37);
        assert!(d.starts_with("M4 4h1v1h-1z"), "the top-left finder pattern is dark");
        assert!(super::path(&"x".repeat(5000)).is_none());
    }
}
