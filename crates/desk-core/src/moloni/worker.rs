//! The background issuer: works every company's issue queue (each company with a Moloni company chosen), again
//! on a timer and whenever it is woken (a new request, a new connection), waiting longer while Moloni is away.
//! Requests queued offline go when the connection returns. The app runs [`run`]; `desk issue --pending` runs one
//! [`pass`]. Each attempt is the issuer's, so a pass that races the app or another process is still exactly once.

use super::issuer::{self, Outcome};
use crate::error::{CoreError, CoreResult};
use crate::Ctx;
use chrono::Utc;
use desk_model::ipc::IssuerPass;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use uuid::Uuid;

/// Between passes while all is well.
pub const IDLE: Duration = Duration::from_secs(60);
/// The first wait after Moloni could not be reached; doubled after each failed pass up to [`AWAY_MAX`].
pub const AWAY_FIRST: Duration = Duration::from_secs(10);
/// The longest wait while Moloni is away.
pub const AWAY_MAX: Duration = Duration::from_secs(300);

/// The setting the last pass is kept in (shown by the queue page and `desk queue`).
const LAST_PASS: &str = "issuer.last_pass";

/// One pass: every company's waiting requests, one attempt each. Companies without a Moloni company chosen are
/// left alone; the pass's counts add up over the companies it worked.
pub async fn pass(base: &Ctx, owner: &str) -> CoreResult<IssuerPass> {
    let companies: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT company_id FROM issue_requests WHERE state IN ('pending', 'drafted') ORDER BY company_id",
    )
    .fetch_all(base.store().reader())
    .await?;
    let mut summary = IssuerPass { at: Utc::now(), ..IssuerPass::default() };
    for id in companies {
        let id = Uuid::parse_str(&id).map_err(|e| CoreError::Decode(format!("company id {id}: {e}")))?;
        let cx = base.for_company(id).await?;
        if super::company_id(&cx).await?.is_none() {
            continue;
        }
        for (_, outcome) in issuer::work_queue_now(&cx, owner).await? {
            match outcome {
                Outcome::Issued { .. } => summary.issued += 1,
                Outcome::Retry { message } => {
                    summary.retried += 1;
                    summary.error = Some(message);
                }
                Outcome::NeedsAttention { .. } | Outcome::Refused { .. } => summary.stopped += 1,
                Outcome::Busy => {}
            }
        }
    }
    summary.at = Utc::now();
    Ok(summary)
}

/// The wait before the next pass: [`IDLE`] after a clean pass; after `failed` passes in a row that could not
/// reach Moloni, from [`AWAY_FIRST`] doubling up to [`AWAY_MAX`].
pub fn next_wait(failed: u32) -> Duration {
    match failed {
        0 => IDLE,
        n => AWAY_FIRST.saturating_mul(1 << (n - 1).min(16)).min(AWAY_MAX),
    }
}

/// The last pass, as kept.
pub async fn last_pass(cx: &Ctx) -> CoreResult<Option<IssuerPass>> {
    Ok(cx.store().setting(LAST_PASS).await?.and_then(|t| serde_json::from_str(&t).ok()))
}

async fn keep(cx: &Ctx, pass: &IssuerPass) {
    if let Ok(text) = serde_json::to_string(pass) {
        if let Err(e) = cx.store().set_setting(LAST_PASS, &text).await {
            tracing::warn!(error = %e, "could not keep the issuer's last pass");
        }
    }
}

/// Runs passes for as long as the app runs: at start, after each wait, and at once when `wake` is notified.
pub async fn run(base: Ctx, owner: String, wake: Arc<Notify>) {
    let mut failed = 0u32;
    loop {
        let (reached, mut summary) = match pass(&base, &owner).await {
            Ok(p) => (p.retried == 0, p),
            // not connected: nothing to do until a connection wakes us
            Err(CoreError::MoloniNotConnected) => (true, IssuerPass { at: Utc::now(), ..IssuerPass::default() }),
            Err(e) => {
                tracing::warn!(error = %e, "issuer pass failed");
                let error = Some(desk_model::ipc::AppError::from(e).message);
                (false, IssuerPass { at: Utc::now(), error, ..IssuerPass::default() })
            }
        };
        failed = if reached { 0 } else { failed.saturating_add(1) };
        let next = next_wait(failed);
        summary.next_in_secs = next.as_secs();
        keep(&base, &summary).await;
        tokio::select! {
            _ = tokio::time::sleep(next) => {}
            _ = wake.notified() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_while_moloni_is_away_and_reset_when_it_answers() {
        let seen: Vec<u64> = (1..=7).chain([40]).map(|n| next_wait(n).as_secs()).collect();
        assert_eq!(seen, vec![10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(next_wait(0), IDLE);
    }
}
