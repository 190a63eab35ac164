//! Which field each column of an import file fills: by a profile (the exports of Moloni, PHC and Primavera, the
//! generic one, or one the user saved), else by the column's usual Portuguese or English header (Nome,
//! NIF/Contribuinte, Morada, Código Postal, Localidade, Email, Telefone, Observações…).

use super::ImportError;
use crate::context::Ctx;
use crate::error::CoreResult;
use desk_model::ipc::{ImportKind, ImportProfile};
use desk_model::msg::Localized;
use desk_model::text::fold;

/// A header reduced to what identifies it: folded, letters and digits only ("Código Postal" → "codigopostal").
pub fn key(header: &str) -> String {
    fold(header).chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The usual headers of each customer field (as [`key`]s).
const CUSTOMER_HEADERS: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "nome",
            "name",
            "nomecliente",
            "cliente",
            "designacao",
            "razaosocial",
            "companyname",
            "empresa",
            "firma",
            "customername",
            "customer",
        ],
    ),
    (
        "nif",
        &[
            "nif",
            "contribuinte",
            "ncontribuinte",
            "nocontribuinte",
            "numcontribuinte",
            "numerocontribuinte",
            "numerodecontribuinte",
            "nifcontribuinte",
            "nipc",
            "vat",
            "vatnumber",
            "vatno",
            "taxid",
            "taxnumber",
            "customertaxid",
            "ncont",
            "numcontrib",
        ],
    ),
    ("email", &["email", "mail", "correioeletronico", "enderecoeletronico", "emailaddress"]),
    ("phone", &["telefone", "telemovel", "phone", "telephone", "tel", "mobile", "contacto", "factel"]),
    ("address", &["morada", "endereco", "address", "rua", "addressdetail", "facmor", "street"]),
    (
        "postal_code",
        &["codigopostal", "codpostal", "cp", "postalcode", "postcode", "zip", "zipcode", "codpost", "faccp"],
    ),
    ("city", &["localidade", "cidade", "city", "town", "local", "faclocal", "concelho"]),
    ("country", &["pais", "country", "codpais", "countrycode"]),
    (
        "payment_terms_days",
        &["prazopagamento", "prazodepagamento", "prazo", "diaspagamento", "paymentterms", "paymenttermsdays"],
    ),
    ("notes", &["observacoes", "obs", "notas", "notes", "comentarios", "remarks", "comments"]),
];

/// The usual headers of each product field.
const PRODUCT_HEADERS: &[(&str, &[&str])] = &[
    (
        "reference",
        &["referencia", "ref", "codigo", "code", "sku", "productcode", "artigo", "codartigo", "reference", "cod"],
    ),
    ("name", &["nome", "descricao", "designacao", "design", "name", "description", "productdescription", "produto"]),
    ("kind", &["tipo", "type", "kind", "producttype", "tipoartigo"]),
    ("unit", &["unidade", "un", "unit", "uom", "unidademedida", "unidadebase"]),
    (
        "price",
        &["preco", "precounitario", "pvp", "preco1", "pvp1", "price", "unitprice", "precosemiva", "epv1", "valor"],
    ),
    ("tax_zone", &["zona", "zonafiscal", "taxzone", "zone", "regiao", "regiaofiscal"]),
    ("tax_code", &["taxaiva", "iva", "codigoiva", "taxcode", "vat", "taxa", "tabiva", "vatrate", "taxrate"]),
    ("exemption", &["isencao", "motivoisencao", "motivodeisencao", "exemption", "codigoisencao", "exemptionreason"]),
    ("category", &["categoria", "familia", "category", "grupo", "productgroup", "family"]),
];

fn headers(kind: ImportKind) -> &'static [(&'static str, &'static [&'static str])] {
    match kind {
        ImportKind::Customers => CUSTOMER_HEADERS,
        ImportKind::Products => PRODUCT_HEADERS,
    }
}

