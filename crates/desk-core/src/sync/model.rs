//! A model of the office server in memory, for the seeded simulation (`tests/office_sim.rs`): the same protocol
//! and merge (`sync::merge`) as PostgreSQL, and the same rules the server's triggers and `desk_command` enforce
//! (natural keys, drafts only are edited, state moves), so a thousand seeded runs take seconds. It also counts
//! how often each op was applied, which the simulation checks is never more than once.

use super::central::{Central, Conflict, Group, GroupResult, Outcome, Page, Resolution, ServerRow};
use super::merge;
use super::outbox::Op;
use crate::server::{schema, ServerError, ServerResult};
use serde_json::{json, Map, Value as Json};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// The server's state.
#[derive(Debug, Clone, Default)]
pub struct ModelState {
    /// Rows by (table, id).
    pub rows: BTreeMap<(String, Uuid), ServerRow>,
    /// The revision clock.
    pub rev: i64,
    /// Applied ops and the result recorded for them.
    pub applied: HashMap<Uuid, Outcome>,
    /// How many times each op's effect was applied (must stay ≤ 1).
    pub applications: HashMap<Uuid, u32>,
    /// Conflicts and whether each is still open.
    pub conflicts: Vec<(Conflict, bool)>,
    /// The companies the people belong to.
    pub companies: Vec<Uuid>,
    /// Whether the server is down (every call fails).
    pub down: bool,
}

/// A handle on a shared model server (one per desktop; they share the state).
#[derive(Debug, Clone)]
pub struct ModelCentral {
    /// The shared state.
    pub state: Arc<Mutex<ModelState>>,
    /// The person this desktop logs in as.
    pub user: String,
}

const SETTLED: [&str; 4] = ["issued", "unpaid", "partially_paid", "paid"];

/// What recording an issue (here or in Moloni's own app) sets.
const FISCAL: &[&str] = &[
    "state",
    "moloni_id",
    "moloni_document_set_id",
    "fiscal_number",
    "fiscal_series",
    "atcud",
    "hash4",
    "issued_at",
    "issued_snapshot",
    "received",
    "credited",
    "open_cents",
    "issue_requested_at",
];

/// The totals a command carries as the desktop computed them.
const TOTALS: &[&str] =
    &["gross", "discounts", "net", "vat", "total", "net_cents", "total_cents", "withholding", "customer_key"];

fn down() -> ServerError {
    ServerError::Unreachable("the model server is down".into())
}

fn text<'a>(row: &'a ServerRow, field: &str) -> Option<&'a str> {
    row.fields.get(field).and_then(Json::as_str)
}

fn columns(table: &str) -> Vec<&'static str> {
    schema::synced_tables()
        .into_iter()
        .find(|t| t.table == table)
        .map(|t| t.columns.into_iter().filter(|c| !matches!(*c, "rev" | "updated_at" | "deleted_at")).collect())
        .unwrap_or_default()
}

impl ModelState {
    fn stamp(&mut self, table: &str, id: Uuid, fields: Map<String, Json>, deleted: bool) {
        self.rev += 1;
        let rev = self.rev;
        self.rows.insert((table.into(), id), ServerRow { entity: table.into(), id, rev, fields, deleted });
    }

    fn get(&self, table: &str, id: Uuid) -> Option<&ServerRow> {
        self.rows.get(&(table.to_string(), id))
    }

    fn document_state(&self, id: Option<Uuid>) -> Option<String> {
        // as the server's line guard reads it: a tombstoned draft is still a draft
        id.and_then(|id| self.get("documents", id)).and_then(|d| text(d, "state").map(String::from))
    }

    fn parent(row: &ServerRow) -> Option<Uuid> {
        text(row, "document_id").and_then(|s| Uuid::parse_str(s).ok())
    }

