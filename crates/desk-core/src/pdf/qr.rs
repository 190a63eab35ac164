//! The QR code of Portaria 195/2020 as vector squares: error correction M, byte mode, version 9 or higher
//! (AT's technical spec, pt-invoicing §4.5), drawn as one filled rectangle per horizontal run of dark modules.

use super::canvas::{Canvas, Ink};
use qrcode::bits::Bits;
use qrcode::{EcLevel, QrCode, Version};

/// The smallest version the spec allows.
const MIN_VERSION: i16 = 9;
/// The white margin around the code, in mm (the spec asks 0.25 cm).
pub(crate) const QUIET_MM: f32 = 2.5;

/// The module matrix of `payload`, or why it cannot be encoded (too long for any version).
pub(crate) fn matrix(payload: &str) -> Result<QrCode, String> {
    let mut last = String::new();
    for v in MIN_VERSION..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        let built = bits
            .push_byte_data(payload.as_bytes())
            .and_then(|()| bits.push_terminator(EcLevel::M))
            .and_then(|()| QrCode::with_bits(bits, EcLevel::M));
        match built {
            Ok(code) => return Ok(code),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

/// Draws `code` as a `size` mm square (quiet zone not included) with its top-left corner at (`x`, `y`).
pub(crate) fn draw(canvas: &mut Canvas<'_>, code: &QrCode, x: f32, y: f32, size: f32) {
    let n = code.width();
    let module = size / n as f32;
    let colors = code.to_colors();
    let mut first = true;
    for (row, cells) in colors.chunks(n).enumerate() {
        let mut col = 0;
        while col < n {
            if cells[col] != qrcode::Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && cells[col] == qrcode::Color::Dark {
                col += 1;
            }
            let (rx, ry, rw) = (x + start as f32 * module, y + row as f32 * module, (col - start) as f32 * module);
            // A hair of overlap downwards so viewers do not show seams between rows.
            if first {
                canvas.fill(rx, ry, rw, module + 0.02, Ink::Black);
                first = false;
            } else {
                canvas.fill_same(rx, ry, rw, module + 0.02);
            }
        }
    }
}
