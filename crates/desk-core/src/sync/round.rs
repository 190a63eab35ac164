//! One sync round with the office server, the desktop's side: push the pending ops of the server's companies in
//! batches of whole groups, acknowledge them and take the server's rows for whatever a rejection or conflict left
//! different (one SQLite transaction per answer); then pull every row above the cursor in pages, each page and
//! its cursor in one transaction, with this desktop's still-pending ops laid over it; then read the open
//! conflicts. A cut anywhere leaves a state the next round finishes: ops are acknowledged only with the server's
//! answer, and the server ignores a group it has applied.

use super::apply::{apply_in, Incoming};
use super::central::{Central, Conflict, Group, GroupResult, Outcome, Resolution, ServerRow};
use super::first_pull;
use super::outbox::{self, Op};
use crate::error::CoreResult;
use crate::store::Store;
use serde::Serialize;
use serde_json::Value as Json;
use sqlx::{Row, SqliteConnection};
use uuid::Uuid;

/// The setting holding the pull cursor (the highest server revision applied here).
pub const CURSOR: &str = "office.cursor";
/// The setting holding when the last round finished (RFC 3339).
pub const LAST_SYNC: &str = "office.last_sync";
/// Ops per push (whole groups: a larger group goes alone).
pub const PUSH_BATCH: u32 = 2_000;
/// Rows per pull page.
pub const PULL_PAGE: u32 = 10_000;

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Ops the server took (applied or merged).
    pub pushed: u64,
    /// Ops refused (kept with their reason).
    pub rejected: u64,
    /// Fields left to a person in this round's pushes.
    pub conflicts_made: u64,
    /// Rows pulled.
    pub pulled: u64,
    /// Round trips to the server.
    pub round_trips: u64,
    /// Open conflicts after the round.
    pub open_conflicts: u64,
    /// Ops still pending (of companies not on the server, or left for the next round).
    pub pending: i64,
    /// The cursor after the round.
    pub cursor: i64,
}

/// Progress of a pull, for a progress bar: the cursor against the server's newest revision.
pub type Progress<'a> = &'a (dyn Fn(i64, i64) + Send + Sync);

/// Pushes, pulls and reads conflicts once.
pub async fn run<C: Central>(store: &Store, central: &mut C, progress: Progress<'_>) -> CoreResult<Round> {
    let mut round = Round::default();
    let companies = central.companies().await?;
    round.round_trips += 1;
    send_resolutions(store, central, &mut round).await?;
    push(store, central, &companies, &mut round).await?;
    pull(store, central, progress, &mut round).await?;
    let open = central.conflicts().await?;
    round.round_trips += 1;
    round.open_conflicts = open.len() as u64;
    keep_conflicts(store, &open).await?;
    round.pending = outbox::pending_count(store).await?;
    round.cursor = cursor(store).await?;
    store.set_setting(LAST_SYNC, &crate::audit::now_text()).await?;
    Ok(round)
}

/// The pull cursor.
pub async fn cursor(store: &Store) -> CoreResult<i64> {
    Ok(store.setting(CURSOR).await?.and_then(|c| c.parse().ok()).unwrap_or(0))
}

/// Splits ops (in sequence) into their groups.
fn groups(ops: Vec<Op>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for op in ops {
        match out.last_mut() {
            Some(g) if g.group_id == op.group_id => g.ops.push(op),
            _ => out.push(Group { group_id: op.group_id, ops: vec![op] }),
        }
    }
    out
}

