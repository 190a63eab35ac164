//! The printable view of a document: every string the PDF shows, already formatted, so the renderer only lays
//! text out and does no money arithmetic. Drafts get a watermark and no fiscal block; issued documents get
//! their ATCUD, QR payload and certification phrase as Moloni issued them (pt-invoicing §6).

pub mod labels;

pub use labels::{format_date, page_label, Labels, DRAFT_WATERMARK_PT};

use crate::company::FiscalSettings;
use crate::document::{DocType, DraftDocument, Totals};
use crate::fiscal::{certification_phrase, Atcud};
use crate::money::format::format_decimal;
use crate::money::{format_money, format_percent, format_quantity, format_unit_price, Money};
use crate::msg::Lang;
use crate::party::{Iban, FINAL_CONSUMER_NIF};
use crate::tax::{ExemptionNature, TaxCode};
use serde::{Deserialize, Serialize};

/// A party as the document shows it (issuer or customer), as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartyInfo {
    /// Name or firm.
    pub name: String,
    /// NIF (PT) or foreign tax id without prefix; `None` for a consumer without one.
    pub tax_id: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Town.
    pub city: Option<String>,
    /// ISO alpha-2 country.
    pub country: String,
    /// Share capital, printed on the issuer's block when set (CSC art. 171).
    #[serde(default)]
    pub share_capital: Option<Money>,
    /// Commercial registry, as the company writes it ("Matrícula CRC Lisboa n.º 501964843").
    #[serde(default)]
    pub registry: Option<String>,
}

/// What Moloni returned when it closed the document. Present only for issued documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedInfo {
    /// The unique number, `FT 2026A/17`.
    pub number: String,
    /// The ATCUD.
    pub atcud: Atcud,
    /// The QR payload ([`crate::fiscal::qr_payload`]).
    pub qr_payload: String,
    /// The 4 signature characters (empty for receipts).
    pub hash4: String,
    /// The issuing program's certificate number (Moloni: 2860).
    pub certificate: String,
}

/// How to pay, when the document says it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaymentInfo {
    /// The payment method's name, as configured ("Transferência bancária").
    pub method: Option<String>,
    /// The account to pay into.
    pub iban: Option<Iban>,
}

/// Everything the view is built from.
#[derive(Debug, Clone, Copy)]
pub struct PrintInput<'a> {
    /// The document's content.
    pub document: &'a DraftDocument,
    /// Its totals: computed for drafts, Moloni's for issued documents.
    pub totals: &'a Totals,
    /// The app's internal id of the draft, shown instead of a number on drafts.
    pub draft_id: &'a str,
    /// The issuing company.
    pub issuer: &'a PartyInfo,
    /// The customer.
    pub customer: &'a PartyInfo,
    /// Fiscal data, for issued documents only.
    pub issued: Option<&'a IssuedInfo>,
    /// Payment details.
    pub payment: Option<&'a PaymentInfo>,
}

/// A party block: name, tax line, address lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyBlock {
    /// Name.
    pub name: String,
    /// "NIF 501964843", "VAT FR44433322215" or "Consumidor final".
    pub tax_line: String,
    /// Address, postal code and town, country.
    pub address_lines: Vec<String>,
    /// Share capital and registry, when set: "Capital social 5.000,00 €".
    #[serde(default)]
    pub legal_lines: Vec<String>,
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintLine {
    /// Description.
    pub description: String,
    /// Quantity.
    pub quantity: String,
    /// Unit price, without the € sign (the column says it).
    pub unit_price: String,
    /// Line discount, empty when none.
    pub discount: String,
    /// "23 %", or the exemption mark `[M07]`.
    pub tax: String,
    /// Amount after the line discount, without the € sign.
    pub amount: String,
}

/// One VAT summary row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintVatRow {
    /// Zone name, "Continente".
    pub zone: String,
    /// "23 %" or "Isento".
    pub rate: String,
    /// Taxable base with €.
    pub base: String,
    /// VAT with €.
    pub vat: String,
    /// `[M07] Isento artigo 9.º do CIVA`, for exempt rows.
    pub exemption: Option<String>,
}

/// A caption and its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledAmount {
    /// "Total ilíquido".
    pub label: String,
    /// "1.234,56 €".
    pub amount: String,
}

