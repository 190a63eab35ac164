//! IBAN: country, two check digits, the national account number; length per country and the ISO 13616
//! mod-97 check. Printed in groups of four.

use crate::msg::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// IBAN lengths (whole IBAN, characters) for Portugal, the EU/EEA and neighbours (SWIFT IBAN registry).
pub static IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
];

/// A valid IBAN, stored without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iban(String);

/// Why an IBAN is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IbanError {
    /// Nothing typed.
    #[error("empty")]
    Empty,
    /// Characters other than letters, digits and spaces, or no country/check digits at the start.
    #[error("not an IBAN")]
    Malformed,
    /// A country whose IBAN length is not in the table.
    #[error("unknown country {0}")]
    UnknownCountry(String),
    /// Wrong length for the country.
    #[error("{country} IBANs have {expected} characters, not {found}")]
    WrongLength {
        /// Country.
        country: String,
        /// Its IBAN length.
        expected: usize,
        /// Characters given.
        found: usize,
    },
    /// The mod-97 check fails: a typo.
    #[error("check digits do not match")]
    Checksum,
}

impl IbanError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            IbanError::Empty => Localized::new("Indique o IBAN.", "Enter the IBAN."),
            IbanError::Malformed => Localized::new(
                "O IBAN começa pelo país e 2 algarismos (ex.: PT50…) e só tem letras e algarismos.",
                "An IBAN starts with the country and 2 digits (e.g. PT50…) and has only letters and digits.",
            ),
            IbanError::UnknownCountry(c) => {
                Localized::new(format!("País de IBAN desconhecido: {c}."), format!("Unknown IBAN country: {c}."))
            }
            IbanError::WrongLength { country, expected, found } => Localized::new(
                format!("Um IBAN {country} tem {expected} caracteres; este tem {found}."),
                format!("A {country} IBAN has {expected} characters; this one has {found}."),
            ),
            IbanError::Checksum => Localized::new(
                "IBAN inválido: os dígitos de controlo não conferem. Verifique se há um algarismo trocado.",
                "Invalid IBAN: the check digits do not match. Look for a mistyped digit.",
            ),
        }
    }
}

/// ISO 7064 mod 97-10 over the rearranged IBAN (letters as 10–35).
fn mod97(iban: &str) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.chars().chain(head.chars()).fold(0u32, |acc, c| match c.to_digit(36) {
        Some(v) if v >= 10 => (acc * 100 + v) % 97,
        Some(v) => (acc * 10 + v) % 97,
        None => acc,
    })
}

impl Iban {
    /// Reads an IBAN as typed (spaces ignored, case ignored, an `IBAN` prefix dropped).
    pub fn parse(input: &str) -> Result<Iban, IbanError> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect();
        let s = s.strip_prefix("IBAN").map(str::to_string).unwrap_or(s);
        if s.is_empty() {
            return Err(IbanError::Empty);
        }
        let b = s.as_bytes();
        let shaped = b.len() >= 5
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b.iter().all(u8::is_ascii_alphanumeric);
        if !shaped {
            return Err(IbanError::Malformed);
        }
        let country = &s[..2];
        let expected = IBAN_LENGTHS
            .iter()
            .find(|(c, _)| *c == country)
            .map(|(_, n)| *n)
            .ok_or_else(|| IbanError::UnknownCountry(country.to_string()))?;
        if s.len() != expected {
            return Err(IbanError::WrongLength { country: country.to_string(), expected, found: s.len() });
        }
        if mod97(&s) != 1 {
            return Err(IbanError::Checksum);
        }
        Ok(Iban(s))
    }

    /// Without spaces: `PT50000201231234567890154` (QR field S, SEPA files).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The country code.
    pub fn country(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for Iban {
    /// In groups of four, as printed: `PT50 0002 0123 1234 5678 9015 4`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, chunk) in self.0.as_bytes().chunks(4).enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(std::str::from_utf8(chunk).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl TryFrom<String> for Iban {
    type Error = IbanError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Iban::parse(&value)
    }
}

impl From<Iban> for String {
    fn from(i: Iban) -> String {
        i.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_examples_pass() {
        for ok in [
            "PT50 0002 0123 1234 5678 9015 4",
            "DE89370400440532013000",
            "GB82 WEST 1234 5698 7654 32",
            "FR1420041010050500013M02606",
            "ES9121000418450200051332",
            "NL91ABNA0417164300",
            "BE68539007547034",
            "iban pt50000201231234567890154",
        ] {
            assert!(Iban::parse(ok).is_ok(), "{ok}");
        }
        let pt = Iban::parse("pt50000201231234567890154").expect("iban");
        assert_eq!(pt.to_string(), "PT50 0002 0123 1234 5678 9015 4");
        assert_eq!(pt.as_str(), "PT50000201231234567890154");
        assert_eq!(pt.country(), "PT");
    }

    #[test]
    fn refusals() {
        assert_eq!(Iban::parse(""), Err(IbanError::Empty));
        assert_eq!(Iban::parse("PT50-0002"), Err(IbanError::Malformed));
        assert_eq!(Iban::parse("5000020123"), Err(IbanError::Malformed));
        assert_eq!(Iban::parse("ZZ50000201231234567890154"), Err(IbanError::UnknownCountry("ZZ".into())));
        assert_eq!(
            Iban::parse("PT5000020123123456789015"),
            Err(IbanError::WrongLength { country: "PT".into(), expected: 25, found: 24 })
        );
        assert_eq!(Iban::parse("PT50000201231234567890155"), Err(IbanError::Checksum));
        assert_eq!(Iban::parse("PT00000000000000000000000"), Err(IbanError::Checksum));
        assert_eq!(Iban::parse("PT50000201231234567891054"), Err(IbanError::Checksum));
    }
}
