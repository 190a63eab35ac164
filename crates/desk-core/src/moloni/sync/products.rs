//! Products both ways, as customers are (`customers.rs`): each Moloni product linked to ours by reference, brought
//! here when only Moloni changed it, made here when new, differing fields to the review list; ours that Moloni
//! lacks are made there with their VAT as a Moloni tax (from the reference data), ours changed since are sent.

use super::link::{self, Link};
use super::{Run, REVIEW_SOURCE};
use crate::error::{CoreError, CoreResult};
use crate::import::merge::{merge, Mergeable};
use crate::Ctx;
use desk_model::ipc::{FieldDifference, Product, ProductKind};
use desk_model::msg::Localized;
use moloni::{CompanyApi, Error as MoloniError, LineTax, NewProduct};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const ENTITY: &str = "product";
const FIELDS: &[&str] = &["name", "kind", "unit", "price", "tax", "category"];
const PAGE: usize = 500;

fn from_moloni(m: &moloni::types::Product, cx: &Ctx) -> Result<Product, Localized> {
    let input = moloni::convert::product_input(m);
    crate::products::record_from(&input, cx.company().id, chrono::Utc::now()).map_err(|e| link::not_brought(&e))
}

/// Pulls, then pushes.
pub async fn sync(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>) -> CoreResult<()> {
    let mut by_id: HashMap<Uuid, Product> = crate::products::all(cx).await?.into_iter().map(|p| (p.id, p)).collect();
    let mut by_reference: HashMap<String, Uuid> = by_id.values().map(|p| (p.reference.clone(), p.id)).collect();
    let mut links: HashMap<Uuid, Link> = link::load(cx, ENTITY).await?.into_iter().map(|l| (l.local, l)).collect();
    let mut by_moloni: HashMap<i64, Uuid> = links.values().map(|l| (l.moloni_id, l.local)).collect();

    // Pull
    let list = match &run.since {
        None => {
            let mut all = Vec::new();
            for c in api.product_categories().await? {
                all.extend(api.products(c.category_id).await?);
            }
            all
        }
        Some(since) => api.products_modified_since(since).await?,
    };
    let total = list.len() as u64;
    let mut seen = HashSet::new();
    let company = cx.company().id;
    let mut done = 0u64;
    for page in list.chunks(PAGE) {
        let mut w = cx.write().await?;
        let mut new = Vec::new();
        let mut reviews: Vec<(Uuid, FieldDifference)> = Vec::new();
        for m in page {
            done += 1;
            if !seen.insert(m.product_id) {
                continue;
            }
            let theirs = match from_moloni(m, cx) {
                Ok(p) => p,
                Err(message) => {
                    run.fail("product", &format!("{} {}", m.reference, m.name), message);
                    continue;
                }
            };
            let their_hash = link::fingerprint(&theirs, FIELDS);
            let linked = by_moloni.get(&m.product_id).and_then(|id| links.get(id)).cloned();
            let local_match = by_reference.get(&theirs.reference).copied().filter(|id| !links.contains_key(id));
            let link = match (linked, local_match) {
                (Some(l), _) if l.moloni_hash.as_deref() == Some(their_hash.as_str()) => continue,
                // our own push coming back in Moloni's words (its unit and category names): now agreed
                (Some(mut l), _) if l.moloni_hash.as_deref() == Some(super::PUSHED) => {
                    l.moloni_hash = Some(their_hash);
                    l
                }
                (Some(mut l), _) => {
                    let Some(local) = by_id.get(&l.local).cloned() else { continue };
                    if l.local_hash.as_deref() == Some(link::fingerprint(&local, FIELDS).as_str()) {
                        let mut after = local.clone();
                        for f in FIELDS {
                            after.take(f, &theirs);
                        }
                        if w.update(&local, &after).await? {
                            run.report.pulled += 1;
                        }
                        l.local_hash = Some(link::fingerprint(&after, FIELDS));
                        by_id.insert(after.id, after);
                    } else {
                        for f in FIELDS {
                            let (cur, inc) = (local.text(f), theirs.text(f));
                            if !Product::same(f, &cur, &inc) {
                                reviews.push((local.id, difference(&local, f, cur, inc)));
                            }
                        }
                        l.local_hash = None;
                    }
                    l.moloni_hash = Some(their_hash);
                    l
                }
                (None, Some(id)) => {
                    let Some(local) = by_id.get(&id).cloned() else { continue };
                    let (after, differ) = merge(&local, &theirs, FIELDS);
                    w.update(&local, &after).await?;
                    for (f, cur, inc) in differ {
                        reviews.push((local.id, difference(&local, f, cur, inc)));
                    }
                    let agreed = link::fingerprint(&after, FIELDS) == their_hash;
                    run.report.linked += 1;
                    let l = Link {
                        local: id,
                        moloni_id: m.product_id,
                        moloni_hash: Some(their_hash),
                        local_hash: agreed.then(|| link::fingerprint(&after, FIELDS)),
                    };
                    by_id.insert(id, after);
                    l
                }
                (None, None) => {
                    let p = Product { company_id: company, ..theirs };
                    by_reference.insert(p.reference.clone(), p.id);
                    by_id.insert(p.id, p.clone());
                    run.report.pulled += 1;
                    let l = Link {
                        local: p.id,
                        moloni_id: m.product_id,
                        moloni_hash: Some(their_hash.clone()),
                        local_hash: Some(their_hash),
                    };
                    new.push(p);
                    l
                }
            };
            link::save(&mut w, cx, ENTITY, &link).await?;
            by_moloni.insert(link.moloni_id, link.local);
            links.insert(link.local, link);
        }
        w.insert_many(&new).await?;
        run.report.review +=
            u32::try_from(crate::review::add(&mut w, company, "products", &reviews, REVIEW_SOURCE).await?)
                .unwrap_or(u32::MAX);
        w.commit().await?;
        run.progress("products", done, Some(total));
    }

    // Push
    let in_review: HashSet<String> = sqlx::query_scalar(
        "SELECT DISTINCT row_id FROM review_items
         WHERE company_id = ? AND entity = 'products' AND source = ? AND resolved_at IS NULL",
    )
    .bind(company.to_string())
    .bind(REVIEW_SOURCE)
    .fetch_all(cx.store().reader())
    .await?
    .into_iter()
    .collect();
    let todo: Vec<Product> = by_id
        .values()
        .filter(|p| !p.archived && !in_review.contains(&p.id.to_string()))
        .filter(|p| {
            links.get(&p.id).is_none_or(|l| l.local_hash.as_deref() != Some(link::fingerprint(*p, FIELDS).as_str()))
        })
        .cloned()
        .collect();
    if todo.is_empty() {
        run.report.kinds.push("products".into());
        return Ok(());
    }
    let category = api.product_categories().await?.first().map(|c| c.category_id).unwrap_or(0);
    for p in todo {
        let new = match new_product(cx, &p, category).await? {
            Ok(n) => n,
            Err(message) => {
                run.fail("product", &p.label(), message);
                continue;
            }
        };
        let sent = match links.get(&p.id) {
            None => api.product_insert(&new).await,
            Some(l) => api.product_update(l.moloni_id, &new).await,
        };
        match sent {
            Ok(moloni_id) => {
                let hash = link::fingerprint(&p, FIELDS);
                let link =
                    Link { local: p.id, moloni_id, moloni_hash: Some(super::PUSHED.into()), local_hash: Some(hash) };
                let mut w = cx.write().await?;
                link::save(&mut w, cx, ENTITY, &link).await?;
                w.commit().await?;
                links.insert(p.id, link);
                run.report.pushed += 1;
            }
            Err(e @ MoloniError::Validation { .. }) => {
                let m = e.message();
                run.fail(
                    "product",
                    &p.label(),
                    Localized::new(
                        format!("Não foi enviado ao Moloni: {} Corrija o produto.", m.pt),
                        format!("Not sent to Moloni: {} Correct the product.", m.en),
                    ),
                );
            }
            Err(e) => return Err(CoreError::Moloni(e)),
        }
    }
    run.report.kinds.push("products".into());
    Ok(())
}

