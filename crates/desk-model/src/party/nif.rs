//! The Portuguese NIF: nine digits with a mod-11 check digit (pt-invoicing.md §1).

use crate::msg::Localized;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The generic "Consumidor final" NIF, valid by its check digit and allowed on every document.
pub const FINAL_CONSUMER_NIF: &str = "999999990";

/// A valid Portuguese NIF: exactly nine digits, check digit correct, no `PT` prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nif(String);

/// Why a NIF is not valid. Each variant says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NifError {
    /// Nothing was typed.
    #[error("the NIF is empty")]
    Empty,
    /// Letters or symbols other than spaces, dots, dashes and a leading `PT`.
    #[error("the NIF may only contain digits")]
    NotDigits,
    /// Not nine digits.
    #[error("the NIF must have 9 digits, it has {0}")]
    WrongLength(usize),
    /// A leading zero is never issued.
    #[error("no NIF starts with 0")]
    LeadingZero,
    /// The ninth digit does not match the first eight.
    #[error("the check digit is wrong (expected {expected})")]
    CheckDigit {
        /// The check digit the first eight digits call for.
        expected: u8,
    },
}

/// Facts about a valid NIF that deserve a warning but not a refusal (§1.2: the prefix table is not official).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NifWarning {
    /// Starts with 8 ("empresário em nome individual"), a range no longer issued.
    ObsoletePrefix,
    /// A first digit (or pair) that no known register assigns.
    UnknownPrefix,
}

impl NifError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            NifError::Empty => Localized::new("Indique o NIF (9 algarismos).", "Enter the NIF (9 digits)."),
            NifError::NotDigits => Localized::new(
                "O NIF só pode ter algarismos (sem letras nem símbolos).",
                "The NIF may only contain digits (no letters or symbols).",
            ),
            NifError::WrongLength(n) => Localized::new(
                format!("O NIF tem 9 algarismos; foram indicados {n}."),
                format!("A NIF has 9 digits; {n} were given."),
            ),
            NifError::LeadingZero => Localized::new(
                "Nenhum NIF começa por 0: verifique o número.",
                "No NIF starts with 0: check the number.",
            ),
            NifError::CheckDigit { .. } => Localized::new(
                "NIF inválido: o algarismo de controlo não confere. Verifique o número.",
                "Invalid NIF: the check digit does not match. Check the number.",
            ),
        }
    }
}

impl NifWarning {
    /// The warning shown beside a valid NIF.
    pub fn message(&self) -> Localized {
        match self {
            NifWarning::ObsoletePrefix => Localized::new(
                "NIF começado por 8: esta gama já não é atribuída. Confirme com o cliente.",
                "NIF starting with 8: this range is no longer issued. Confirm with the customer.",
            ),
            NifWarning::UnknownPrefix => Localized::new(
                "Prefixo de NIF pouco comum. Confirme com o cliente.",
                "Unusual NIF prefix. Confirm with the customer.",
            ),
        }
    }
}

/// The check digit for the first eight digits: weights 9..2, remainder 0 or 1 gives 0 (§1.3).
fn check_digit(first8: &[u8]) -> u8 {
    let sum: u32 = first8.iter().zip((2..=9u32).rev()).map(|(d, w)| u32::from(*d) * w).sum();
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        (11 - r) as u8
    }
}

