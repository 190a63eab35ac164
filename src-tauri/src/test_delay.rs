//! A delay for end-to-end tests, off unless `DESK_TEST_DELAYS` is set: the tests prove the page copes with slow
//! or out-of-order answers (a search answer overtaken by a newer one, a save still running while the user types).
//!
//! Format: comma-separated `command=ms` (every call of the command) or `command:text=ms` (only searches whose
//! text, trimmed, is exactly `text`), e.g. `DESK_TEST_DELAYS=customers_list:lda=2000,document_save=400`.
//! Read once at start; a malformed entry is ignored.

use std::sync::OnceLock;
use std::time::Duration;

struct Rule {
    command: String,
    text: Option<String>,
    delay: Duration,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| std::env::var("DESK_TEST_DELAYS").map(|v| parse(&v)).unwrap_or_default())
}

fn parse(spec: &str) -> Vec<Rule> {
    spec.split(',')
        .filter_map(|entry| {
            let (what, ms) = entry.trim().rsplit_once('=')?;
            let delay = Duration::from_millis(ms.trim().parse().ok()?);
            let (command, text) = match what.split_once(':') {
                Some((c, t)) => (c.trim().to_string(), Some(t.trim().to_string())),
                None => (what.trim().to_string(), None),
            };
            Some(Rule { command, text, delay })
        })
        .collect()
}

/// Waits as the rules say before `command` answers a request with search `text` (empty for non-searches).
pub async fn before(command: &str, text: &str) {
    let wait = rules()
        .iter()
        .filter(|r| r.command == command && r.text.as_deref().is_none_or(|t| t == text.trim()))
        .map(|r| r.delay)
        .max();
    if let Some(d) = wait {
        tokio::time::sleep(d).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_with_and_without_text_and_bad_ones_are_skipped() {
        let r = parse("customers_list:lda=2000, document_save=400,nonsense,x=abc");
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].command.as_str(), r[0].text.as_deref(), r[0].delay),
            ("customers_list", Some("lda"), Duration::from_millis(2000))
        );
        assert_eq!(
            (r[1].command.as_str(), r[1].text.as_deref(), r[1].delay),
            ("document_save", None, Duration::from_millis(400))
        );
    }
}
