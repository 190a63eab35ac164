//! The Moloni master sync (issue 16): Moloni's reference data, then customers and products both ways, then the
//! documents issued elsewhere (brought here, read-only), on connect, on a timer or on demand; which kinds run is a
//! setting (all by default). One run at a time per company on this desktop (a lease on the lease clock; office mode takes it
//! on the server), each run recorded in the sync log (`moloni_sync_runs`, kept a year). Nothing is overwritten
//! silently: a field changed on both sides goes to the review list (`review_items`, source `moloni`).

mod customers;
mod documents;
mod link;
mod products;
pub mod reference;

use crate::error::{CoreError, CoreResult};
use crate::sync::lease::{self as server_lease, Asked};
use crate::{lease_clock, Ctx};
use chrono::Utc;
use desk_model::ipc::{KindCounts, MoloniSyncReport, MoloniSyncSettings, SyncIssue, SyncProgress};
use desk_model::msg::Localized;
use std::time::{Duration, Instant};

/// The review list's source for differences found by the sync.
pub const REVIEW_SOURCE: &str = "moloni";
/// How far back an incremental run reads before the previous run's start: Moloni's clock, its time zone (UTC or
/// Lisbon, unconfirmed) and a change saved while the last run read are all inside it; de-duplication is by id and
/// by fingerprint, so reading a record twice changes nothing.
pub const OVERLAP: chrono::Duration = chrono::Duration::hours(2);
/// A link's Moloni fingerprint right after we sent the record: the next read of it is our own change coming back
/// (in Moloni's words: its unit names, its placeholders), taken as agreed rather than pulled over ours.
pub(crate) const PUSHED: &str = "pushed";
/// How long a run holds the company's lease on the office server (given up when the run ends).
const SERVER_LEASE_SECONDS: i32 = 600;

/// How long a run holds the company's lease.
const LEASE: Duration = Duration::from_secs(600);
/// How long the log keeps runs.
const KEEP_DAYS: i64 = 366;

/// A run in progress: the report it builds and where it reports progress.
pub struct Run<'p> {
    report: MoloniSyncReport,
    progress: &'p mut (dyn FnMut(SyncProgress) + Send),
    /// Moloni's `lastmodified` for an incremental read, `None` for everything.
    since: Option<String>,
}

impl Run<'_> {
    fn issue(&mut self, kind: &str, record: &str, message: Localized) {
        self.report.issues.push(SyncIssue { kind: kind.into(), record: record.into(), message });
    }

    fn fail(&mut self, kind: &str, record: &str, message: Localized) {
        self.report.failed += 1;
        self.issue(kind, record, message);
    }

    fn progress(&mut self, kind: &str, done: u64, total: Option<u64>) {
        (self.progress)(SyncProgress { kind: kind.into(), done, total });
    }

    /// The run's counts now: pulled, pushed, linked, failed.
    fn totals(&self) -> [u32; 4] {
        let r = &self.report;
        [r.pulled, r.pushed, r.linked, r.failed]
    }

    /// Records what one kind added to the run's counts since `before`.
    fn tally(&mut self, kind: &str, before: [u32; 4]) {
        let [p, s, l, f] = self.totals();
        self.report.by_kind.push(KindCounts {
            kind: kind.into(),
            pulled: p - before[0],
            pushed: s - before[1],
            linked: l - before[2],
            failed: f - before[3],
        });
    }
}

fn setting_key(cx: &Ctx, what: &str) -> String {
    format!("moloni.sync.{}.{what}", cx.company().id)
}

/// Takes the company's sync lease for `owner`, unless another process holds a live one.
async fn take_lease(cx: &Ctx, owner: &str) -> CoreResult<bool> {
    let clock = lease_clock::now();
    let value = serde_json::json!({"owner": owner, "boot": clock.boot, "deadline": clock.deadline(LEASE)}).to_string();
    let taken = sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE json_extract(settings.value, '$.owner') = ?3 OR json_extract(settings.value, '$.boot') <> ?4
            OR json_extract(settings.value, '$.deadline') <= ?5",
    )
    .bind(setting_key(cx, "lease"))
    .bind(&value)
    .bind(owner)
    .bind(&clock.boot)
    .bind(clock.millis)
    .execute(cx.store().local())
    .await?
    .rows_affected();
    Ok(taken == 1)
}

