//! VAT exemption and non-liquidation reasons (AT table "Códigos de motivo de isenção", pt-invoicing §2.4), as data.
//!
//! `mention` is what the document prints; the wording comes from the reproductions the reference cites, not
//! from the AT PDF itself. Rows with `confirmed: false` are not backed even by those (M44–M46, M26's end).
//! Moloni's `taxExemptions/getAll` is the live list: a well-formed code missing here is accepted with a warning.

use super::rates::ymd;
use crate::msg::Localized;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a code may be used on a new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptionStatus {
    /// In use.
    Active,
    /// Replaced by other codes (M03, M08: replaced by M30–M43 from 2023-01-01).
    Obsolete,
    /// Tied to a measure that has ended (M26, the 2023 "IVA zero" basket).
    Expired,
}

/// One row of the exemption table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exemption {
    /// `M01` … `M99`.
    pub code: &'static str,
    /// The legal mention printed on the document (pt-PT).
    pub mention: &'static str,
    /// What it covers, in Portuguese.
    pub description_pt: &'static str,
    /// What it covers, in English.
    pub description_en: &'static str,
    /// Whether it may be used on new documents.
    pub status: ExemptionStatus,
    /// False where the reference marks the row UNCONFIRMED.
    pub confirmed: bool,
    /// First day it may be used, when the table knows one.
    pub valid_from: Option<NaiveDate>,
    /// Last day it may be used, for obsolete and expired codes: a correction of an older document still uses
    /// it (fiscal-review L1).
    pub valid_to: Option<NaiveDate>,
}

/// What a code means for the VAT summary's rate column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExemptionNature {
    /// Exempt ("Isento").
    Exempt,
    /// The buyer accounts for the VAT ("Autoliquidação"): M30–M43 and the old M08.
    ReverseCharge,
    /// Not subject ("Não sujeito"): M99.
    NotSubject,
}

impl ExemptionNature {
    /// The VAT summary's word for it (fiscal-review L4).
    pub fn name(self) -> Localized {
        match self {
            ExemptionNature::Exempt => Localized::new("Isento", "Exempt"),
            ExemptionNature::ReverseCharge => Localized::new("Autoliquidação", "Reverse charge"),
            ExemptionNature::NotSubject => Localized::new("Não sujeito", "Not subject"),
        }
    }
}

impl Exemption {
    /// Whether it is exempt, reverse charge or not subject.
    pub fn nature(&self) -> ExemptionNature {
        if self.mention == AUTOLIQ {
            ExemptionNature::ReverseCharge
        } else if self.code == "M99" {
            ExemptionNature::NotSubject
        } else {
            ExemptionNature::Exempt
        }
    }

    /// Whether it may be used on a document whose tax point is `date`: [`ExemptionStatus::Active`] inside its
    /// validity, else the row's status (obsolete or expired); before its first day it is not yet in force.
    pub fn status_on(&self, date: NaiveDate) -> Result<(), ExemptionStatus> {
        let started = self.valid_from.is_none_or(|f| f <= date);
        let ended = self.valid_to.is_some_and(|t| date > t);
        match (started, ended, self.status) {
            (true, false, ExemptionStatus::Active) => Ok(()),
            // Obsolete or expired codes carry their validity: inside it, a document of that time is fine.
            (true, false, _) if self.valid_to.is_some() => Ok(()),
            (false, _, _) => Err(ExemptionStatus::Active),
            (_, _, ExemptionStatus::Active) => Err(ExemptionStatus::Expired),
            (_, _, status) => Err(status),
        }
    }
}

const fn active(code: &'static str, mention: &'static str, pt: &'static str, en: &'static str) -> Exemption {
    Exemption {
        code,
        mention,
        description_pt: pt,
        description_en: en,
        status: ExemptionStatus::Active,
        confirmed: true,
        valid_from: None,
        valid_to: None,
    }
}