/// Pushes the pending ops of `companies`, batch after batch, until none is left.
pub async fn push<C: Central>(store: &Store, central: &mut C, companies: &[Uuid], round: &mut Round) -> CoreResult<()> {
    if companies.is_empty() {
        return Ok(());
    }
    loop {
        let ops = outbox::pending_of(store, companies, PUSH_BATCH).await?;
        if ops.is_empty() {
            return Ok(());
        }
        let full = ops.len() as u32 >= PUSH_BATCH;
        let mut batch = groups(ops);
        if full {
            if batch.len() > 1 {
                // the last group may go on past the batch: it goes next time, whole
                batch.pop();
            } else if let Some(only) = batch.first_mut() {
                only.ops = outbox::group(store, only.group_id).await?;
            }
        }
        let results = central.push(store.desktop_id(), &batch).await?;
        round.round_trips += 1;
        acknowledge(store, &batch, &results, round).await?;
    }
}

/// Takes the server's answer: the groups leave the outbox, refused ones are kept with their reason, and the
/// server's rows replace this desktop's wherever the answer left them different — all in one transaction.
async fn acknowledge(store: &Store, batch: &[Group], results: &[GroupResult], round: &mut Round) -> CoreResult<()> {
    let mut w = store.write("sync").await?;
    let now = w.now().to_string();
    let mut rows: Vec<ServerRow> = Vec::new();
    for (group, result) in batch.iter().zip(results) {
        match &result.outcome {
            Outcome::Applied { conflicts } => {
                round.pushed += group.ops.len() as u64;
                round.conflicts_made += conflicts.len() as u64;
            }
            Outcome::Rejected { reason } => {
                round.rejected += group.ops.len() as u64;
                for op in &group.ops {
                    sqlx::query(
                        "INSERT INTO office_rejections (group_id, op_id, company_id, entity, row_id, kind, command,
                             old_values, new_values, reason, at)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (op_id) DO NOTHING",
                    )
                    .bind(group.group_id.to_string())
                    .bind(op.op_id.to_string())
                    .bind(op.company_id.to_string())
                    .bind(&op.entity)
                    .bind(op.row_id.to_string())
                    .bind(&op.kind)
                    .bind(&op.command)
                    .bind(Json::Object(op.old.clone()).to_string())
                    .bind(Json::Object(op.new.clone()).to_string())
                    .bind(reason)
                    .bind(&now)
                    .execute(w.conn())
                    .await?;
                }
            }
        }
        sqlx::query("DELETE FROM outbox WHERE group_id = ?").bind(group.group_id.to_string()).execute(w.conn()).await?;
        rows.extend(result.rows.iter().cloned());
    }
    if !rows.is_empty() {
        let changes = incoming(w.conn(), rows).await?;
        apply_in(w.conn(), &changes).await?;
    }
    w.commit().await
}

/// The server's rows as changes to apply here, followed by this desktop's pending ops on them (so the screen
/// shows the server's state plus what is not sent yet).
async fn incoming(conn: &mut SqliteConnection, rows: Vec<ServerRow>) -> CoreResult<Vec<Incoming>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut changes: Vec<Incoming> = rows.into_iter().map(from_server).collect();
    for op in outbox::pending_on(conn, &ids).await? {
        changes.push(Incoming::from(&op));
    }
    Ok(changes)
}

fn from_server(row: ServerRow) -> Incoming {
    // a document past draft (queued, being issued, issued) comes whole: its state, and once issued its fiscal
    // data and frozen totals, are what the command that moved it wrote
    let settled =
        row.entity == "documents" && row.fields.get("state").and_then(Json::as_str).is_some_and(|s| s != "draft");
    let kind = if row.deleted {
        "delete"
    } else if settled {
        "command"
    } else {
        "update"
    };
    Incoming {
        entity: row.entity,
        row_id: row.id,
        kind: kind.into(),
        fields: row.fields,
        rev: (row.rev > 0).then_some(row.rev),
    }
}

