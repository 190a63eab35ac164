//! What can stop a PDF (errors) and what the PDF had to leave out or change (warnings), each with a message
//! for the user in pt-PT and English.

use desk_model::msg::Localized;
use std::path::PathBuf;

/// Why a PDF could not be made at all. Anything the renderer can work around is a [`RenderWarning`] instead.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font did not parse: the program itself is damaged.
    #[error("the embedded font {0} could not be read; reinstall desk-moloni")]
    Font(&'static str),
    /// The QR payload does not fit a QR code; an issued document may not be printed without one.
    #[error("the QR code of {number} cannot be drawn ({reason}); sync the document again from Moloni")]
    Qr {
        /// The document number.
        number: String,
        /// What the QR encoder said.
        reason: String,
    },
    /// The finished PDF could not be encoded (a bug: nothing the user did causes it).
    #[error("the PDF could not be encoded ({0}); please report this problem")]
    Encode(String),
    /// A folder or file of a batch could not be written.
    #[error("could not write {path}: {source}; check that the folder exists, is writable and has free space")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

impl PdfError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        match self {
            PdfError::Font(name) => Localized::new(
                format!("O tipo de letra {name} incluído no programa não pode ser lido. Reinstale o desk-moloni."),
                self.to_string(),
            ),
            PdfError::Qr { number, reason } => Localized::new(
                format!(
                    "Não é possível desenhar o código QR de {number} ({reason}). Volte a sincronizar o documento \
                     com o Moloni."
                ),
                self.to_string(),
            ),
            PdfError::Encode(reason) => Localized::new(
                format!("Não foi possível codificar o PDF ({reason}). Por favor, comunique este problema."),
                self.to_string(),
            ),
            PdfError::Write { path, source } => Localized::new(
                format!(
                    "Não foi possível gravar {} ({source}). Verifique se a pasta existe, se tem permissão de \
                     escrita e se há espaço livre.",
                    path.display()
                ),
                self.to_string(),
            ),
        }
    }
}

/// What kind of thing a warning is about, so callers can group or filter them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// The logo could not be read or decoded; the PDF has no logo.
    Logo,
    /// Characters the embedded font cannot draw were replaced by `?`.
    MissingGlyphs,
    /// A text was cut short because it could not fit.
    Truncated,
    /// A document of a batch could not be printed at all (its message says why); the others were.
    Skipped,
}

/// Something the PDF left out or changed. The PDF is still valid and complete otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderWarning {
    /// What it is about.
    pub kind: WarningKind,
    /// The message for the user.
    pub message: Localized,
}

impl std::fmt::Display for RenderWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message.fmt(f)
    }
}
