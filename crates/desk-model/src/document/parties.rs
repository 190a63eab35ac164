//! What a document needs from its parties, checked before issue (fiscal-review M1–M3, L6):
//! - each exemption code's conditions on the buyer and the issuer (pt-invoicing §2.4);
//! - withholding only towards a Portuguese business (CIRS art. 101 n.º 1: the payer withholds);
//! - the mandatory elements of CIVA art. 36 n.º 5 that depend on the buyer (name, address, NIF of a business;
//!   name and address of a consumer on invoices of €1,000 or more) and the supply date; the NIF of a buyer whose
//!   name gives a company's legal form, on every invoice including an FS (art. 40 n.º 2);
//! - what an FS's retail flag claims (art. 40 n.º 1 a): goods only, to a non-taxable buyer);
//! - B2B payment terms beyond 60 days (DL 62/2013), as a warning.
//!
//! [`super::validate()`] checks the document alone; this needs the parties, which the engine (and the form) know.

use super::draft::DraftDocument;
use super::kind::DocType;
use super::totals::compute_with;
use crate::company::{FiscalSettings, VatRegime};
use crate::ipc::ProductKind;
use crate::money::{format_percent, Money, Percent};
use crate::msg::{Lang, Localized};
use crate::party::{is_eu_country, vat_prefix, EuVat, Nif};
use crate::print::PartyInfo;
use crate::tax::withholding;
use chrono::{Datelike, NaiveDate, Weekday};

/// Consumer invoices from this total (VAT included) must name the buyer with an address (fiscal-review M3,
/// CIVA art. 36; the provision is UNCONFIRMED there, so the amount is data).
pub const CONSUMER_IDENTIFICATION_FROM: Money = Money(rust_decimal::Decimal::from_parts(1000, 0, 0, false, 0));
/// Agreed B2B payment terms beyond this many days need an express agreement (DL 62/2013 art. 5 n.º 5).
pub const B2B_TERM_DAYS: i64 = 60;
/// Working days after the supply within which the invoice is due (CIVA art. 36 n.º 1 a)).
pub const INVOICE_DEADLINE_WORKING_DAYS: u32 = 5;

/// Everything the checks need besides the document.
#[derive(Debug, Clone, Copy)]
pub struct DocumentContext<'a> {
    /// The issuing company's fiscal settings.
    pub settings: &'a FiscalSettings,
    /// The buyer as on the document (an empty name and no tax id: an anonymous consumer).
    pub buyer: &'a PartyInfo,
    /// Where goods are shipped when that is not the buyer's country (ISO alpha-2), for M05.
    pub destination_country: Option<&'a str>,
    /// Per line, goods or a service when the line came from a product (`None`: not known).
    pub line_kinds: &'a [Option<ProductKind>],
}

/// Who the buyer is, as far as its tax id says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuyerKind {
    /// No tax id, or the final consumer's 999999990.
    Consumer,
    /// A Portuguese individual's NIF (may or may not be a taxable person).
    PtIndividual(Nif),
    /// A Portuguese entity's NIF: a taxable person.
    PtBusiness(Nif),
    /// A buyer in another EU state with a VAT number valid in its format and check digits.
    EuVat(EuVat),
    /// A buyer in another EU state whose number is not a valid VAT number there.
    EuInvalid,
    /// A buyer outside the EU with a tax id.
    Foreign,
}

impl BuyerKind {
    /// Reads the buyer's country and tax id.
    pub fn of(buyer: &PartyInfo) -> BuyerKind {
        let country =
            if buyer.country.trim().is_empty() { "PT".to_string() } else { buyer.country.trim().to_ascii_uppercase() };
        let Some(id) = buyer.tax_id.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
            return BuyerKind::Consumer;
        };
        if country == "PT" {
            return match Nif::parse(id) {
                Ok(n) if n.is_final_consumer() => BuyerKind::Consumer,
                Ok(n) if n.is_individual() => BuyerKind::PtIndividual(n),
                Ok(n) => BuyerKind::PtBusiness(n),
                Err(_) => BuyerKind::Consumer,
            };
        }
        if is_eu_country(&country) {
            let prefix = vat_prefix(&country);
            let typed = id.to_ascii_uppercase();
            let full = if typed.starts_with(&prefix) { typed } else { format!("{prefix}{typed}") };
            return match EuVat::parse(&full) {
                Ok(v) if v.country == prefix => BuyerKind::EuVat(v),
                _ => BuyerKind::EuInvalid,
            };
        }
        BuyerKind::Foreign
    }

    /// True for a buyer that is certainly a taxable person (an entity, or any foreign tax id).
    pub fn is_business(&self) -> bool {
        matches!(self, BuyerKind::PtBusiness(_) | BuyerKind::EuVat(_) | BuyerKind::EuInvalid | BuyerKind::Foreign)
    }
}

