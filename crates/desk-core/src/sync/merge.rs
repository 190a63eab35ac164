//! The field merge the server runs for each pushed op (PostgreSQL and the model share it): a field only this op
//! changed since its base applies; a field the server already holds at the op's new value needs nothing; a field
//! both sides changed to different values becomes a conflict, and the server's value stays.

use serde_json::{Map, Value as Json};

/// A value as compared: both sides keep decimals as text and integers as numbers, so JSON equality after
/// folding numbers to their text is value equality.
fn canon(v: Option<&Json>) -> Option<String> {
    match v {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Bool(b)) => Some(if *b { "1" } else { "0" }.to_string()),
        Some(other) => Some(other.to_string()),
    }
}

/// Whether two values are the same value.
pub fn same(a: Option<&Json>, b: Option<&Json>) -> bool {
    canon(a) == canon(b)
}

/// A field both sides changed differently.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    /// The field.
    pub field: String,
    /// What both started from (the op's old value).
    pub base: Json,
    /// What the server holds.
    pub theirs: Json,
    /// What the op wanted.
    pub mine: Json,
}

/// What applying an update op to the server's row does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// Fields to write, with their new values.
    pub set: Map<String, Json>,
    /// Fields left to a person.
    pub conflicts: Vec<FieldConflict>,
    /// Fields this op now agrees on with the server (set, or already equal): any open conflict on them is
    /// settled by it.
    pub settled: Vec<String>,
}

/// Merges an update's `old`/`new` values into the server's `current` row, for the fields in `columns` (others
/// are not the server's to take).
pub fn plan(current: &Map<String, Json>, old: &Map<String, Json>, new: &Map<String, Json>, columns: &[&str]) -> Plan {
    let mut plan = Plan::default();
    for (field, value) in new {
        if !columns.contains(&field.as_str()) {
            continue;
        }
        let now = current.get(field);
        if same(now, Some(value)) {
            plan.settled.push(field.clone());
        } else if same(now, old.get(field)) {
            plan.set.insert(field.clone(), value.clone());
            plan.settled.push(field.clone());
        } else {
            plan.conflicts.push(FieldConflict {
                field: field.clone(),
                base: old.get(field).cloned().unwrap_or(Json::Null),
                theirs: now.cloned().unwrap_or(Json::Null),
                mine: value.clone(),
            });
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Json) -> Map<String, Json> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn one_side_applies_both_sides_conflict_and_agreement_settles() {
        let current = map(json!({"city": "Porto", "email": "b@x.pt", "phone": "1", "archived": 0}));
        let old = map(json!({"city": "Lisboa", "email": "a@x.pt", "phone": "1", "archived": 0}));
        let new = map(json!({"city": "Porto", "email": "c@x.pt", "phone": "2", "archived": 1, "nope": 1}));
        let p = plan(&current, &old, &new, &["city", "email", "phone", "archived"]);
        assert_eq!(p.set, map(json!({"phone": "2", "archived": 1})));
        assert_eq!(p.conflicts.len(), 1);
        assert_eq!(p.conflicts[0].field, "email");
        assert_eq!((p.conflicts[0].theirs.clone(), p.conflicts[0].mine.clone()), (json!("b@x.pt"), json!("c@x.pt")));
        assert!(p.settled.contains(&"city".to_string()) && p.settled.contains(&"phone".to_string()));
    }

    #[test]
    fn numbers_and_their_text_are_the_same_value_and_null_is_absent() {
        assert!(same(Some(&json!(30)), Some(&json!("30"))));
        assert!(same(None, Some(&Json::Null)));
        assert!(!same(Some(&json!("10.50")), Some(&json!("10.5"))));
    }
}