async fn release_lease(cx: &Ctx) {
    let _ = sqlx::query("DELETE FROM settings WHERE key = ?")
        .bind(setting_key(cx, "lease"))
        .execute(cx.store().local())
        .await;
}

/// One run for the current company: reference data, then customers (pulled, then pushed). `full` reads everything
/// instead of what changed since the last run (the first run always does). Refused while another run holds the
/// company's lease.
pub async fn run(
    cx: &Ctx,
    full: bool,
    owner: &str,
    progress: &mut (dyn FnMut(SyncProgress) + Send),
) -> CoreResult<MoloniSyncReport> {
    let client = super::client(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
    let company = super::company_id(cx).await?.ok_or(CoreError::MoloniNotConnected)?;
    run_with(cx, &client.company(company), full, owner, progress).await
}

/// [`run`] through a given Moloni company (the benchmark's own client, to read its time on HTTP).
pub async fn run_with(
    cx: &Ctx,
    api: &moloni::CompanyApi<'_>,
    full: bool,
    owner: &str,
    progress: &mut (dyn FnMut(SyncProgress) + Send),
) -> CoreResult<MoloniSyncReport> {
    // read before the lease is taken: nothing between taking and releasing it returns early
    let kinds = settings(cx).await?;
    if !take_lease(cx, owner).await? {
        return Err(CoreError::invalid(
            "sync",
            Localized::new(
                "Já está a decorrer uma sincronização com o Moloni desta empresa: espere que termine.",
                "A Moloni sync of this company is already running: wait for it to finish.",
            ),
        ));
    }
    // in office mode one desktop at a time syncs a company with Moloni (a lease on the server's clock), so two
    // desktops never push one customer twice
    let company = cx.company().id;
    let held = match server_lease::ask(cx.store(), &server_lease::moloni_key(company), company, SERVER_LEASE_SECONDS)
        .await
    {
        Ok(Asked::Held(l)) => Some(l),
        Ok(Asked::NotOffice) => None,
        other => {
            release_lease(cx).await;
            return Err(match other {
                Err(e) => e,
                _ => CoreError::invalid(
                    "sync",
                    Localized::new(
                        "Outro posto do escritório está a sincronizar esta empresa com o Moloni: o que ele trouxer chega aqui pela sincronização do escritório.",
                        "Another desktop of the office is syncing this company with Moloni: what it brings arrives here through the office sync.",
                    ),
                ),
            });
        }
    };
    let started = Instant::now();
    let started_at = Utc::now();
    let last: Option<chrono::DateTime<Utc>> = cx
        .store()
        .setting(&setting_key(cx, "last_start"))
        .await?
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    let since = last.filter(|_| !full).map(|t| (t - OVERLAP).format("%Y-%m-%d %H:%M:%S").to_string());
    let mut run = Run {
        report: MoloniSyncReport { started_at, full: since.is_none(), ..MoloniSyncReport::default() },
        progress,
        since,
    };
    let mut result = reference::pull(cx, api, &mut run).await;
    // customers first: products and documents link to them, documents to products too
    for kind in KINDS {
        if result.is_err() || !covers(&kinds, kind) {
            continue;
        }
        let before = run.totals();
        result = match kind {
            "customers" => customers::sync(cx, api, &mut run).await,
            "products" => products::sync(cx, api, &mut run).await,
            _ => documents::pull(cx, api, &mut run).await,
        };
        run.tally(kind, before);
    }
    release_lease(cx).await;
    if let Some(l) = held {
        l.release().await;
    }
    let mut report = run.report;
    report.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    match result {
        Ok(()) => {
            // only a run that finished moves the incremental window
            cx.store().set_setting(&setting_key(cx, "last_start"), &started_at.to_rfc3339()).await?;
        }
        Err(e) => {
            let message = desk_model::ipc::AppError::from(e).message;
            report.issues.push(SyncIssue { kind: "run".into(), record: String::new(), message });
        }
    }
    log(cx, &report).await?;
    Ok(report)
}

/// Records a run in the sync log and forgets runs older than a year.
async fn log(cx: &Ctx, report: &MoloniSyncReport) -> CoreResult<()> {
    let company = cx.company().id.to_string();
    sqlx::query("INSERT INTO moloni_sync_runs (company_id, started_at, duration_ms, report) VALUES (?, ?, ?, ?)")
        .bind(&company)
        .bind(crate::codec::time_text(report.started_at))
        .bind(i64::try_from(report.duration_ms).unwrap_or(i64::MAX))
        .bind(serde_json::to_string(report).unwrap_or_default())
        .execute(cx.store().local())
        .await?;
    sqlx::query("DELETE FROM moloni_sync_runs WHERE company_id = ? AND started_at < ?")
        .bind(&company)
        .bind(crate::codec::time_text(Utc::now() - chrono::Duration::days(KEEP_DAYS)))
        .execute(cx.store().local())
        .await?;
    Ok(())
}

/// The sync log of the current company, newest first.
pub async fn history(cx: &Ctx, limit: u32) -> CoreResult<Vec<MoloniSyncReport>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT report FROM moloni_sync_runs WHERE company_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
    )
    .bind(cx.company().id.to_string())
    .bind(limit)
    .fetch_all(cx.store().reader())
    .await?;
    Ok(rows.iter().filter_map(|r| serde_json::from_str(r).ok()).collect())
}

