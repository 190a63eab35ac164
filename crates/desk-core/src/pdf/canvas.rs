//! A page being drawn: millimetre coordinates from the top-left corner (as a designer measures a page),
//! turned into printpdf operations. Graphics go first and all text after it in a single text object, each
//! string placed with an absolute text matrix (`Tm`), because printpdf's `SetTextCursor` (`Td`) is relative.

use super::fonts::Fonts;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, TextMatrix,
    WindingOrder, XObjectId, XObjectTransform,
};

/// A4 portrait, in millimetres.
pub(crate) const PAGE_W: f32 = 210.0;
/// A4 portrait, in millimetres.
pub(crate) const PAGE_H: f32 = 297.0;

/// The few colours of the document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    /// Body text and the QR modules.
    Black,
    /// Captions and secondary text.
    Muted,
    /// Titles and rules that structure the page.
    Accent,
    /// The light fill behind table headers.
    Shade,
    /// Thin row separators.
    Hairline,
    /// The draft watermark: light enough to read the document through it.
    Watermark,
}

impl Ink {
    fn color(self) -> Color {
        let (r, g, b) = match self {
            Ink::Black => (0.0, 0.0, 0.0),
            Ink::Muted => (0.36, 0.38, 0.42),
            Ink::Accent => (0.09, 0.24, 0.42),
            Ink::Shade => (0.91, 0.93, 0.96),
            Ink::Hairline => (0.80, 0.82, 0.85),
            Ink::Watermark => (0.86, 0.62, 0.62),
        };
        Color::Rgb(Rgb { r, g, b, icc_profile: None })
    }
}

/// Size, weight and colour of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    /// Points.
    pub size: f32,
    /// DejaVu Sans Bold instead of Regular.
    pub bold: bool,
    /// Colour.
    pub ink: Ink,
}

impl Style {
    /// Regular black text.
    pub const fn plain(size: f32) -> Style {
        Style { size, bold: false, ink: Ink::Black }
    }
    /// Bold black text.
    pub const fn bold(size: f32) -> Style {
        Style { size, bold: true, ink: Ink::Black }
    }
    /// The same, in another colour.
    pub const fn ink(self, ink: Ink) -> Style {
        Style { ink, ..self }
    }
}

/// The font resources a page refers to.
#[derive(Debug, Clone)]
pub(crate) struct FontIds {
    /// DejaVu Sans.
    pub regular: FontId,
    /// DejaVu Sans Bold.
    pub bold: FontId,
}

/// One page's drawing operations.
pub(crate) struct Canvas<'a> {
    fonts: &'a Fonts,
    ids: &'a FontIds,
    gfx: Vec<Op>,
    text: Vec<Op>,
    font: Option<(bool, f32)>,
    fill: Option<Ink>,
}

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

/// A point given from the top-left, in PDF space.
fn point(x: f32, y_from_top: f32) -> Point {
    Point::new(Mm(x), Mm(PAGE_H - y_from_top))
}