/// Refused, or only worth a second look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The document cannot be issued like this.
    Error,
    /// Allowed; show it.
    Warning,
}

/// What a document lacks towards its parties.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartyError {
    /// M16, M41 (and M40 to an EU buyer): the buyer needs a valid VAT number of another EU state.
    #[error("{code} needs an EU customer with a valid VAT number")]
    NeedsEuVat {
        /// The exemption code.
        code: String,
    },
    /// M40: the buyer must be a business established outside Portugal.
    #[error("{code} needs a business customer outside Portugal")]
    NeedsForeignBusiness {
        /// The exemption code.
        code: String,
    },
    /// M30–M34, M42, M43 (domestic reverse charge): the buyer must be a Portuguese taxable person with a NIF.
    #[error("{code} needs a Portuguese business customer with a NIF")]
    NeedsPtBusiness {
        /// The exemption code.
        code: String,
    },
    /// M05: the goods must leave the EU.
    #[error("M05 needs a destination outside the EU")]
    NeedsExport,
    /// M10 by an issuer not in the art. 53 regime.
    #[error("M10 needs an issuer in the art. 53 exemption regime")]
    NeedsArt53Issuer,
    /// An art. 53 issuer charging VAT.
    #[error("an art. 53 issuer charges no VAT")]
    Art53ChargesVat,
    /// An art. 53 issuer exempting a line with another code (warning).
    #[error("an art. 53 issuer normally uses M10")]
    Art53OtherCode,
    /// Withholding towards a buyer who does not withhold (a consumer, a foreign business).
    #[error("withholding needs a Portuguese business customer")]
    WithholdingNeedsPtBusiness,
    /// A withholding rate that is no kind's rate on the document date (warning).
    #[error("withholding rate {0:?} is not in the table")]
    UnusualWithholdingRate(Percent),
    /// A buyer named as a company (Lda., S.A., Unipessoal…) without a valid tax id: a taxable person's NIF is
    /// required on every invoice, an FS included (CIVA art. 36 n.º 5 a), art. 40 n.º 2).
    #[error("the customer is a company and needs its NIF")]
    CompanyWithoutNif,
    /// A business buyer without its name.
    #[error("the customer's name is required")]
    BuyerNameRequired,
    /// A business buyer without its address (art. 36 n.º 5 a)).
    #[error("the customer's address is required")]
    BuyerAddressRequired,
    /// An individual with a NIF and no address: required if they buy as a taxable person (warning).
    #[error("the customer's address is required if they buy as a business")]
    BuyerAddressIfBusiness,
    /// A consumer invoice of €1,000 or more without the buyer's name and address.
    #[error("name and address required from 1000 euros")]
    ConsumerIdentificationRequired,
    /// FS with the retail flag and a service line.
    #[error("retail simplified invoices are for goods only")]
    RetailWithServices {
        /// The service line (0-based).
        line: usize,
    },
    /// FS with the retail flag to a business.
    #[error("retail simplified invoices are for consumers only")]
    RetailToBusiness,
    /// The invoice is issued more than five working days after the supply (warning).
    #[error("issued more than 5 working days after the supply")]
    LateInvoice,
    /// A supply date after the issue date: only an advance payment invoice precedes the supply (warning).
    #[error("supply date after the issue date")]
    SupplyAfterIssue,
    /// B2B terms beyond 60 days (warning).
    #[error("payment term of {0} days")]
    LongB2bTerm(i64),
}

