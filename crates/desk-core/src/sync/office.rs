//! Office sync as the app and `desk` call it: a round against the joined server, the sync state, the conflict
//! queue (a decision writes a normal op through the write path and is sent with the next round) and the edits
//! the server refused (kept with what was typed; dismissed, or sent again).

use super::central::Central;
use super::pg::PgCentral;
use super::round::{self, Round};
use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use crate::server::join;
use crate::{codec, customers, products, review};
use desk_model::ipc::{ConflictChoice, OfficeConflict, OfficeRejection, OfficeSyncReport, OfficeSyncStatus};
use desk_model::msg::Localized;
use sqlx::Row;
use uuid::Uuid;

impl From<Round> for OfficeSyncReport {
    fn from(r: Round) -> Self {
        OfficeSyncReport {
            pushed: r.pushed,
            rejected: r.rejected,
            conflicts_made: r.conflicts_made,
            pulled: r.pulled,
            round_trips: r.round_trips,
            open_conflicts: r.open_conflicts,
            pending: r.pending,
            cursor: r.cursor,
        }
    }
}

/// The setting holding why the last round failed (pt-PT and English, JSON), cleared by a good round.
const PROBLEM: &str = "office.problem";

/// One round against the joined server (push, pull, conflicts). `progress(done, of)` follows the pull.
pub async fn sync_now(cx: &Ctx, progress: round::Progress<'_>) -> CoreResult<OfficeSyncReport> {
    let pool = join::open(cx.store()).await?;
    let mut central = PgCentral::new(pool.clone());
    let result = run_with(cx, &mut central, progress).await;
    pool.close().await;
    result
}

/// One round against any server (the app keeps one connection open between rounds).
pub async fn run_with<C: Central>(
    cx: &Ctx,
    central: &mut C,
    progress: round::Progress<'_>,
) -> CoreResult<OfficeSyncReport> {
    match round::run(cx.store(), central, progress).await {
        Ok(r) => {
            sqlx::query("DELETE FROM settings WHERE key = ?").bind(PROBLEM).execute(cx.store().local()).await?;
            Ok(r.into())
        }
        Err(e) => {
            let m = e.to_app_error().message;
            let _ = cx.store().set_setting(PROBLEM, &serde_json::to_string(&m).unwrap_or_default()).await;
            Err(e)
        }
    }
}

/// The sync state (no network).
pub async fn status(cx: &Ctx) -> CoreResult<OfficeSyncStatus> {
    let store = cx.store();
    let problem: Option<Localized> = store.setting(PROBLEM).await?.and_then(|t| serde_json::from_str(&t).ok());
    let conflicts: i64 = sqlx::query_scalar("SELECT count(*) FROM office_conflicts WHERE choice IS NULL")
        .fetch_one(store.reader())
        .await?;
    Ok(OfficeSyncStatus {
        joined: store.is_office(),
        last_sync: store.setting(round::LAST_SYNC).await?,
        pending: super::outbox::pending_count(store).await?,
        cursor: round::cursor(store).await?,
        conflicts,
        rejected: rejections(cx).await?,
        problem,
        running: running(),
        pull_progress: pull_progress(),
    })
}