/// The field a header usually means, if any.
pub fn recognise(kind: ImportKind, header: &str) -> Option<&'static str> {
    let k = key(header);
    headers(kind).iter().find(|(_, aliases)| aliases.iter().any(|a| key(a) == k)).map(|(f, _)| *f)
}

fn profile(name: &str, kind: ImportKind, columns: &[(&str, &str)]) -> ImportProfile {
    ImportProfile {
        name: name.into(),
        kind,
        columns: columns.iter().map(|(h, f)| (h.to_string(), f.to_string())).collect(),
        built_in: true,
    }
}

/// The profiles the app ships: the column names of Moloni's, PHC's and Primavera's exports, and the generic one
/// (header recognition alone).
pub fn built_in(kind: ImportKind) -> Vec<ImportProfile> {
    match kind {
        ImportKind::Customers => vec![
            profile(
                "moloni",
                kind,
                &[
                    ("Nome", "name"),
                    ("Contribuinte", "nif"),
                    ("Morada", "address"),
                    ("Código Postal", "postal_code"),
                    ("Localidade", "city"),
                    ("País", "country"),
                    ("Email", "email"),
                    ("Telefone", "phone"),
                    ("Observações", "notes"),
                    ("Prazo de Vencimento", "payment_terms_days"),
                ],
            ),
            profile(
                "phc",
                kind,
                &[
                    ("nome", "name"),
                    ("ncont", "nif"),
                    ("morada", "address"),
                    ("codpost", "postal_code"),
                    ("local", "city"),
                    ("pncont", "country"),
                    ("email", "email"),
                    ("telefone", "phone"),
                    ("obs", "notes"),
                ],
            ),
            profile(
                "primavera",
                kind,
                &[
                    ("Nome", "name"),
                    ("NumContrib", "nif"),
                    ("Fac_Mor", "address"),
                    ("Fac_Cp", "postal_code"),
                    ("Fac_Local", "city"),
                    ("Pais", "country"),
                    ("EnderecoWeb", "email"),
                    ("Fac_Tel", "phone"),
                    ("Notas", "notes"),
                ],
            ),
            profile("generic", kind, &[]),
        ],
        ImportKind::Products => vec![
            profile(
                "moloni",
                kind,
                &[
                    ("Referência", "reference"),
                    ("Nome", "name"),
                    ("Tipo", "kind"),
                    ("Unidade", "unit"),
                    ("Preço", "price"),
                    ("Taxa", "tax_code"),
                    ("Motivo de Isenção", "exemption"),
                    ("Categoria", "category"),
                ],
            ),
            profile(
                "phc",
                kind,
                &[
                    ("ref", "reference"),
                    ("design", "name"),
                    ("unidade", "unit"),
                    ("epv1", "price"),
                    ("tabiva", "tax_code"),
                    ("familia", "category"),
                ],
            ),
            profile(
                "primavera",
                kind,
                &[
                    ("Artigo", "reference"),
                    ("Descricao", "name"),
                    ("UnidadeBase", "unit"),
                    ("PVP1", "price"),
                    ("Iva", "tax_code"),
                    ("Familia", "category"),
                ],
            ),
            profile("generic", kind, &[]),
        ],
    }
}

fn setting_key(kind: ImportKind, name: &str) -> String {
    format!("import.profile.{}.{}", kind.as_str(), key(name))
}

/// Every profile for a kind: the built-in ones, then the user's saved ones.
pub async fn profiles(cx: &Ctx, kind: ImportKind) -> CoreResult<Vec<ImportProfile>> {
    let mut all = built_in(kind);
    let rows: Vec<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key LIKE ? ORDER BY key")
        .bind(format!("import.profile.{}.%", kind.as_str()))
        .fetch_all(cx.store().reader())
        .await?;
    all.extend(rows.iter().filter_map(|v| serde_json::from_str::<ImportProfile>(v).ok()));
    Ok(all)
}

