//! ATCUD: the series validation code AT assigned, a dash, and the digits after "/" in the document number,
//! exactly as written there (Portaria 195/2020 art. 3; pt-invoicing §4.1).

use crate::msg::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A document's unique number, `FT AB2019/0035`: type code, space, series, `/`, sequential digits (≤ 60).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentNumber {
    /// The internal type code, `FT`.
    pub type_code: String,
    /// The series, `AB2019`.
    pub series: String,
    /// The digits after `/`, kept exactly (leading zeros included): `0035`.
    pub sequence: String,
}

/// Why an ATCUD or a document number cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AtcudError {
    /// The validation code is not at least 8 letters and digits.
    #[error("the series validation code must be at least 8 letters or digits")]
    BadValidationCode,
    /// The document number is not `<type> <series>/<digits>` within 60 characters.
    #[error("not a document number of the form \"FT 2026A/17\"")]
    BadDocumentNumber,
}

impl AtcudError {
    /// The message for the user.
    pub fn message(&self) -> Localized {
        match self {
            AtcudError::BadValidationCode => Localized::new(
                "O código de validação da série (AT) tem pelo menos 8 letras ou algarismos. Confirme-o no Moloni.",
                "The series validation code (AT) has at least 8 letters or digits. Check it in Moloni.",
            ),
            AtcudError::BadDocumentNumber => Localized::new(
                "Número de documento inválido: esperado o formato «FT 2026A/17».",
                "Invalid document number: expected the form «FT 2026A/17».",
            ),
        }
    }
}

impl DocumentNumber {
    /// Reads `FT AB2019/0035`.
    pub fn parse(input: &str) -> Result<DocumentNumber, AtcudError> {
        let s = input.trim();
        let bad = || AtcudError::BadDocumentNumber;
        if s.chars().count() > 60 {
            return Err(bad());
        }
        let (type_code, rest) = s.split_once(' ').ok_or_else(bad)?;
        let (series, sequence) = rest.rsplit_once('/').ok_or_else(bad)?;
        let ok = !type_code.is_empty()
            && type_code.chars().all(|c| c.is_ascii_alphanumeric())
            && !series.is_empty()
            && !series.contains([' ', '/'])
            && !sequence.is_empty()
            && sequence.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(bad());
        }
        Ok(DocumentNumber { type_code: type_code.into(), series: series.into(), sequence: sequence.into() })
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.type_code, self.series, self.sequence)
    }
}

/// An ATCUD, `CSDF7T5H-0035`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Atcud(String);

impl Atcud {
    /// Builds the ATCUD of a document from its series' validation code and its number.
    pub fn new(validation_code: &str, document_number: &str) -> Result<Atcud, AtcudError> {
        let code = validation_code.trim();
        if code.len() < 8 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(AtcudError::BadValidationCode);
        }
        let number = DocumentNumber::parse(document_number)?;
        Ok(Atcud(format!("{code}-{}", number.sequence)))
    }

    /// The value, as QR field H and SAF-T carry it: `CSDF7T5H-0035`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The printed form, above the QR code on every page: `ATCUD:CSDF7T5H-0035`.
    pub fn printed(&self) -> String {
        format!("ATCUD:{}", self.0)
    }
}

impl fmt::Display for Atcud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_examples() {
        let a = Atcud::new("CSDF7T5H", "FT AB2019/0035").expect("atcud");
        assert_eq!(a.as_str(), "CSDF7T5H-0035");
        assert_eq!(a.printed(), "ATCUD:CSDF7T5H-0035");
        assert_eq!(Atcud::new("CDF7T5HD", "FS CDVF/12345").map(|a| a.to_string()), Ok("CDF7T5HD-12345".into()));
        assert_eq!(Atcud::new("JJ8XK2PM", "FT 2026A/17").map(|a| a.to_string()), Ok("JJ8XK2PM-17".into()));
    }

    #[test]
    fn refusals() {
        assert_eq!(Atcud::new("SHORT", "FT A/1"), Err(AtcudError::BadValidationCode));
        assert_eq!(Atcud::new("CSDF-7T5H", "FT A/1"), Err(AtcudError::BadValidationCode));
        for bad in ["FT0035", "FT A/", "FT A/12a", " /1", "FT /1", &format!("FT {}/1", "A".repeat(60))] {
            assert_eq!(Atcud::new("CSDF7T5H", bad), Err(AtcudError::BadDocumentNumber), "{bad}");
        }
    }

    #[test]
    fn document_numbers() {
        let n = DocumentNumber::parse("FT AB2019/0035").expect("number");
        assert_eq!((n.type_code.as_str(), n.series.as_str(), n.sequence.as_str()), ("FT", "AB2019", "0035"));
        assert_eq!(n.to_string(), "FT AB2019/0035");
    }
}
