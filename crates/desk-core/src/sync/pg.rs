//! The office server for real: the push applies each group of ops in one PostgreSQL transaction **as the person**
//! (their grants, row security and the guard triggers hold), merging field by field against each op's old values
//! (`sync::merge`), and records every op id in `applied_ops` in that same transaction, so a push whose answer was
//! lost and is sent again does nothing twice. Business refusals (a trigger, a unique key, a role) roll back that
//! group only and come back as its result. A pull reads the rows above a cursor from every synced table in one
//! statement, in commit order (`rev`).

use super::central::{Central, Conflict, Group, GroupResult, Outcome, Page, Resolution, ServerRow};
use super::merge;
use super::outbox::Op;
use crate::server::{schema, ServerError, ServerResult};
use serde_json::{json, Map, Value as Json};
use sqlx::{PgConnection, PgPool, Row};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The synced tables, parents first.
pub const TABLES: [&str; 6] = ["companies", "customers", "products", "documents", "document_lines", "payments"];

/// The office server through a pool of connections as one person.
pub struct PgCentral {
    pool: PgPool,
    /// Per table, the columns a desktop may write (the server's own ones left out).
    columns: HashMap<&'static str, Vec<&'static str>>,
}

impl PgCentral {
    /// Talks to the server through `pool` (connected as the person).
    pub fn new(pool: PgPool) -> PgCentral {
        let columns = schema::synced_tables()
            .into_iter()
            .map(|t| {
                let cols =
                    t.columns.into_iter().filter(|c| !matches!(*c, "rev" | "updated_at" | "deleted_at")).collect();
                (t.table, cols)
            })
            .collect();
        PgCentral { pool, columns }
    }

    /// The pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn columns(&self, table: &str) -> Result<&[&'static str], Failure> {
        self.columns.get(table).map(Vec::as_slice).ok_or_else(|| Failure::Refused(format!("unknown table {table}")))
    }
}

/// Why a group did not apply: refused by the server's rules (its result), or the connection (the whole push
/// fails and is tried again).
enum Failure {
    Refused(String),
    Transport(ServerError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(d) = &e {
            let code = d.code().map(|c| c.to_string()).unwrap_or_default();
            // integrity, privilege (row security included), object state, data and raised exceptions are the
            // server's rules speaking; anything else (connection, serialization, shutdown) is tried again
            if code.starts_with("23") || code.starts_with("22") || code == "42501" || code == "55000" || code == "P0001"
            {
                return Failure::Refused(readable(&code, d.message(), d.constraint()));
            }
        }
        Failure::Transport(ServerError::from_sqlx(e))
    }
}

/// The server's refusal in words a person can act on.
fn readable(code: &str, message: &str, constraint: Option<&str>) -> String {
    match constraint {
        Some("customers_company_nif") => {
            "Já existe no escritório um cliente com este NIF: use esse cliente. / The office already has a customer \
             with this NIF: use that one."
                .into()
        }
        Some("products_company_reference") => {
            "Já existe no escritório um artigo com esta referência. / The office already has a product with this \
             reference."
                .into()
        }
        _ if code == "42501" && message.contains("row-level security") => {
            "Não pertence a esta empresa no escritório. / You do not belong to this company on the office server."
                .into()
        }
        _ => message.to_string(),
    }
}

fn object(text: &str) -> ServerResult<Map<String, Json>> {
    match serde_json::from_str(text) {
        Ok(Json::Object(m)) => Ok(m),
        _ => Err(ServerError::Db(format!("unreadable row {text}"))),
    }
}

/// A row as read: `rev` and `deleted_at` taken out of the fields.
fn server_row(entity: &str, mut fields: Map<String, Json>) -> ServerResult<ServerRow> {
    let id = fields
        .get("id")
        .and_then(Json::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| ServerError::Db(format!("{entity} row without id")))?;
    let rev = fields.remove("rev").and_then(|v| v.as_i64()).unwrap_or(0);
    let deleted = fields.get("deleted_at").is_some_and(|v| !v.is_null());
    fields.remove("deleted_at");
    fields.remove("updated_at");
    Ok(ServerRow { entity: entity.to_string(), id, rev, fields, deleted })
}