/// Pulls every page above the cursor; each page and the new cursor in one transaction.
pub async fn pull<C: Central>(
    store: &Store,
    central: &mut C,
    progress: Progress<'_>,
    round: &mut Round,
) -> CoreResult<()> {
    let at = cursor(store).await?;
    // a first pull cut short left the list indexes aside: they are made again before anything else
    first_pull::restore(store).await?;
    let page = central.pull(at, PULL_PAGE).await?;
    round.round_trips += 1;
    let first = at == 0 && !page.rows.is_empty();
    if !first {
        return pages(store, central, progress, round, at, page).await;
    }
    // a larger page cache and temporary files in memory while the rows arrive, as before afterwards
    first_pull::tune(store, true).await?;
    let result = match first_pull::set_aside(store).await {
        Ok(()) => pages(store, central, progress, round, at, page).await,
        Err(e) => Err(e),
    };
    // whether the pull finished or was cut, the list indexes are made again now (a crash is made good when the
    // file is next opened)
    let restored = first_pull::restore(store).await;
    let untuned = first_pull::tune(store, false).await;
    result.and(restored).and(untuned)
}

/// Applies `page` and the pages after it until the server has no more.
async fn pages<C: Central>(
    store: &Store,
    central: &mut C,
    progress: Progress<'_>,
    round: &mut Round,
    mut at: i64,
    mut page: super::central::Page,
) -> CoreResult<()> {
    loop {
        let done = page.done;
        let rows = if !page.rows.is_empty() || page.cursor != at {
            let parents = parents(store, central, &page.rows, round).await?;
            Some(parents.into_iter().chain(std::mem::take(&mut page.rows)).collect::<Vec<ServerRow>>())
        } else {
            None
        };
        let pulled = rows.as_ref().map_or(0, |r| r.len() as u64);
        // the next page travels while this one is written
        let (applied, next) = tokio::join!(
            async {
                match rows {
                    Some(rows) => apply_page(store, rows, page.cursor).await,
                    None => Ok(()),
                }
            },
            async {
                if done {
                    Ok(None)
                } else {
                    central.pull(page.cursor, PULL_PAGE).await.map(Some)
                }
            }
        );
        applied?;
        round.pulled += pulled;
        at = page.cursor;
        progress(at, page.head.max(at));
        match next? {
            Some(next) => {
                round.round_trips += 1;
                page = next;
            }
            None => return Ok(()),
        }
    }
}

/// Applies a page of server rows (with this desktop's pending ops laid over them) and moves the cursor, in one
/// transaction.
async fn apply_page(store: &Store, rows: Vec<ServerRow>, cursor: i64) -> CoreResult<()> {
    let mut w = store.write("sync").await?;
    let changes = incoming(w.conn(), rows).await?;
    apply_in(w.conn(), &changes).await?;
    // ten thousand JSON rows take a while to free: not on the thread that writes the next page
    tokio::task::spawn_blocking(move || drop(changes));
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(CURSOR)
    .bind(cursor.to_string())
    .execute(w.conn())
    .await?;
    w.commit().await
}

/// The references a synced row holds to another synced row (the local schema's foreign keys).
const REFERENCES: &[(&str, &str, &str)] = &[
    ("customers", "company_id", "companies"),
    ("products", "company_id", "companies"),
    ("documents", "company_id", "companies"),
    ("documents", "customer_id", "customers"),
    ("documents", "source_id", "documents"),
    ("document_lines", "document_id", "documents"),
    ("document_lines", "product_id", "products"),
    ("payments", "document_id", "documents"),
    ("payments", "receipt_id", "documents"),
];

