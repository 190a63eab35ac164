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
    let mut score = 0;
    let mut line = vec![false; n];
    for i in 0..n {
        score += line_penalty(&dark[i * n..(i + 1) * n]);
        for (j, cell) in line.iter_mut().enumerate() {
            *cell = dark[j * n + i];
        }
        score += line_penalty(&line);
    }
    for y in 1..n {
        let (up, row) = (&dark[(y - 1) * n..y * n], &dark[y * n..(y + 1) * n]);
        for x in 1..n {
            let c = row[x];
            if c == row[x - 1] && c == up[x] && c == up[x - 1] {
                score += 3;
            }
        }
    }
    let total = dark.len().max(1) as i64;
    let percent = dark.iter().filter(|d| **d).count() as i64 * 100 / total;
    score + 10 * ((percent - 50).unsigned_abs() / 5) as u32
}

/// N1 and N3 of one row or column. N3 slides an 11-module window: 1011101 with four light modules after
/// (`0x5D0`) or before (`0x05D`) it.
fn line_penalty(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 0;
    let mut window = 0u16;
    for (j, &c) in line.iter().enumerate() {
        if j > 0 && c == line[j - 1] {
            run += 1;
        } else {
            score += if run >= 5 { run - 2 } else { 0 };
            run = 1;
        }
        window = ((window << 1) | u16::from(c)) & 0x7FF;
        if j >= 10 && (window == 0x5D0 || window == 0x05D) {
            score += 40;
        }
    }
    score + if run >= 5 { run - 2 } else { 0 }
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

/// The same QR code as the PDF draws, as an SVG image for the app's preview: one path of unit squares with a
/// quiet zone of 4 modules, scaled by the viewer.
pub fn svg(payload: &str) -> Result<String, String> {
    let code = matrix(payload)?;
    let n = code.width;
    let mut path = String::with_capacity(n * n * 8);
    for (i, _) in code.dark.iter().enumerate().filter(|(_, d)| **d) {
        path.push_str(&format!("M{} {}h1v1h-1z", i % n + 4, i / n + 4));
    }
    let side = n + 8;
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
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
