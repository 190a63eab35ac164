//! Breaking text into lines that fit a width: at spaces where it can, inside a word only when a single word
//! is wider than the line (an IBAN, a URL, a 5 000-character paste without spaces).

use super::fonts::Face;

/// The lines of `text` at `size` points that each fit `width` mm. Line breaks in the text are kept.
pub(crate) fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        wrap_paragraph(face, paragraph.trim_end(), size, width, &mut out);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn wrap_paragraph(face: &Face, text: &str, size: f32, width: f32, out: &mut Vec<String>) {
    if face.width_mm(text, size) <= width {
        out.push(text.to_string());
        return;
    }
    let space = face.width_mm(" ", size);
    let mut line = String::new();
    let mut line_w = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_w = face.width_mm(word, size);
        if !line.is_empty() && line_w + space + word_w <= width {
            line.push(' ');
            line.push_str(word);
            line_w += space + word_w;
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        if word_w <= width {
            line.push_str(word);
            line_w = word_w;
        } else {
            line_w = break_word(face, word, size, width, out, &mut line);
        }
    }
    if !line.is_empty() {
        out.push(line);
    }
}

/// Splits a word wider than the line by characters; the last piece stays in `line` for what follows.
fn break_word(face: &Face, word: &str, size: f32, width: f32, out: &mut Vec<String>, line: &mut String) -> f32 {
    let mut w = 0.0;
    let mut buf = [0u8; 4];
    for c in word.chars() {
        let cw = face.width_mm(c.encode_utf8(&mut buf), size);
        if w + cw > width && !line.is_empty() {
            out.push(std::mem::take(line));
            w = 0.0;
        }
        line.push(c);
        w += cw;
    }
    w
}