impl PartyError {
    /// Whether it refuses the document.
    pub fn severity(&self) -> Severity {
        match self {
            PartyError::Art53OtherCode
            | PartyError::UnusualWithholdingRate(_)
            | PartyError::BuyerAddressIfBusiness
            | PartyError::LateInvoice
            | PartyError::SupplyAfterIssue
            | PartyError::LongB2bTerm(_) => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The message for the user, saying what to do.
    pub fn message(&self) -> Localized {
        match self {
            PartyError::NeedsEuVat { code } => Localized::new(
                format!("{code} exige um cliente de outro Estado-membro da UE com número de IVA válido (VIES): corrija o NIF do cliente ou o motivo."),
                format!("{code} needs a customer in another EU state with a valid VAT number (VIES): fix the customer's number or the reason."),
            ),
            PartyError::NeedsForeignBusiness { code } => Localized::new(
                format!("{code} (serviços localizados fora de Portugal) exige um cliente empresarial estrangeiro com número fiscal."),
                format!("{code} (services located outside Portugal) needs a foreign business customer with a tax number."),
            ),
            PartyError::NeedsPtBusiness { code } => Localized::new(
                format!("{code} (autoliquidação) exige um cliente sujeito passivo português com NIF: indique o NIF ou cobre IVA."),
                format!("{code} (reverse charge) needs a Portuguese taxable customer with a NIF: give the NIF or charge VAT."),
            ),
            PartyError::NeedsExport => Localized::new(
                "M05 (exportação) exige um destino fora da UE: indique o país de destino ou cobre IVA.",
                "M05 (export) needs a destination outside the EU: give the destination country or charge VAT.",
            ),
            PartyError::NeedsArt53Issuer => Localized::new(
                "M10 só pode ser usado por empresas no regime de isenção do art. 53.º: altere o regime nas definições ou cobre IVA.",
                "M10 may only be used by companies in the art. 53 exemption regime: change the regime in the settings or charge VAT.",
            ),
            PartyError::Art53ChargesVat => Localized::new(
                "No regime de isenção do art. 53.º não se liquida IVA: use o motivo M10.",
                "Under the art. 53 exemption no VAT is charged: use reason M10.",
            ),
            PartyError::Art53OtherCode => Localized::new(
                "No regime de isenção do art. 53.º o motivo habitual é M10: confirme este motivo.",
                "Under the art. 53 exemption the usual reason is M10: confirm this one.",
            ),
            PartyError::WithholdingNeedsPtBusiness => Localized::new(
                "A retenção na fonte é feita por clientes portugueses com contabilidade organizada: indique o NIF do cliente ou retire a retenção.",
                "Withholding is made by Portuguese customers with organised accounts: give the customer's NIF or remove the withholding.",
            ),
            PartyError::UnusualWithholdingRate(p) => Localized::new(
                format!("Taxa de retenção de {} fora da tabela em vigor: confirme-a.", format_percent(*p, Lang::Pt)),
                format!("Withholding rate {} is not in the table in force: check it.", format_percent(*p, Lang::En)),
            ),
            PartyError::CompanyWithoutNif => Localized::new(
                "O nome do cliente indica uma empresa (Lda., S.A., Unipessoal…): indique o NIF dele, obrigatório em faturas e faturas simplificadas a um sujeito passivo (art. 36.º n.º 5 a) e art. 40.º n.º 2 do CIVA).",
                "The customer's name says it is a company (Lda., S.A., Unipessoal…): give its NIF, required on invoices and simplified invoices to a taxable person (CIVA art. 36(5)(a) and art. 40(2)).",
            ),
            PartyError::BuyerNameRequired => Localized::new(
                "Indique o nome do cliente: é obrigatório numa fatura a uma empresa.",
                "Give the customer's name: it is required on an invoice to a business.",
            ),
            PartyError::BuyerAddressRequired => Localized::new(
                "Indique a morada do cliente: é obrigatória numa fatura a uma empresa (art. 36.º n.º 5 a) do CIVA).",
                "Give the customer's address: it is required on an invoice to a business (CIVA art. 36(5)(a)).",
            ),
            PartyError::BuyerAddressIfBusiness => Localized::new(
                "Cliente com NIF sem morada: se compra como empresário, a morada é obrigatória.",
                "Customer with a NIF and no address: if they buy as a business, the address is required.",
            ),
            PartyError::ConsumerIdentificationRequired => Localized::new(
                "Faturas a consumidores de 1.000,00 € ou mais têm de indicar o nome e a morada do cliente.",
                "Invoices to consumers of €1,000.00 or more must give the customer's name and address.",
            ),
            PartyError::RetailWithServices { line } => Localized::new(
                format!("Linha {}: o limite de 1.000 € da fatura simplificada é só para venda de bens a retalho; com serviços o limite é 100 €.", line + 1),
                format!("Line {}: the €1,000 simplified-invoice limit is for retail sales of goods only; with services it is €100.", line + 1),
            ),
            PartyError::RetailToBusiness => Localized::new(
                "O limite de 1.000 € da fatura simplificada é só para vendas a consumidores: a uma empresa emita uma fatura.",
                "The €1,000 simplified-invoice limit is for sales to consumers only: to a business issue an invoice.",
            ),
            PartyError::LateInvoice => Localized::new(
                "A fatura deve ser emitida até ao 5.º dia útil após o fornecimento (art. 36.º n.º 1 do CIVA).",
                "The invoice is due by the 5th working day after the supply (CIVA art. 36(1)).",
            ),
            PartyError::SupplyAfterIssue => Localized::new(
                "A data de fornecimento é posterior à da fatura: só é assim numa fatura de adiantamento.",
                "The supply date is after the invoice date: that is only so on an advance-payment invoice.",
            ),
            PartyError::LongB2bTerm(days) => Localized::new(
                format!("Prazo de {days} dias: entre empresas mais de 60 dias exige acordo expresso (DL 62/2013)."),
                format!("A {days}-day term: between businesses more than 60 days needs an express agreement (DL 62/2013)."),
            ),
        }
    }
}

/// One problem, on a line or on the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyProblem {
    /// The line (0-based), for line problems.
    pub line: Option<usize>,
    /// The field it is about: `tax`, `withholding`, `customer`, `supply_date`, `retail_b2c`, `due_date`.
    pub field: &'static str,
    /// What is wrong.
    pub error: PartyError,
}

impl PartyProblem {
    /// The field's path as the form names it: `lines[2].tax`, `customer`.
    pub fn path(&self) -> String {
        match self.line {
            Some(i) => format!("lines[{i}].{}", self.field),
            None => self.field.to_string(),
        }
    }

