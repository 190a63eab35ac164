//! Fiscal zones (SAF-T `TaxCountryRegion`), SAF-T VAT codes and the three rate classes.

use crate::msg::{Lang, Localized};
use serde::{Deserialize, Serialize};

/// Where an operation is located for VAT (pt-invoicing §2.1): this, not the customer's address, picks the rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FiscalZone {
    /// Mainland Portugal, `PT`.
    #[serde(rename = "PT")]
    Pt,
    /// Azores, `PT-AC`.
    #[serde(rename = "PT-AC")]
    PtAc,
    /// Madeira, `PT-MA`.
    #[serde(rename = "PT-MA")]
    PtMa,
}

impl FiscalZone {
    /// Every zone, in the order documents list them.
    pub const ALL: [FiscalZone; 3] = [FiscalZone::Pt, FiscalZone::PtAc, FiscalZone::PtMa];

    /// The SAF-T / QR code: `PT`, `PT-AC`, `PT-MA`.
    pub fn code(self) -> &'static str {
        match self {
            FiscalZone::Pt => "PT",
            FiscalZone::PtAc => "PT-AC",
            FiscalZone::PtMa => "PT-MA",
        }
    }

    /// Reads a SAF-T code (case and spaces ignored).
    pub fn parse(code: &str) -> Option<FiscalZone> {
        let c = code.trim().to_ascii_uppercase();
        FiscalZone::ALL.into_iter().find(|z| z.code() == c)
    }

    /// The zone's name.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FiscalZone::Pt, Lang::Pt) => "Continente",
            (FiscalZone::Pt, Lang::En) => "Mainland",
            (FiscalZone::PtAc, Lang::Pt) => "Açores",
            (FiscalZone::PtAc, Lang::En) => "Azores",
            (FiscalZone::PtMa, _) => "Madeira",
        }
    }
}

/// The three VAT rate classes (the headline rates of CIVA art. 18 and its regional versions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateClass {
    /// Taxa reduzida (List I).
    Reduced,
    /// Taxa intermédia (List II).
    Intermediate,
    /// Taxa normal.
    Normal,
}

impl RateClass {
    /// The SAF-T code of this class.
    pub fn code(self) -> TaxCode {
        match self {
            RateClass::Reduced => TaxCode::Red,
            RateClass::Intermediate => TaxCode::Int,
            RateClass::Normal => TaxCode::Nor,
        }
    }
}

/// SAF-T `TaxCode` for VAT (pt-invoicing §2.2). Declared in the order the QR code and the VAT summary list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TaxCode {
    /// Isento: 0 %, with an exemption reason.
    Ise,
    /// Reduced rate.
    Red,
    /// Intermediate rate.
    Int,
    /// Normal rate.
    Nor,
    /// "Outros": special regimes (margin schemes…), 0 % here, with an exemption reason.
    Out,
}

impl TaxCode {
    /// The SAF-T text: `NOR`, `INT`, `RED`, `ISE`, `OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaxCode::Ise => "ISE",
            TaxCode::Red => "RED",
            TaxCode::Int => "INT",
            TaxCode::Nor => "NOR",
            TaxCode::Out => "OUT",
        }
    }

    /// Reads a SAF-T code (case ignored).
    pub fn parse(code: &str) -> Option<TaxCode> {
        let c = code.trim().to_ascii_uppercase();
        [TaxCode::Ise, TaxCode::Red, TaxCode::Int, TaxCode::Nor, TaxCode::Out].into_iter().find(|t| t.as_str() == c)
    }

    /// The rate class for a taxed code; `None` for ISE and OUT, which charge no VAT and need a reason.
    pub fn class(self) -> Option<RateClass> {
        match self {
            TaxCode::Red => Some(RateClass::Reduced),
            TaxCode::Int => Some(RateClass::Intermediate),
            TaxCode::Nor => Some(RateClass::Normal),
            TaxCode::Ise | TaxCode::Out => None,
        }
    }

    /// The code's name, as a VAT summary heads it.
    pub fn name(self) -> Localized {
        match self {
            TaxCode::Ise => Localized::new("Isento", "Exempt"),
            TaxCode::Red => Localized::new("Taxa reduzida", "Reduced rate"),
            TaxCode::Int => Localized::new("Taxa intermédia", "Intermediate rate"),
            TaxCode::Nor => Localized::new("Taxa normal", "Normal rate"),
            TaxCode::Out => Localized::new("Outros", "Other"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for z in FiscalZone::ALL {
            assert_eq!(FiscalZone::parse(z.code()), Some(z));
        }
        assert_eq!(FiscalZone::parse(" pt-ma "), Some(FiscalZone::PtMa));
        assert_eq!(FiscalZone::parse("ES"), None);
        assert_eq!(TaxCode::parse("nor"), Some(TaxCode::Nor));
        assert_eq!(TaxCode::Ise.class(), None);
        assert_eq!(RateClass::Intermediate.code(), TaxCode::Int);
        assert_eq!(serde_json::to_string(&FiscalZone::PtAc).unwrap_or_default(), "\"PT-AC\"");
        assert_eq!(serde_json::to_string(&TaxCode::Red).unwrap_or_default(), "\"RED\"");
    }
}
