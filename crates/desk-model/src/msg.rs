//! User-facing text in both UI languages, so rules can explain themselves without knowing the UI.

use serde::{Deserialize, Serialize};

/// The languages of the user interface. pt-PT is the product's first language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Português (Portugal).
    #[default]
    #[serde(rename = "pt-PT")]
    Pt,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Picks the UI language for a system locale tag such as `pt-PT`, `pt_BR.UTF-8` or `en-US`:
    /// Portuguese systems get pt-PT, everything else English.
    pub fn from_locale(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("pt") {
            Lang::Pt
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag of this language.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Pt => "pt-PT",
            Lang::En => "en",
        }
    }
}

/// A message for the user, in pt-PT and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// Portuguese (Portugal).
    pub pt: String,
    /// English.
    pub en: String,
}

impl Localized {
    /// A message from its two translations.
    pub fn new(pt: impl Into<String>, en: impl Into<String>) -> Self {
        Localized { pt: pt.into(), en: en.into() }
    }

    /// The text in the given language.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Pt => &self.pt,
            Lang::En => &self.en,
        }
    }
}

impl std::fmt::Display for Localized {
    /// The English text, for logs and the command line; the UI picks its language with [`Localized::get`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}