/// The current rows of `ids` in `table` (a row the server does not have comes back as a tombstone).
async fn rows_of(conn: &mut PgConnection, table: &str, ids: &[Uuid]) -> ServerResult<Vec<ServerRow>> {
    if !TABLES.contains(&table) {
        return Ok(Vec::new());
    }
    let found: Vec<String> =
        sqlx::query_scalar(&format!("SELECT to_jsonb(t)::text FROM public.{table} t WHERE id = ANY($1)"))
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?;
    let mut rows = found.iter().map(|t| server_row(table, object(t)?)).collect::<ServerResult<Vec<_>>>()?;
    for id in ids {
        if !rows.iter().any(|r| r.id == *id) {
            rows.push(ServerRow { entity: table.into(), id: *id, rev: 0, fields: Map::new(), deleted: true });
        }
    }
    Ok(rows)
}

impl PgCentral {
    /// Applies one group's ops; the `entity.field`s that became conflicts.
    async fn apply_group(&self, conn: &mut PgConnection, group: &Group) -> Result<Vec<String>, Failure> {
        let mut conflicts = Vec::new();
        for op in &group.ops {
            match op.kind.as_str() {
                "insert" => self.insert(conn, op).await?,
                "update" => conflicts.extend(self.update(conn, op).await?),
                "delete" => {
                    self.columns(&op.entity)?;
                    sqlx::query(&format!(
                        "UPDATE public.{} SET deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL",
                        op.entity
                    ))
                    .bind(op.row_id)
                    .bind(&op.created_at)
                    .execute(&mut *conn)
                    .await?;
                }
                "command" if op.entity == "documents" => {
                    let name = op.command.clone().unwrap_or_default();
                    sqlx::query("SELECT public.desk_command($1, $2, $3::jsonb)")
                        .bind(&name)
                        .bind(op.row_id)
                        .bind(Json::Object(op.new.clone()).to_string())
                        .execute(&mut *conn)
                        .await?;
                }
                other => return Err(Failure::Refused(format!("the server does not run {other} on {}", op.entity))),
            }
        }
        Ok(conflicts)
    }

