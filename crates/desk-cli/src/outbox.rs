//! `desk outbox`: the ops waiting for the office server, in the order and shape the server receives them.

use crate::Out;
use desk_core::sync::outbox;
use desk_core::Workspace;
use desk_model::ipc::AppError;

/// Lists the pending ops (`limit` 0 = all).
pub async fn run(ws: &Workspace, limit: u32, out: Out) -> Result<(), AppError> {
    let ops = outbox::pending(ws.store(), limit).await?;
    if out.json {
        println!("{}", serde_json::to_string_pretty(&ops).unwrap_or_default());
        return Ok(());
    }
    if ops.is_empty() {
        println!("no pending ops");
        return Ok(());
    }
    println!("{:>6}  {:<8} {:<8} {:<15} {:<36}  fields", "seq", "group", "kind", "entity", "row");
    for op in &ops {
        let kind = op.command.as_deref().unwrap_or(&op.kind);
        let fields: Vec<&str> = op.new.keys().chain(op.old.keys()).map(String::as_str).collect();
        let mut fields = fields;
        fields.sort_unstable();
        fields.dedup();
        let group = op.group_id.simple().to_string();
        println!(
            "{:>6}  {:<8} {:<8} {:<15} {:<36}  {}",
            op.seq,
            &group[group.len() - 8..],
            kind,
            op.entity,
            op.row_id,
            fields.join(", ")
        );
    }
    println!("{} pending op(s)", ops.len());
    Ok(())
}
