//! The QR code of Portaria 195/2020 as vector squares: error correction M, byte mode, version 9 or higher
//! (AT's technical spec, pt-invoicing §4.5), drawn as one filled rectangle per horizontal run of dark modules.
//! The `qrcode` crate encodes; the mask is chosen here with the ISO 18004 penalty rules, because the crate's
//! own scorer takes about 3 ms, more than the rest of the page.

use super::canvas::{Canvas, Ink};
use qrcode::bits::Bits;
use qrcode::canvas::{Canvas as Grid, MaskPattern};
use qrcode::{ec, Color, EcLevel, QrResult, Version};

/// The smallest version the spec allows.
const MIN_VERSION: i16 = 9;
/// The white margin around the code, in mm (the spec asks 0.25 cm).
pub(crate) const QUIET_MM: f32 = 2.5;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of a QR code, row by row; `true` is dark.
pub(crate) struct Matrix {
    width: usize,
    dark: Vec<bool>,
}

/// The module matrix of `payload`, or why it cannot be encoded (too long for any version).
pub(crate) fn matrix(payload: &str) -> Result<Matrix, String> {
    let mut last = String::new();
    for v in MIN_VERSION..=40 {
        match encode(payload.as_bytes(), Version::Normal(v)) {
            Ok(m) => return Ok(m),
            Err(e) => last = e.to_string(),
        }
    }
    Err(last)
}

fn encode(data: &[u8], version: Version) -> QrResult<Matrix> {
    let mut bits = Bits::new(version);
    bits.push_byte_data(data)?;
    bits.push_terminator(EcLevel::M)?;
    let (codewords, ec_codewords) = ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)?;
    let mut grid = Grid::new(version, EcLevel::M);
    grid.draw_all_functional_patterns();
    grid.draw_data(&codewords, &ec_codewords);
    let width = version.width() as usize;
    let best = MASKS
        .iter()
        .map(|mask| {
            let mut g = grid.clone();
            g.apply_mask(*mask);
            let dark: Vec<bool> = g.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            (penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score);
    Ok(Matrix { width, dark: best.map(|(_, dark)| dark).unwrap_or_default() })
}

/// ISO 18004 §7.8.3 penalty: runs of 5+ (N1), 2×2 blocks (N2), finder-like patterns (N3), dark balance (N4).
fn penalty(dark: &[bool], n: usize) -> u32 {
    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let at = |x: usize, y: usize| dark[y * n + x];
    let mut score = 0u32;
    for horizontal in [true, false] {
        for i in 0..n {
            let cell = |j: usize| if horizontal { at(j, i) } else { at(i, j) };
            let mut run = 1u32;
            for j in 1..n {
                if cell(j) == cell(j - 1) {
                    run += 1;
                } else {
                    score += if run >= 5 { run - 2 } else { 0 };
                    run = 1;
                }
            }
            score += if run >= 5 { run - 2 } else { 0 };
            for j in 0..n.saturating_sub(10) {
                let finder_at = |k: usize| (0..7).all(|t| cell(k + t) == FINDER[t]);
                let light = |k: usize| (0..4).all(|t| !cell(k + t));
                if (finder_at(j) && light(j + 7)) || (light(j) && finder_at(j + 4)) {
                    score += 40;
                }
            }
        }
    }
    for y in 1..n {
        for x in 1..n {
            let c = at(x, y);
            if c == at(x - 1, y) && c == at(x, y - 1) && c == at(x - 1, y - 1) {
                score += 3;
            }
        }
    }
    let total = dark.len().max(1) as i64;
    let percent = dark.iter().filter(|d| **d).count() as i64 * 100 / total;
    score + 10 * ((percent - 50).unsigned_abs() / 5) as u32
}

/// Draws `code` as a `size` mm square (quiet zone not included) with its top-left corner at (`x`, `y`).
pub(crate) fn draw(canvas: &mut Canvas<'_>, code: &Matrix, x: f32, y: f32, size: f32) {
    let n = code.width;
    let module = size / n as f32;
    let mut first = true;
    for (row, cells) in code.dark.chunks(n).enumerate() {
        let mut col = 0;
        while col < cells.len() {
            if !cells[col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < cells.len() && cells[col] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mask_is_the_one_the_penalty_rules_pick() {
        // Same rules as the qrcode crate's (slow) scorer, so the same matrix for a typical payload.
        let payload = "A:509442013*B:501964843*C:PT*D:FT*E:N*F:20260115*G:FT 2026A/17*H:JJ8XK2PM-17*I1:PT*\
                       I2:480.00*I3:69.80*I4:4.19*I7:1891.50*I8:435.05*N:439.24*O:2880.54*Q:Ab9z*R:2860";
        let ours = matrix(payload).map(|m| m.dark).unwrap_or_default();
        let mut bits = Bits::new(Version::Normal(MIN_VERSION));
        let theirs = bits
            .push_byte_data(payload.as_bytes())
            .and_then(|()| bits.push_terminator(EcLevel::M))
            .and_then(|()| qrcode::QrCode::with_bits(bits, EcLevel::M))
            .map(|c| c.to_colors().into_iter().map(|c| c == Color::Dark).collect::<Vec<_>>())
            .unwrap_or_default();
        assert!(!ours.is_empty());
        assert!(ours == theirs, "a different mask from the qrcode crate's");
    }
}