fn difference(local: &Product, field: &str, current: String, incoming: String) -> FieldDifference {
    FieldDifference { line: 0, record: local.label(), field: field.to_string(), current, incoming }
}

/// Ours as Moloni takes it: its VAT as the company's Moloni tax for that zone and rate (from the reference data).
async fn new_product(cx: &Ctx, p: &Product, category: i64) -> CoreResult<Result<NewProduct, Localized>> {
    let company = cx.company().id.to_string();
    let (taxes, exemption) = match &p.tax.exemption {
        Some(code) => (Vec::new(), code.to_string()),
        None => {
            let wanted = format!("{}/{}", p.tax.zone.code(), p.tax.code.as_str());
            let row: Option<(String, String)> = sqlx::query_as(
                "SELECT moloni_id, json_extract(data, '$.value') FROM moloni_reference
                 WHERE company_id = ? AND kind = 'taxes' AND mapped = ? LIMIT 1",
            )
            .bind(&company)
            .bind(&wanted)
            .fetch_optional(cx.store().reader())
            .await?;
            let Some((id, value)) = row else {
                return Ok(Err(Localized::new(
                    format!("O Moloni não tem a taxa de IVA {wanted}: crie-a no Moloni › Definições › Impostos."),
                    format!("Moloni has no {wanted} VAT tax: create it in Moloni › Settings › Taxes."),
                )));
            };
            let tax = LineTax {
                tax_id: id.parse().unwrap_or(0),
                value: value.parse().unwrap_or(Decimal::ZERO),
                order: 1,
                cumulative: 0,
            };
            (vec![tax], String::new())
        }
    };
    let unit: Option<String> = sqlx::query_scalar(
        "SELECT moloni_id FROM moloni_reference WHERE company_id = ? AND kind = 'units' AND (mapped = ? OR name = ?)
         ORDER BY CAST(moloni_id AS INTEGER) LIMIT 1",
    )
    .bind(&company)
    .bind(&p.unit)
    .bind(&p.unit)
    .fetch_optional(cx.store().reader())
    .await?;
    let unit_id = match unit {
        Some(u) => u.parse().unwrap_or(0),
        None => super::reference::first_id(cx, "units").await?,
    };
    Ok(Ok(NewProduct {
        category_id: category,
        kind: if p.kind == ProductKind::Service { 2 } else { 1 },
        name: p.name.clone(),
        reference: p.reference.clone(),
        price: p.price.0,
        unit_id,
        has_stock: 0,
        stock: Decimal::ZERO,
        exemption_reason: exemption,
        taxes,
    }))
}
