//! The embedded fonts (DejaVu Sans, Bitstream Vera licence: `assets/fonts/LICENSE`): their bytes, the parsed
//! faces printpdf embeds, and the glyph widths the layout measures text with. Parsed once per process.

use super::error::PdfError;
use printpdf::ParsedFont;
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Characters below this have their widths in a table; the rest are looked up in the font.
const TABLE_CHARS: usize = 0x250;

/// One face: its printpdf form and its metrics.
pub(crate) struct Face {
    /// The parsed font printpdf embeds (and subsets).
    pub parsed: ParsedFont,
    face: ttf_parser::Face<'static>,
    /// Advance widths in font units per em, for the Latin range (0 = no glyph).
    table: Vec<u16>,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8], name: &'static str) -> Result<Face, PdfError> {
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(PdfError::Font(name))?;
        let face = ttf_parser::Face::parse(bytes, 0).map_err(|_| PdfError::Font(name))?;
        let table =
            (0..TABLE_CHARS as u32).map(|c| char::from_u32(c).map_or(0, |c| advance(&face, c).unwrap_or(0))).collect();
        let units_per_em = f32::from(face.units_per_em());
        Ok(Face { parsed, face, table, units_per_em })
    }

    fn units(&self, c: char) -> Option<u16> {
        match self.table.get(c as usize) {
            Some(0) => None,
            Some(w) => Some(*w),
            None => advance(&self.face, c),
        }
    }

    /// Whether the font can draw `c` (spaces and the like count as drawable).
    pub fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some()
    }

    /// The width of `text` at `size` points, in millimetres. Characters without a glyph count as `?`.
    pub fn width_mm(&self, text: &str, size: f32) -> f32 {
        let fallback = self.units('?').unwrap_or(0);
        let units: u32 = text.chars().map(|c| u32::from(self.units(c).unwrap_or(fallback))).sum();
        units as f32 / self.units_per_em * size * MM_PER_PT
    }
}

fn advance(face: &ttf_parser::Face<'_>, c: char) -> Option<u16> {
    face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).filter(|w| *w > 0)
}

/// Millimetres per typographic point.
pub(crate) const MM_PER_PT: f32 = 25.4 / 72.0;

/// Both faces of the family.
pub(crate) struct Fonts {
    /// DejaVu Sans.
    pub regular: Face,
    /// DejaVu Sans Bold.
    pub bold: Face,
}

impl Fonts {
    /// The fonts, parsed on first use.
    pub fn get() -> Result<&'static Fonts, PdfError> {
        static FONTS: OnceLock<Result<Fonts, &'static str>> = OnceLock::new();
        let loaded = FONTS.get_or_init(|| {
            let load = |bytes, name| Face::load(bytes, name).map_err(|_| name);
            Ok(Fonts { regular: load(REGULAR, "DejaVuSans.ttf")?, bold: load(BOLD, "DejaVuSans-Bold.ttf")? })
        });
        loaded.as_ref().map_err(|name| PdfError::Font(name))
    }

    /// The face for a weight.
    pub fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// Whether both faces can draw `c`.
    pub fn has(&self, c: char) -> bool {
        self.regular.has(c) && self.bold.has(c)
    }
}
