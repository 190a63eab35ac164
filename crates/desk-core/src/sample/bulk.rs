//! A large, realistic Portuguese data set for benchmarks and demos: customers (people and firms, valid NIFs,
//! towns in the mainland and the islands), products and services at every VAT rate and some exemptions, and
//! documents of every type — quotes, invoices with due dates, invoice-receipts, simplified invoices, credit
//! notes against invoices, debit notes — mostly issued (with made-up fiscal numbers), some drafts, paid, partly
//! paid and unpaid, with their payments.
//!
//! Speed: rows go in multi-row INSERTs of a few hundred rows (the same SQL text each time, so SQLite prepares it
//! once) inside a few big transactions, with `synchronous = OFF` on the loading connection only.
//!
//! Sample data is not a user edit: the loader writes through the store's bulk door, which marks its company as
//! demo data that never syncs, with no audit entries and no outbox ops (a real import goes through the
//! services). Every total still comes from desk-model: each draft
//! is checked with `validate` and totalled with `compute`, due dates come from `due_date`, open balances from
//! `open_balance` and settlement states from `settlement_state`.

use crate::codec;
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use chrono::{Datelike, Days, Local, NaiveDate};
use desk_model::document::{
    compute, due_date, open_balance, settlement_state, validate, DocRef, DocState, DocType, DraftDocument, DraftLine,
    PaymentTerms,
};
use desk_model::money::{Money, Percent, Quantity, UnitPrice};
use desk_model::tax::{ExemptionCode, FiscalZone, LineTax, RateClass};
use desk_model::text::fold;
use rust_decimal::Decimal;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    /// Customers.
    pub customers: usize,
    /// Documents (credit notes included).
    pub documents: usize,
    /// Products and services.
    pub products: usize,
    /// The seed: the same seed gives the same data.
    pub seed: u64,
    /// The last date documents may have (today by default); they span the three years before it.
    pub today: Option<NaiveDate>,
}