impl Nif {
    /// Validates what a person typed: spaces, dots and dashes are ignored, and so is a `PT` prefix.
    pub fn parse(input: &str) -> Result<Nif, NifError> {
        let trimmed = input.trim();
        // Any case of the prefix, as python-stdnum upper-cases first (fiscal-review L5: "Pt"/"pT" were refused).
        let body = match trimmed.get(..2) {
            Some(p) if p.eq_ignore_ascii_case("PT") => &trimmed[2..],
            _ => trimmed,
        };
        let mut digits = Vec::with_capacity(9);
        for c in body.chars() {
            match c {
                ' ' | '.' | '-' => {}
                '0'..='9' => digits.push(c as u8 - b'0'),
                _ => return Err(NifError::NotDigits),
            }
        }
        if digits.is_empty() {
            return Err(if trimmed.is_empty() { NifError::Empty } else { NifError::NotDigits });
        }
        if digits.len() != 9 {
            return Err(NifError::WrongLength(digits.len()));
        }
        if digits[0] == 0 {
            return Err(NifError::LeadingZero);
        }
        let expected = check_digit(&digits[..8]);
        if digits[8] != expected {
            return Err(NifError::CheckDigit { expected });
        }
        Ok(Nif(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// The nine digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the generic final-consumer NIF 999999990.
    pub fn is_final_consumer(&self) -> bool {
        self.0 == FINAL_CONSUMER_NIF
    }

    /// True for a person's NIF (prefixes 1, 2, 3 and 45, pt-invoicing §1.2): such a buyer may or may not be a
    /// taxable person; every other prefix is an entity, always one.
    pub fn is_individual(&self) -> bool {
        let b = self.0.as_bytes();
        matches!(b[0], b'1' | b'2' | b'3') || (b[0] == b'4' && b[1] == b'5')
    }

    /// A warning for prefixes no register is known to assign (community-sourced table, so never an error).
    pub fn warning(&self) -> Option<NifWarning> {
        let b = self.0.as_bytes();
        match (b[0], b[1]) {
            (b'1' | b'2' | b'3' | b'5' | b'6', _) => None,
            (b'8', _) => Some(NifWarning::ObsoletePrefix),
            (b'4', b'5') => None,
            (b'7', b'0' | b'1' | b'2' | b'4' | b'5' | b'7' | b'8' | b'9') => None,
            (b'9', b'0' | b'1' | b'8' | b'9') => None,
            _ => Some(NifWarning::UnknownPrefix),
        }
    }
}

impl fmt::Display for Nif {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Nif {
    type Error = NifError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nif::parse(&value)
    }
}

impl From<Nif> for String {
    fn from(n: Nif) -> String {
        n.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_from_the_reference() {
        for ok in ["501964843", "500000000", "123456789", "999999990", "501234560"] {
            assert_eq!(Nif::parse(ok).map(|n| n.to_string()), Ok(ok.to_string()), "{ok}");
        }
    }

    #[test]
    fn separators_and_pt_prefix_are_ignored() {
        assert_eq!(Nif::parse(" PT 501.964-843 ").map(String::from), Ok("501964843".into()));
    }

    #[test]
    fn each_failure_has_its_reason() {
        assert_eq!(Nif::parse(""), Err(NifError::Empty));
        assert_eq!(Nif::parse("   "), Err(NifError::Empty));
        assert_eq!(Nif::parse("50196484a"), Err(NifError::NotDigits));
        assert_eq!(Nif::parse("'; DROP TABLE"), Err(NifError::NotDigits));
        assert_eq!(Nif::parse("12345"), Err(NifError::WrongLength(5)));
        assert_eq!(Nif::parse("0123456789"), Err(NifError::WrongLength(10)));
        assert_eq!(Nif::parse("012345678"), Err(NifError::LeadingZero));
        assert_eq!(Nif::parse("501964840"), Err(NifError::CheckDigit { expected: 3 }));
        assert_eq!(Nif::parse("501234567"), Err(NifError::CheckDigit { expected: 0 }));
    }

    #[test]
    fn every_last_digit_but_one_is_refused() {
        let valid = (0..10).filter(|d| Nif::parse(&format!("50196484{d}")).is_ok()).count();
        assert_eq!(valid, 1);
    }

    #[test]
    fn prefix_warnings() {
        assert_eq!(Nif::parse("501964843").ok().and_then(|n| n.warning()), None);
        let n8 = (0..10).find_map(|d| Nif::parse(&format!("81234567{d}")).ok());
        assert_eq!(n8.and_then(|n| n.warning()), Some(NifWarning::ObsoletePrefix));
        let n4 = (0..10).find_map(|d| Nif::parse(&format!("41234567{d}")).ok());
        assert_eq!(n4.and_then(|n| n.warning()), Some(NifWarning::UnknownPrefix));
    }

    #[test]
    fn serde_refuses_an_invalid_nif() {
        assert!(serde_json::from_str::<Nif>("\"501964843\"").is_ok());
        assert!(serde_json::from_str::<Nif>("\"501964840\"").is_err());
    }

    #[test]
    fn rule_l5_pt_prefix_in_any_case_and_individuals() {
        for typed in ["PT501964843", "pt501964843", "Pt501964843", "pT 501 964 843"] {
            assert_eq!(Nif::parse(typed).map(String::from), Ok("501964843".into()), "{typed}");
        }
        assert_eq!(Nif::parse("PÉ501964843"), Err(NifError::NotDigits));
        let kind = |n: &str| Nif::parse(n).map(|n| n.is_individual());
        assert_eq!(kind("123456789"), Ok(true));
        assert_eq!(kind("501964843"), Ok(false));
        assert_eq!(kind("999999990"), Ok(false));
    }
}
