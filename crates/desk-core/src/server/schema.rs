//! The shape the central schema must have: each synced table's columns as the desktop's entities declare them
//! (`Entity::COLUMNS`, minus Local ones) plus the server's own. A test compares it with the real schema, so
//! the two never drift.

use crate::store::{Entity, Policy};

/// Columns every synced table has on the server besides the entity's: the id, the commit-ordered revision,
/// the server's time and the tombstone.
pub const SERVER_COLUMNS: &[&str] = &["id", "rev", "updated_at", "deleted_at"];

/// A synced table and the columns it must have on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedTable {
    /// Its name (the same as the desktop's).
    pub table: &'static str,
    /// Its columns, sorted.
    pub columns: Vec<&'static str>,
}

fn table<E: Entity>(extra: &[&'static str]) -> SyncedTable {
    let mut columns: Vec<&'static str> = E::COLUMNS
        .iter()
        .filter(|c| c.policy != Policy::Local)
        .map(|c| c.name)
        .chain(SERVER_COLUMNS.iter().copied())
        .chain(extra.iter().copied())
        .collect();
    columns.sort_unstable();
    columns.dedup();
    SyncedTable { table: E::TABLE, columns }
}

/// Every synced table, as the server must hold it.
pub fn synced_tables() -> Vec<SyncedTable> {
    vec![
        table::<crate::company::CompanyRow>(&[]),
        table::<desk_model::ipc::Customer>(&[]),
        table::<desk_model::ipc::Product>(&[]),
        table::<desk_model::ipc::Document>(&[]),
        // a line carries its document's company on the server, for row security without a join
        table::<crate::documents::rows::LineRow>(&["company_id"]),
        table::<crate::payments::PaymentRow>(&[]),
    ]
}