impl Default for SampleSpec {
    fn default() -> Self {
        SampleSpec { customers: 1000, documents: 5000, products: 300, seed: 2860, today: None }
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SampleReport {
    /// Customers.
    pub customers: usize,
    /// Products.
    pub products: usize,
    /// Documents.
    pub documents: usize,
    /// Document lines.
    pub lines: usize,
    /// Payments.
    pub payments: usize,
    /// Time taken.
    pub elapsed: Duration,
}

/// splitmix64: small, fast, deterministic; good enough to make sample data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "João",
    "Maria",
    "José",
    "Ana",
    "António",
    "Inês",
    "Francisco",
    "Beatriz",
    "Manuel",
    "Mariana",
    "Pedro",
    "Carolina",
    "Luís",
    "Sofia",
    "Rui",
    "Catarina",
    "Tiago",
    "Leonor",
    "Gonçalo",
    "Matilde",
    "Nuno",
    "Joana",
    "Paulo",
    "Rita",
    "Ricardo",
    "Sara",
    "Miguel",
    "Teresa",
    "Jorge",
    "Helena",
    "André",
    "Conceição",
    "Vítor",
    "Fátima",
    "Sérgio",
    "Lúcia",
    "Hélder",
    "Graça",
    "Duarte",
    "Íris",
];
const SURNAMES: &[&str] = &[
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Oliveira",
    "Costa",
    "Rodrigues",
    "Martins",
    "Jesus",
    "Sousa",
    "Fernandes",
    "Gonçalves",
    "Gomes",
    "Lopes",
    "Marques",
    "Alves",
    "Almeida",
    "Ribeiro",
    "Pinto",
    "Carvalho",
    "Teixeira",
    "Moreira",
    "Correia",
    "Mendes",
    "Nunes",
    "Soares",
    "Vieira",
    "Monteiro",
    "Cardoso",
    "Rocha",
    "Raposo",
    "Neves",
    "Coelho",
    "Cruz",
    "Cunha",
    "Pires",
    "Ramos",
    "Reis",
    "Simões",
    "Antunes",
    "Matos",
    "Fonseca",
    "Araújo",
    "Brandão",
    "Magalhães",
    "Conceição",
    "Assunção",
    "Damião",
    "Leitão",
    "Falcão",
];
const TRADES: &[&str] = &[
    "Construções",
    "Transportes",
    "Padaria",
    "Restaurante",
    "Farmácia",
    "Oficina",
    "Contabilidade",
    "Imobiliária",
    "Café",
    "Talho",
    "Papelaria",
    "Serralharia",
    "Carpintaria",
    "Clínica Dentária",
    "Ótica",
    "Informática",
    "Têxteis",
    "Vinhos",
    "Cerâmica",
    "Metalomecânica",
    "Pastelaria",
    "Mediação de Seguros",
    "Eletricidade",
    "Canalizações",
    "Lavandaria",
];
const FORMS: &[&str] = &["Lda.", "S.A.", "Unipessoal, Lda.", "& Filhos, Lda.", "& Irmãos, Lda."];
/// (town, postal prefix, zone)
const TOWNS: &[(&str, &str, FiscalZone)] = &[
    ("Lisboa", "1000", FiscalZone::Pt),
    ("Porto", "4000", FiscalZone::Pt),
    ("Vila Nova de Gaia", "4400", FiscalZone::Pt),
    ("Matosinhos", "4450", FiscalZone::Pt),
    ("Braga", "4700", FiscalZone::Pt),
    ("Guimarães", "4800", FiscalZone::Pt),
    ("Coimbra", "3000", FiscalZone::Pt),
    ("Aveiro", "3800", FiscalZone::Pt),
    ("Viseu", "3500", FiscalZone::Pt),
    ("Leiria", "2400", FiscalZone::Pt),
    ("Santarém", "2000", FiscalZone::Pt),
    ("Setúbal", "2900", FiscalZone::Pt),
    ("Almada", "2800", FiscalZone::Pt),
    ("Sintra", "2710", FiscalZone::Pt),
    ("Cascais", "2750", FiscalZone::Pt),
    ("Évora", "7000", FiscalZone::Pt),
    ("Beja", "7800", FiscalZone::Pt),
    ("Faro", "8000", FiscalZone::Pt),
    ("Portimão", "8500", FiscalZone::Pt),
    ("Castelo Branco", "6000", FiscalZone::Pt),
    ("Guarda", "6300", FiscalZone::Pt),
    ("Bragança", "5300", FiscalZone::Pt),
    ("Vila Real", "5000", FiscalZone::Pt),
    ("Viana do Castelo", "4900", FiscalZone::Pt),
    ("Óbidos", "2510", FiscalZone::Pt),
    ("Ponta Delgada", "9500", FiscalZone::PtAc),
    ("Angra do Heroísmo", "9700", FiscalZone::PtAc),
    ("Horta", "9900", FiscalZone::PtAc),
    ("Funchal", "9000", FiscalZone::PtMa),
    ("Câmara de Lobos", "9300", FiscalZone::PtMa),
];
const STREETS: &[&str] = &["Rua", "Avenida", "Travessa", "Largo", "Praça", "Estrada"];
/// (name, unit, kind, price in cents, rate class or exemption)
type CatalogueItem = (&'static str, &'static str, &'static str, i64, Option<RateClass>, Option<&'static str>);
const PRODUCTS: &[CatalogueItem] = &[
    ("Consultoria de gestão", "h", "service", 6500, Some(RateClass::Normal), None),
    ("Manutenção informática", "h", "service", 4500, Some(RateClass::Normal), None),
    ("Licença de software anual", "un", "service", 29900, Some(RateClass::Normal), None),
    ("Papel A4 resma 500 folhas", "un", "product", 495, Some(RateClass::Normal), None),
    ("Toner impressora laser", "un", "product", 7890, Some(RateClass::Normal), None),
    ("Pão de forma", "un", "product", 189, Some(RateClass::Reduced), None),
    ("Leite meio-gordo 1 L", "un", "product", 89, Some(RateClass::Reduced), None),
    ("Refeição completa", "un", "service", 1250, Some(RateClass::Intermediate), None),
    ("Vinho tinto DOC Douro", "gfa", "product", 850, Some(RateClass::Intermediate), None),
    ("Azeite virgem extra 75 cl", "un", "product", 699, Some(RateClass::Reduced), None),
    ("Transporte de mercadorias", "km", "service", 95, Some(RateClass::Normal), None),
    ("Formação profissional certificada", "h", "service", 3500, None, Some("M07")),
    ("Consulta médica", "un", "service", 6000, None, Some("M07")),
    ("Arrendamento de espaço", "mês", "service", 75000, None, Some("M07")),
    ("Livro técnico", "un", "product", 2490, Some(RateClass::Reduced), None),
    ("Serviço de contabilidade mensal", "mês", "service", 15000, Some(RateClass::Normal), None),
    ("Cimento 25 kg", "un", "product", 645, Some(RateClass::Normal), None),
    ("Mão de obra construção", "h", "service", 2200, Some(RateClass::Normal), None),
    ("Exportação de mercadorias", "un", "product", 12000, None, Some("M05")),
    // A service to an EU business is taxed where the customer is (art. 6 n.º 6 a) CIVA): M40, not M16 (goods).
    ("Prestação intracomunitária", "h", "service", 8000, None, Some("M40")),
    ("Café expresso", "un", "product", 75, Some(RateClass::Intermediate), None),
    ("Bolo de arroz", "un", "product", 120, Some(RateClass::Reduced), None),
    ("Reparação de viatura", "h", "service", 3800, Some(RateClass::Normal), None),
    ("Peças de substituição", "un", "product", 4350, Some(RateClass::Normal), None),
    // Insurance is exempt under art. 9 CIVA (M07); M10 is the small-business regime of art. 53, a property of the issuer.
    ("Seguro de mercadorias", "un", "service", 1500, None, Some("M07")),
];
const METHODS: &[&str] = &["Transferência bancária", "Numerário", "Multibanco", "MB Way", "Cheque", "Débito direto"];

/// A valid NIF: prefix digit, seven digits unique per `i`, and the check digit (pt-invoicing §1.3).
fn nif(prefix: u8, i: usize) -> String {
    let rest = (i as u64).wrapping_mul(7919).wrapping_add(1_234_567) % 10_000_000;
    let body = format!("{prefix}{rest:07}");
    let digits: Vec<u32> = body.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits.iter().zip((2..=9u32).rev()).map(|(d, w)| d * w).sum();
    let check = match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    };
    format!("{body}{check}")
}

