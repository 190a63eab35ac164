//! Customers both ways. Pull: each Moloni customer is linked to ours (already linked; else by NIF, or by e-mail
//! for one without a NIF, reference §5.2), brought here when only Moloni changed it, made here when new; a field
//! changed on both sides goes to the review list. Push: ours that Moloni does not have are made there (numbers
//! from `getNextNumber`, again on "4 number"); ours changed since the last agreement are sent, unless a review is
//! open for them. Each page of changes is one transaction with its links, so an interrupted run leaves nothing
//! half done and a new run makes no duplicate.

use super::link::{self, Link};
use super::{reference, Run, REVIEW_SOURCE};
use crate::error::{CoreError, CoreResult};
use crate::import::merge::{merge, Mergeable};
use crate::Ctx;
use desk_model::ipc::{Customer, FieldDifference};
use desk_model::msg::Localized;
use desk_model::party::FINAL_CONSUMER_NIF;
use moloni::{CompanyApi, Error as MoloniError, NewCustomer};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The links' entity: the issuer links customers under the same name.
const ENTITY: &str = "customer";
/// The fields Moloni and we both keep.
const FIELDS: &[&str] = &["name", "nif", "email", "phone", "address", "postal_code", "city", "country", "notes"];
/// Moloni records changed per transaction.
const PAGE: usize = 500;
/// What Moloni writes where it knows nothing (its final-consumer placeholders): empty here.
const PLACEHOLDERS: &[&str] = &["Desconhecido", "0000-000"];

/// A Moloni customer as ours would be, checked by desk-model's rules (Moloni's placeholders read as empty).
fn from_moloni(m: &moloni::types::Customer, cx: &Ctx) -> Result<Customer, Localized> {
    let mut input = moloni::convert::customer_input(m, None);
    for field in [&mut input.address, &mut input.postal_code, &mut input.city] {
        if PLACEHOLDERS.contains(&field.trim()) {
            field.clear();
        }
    }
    input.lang = desk_model::msg::Lang::En;
    crate::customers::record_from(&input, cx.company().id, chrono::Utc::now()).map_err(|e| link::not_brought(&e))
}

/// Ours with Moloni's values in the shared fields.
fn taking(local: &Customer, theirs: &Customer) -> Customer {
    let mut after = local.clone();
    for f in FIELDS {
        after.take(f, theirs);
    }
    after
}

/// The company's customers as the sync matches them.
struct Locals {
    by_id: HashMap<Uuid, Customer>,
    by_nif: HashMap<String, Uuid>,
    by_email: HashMap<String, Uuid>,
    links: HashMap<Uuid, Link>,
    by_moloni: HashMap<i64, Uuid>,
}

impl Locals {
    fn put(&mut self, c: Customer) {
        if let Some(n) = c.nif.clone().filter(|n| n != FINAL_CONSUMER_NIF) {
            self.by_nif.entry(n).or_insert(c.id);
        }
        if let Some(e) = c.email.clone().filter(|e| !e.is_empty()) {
            self.by_email.entry(e.to_lowercase()).or_insert(c.id);
        }
        self.by_id.insert(c.id, c);
    }

    fn link(&mut self, l: Link) {
        self.by_moloni.insert(l.moloni_id, l.local);
        self.links.insert(l.local, l);
    }

    /// An unlinked customer of ours that is `theirs`: same NIF, or same e-mail when it has no NIF.
    fn matching(&self, theirs: &Customer) -> Option<Uuid> {
        let id = match &theirs.nif {
            Some(n) => self.by_nif.get(n),
            None => theirs.email.as_ref().and_then(|e| self.by_email.get(&e.to_lowercase())),
        }?;
        (!self.links.contains_key(id)).then_some(*id)
    }
}

/// Pulls, then pushes.
pub async fn sync(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>) -> CoreResult<()> {
    let mut locals = Locals {
        by_id: HashMap::new(),
        by_nif: HashMap::new(),
        by_email: HashMap::new(),
        links: HashMap::new(),
        by_moloni: HashMap::new(),
    };
    for c in crate::customers::all(cx).await? {
        locals.put(c);
    }
    for l in link::load(cx, ENTITY).await? {
        locals.link(l);
    }
    pull(cx, api, run, &mut locals).await?;
    push(cx, api, run, &mut locals).await?;
    run.report.kinds.push("customers".into());
    Ok(())
}

