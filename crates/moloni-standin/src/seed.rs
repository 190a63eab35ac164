//! The demo seed (`--seed demo`): one company with a series registered at AT for every type, the usual
//! taxes, payment methods, maturity dates, units, a few customers and products. Its credentials are client id
//! `desk-demo`, secret `desk-demo-secret`, user `demo@desk.pt`, password `demo`.

use crate::state::{App, State, User};
use serde_json::{json, Value};

/// The demo company's id.
pub const DEMO_COMPANY: i64 = 5001;

/// Type ids of the documents the stand-in keeps (Moloni's; debit notes' id is unconfirmed, 4 here).
pub const DOCUMENT_TYPES: &[(&str, i64, &str)] = &[
    ("invoices", 1, "FT"),
    ("receipts", 2, "RE"),
    ("creditNotes", 3, "NC"),
    ("debitNotes", 4, "ND"),
    ("estimates", 14, "OR"),
    ("billsOfLading", 15, "GT"),
    ("simplifiedInvoices", 20, "FS"),
    ("invoiceReceipts", 27, "FR"),
    ("purchaseOrder", 28, "NE"),
    ("supplierInvoices", 42, "FTC"),
    ("supplierPurchaseOrder", 43, "NEF"),
];

/// An empty state with the global lists every Moloni has.
pub fn base() -> State {
    let mut s = State { next_id: 10_000, ..State::default() };
    s.tables.insert(
        "countries".into(),
        vec![
            country(
                1,
                "pt",
                "Portugal",
                &[(1, "Portugal Continental", "PT"), (2, "Açores", "PT-AC"), (3, "Madeira", "PT-MA")],
            ),
            country(70, "es", "Espanha", &[(70, "Espanha", "ES")]),
            country(174, "gb", "Reino Unido", &[(174, "Reino Unido", "GB")]),
        ],
    );
    s.tables.insert(
        "taxExemptions".into(),
        [
            ("M01", "Artigo 16.º, n.º 6 do CIVA"),
            ("M07", "Artigo 9.º do CIVA"),
            ("M10", "Artigo 53.º do CIVA"),
            ("M16", "Artigo 14.º do RITI"),
            ("M99", "Não sujeito ou não tributado"),
        ]
        .iter()
        .map(|(code, name)| json!({ "code": code, "name": name, "description": name }))
        .collect(),
    );
    s.tables.insert(
        "languages".into(),
        vec![
            json!({"language_id": 1, "code": "pt", "title": "Português"}),
            json!({"language_id": 2, "code": "en", "title": "English"}),
            json!({"language_id": 3, "code": "es", "title": "Español"}),
        ],
    );
    s.tables.insert(
        "currencies".into(),
        vec![json!({"iso4217": "EUR", "currency_id": 1, "symbol": "€", "languages": [{"currency_id": 1, "language_id": 1, "name": "Euro"}]})],
    );
    s.tables.insert(
        "fiscalZones".into(),
        vec![
            json!({"fiscal_zone_id": 2, "country_id": 1, "name": "Açores", "code": "PT-AC"}),
            json!({"fiscal_zone_id": 3, "country_id": 1, "name": "Madeira", "code": "PT-MA"}),
        ],
    );
    s
}

fn country(id: i64, iso: &str, name: &str, zones: &[(i64, &str, &str)]) -> Value {
    json!({
        "iso_3166_1": iso, "country_id": id, "order": id, "name": name, "image": "", "vies_vat_check_available": 1,
        "languages": [{"country_id": id, "language_id": 1, "name": name}],
        "fiscal_zones": zones.iter().map(|(z, n, c)| json!({"fiscal_zone_id": z, "country_id": id, "name": n, "code": c})).collect::<Vec<_>>(),
    })
}