impl<'a> Canvas<'a> {
    /// An empty page.
    pub fn new(fonts: &'a Fonts, ids: &'a FontIds) -> Canvas<'a> {
        Canvas { fonts, ids, gfx: Vec::with_capacity(64), text: Vec::with_capacity(512), font: None, fill: None }
    }

    /// The fonts, for measuring.
    pub fn fonts(&self) -> &'a Fonts {
        self.fonts
    }

    /// The width of `s` in `style`, in millimetres.
    pub fn width(&self, style: Style, s: &str) -> f32 {
        self.fonts.face(style.bold).width_mm(s, style.size)
    }

    fn set_style(&mut self, style: Style) {
        if self.font != Some((style.bold, style.size)) {
            let id = if style.bold { &self.ids.bold } else { &self.ids.regular };
            self.text.push(Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(style.size) });
            self.font = Some((style.bold, style.size));
        }
        if self.fill != Some(style.ink) {
            self.text.push(Op::SetFillColor { col: style.ink.color() });
            self.fill = Some(style.ink);
        }
    }

    fn show(&mut self, matrix: TextMatrix, style: Style, s: &str) {
        if s.is_empty() {
            return;
        }
        self.set_style(style);
        self.text.push(Op::SetTextMatrix { matrix });
        self.text.push(Op::ShowText { items: vec![TextItem::Text(s.to_string())] });
    }

    /// Text starting at `x`, its baseline at `y`.
    pub fn text(&mut self, x: f32, y: f32, style: Style, s: &str) {
        self.show(TextMatrix::Translate(pt(x), pt(PAGE_H - y)), style, s);
    }

    /// Text ending at `x_right`.
    pub fn text_right(&mut self, x_right: f32, y: f32, style: Style, s: &str) {
        let w = self.width(style, s);
        self.text(x_right - w, y, style, s);
    }

    /// Text whose baseline starts at (`x`, `y`) and climbs `degrees` counter-clockwise.
    pub fn text_rotated(&mut self, x: f32, y: f32, degrees: f32, style: Style, s: &str) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let m = [cos, sin, -sin, cos, pt(x).0, pt(PAGE_H - y).0];
        self.show(TextMatrix::Raw(m), style, s);
    }

    /// A horizontal rule `thickness` points thick.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, ink: Ink) {
        self.gfx.push(Op::SetOutlineColor { col: ink.color() });
        self.gfx.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let points = [point(x1, y), point(x2, y)].map(|p| LinePoint { p, bezier: false }).to_vec();
        self.gfx.push(Op::DrawLine { line: Line { points, is_closed: false } });
    }

    /// A rectangle outline `thickness` points thick.
    pub fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, thickness: f32, ink: Ink) {
        self.gfx.push(Op::SetOutlineColor { col: ink.color() });
        self.gfx.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        let points = [point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h)]
            .map(|p| LinePoint { p, bezier: false });
        self.gfx.push(Op::DrawLine { line: Line { points: points.to_vec(), is_closed: true } });
    }

    /// A filled rectangle; `y` is its top edge.
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        self.gfx.push(Op::SetFillColor { col: ink.color() });
        self.fill_same(x, y, w, h);
    }

    /// A filled rectangle in the colour of the previous [`Canvas::fill`] (the QR code draws hundreds).
    pub fn fill_same(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let rectangle = Rect {
            x: pt(x),
            y: pt(PAGE_H - y - h),
            width: pt(w),
            height: pt(h),
            mode: Some(PaintMode::Fill),
            winding_order: Some(WindingOrder::NonZero),
        };
        self.gfx.push(Op::DrawRectangle { rectangle });
    }

    /// An image `w` × `h` mm with its top-left corner at (`x`, `y`); `px` is its size in pixels.
    pub fn image(&mut self, id: &XObjectId, x: f32, y: f32, w: f32, h: f32, px: (usize, usize)) {
        // At 72 dpi one pixel is one point, so the scale is simply points wanted per pixel.
        let transform = XObjectTransform {
            translate_x: Some(pt(x)),
            translate_y: Some(pt(PAGE_H - y - h)),
            scale_x: Some(pt(w).0 / px.0.max(1) as f32),
            scale_y: Some(pt(h).0 / px.1.max(1) as f32),
            dpi: Some(72.0),
            ..XObjectTransform::default()
        };
        self.gfx.push(Op::SaveGraphicsState);
        self.gfx.push(Op::UseXobject { id: id.clone(), transform });
        self.gfx.push(Op::RestoreGraphicsState);
    }

    /// The page's operations: graphics, then one text object.
    pub fn into_ops(mut self) -> Vec<Op> {
        let mut ops = self.gfx;
        if !self.text.is_empty() {
            ops.reserve(self.text.len() + 2);
            ops.push(Op::StartTextSection);
            ops.append(&mut self.text);
            ops.push(Op::EndTextSection);
        }
        ops
    }
}