async fn pull(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>, locals: &mut Locals) -> CoreResult<()> {
    let full = run.since.is_none();
    let list = match &run.since {
        None => api.customers().await?,
        Some(since) => api.customers_modified_since(since).await?,
    };
    let total = list.len() as u64;
    run.progress("customers", 0, Some(total));
    let mut seen = HashSet::new();
    let company = cx.company().id;
    let mut done = 0u64;
    for page in list.chunks(PAGE) {
        let mut w = cx.write().await?;
        let mut new = Vec::new();
        let mut reviews: Vec<(Uuid, FieldDifference)> = Vec::new();
        for m in page {
            done += 1;
            // overlapping pages and the final consumer (Moloni's stand-in for "no customer") are not records
            if !seen.insert(m.customer_id) || m.vat.trim() == FINAL_CONSUMER_NIF {
                continue;
            }
            let theirs = match from_moloni(m, cx) {
                Ok(c) => c,
                Err(message) => {
                    run.fail("customer", &format!("{} ({})", m.name, m.vat), message);
                    continue;
                }
            };
            let their_hash = link::fingerprint(&theirs, FIELDS);
            let linked = locals.by_moloni.get(&m.customer_id).and_then(|id| locals.links.get(id)).cloned();
            match linked {
                Some(link) if link.moloni_hash.as_deref() == Some(their_hash.as_str()) => {}
                // our own push coming back in Moloni's words: now agreed
                Some(mut link) if link.moloni_hash.as_deref() == Some(super::PUSHED) => {
                    link.moloni_hash = Some(their_hash);
                    link::save(&mut w, cx, ENTITY, &link).await?;
                    locals.link(link);
                }
                Some(mut link) => {
                    let Some(local) = locals.by_id.get(&link.local).cloned() else { continue };
                    if link.local_hash.as_deref() == Some(link::fingerprint(&local, FIELDS).as_str()) {
                        // only Moloni changed it
                        let after = taking(&local, &theirs);
                        if w.update(&local, &after).await? {
                            run.report.pulled += 1;
                        }
                        link.local_hash = Some(link::fingerprint(&after, FIELDS));
                        locals.by_id.insert(after.id, after);
                    } else {
                        // both changed it: each differing field waits for a person
                        for f in FIELDS {
                            let (cur, inc) = (local.text(f), theirs.text(f));
                            if !Customer::same(f, &cur, &inc) {
                                reviews.push((local.id, difference(&local, f, cur, inc)));
                            }
                        }
                        link.local_hash = None;
                    }
                    link.moloni_hash = Some(their_hash);
                    link::save(&mut w, cx, ENTITY, &link).await?;
                    locals.link(link);
                }
                None => match locals.matching(&theirs) {
                    Some(id) => {
                        let Some(local) = locals.by_id.get(&id).cloned() else { continue };
                        let (after, differ) = merge(&local, &theirs, FIELDS);
                        w.update(&local, &after).await?;
                        for (f, cur, inc) in differ {
                            reviews.push((local.id, difference(&local, f, cur, inc)));
                        }
                        let agreed = link::fingerprint(&after, FIELDS) == their_hash;
                        let link = Link {
                            local: id,
                            moloni_id: m.customer_id,
                            moloni_hash: Some(their_hash),
                            local_hash: agreed.then(|| link::fingerprint(&after, FIELDS)),
                        };
                        link::save(&mut w, cx, ENTITY, &link).await?;
                        locals.by_id.insert(id, after);
                        locals.link(link);
                        run.report.linked += 1;
                    }
                    None => {
                        let c = Customer { company_id: company, ..theirs };
                        let link = Link {
                            local: c.id,
                            moloni_id: m.customer_id,
                            moloni_hash: Some(their_hash.clone()),
                            local_hash: Some(their_hash),
                        };
                        link::save(&mut w, cx, ENTITY, &link).await?;
                        locals.link(link);
                        new.push(c.clone());
                        locals.put(c);
                        run.report.pulled += 1;
                    }
                },
            }
        }
        w.insert_many(&new).await?;
        run.report.review +=
            u32::try_from(crate::review::add(&mut w, company, "customers", &reviews, REVIEW_SOURCE).await?)
                .unwrap_or(u32::MAX);
        w.commit().await?;
        run.progress("customers", done, Some(total));
    }
    if full {
        archive_deleted(cx, run, locals, &seen).await?;
    }
    Ok(())
}

fn difference(local: &Customer, field: &str, current: String, incoming: String) -> FieldDifference {
    FieldDifference { line: 0, record: local.label(), field: field.to_string(), current, incoming }
}

/// A customer deleted in Moloni (absent from a full read) is archived here, never deleted: documents may use it.
async fn archive_deleted(cx: &Ctx, run: &mut Run<'_>, locals: &mut Locals, seen: &HashSet<i64>) -> CoreResult<()> {
    let gone: Vec<Link> = locals.links.values().filter(|l| !seen.contains(&l.moloni_id)).cloned().collect();
    if gone.is_empty() {
        return Ok(());
    }
    let mut w = cx.write().await?;
    for link in gone {
        if let Some(local) = locals.by_id.get(&link.local).filter(|c| !c.archived).cloned() {
            let after = Customer { archived: true, ..local.clone() };
            w.update(&local, &after).await?;
            run.issue(
                "customer",
                &local.label(),
                Localized::new(
                    "Apagado no Moloni: arquivado aqui (os documentos que o usam ficam como estão).",
                    "Deleted in Moloni: archived here (the documents that use it stay as they are).",
                ),
            );
            locals.by_id.insert(after.id, after);
        }
        sqlx::query("DELETE FROM moloni_links WHERE company_id = ? AND entity = ? AND local_key = ?")
            .bind(cx.company().id.to_string())
            .bind(ENTITY)
            .bind(link.local.to_string())
            .execute(w.conn())
            .await?;
        locals.links.remove(&link.local);
        locals.by_moloni.remove(&link.moloni_id);
    }
    w.commit().await
}