/// The refused edits not yet dismissed, newest first.
pub async fn rejections(cx: &Ctx) -> CoreResult<Vec<OfficeRejection>> {
    let rows = sqlx::query(
        "SELECT id, entity, row_id, kind, command, new_values, reason, at FROM office_rejections
          WHERE dismissed_at IS NULL ORDER BY id DESC LIMIT 500",
    )
    .fetch_all(cx.store().reader())
    .await?;
    rows.iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let command: Option<String> = r.try_get("command")?;
            Ok(OfficeRejection {
                id: r.try_get("id")?,
                entity: r.try_get("entity")?,
                row_id: codec::uuid(r.try_get("row_id")?)?,
                kind: command.map_or(kind.clone(), |c| format!("{kind} {c}")),
                values: r.try_get("new_values")?,
                reason: r.try_get("reason")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

/// A refused edit seen: it leaves the list.
pub async fn rejection_dismiss(cx: &Ctx, id: i64) -> CoreResult<()> {
    let done = sqlx::query("UPDATE office_rejections SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL")
        .bind(crate::audit::now_text())
        .bind(id)
        .execute(cx.store().local())
        .await?
        .rows_affected();
    if done == 0 {
        return Err(CoreError::NotFound { what: "refused edit" });
    }
    Ok(())
}

/// A refused edit sent again (its cause fixed on the server: a role, a membership): it goes back to the outbox
/// as a new op with what was typed, merged against the server's row as it is now.
pub async fn rejection_retry(cx: &Ctx, id: i64) -> CoreResult<()> {
    let mut w = cx.write().await?;
    let now = w.now().to_string();
    let desktop = cx.store().desktop_id().to_string();
    let moved = sqlx::query(
        "INSERT INTO outbox (op_id, desktop_id, group_id, company_id, entity, row_id, kind, command, base_rev,
             old_values, new_values, schema_version, created_at)
         SELECT ?, ?, ?, company_id, entity, row_id, kind, command, NULL, old_values, new_values, ?, ?
           FROM office_rejections WHERE id = ? AND dismissed_at IS NULL",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(desktop)
    .bind(Uuid::now_v7().to_string())
    .bind(crate::store::SCHEMA_VERSION)
    .bind(&now)
    .bind(id)
    .execute(w.conn())
    .await?
    .rows_affected();
    if moved == 0 {
        return Err(CoreError::NotFound { what: "refused edit" });
    }
    sqlx::query("UPDATE office_rejections SET dismissed_at = ? WHERE id = ?")
        .bind(&now)
        .bind(id)
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// The conflict queue: open conflicts (decided ones until they are sent), with what each row is.
pub async fn conflicts(cx: &Ctx) -> CoreResult<Vec<OfficeConflict>> {
    let rows = sqlx::query(
        "SELECT c.id, c.entity, c.row_id, c.field, c.base, c.theirs, c.mine, c.by_user, c.choice,
                coalesce(cu.name, p.name, d.customer_name || ' · ' || d.doc_type, l.description, '') AS label
           FROM office_conflicts c
           LEFT JOIN customers cu ON c.entity = 'customers' AND cu.id = c.row_id
           LEFT JOIN products p ON c.entity = 'products' AND p.id = c.row_id
           LEFT JOIN documents d ON c.entity = 'documents' AND d.id = c.row_id
           LEFT JOIN document_lines l ON c.entity = 'document_lines' AND l.id = c.row_id
          ORDER BY c.at, c.id",
    )
    .fetch_all(cx.store().reader())
    .await?;
    let shown = |t: String| serde_json::from_str(&t).map(|v| round::text_of(&v)).unwrap_or(t);
    rows.iter()
        .map(|r| {
            Ok(OfficeConflict {
                id: codec::uuid(r.try_get("id")?)?,
                entity: r.try_get("entity")?,
                row_id: codec::uuid(r.try_get("row_id")?)?,
                label: r.try_get("label")?,
                field: r.try_get("field")?,
                base: shown(r.try_get("base")?),
                theirs: shown(r.try_get("theirs")?),
                mine: shown(r.try_get("mine")?),
                by: r.try_get("by_user")?,
                choice: r.try_get("choice")?,
            })
        })
        .collect()
}

/// Decides a conflict: keep the server's value, this desktop's, or one typed now. Keeping a value other than the
/// server's is a normal edit (write path, audit, op), merged against the server's value on the next push; the
/// decision itself goes with the next round.
pub async fn resolve(cx: &Ctx, id: Uuid, choice: ConflictChoice, edited: Option<&str>) -> CoreResult<OfficeConflict> {
    let conflict = conflicts(cx)
        .await?
        .into_iter()
        .find(|c| c.id == id && c.choice.is_none())
        .ok_or(CoreError::NotFound { what: "conflict" })?;
    let value = match choice {
        ConflictChoice::Theirs => None,
        ConflictChoice::Mine => Some(conflict.mine.clone()),
        ConflictChoice::Edited => Some(edited.map(str::to_string).ok_or_else(|| {
            CoreError::invalid("value", Localized::new("Escreva o valor a guardar.", "Type the value to keep."))
        })?),
    };
    if let Some(value) = value {
        match conflict.entity.as_str() {
            "customers" => {
                let c = customers::get(cx, conflict.row_id).await?;
                customers::update(cx, conflict.row_id, &review::customer_with(&c, &conflict.field, &value)).await?;
            }
            "products" => {
                let p = products::get(cx, conflict.row_id).await?;
                products::update(cx, conflict.row_id, &review::product_with(&p, &conflict.field, &value)).await?;
            }
            _ => {
                return Err(CoreError::invalid(
                    "choice",
                    Localized::new(
                        "Num documento, mantenha o valor do escritório e corrija o rascunho no editor.",
                        "On a document, keep the office's value and correct the draft in the editor.",
                    ),
                ))
            }
        }
    }
    sqlx::query("UPDATE office_conflicts SET choice = ?, decided_at = ? WHERE id = ?")
        .bind(choice.as_str())
        .bind(crate::audit::now_text())
        .bind(id.to_string())
        .execute(cx.store().local())
        .await?;
    Ok(OfficeConflict { choice: Some(choice.as_str().into()), ..conflict })
}

/// Whether the app's background sync is in a round now.
static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a background round is running (for the sync centre).
pub fn running() -> bool {
    RUNNING.load(std::sync::atomic::Ordering::Relaxed)
}

/// The background round's pull: the revision reached and the server's newest, while it runs.
static PULL: std::sync::Mutex<Option<(i64, i64)>> = std::sync::Mutex::new(None);

/// The background pull's progress, while a round runs and has something to bring.
pub fn pull_progress() -> Option<(i64, i64)> {
    let p = *PULL.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    p.filter(|(done, of)| running() && of > done)
}

/// How long the app waits between rounds when nothing wakes it.
const IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// The app's office sync: a round at once, then whenever this desktop writes ops (after a short pause, so a burst
/// of typing is one push), whenever the server's notice says another desktop changed something, and every 30 s
/// regardless (a missed notice is caught by it). When the server is away it backs off from 2 s to 1 min; the app
/// never waits on it. Runs until the process ends.
pub async fn background(cx: Ctx) {
    let changed = cx.store().outbox_changed().clone();
    let mut backoff = std::time::Duration::from_secs(2);
    let mut link: Option<(sqlx::PgPool, tokio::task::JoinHandle<()>)> = None;
    loop {
        let wait = if cx.store().is_office() {
            if link.is_none() {
                if let Ok(pool) = join::open(cx.store()).await {
                    let listener = tokio::spawn(listen(pool.clone(), changed.clone()));
                    link = Some((pool, listener));
                }
            }
            let result = match &link {
                Some((pool, _)) => {
                    RUNNING.store(true, std::sync::atomic::Ordering::Relaxed);
                    let mut central = PgCentral::new(pool.clone());
                    let progress = |done: i64, of: i64| {
                        *PULL.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((done, of));
                    };
                    let r = run_with(&cx, &mut central, &progress).await;
                    RUNNING.store(false, std::sync::atomic::Ordering::Relaxed);
                    *PULL.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
                    r.map(|_| ())
                }
                None => Err(crate::server::ServerError::Unreachable("no connection".into()).into()),
            };
            match result {
                Ok(()) => {
                    backoff = std::time::Duration::from_secs(2);
                    IDLE
                }
                Err(_) => {
                    // a new connection next time (the server may have restarted), and a full catch-up with it
                    if let Some((pool, listener)) = link.take() {
                        listener.abort();
                        pool.close().await;
                    }
                    let wait = backoff;
                    backoff = (backoff * 2).min(std::time::Duration::from_secs(60));
                    wait
                }
            }
        } else {
            std::time::Duration::from_secs(5)
        };
        tokio::select! {
            _ = changed.notified() => {
                // let a burst of edits (or notices) settle into one round
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Forwards the server's change notices (`desk_sync`) to the loop; ends when the connection does.
async fn listen(pool: sqlx::PgPool, wake: std::sync::Arc<tokio::sync::Notify>) {
    let Ok(mut listener) = sqlx::postgres::PgListener::connect_with(&pool).await else { return };
    if listener.listen("desk_sync").await.is_err() {
        return;
    }
    while listener.try_recv().await.ok().flatten().is_some() {
        wake.notify_one();
    }
}
