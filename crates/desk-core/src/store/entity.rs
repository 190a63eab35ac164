//! What the one write path needs to know about a synced table: its columns, each with its sync policy, and a
//! row's values. Declared once per entity beside its service; the [`Writer`](super::Writer) and the apply path
//! of a pull ([`crate::sync::apply`]) both read it.

use serde_json::{Map, Value as Json};
use uuid::Uuid;

/// How a column travels between desktops and the office server (ARCHITECTURE.md, "Sync").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Typed by a person: sent as an edit (old and new value) and merged field by field.
    Mergeable,
    /// Written once by the insert (the row's company, its source document); sent with the insert only.
    Fixed,
    /// Follows from other rows or columns (totals, open balance, folded search keys): recomputed wherever the
    /// rows are, never sent as an edit, so two desktops editing different lines never conflict on a total.
    Derived,
    /// Written only by the server or by a command (state, fiscal data, Moloni ids): an edit never writes it.
    ServerOwned,
    /// Belongs to this desktop only (draft numbers, bookkeeping times, duplicate marks): never synced.
    Local,
}

/// One column of an entity's table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name in SQLite (and in ops).
    pub name: &'static str,
    /// How it syncs.
    pub policy: Policy,
}

/// Declares a column.
pub const fn col(name: &'static str, policy: Policy) -> Column {
    Column { name, policy }
}

/// A column's value as SQLite stores it (every table is STRICT with INTEGER and TEXT columns only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// NULL.
    Null,
    /// INTEGER.
    Int(i64),
    /// TEXT (ids, decimals, dates and times are text).
    Text(String),
}

impl Value {
    /// As JSON in an op or an audit entry.
    pub fn to_json(&self) -> Json {
        match self {
            Value::Null => Json::Null,
            Value::Int(i) => Json::from(*i),
            Value::Text(s) => Json::from(s.as_str()),
        }
    }

    /// From JSON in an incoming change; None for what no column holds (objects, arrays, fractions).
    pub fn from_json(v: &Json) -> Option<Value> {
        Some(match v {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Int(i64::from(*b)),
            Json::Number(n) => Value::Int(n.as_i64()?),
            Json::String(s) => Value::Text(s.clone()),
            _ => return None,
        })
    }
}

/// Binds a value as the next parameter of a query being built.
pub(crate) fn bind(q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, v: Value) {
    match v {
        Value::Null => q.push_bind(None::<String>),
        Value::Int(i) => q.push_bind(i),
        Value::Text(s) => q.push_bind(s),
    };
}

/// Binds a row's values as the next parameters of a multi-row insert (`QueryBuilder::push_values`).
pub(crate) fn bind_each(
    b: &mut sqlx::query_builder::Separated<'_, '_, sqlx::Sqlite, &'static str>,
    values: Vec<Value>,
) {
    for v in values {
        match v {
            Value::Null => b.push_bind(None::<String>),
            Value::Int(i) => b.push_bind(i),
            Value::Text(s) => b.push_bind(s),
        };
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Uuid> for Value {
    fn from(v: Uuid) -> Self {
        Value::Text(v.to_string())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A key unique among a table's live rows (a partial unique index).
#[derive(Debug, Clone, Copy)]
pub struct NaturalKey {
    /// Its columns; rows where any is NULL do not hold it.
    pub columns: &'static [&'static str],
    /// The index's own extra condition (SQL on the row), or "" (`nif <> '999999990'`).
    pub only_where: &'static str,
}

/// A synced table's row, as the one write path writes it. `id`, `updated_at`, `rev` and `deleted_at` are the
/// writer's own and are not in [`Entity::COLUMNS`].
pub trait Entity {
    /// The table (and the op's entity name).
    const TABLE: &'static str;
    /// Every other column, with its policy, in the order of [`Entity::values`].
    const COLUMNS: &'static [Column];
    /// The natural keys that are unique among live rows (`(company_id, nif)`): an incoming row that takes one
    /// marks the local holder as its probable duplicate instead of failing.
    const NATURAL_KEYS: &'static [NaturalKey] = &[];
    /// The row's id.
    fn id(&self) -> Uuid;
    /// The company the row belongs to (the op's company).
    fn company_id(&self) -> Uuid;
    /// The value of each of [`Entity::COLUMNS`], in order.
    fn values(&self) -> Vec<Value>;
}

/// The columns of `E` as (column, value) pairs, checked to match in number.
pub(crate) fn pairs<E: Entity>(row: &E) -> Vec<(Column, Value)> {
    let values = row.values();
    debug_assert_eq!(values.len(), E::COLUMNS.len(), "{}: one value per column", E::TABLE);
    E::COLUMNS.iter().copied().zip(values).collect()
}

/// The JSON object of the given columns' values.
pub(crate) fn object<'a>(cols: impl Iterator<Item = &'a (Column, Value)>) -> Map<String, Json> {
    cols.map(|(c, v)| (c.name.to_string(), v.to_json())).collect()
}

/// Whether a column travels in an op of the given kind.
pub(crate) fn in_op(policy: Policy, insert: bool) -> bool {
    match policy {
        Policy::Mergeable => true,
        Policy::Fixed => insert,
        Policy::Derived | Policy::ServerOwned | Policy::Local => false,
    }
}

/// Whether a column is in the audit trail (everything but this desktop's own bookkeeping).
pub(crate) fn audited(policy: Policy) -> bool {
    policy != Policy::Local
}