struct SampleCustomer {
    id: String,
    name: String,
    key: String,
    nif: String,
    zone: FiscalZone,
    terms: Option<u32>,
}

struct SampleProduct {
    id: String,
    name: &'static str,
    unit: &'static str,
    price: i64,
    tax: LineTax,
}

fn tax_of(zone: FiscalZone, class: Option<RateClass>, exemption: Option<&str>) -> LineTax {
    match (class, exemption.and_then(ExemptionCode::parse)) {
        (_, Some(code)) => LineTax::exempt(zone, code),
        (Some(c), None) => LineTax::rate(zone, c),
        (None, None) => LineTax::rate(zone, RateClass::Normal),
    }
}

struct DocRow {
    id: String,
    series_id: String,
    draft_number: Option<i64>,
    doc_type: DocType,
    state: DocState,
    customer: Option<usize>,
    date: NaiveDate,
    due: Option<NaiveDate>,
    terms: Option<String>,
    global_discount: Decimal,
    source_id: Option<String>,
    reason: Option<String>,
    totals: [Money; 5],
    received: Money,
    credited: Money,
    open: Money,
    number_key: String,
    fiscal: Option<(i64, String, String, String, String)>,
}

struct LineRow {
    id: String,
    document_id: String,
    position: i64,
    product_id: String,
    line: DraftLine,
    unit: &'static str,
    amount: Money,
}

struct PaymentRow {
    id: String,
    document_id: String,
    date: NaiveDate,
    amount: Money,
    method: &'static str,
}

/// Generates a data set into the workspace's current company. `progress(done, total)` is called now and then.
pub async fn generate(
    cx: &Ctx,
    spec: &SampleSpec,
    mut progress: impl FnMut(&str, usize, usize),
) -> CoreResult<SampleReport> {
    let started = Instant::now();
    let today = spec.today.unwrap_or_else(|| Local::now().date_naive());
    let mut rng = Rng(spec.seed);
    let company = cx.company().id.to_string();
    let now = crate::audit::now_text();
    // The store's bulk door: the company becomes demo data that never syncs, and sample data can be generated
    // again, so durability of each commit is not worth an fsync here.
    let mut bulk = cx.store().bulk(cx.company().id).await?;
    let result = load(bulk.conn(), spec, today, &mut rng, &company, &now, &mut progress).await;
    let analysed = match &result {
        Ok(_) => {
            progress("analyse", 0, 1);
            sqlx::query("PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA optimize;")
                .execute(bulk.conn())
                .await
                .map(|_| ())
        }
        Err(_) => Ok(()),
    };
    bulk.finish().await?;
    let mut report = result?;
    analysed?;
    report.elapsed = started.elapsed();
    Ok(report)
}