    /// The message, with the line number for line problems.
    pub fn message(&self) -> Localized {
        let m = self.error.message();
        match self.line {
            Some(i) if !matches!(self.error, PartyError::RetailWithServices { .. }) => {
                Localized::new(format!("Linha {}: {}", i + 1, m.pt), format!("Line {}: {}", i + 1, m.en))
            }
            _ => m,
        }
    }
}

/// The legal forms a Portuguese company's firm must end with (CSC art. 200, 275, 270-B; EIRL; cooperatives),
/// folded and without their dots. A bare "SA" is left out: folded, it is also the surname Sá.
const LEGAL_FORMS: &[&str] =
    &["lda", "ldª", "ld.ª", "limitada", "s.a", "unipessoal", "sgps", "s.g.p.s", "crl", "c.r.l", "eirl", "e.i.r.l"];

/// True when `name` carries a company's legal form ("Padaria Ribeiro, Lda.", "Tejo S.A."): a taxable person.
pub fn names_a_company(name: &str) -> bool {
    crate::text::fold(name)
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .map(|w| w.trim_end_matches('.'))
        .any(|w| LEGAL_FORMS.contains(&w))
}

fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().unwrap_or(to);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
    }
    n
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// Every problem of a document towards its parties; errors refuse issue, warnings are shown.
pub fn check_parties(draft: &DraftDocument, ctx: &DocumentContext<'_>) -> Vec<PartyProblem> {
    let mut out = Vec::new();
    let mut push =
        |line: Option<usize>, field: &'static str, error: PartyError| out.push(PartyProblem { line, field, error });
    let buyer = BuyerKind::of(ctx.buyer);
    let art53 = ctx.settings.vat_regime == VatRegime::SmallBusinessExempt;

    for (i, l) in draft.lines.iter().enumerate() {
        let at = Some(i);
        let code = l.tax.exemption.as_ref().map(|c| c.as_str().to_string());
        match code.as_deref() {
            None if l.tax.code.class().is_some() && art53 => push(at, "tax", PartyError::Art53ChargesVat),
            None => {}
            Some("M10") if !art53 => push(at, "tax", PartyError::NeedsArt53Issuer),
            Some("M10") => {}
            Some(_) if art53 => push(at, "tax", PartyError::Art53OtherCode),
            Some(c @ ("M16" | "M41")) if !matches!(buyer, BuyerKind::EuVat(_)) => {
                push(at, "tax", PartyError::NeedsEuVat { code: c.into() })
            }
            // Art. 6 n.º 6 a) CIVA a contrario: a service to any taxable person established abroad; inside the
            // EU that person is identified by a valid VAT number.
            Some(c @ "M40") => match buyer {
                BuyerKind::EuVat(_) | BuyerKind::Foreign => {}
                BuyerKind::EuInvalid => push(at, "tax", PartyError::NeedsEuVat { code: c.into() }),
                _ => push(at, "tax", PartyError::NeedsForeignBusiness { code: c.into() }),
            },
            Some(c @ ("M30" | "M31" | "M32" | "M33" | "M34" | "M42" | "M43"))
                if !matches!(buyer, BuyerKind::PtBusiness(_) | BuyerKind::PtIndividual(_)) =>
            {
                push(at, "tax", PartyError::NeedsPtBusiness { code: c.into() })
            }
            Some("M05") => {
                let dest =
                    ctx.destination_country.map(str::trim).filter(|c| !c.is_empty()).unwrap_or(&ctx.buyer.country);
                let dest = if dest.trim().is_empty() { "PT" } else { dest };
                if is_eu_country(dest) {
                    push(at, "tax", PartyError::NeedsExport);
                }
            }
            Some(_) => {}
        }
    }

    let withheld = (0..draft.lines.len()).filter_map(|i| draft.line_withholding(i)).collect::<Vec<_>>();
    if !withheld.is_empty() {
        if !matches!(buyer, BuyerKind::PtBusiness(_) | BuyerKind::PtIndividual(_)) {
            push(None, "withholding", PartyError::WithholdingNeedsPtBusiness);
        }
        let mut seen: Vec<Percent> = Vec::new();
        for p in withheld {
            if !seen.contains(&p) && !withholding::is_known_rate(p, draft.date) {
                push(None, "withholding", PartyError::UnusualWithholdingRate(p));
            }
            seen.push(p);
        }
    }

    let invoicing = draft.doc_type.is_invoice() || draft.doc_type.is_rectifying();
    // Who buys as a taxable person is only known from a tax id; a name with a company's legal form says so too.
    if invoicing && buyer == BuyerKind::Consumer && names_a_company(&ctx.buyer.name) {
        push(None, "customer", PartyError::CompanyWithoutNif);
    }
    if invoicing && draft.doc_type != DocType::Fs {
        let name_blank = ctx.buyer.name.trim().is_empty();
        let address_blank = blank(&ctx.buyer.address) && (blank(&ctx.buyer.postal_code) || blank(&ctx.buyer.city));
        if buyer.is_business() {
            if name_blank {
                push(None, "customer", PartyError::BuyerNameRequired);
            }
            if address_blank {
                push(None, "customer", PartyError::BuyerAddressRequired);
            }
        } else if matches!(buyer, BuyerKind::PtIndividual(_)) && address_blank {
            push(None, "customer", PartyError::BuyerAddressIfBusiness);
        }
        let consumer = matches!(buyer, BuyerKind::Consumer | BuyerKind::PtIndividual(_));
        if consumer && (name_blank || address_blank) {
            if let Ok(t) = compute_with(draft, ctx.settings.rounding) {
                if t.total >= CONSUMER_IDENTIFICATION_FROM {
                    push(None, "customer", PartyError::ConsumerIdentificationRequired);
                }
            }
        }
    }

    if draft.doc_type == DocType::Fs && draft.retail_b2c {
        if buyer.is_business() {
            push(None, "retail_b2c", PartyError::RetailToBusiness);
        }
        for (i, k) in ctx.line_kinds.iter().enumerate() {
            if *k == Some(ProductKind::Service) {
                push(Some(i), "retail_b2c", PartyError::RetailWithServices { line: i });
            }
        }
    }

    if let Some(supply) = draft.supply_date {
        if supply > draft.date {
            push(None, "supply_date", PartyError::SupplyAfterIssue);
        } else if draft.doc_type.is_invoice()
            && working_days_between(supply, draft.date) > INVOICE_DEADLINE_WORKING_DAYS
        {
            push(None, "supply_date", PartyError::LateInvoice);
        }
    }

    out.extend(term_warning(draft, ctx.buyer));
    out
}