/// The fiscal block of an issued document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalBlock {
    /// `ATCUD:CSDF7T5H-0035`, above the QR on every page.
    pub atcud: String,
    /// The text to encode in the QR image.
    pub qr_payload: String,
    /// "kLp0-Processado por programa certificado n.º 2860/AT".
    pub phrase: String,
}

/// Every string of the printed document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintDocument {
    /// The language it is printed in.
    pub lang: Lang,
    /// Drafts: the watermark for every page. `None` on issued documents.
    pub watermark: Option<String>,
    /// "Fatura" (issued) or "Rascunho interno" (draft: never the document type as title).
    pub title: String,
    /// Drafts: the type it will be issued as, "A emitir como: Fatura". `None` on issued documents.
    pub subtitle: Option<String>,
    /// "FT 2026A/17" (issued) or "Rascunho 0192…" (draft).
    pub number: String,
    /// Issue date.
    pub date: String,
    /// Due date, when there is one; never on drafts (a draft is not a payment request).
    pub due_date: Option<String>,
    /// The date of supply when it differs from the issue date (CIVA art. 36 n.º 5 f)).
    #[serde(default)]
    pub supply_date: Option<String>,
    /// Regime mentions the law requires on the document ("IVA – regime de caixa").
    #[serde(default)]
    pub mentions: Vec<String>,
    /// The issuer.
    pub issuer: PartyBlock,
    /// The customer.
    pub customer: PartyBlock,
    /// "NC corrige FT 2026A/9 de 01/02/2026: Devolução".
    pub references: Vec<String>,
    /// Column titles and captions.
    pub labels: Labels,
    /// The lines.
    pub lines: Vec<PrintLine>,
    /// The running total after each line, with €, for "a transportar" / "transporte" between pages.
    pub running_totals: Vec<String>,
    /// The VAT summary rows.
    pub vat_summary: Vec<PrintVatRow>,
    /// Totals, in print order (discounts only when there are any), the last being what is to pay: the document
    /// total, or with withholding "Total", "Retenção na fonte (23 %)" and then "Total a pagar" (D8632 §2.2.7).
    pub totals: Vec<LabelledAmount>,
    /// Payment lines: method, IBAN, due date. Always empty on drafts: a draft with payment instructions would be
    /// a de facto pro-forma, which only certified software may issue (OC 30213/2019; D8632 §1.2).
    pub payment: Vec<String>,
    /// Free notes.
    pub notes: Option<String>,
    /// ATCUD, QR and certification phrase; always `None` on drafts.
    pub fiscal: Option<FiscalBlock>,
}

fn pick(lang: Lang, pt: &str, en: &str) -> String {
    match lang {
        Lang::Pt => pt.to_string(),
        Lang::En => en.to_string(),
    }
}

fn party_block(p: &PartyInfo, lang: Lang) -> PartyBlock {
    let tax_line = match p.tax_id.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None | Some(FINAL_CONSUMER_NIF) => "Consumidor final".to_string(),
        Some(id) if p.country.is_empty() || p.country == "PT" => format!("NIF {id}"),
        Some(id) => format!("{} {}{id}", pick(lang, "NIF", "VAT"), p.country),
    };
    let mut address_lines: Vec<String> = p.address.iter().flat_map(|a| a.lines()).map(str::to_string).collect();
    let town: Vec<&str> = [p.postal_code.as_deref(), p.city.as_deref()].into_iter().flatten().collect();
    if !town.is_empty() {
        address_lines.push(town.join(" "));
    }
    if !p.country.is_empty() && p.country != "PT" {
        address_lines.push(p.country.clone());
    }
    let mut legal_lines = Vec::new();
    if let Some(capital) = p.share_capital {
        legal_lines.push(format!("{} {}", pick(lang, "Capital social", "Share capital"), format_money(capital, lang)));
    }
    if let Some(registry) = p.registry.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        legal_lines.push(registry.to_string());
    }
    PartyBlock { name: p.name.clone(), tax_line, address_lines, legal_lines }
}

/// Builds the printable view of a document in `lang`, for a company in the normal VAT regime.
pub fn build(input: &PrintInput<'_>, lang: Lang) -> PrintDocument {
    build_with(input, &FiscalSettings::default(), lang)
}