/// Saves a mapping as a profile under its name (a built-in name cannot be taken).
pub async fn save_profile(cx: &Ctx, profile: &ImportProfile) -> CoreResult<()> {
    let k = key(&profile.name);
    if k.is_empty() || built_in(profile.kind).iter().any(|p| p.name == k) {
        return Err(crate::CoreError::invalid(
            "profile",
            Localized::new(
                "Dê ao perfil um nome seu (não moloni, phc, primavera nem generic).",
                "Give the profile a name of its own (not moloni, phc, primavera or generic).",
            ),
        ));
    }
    let fields = profile.kind.fields();
    if let Some((_, bad)) = profile.columns.iter().find(|(_, f)| !fields.contains(&f.as_str())) {
        return Err(crate::CoreError::invalid(
            "profile",
            Localized::new(format!("Campo desconhecido: {bad}."), format!("Unknown field: {bad}.")),
        ));
    }
    let stored = ImportProfile { built_in: false, ..profile.clone() };
    let mut w = cx.write().await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")
        .bind(setting_key(profile.kind, &profile.name))
        .bind(serde_json::to_string(&stored).unwrap_or_default())
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// The mapping of a file's columns: the profile's headers first, then recognition for the others; a field is
/// filled by one column only (the first).
pub fn map_columns(kind: ImportKind, columns: &[String], profile: Option<&ImportProfile>) -> Vec<Option<String>> {
    let mut taken: Vec<&str> = Vec::new();
    columns
        .iter()
        .map(|h| {
            let k = key(h);
            let by_profile =
                profile.and_then(|p| p.columns.iter().find(|(ph, _)| key(ph) == k).map(|(_, f)| f.as_str()));
            let field = by_profile.or_else(|| recognise(kind, h))?;
            let field = kind.fields().iter().find(|f| **f == field)?;
            if taken.contains(field) {
                return None;
            }
            taken.push(field);
            Some(field.to_string())
        })
        .collect()
}

/// The profile of that name, or an error naming the ones there are.
pub async fn find(cx: &Ctx, kind: ImportKind, name: &str) -> Result<ImportProfile, ImportError> {
    let all = profiles(cx, kind).await.map_err(|e| ImportError::Core(Box::new(e)))?;
    let k = key(name);
    all.iter().find(|p| key(&p.name) == k).cloned().ok_or_else(|| {
        let names: Vec<String> = all.iter().map(|p| p.name.clone()).collect();
        ImportError::UnknownProfile(name.to_string(), names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portuguese_and_english_headers_are_recognised() {
        let cols: Vec<String> = [
            "Nome",
            "N.º Contribuinte",
            "Morada",
            "Código Postal",
            "Localidade",
            "E-mail",
            "Telefone",
            "Observações",
            "Coluna X",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = map_columns(ImportKind::Customers, &cols, None);
        let got: Vec<Option<&str>> = m.iter().map(|f| f.as_deref()).collect();
        assert_eq!(
            got,
            [
                Some("name"),
                Some("nif"),
                Some("address"),
                Some("postal_code"),
                Some("city"),
                Some("email"),
                Some("phone"),
                Some("notes"),
                None
            ]
        );
        assert_eq!(recognise(ImportKind::Customers, "VAT number"), Some("nif"));
        assert_eq!(recognise(ImportKind::Products, "Preço s/ IVA"), None);
        assert_eq!(recognise(ImportKind::Products, "PVP"), Some("price"));
    }

    #[test]
    fn a_profile_maps_its_own_headers_and_one_column_per_field() {
        let phc = built_in(ImportKind::Customers).into_iter().find(|p| p.name == "phc").expect("phc");
        let cols: Vec<String> = ["no", "nome", "ncont", "codpost", "nome"].iter().map(|s| s.to_string()).collect();
        let m = map_columns(ImportKind::Customers, &cols, Some(&phc));
        assert_eq!(m, [None, Some("name".into()), Some("nif".into()), Some("postal_code".into()), None]);
    }
}