/// The setting with the minutes between background runs (5 by default; 0 turns them off).
pub const INTERVAL_SETTING: &str = "moloni.sync.interval_minutes";
/// The setting with the kinds a run covers (JSON: `{"customers":true,"products":true,"documents":false}`).
pub const KINDS_SETTING: &str = "moloni.sync.kinds";
/// The kinds, in the order a run takes them.
pub const KINDS: [&str; 3] = ["customers", "products", "documents"];

/// Whether the settings have a run cover `kind`.
fn covers(s: &MoloniSyncSettings, kind: &str) -> bool {
    match kind {
        "customers" => s.customers,
        "products" => s.products,
        _ => s.documents,
    }
}

/// The sync's settings (every kind on and every 5 minutes unless changed).
pub async fn settings(cx: &Ctx) -> CoreResult<MoloniSyncSettings> {
    let mut s: MoloniSyncSettings = match cx.store().setting(KINDS_SETTING).await? {
        Some(text) => serde_json::from_str(&text).unwrap_or_default(),
        None => MoloniSyncSettings::default(),
    };
    s.interval_minutes = cx.store().setting(INTERVAL_SETTING).await?.and_then(|m| m.parse().ok()).unwrap_or(5);
    Ok(s)
}

/// Changes the sync's settings; an interval over a day is refused.
pub async fn set_settings(cx: &Ctx, s: &MoloniSyncSettings) -> CoreResult<MoloniSyncSettings> {
    if s.interval_minutes > 24 * 60 {
        return Err(CoreError::invalid(
            "interval_minutes",
            Localized::new(
                "O intervalo vai de 0 (nunca) a 1440 minutos (um dia).",
                "The interval goes from 0 (never) to 1440 minutes (a day).",
            ),
        ));
    }
    let kinds = serde_json::json!({"customers": s.customers, "products": s.products, "documents": s.documents});
    cx.store().set_setting(KINDS_SETTING, &kinds.to_string()).await?;
    cx.store().set_setting(INTERVAL_SETTING, &s.interval_minutes.to_string()).await?;
    settings(cx).await
}

/// Runs the sync in the background for as long as the app runs: for every company with a Moloni company chosen,
/// an incremental run every few minutes (the interval setting), waiting longer (up to an hour) while Moloni is
/// away. Never touches the screen: the app reads the log.
pub async fn background(base: Ctx, owner: String) {
    let mut failed = 0u32;
    loop {
        let minutes: u64 =
            base.store().setting(INTERVAL_SETTING).await.ok().flatten().and_then(|m| m.parse().ok()).unwrap_or(5);
        let wait = Duration::from_secs(minutes.max(1) * 60);
        let away = Duration::from_secs(60).saturating_mul(1 << failed.min(6)).min(Duration::from_secs(3600));
        tokio::time::sleep(if failed == 0 { wait } else { away }).await;
        if minutes == 0 {
            continue;
        }
        let companies = crate::company::list(base.store()).await.unwrap_or_default();
        let mut ok = true;
        for c in companies {
            let Ok(cx) = base.for_company(c.id).await else { continue };
            if !matches!(super::company_id(&cx).await, Ok(Some(_))) {
                continue;
            }
            match run(&cx, false, &owner, &mut |_| {}).await {
                Ok(r) if r.issues.iter().any(|i| i.kind == "run") => ok = false,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "background Moloni sync");
                    ok = false;
                }
            }
        }
        failed = if ok { 0 } else { failed.saturating_add(1) };
    }
}