/// Builds the printable view of a document in `lang` with the company's fiscal settings (its regime's
/// mentions).
pub fn build_with(input: &PrintInput<'_>, settings: &FiscalSettings, lang: Lang) -> PrintDocument {
    let doc = input.document;
    let t = input.totals;
    let type_name = doc.doc_type.name_in(lang);
    let (watermark, title, subtitle, number, fiscal) = match input.issued {
        Some(i) => {
            let hash4 = if doc.doc_type.is_signed() { i.hash4.as_str() } else { "" };
            let fiscal = FiscalBlock {
                atcud: i.atcud.printed(),
                qr_payload: i.qr_payload.clone(),
                phrase: certification_phrase(doc.doc_type, hash4, &i.certificate),
            };
            (None, type_name, None, i.number.clone(), Some(fiscal))
        }
        None => (
            Some(match lang {
                Lang::Pt => DRAFT_WATERMARK_PT.to_string(),
                Lang::En => format!("{DRAFT_WATERMARK_PT} (draft, not an invoice)"),
            }),
            pick(lang, "Rascunho interno", "Internal draft"),
            Some(format!("{} {type_name}", pick(lang, "A emitir como:", "To be issued as:"))),
            format!("{} {}", pick(lang, "Rascunho", "Draft"), input.draft_id),
            None,
        ),
    };

    let lines = doc
        .lines
        .iter()
        .zip(&t.lines)
        .map(|(l, a)| PrintLine {
            description: l.description.clone(),
            quantity: format_quantity(l.quantity, lang),
            unit_price: format_unit_price(l.unit_price, lang),
            discount: if l.discount.0.is_zero() { String::new() } else { format_percent(l.discount, lang) },
            tax: match &a.tax.exemption {
                Some(code) => format!("[{code}]"),
                None => format_percent(a.tax.percent, lang),
            },
            amount: format_decimal(a.amount.0, lang, 2, 2),
        })
        .collect();

    let vat_summary = t
        .summary
        .iter()
        .map(|r| PrintVatRow {
            zone: r.tax.zone.name(lang).to_string(),
            rate: match (r.tax.code, r.tax.exemption.as_ref().and_then(|c| c.row())) {
                // "Autoliquidação" and "Não sujeito" are not exemptions (fiscal-review L4).
                (TaxCode::Ise | TaxCode::Out, Some(e)) if e.nature() != ExemptionNature::Exempt => {
                    e.nature().name().get(lang).to_string()
                }
                (TaxCode::Ise | TaxCode::Out, _) => r.tax.code.name().get(lang).to_string(),
                _ => format_percent(r.tax.percent, lang),
            },
            base: format_money(r.base, lang),
            vat: format_money(r.vat, lang),
            exemption: r.tax.exemption.as_ref().map(|c| format!("[{c}] {}", c.mention())),
        })
        .collect();

    let amount =
        |pt: &str, en: &str, m: Money| LabelledAmount { label: pick(lang, pt, en), amount: format_money(m, lang) };
    let mut totals = vec![amount("Total ilíquido", "Gross total", t.gross)];
    if !t.discounts.is_zero() {
        totals.push(amount("Descontos", "Discounts", t.discounts));
    }
    totals.push(amount("Total sem IVA", "Net total", t.net));
    totals.push(amount("IVA", "VAT", t.vat));
    totals.push(amount("Total", "Total", t.total));
    if !t.withholding_rows.is_empty() {
        for w in &t.withholding_rows {
            let pct = format_percent(w.percent, lang);
            totals.push(LabelledAmount {
                label: format!("{} ({pct})", pick(lang, "Retenção na fonte", "Withholding tax")),
                // Shown positive: printed documents carry no negative amounts (D8632 §2.2.6); the label says it.
                amount: format_money(w.amount, lang),
            });
        }
        totals.push(amount("Total a pagar", "Amount payable", t.payable));
    }

    let draft = input.issued.is_none();
    let due_date = doc.due_date.filter(|_| !draft).map(|d| format_date(d, lang));
    let mut payment = Vec::new();
    if let (Some(p), false) = (input.payment, draft) {
        if let Some(m) = &p.method {
            payment.push(m.clone());
        }
        if let Some(iban) = &p.iban {
            payment.push(format!("IBAN {iban}"));
        }
    }
    if let (Some(due), true) = (&due_date, doc.doc_type.is_receivable()) {
        payment.push(format!("{} {due}", pick(lang, "Pagar até", "Pay by")));
    }

    let references = doc
        .references
        .iter()
        .map(|r| {
            let reason = if r.reason.trim().is_empty() { String::new() } else { format!(": {}", r.reason.trim()) };
            let verb = match doc.doc_type {
                DocType::Nc | DocType::Nd => pick(lang, "Corrige", "Corrects"),
                _ => pick(lang, "Origem", "From"),
            };
            format!("{verb} {} {} {}{reason}", r.number, pick(lang, "de", "of"), format_date(r.date, lang))
        })
        .collect();

    PrintDocument {
        lang,
        watermark,
        title,
        subtitle,
        number,
        date: format_date(doc.date, lang),
        due_date,
        supply_date: doc.supply_date.filter(|s| *s != doc.date).map(|s| format_date(s, lang)),
        mentions: settings.mentions(doc.doc_type).into_iter().map(str::to_string).collect(),
        issuer: party_block(input.issuer, lang),
        customer: party_block(input.customer, lang),
        references,
        labels: Labels::new(lang),
        lines,
        running_totals: t.running_amounts().into_iter().map(|m| format_money(m, lang)).collect(),
        vat_summary,
        totals,
        payment,
        notes: Some(doc.notes.trim().to_string()).filter(|n| !n.is_empty()),
        fiscal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{compute, DocRef, DraftLine};
    use crate::money::{Percent, Quantity, UnitPrice};
    use crate::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default()
    }

    fn sample() -> DraftDocument {
        let mut d = DraftDocument::new(DocType::Ft, day(15));
        d.due_date = Some(day(31));
        let m07 = ExemptionCode::parse("M07").map(|c| LineTax::exempt(FiscalZone::Pt, c));
        d.lines = vec![
            DraftLine {
                description: "Consultoria".into(),
                quantity: Quantity(dec!(1234.5)),
                unit_price: UnitPrice(dec!(2.37)),
                discount: Percent(dec!(12.5)),
                tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
                withholding: None,
            },
            DraftLine {
                description: "Formação".into(),
                quantity: Quantity(dec!(1)),
                unit_price: UnitPrice(dec!(100)),
                discount: Percent::ZERO,
                tax: m07.unwrap_or_else(|| LineTax::rate(FiscalZone::Pt, RateClass::Normal)),
                withholding: None,
            },
        ];
        d.notes = "  Obrigado.  ".into();
        d
    }

    fn parties() -> (PartyInfo, PartyInfo) {
        let issuer = PartyInfo {
            name: "Empresa Exemplo, Lda".into(),
            tax_id: Some("501964843".into()),
            address: Some("Rua Direita 1\n2.º esq.".into()),
            postal_code: Some("1000-001".into()),
            city: Some("Lisboa".into()),
            country: "PT".into(),
            share_capital: Some(Money(dec!(5000))),
            registry: Some("CRC Lisboa".into()),
        };
        let customer = PartyInfo { name: "Cliente".into(), country: "PT".into(), ..PartyInfo::default() };
        (issuer, customer)
    }

    #[test]
    fn a_draft_has_no_fiscal_marks() {
        let d = sample();
        let t = compute(&d).expect("totals");
        let (issuer, customer) = parties();
        let input = PrintInput {
            document: &d,
            totals: &t,
            draft_id: "0192ab",
            issuer: &issuer,
            customer: &customer,
            issued: None,
            payment: Some(&PaymentInfo {
                method: Some("Transferência bancária".into()),
                iban: Iban::parse("PT50000201231234567890154").ok(),
            }),
        };
        let p = build(&input, Lang::Pt);
        assert_eq!(p.watermark.as_deref(), Some("RASCUNHO — Este documento não serve de fatura"));
        assert_eq!(p.title, "Rascunho interno");
        assert_eq!(p.subtitle.as_deref(), Some("A emitir como: Fatura"));
        assert_eq!(p.number, "Rascunho 0192ab");
        assert_eq!(p.fiscal, None);
        // fiscal-review M6: a draft is never a pro-forma: no due date, no IBAN, no "Pagar até".
        assert_eq!((p.date.as_str(), p.due_date.as_deref()), ("15/01/2026", None));
        assert_eq!(p.issuer.tax_line, "NIF 501964843");
        assert_eq!(p.issuer.address_lines, ["Rua Direita 1", "2.º esq.", "1000-001 Lisboa"]);
        assert_eq!(p.issuer.legal_lines, ["Capital social 5.000,00 €", "CRC Lisboa"]);
        assert_eq!(p.customer.tax_line, "Consumidor final");
        assert!(p.customer.legal_lines.is_empty());
        let l = &p.lines[0];
        assert_eq!(
            (l.quantity.as_str(), l.unit_price.as_str(), l.discount.as_str(), l.tax.as_str(), l.amount.as_str()),
            ("1.234,5", "2,37", "12,5 %", "23 %", "2.560,04")
        );
        assert_eq!((p.lines[1].tax.as_str(), p.lines[1].discount.as_str()), ("[M07]", ""));
        assert_eq!(p.running_totals, ["2.560,04 €", "2.660,04 €"]);
        assert_eq!(p.vat_summary[0].exemption.as_deref(), Some("[M07] Isento artigo 9.º do CIVA"));
        assert_eq!(p.vat_summary[0].rate, "Isento");
        assert_eq!((p.vat_summary[1].rate.as_str(), p.vat_summary[1].vat.as_str()), ("23 %", "588,81 €"));
        let totals: Vec<_> = p.totals.iter().map(|a| (a.label.as_str(), a.amount.as_str())).collect();
        assert_eq!(
            totals,
            [
                ("Total ilíquido", "3.025,77 €"),
                ("Descontos", "365,73 €"),
                ("Total sem IVA", "2.660,04 €"),
                ("IVA", "588,81 €"),
                ("Total", "3.248,85 €")
            ]
        );
        assert!(p.payment.is_empty());
        assert_eq!(p.notes.as_deref(), Some("Obrigado."));
    }

    #[test]
    fn an_issued_document_carries_its_fiscal_block() {
        let mut d = sample();
        d.doc_type = DocType::Nc;
        d.references.push(DocRef {
            doc_type: DocType::Ft,
            number: "FT 2026A/9".into(),
            date: day(2),
            reason: "Devolução".into(),
        });
        let t = compute(&d).expect("totals");
        let (issuer, mut customer) = parties();
        customer.tax_id = Some("44433322215".into());
        customer.country = "FR".into();
        let atcud = Atcud::new("JJ8XK2PM", "NC 2026A/3").expect("atcud");
        let issued = IssuedInfo {
            number: "NC 2026A/3".into(),
            atcud,
            qr_payload: "A:…".into(),
            hash4: "Ab9z".into(),
            certificate: "2860".into(),
        };
        let iban = Iban::parse("PT50000201231234567890154").ok();
        let payment = PaymentInfo { method: Some("Bank transfer".into()), iban };
        let input = PrintInput {
            document: &d,
            totals: &t,
            draft_id: "x",
            issuer: &issuer,
            customer: &customer,
            issued: Some(&issued),
            payment: Some(&payment),
        };
        let p = build(&input, Lang::En);
        assert_eq!((p.watermark, p.title.as_str(), p.number.as_str()), (None, "Credit note", "NC 2026A/3"));
        let f = p.fiscal.expect("fiscal block");
        assert_eq!(f.atcud, "ATCUD:JJ8XK2PM-3");
        assert_eq!(f.phrase, "Ab9z-Processado por programa certificado n.º 2860/AT");
        assert_eq!(p.references, ["Corrects FT 2026A/9 of 2026-01-02: Devolução"]);
        assert_eq!(p.customer.tax_line, "VAT FR44433322215");
        assert_eq!(p.lines[0].amount, "2,560.04");
        assert_eq!(p.totals.last().map(|a| a.amount.as_str()), Some("€3,248.85"));
        assert_eq!(p.payment, ["Bank transfer", "IBAN PT50 0002 0123 1234 5678 9015 4"]);
    }

    fn issued_ft() -> IssuedInfo {
        IssuedInfo {
            number: "FT 2026A/21".into(),
            atcud: Atcud::new("JJ8XK2PM", "FT 2026A/21").expect("atcud"),
            qr_payload: "A:…".into(),
            hash4: "Ab9z".into(),
            certificate: "2860".into(),
        }
    }

    #[test]
    fn rule_withholding_is_shown_after_the_total_with_the_amount_payable() {
        // 8 h × 62.50 = 500.00 at 23 % (VAT 115.00, total 615.00), 23 % withheld: 115.00; payable 500.00.
        let mut d = DraftDocument::new(DocType::Ft, day(20));
        d.due_date = Some(day(31));
        d.withholding = Some(Percent(dec!(23)));
        d.lines.push(DraftLine {
            description: "Consultoria fiscal".into(),
            quantity: Quantity(dec!(8)),
            unit_price: UnitPrice(dec!(62.5)),
            discount: Percent::ZERO,
            tax: LineTax::rate(FiscalZone::Pt, RateClass::Normal),
            withholding: None,
        });
        let t = compute(&d).expect("totals");
        let (issuer, customer) = parties();
        let issued = issued_ft();
        let pay = PaymentInfo { method: None, iban: Iban::parse("PT50000201231234567890154").ok() };
        let input = PrintInput {
            document: &d,
            totals: &t,
            draft_id: "x",
            issuer: &issuer,
            customer: &customer,
            issued: Some(&issued),
            payment: Some(&pay),
        };
        let p = build(&input, Lang::Pt);
        let totals: Vec<_> = p.totals.iter().map(|a| (a.label.as_str(), a.amount.as_str())).collect();
        assert_eq!(
            totals,
            [
                ("Total ilíquido", "500,00 €"),
                ("Total sem IVA", "500,00 €"),
                ("IVA", "115,00 €"),
                ("Total", "615,00 €"),
                ("Retenção na fonte (23 %)", "115,00 €"),
                ("Total a pagar", "500,00 €")
            ]
        );
        assert_eq!(p.payment, ["IBAN PT50 0002 0123 1234 5678 9015 4", "Pagar até 31/01/2026"]);
        let en = build(&input, Lang::En);
        assert_eq!(en.totals[4].label, "Withholding tax (23%)");
        assert_eq!(
            en.totals.last().map(|a| (a.label.as_str(), a.amount.as_str())),
            Some(("Amount payable", "€500.00"))
        );
    }

    #[test]
    fn rule_civa_36_supply_date_cash_vat_mention_and_summary_words() {
        let mut d = sample();
        d.supply_date = Some(day(9));
        let m40 = ExemptionCode::parse("M40").map(|c| LineTax::exempt(FiscalZone::Pt, c)).expect("M40");
        let m99 = ExemptionCode::parse("M99").map(|c| LineTax::exempt(FiscalZone::Pt, c)).expect("M99");
        d.lines[0].tax = m40;
        d.lines[1].tax = m99;
        let t = compute(&d).expect("totals");
        let (issuer, customer) = parties();
        let issued = issued_ft();
        let input = PrintInput {
            document: &d,
            totals: &t,
            draft_id: "x",
            issuer: &issuer,
            customer: &customer,
            issued: Some(&issued),
            payment: None,
        };
        let cash = FiscalSettings { vat_regime: crate::company::VatRegime::CashVat, ..FiscalSettings::default() };
        let p = build_with(&input, &cash, Lang::Pt);
        assert_eq!(p.supply_date.as_deref(), Some("09/01/2026"));
        assert_eq!(p.labels.supply_date, "Data de fornecimento");
        assert_eq!(p.mentions, ["IVA – regime de caixa"]);
        let rates: Vec<_> = p.vat_summary.iter().map(|r| r.rate.as_str()).collect();
        assert_eq!(rates, ["Autoliquidação", "Não sujeito"]);
        // Same day as the issue: nothing to add; the normal regime: no mention.
        let mut same_day = d.clone();
        same_day.supply_date = Some(day(15));
        let p = build(&PrintInput { document: &same_day, ..input }, Lang::Pt);
        assert_eq!((p.supply_date, p.mentions.len()), (None, 0));
    }
}