/// Ours as Moloni takes it (its required fields filled with its own placeholders).
async fn new_customer(cx: &Ctx, c: &Customer, number: String) -> CoreResult<NewCustomer> {
    let or = |v: &Option<String>, default: &str| v.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| default.into());
    Ok(NewCustomer {
        number,
        name: c.name.clone(),
        vat: or(&c.nif, FINAL_CONSUMER_NIF),
        address: or(&c.address, "Desconhecido"),
        zip_code: or(&c.postal_code, "0000-000"),
        city: or(&c.city, "Desconhecido"),
        country_id: reference::country_id(cx, &c.country).await?,
        language_id: 1,
        email: c.email.clone().unwrap_or_default(),
        phone: c.phone.clone().unwrap_or_default(),
        notes: c.notes.clone().unwrap_or_default(),
        maturity_date_id: reference::first_id(cx, "maturity_dates").await?,
        payment_method_id: reference::first_id(cx, "payment_methods").await?,
    })
}

/// Moloni's "4 number": the number was taken meanwhile.
fn number_taken(e: &MoloniError) -> bool {
    matches!(e, MoloniError::Validation { errors, .. } if errors.iter().any(|v| v.code == 4 && v.field == "number"))
}

async fn push(cx: &Ctx, api: &CompanyApi<'_>, run: &mut Run<'_>, locals: &mut Locals) -> CoreResult<()> {
    let in_review: HashSet<String> = sqlx::query_scalar(
        "SELECT DISTINCT row_id FROM review_items
         WHERE company_id = ? AND entity = 'customers' AND source = ? AND resolved_at IS NULL",
    )
    .bind(cx.company().id.to_string())
    .bind(REVIEW_SOURCE)
    .fetch_all(cx.store().reader())
    .await?
    .into_iter()
    .collect();
    let mut todo: Vec<Customer> = locals
        .by_id
        .values()
        .filter(|c| !c.archived && !in_review.contains(&c.id.to_string()))
        .filter(|c| match locals.links.get(&c.id) {
            None => true,
            Some(l) => l.local_hash.as_deref() != Some(link::fingerprint(*c, FIELDS).as_str()),
        })
        .cloned()
        .collect();
    todo.sort_by_key(|c| c.created_at);
    let total = todo.len() as u64;
    for (i, c) in todo.into_iter().enumerate() {
        run.progress("customers ↑", i as u64, Some(total));
        let link = locals.links.get(&c.id).cloned();
        let sent = match &link {
            None => insert(cx, api, &c).await,
            Some(l) => {
                let number = api.customer_get(l.moloni_id).await.map(|m| m.map(|m| m.number).unwrap_or_default())?;
                let new = new_customer(cx, &c, number).await?;
                api.customer_update(l.moloni_id, &new).await.map_err(CoreError::from)
            }
        };
        match sent {
            Ok(moloni_id) => {
                let hash = link::fingerprint(&c, FIELDS);
                let link =
                    Link { local: c.id, moloni_id, moloni_hash: Some(super::PUSHED.into()), local_hash: Some(hash) };
                let mut w = cx.write().await?;
                link::save(&mut w, cx, ENTITY, &link).await?;
                w.commit().await?;
                locals.link(link);
                run.report.pushed += 1;
            }
            Err(CoreError::Moloni(e @ MoloniError::Validation { .. })) => {
                run.fail("customer", &c.label(), moloni_refusal(&e));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Makes ours in Moloni with the next free number (asked again when another took it meanwhile).
async fn insert(cx: &Ctx, api: &CompanyApi<'_>, c: &Customer) -> CoreResult<i64> {
    let mut tries = 0;
    loop {
        let number = api.customers_next_number().await?;
        match api.customer_insert(&new_customer(cx, c, number).await?).await {
            Err(e) if number_taken(&e) && tries < 3 => tries += 1,
            other => return other.map_err(CoreError::from),
        }
    }
}

fn moloni_refusal(e: &MoloniError) -> Localized {
    let m = e.message();
    Localized::new(
        format!("Não foi enviado ao Moloni: {} Corrija a ficha do cliente.", m.pt),
        format!("Not sent to Moloni: {} Correct the customer's details.", m.en),
    )
}