/// The demo seed.
pub fn demo() -> State {
    let mut s = base();
    let c = DEMO_COMPANY;
    s.apps.push(App { client_id: "desk-demo".into(), client_secret: "desk-demo-secret".into() });
    s.users.push(User { username: "demo@desk.pt".into(), password: "demo".into(), companies: vec![c] });
    s.tables.insert(
        "companies".into(),
        vec![json!({
            "email": "geral@demo.desk.pt", "company_id": c, "name": "Demo Contabilidade, Lda", "vat": "509442013",
            "address": "Rua do Ouro 12", "city": "Lisboa", "zip_code": "1100-060", "country_id": 1, "image": "",
            "confirmed": 1, "currency_id": 1, "gdpr_acceptance": 1,
            "country": {"iso_3166_1": "pt", "country_id": 1, "name": "Portugal"},
            "currency": {"currency_id": 1, "symbol": "€", "symbol_right": 1},
        })],
    );
    let taxes = [
        (101, "IVA Normal", 23, "NOR", ""),
        (102, "IVA Intermédio", 13, "INT", ""),
        (103, "IVA Reduzido", 6, "RED", ""),
        (104, "IVA Isento", 0, "ISE", "M07"),
    ];
    s.tables.insert(
        "taxes".into(),
        taxes
            .iter()
            .map(|(id, name, value, vat_type, ex)| {
                json!({
                    "lastmodifiedby": "demo", "lastmodified": "2026-01-01T00:00:00+0000", "recem_importado": 0, "tax_id": id,
                    "company_id": c, "type": 1, "saft_type": 1, "vat_type": vat_type, "stamp_tax": "", "name": name,
                    "value": value, "fiscal_zone": "PT", "active_by_default": i64::from(*id == 101), "exemption_reason": ex,
                    "country_id": 0, "visibility": 1, "_modified": 0,
                })
            })
            .collect(),
    );
    let at_codes: Vec<Value> = DOCUMENT_TYPES
        .iter()
        .enumerate()
        .map(|(i, (_, type_id, _))| {
            json!({
                "document_set_wsat_id": 900 + i as i64, "document_set_id": 201, "document_type_id": type_id, "initial_num": 1,
                "initial_date": "2026-01-01T00:00:00+0000", "document_set_state": 1, "end_num": null,
                "document_set_at_code": format!("JJ8XK2P{}", (b'A' + i as u8) as char), "new_document_set": 0, "can_be_nulled": 0,
                "last_log": {"document_set_wsat_logs_id": 1, "document_set_wsat_id": 900 + i as i64, "action": 1, "processing_mode": 1,
                    "valid_document_set_at_code": 1, "result_code": 2001, "result_msg": "Série comunicada com sucesso.",
                    "document_set_state": 1, "created_at": "2026-01-01T00:00:00+0000", "created_by": "demo"},
            })
        })
        .collect();
    s.tables.insert(
        "documentSets".into(),
        vec![json!({
            "template_id": 1, "cash_vat_scheme_indicator": 0, "document_set_id": 201, "name": "2026A", "active_by_default": 1,
            "image": "", "for_invoice_receipt": 1, "is_invisible": 0, "eac_id": 0, "eac": {"eac_id": 0, "description": ""},
            "document_types_numbers": DOCUMENT_TYPES.iter().map(|(_, t, _)| json!({"document_set_id": 201, "document_type_id": t, "initial_number": 1})).collect::<Vec<_>>(),
            "document_set_at_codes": at_codes, "_company": c, "_modified": 0,
        })],
    );
    // Withholding (retenção na fonte) as Moloni keeps it: a name and a percentage, chosen per document line.
    s.tables.insert(
        "deductions".into(),
        [(401, "IRS - Cat. B (art. 151.º)", "23"), (402, "IRS - Cat. B (outras)", "11.5"), (403, "IRS - Cat. B (16,5%)", "16.5"), (404, "IRS - Cat. F (rendas)", "25"), (405, "IRC", "25")]
            .iter()
            .map(|(id, name, value)| json!({"deduction_id": id, "name": name, "value": value, "_company": c, "_modified": 0}))
            .collect(),
    );
    s.tables.insert(
        "paymentMethods".into(),
        [(301, "Numerário", 1), (302, "Transferência bancária", 0), (303, "Multibanco", 0)]
            .iter()
            .map(|(id, name, cash)| json!({"is_tpa": 0, "payment_method_id": id, "name": name, "is_numerary": cash, "is_mb": i64::from(*id == 303), "is_credit": 0, "_company": c, "_modified": 0}))
            .collect(),
    );
    s.tables.insert(
        "maturityDates".into(),
        [(401, "Pronto pagamento", 0), (402, "30 dias", 30), (403, "60 dias", 60)]
            .iter()
            .map(|(id, name, days)| json!({"maturity_date_id": id, "name": name, "days": days, "associated_discount": 0, "_company": c, "_modified": 0}))
            .collect(),
    );
    s.tables.insert(
        "measurementUnits".into(),
        [(501, "Unidade", "Un."), (502, "Hora", "h"), (503, "Quilograma", "kg")]
            .iter()
            .map(|(id, name, short)| json!({"unit_id": id, "name": name, "short_name": short, "_company": c, "_modified": 0}))
            .collect(),
    );
    s.tables.insert(
        "productCategories".into(),
        vec![json!({"category_id": 601, "parent_id": 0, "name": "Serviços", "description": "", "pos_enabled": 0, "pos_favorite": 0, "num_categories": 0, "num_products": 2, "image": "", "_company": c, "_modified": 0})],
    );
    s.tables.insert(
        "salesmen".into(),
        vec![json!({"email": "", "website": "", "fax": "", "salesman_id": 701, "number": "1", "name": "Ana Demo", "vat": "", "address": "", "city": "", "zip_code": "", "country_id": 1, "phone": "", "notes": "", "base_commission": 0, "qty_copies_document": 1, "language_id": 1, "_company": c})],
    );
    s.tables.insert(
        "users".into(),
        vec![json!({"email": "demo@desk.pt", "salesman_id": 0, "user_group_id": 1, "user_id": 801, "name": "Demo", "cellphone": "", "language_id": 1, "registered_since": "2026-01-01T00:00:00+0000", "last_login": "2026-01-01T00:00:00+0000", "language": {"language_id": 1, "code": "pt", "title": "Português"}, "_company": c})],
    );
    s.tables.insert(
        "warehouses".into(),
        vec![json!({"is_default": 1, "fax": "", "warehouse_id": 901, "company_id": c, "title": "Armazém", "code": "A1", "address": "Rua do Ouro 12", "city": "Lisboa", "zip_code": "1100-060", "country_id": 1, "phone": "", "contact_name": "", "contact_email": "", "visibility_id": 1, "country": {"iso_3166_1": "pt", "country_id": 1, "name": "Portugal"}})],
    );
    s.tables.insert(
        "geographicZones".into(),
        vec![json!({"lastmodifiedby": "demo", "lastmodified": "2026-01-01T00:00:00+0000", "destaque_id": 0, "geographic_zone_id": 1001, "company_id": c, "name": "Lisboa", "short_name": "LX", "notes": ""})],
    );
    s.tables.insert(
        "subscription".into(),
        vec![json!({"subscription_id": 1101, "company_id": c, "plan_id": 3, "payment_mode": "anual", "last_price": 99.9, "subscription_date": "2026-01-01T00:00:00+0000", "expire_date": "2027-01-01T00:00:00+0000", "paid": 1, "last_payment_date": "2026-01-01T00:00:00+0000"})],
    );
    for (number, name, vat, address, zip, city, email) in [
        (
            "1",
            "Padaria Ribeiro, Lda",
            "501234560",
            "Rua de Santa Catarina 100",
            "4000-447",
            "Porto",
            "geral@padaria-ribeiro.pt",
        ),
        ("2", "Tejo Serviços, Lda", "503504564", "Avenida da Liberdade 50", "1250-145", "Lisboa", "contas@tejo.pt"),
        ("9999", "Consumidor final", "999999990", "Desconhecido", "0000-000", "Desconhecido", ""),
    ] {
        let id = s.id();
        let fields = json!({"number": number, "name": name, "vat": vat, "address": address, "zip_code": zip, "city": city, "email": email, "country_id": 1, "language_id": 1, "payment_method_id": 301, "maturity_date_id": 401});
        let row = crate::shapes::customer(&s, id, c, fields.as_object().cloned().unwrap_or_default());
        s.table_mut("customers").push(row);
    }
    for (reference, name, kind, price, unit, tax) in [
        ("CONS-H", "Hora de consultoria", 2, "60", 502, 101),
        ("PAO-KG", "Pão de trigo", 1, "2.5", 503, 103),
        ("LIVRO", "Livro técnico", 1, "25", 501, 103),
    ] {
        let id = s.id();
        let fields = json!({"reference": reference, "name": name, "type": kind, "price": price, "unit_id": unit, "category_id": 601,
            "taxes": [{"tax_id": tax, "value": 0, "order": 1, "cumulative": 0}]});
        let row = crate::shapes::product(&s, id, c, fields.as_object().cloned().unwrap_or_default());
        s.table_mut("products").push(row);
    }
    s
}

