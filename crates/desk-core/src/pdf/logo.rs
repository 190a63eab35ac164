//! The issuer's logo: read from a file or given as bytes, PNG or JPEG. A logo that cannot be read never stops
//! the PDF; it is left out with a warning that says how to fix it.

use super::error::{RenderWarning, WarningKind};
use desk_model::msg::Localized;
use printpdf::RawImage;
use std::path::PathBuf;

/// Where the logo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logo {
    /// The bytes of a PNG or JPEG file.
    Bytes(Vec<u8>),
    /// A PNG or JPEG file.
    Path(PathBuf),
}

/// A decoded logo, ready to add to a PDF.
pub(crate) struct Decoded {
    pub image: RawImage,
    pub px: (usize, usize),
}

fn warning(pt_reason: String, en_reason: String) -> RenderWarning {
    RenderWarning {
        kind: WarningKind::Logo,
        message: Localized::new(
            format!(
                "O logótipo não foi incluído no PDF: {pt_reason}. Escolha um ficheiro PNG ou JPEG válido nos dados \
                 da empresa."
            ),
            format!("The logo was left out of the PDF: {en_reason}. Choose a valid PNG or JPEG file in the company settings."),
        ),
    }
}

/// Reads and decodes the logo; `Err` is the warning to give instead.
pub(crate) fn load(logo: &Logo) -> Result<Decoded, RenderWarning> {
    let read;
    let bytes = match logo {
        Logo::Bytes(b) => b.as_slice(),
        Logo::Path(p) => {
            read = std::fs::read(p).map_err(|e| {
                warning(
                    format!("não foi possível ler {} ({e})", p.display()),
                    format!("could not read {} ({e})", p.display()),
                )
            })?;
            read.as_slice()
        }
    };
    let image = RawImage::decode_from_bytes(bytes, &mut Vec::new()).map_err(|e| {
        warning(
            format!("o ficheiro não é uma imagem PNG ou JPEG legível ({e})"),
            format!("the file is not a readable PNG or JPEG image ({e})"),
        )
    })?;
    let px = (image.width, image.height);
    if px.0 == 0 || px.1 == 0 {
        return Err(warning("a imagem está vazia".into(), "the image is empty".into()));
    }
    Ok(Decoded { image, px })
}

/// The size in mm of a `px` image fitted inside `max_w` × `max_h` mm, keeping its proportions.
pub(crate) fn fit(px: (usize, usize), max_w: f32, max_h: f32) -> (f32, f32) {
    let (w, h) = (px.0 as f32, px.1 as f32);
    let scale = (max_w / w).min(max_h / h);
    (w * scale, h * scale)
}