const fn valid(e: Exemption, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Exemption {
    Exemption { valid_from: from, valid_to: to, ..e }
}

const fn unconfirmed(e: Exemption) -> Exemption {
    Exemption { confirmed: false, ..e }
}

const fn with_status(e: Exemption, status: ExemptionStatus) -> Exemption {
    Exemption { status, ..e }
}

const AUTOLIQ: &str = "IVA – autoliquidação";

/// The exemption table, in code order.
pub static EXEMPTIONS: &[Exemption] = &[
    active(
        "M01",
        "Artigo 16.º, n.º 6 do CIVA",
        "Valores excluídos do valor tributável (art. 16.º n.º 6)",
        "Amounts excluded from the taxable value (art. 16(6))",
    ),
    active(
        "M02",
        "Artigo 6.º do Decreto-Lei n.º 198/90",
        "Vendas a exportador nacional (DL 198/90)",
        "Sales to a Portuguese exporter (DL 198/90)",
    ),
    // M03 and M08: replaced by M30–M43 from 2023-01-01 (pt-invoicing §2.4), usable on older documents' notes.
    valid(
        with_status(
            active(
                "M03",
                "Exigibilidade de caixa",
                "IVA de caixa (obsoleto desde 2023)",
                "Cash VAT (obsolete since 2023)",
            ),
            ExemptionStatus::Obsolete,
        ),
        None,
        Some(ymd(2022, 12, 31)),
    ),
    active("M04", "Isento artigo 13.º do CIVA", "Isenções na importação", "Import exemptions"),
    active(
        "M05",
        "Isento artigo 14.º do CIVA",
        "Exportações e operações assimiladas, transportes internacionais",
        "Exports, assimilated operations, international transport",
    ),
    active(
        "M06",
        "Isento artigo 15.º do CIVA",
        "Operações em regimes suspensivos",
        "Operations under suspension regimes",
    ),
    active(
        "M07",
        "Isento artigo 9.º do CIVA",
        "Isenções internas: saúde, ensino, arrendamento, seguros…",
        "Domestic exemptions: health, education, rentals, insurance…",
    ),
    valid(
        with_status(
            active(
                "M08",
                AUTOLIQ,
                "Autoliquidação genérica (obsoleto desde 2023; use M30–M43)",
                "Generic reverse charge (obsolete since 2023; use M30–M43)",
            ),
            ExemptionStatus::Obsolete,
        ),
        None,
        Some(ymd(2022, 12, 31)),
    ),
    active(
        "M09",
        "IVA – não confere direito a dedução",
        "Regime dos pequenos retalhistas (art. 62.º b))",
        "Small retailers regime (art. 62(b))",
    ),
    active(
        "M10",
        "IVA – regime de isenção",
        "Regime de isenção do art. 53.º (menção do art. 57.º)",
        "Small-business exemption, art. 53 (mention of art. 57)",
    ),
    active("M11", "Regime particular do tabaco", "Tabaco (DL 346/85)", "Tobacco (DL 346/85)"),
    active(
        "M12",
        "Regime da margem de lucro – Agências de viagens",
        "Margem de lucro: agências de viagens (DL 221/85)",
        "Margin scheme: travel agencies (DL 221/85)",
    ),
    active(
        "M13",
        "Regime da margem de lucro – Bens em segunda mão",
        "Margem de lucro: bens em segunda mão (DL 199/96)",
        "Margin scheme: second-hand goods (DL 199/96)",
    ),
    active(
        "M14",
        "Regime da margem de lucro – Objetos de arte",
        "Margem de lucro: objetos de arte (DL 199/96)",
        "Margin scheme: works of art (DL 199/96)",
    ),
    // Without spaces around the dash: with them the mention exceeds SAF-T's 60 characters.
    active(
        "M15",
        "Regime da margem de lucro–Objetos de coleção e antiguidades",
        "Margem de lucro: coleção e antiguidades (DL 199/96)",
        "Margin scheme: collectors' items and antiques (DL 199/96)",
    ),
    active("M16", "Isento artigo 14.º do RITI", "Transmissão intracomunitária de bens", "Intra-EU supply of goods"),
    active(
        "M19",
        "Outras isenções",
        "Isenções temporárias em diploma próprio",
        "Temporary exemptions in specific laws",
    ),
    active(
        "M20",
        "IVA – regime forfetário",
        "Regime forfetário dos produtores agrícolas (art. 59.º-D n.º 2)",
        "Farmers' flat-rate scheme (art. 59-D(2))",
    ),
    active(
        "M21",
        "IVA – não confere direito à dedução (ou expressão similar)",
        "Art. 72.º n.º 4 do CIVA",
        "Art. 72(4) CIVA",
    ),
    active(
        "M25",
        "Mercadorias à consignação",
        "Mercadorias à consignação (art. 38.º n.º 1 a))",
        "Consignment goods (art. 38(1)(a))",
    ),
    // Lei 17/2023 "IVA zero": 2023-04-18 to 2024-01-04 (gobl, fiscal-review #7).
    valid(
        with_status(
            active(
                "M26",
                "Isenção de IVA com direito à dedução no cabaz alimentar",
                "Cabaz alimentar «IVA zero» (Lei 17/2023), terminado",
                "\"Zero VAT\" food basket (Law 17/2023), ended",
            ),
            ExemptionStatus::Expired,
        ),
        Some(ymd(2023, 4, 18)),
        Some(ymd(2024, 1, 4)),
    ),
    active(
        "M30",
        AUTOLIQ,
        "Autoliquidação: sucatas e resíduos (art. 2.º n.º 1 i))",
        "Reverse charge: scrap and waste (art. 2(1)(i))",
    ),
    active(
        "M31",
        AUTOLIQ,
        "Autoliquidação: subempreitadas de construção (art. 2.º n.º 1 j))",
        "Reverse charge: construction subcontracting (art. 2(1)(j))",
    ),
    active(
        "M32",
        AUTOLIQ,
        "Autoliquidação: licenças de emissão (art. 2.º n.º 1 l))",
        "Reverse charge: emission allowances (art. 2(1)(l))",
    ),
    active(
        "M33",
        AUTOLIQ,
        "Autoliquidação: cortiça, madeira, pinhas (art. 2.º n.º 1 m))",
        "Reverse charge: cork, wood, pine cones (art. 2(1)(m))",
    ),
    active(
        "M34",
        AUTOLIQ,
        "Autoliquidação: eletricidade (art. 2.º n.º 1 n))",
        "Reverse charge: electricity (art. 2(1)(n))",
    ),
    active(
        "M40",
        AUTOLIQ,
        "Autoliquidação: serviços B2B localizados noutro país (art. 6.º n.º 6 a))",
        "Reverse charge: B2B services located abroad (art. 6(6)(a))",
    ),
    active(
        "M41",
        AUTOLIQ,
        "Autoliquidação: operações triangulares (art. 8.º n.º 3 RITI)",
        "Reverse charge: triangular operations (art. 8(3) RITI)",
    ),
    active(
        "M42",
        AUTOLIQ,
        "Autoliquidação: imóveis com renúncia à isenção (DL 21/2007)",
        "Reverse charge: real estate with waived exemption (DL 21/2007)",
    ),
    active(
        "M43",
        AUTOLIQ,
        "Autoliquidação: ouro para investimento (DL 362/99)",
        "Reverse charge: investment gold (DL 362/99)",
    ),
    unconfirmed(active(
        "M44",
        "Artigo 6.º do CIVA",
        "Serviços não localizados em Portugal (art. 6.º n.º 7 e seg.)",
        "Services not located in Portugal (art. 6(7) ff.)",
    )),
    // New from 2025 (OC 25065/2025 via gobl, fiscal-review #6).
    valid(
        unconfirmed(active(
            "M45",
            "IVA – regime transfronteiriço de isenção",
            "Regime transfronteiriço de isenção das PME da UE (art. 58.º-A)",
            "EU cross-border SME exemption (art. 58-A)",
        )),
        Some(ymd(2025, 1, 1)),
        None,
    ),
    unconfirmed(active(
        "M46",
        "e-TaxFree",
        "Bens na bagagem pessoal de viajantes (DL 19/2017)",
        "Goods in travellers' personal luggage (DL 19/2017)",
    )),
    active(
        "M99",
        "Não sujeito ou não tributado",
        "Outros casos de não liquidação (art. 2.º n.º 2; art. 3.º n.º 4, 6, 7; art. 4.º n.º 5)",
        "Other non-liquidation cases",
    ),
];

/// The table row for a code (`M07`, case ignored), if the table has it.
pub fn exemption(code: &str) -> Option<&'static Exemption> {
    let c = code.trim();
    EXEMPTIONS.iter().find(|e| e.code.eq_ignore_ascii_case(c))
}

