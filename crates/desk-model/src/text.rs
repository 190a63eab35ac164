//! Free text rules: folding for accent-blind search, and the checks every stored text field passes.

use crate::msg::Localized;
use unicode_normalization::UnicodeNormalization;

/// Lower-cases and strips diacritics, so "João Gonçalves" and "joao goncalves" compare equal.
/// The engine stores this form for search and the UI uses it to highlight matches.
pub fn fold(s: &str) -> String {
    s.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// Why a text field was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Required and blank.
    #[error("required")]
    Required,
    /// Longer than the field allows.
    #[error("too long: {len} characters, at most {max}")]
    TooLong {
        /// Characters given.
        len: usize,
        /// Characters allowed.
        max: usize,
    },
    /// Emoji or pictographs, which fiscal documents (SAF-T, Windows-1252) cannot carry.
    #[error("contains emoji or pictographs")]
    Pictograph,
    /// Control characters (other than line breaks in multi-line fields).
    #[error("contains control characters")]
    Control,
}

impl TextError {
    /// The message for the user, naming the field.
    pub fn message(&self, field: &Localized) -> Localized {
        match self {
            TextError::Required => {
                Localized::new(format!("Preencha o campo «{}».", field.pt), format!("Fill in «{}».", field.en))
            }
            TextError::TooLong { len, max } => Localized::new(
                format!("«{}» tem {len} caracteres; o máximo é {max}. Encurte o texto.", field.pt),
                format!("«{}» has {len} characters; the maximum is {max}. Shorten it.", field.en),
            ),
            TextError::Pictograph => Localized::new(
                format!("Retire os emojis e símbolos de «{}»: não podem constar de documentos fiscais.", field.pt),
                format!("Remove the emoji and symbols from «{}»: fiscal documents cannot carry them.", field.en),
            ),
            TextError::Control => Localized::new(
                format!("«{}» tem caracteres de controlo invisíveis. Escreva o texto de novo.", field.pt),
                format!("«{}» has invisible control characters. Type the text again.", field.en),
            ),
        }
    }
}

/// True for emoji, pictographs, regional-indicator flags and the joiners that build them.
pub fn is_pictograph(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF   // mahjong … symbols and pictographs extended-A, flags, emoticons
        | 0x2600..=0x27BF   // miscellaneous symbols, dingbats
        | 0x2B00..=0x2BFF   // arrows and stars used as emoji
        | 0xFE00..=0xFE0F   // variation selectors
        | 0x200D            // zero-width joiner
        | 0xE0000..=0xE007F // tags
    )
}

/// Checks and normalises one text field: trims, composes (NFC), and refuses what a fiscal document cannot carry.
/// `multiline` allows line breaks (notes, addresses). Returns `None` for an optional blank field.
pub fn clean(input: &str, max: usize, required: bool, multiline: bool) -> Result<Option<String>, TextError> {
    let s: String = input.trim().nfc().collect();
    if s.is_empty() {
        return if required { Err(TextError::Required) } else { Ok(None) };
    }
    if s.chars().any(is_pictograph) {
        return Err(TextError::Pictograph);
    }
    if s.chars().any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) {
        return Err(TextError::Control);
    }
    let len = s.chars().count();
    if len > max {
        return Err(TextError::TooLong { len, max });
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("João Gonçalves ÁÉÍÕÜ"), "joao goncalves aeiou");
        assert_eq!(fold("coração"), fold("CORACAO"));
    }

    #[test]
    fn clean_trims_and_refuses_bad_text() {
        assert_eq!(clean("  Padaria  ", 100, true, false), Ok(Some("Padaria".into())));
        assert_eq!(clean("   ", 100, true, false), Err(TextError::Required));
        assert_eq!(clean("", 100, false, false), Ok(None));
        assert_eq!(clean(&"a".repeat(2000), 100, true, false), Err(TextError::TooLong { len: 2000, max: 100 }));
        assert_eq!(clean("Café ☕", 100, true, false), Err(TextError::Pictograph));
        assert_eq!(clean("Padaria 🥖", 100, true, false), Err(TextError::Pictograph));
        assert_eq!(clean("a\u{0}b", 100, true, false), Err(TextError::Control));
        assert_eq!(clean("rua\nporta", 100, true, true), Ok(Some("rua\nporta".into())));
        assert_eq!(clean("O'Neil \"Lda\"; DROP TABLE x;--", 100, true, false).map(|s| s.is_some()), Ok(true));
    }

    #[test]
    fn decomposed_input_is_stored_composed() {
        assert_eq!(clean("Joa\u{303}o", 100, true, false), Ok(Some("João".into())));
    }
}