    async fn insert(&self, conn: &mut PgConnection, op: &Op) -> Result<(), Failure> {
        let columns = self.columns(&op.entity)?;
        let mut fields: Map<String, Json> =
            op.new.iter().filter(|(k, _)| columns.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        fields.insert("id".into(), json!(op.row_id));
        if columns.contains(&"company_id") && op.entity != "companies" {
            fields.insert("company_id".into(), json!(op.company_id));
        }
        derive(&op.entity, &mut fields);
        let names: Vec<&str> = fields.keys().map(String::as_str).collect();
        let list = names.join(", ");
        sqlx::query(&format!(
            "INSERT INTO public.{t} ({list}) SELECT {list} FROM jsonb_populate_record(NULL::public.{t}, $1::jsonb)
             ON CONFLICT (id) DO NOTHING",
            t = op.entity
        ))
        .bind(Json::Object(fields).to_string())
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn update(&self, conn: &mut PgConnection, op: &Op) -> Result<Vec<String>, Failure> {
        let columns = self.columns(&op.entity)?;
        let current: Option<String> = sqlx::query_scalar(&format!(
            "SELECT to_jsonb(t)::text FROM public.{} t WHERE id = $1 FOR UPDATE",
            op.entity
        ))
        .bind(op.row_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(current) = current else {
            return Err(Failure::Refused(
                "Este registo não está no escritório (foi recusado antes ou é de outra empresa). / This record is \
                 not on the office server (it was refused before, or belongs to another company)."
                    .into(),
            ));
        };
        let current = object(&current).map_err(Failure::Transport)?;
        if current.get("deleted_at").is_some_and(|v| !v.is_null()) {
            return Err(Failure::Refused(
                "Este registo foi apagado noutro posto; a alteração não foi aplicada. / This record was deleted on \
                 another desktop; the change was not applied."
                    .into(),
            ));
        }
        // a merge that only records conflicts writes nothing a trigger would see: past draft, refuse first
        let parent = match op.entity.as_str() {
            "documents" => current.get("state").and_then(Json::as_str).map(str::to_string),
            "document_lines" => {
                let doc = current.get("document_id").and_then(Json::as_str).and_then(|s| Uuid::parse_str(s).ok());
                sqlx::query_scalar("SELECT state FROM public.documents WHERE id = $1")
                    .bind(doc)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            _ => None,
        };
        if parent.is_some_and(|s| s != "draft") {
            return Err(Failure::Refused(
                "O documento já foi emitido ou está na fila de emissão: não pode mudar (corrija-o com uma nota de \
                 crédito). / The document is issued or queued for issue and cannot change (correct it with a \
                 credit note)."
                    .into(),
            ));
        }
        let mut plan = merge::plan(&current, &op.old, &op.new, columns);
        if !plan.set.is_empty() {
            derive(&op.entity, &mut plan.set);
            let names: Vec<&str> = plan.set.keys().map(String::as_str).collect();
            let list = names.join(", ");
            sqlx::query(&format!(
                "UPDATE public.{t} SET ({list}) = (SELECT {list} FROM jsonb_populate_record(NULL::public.{t}, $2::jsonb))
                 WHERE id = $1",
                t = op.entity
            ))
            .bind(op.row_id)
            .bind(Json::Object(plan.set.clone()).to_string())
            .execute(&mut *conn)
            .await?;
        }
        if !plan.settled.is_empty() {
            sqlx::query(
                "UPDATE public.conflicts SET status = 'resolved', resolved_by = session_user, resolved_at = now()
                  WHERE entity = $1 AND row_id = $2 AND field = ANY($3) AND status = 'open'",
            )
            .bind(&op.entity)
            .bind(op.row_id)
            .bind(&plan.settled)
            .execute(&mut *conn)
            .await?;
        }
        let company = current.get("company_id").and_then(Json::as_str).and_then(|s| Uuid::parse_str(s).ok());
        let mut fields = Vec::new();
        for c in std::mem::take(&mut plan.conflicts) {
            sqlx::query(
                "INSERT INTO public.conflicts (id, company_id, entity, row_id, field, base, theirs, mine, op_id)
                 VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9)
                 ON CONFLICT (entity, row_id, field) WHERE status = 'open'
                 DO UPDATE SET theirs = EXCLUDED.theirs, mine = EXCLUDED.mine, op_id = EXCLUDED.op_id,
                               db_user = session_user, created_at = now()",
            )
            .bind(Uuid::now_v7())
            .bind(company.unwrap_or(op.company_id))
            .bind(&op.entity)
            .bind(op.row_id)
            .bind(&c.field)
            .bind(c.base.to_string())
            .bind(c.theirs.to_string())
            .bind(c.mine.to_string())
            .bind(op.op_id)
            .execute(&mut *conn)
            .await?;
            fields.push(format!("{}.{}", op.entity, c.field));
        }
        Ok(fields)
    }
}

/// Derived columns the server must hold that follow from the fields written here (a payment's cents).
fn derive(entity: &str, fields: &mut Map<String, Json>) {
    if entity == "payments" {
        if let Some(cents) =
            fields.get("amount").and_then(Json::as_str).and_then(|a| a.parse::<rust_decimal::Decimal>().ok()).and_then(
                |d| rust_decimal::prelude::ToPrimitive::to_i64(&(d * rust_decimal::Decimal::ONE_HUNDRED).round()),
            )
        {
            fields.insert("amount_cents".into(), json!(cents));
        }
    }
}

/// The ops a push applied or refused, recorded in `applied_ops` in one statement at its end.
#[derive(Default)]
struct Record {
    ops: Vec<Uuid>,
    seqs: Vec<i64>,
    groups: Vec<Uuid>,
    companies: Vec<Uuid>,
    results: Vec<String>,
}

fn outcome_json(outcome: &Outcome) -> String {
    serde_json::to_string(outcome).unwrap_or_else(|_| "{}".into())
}

impl Central for PgCentral {
    async fn companies(&mut self) -> ServerResult<Vec<Uuid>> {
        Ok(sqlx::query_scalar("SELECT id FROM public.companies WHERE deleted_at IS NULL").fetch_all(&self.pool).await?)
    }

    async fn push(&mut self, desktop: Uuid, groups: &[Group]) -> ServerResult<Vec<GroupResult>> {
        let mut tx = self.pool.begin().await?;
        let ids: Vec<Uuid> = groups.iter().flat_map(|g| g.ops.iter().map(|o| o.op_id)).collect();
        let recorded: Vec<(Uuid, String)> =
            sqlx::query_as("SELECT op_id, result::text FROM public.applied_ops WHERE op_id = ANY($1)")
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?;
        let recorded: HashMap<Uuid, String> = recorded.into_iter().collect();
        let mut results = Vec::with_capacity(groups.len());
        let mut record = Record::default();
        for group in groups {
            if let Some(text) = group.ops.iter().find_map(|o| recorded.get(&o.op_id)) {
                let outcome = serde_json::from_str(text)
                    .unwrap_or(Outcome::Rejected { reason: "recorded result unreadable".into() });
                results.push(GroupResult { group_id: group.group_id, outcome, replayed: true, rows: Vec::new() });
                continue;
            }
            sqlx::query("SAVEPOINT grp").execute(&mut *tx).await?;
            let outcome = match self.apply_group(&mut tx, group).await {
                Ok(conflicts) => {
                    sqlx::query("RELEASE SAVEPOINT grp").execute(&mut *tx).await?;
                    Outcome::Applied { conflicts }
                }
                Err(Failure::Refused(reason)) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT grp").execute(&mut *tx).await?;
                    Outcome::Rejected { reason }
                }
                Err(Failure::Transport(e)) => return Err(e),
            };
            let text = outcome_json(&outcome);
            for op in &group.ops {
                record.ops.push(op.op_id);
                record.seqs.push(op.seq);
                record.groups.push(group.group_id);
                record.companies.push(op.company_id);
                record.results.push(text.clone());
            }
            results.push(GroupResult { group_id: group.group_id, outcome, replayed: false, rows: Vec::new() });
        }
        // the server's rows as the whole push left them (a later group may have moved a row again)
        for (group, result) in groups.iter().zip(results.iter_mut()) {
            result.rows = self.rows_for(&mut tx, group, &result.outcome).await?;
        }
        if !record.ops.is_empty() {
            sqlx::query(
                "INSERT INTO public.applied_ops (op_id, client_id, seq, group_id, company_id, result)
                 SELECT o, $2, s, g, c, r::jsonb FROM unnest($1::uuid[], $3::bigint[], $4::uuid[], $5::uuid[], $6::text[])
                     AS x(o, s, g, c, r)",
            )
            .bind(&record.ops)
            .bind(desktop)
            .bind(&record.seqs)
            .bind(&record.groups)
            .bind(&record.companies)
            .bind(&record.results)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(results)
    }

    async fn resolve(&mut self, resolutions: &[Resolution]) -> ServerResult<()> {
        let ids: Vec<Uuid> = resolutions.iter().map(|r| r.conflict_id).collect();
        sqlx::query(
            "UPDATE public.conflicts SET status = 'resolved', resolved_by = session_user, resolved_at = now()
              WHERE id = ANY($1) AND status = 'open'",
        )
        .bind(&ids)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn rows(&mut self, entity: &str, ids: &[Uuid]) -> ServerResult<Vec<ServerRow>> {
        let mut conn = self.pool.acquire().await?;
        rows_of(&mut conn, entity, ids).await
    }

    async fn pull(&mut self, cursor: i64, limit: u32) -> ServerResult<Page> {
        let limit = i64::from(limit.max(1));
        // the page's last revision first (index-only scans), then only the rows up to it are turned into JSON
        // (row_to_json writes the text at once; to_jsonb builds a binary value first)
        let revs: Vec<String> = TABLES
            .iter()
            .map(|t| format!("(SELECT rev FROM public.{t} WHERE rev > $1 ORDER BY rev LIMIT $2)"))
            .collect();
        let rows: Vec<String> = TABLES
            .iter()
            .map(|t| {
                format!(
                    "SELECT '{t}' AS entity, x.rev, row_to_json(x)::text AS row FROM public.{t} x, bound
                      WHERE x.rev > $1 AND x.rev <= bound.last"
                )
            })
            .collect();
        let sql = format!(
            "WITH bound AS MATERIALIZED (
                 SELECT max(rev) AS last FROM (SELECT rev FROM ({}) AS r ORDER BY rev LIMIT $2) AS b)
             SELECT entity, rev, row FROM ({}) AS u ORDER BY rev",
            revs.join(" UNION ALL "),
            rows.join(" UNION ALL ")
        );
        let mut conn = self.pool.acquire().await?;
        let head: i64 = sqlx::query_scalar("SELECT public.desk_head()").fetch_one(&mut *conn).await?;
        let found: Vec<(String, i64, String)> =
            sqlx::query_as(&sql).bind(cursor).bind(limit).fetch_all(&mut *conn).await?;
        let last = found.iter().map(|(_, rev, _)| *rev).max().unwrap_or(cursor).max(cursor);
        // read on another thread: the caller is writing the previous page meanwhile, and the reading is a large
        // share of the desktop's work in a first pull
        let rows = tokio::task::spawn_blocking(move || {
            found
                .into_iter()
                .map(|(entity, _, row)| server_row(&entity, object(&row)?))
                .collect::<ServerResult<Vec<_>>>()
        })
        .await
        .map_err(|e| ServerError::Db(format!("reading a page: {e}")))??;
        let done = (rows.len() as i64) < limit;
        Ok(Page { rows, cursor: if done { last.max(cursor) } else { last }, done, head })
    }

    async fn conflicts(&mut self) -> ServerResult<Vec<Conflict>> {
        let rows = sqlx::query(
            "SELECT id, company_id, entity, row_id, field, coalesce(base, 'null')::text AS base,
                    coalesce(theirs, 'null')::text AS theirs, coalesce(mine, 'null')::text AS mine, db_user,
                    to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at
               FROM public.conflicts WHERE status = 'open' ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        let value = |t: String| serde_json::from_str(&t).unwrap_or(Json::Null);
        rows.iter()
            .map(|r| {
                Ok(Conflict {
                    id: r.try_get("id")?,
                    company_id: r.try_get("company_id")?,
                    entity: r.try_get("entity")?,
                    row_id: r.try_get("row_id")?,
                    field: r.try_get("field")?,
                    base: value(r.try_get("base")?),
                    theirs: value(r.try_get("theirs")?),
                    mine: value(r.try_get("mine")?),
                    by: r.try_get("db_user")?,
                    at: r.try_get("at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(ServerError::from)
    }
}

impl PgCentral {
    /// The server's rows for a group whose result leaves this desktop different from the server.
    async fn rows_for(
        &self,
        conn: &mut PgConnection,
        group: &Group,
        outcome: &Outcome,
    ) -> ServerResult<Vec<ServerRow>> {
        // a command the server found already done (another desktop queued the same draft first) leaves the
        // server's outcome, not this desktop's: it comes back too
        let differs = match outcome {
            Outcome::Applied { conflicts } => !conflicts.is_empty() || group.ops.iter().any(|o| o.kind == "command"),
            Outcome::Rejected { .. } => true,
        };
        if !differs {
            return Ok(Vec::new());
        }
        let mut by_table: BTreeMap<&str, Vec<Uuid>> = BTreeMap::new();
        for op in &group.ops {
            let ids = by_table.entry(op.entity.as_str()).or_default();
            if !ids.contains(&op.row_id) {
                ids.push(op.row_id);
            }
        }
        let mut rows = Vec::new();
        for (table, ids) in by_table {
            rows.extend(rows_of(conn, table, &ids).await?);
        }
        Ok(rows)
    }
}