/// A well-formed exemption code: `M` and two digits. Whether the table knows it is [`ExemptionCode::row`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExemptionCode(String);

impl ExemptionCode {
    /// Reads `M07`, ` m07 `; `None` unless it is `M` and two digits.
    pub fn parse(input: &str) -> Option<ExemptionCode> {
        let c = input.trim().to_ascii_uppercase();
        let b = c.as_bytes();
        (b.len() == 3 && b[0] == b'M' && b[1].is_ascii_digit() && b[2].is_ascii_digit()).then_some(ExemptionCode(c))
    }

    /// The code, `M07`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its row in [`EXEMPTIONS`], if there is one.
    pub fn row(&self) -> Option<&'static Exemption> {
        exemption(&self.0)
    }

    /// The legal mention to print; the bare code when the table does not know it.
    pub fn mention(&self) -> &str {
        self.row().map_or(self.0.as_str(), |e| e.mention)
    }
}

impl fmt::Display for ExemptionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ExemptionCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ExemptionCode::parse(&value).ok_or_else(|| format!("not an exemption code (M and two digits): {value:?}"))
    }
}

impl From<ExemptionCode> for String {
    fn from(c: ExemptionCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_well_formed() {
        for pair in EXEMPTIONS.windows(2) {
            assert!(pair[0].code < pair[1].code, "{} before {}", pair[0].code, pair[1].code);
        }
        for e in EXEMPTIONS {
            assert!(ExemptionCode::parse(e.code).is_some(), "{}", e.code);
            // SAF-T TaxExemptionReason is 6 to 60 characters.
            let n = e.mention.chars().count();
            assert!((6..=60).contains(&n), "{}: {n}", e.code);
        }
    }

    #[test]
    fn obsolete_and_expired_codes() {
        assert_eq!(exemption("M03").map(|e| e.status), Some(ExemptionStatus::Obsolete));
        assert_eq!(exemption("m08").map(|e| e.status), Some(ExemptionStatus::Obsolete));
        assert_eq!(exemption("M26").map(|e| e.status), Some(ExemptionStatus::Expired));
        assert_eq!(exemption("M07").map(|e| e.mention), Some("Isento artigo 9.º do CIVA"));
        assert_eq!(exemption("M10").map(|e| e.mention), Some("IVA – regime de isenção"));
        assert_eq!(exemption("M45").map(|e| e.confirmed), Some(false));
    }

    #[test]
    fn codes_parse_strictly() {
        assert_eq!(ExemptionCode::parse(" m16 ").map(String::from), Some("M16".to_string()));
        for bad in ["", "M1", "M100", "X07", "M0a", "07"] {
            assert_eq!(ExemptionCode::parse(bad), None, "{bad}");
        }
        let unknown = ExemptionCode::parse("M77");
        assert_eq!(unknown.as_ref().map(|c| c.mention()), Some("M77"));
        assert!(serde_json::from_str::<ExemptionCode>("\"M7\"").is_err());
    }

    #[test]
    fn rule_l1_obsolete_codes_keep_their_validity_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        let m26 = exemption("M26").expect("M26");
        assert_eq!(m26.status_on(d(2023, 4, 17)), Err(ExemptionStatus::Active));
        assert_eq!(m26.status_on(d(2023, 6, 1)), Ok(()));
        assert_eq!(m26.status_on(d(2024, 1, 4)), Ok(()));
        assert_eq!(m26.status_on(d(2024, 1, 5)), Err(ExemptionStatus::Expired));
        let m08 = exemption("M08").expect("M08");
        assert_eq!(m08.status_on(d(2022, 12, 31)), Ok(()));
        assert_eq!(m08.status_on(d(2023, 1, 1)), Err(ExemptionStatus::Obsolete));
        assert_eq!(exemption("M45").map(|e| e.status_on(d(2024, 12, 31))), Some(Err(ExemptionStatus::Active)));
        assert_eq!(exemption("M07").map(|e| e.status_on(d(2026, 1, 1))), Some(Ok(())));
    }

    #[test]
    fn rule_l4_reverse_charge_and_not_subject_are_named_so() {
        for c in ["M30", "M31", "M32", "M33", "M34", "M40", "M41", "M42", "M43", "M08"] {
            assert_eq!(exemption(c).map(Exemption::nature), Some(ExemptionNature::ReverseCharge), "{c}");
        }
        assert_eq!(exemption("M99").map(Exemption::nature), Some(ExemptionNature::NotSubject));
        assert_eq!(exemption("M07").map(Exemption::nature), Some(ExemptionNature::Exempt));
        assert_eq!(ExemptionNature::ReverseCharge.name().pt, "Autoliquidação");
        assert_eq!(ExemptionNature::NotSubject.name().pt, "Não sujeito");
    }
}
