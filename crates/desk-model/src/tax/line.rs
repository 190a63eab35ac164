//! The tax of one document line: a rate (zone + class) or an exemption (zone + ISE/OUT + reason), checked
//! as SAF-T's asserts demand: 0 % needs a reason, a rate forbids one (pt-invoicing §2.3).

use super::exemption::{ExemptionCode, ExemptionStatus};
use super::rates::rate_for;
use super::zone::{FiscalZone, RateClass, TaxCode};
use crate::money::Percent;
use crate::msg::Localized;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A line's VAT as chosen on the draft. Build it with [`LineTax::rate`] or [`LineTax::exempt`]; the fields are
/// open so a draft can hold an inconsistent choice and [`LineTax::resolve`] can say what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineTax {
    /// Where the operation is located for VAT.
    pub zone: FiscalZone,
    /// SAF-T code: NOR/INT/RED charge the zone's rate; ISE/OUT charge 0 %.
    pub code: TaxCode,
    /// The exemption reason; required for ISE/OUT, forbidden otherwise.
    #[serde(default)]
    pub exemption: Option<ExemptionCode>,
}

/// A line's VAT with its percentage looked up for the document date: the key of the VAT summary.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResolvedTax {
    /// Fiscal zone.
    pub zone: FiscalZone,
    /// SAF-T code.
    pub code: TaxCode,
    /// The percentage charged (0 for ISE/OUT).
    pub percent: Percent,
    /// The exemption reason for ISE/OUT.
    pub exemption: Option<ExemptionCode>,
}

/// Why a line's tax cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxError {
    /// ISE/OUT (0 %) without an exemption reason.
    #[error("0 % VAT needs an exemption reason")]
    MissingExemption,
    /// A VAT rate together with an exemption reason.
    #[error("a VAT rate cannot carry an exemption reason")]
    ExemptionWithRate,
    /// M03 or M08, replaced in 2023.
    #[error("exemption {0} is obsolete")]
    ObsoleteExemption(ExemptionCode),
    /// M26, whose measure has ended.
    #[error("exemption {0} has expired")]
    ExpiredExemption(ExemptionCode),
    /// A code that starts after the document's tax point (M45 before 2025).
    #[error("exemption {0} is not yet in force")]
    ExemptionNotYetInForce(ExemptionCode),
    /// The rate table has no rate for that day.
    #[error("no {class:?} VAT rate known in {zone:?} on {date}")]
    NoRate {
        /// Zone.
        zone: FiscalZone,
        /// Class.
        class: RateClass,
        /// The document date.
        date: NaiveDate,
    },
}

impl TaxError {
    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            TaxError::MissingExemption => Localized::new(
                "Sem IVA é obrigatório indicar o motivo de isenção (M07, M10, M16, M40, M99…).",
                "Without VAT you must give the exemption reason (M07, M10, M16, M40, M99…).",
            ),
            TaxError::ExemptionWithRate => Localized::new(
                "Uma linha com taxa de IVA não leva motivo de isenção: retire o motivo ou escolha «Isento».",
                "A line with a VAT rate takes no exemption reason: remove the reason or choose «Exempt».",
            ),
            TaxError::ObsoleteExemption(c) => Localized::new(
                format!("O motivo {c} está obsoleto desde 2023: use um dos códigos M30–M43."),
                format!("Reason {c} is obsolete since 2023: use one of the codes M30–M43."),
            ),
            TaxError::ExpiredExemption(c) => Localized::new(
                format!("O motivo {c} já não está em vigor: escolha outro."),
                format!("Reason {c} is no longer in force: choose another."),
            ),
            TaxError::ExemptionNotYetInForce(c) => Localized::new(
                format!("O motivo {c} ainda não estava em vigor nesta data: escolha outro ou verifique a data."),
                format!("Reason {c} was not yet in force on this date: choose another or check the date."),
            ),
            TaxError::NoRate { date, .. } => Localized::new(
                format!("Não há taxa de IVA conhecida para {date}: verifique a data do documento."),
                format!("No VAT rate is known for {date}: check the document date."),
            ),
        }
    }
}

/// Facts about a usable line tax worth showing but not refusing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaxWarning {
    /// A well-formed code missing from the local table (Moloni's live list may have it).
    UnknownExemption(ExemptionCode),
}

impl TaxWarning {
    /// The warning for the user.
    pub fn message(&self) -> Localized {
        match self {
            TaxWarning::UnknownExemption(c) => Localized::new(
                format!("Motivo de isenção {c} desconhecido nesta versão: confirme-o no Moloni."),
                format!("Exemption reason {c} is not known to this version: check it in Moloni."),
            ),
        }
    }
}

