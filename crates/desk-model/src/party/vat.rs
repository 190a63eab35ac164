//! EU VAT numbers: country prefix plus body, checked for length and characters per country (pt-invoicing §1.5).
//! PT numbers also pass the NIF check digit. Other countries' check digits are not verified here (VIES is
//! the authority; it is online), and the BG/CY/DE/EL/IE/MT/SE formats have no cited source, so the table marks
//! them unconfirmed and a form should treat a mismatch there as a warning.

use super::nif::{Nif, NifError};
use crate::msg::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One country's VAT number shapes: `#` a digit, `A` a letter, `?` a letter or digit, anything else itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatFormat {
    /// The VAT prefix (`EL` for Greece, `XI` for Northern Ireland).
    pub prefix: &'static str,
    /// The accepted shapes of the body.
    pub shapes: &'static [&'static str],
    /// False where the reference has no source for the format.
    pub confirmed: bool,
}

const fn f(prefix: &'static str, shapes: &'static [&'static str], confirmed: bool) -> VatFormat {
    VatFormat { prefix, shapes, confirmed }
}

/// The formats, by prefix.
pub static VAT_FORMATS: &[VatFormat] = &[
    f("AT", &["U########"], true),
    f("BE", &["##########"], true),
    f("BG", &["#########", "##########"], false),
    f("CY", &["########A"], false),
    f("CZ", &["########", "#########", "##########"], true),
    f("DE", &["#########"], false),
    f("DK", &["########"], true),
    f("EE", &["#########"], true),
    f("EL", &["#########"], false),
    f("ES", &["A########", "########A", "A#######A"], true),
    f("FI", &["########"], true),
    f("FR", &["??#########"], true),
    f("HR", &["###########"], true),
    f("HU", &["########"], true),
    f("IE", &["#######A", "#######AA", "#A#####A"], false),
    f("IT", &["###########"], true),
    f("LT", &["#########", "############"], true),
    f("LU", &["########"], true),
    f("LV", &["###########"], true),
    f("MT", &["########"], false),
    f("NL", &["#########B##"], true),
    f("PL", &["##########"], true),
    f("PT", &["#########"], true),
    f("RO", &["##", "###", "####", "#####", "######", "#######", "########", "#########", "##########"], true),
    f("SE", &["############"], false),
    f("SI", &["########"], true),
    f("SK", &["##########"], true),
    f("XI", &["#########", "############"], true),
];

/// The EU member states by ISO 3166 alpha-2 code (Greece is `GR` here; its VAT prefix is `EL`).
pub static EU_COUNTRIES: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
    "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// True for an EU member state's ISO code (case ignored; `EL` is read as Greece).
pub fn is_eu_country(iso: &str) -> bool {
    let c = iso.trim().to_ascii_uppercase();
    c == "EL" || EU_COUNTRIES.contains(&c.as_str())
}

/// The VAT prefix of a country: its ISO code, except Greece (`EL`).
pub fn vat_prefix(iso: &str) -> String {
    match iso.trim().to_ascii_uppercase().as_str() {
        "GR" => "EL".to_string(),
        other => other.to_string(),
    }
}

fn fits(body: &str, shape: &str) -> bool {
    body.len() == shape.len()
        && body.bytes().zip(shape.bytes()).all(|(b, s)| match s {
            b'#' => b.is_ascii_digit(),
            b'A' => b.is_ascii_uppercase(),
            b'?' => b.is_ascii_alphanumeric(),
            other => b == other,
        })
}

/// An example of a shape, to show the user: `U12345678`.
fn example(shape: &str) -> String {
    let mut digit = 0u8;
    shape
        .chars()
        .map(|c| match c {
            '#' => {
                digit = (digit + 1) % 10;
                char::from(b'0' + digit)
            }
            'A' | '?' => 'X',
            other => other,
        })
        .collect()
}

/// A VAT number in a valid format: prefix and body, upper case, no separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EuVat {
    /// The VAT prefix, `PT`, `EL`…
    pub country: String,
    /// The number without prefix, as SAF-T and QR field B want it.
    pub number: String,
}

/// Why a VAT number is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VatError {
    /// Nothing typed.
    #[error("empty")]
    Empty,
    /// No two-letter country prefix.
    #[error("no country prefix")]
    NoPrefix,
    /// `GR` was typed: Greece's VAT prefix is `EL`.
    #[error("Greece uses EL")]
    GreeceIsEl,
    /// A prefix that is not an EU VAT prefix.
    #[error("unknown prefix {0}")]
    UnknownCountry(String),
    /// The body does not fit the country's format.
    #[error("wrong format for {country}")]
    WrongFormat {
        /// The prefix.
        country: String,
        /// One example of a valid body.
        example: String,
    },
    /// The country's check digits do not match: a typing error.
    #[error("wrong check digits for {country}")]
    CheckDigits {
        /// The prefix.
        country: String,
    },
    /// A PT number that is not a valid NIF.
    #[error("{0}")]
    Nif(NifError),
}