/// DL 62/2013 art. 5 n.º 5: a due date more than 60 days after the document's date, towards a business, needs an
/// express agreement (a warning). The editor shows it under the due date as soon as the customer is picked.
pub fn term_warning(draft: &DraftDocument, buyer: &PartyInfo) -> Option<PartyProblem> {
    let days = (draft.due_date? - draft.date).num_days();
    (BuyerKind::of(buyer).is_business() && days > B2B_TERM_DAYS).then_some(PartyProblem {
        line: None,
        field: "due_date",
        error: PartyError::LongB2bTerm(days),
    })
}

/// Only the errors: what refuses issue.
pub fn party_errors(draft: &DraftDocument, ctx: &DocumentContext<'_>) -> Vec<PartyProblem> {
    check_parties(draft, ctx).into_iter().filter(|p| p.error.severity() == Severity::Error).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::DraftLine;
    use crate::money::{Quantity, UnitPrice};
    use crate::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
    use rust_decimal_macros::dec;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }
    fn exempt(code: &str) -> LineTax {
        LineTax::exempt(FiscalZone::Pt, ExemptionCode::parse(code).unwrap_or_else(|| panic!("{code}")))
    }
    fn doc(t: DocType, price: rust_decimal::Decimal, tax: LineTax) -> DraftDocument {
        let mut d = DraftDocument::new(t, day(11, 10));
        d.lines.push(DraftLine {
            description: "Serviço".into(),
            quantity: Quantity(dec!(1)),
            unit_price: UnitPrice(price),
            discount: Percent::ZERO,
            tax,
            withholding: None,
        });
        d
    }
    fn buyer(country: &str, tax_id: Option<&str>) -> PartyInfo {
        PartyInfo {
            name: "Cliente".into(),
            tax_id: tax_id.map(str::to_string),
            address: Some("Rua 1".into()),
            city: Some("Cidade".into()),
            country: country.into(),
            ..PartyInfo::default()
        }
    }
    fn errors(d: &DraftDocument, settings: &FiscalSettings, b: &PartyInfo) -> Vec<PartyError> {
        let ctx = DocumentContext { settings, buyer: b, destination_country: None, line_kinds: &[] };
        check_parties(d, &ctx).into_iter().map(|p| p.error).collect()
    }
    fn normal() -> FiscalSettings {
        FiscalSettings::default()
    }

    #[test]
    fn rule_m16_m41_need_an_eu_customer_with_a_valid_vat_number() {
        for code in ["M16", "M41"] {
            let d = doc(DocType::Ft, dec!(100), exempt(code));
            assert_eq!(errors(&d, &normal(), &buyer("ES", Some("A12345674"))), vec![], "{code}");
            assert_eq!(errors(&d, &normal(), &buyer("ES", Some("ESA12345674"))), vec![], "{code}");
            let need = vec![PartyError::NeedsEuVat { code: code.into() }];
            assert_eq!(errors(&d, &normal(), &buyer("PT", Some("501964843"))), need);
            assert_eq!(errors(&d, &normal(), &buyer("ES", Some("A1234567"))), need);
            assert_eq!(errors(&d, &normal(), &buyer("US", Some("123456789"))), need);
            assert_eq!(errors(&d, &normal(), &buyer("PT", None)), need);
        }
        // Greece: ISO GR, VAT prefix EL.
        assert!(BuyerKind::of(&buyer("GR", Some("EL094259216"))).is_business());
        assert!(matches!(BuyerKind::of(&buyer("GR", Some("094259216"))), BuyerKind::EuVat(v) if v.country == "EL"));
    }

    #[test]
    fn rule_m40_needs_a_business_established_abroad() {
        let d = doc(DocType::Ft, dec!(100), exempt("M40"));
        assert_eq!(errors(&d, &normal(), &buyer("US", Some("12-3456789"))), vec![]);
        assert_eq!(errors(&d, &normal(), &buyer("ES", Some("A12345674"))), vec![]);
        assert_eq!(
            errors(&d, &normal(), &buyer("ES", Some("A12345675"))),
            vec![PartyError::NeedsEuVat { code: "M40".into() }]
        );
        assert_eq!(
            errors(&d, &normal(), &buyer("PT", Some("501964843"))),
            vec![PartyError::NeedsForeignBusiness { code: "M40".into() }]
        );
    }

    #[test]
    fn rule_m30_to_m43_reverse_charge_needs_a_portuguese_business() {
        for code in ["M30", "M31", "M32", "M33", "M34", "M42", "M43"] {
            let d = doc(DocType::Ft, dec!(100), exempt(code));
            assert_eq!(errors(&d, &normal(), &buyer("PT", Some("501964843"))), vec![], "{code}");
            let need = vec![PartyError::NeedsPtBusiness { code: code.into() }];
            assert_eq!(errors(&d, &normal(), &buyer("PT", Some("999999990"))), need);
            assert_eq!(errors(&d, &normal(), &buyer("FR", Some("40303265045"))), need);
        }
    }

    #[test]
    fn rule_m05_needs_a_destination_outside_the_eu() {
        let d = doc(DocType::Ft, dec!(100), exempt("M05"));
        assert_eq!(errors(&d, &normal(), &buyer("AO", Some("5417000000"))), vec![]);
        assert_eq!(errors(&d, &normal(), &buyer("ES", Some("A12345674"))), vec![PartyError::NeedsExport]);
        assert_eq!(errors(&d, &normal(), &buyer("PT", Some("501964843"))), vec![PartyError::NeedsExport]);
        let b = buyer("PT", Some("501964843"));
        let ctx = DocumentContext { settings: &normal(), buyer: &b, destination_country: Some("CH"), line_kinds: &[] };
        assert!(check_parties(&d, &ctx).is_empty());
    }

    #[test]
    fn rule_m10_only_for_an_art_53_issuer_on_every_line() {
        let art53 = FiscalSettings { vat_regime: VatRegime::SmallBusinessExempt, ..normal() };
        let b = buyer("PT", Some("501964843"));
        let d = doc(DocType::Ft, dec!(100), exempt("M10"));
        assert_eq!(errors(&d, &normal(), &b), vec![PartyError::NeedsArt53Issuer]);
        assert_eq!(errors(&d, &art53, &b), vec![]);
        let taxed = doc(DocType::Ft, dec!(100), LineTax::rate(FiscalZone::Pt, RateClass::Normal));
        assert_eq!(errors(&taxed, &art53, &b), vec![PartyError::Art53ChargesVat]);
        let other = doc(DocType::Ft, dec!(100), exempt("M07"));
        let found = errors(&other, &art53, &b);
        assert_eq!(found, vec![PartyError::Art53OtherCode]);
        assert_eq!(found[0].severity(), Severity::Warning);
    }

    #[test]
    fn rule_cirs_101_withholding_only_towards_a_portuguese_business() {
        let mut d = doc(DocType::Ft, dec!(1000), LineTax::rate(FiscalZone::Pt, RateClass::Normal));
        d.withholding = Some(Percent(dec!(23)));
        assert_eq!(errors(&d, &normal(), &buyer("PT", Some("501964843"))), vec![]);
        assert_eq!(errors(&d, &normal(), &buyer("PT", None)), vec![PartyError::WithholdingNeedsPtBusiness]);
        assert_eq!(
            errors(&d, &normal(), &buyer("ES", Some("A12345674"))),
            vec![PartyError::WithholdingNeedsPtBusiness]
        );
        d.withholding = Some(Percent(dec!(21.5)));
        let found = errors(&d, &normal(), &buyer("PT", Some("501964843")));
        assert_eq!(found, vec![PartyError::UnusualWithholdingRate(Percent(dec!(21.5)))]);
        assert_eq!(found[0].severity(), Severity::Warning);
    }

    #[test]
    fn rule_civa_36_5_buyer_identification() {
        let nor = LineTax::rate(FiscalZone::Pt, RateClass::Normal);
        let d = doc(DocType::Ft, dec!(100), nor.clone());
        let mut b = buyer("PT", Some("501964843"));
        b.address = None;
        b.name = String::new();
        assert_eq!(errors(&d, &normal(), &b), vec![PartyError::BuyerNameRequired, PartyError::BuyerAddressRequired]);
        // Postal code and town count as an address.
        b.name = "Empresa".into();
        b.postal_code = Some("1000-001".into());
        assert_eq!(errors(&d, &normal(), &b), vec![]);
        // A consumer: 813.00 + 23 % = 999.99, no identification needed; 813.01 + 23 % = 1,000.00 needs it.
        let anon = PartyInfo { country: "PT".into(), ..PartyInfo::default() };
        assert_eq!(errors(&doc(DocType::Ft, dec!(813), nor.clone()), &normal(), &anon), vec![]);
        assert_eq!(
            errors(&doc(DocType::Fr, dec!(813.01), nor.clone()), &normal(), &anon),
            vec![PartyError::ConsumerIdentificationRequired]
        );
        // An individual's NIF without address: a warning (required only if they buy as a business).
        let mut person = buyer("PT", Some("123456789"));
        person.address = None;
        person.city = None;
        assert_eq!(errors(&d, &normal(), &person), vec![PartyError::BuyerAddressIfBusiness]);
    }

    #[test]
    fn rule_civa_36_5_and_40_2_a_company_buyer_needs_its_nif_also_on_an_fs() {
        let nor = LineTax::rate(FiscalZone::Pt, RateClass::Normal);
        let named = |name: &str, tax_id: Option<&str>| PartyInfo { name: name.into(), ..buyer("PT", tax_id) };
        for t in [DocType::Fs, DocType::Ft, DocType::Fr] {
            let d = doc(t, dec!(50), nor.clone());
            assert_eq!(errors(&d, &normal(), &named("Padaria Ribeiro, Lda.", None)), [PartyError::CompanyWithoutNif]);
            assert_eq!(
                errors(&d, &normal(), &named("Padaria Ribeiro, Lda.", Some("999999990"))),
                [PartyError::CompanyWithoutNif]
            );
            assert_eq!(errors(&d, &normal(), &named("Padaria Ribeiro, Lda.", Some("501964843"))), vec![]);
            // A person without a NIF buys as a consumer.
            assert_eq!(errors(&d, &normal(), &named("José Sá", None)), vec![], "{t:?}");
        }
        // A quote is no invoice.
        assert_eq!(errors(&doc(DocType::Or, dec!(50), nor), &normal(), &named("Tejo S.A.", None)), vec![]);
        let companies = [
            "Tejo Serviços S.A.",
            "Ana Lopes Unipessoal Lda",
            "Grupo X, SGPS, S.A.",
            "Adega (C.R.L.)",
            "TEJO LIMITADA",
            "Rio, Ld.ª",
        ];
        for company in companies {
            assert!(names_a_company(company), "{company}");
        }
        for person in ["José Sá", "Maria Sa", "Laura Sala", "Aldas", "Consumidor final"] {
            assert!(!names_a_company(person), "{person}");
        }
    }

    #[test]
    fn rule_civa_40_retail_simplified_invoice_is_goods_to_consumers() {
        let mut fs = doc(DocType::Fs, dec!(500), LineTax::rate(FiscalZone::Pt, RateClass::Normal));
        fs.retail_b2c = true;
        let anon = PartyInfo { country: "PT".into(), ..PartyInfo::default() };
        let kinds = [Some(ProductKind::Product)];
        let ctx = DocumentContext { settings: &normal(), buyer: &anon, destination_country: None, line_kinds: &kinds };
        assert!(check_parties(&fs, &ctx).is_empty());
        let kinds = [Some(ProductKind::Service)];
        let ctx = DocumentContext { line_kinds: &kinds, ..ctx };
        assert_eq!(
            check_parties(&fs, &ctx).into_iter().map(|p| p.error).collect::<Vec<_>>(),
            vec![PartyError::RetailWithServices { line: 0 }]
        );
        assert_eq!(errors(&fs, &normal(), &buyer("PT", Some("501964843"))), vec![PartyError::RetailToBusiness]);
    }

    #[test]
    fn rule_civa_36_1_supply_date_and_dl_62_2013_terms() {
        let b = buyer("PT", Some("501964843"));
        let mut d = doc(DocType::Ft, dec!(100), LineTax::rate(FiscalZone::Pt, RateClass::Normal));
        // Supplied Monday 02/11/2026; Monday 09/11 is the 5th working day after it, Tuesday 10/11 the 6th.
        d.supply_date = Some(day(11, 2));
        assert_eq!(errors(&d, &normal(), &b), vec![PartyError::LateInvoice]);
        d.date = day(11, 9);
        assert_eq!(errors(&d, &normal(), &b), vec![]);
        d.supply_date = Some(day(11, 20));
        assert_eq!(errors(&d, &normal(), &b), vec![PartyError::SupplyAfterIssue]);
        d.supply_date = None;
        // 09/11/2026 + 61 days = 09/01/2027: beyond 60 days between businesses, a warning.
        d.due_date = NaiveDate::from_ymd_opt(2027, 1, 9);
        assert_eq!(errors(&d, &normal(), &b), vec![PartyError::LongB2bTerm(61)]);
        d.due_date = NaiveDate::from_ymd_opt(2027, 1, 8);
        assert_eq!(errors(&d, &normal(), &b), vec![]);
    }

    #[test]
    fn rule_dl_62_2013_the_editor_warns_on_a_customers_90_day_terms() {
        // A draft dated 15/01/2026 with no due date typed, for a customer agreed at 90 days: due 15/04/2026, 90 days.
        let mut d = doc(DocType::Ft, dec!(100), LineTax::rate(FiscalZone::Pt, RateClass::Normal));
        d.date = day(1, 15);
        d.due_date = crate::document::due_or_default(&d, Some(crate::document::PaymentTerms::Days(90))).ok().flatten();
        let w = term_warning(&d, &buyer("PT", Some("501964843"))).map(|p| (p.path(), p.error));
        assert_eq!(w, Some(("due_date".to_string(), PartyError::LongB2bTerm(90))));
        assert_eq!(PartyError::LongB2bTerm(90).severity(), Severity::Warning);
        // A consumer (an individual's NIF, or none) may agree any term.
        assert_eq!(term_warning(&d, &buyer("PT", Some("123456789"))), None);
        assert_eq!(term_warning(&d, &buyer("PT", None)), None);
        // 60 days is still within the law.
        d.due_date = Some(day(3, 16));
        assert_eq!(term_warning(&d, &buyer("PT", Some("501964843"))), None);
    }
}
