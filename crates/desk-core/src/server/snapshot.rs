//! The snapshot a desktop sends when it joins an office with data of its own: the current company's live
//! customers, products, drafts with their lines, and their payments, inserted on the server as they are here (as
//! the person, so their grants and row security apply). A row whose natural key the server already holds (a
//! customer's NIF, a product's reference) is not sent: the local row is marked `duplicate_of` the server's, for
//! the merge list. Sent rows take the server's `rev` and their history leaves the outbox (the server has the row
//! itself). Documents issued or queued here are held back: only the server issues, so they wait for the sync's
//! merge (issue 19).

use super::{schema, ServerError};
use crate::context::Ctx;
use crate::error::CoreResult;
use crate::sync::apply::Duplicate;
use serde::Serialize;
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// What a snapshot sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sent {
    /// Rows inserted on the server, per table.
    pub rows: Vec<(String, u64)>,
    /// Rows the server already had (same id).
    pub already: u64,
    /// Local rows whose natural key the server holds, now marked `duplicate_of` the server's row.
    pub duplicates: Vec<Duplicate>,
    /// Documents (and their lines and payments) issued or queued here, held back for issue 19.
    pub held_back: u64,
}

/// The tables in the order their rows can be inserted, each with the rows of the company to send.
fn selection(table: &str) -> &'static str {
    match table {
        "customers" | "products" => "company_id = ?1 AND deleted_at IS NULL",
        "documents" => "company_id = ?1 AND deleted_at IS NULL AND state = 'draft'",
        "document_lines" => {
            "deleted_at IS NULL AND document_id IN \
             (SELECT id FROM documents WHERE company_id = ?1 AND deleted_at IS NULL AND state = 'draft')"
        }
        _ => {
            "company_id = ?1 AND deleted_at IS NULL AND document_id IN \
             (SELECT id FROM documents WHERE company_id = ?1 AND deleted_at IS NULL AND state = 'draft')"
        }
    }
}

/// The natural key the server holds uniquely, for a table that has one.
fn natural_key(table: &str) -> Option<&'static str> {
    match table {
        "customers" => Some("nif"),
        "products" => Some("reference"),
        _ => None,
    }
}

/// Sends the current company's rows to the server (see the module's note).
pub async fn send(cx: &Ctx, pool: &PgPool) -> CoreResult<Sent> {
    let company = cx.company().id.to_string();
    let mut sent = Sent {
        held_back: sqlx::query_scalar(
            "SELECT count(*) FROM documents WHERE company_id = ? AND deleted_at IS NULL AND state <> 'draft'",
        )
        .bind(&company)
        .fetch_one(cx.store().reader())
        .await?,
        ..Sent::default()
    };
    let server_types: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, udt_name::text FROM information_schema.columns
          WHERE table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .map_err(ServerError::from)?;
    let mut revs: Vec<(&'static str, String, i64)> = Vec::new();
    let mut tx = pool.begin().await.map_err(ServerError::from)?;
    for t in schema::synced_tables().into_iter().filter(|t| t.table != "companies") {
        // what the desktop writes: every synced column but the server's own (and a line's company, the server's)
        let columns: Vec<&str> = t
            .columns
            .iter()
            .copied()
            .filter(|c| !matches!(*c, "rev" | "updated_at" | "deleted_at"))
            .filter(|c| !(t.table == "document_lines" && *c == "company_id"))
            .collect();
        let select = format!(
            "SELECT {} FROM {} WHERE {}",
            columns.iter().map(|c| format!("CAST({c} AS TEXT)")).collect::<Vec<_>>().join(", "),
            t.table,
            selection(t.table)
        );
        let rows = sqlx::query(&select).bind(&company).fetch_all(cx.store().reader()).await?;
        let ty = |c: &str| {
            server_types.iter().find(|(tb, col, _)| tb == t.table && col == c).map_or("text", |(_, _, ty)| ty.as_str())
        };
        let insert = format!(
            "INSERT INTO public.{} ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING RETURNING rev",
            t.table,
            columns.join(", "),
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("CAST(${} AS {})", i + 1, ty(c)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut count = 0u64;
        for row in rows {
            let values: Vec<Option<String>> = (0..columns.len()).map(|i| row.try_get(i)).collect::<Result<_, _>>()?;
            let id = columns.iter().position(|c| *c == "id").and_then(|i| values[i].clone()).unwrap_or_default();
            sqlx::query("SAVEPOINT row").execute(&mut *tx).await.map_err(ServerError::from)?;
            let mut q = sqlx::query_scalar::<_, i64>(&insert);
            for v in &values {
                q = q.bind(v.clone());
            }
            match q.fetch_optional(&mut *tx).await {
                Ok(Some(rev)) => {
                    count += 1;
                    revs.push((t.table, id, rev));
                }
                Ok(None) => sent.already += 1,
                Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some("23505") => {
                    sqlx::query("ROLLBACK TO SAVEPOINT row").execute(&mut *tx).await.map_err(ServerError::from)?;
                    let Some(key) = natural_key(t.table) else {
                        return Err(
                            ServerError::Refused { code: "23505".into(), message: d.message().to_string() }.into()
                        );
                    };
                    let at = columns.iter().position(|c| *c == key).unwrap_or(0);
                    let holder: Option<Uuid> = sqlx::query_scalar(&format!(
                        "SELECT id FROM public.{} WHERE company_id = $1::uuid AND {key} = $2 AND deleted_at IS NULL",
                        t.table
                    ))
                    .bind(&company)
                    .bind(values[at].clone())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(ServerError::from)?;
                    if let (Some(holder), Ok(local)) = (holder, Uuid::parse_str(&id)) {
                        sent.duplicates.push(Duplicate {
                            entity: t.table.to_string(),
                            local_id: local,
                            incoming_id: holder,
                            key: key.to_string(),
                        });
                    }
                    continue;
                }
                Err(e) => return Err(ServerError::from(e).into()),
            }
            sqlx::query("RELEASE SAVEPOINT row").execute(&mut *tx).await.map_err(ServerError::from)?;
        }
        sent.rows.push((t.table.to_string(), count));
    }
    tx.commit().await.map_err(ServerError::from)?;

    // Here: the rows sent carry the server's rev and leave the outbox; duplicates are marked for the merge list.
    let mut w = cx.store().write(&cx.actor).await?;
    let conn = w.conn();
    for (table, id, rev) in &revs {
        sqlx::query(&format!("UPDATE {table} SET rev = ? WHERE id = ?")).bind(rev).bind(id).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM outbox WHERE row_id = ?").bind(id).execute(&mut *conn).await?;
    }
    for d in &sent.duplicates {
        sqlx::query(&format!("UPDATE {} SET duplicate_of = ? WHERE id = ?", d.entity))
            .bind(d.incoming_id.to_string())
            .bind(d.local_id.to_string())
            .execute(&mut *conn)
            .await?;
    }
    w.commit().await?;
    Ok(sent)
}