impl VatError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            VatError::Empty => Localized::new("Indique o número de IVA.", "Enter the VAT number."),
            VatError::NoPrefix => Localized::new(
                "Comece pelo código do país (ex.: ES, FR, DE).",
                "Start with the country code (e.g. ES, FR, DE).",
            ),
            VatError::GreeceIsEl => {
                Localized::new("Para a Grécia o prefixo de IVA é EL, não GR.", "Greece's VAT prefix is EL, not GR.")
            }
            VatError::UnknownCountry(c) => Localized::new(
                format!("«{c}» não é um prefixo de IVA da UE."),
                format!("«{c}» is not an EU VAT prefix."),
            ),
            VatError::WrongFormat { country, example } => Localized::new(
                format!("Formato inválido para {country}: deve ser como {country}{example}."),
                format!("Wrong format for {country}: it should look like {country}{example}."),
            ),
            VatError::CheckDigits { country } => Localized::new(
                format!("Número de IVA de {country} com dígitos de controlo errados: verifique se está bem escrito."),
                format!("{country} VAT number with wrong check digits: check it is typed correctly."),
            ),
            VatError::Nif(e) => e.message(),
        }
    }
}

impl EuVat {
    /// Reads a VAT number as typed (spaces, dots and dashes ignored, case ignored).
    pub fn parse(input: &str) -> Result<EuVat, VatError> {
        let s: String = input.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).flat_map(char::to_uppercase).collect();
        if s.is_empty() {
            return Err(VatError::Empty);
        }
        let prefix: String = s.chars().take(2).collect();
        if prefix.chars().count() < 2 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(VatError::NoPrefix);
        }
        if prefix == "GR" {
            return Err(VatError::GreeceIsEl);
        }
        let format =
            VAT_FORMATS.iter().find(|f| f.prefix == prefix).ok_or_else(|| VatError::UnknownCountry(prefix.clone()))?;
        let body = &s[2..];
        if !format.shapes.iter().any(|shape| fits(body, shape)) {
            let example = format.shapes.first().map(|s| example(s)).unwrap_or_default();
            return Err(VatError::WrongFormat { country: prefix, example });
        }
        if prefix == "PT" {
            Nif::parse(body).map_err(VatError::Nif)?;
        } else if super::vat_check::check_digits_ok(&prefix, body) == Some(false) {
            return Err(VatError::CheckDigits { country: prefix });
        }
        Ok(EuVat { country: prefix, number: body.to_string() })
    }

    /// True when the country's format has a cited source.
    pub fn format_confirmed(&self) -> bool {
        VAT_FORMATS.iter().any(|f| f.prefix == self.country && f.confirmed)
    }
}

impl fmt::Display for EuVat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.country, self.number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers() {
        for (input, country, number) in [
            ("PT501964843", "PT", "501964843"),
            ("pt 501 964 843", "PT", "501964843"),
            ("ATU13585627", "AT", "U13585627"),
            ("ESX2482300W", "ES", "X2482300W"),
            ("ES12345678Z", "ES", "12345678Z"),
            ("FR40303265045", "FR", "40303265045"),
            ("NL004495445B01", "NL", "004495445B01"),
            ("el094259216", "EL", "094259216"),
            ("DE-136.695.976", "DE", "136695976"),
            ("RO18547290", "RO", "18547290"),
            ("CY10259033P", "CY", "10259033P"),
        ] {
            let v = EuVat::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!((v.country.as_str(), v.number.as_str()), (country, number), "{input}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(EuVat::parse(" "), Err(VatError::Empty));
        assert_eq!(EuVat::parse("501964843"), Err(VatError::NoPrefix));
        assert_eq!(EuVat::parse("GR123456789"), Err(VatError::GreeceIsEl));
        assert_eq!(EuVat::parse("US123456789"), Err(VatError::UnknownCountry("US".into())));
        assert_eq!(
            EuVat::parse("AT12345678"),
            Err(VatError::WrongFormat { country: "AT".into(), example: "U12345678".into() })
        );
        assert_eq!(
            EuVat::parse("ES123456789"),
            Err(VatError::WrongFormat { country: "ES".into(), example: "X12345678".into() })
        );
        assert_eq!(
            EuVat::parse("DE12345678"),
            Err(VatError::WrongFormat { country: "DE".into(), example: "123456789".into() })
        );
        assert_eq!(EuVat::parse("PT501964840"), Err(VatError::Nif(NifError::CheckDigit { expected: 3 })));
        assert_eq!(EuVat::parse("P"), Err(VatError::NoPrefix));
        assert_eq!(EuVat::parse("PÉ123"), Err(VatError::NoPrefix));
    }

    #[test]
    fn unconfirmed_formats_are_flagged() {
        assert_eq!(EuVat::parse("DE136695976").map(|v| v.format_confirmed()), Ok(false));
        // Right shape, wrong check digits (fiscal-review M1: foreign numbers were accepted unchecked).
        assert_eq!(EuVat::parse("DE123456789"), Err(VatError::CheckDigits { country: "DE".into() }));
        assert_eq!(EuVat::parse("ATU12345678"), Err(VatError::CheckDigits { country: "AT".into() }));
        assert_eq!(EuVat::parse("PT501964843").map(|v| v.format_confirmed()), Ok(true));
    }
}