/// Adds `customers` customers and `products` products to a company, as an office that has used Moloni for years
/// would have (valid NIFs from 510000000 up, addresses, e-mails; services and goods at the normal rate): the seed
/// of the master sync's tests and benchmark.
pub fn bulk(s: &mut State, company: i64, customers: usize, products: usize) {
    const CITIES: [(&str, &str); 4] =
        [("Lisboa", "1100-060"), ("Porto", "4000-447"), ("Coimbra", "3000-123"), ("Braga", "4700-001")];
    for i in 0..customers {
        let id = s.id();
        let (city, zip) = CITIES[i % CITIES.len()];
        let fields = json!({
            "number": format!("C{:05}", i + 1), "name": format!("Cliente {:05}, Lda", i + 1),
            "vat": crate::nif::with_check(51_000_000 + i as u32), "address": format!("Rua {} n.º {}", i % 97 + 1, i % 200 + 1),
            "zip_code": zip, "city": city, "email": format!("geral{}@cliente{}.pt", i + 1, i + 1), "country_id": 1,
            "language_id": 1, "payment_method_id": 301, "maturity_date_id": 402,
        });
        let row = crate::shapes::customer(s, id, company, fields.as_object().cloned().unwrap_or_default());
        s.table_mut("customers").push(row);
    }
    for i in 0..products {
        let id = s.id();
        let service = i % 2 == 0;
        let fields = json!({
            "reference": format!("REF-{:05}", i + 1), "name": format!("{} {:05}", if service { "Serviço" } else { "Artigo" }, i + 1),
            "type": if service { 2 } else { 1 }, "price": format!("{}.{:02}", 10 + i % 90, i % 100),
            "unit_id": if service { 502 } else { 501 }, "category_id": 601,
            "taxes": [{"tax_id": 101, "value": 0, "order": 1, "cumulative": 0}],
        });
        let row = crate::shapes::product(s, id, company, fields.as_object().cloned().unwrap_or_default());
        s.table_mut("products").push(row);
    }
}