    /// A natural key another live row of the company holds.
    fn key_taken(&self, table: &str, id: Uuid, fields: &Map<String, Json>, company: Uuid) -> bool {
        let key = match table {
            "customers" => "nif",
            "products" => "reference",
            _ => return false,
        };
        let Some(value) = fields.get(key).and_then(Json::as_str) else { return false };
        if table == "customers" && value == "999999990" {
            return false;
        }
        let company = company.to_string();
        self.rows.values().any(|r| {
            r.entity == table
                && r.id != id
                && !r.deleted
                && text(r, "company_id") == Some(company.as_str())
                && text(r, key) == Some(value)
        })
    }

    fn apply_op(&mut self, op: &Op, made: &mut Vec<String>) -> Result<(), String> {
        let cols = columns(&op.entity);
        if cols.is_empty() {
            return Err(format!("unknown table {}", op.entity));
        }
        if !self.companies.contains(&op.company_id) {
            return Err("Não pertence a esta empresa no escritório.".into());
        }
        *self.applications.entry(op.op_id).or_default() += 1;
        let current = self.get(&op.entity, op.row_id).cloned();
        match op.kind.as_str() {
            "insert" => {
                if current.is_some() {
                    return Ok(());
                }
                let mut fields: Map<String, Json> = op
                    .new
                    .iter()
                    .filter(|(k, _)| cols.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                fields.insert("id".into(), json!(op.row_id));
                if op.entity != "companies" {
                    fields.insert("company_id".into(), json!(op.company_id));
                }
                // every column, as a table row has: what the insert does not carry takes the server's default
                for c in &cols {
                    fields.entry(c.to_string()).or_insert(Json::Null);
                }
                if op.entity == "documents" && fields.get("state").is_none_or(Json::is_null) {
                    fields.insert("state".into(), json!("draft"));
                }
                if self.key_taken(&op.entity, op.row_id, &fields, op.company_id) {
                    return Err("Já existe no escritório um registo com esta chave.".into());
                }
                match op.entity.as_str() {
                    "documents" if fields.get("state").and_then(Json::as_str).unwrap_or("draft") != "draft" => {
                        return Err("a document is created as a draft".into())
                    }
                    "document_lines" | "payments" => {
                        let doc =
                            fields.get("document_id").and_then(Json::as_str).and_then(|s| Uuid::parse_str(s).ok());
                        match self.document_state(doc) {
                            None => return Err("document does not exist on the server".into()),
                            Some(s) if op.entity == "document_lines" && s != "draft" => {
                                return Err("the lines of an issued or queued document cannot change".into())
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
                self.stamp(&op.entity, op.row_id, fields, false);
                Ok(())
            }
            "update" | "delete" => {
                let Some(current) = current else { return Err("Este registo não está no escritório.".into()) };
                if current.deleted {
                    if op.kind == "delete" {
                        return Ok(());
                    }
                    return Err("Este registo foi apagado noutro posto.".into());
                }
                let frozen = match op.entity.as_str() {
                    "documents" => text(&current, "state") != Some("draft"),
                    "document_lines" => self.document_state(Self::parent(&current)).is_some_and(|s| s != "draft"),
                    _ => false,
                };
                if frozen {
                    return Err("document is issued or queued for issue and cannot change".into());
                }
                if op.kind == "delete" {
                    let fields = current.fields.clone();
                    self.stamp(&op.entity, op.row_id, fields, true);
                    return Ok(());
                }
                let plan = merge::plan(&current.fields, &op.old, &op.new, &cols);
                let mut fields = current.fields.clone();
                for (k, v) in &plan.set {
                    fields.insert(k.clone(), v.clone());
                }
                if self.key_taken(&op.entity, op.row_id, &fields, op.company_id) {
                    return Err("Já existe no escritório um registo com esta chave.".into());
                }
                if !plan.set.is_empty() {
                    self.stamp(&op.entity, op.row_id, fields, false);
                }
                for (c, open) in &mut self.conflicts {
                    if *open && c.entity == op.entity && c.row_id == op.row_id && plan.settled.contains(&c.field) {
                        *open = false;
                    }
                }
                for f in plan.conflicts {
                    self.conflicts.retain(|(c, open)| {
                        !(*open && c.entity == op.entity && c.row_id == op.row_id && c.field == f.field)
                    });
                    made.push(format!("{}.{}", op.entity, f.field));
                    self.conflicts.push((
                        Conflict {
                            id: Uuid::now_v7(),
                            company_id: op.company_id,
                            entity: op.entity.clone(),
                            row_id: op.row_id,
                            field: f.field,
                            base: f.base,
                            theirs: f.theirs,
                            mine: f.mine,
                            by: self_user(),
                            at: String::new(),
                        },
                        true,
                    ));
                }
                Ok(())
            }
            "command" if op.entity == "documents" => self.command(op, current),
            other => Err(format!("the server does not run {other} on {}", op.entity)),
        }
    }

    /// The moves `desk_command` allows.
    fn command(&mut self, op: &Op, current: Option<ServerRow>) -> Result<(), String> {
        let Some(current) = current.filter(|c| !c.deleted) else { return Err("document is not on the server".into()) };
        let state = text(&current, "state").unwrap_or("draft").to_string();
        let wanted = op.new.get("state").and_then(Json::as_str).unwrap_or_default().to_string();
        let name = op.command.clone().unwrap_or_default();
        // (the columns the command sets, whether it carries its totals too), as `desk_command` has them
        let (allowed, totals): (&[&str], bool) = match name.as_str() {
            "issue.request" if state == "issue_requested" => return Ok(()),
            "issue.request" if state == "draft" && wanted == "issue_requested" => {
                (&["state", "issue_requested_at"], true)
            }
            "issue.withdraw" if state == "draft" => return Ok(()),
            "issue.withdraw" if state == "issue_requested" && wanted == "draft" => {
                (&["state", "issue_requested_at"], false)
            }
            "issue.claim" if state == "issuing" => return Ok(()),
            "issue.claim" if state == "issue_requested" && wanted == "issuing" => (&["state"], false),
            "issue.release" if state == wanted => return Ok(()),
            "issue.release" if state == "issuing" && (wanted == "issue_requested" || wanted == "draft") => {
                (&["state"], false)
            }
            "issue.record" if SETTLED.contains(&state.as_str()) => {
                return if text(&current, "fiscal_number") == op.new.get("fiscal_number").and_then(Json::as_str) {
                    Ok(())
                } else {
                    Err("document was already issued".into())
                }
            }
            "issue.record"
                if matches!(state.as_str(), "issue_requested" | "issuing" | "draft")
                    && SETTLED.contains(&wanted.as_str())
                    && op.new.get("fiscal_number").and_then(Json::as_str).is_some_and(|n| !n.is_empty()) =>
            {
                (FISCAL, true)
            }
            "moloni.pull" if state != "draft" => {
                return if text(&current, "moloni_id").is_some()
                    || current.fields.get("moloni_id") == op.new.get("moloni_id")
                {
                    Ok(())
                } else {
                    Err("document was already issued".into())
                }
            }
            "moloni.pull"
                if (SETTLED.contains(&wanted.as_str()) || wanted == "cancelled")
                    && op.new.get("fiscal_number").and_then(Json::as_str).is_some_and(|n| !n.is_empty()) =>
            {
                (FISCAL, true)
            }
            "issue.cancel" if state == "cancelled" => return Ok(()),
            "issue.cancel" if SETTLED.contains(&state.as_str()) && wanted == "cancelled" => {
                (&["state", "cancel_reason"], false)
            }
            _ => return Err(format!("document is {state} and {name} cannot move it to {wanted}")),
        };
        // a document annulled in Moloni's own app arrives cancelled, with its reason
        let takes = |k: &str| {
            allowed.contains(&k) || (totals && TOTALS.contains(&k)) || (name == "moloni.pull" && k == "cancel_reason")
        };
        let mut fields = current.fields.clone();
        for (k, v) in &op.new {
            if takes(k) {
                fields.insert(k.clone(), v.clone());
            }
        }
        self.stamp("documents", op.row_id, fields, false);
        Ok(())
    }

    fn rows_for(&self, group: &Group) -> Vec<ServerRow> {
        let mut out: Vec<ServerRow> = Vec::new();
        for op in &group.ops {
            if out.iter().any(|r| r.id == op.row_id) {
                continue;
            }
            out.push(self.get(&op.entity, op.row_id).cloned().unwrap_or(ServerRow {
                entity: op.entity.clone(),
                id: op.row_id,
                rev: 0,
                fields: Map::new(),
                deleted: true,
            }));
        }
        out
    }
}

fn self_user() -> String {
    "model".into()
}

impl Central for ModelCentral {
    async fn companies(&mut self) -> ServerResult<Vec<Uuid>> {
        let s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        Ok(s.companies.clone())
    }

    async fn push(&mut self, _desktop: Uuid, groups: &[Group]) -> ServerResult<Vec<GroupResult>> {
        let mut s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        let mut results = Vec::new();
        for group in groups {
            if let Some(outcome) = group.ops.iter().find_map(|o| s.applied.get(&o.op_id)).cloned() {
                results.push(GroupResult { group_id: group.group_id, outcome, replayed: true, rows: Vec::new() });
                continue;
            }
            // a savepoint: the group's effects are kept only if every op applies
            let before = (s.rows.clone(), s.rev, s.conflicts.clone(), s.applications.clone());
            let mut made = Vec::new();
            let mut refused = None;
            for op in &group.ops {
                if let Err(reason) = s.apply_op(op, &mut made) {
                    refused = Some(reason);
                    break;
                }
            }
            let outcome = match refused {
                None => Outcome::Applied { conflicts: made },
                Some(reason) => {
                    (s.rows, s.rev, s.conflicts, s.applications) = before;
                    Outcome::Rejected { reason }
                }
            };
            for op in &group.ops {
                s.applied.insert(op.op_id, outcome.clone());
            }
            results.push(GroupResult { group_id: group.group_id, outcome, replayed: false, rows: Vec::new() });
        }
        // as the whole push left them
        for (group, result) in groups.iter().zip(results.iter_mut()) {
            if differs(group, &result.outcome) {
                result.rows = s.rows_for(group);
            }
        }
        Ok(results)
    }

    async fn resolve(&mut self, resolutions: &[Resolution]) -> ServerResult<()> {
        let mut s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        for (c, open) in &mut s.conflicts {
            if resolutions.iter().any(|r| r.conflict_id == c.id) {
                *open = false;
            }
        }
        Ok(())
    }

    async fn rows(&mut self, entity: &str, ids: &[Uuid]) -> ServerResult<Vec<ServerRow>> {
        let s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        Ok(ids
            .iter()
            .map(|id| {
                s.get(entity, *id).cloned().unwrap_or(ServerRow {
                    entity: entity.into(),
                    id: *id,
                    rev: 0,
                    fields: Map::new(),
                    deleted: true,
                })
            })
            .collect())
    }

    async fn pull(&mut self, cursor: i64, limit: u32) -> ServerResult<Page> {
        let s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        let mut rows: Vec<ServerRow> = s.rows.values().filter(|r| r.rev > cursor).cloned().collect();
        rows.sort_by_key(|r| r.rev);
        let done = rows.len() <= limit as usize;
        rows.truncate(limit as usize);
        let last = rows.last().map_or(cursor, |r| r.rev);
        Ok(Page { rows, cursor: last, done, head: s.rev })
    }

    async fn conflicts(&mut self) -> ServerResult<Vec<Conflict>> {
        let s = self.state.lock().map_err(|_| down())?;
        if s.down {
            return Err(down());
        }
        Ok(s.conflicts.iter().filter(|(_, open)| *open).map(|(c, _)| c.clone()).collect())
    }
}

/// As the PostgreSQL server: a conflict, a refusal or a command sends the server's rows back.
fn differs(group: &Group, outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Applied { conflicts } => !conflicts.is_empty() || group.ops.iter().any(|o| o.kind == "command"),
        Outcome::Rejected { .. } => true,
    }
}