async fn load(
    conn: &mut SqliteConnection,
    spec: &SampleSpec,
    today: NaiveDate,
    rng: &mut Rng,
    company: &str,
    now: &str,
    progress: &mut impl FnMut(&str, usize, usize),
) -> CoreResult<SampleReport> {
    let mut report = SampleReport::default();
    // Customers: unique NIFs continue after any customers already there.
    let offset: i64 = sqlx::query_scalar("SELECT count(*) FROM customers").fetch_one(&mut *conn).await?;
    let mut customers = Vec::with_capacity(spec.customers);
    for i in 0..spec.customers {
        let (first, s1, s2) = (*rng.pick(FIRST), *rng.pick(SURNAMES), *rng.pick(SURNAMES));
        let (town, postal, zone) = *rng.pick(TOWNS);
        let firm = rng.chance(45);
        let name = if firm {
            if rng.chance(50) {
                format!("{} {} {}", rng.pick(TRADES), s1, rng.pick(FORMS))
            } else {
                format!("{s1} {s2} {}", rng.pick(FORMS))
            }
        } else {
            format!("{first} {s1} {s2}")
        };
        let prefix = if firm {
            5
        } else if rng.chance(70) {
            2
        } else {
            1
        };
        let nif = nif(prefix, offset as usize + i);
        let key = fold(&name);
        let handle: String =
            fold(&format!("{first}.{s1}")).chars().filter(|c| c.is_ascii_alphanumeric() || *c == '.').collect();
        let email = if firm {
            format!("geral@{}.pt", fold(s1).replace(' ', ""))
        } else {
            format!("{handle}{}@mail.pt", i % 1000)
        };
        let postal = format!("{postal}-{:03}", rng.below(1000));
        let address =
            format!("{} {} {}, {}", rng.pick(STREETS), rng.pick(FIRST), rng.pick(SURNAMES), 1 + rng.below(300));
        let terms = if firm { Some(*rng.pick(&[0u32, 15, 30, 30, 30, 60, 90])) } else { None };
        let search = [key.clone(), nif.clone(), fold(&email), fold(town), postal.clone()].join(" ");
        customers.push((
            SampleCustomer { id: Uuid::now_v7().to_string(), name, key, nif, zone, terms },
            email,
            address,
            postal,
            town,
            search,
        ));
    }
    let mut tx = conn.begin().await?;
    for (n, chunk) in customers.chunks(500).enumerate() {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO customers (id, company_id, name, name_key, nif, email, phone, address, postal_code, city, country,
                 payment_terms_days, search_text, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, (c, email, address, postal, town, search)| {
            b.push_bind(&c.id)
                .push_bind(company)
                .push_bind(&c.name)
                .push_bind(&c.key)
                .push_bind(&c.nif)
                .push_bind(email)
                .push_bind(format!("9{}", &c.nif[1..]))
                .push_bind(address)
                .push_bind(postal)
                .push_bind(*town)
                .push_bind("PT")
                .push_bind(c.terms.map(i64::from))
                .push_bind(search)
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut *tx).await?;
        progress("customers", (n + 1) * 500, spec.customers);
    }
    tx.commit().await?;
    report.customers = customers.len();
    let customers: Vec<SampleCustomer> = customers.into_iter().map(|c| c.0).collect();

    // Products: the catalogue above in variations, each with a unique reference.
    let mut products = Vec::with_capacity(spec.products);
    let mut tx = conn.begin().await?;
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM products").fetch_one(&mut *tx).await?;
    for i in 0..spec.products {
        let (name, unit, kind, price, class, exemption) = PRODUCTS[i % PRODUCTS.len()];
        let variant = i / PRODUCTS.len();
        let price = price + (variant as i64 * 37) % (price / 3 + 1);
        let p = SampleProduct {
            id: Uuid::now_v7().to_string(),
            name,
            unit,
            price,
            tax: tax_of(FiscalZone::Pt, class, exemption),
        };
        let reference = format!("P{:05}", existing as usize + i + 1);
        let full = if variant == 0 { name.to_string() } else { format!("{name} (modelo {variant})") };
        sqlx::query(
            "INSERT INTO products (id, company_id, reference, name, name_key, kind, unit, price, tax_zone, tax_code, exemption,
                 category, search_text, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PT', ?, ?, ?, ?, ?, ?)",
        )
        .bind(&p.id)
        .bind(company)
        .bind(&reference)
        .bind(&full)
        .bind(fold(&full))
        .bind(kind)
        .bind(unit)
        .bind(codec::decimal_text(Decimal::new(price, 2)))
        .bind(p.tax.code.as_str())
        .bind(p.tax.exemption.as_ref().map(|e| e.to_string()))
        .bind(if kind == "service" { "Serviços" } else { "Artigos" })
        .bind(format!("{} {}", fold(&reference), fold(&full)))
        .bind(now)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        products.push(p);
    }
    tx.commit().await?;
    report.products = products.len();
    if products.is_empty() || spec.documents == 0 {
        return Ok(report);
    }

    // Series: one per type, as the services would create them.
    let mut series: HashMap<DocType, String> = HashMap::new();
    for t in DocType::ALL {
        let id: String = sqlx::query_scalar(
            "INSERT INTO document_series (id, company_id, doc_type, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (company_id, doc_type, name) DO UPDATE SET updated_at = excluded.updated_at RETURNING id",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(company)
        .bind(t.saft_code())
        .bind(crate::series::DEFAULT_SERIES)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?;
        series.insert(t, id);
    }
    let mut draft_numbers: HashMap<DocType, i64> = HashMap::new();
    for t in DocType::ALL {
        let n: i64 = sqlx::query_scalar("SELECT next_draft_number FROM document_series WHERE id = ?")
            .bind(&series[&t])
            .fetch_one(&mut *conn)
            .await?;
        draft_numbers.insert(t, n);
    }
    let mut fiscal_numbers: HashMap<(DocType, i32), i64> = HashMap::new();
    let mut moloni_id: i64 =
        sqlx::query_scalar("SELECT coalesce(max(moloni_id), 1000000) FROM documents").fetch_one(&mut *conn).await?;

    let span_days = 3 * 365;
    let mut docs: Vec<DocRow> = Vec::new();
    let mut lines: Vec<LineRow> = Vec::new();
    let mut payments: Vec<PaymentRow> = Vec::new();
    let mut tx = conn.begin().await?;
    let mut made = 0usize;
    while made < spec.documents {
        let date = today.checked_sub_days(Days::new(rng.below(span_days) as u64)).unwrap_or(today);
        let roll = rng.below(100);
        let mut doc_type = match roll {
            0..=59 => DocType::Ft,
            60..=71 => DocType::Fr,
            72..=83 => DocType::Fs,
            84..=95 => DocType::Or,
            _ => DocType::Nd,
        };
        let customer = if doc_type == DocType::Fs && rng.chance(40) { None } else { Some(rng.below(customers.len())) };
        let zone = customer.map(|c| customers[c].zone).unwrap_or(FiscalZone::Pt);
        let n_lines = if doc_type == DocType::Fs { 1 + rng.below(2) } else { 1 + rng.below(4) };
        let mut draft = DraftDocument::new(doc_type, date);
        let mut picked = Vec::with_capacity(n_lines);
        for _ in 0..n_lines {
            let p = rng.below(products.len());
            let prod = &products[p];
            let qty = if prod.unit == "h" || rng.chance(20) {
                Decimal::new(5 * (1 + rng.below(16)) as i64, 1)
            } else {
                Decimal::from(1 + rng.below(if doc_type == DocType::Fs { 3 } else { 12 }))
            };
            let price = if doc_type == DocType::Fs { prod.price.min(2500) } else { prod.price };
            let discount = if rng.chance(10) { Decimal::from(*rng.pick(&[5, 10, 15])) } else { Decimal::ZERO };
            draft.lines.push(DraftLine {
                description: prod.name.to_string(),
                quantity: Quantity(qty),
                unit_price: UnitPrice(Decimal::new(price, 2)),
                discount: Percent(discount),
                tax: LineTax { zone, ..prod.tax.clone() },
                withholding: None,
            });
            picked.push(p);
        }
        if rng.chance(5) {
            draft.global_discount = Percent(Decimal::from(*rng.pick(&[2, 5])));
        }
        let terms = customer.and_then(|c| customers[c].terms).map(PaymentTerms::Days).unwrap_or_default();
        if doc_type.is_receivable() {
            draft.due_date = due_date(date, terms).ok();
        }
        if doc_type == DocType::Nd {
            // a debit note corrects an invoice: reference a made-up earlier one
            draft.references.push(DocRef {
                doc_type: DocType::Ft,
                number: "FT 2024A/1".into(),
                date,
                reason: "Acerto de preço".into(),
            });
        }
        if !validate(&draft).is_empty() && doc_type == DocType::Fs {
            // over the simplified-invoice ceiling: issue an ordinary invoice instead, as the rules say
            doc_type = DocType::Ft;
            draft.doc_type = DocType::Ft;
            draft.due_date = due_date(date, terms).ok();
        }
        if !validate(&draft).is_empty() {
            continue;
        }
        let Ok(totals) = compute(&draft) else { continue };
        let is_draft = (today - date).num_days() < 20 && rng.chance(25);
        let id = Uuid::now_v7().to_string();
        let t = [totals.gross, totals.discounts, totals.net, totals.vat, totals.total];
        let mut row = DocRow {
            id: id.clone(),
            series_id: series[&doc_type].clone(),
            draft_number: None,
            doc_type,
            state: DocState::Draft,
            customer,
            date,
            due: draft.due_date,
            terms: doc_type.is_receivable().then(|| serde_json::to_string(&terms).unwrap_or_default()),
            global_discount: draft.global_discount.0,
            source_id: None,
            reason: draft.references.first().map(|r| r.reason.clone()),
            totals: t,
            received: Money::ZERO,
            credited: Money::ZERO,
            open: Money::ZERO,
            number_key: String::new(),
            fiscal: None,
        };
        if is_draft {
            let n = draft_numbers.entry(doc_type).or_insert(1);
            row.draft_number = Some(*n);
            row.number_key = super::super::documents::number_key(doc_type, None, Some(*n));
            *n += 1;
        } else {
            let seq = fiscal_numbers.entry((doc_type, date.year())).or_insert(0);
            *seq += 1;
            moloni_id += 1;
            let number = format!("{} {}A/{}", doc_type.saft_code(), date.year(), seq);
            row.number_key = super::super::documents::number_key(doc_type, Some(&number), None);
            let hash: String = (0..4).map(|_| *rng.pick(&['A', 'k', 'L', 'p', '0', '7', 'x', 'Q', 'z', '3'])).collect();
            row.fiscal = Some((moloni_id, number, format!("{}A", date.year()), format!("CSDF7T5H-{seq}"), hash));
            row.state = DocState::Issued;
            if doc_type.paid_at_issue() {
                row.state = DocState::Paid;
                row.received = totals.total;
            } else if doc_type.is_receivable() {
                // older invoices are more often paid
                let age = (today - date).num_days();
                let paid = rng.chance(if age > 120 {
                    85
                } else if age > 45 {
                    60
                } else {
                    30
                });
                let partial = !paid && rng.chance(25);
                if paid {
                    row.received = totals.total;
                } else if partial {
                    let cents = codec::cents(totals.total);
                    row.received = Money::from_cents(cents * (2 + rng.below(6) as i64) / 10);
                }
            }
        }
        for (pos, (line, p)) in draft.lines.iter().zip(&picked).enumerate() {
            lines.push(LineRow {
                id: Uuid::now_v7().to_string(),
                document_id: id.clone(),
                position: pos as i64,
                product_id: products[*p].id.clone(),
                line: line.clone(),
                unit: products[*p].unit,
                amount: totals.lines[pos].amount,
            });
        }
        made += 1;
        // Some issued invoices get a credit note for their first line a few days later.
        let mut credit: Option<DocRow> = None;
        if doc_type == DocType::Ft && row.state.is_issued() && made < spec.documents && rng.chance(8) {
            let nc_date = (date + Days::new(1 + rng.below(10) as u64)).min(today);
            let mut nc = DraftDocument::new(DocType::Nc, nc_date);
            nc.lines.push(draft.lines[0].clone());
            nc.global_discount = draft.global_discount;
            let (_, number, ..) = row.fiscal.clone().unwrap_or_default();
            nc.references.push(DocRef {
                doc_type: DocType::Ft,
                number,
                date,
                reason: "Devolução de mercadoria".into(),
            });
            if let (true, Ok(nt)) = (validate(&nc).is_empty(), compute(&nc)) {
                let seq = fiscal_numbers.entry((DocType::Nc, nc_date.year())).or_insert(0);
                *seq += 1;
                moloni_id += 1;
                let number = format!("NC {}A/{}", nc_date.year(), seq);
                let nc_id = Uuid::now_v7().to_string();
                lines.push(LineRow {
                    id: Uuid::now_v7().to_string(),
                    document_id: nc_id.clone(),
                    position: 0,
                    product_id: products[picked[0]].id.clone(),
                    line: nc.lines[0].clone(),
                    unit: products[picked[0]].unit,
                    amount: nt.lines[0].amount,
                });
                row.credited = nt.total;
                if row.received > Money::ZERO {
                    row.received = row.received.min(open_balance(totals.total, Money::ZERO, nt.total));
                }
                credit = Some(DocRow {
                    id: nc_id,
                    series_id: series[&DocType::Nc].clone(),
                    draft_number: None,
                    doc_type: DocType::Nc,
                    state: DocState::Issued,
                    customer,
                    date: nc_date,
                    due: None,
                    terms: None,
                    global_discount: nc.global_discount.0,
                    source_id: Some(id.clone()),
                    reason: Some("Devolução de mercadoria".into()),
                    totals: [nt.gross, nt.discounts, nt.net, nt.vat, nt.total],
                    received: Money::ZERO,
                    credited: Money::ZERO,
                    open: Money::ZERO,
                    number_key: super::super::documents::number_key(DocType::Nc, Some(&number), None),
                    fiscal: Some((
                        moloni_id,
                        number,
                        format!("{}A", nc_date.year()),
                        format!("CSDF7T5H-{seq}"),
                        "NcQ1".into(),
                    )),
                });
                made += 1;
            }
        }
        if doc_type.is_receivable() && row.state.is_issued() {
            row.open = open_balance(totals.total, row.received, row.credited);
            row.state = settlement_state(totals.total, row.received + row.credited);
            if row.received > Money::ZERO {
                let paid_on = (date + Days::new(rng.below(60) as u64)).min(today);
                payments.push(PaymentRow {
                    id: Uuid::now_v7().to_string(),
                    document_id: id.clone(),
                    date: paid_on,
                    amount: row.received,
                    method: METHODS[rng.below(METHODS.len())],
                });
            }
        }
        docs.push(row);
        docs.extend(credit);
        if docs.len() >= 20_000 {
            report.lines += lines.len();
            report.payments += payments.len();
            report.documents += docs.len();
            flush(&mut tx, company, now, &customers, &mut docs, &mut lines, &mut payments).await?;
            progress("documents", made, spec.documents);
            if report.documents % 100_000 < 20_000 {
                tx.commit().await?;
                tx = conn.begin().await?;
            }
        }
    }
    report.lines += lines.len();
    report.payments += payments.len();
    report.documents += docs.len();
    flush(&mut tx, company, now, &customers, &mut docs, &mut lines, &mut payments).await?;
    for (t, n) in &draft_numbers {
        sqlx::query("UPDATE document_series SET next_draft_number = max(next_draft_number, ?) WHERE id = ?")
            .bind(n)
            .bind(&series[t])
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    progress("documents", made, spec.documents);
    Ok(report)
}

fn state_str(s: DocState) -> &'static str {
    crate::documents::state_str(s)
}

/// Writes the buffered rows: lines first (their issued parents do not exist yet, so the freeze trigger lets
/// them in; the deferred foreign key is checked at commit), then documents, then payments.
async fn flush(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    company: &str,
    now: &str,
    customers: &[SampleCustomer],
    docs: &mut Vec<DocRow>,
    lines: &mut Vec<LineRow>,
    payments: &mut Vec<PaymentRow>,
) -> CoreResult<()> {
    for chunk in lines.chunks(1000) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO document_lines (id, document_id, position, sort_key, product_id, description, unit, quantity,
                 unit_price, discount, tax_zone, tax_code, exemption, amount, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, l| {
            b.push_bind(&l.id)
                .push_bind(&l.document_id)
                .push_bind(l.position)
                .push_bind(crate::documents::order::initial_key(l.position))
                .push_bind(&l.product_id)
                .push_bind(&l.line.description)
                .push_bind(l.unit)
                .push_bind(codec::decimal_text(l.line.quantity.0))
                .push_bind(codec::decimal_text(l.line.unit_price.0))
                .push_bind(codec::decimal_text(l.line.discount.0))
                .push_bind(l.line.tax.zone.code())
                .push_bind(l.line.tax.code.as_str())
                .push_bind(l.line.tax.exemption.as_ref().map(|e| e.to_string()))
                .push_bind(l.amount.to_plain_string())
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut **tx).await?;
    }
    for chunk in docs.chunks(400) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO documents (id, company_id, series_id, draft_number, doc_type, state, customer_id, customer_name,
                 customer_key, customer_nif, issue_date, due_date, payment_terms, global_discount, source_id, source_reason,
                 gross, discounts, net, vat, total, net_cents, total_cents, received, credited, open_cents, number_key,
                 moloni_id, fiscal_number, fiscal_series, atcud, hash4, issued_at, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, d| {
            let c = d.customer.map(|i| &customers[i]);
            let fiscal = d.fiscal.as_ref();
            let created = format!("{}T09:00:00.000000Z", d.date);
            b.push_bind(&d.id)
                .push_bind(company)
                .push_bind(&d.series_id)
                .push_bind(d.draft_number)
                .push_bind(d.doc_type.saft_code())
                .push_bind(state_str(d.state))
                .push_bind(c.map(|c| c.id.clone()))
                .push_bind(c.map(|c| c.name.clone()).unwrap_or_default())
                .push_bind(c.map(|c| c.key.clone()).unwrap_or_default())
                .push_bind(c.map(|c| c.nif.clone()))
                .push_bind(d.date.to_string())
                .push_bind(d.due.map(|x| x.to_string()))
                .push_bind(&d.terms)
                .push_bind(codec::decimal_text(d.global_discount))
                .push_bind(&d.source_id)
                .push_bind(&d.reason)
                .push_bind(d.totals[0].to_plain_string())
                .push_bind(d.totals[1].to_plain_string())
                .push_bind(d.totals[2].to_plain_string())
                .push_bind(d.totals[3].to_plain_string())
                .push_bind(d.totals[4].to_plain_string())
                .push_bind(codec::cents(d.totals[2]))
                .push_bind(codec::cents(d.totals[4]))
                .push_bind(d.received.to_plain_string())
                .push_bind(d.credited.to_plain_string())
                .push_bind(codec::cents(d.open))
                .push_bind(&d.number_key)
                .push_bind(fiscal.map(|f| f.0))
                .push_bind(fiscal.map(|f| f.1.clone()))
                .push_bind(fiscal.map(|f| f.2.clone()))
                .push_bind(fiscal.map(|f| f.3.clone()))
                .push_bind(fiscal.map(|f| f.4.clone()))
                .push_bind(fiscal.map(|_| format!("{}T10:00:00.000000Z", d.date)))
                .push_bind(created.clone())
                .push_bind(created);
        });
        q.build().execute(&mut **tx).await.map_err(|e| CoreError::Decode(format!("sample documents: {e}")))?;
    }
    for chunk in payments.chunks(1000) {
        let mut q = QueryBuilder::<Sqlite>::new(
            "INSERT INTO payments (id, company_id, document_id, paid_on, amount, amount_cents, method, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, p| {
            b.push_bind(&p.id)
                .push_bind(company)
                .push_bind(&p.document_id)
                .push_bind(p.date.to_string())
                .push_bind(p.amount.to_plain_string())
                .push_bind(codec::cents(p.amount))
                .push_bind(p.method)
                .push_bind(now)
                .push_bind(now);
        });
        q.build().execute(&mut **tx).await?;
    }
    docs.clear();
    lines.clear();
    payments.clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_nifs_are_valid_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let n = nif(if i % 2 == 0 { 5 } else { 2 }, i);
            assert!(desk_model::party::Nif::parse(&n).is_ok(), "{n}");
            assert!(seen.insert(n));
        }
    }
}