/// Adds `n` closed documents to a company as if issued elsewhere (Moloni's web app, a shop plugin), through the
/// stand-in's own insert and close, so they carry its numbers, ATCUDs, hashes and totals: of every ten, six
/// invoices (FT), an invoice-receipt (FR), a simplified invoice (FS), a receipt (RE) paying an open invoice in full
/// and a credit note (NC) crediting one unit of an open invoice's first line; one invoice in fifty is then
/// annulled. Dates run from 2 January 2026 (or the series' last date) over at most 300 days, never past today.
/// Customers and products are the company's (seed them first, e.g. with [`bulk`]).
pub fn bulk_documents(s: &mut State, company: i64, n: usize) {
    let customers: Vec<i64> = s
        .table("customers")
        .iter()
        .filter(|c| crate::state::company_of(c) == Some(company) && c["vat"] != "999999990")
        .filter_map(|c| c["customer_id"].as_i64())
        .collect();
    let products: Vec<(i64, Value)> = s
        .table("products")
        .iter()
        .filter(|p| crate::state::company_of(p) == Some(company))
        .filter_map(|p| Some((p["product_id"].as_i64()?, p["price"].clone())))
        .collect();
    let taxes: std::collections::HashMap<i64, Vec<Value>> = s
        .table("products")
        .iter()
        .filter_map(|p| {
            let taxes =
                p["taxes"].as_array()?.iter().map(|t| json!({"tax_id": t["tax_id"], "order": 1, "cumulative": 0}));
            Some((p["product_id"].as_i64()?, taxes.collect()))
        })
        .collect();
    if customers.is_empty() || products.is_empty() {
        return;
    }
    // after every document the series already holds (a series runs in date order), up to today
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap_or_default();
    let start = s
        .last_date
        .values()
        .filter_map(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok())
        .fold(first, |a, b| a.max(b));
    let today = chrono::DateTime::from_timestamp(s.now(), 0).map(|t| t.date_naive()).unwrap_or(start);
    let span = (today.max(start) - start).num_days().min(300) as usize;
    let ctx = |s: &State| crate::handlers::Ctx {
        company,
        username: "loja-online".into(),
        base_url: String::new(),
        now: s.now(),
        lag_seconds: 0,
    };
    // open invoices: (id, customer, total, date)
    let mut open: Vec<(i64, i64, Value, String)> = Vec::new();
    for i in 0..n {
        let date = (start + chrono::Duration::days((i * span / n.max(1)) as i64)).format("%Y-%m-%d").to_string();
        let customer = customers[i % customers.len()];
        let lines: Vec<Value> = (0..1 + i % 3)
            .map(|k| {
                let (id, price) = &products[(i * 7 + k * 13) % products.len()];
                json!({"product_id": id, "name": "", "qty": 1 + (i + k) % 4, "price": price,
                    "taxes": taxes.get(id).cloned().unwrap_or_default(), "exemption_reason": ""})
            })
            .collect();
        let c = ctx(s);
        let kind = i % 10;
        let answer = match kind {
            8 | 9 if !open.is_empty() => {
                let (invoice, customer, total, _) = open.remove(0);
                if kind == 8 {
                    let body = json!({"company_id": company, "customer_id": customer, "date": date, "document_set_id": 201,
                        "net_value": total, "associated_documents": [{"associated_id": invoice, "value": total}],
                        "payments": [{"payment_method_id": 302, "date": format!("{date} 00:00:00"), "value": total}], "status": 1});
                    crate::documents::handle(s, &c, "receipts", "insert", &body)
                } else {
                    let line = s
                        .find("documents", "document_id", invoice, Some(company))
                        .and_then(|d| d["products"].get(0).cloned())
                        .unwrap_or(json!({}));
                    let body = json!({"company_id": company, "customer_id": customer, "date": date, "document_set_id": 201,
                        "associated_documents": [{"associated_id": invoice, "value": 0}],
                        "products": [{"product_id": line["product_id"], "name": line["name"], "qty": 1, "price": line["price"],
                            "taxes": taxes.get(&line["product_id"].as_i64().unwrap_or(0)).cloned().unwrap_or_default(),
                            "exemption_reason": "", "origin_id": invoice, "related_id": line["document_product_id"]}], "status": 0});
                    crate::documents::handle(s, &c, "creditNotes", "insert", &body).and_then(|v| {
                        let id = v["document_id"].as_i64().unwrap_or(0);
                        let net = s.find("documents", "document_id", id, None).map(|d| d["net_value"].clone());
                        let close = json!({"company_id": company, "document_id": id, "status": 1,
                            "associated_documents": [{"associated_id": invoice, "value": net}]});
                        crate::documents::handle(s, &c, "creditNotes", "update", &close)
                    })
                }
            }
            _ => {
                let resource = match kind {
                    6 => "invoiceReceipts",
                    7 => "simplifiedInvoices",
                    _ => "invoices",
                };
                let body = json!({"company_id": company, "customer_id": customer, "date": date, "expiration_date": date,
                    "document_set_id": 201, "products": lines, "status": 1});
                let answer = crate::documents::handle(s, &c, resource, "insert", &body);
                if let (Ok(v), "invoices") = (&answer, resource) {
                    let id = v["document_id"].as_i64().unwrap_or(0);
                    if i % 50 == 0 {
                        let _ =
                            crate::documents::handle(s, &c, "documents", "documentCancel", &json!({"document_id": id}));
                    } else {
                        let total = s.find("documents", "document_id", id, None).map(|d| d["net_value"].clone());
                        open.push((id, customer, total.unwrap_or(json!(0)), date.clone()));
                    }
                }
                answer
            }
        };
        if let Err(e) = answer {
            eprintln!("moloni-standin: a seeded document was refused: {e:?}");
        }
    }
}
