//! The page grid: margins, bands and table columns, in millimetres from the top-left corner. One place to
//! change when the layout moves.

/// Left edge of the content.
pub(crate) const LEFT: f32 = 15.0;
/// Right edge of the content.
pub(crate) const RIGHT: f32 = 195.0;
/// Top margin.
pub(crate) const TOP: f32 = 14.0;
/// Nothing but the footer goes below this.
pub(crate) const CONTENT_BOTTOM: f32 = 271.0;
/// Baseline of the ATCUD on pages without the QR code (footer band).
pub(crate) const ATCUD_BASELINE: f32 = 276.5;
/// The rule above the footer.
pub(crate) const FOOTER_RULE: f32 = 279.5;
/// First footer baseline.
pub(crate) const FOOTER_LINE_1: f32 = 283.5;
/// Second footer baseline.
pub(crate) const FOOTER_LINE_2: f32 = 287.5;

/// Body text size of the lines table, points.
pub(crate) const ROW_SIZE: f32 = 8.5;
/// Distance between wrapped description lines.
pub(crate) const ROW_LINE: f32 = 3.9;
/// Space above and below the text of a row.
pub(crate) const ROW_PAD: f32 = 1.3;
/// Height of an "A transportar" / "Transporte" row.
pub(crate) const CARRY_ROW: f32 = 6.5;

/// How a column aligns its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A column of the lines table: its left and right edges.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub left: f32,
    pub right: f32,
    pub align: Align,
}

impl Column {
    /// Usable width for text (a little padding on each side).
    pub fn width(&self) -> f32 {
        self.right - self.left - 2.0
    }
    /// Where text starts (left aligned) or ends (right aligned).
    pub fn anchor(&self) -> f32 {
        match self.align {
            Align::Left => self.left + 1.0,
            Align::Right => self.right - 1.0,
        }
    }
}

const fn col(left: f32, right: f32, align: Align) -> Column {
    Column { left, right, align }
}

/// Description, quantity, unit price, discount, VAT, amount.
pub(crate) const COLUMNS: [Column; 6] = [
    col(LEFT, 104.0, Align::Left),
    col(104.0, 118.0, Align::Right),
    col(118.0, 141.0, Align::Right),
    col(141.0, 154.0, Align::Right),
    col(154.0, 168.0, Align::Right),
    col(168.0, RIGHT, Align::Right),
];

/// Baseline of text of `size` points whose line box starts at `top`.
pub(crate) fn baseline(top: f32, size: f32) -> f32 {
    top + size * 0.3528 * 0.78
}
