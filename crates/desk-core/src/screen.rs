//! What a screen's form holds (the import wizard, the report period), kept as it is typed so that leaving the
//! screen, or the app, loses nothing. Local to this desktop and per company, in `settings`; never synced.

use crate::context::Ctx;
use crate::error::{CoreError, CoreResult};
use desk_model::msg::Localized;

/// The screens that keep their form.
const SCREENS: [&str; 2] = ["import", "reports"];

/// Longest form kept (a mapping of a few hundred columns fits many times over).
const MAX_LEN: usize = 200_000;

fn key(cx: &Ctx, screen: &str) -> CoreResult<String> {
    if !SCREENS.contains(&screen) {
        return Err(CoreError::invalid(
            "screen",
            Localized::new(format!("Ecrã desconhecido: {screen}."), format!("Unknown screen: {screen}.")),
        ));
    }
    Ok(format!("screen.{}.{screen}", cx.company().id))
}

/// Keeps a screen's form (JSON text).
pub async fn put(cx: &Ctx, screen: &str, state: &str) -> CoreResult<()> {
    let key = key(cx, screen)?;
    if state.len() > MAX_LEN || serde_json::from_str::<serde_json::Value>(state).is_err() {
        return Err(CoreError::invalid("state", Localized::new("Estado do ecrã inválido.", "Invalid screen state.")));
    }
    let mut w = cx.write().await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")
        .bind(key)
        .bind(state)
        .execute(w.conn())
        .await?;
    w.commit().await
}

/// A screen's form as last kept.
pub async fn get(cx: &Ctx, screen: &str) -> CoreResult<Option<String>> {
    let key = key(cx, screen)?;
    Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(key)
        .fetch_optional(cx.store().reader())
        .await?)
}