impl LineTax {
    /// A taxed line at the zone's rate of `class`.
    pub fn rate(zone: FiscalZone, class: RateClass) -> LineTax {
        LineTax { zone, code: class.code(), exemption: None }
    }

    /// An exempt (ISE) line with its reason.
    pub fn exempt(zone: FiscalZone, reason: ExemptionCode) -> LineTax {
        LineTax { zone, code: TaxCode::Ise, exemption: Some(reason) }
    }

    /// Checks the choice and looks up its percentage for the document date.
    pub fn resolve(&self, date: NaiveDate) -> Result<ResolvedTax, TaxError> {
        let percent = match (self.code.class(), &self.exemption) {
            (Some(_), Some(_)) => return Err(TaxError::ExemptionWithRate),
            (None, None) => return Err(TaxError::MissingExemption),
            (Some(class), None) => rate_for(self.zone, class, date)?,
            (None, Some(code)) => {
                // Judged on the tax point's date: a note crediting a 2023 "IVA zero" invoice still uses M26.
                match code.row().map(|r| r.status_on(date)) {
                    Some(Err(ExemptionStatus::Obsolete)) => return Err(TaxError::ObsoleteExemption(code.clone())),
                    Some(Err(ExemptionStatus::Expired)) => return Err(TaxError::ExpiredExemption(code.clone())),
                    Some(Err(ExemptionStatus::Active)) => return Err(TaxError::ExemptionNotYetInForce(code.clone())),
                    Some(Ok(())) | None => {}
                }
                Percent::ZERO
            }
        };
        Ok(ResolvedTax { zone: self.zone, code: self.code, percent, exemption: self.exemption.clone() })
    }

    /// A warning about a usable choice, if any.
    pub fn warning(&self) -> Option<TaxWarning> {
        self.exemption.as_ref().filter(|c| c.row().is_none()).map(|c| TaxWarning::UnknownExemption(c.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default()
    }
    fn code(c: &str) -> ExemptionCode {
        ExemptionCode::parse(c).unwrap_or_else(|| panic!("{c}"))
    }

    #[test]
    fn a_rate_or_an_exemption() {
        let r = LineTax::rate(FiscalZone::PtMa, RateClass::Reduced).resolve(day());
        assert_eq!(r.map(|t| t.percent), Ok(Percent(dec!(4))));
        let e = LineTax::exempt(FiscalZone::Pt, code("M07")).resolve(day());
        assert_eq!(e.map(|t| (t.percent, t.exemption)), Ok((Percent::ZERO, Some(code("M07")))));
    }

    #[test]
    fn zero_without_reason_and_rate_with_reason_are_refused() {
        let zero = LineTax { zone: FiscalZone::Pt, code: TaxCode::Ise, exemption: None };
        assert_eq!(zero.resolve(day()), Err(TaxError::MissingExemption));
        let out = LineTax { zone: FiscalZone::Pt, code: TaxCode::Out, exemption: None };
        assert_eq!(out.resolve(day()), Err(TaxError::MissingExemption));
        let both = LineTax { zone: FiscalZone::Pt, code: TaxCode::Nor, exemption: Some(code("M07")) };
        assert_eq!(both.resolve(day()), Err(TaxError::ExemptionWithRate));
    }

    #[test]
    fn obsolete_expired_and_unknown_reasons() {
        let t = |c| LineTax::exempt(FiscalZone::Pt, code(c));
        assert_eq!(t("M08").resolve(day()), Err(TaxError::ObsoleteExemption(code("M08"))));
        assert_eq!(t("M03").resolve(day()), Err(TaxError::ObsoleteExemption(code("M03"))));
        assert_eq!(t("M26").resolve(day()), Err(TaxError::ExpiredExemption(code("M26"))));
        assert!(t("M77").resolve(day()).is_ok());
        assert_eq!(t("M77").warning(), Some(TaxWarning::UnknownExemption(code("M77"))));
        assert_eq!(t("M16").warning(), None);
    }

    #[test]
    fn rule_l1_a_2023_iva_zero_invoice_can_still_be_credited_with_m26() {
        let t = LineTax::exempt(FiscalZone::Pt, code("M26"));
        let in_2023 = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap_or_default();
        assert_eq!(t.resolve(in_2023).map(|r| r.percent), Ok(Percent::ZERO));
        assert_eq!(t.resolve(day()), Err(TaxError::ExpiredExemption(code("M26"))));
        let m08 = LineTax::exempt(FiscalZone::Pt, code("M08"));
        assert!(m08.resolve(NaiveDate::from_ymd_opt(2022, 5, 1).unwrap_or_default()).is_ok());
        let m45 = LineTax::exempt(FiscalZone::Pt, code("M45"));
        let in_2024 = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
        assert_eq!(m45.resolve(in_2024), Err(TaxError::ExemptionNotYetInForce(code("M45"))));
    }
}
