//! Leases on the office server's clock (central migration 0002): in office mode one desktop at a time issues a
//! given document (`issue:<document>`) and runs a company's Moloni master sync (`moloni:<company>`). Each take
//! raises a fence; a holder checks it is still the holder right before each write to Moloni, so a desktop whose
//! lease ran out while it was slow cannot act on it.

use crate::error::CoreResult;
use crate::server::join;
use crate::server::ServerError;
use crate::store::Store;
use sqlx::PgPool;
use uuid::Uuid;

/// A lease held on the office server.
pub struct ServerLease {
    pool: PgPool,
    key: String,
    holder: Uuid,
    fence: i64,
}

/// What asking the office for a lease gave.
pub enum Asked {
    /// This desktop is not in an office: nothing to coordinate.
    NotOffice,
    /// Held: act, checking [`ServerLease::still_held`] before each outside write.
    Held(ServerLease),
    /// Another desktop holds it.
    Elsewhere,
}

/// The lease key of a document's issue.
pub fn issue_key(document: Uuid) -> String {
    format!("issue:{document}")
}

/// The lease key of a company's Moloni master sync.
pub fn moloni_key(company: Uuid) -> String {
    format!("moloni:{company}")
}

/// Asks the office server for `key` for `seconds` in this desktop's name. An unreachable server is an error:
/// without it no desktop can know that no other is doing the same.
pub async fn ask(store: &Store, key: &str, company: Uuid, seconds: i32) -> CoreResult<Asked> {
    if !store.is_office() {
        return Ok(Asked::NotOffice);
    }
    let pool = join::open(store).await?;
    let holder = store.desktop_id();
    let fence: Option<i64> = sqlx::query_scalar("SELECT public.desk_lease_take($1, $2, $3, $4)")
        .bind(key)
        .bind(company)
        .bind(holder)
        .bind(seconds)
        .fetch_one(&pool)
        .await
        .map_err(ServerError::from)?;
    Ok(match fence {
        Some(fence) => Asked::Held(ServerLease { pool, key: key.to_string(), holder, fence }),
        None => {
            pool.close().await;
            Asked::Elsewhere
        }
    })
}

impl ServerLease {
    /// Whether this desktop still holds the lease with its fence (on the server's clock).
    pub async fn still_held(&self) -> CoreResult<bool> {
        Ok(sqlx::query_scalar("SELECT public.desk_lease_held($1, $2, $3)")
            .bind(&self.key)
            .bind(self.holder)
            .bind(self.fence)
            .fetch_one(&self.pool)
            .await
            .map_err(ServerError::from)?)
    }

    /// The document's state on the server, if it is there (another desktop may have issued it already).
    pub async fn document_state(&self, document: Uuid) -> CoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT state FROM public.documents WHERE id = $1 AND deleted_at IS NULL")
            .bind(document)
            .fetch_optional(&self.pool)
            .await
            .map_err(ServerError::from)?)
    }

    /// Gives the lease up (a failure only leaves it to run out).
    pub async fn release(self) {
        let _ = sqlx::query("SELECT public.desk_lease_release($1, $2)")
            .bind(&self.key)
            .bind(self.holder)
            .execute(&self.pool)
            .await;
        self.pool.close().await;
    }
}