/// The rows a page refers to that are neither here nor in the page (a parent changed after its child, so its
/// revision comes in a later page): fetched now, parents first, so the page applies whole. They are applied again,
/// unchanged, when their own page comes.
async fn parents<C: Central>(
    store: &Store,
    central: &mut C,
    rows: &[ServerRow],
    round: &mut Round,
) -> CoreResult<Vec<ServerRow>> {
    let mut known: std::collections::HashSet<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut out: Vec<ServerRow> = Vec::new();
    let mut referred = references(rows, &mut known);
    // a line's document may itself refer to a customer or a corrected invoice not here yet: a few levels at most
    for _ in 0..4 {
        // of the ids referred to, the ones not here either (one query per parent table)
        let mut wanted: std::collections::BTreeMap<&'static str, Vec<Uuid>> = Default::default();
        for (parent, ids) in referred {
            let here: Vec<String> =
                sqlx::query_scalar(&format!("SELECT id FROM {parent} WHERE id IN (SELECT value FROM json_each(?))"))
                    .bind(crate::codec::ids_json(&ids))
                    .fetch_all(store.reader())
                    .await?;
            let here: std::collections::HashSet<String> = here.into_iter().collect();
            let missing: Vec<Uuid> = ids.into_iter().filter(|id| !here.contains(&id.to_string())).collect();
            if !missing.is_empty() {
                wanted.insert(parent, missing);
            }
        }
        if wanted.is_empty() {
            break;
        }
        let mut level: Vec<ServerRow> = Vec::new();
        for (parent, ids) in wanted {
            let found = central.rows(parent, &ids).await?;
            round.round_trips += 1;
            level.extend(found.into_iter().filter(|r| r.rev > 0));
        }
        referred = references(&level, &mut known);
        // the deeper parents go first
        level.extend(out);
        out = level;
    }
    Ok(out)
}

/// The ids `rows` refer to, by parent table, not seen yet (each is then marked seen).
fn references(
    rows: &[ServerRow],
    known: &mut std::collections::HashSet<Uuid>,
) -> std::collections::BTreeMap<&'static str, Vec<Uuid>> {
    let mut referred: std::collections::BTreeMap<&'static str, Vec<Uuid>> = Default::default();
    for r in rows {
        for (_, column, parent) in REFERENCES.iter().filter(|(t, _, _)| *t == r.entity) {
            let Some(id) = r.fields.get(*column).and_then(Json::as_str).and_then(|s| Uuid::parse_str(s).ok()) else {
                continue;
            };
            if known.insert(id) {
                referred.entry(parent).or_default().push(id);
            }
        }
    }
    referred
}

/// Keeps the server's open conflicts here (for the conflict queue offline), keeping decisions not yet sent.
async fn keep_conflicts(store: &Store, open: &[Conflict]) -> CoreResult<()> {
    let mut w = store.write("sync").await?;
    sqlx::query("DELETE FROM office_conflicts WHERE choice IS NULL").execute(w.conn()).await?;
    for c in open {
        sqlx::query(
            "INSERT INTO office_conflicts (id, company_id, entity, row_id, field, base, theirs, mine, by_user, at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(c.id.to_string())
        .bind(c.company_id.to_string())
        .bind(&c.entity)
        .bind(c.row_id.to_string())
        .bind(&c.field)
        .bind(c.base.to_string())
        .bind(c.theirs.to_string())
        .bind(c.mine.to_string())
        .bind(&c.by)
        .bind(&c.at)
        .execute(w.conn())
        .await?;
    }
    w.commit().await
}

/// Sends the decisions taken on conflicts since the last round.
async fn send_resolutions<C: Central>(store: &Store, central: &mut C, round: &mut Round) -> CoreResult<()> {
    let rows = sqlx::query("SELECT id, choice FROM office_conflicts WHERE choice IS NOT NULL")
        .fetch_all(store.reader())
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut decided = Vec::with_capacity(rows.len());
    for r in &rows {
        decided.push(Resolution { conflict_id: crate::codec::uuid(r.try_get("id")?)?, choice: r.try_get("choice")? });
    }
    central.resolve(&decided).await?;
    round.round_trips += 1;
    let mut w = store.write("sync").await?;
    for d in &decided {
        sqlx::query("DELETE FROM office_conflicts WHERE id = ?")
            .bind(d.conflict_id.to_string())
            .execute(w.conn())
            .await?;
    }
    w.commit().await
}

/// Values as the conflict queue shows them.
pub fn text_of(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}
