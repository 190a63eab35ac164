//! Shared helpers for the tests that cross crates: driving the real app through tauri-driver + WebDriver,
//! and saving screenshots where the README says (`target/e2e/`).

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// An environment variable `cargo xtask test` sets, or a clear failure saying how to run the tests.
pub fn required_env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!("{name} is not set: run the tests with `cargo xtask test`, which builds the app and sets it"),
    }
}

/// Where screenshots go: `DESK_E2E_DIR`, else `target/e2e`.
pub fn e2e_dir() -> PathBuf {
    std::env::var_os("DESK_E2E_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/e2e"))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// tauri-driver, running until dropped (stopped with SIGTERM so it also stops WebKitWebDriver).
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Starts tauri-driver on free ports and waits until it listens.
    pub fn start() -> Driver {
        Driver::start_with_env(&[])
    }

    /// Starts tauri-driver with extra environment variables, which the app it launches inherits (test hooks such
    /// as `DESK_TEST_DELAYS`).
    pub fn start_with_env(env: &[(&str, &str)]) -> Driver {
        let bin = required_env("DESK_TAURI_DRIVER");
        let (port, native) = (free_port(), free_port());
        let child = Command::new(&bin)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tauri-driver at {bin}: {e}; `cargo xtask test` installs it"));
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "tauri-driver did not listen on {port} within 20 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port }
    }

    /// Launches the app on `data_dir` and opens a WebDriver session on its window.
    pub async fn launch(&self, data_dir: &Path) -> Client {
        let app = required_env("DESK_APP_BIN");
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": app, "args": ["--data-dir", data_dir.display().to_string()] }
        });
        let caps = caps.as_object().cloned().unwrap_or_default();
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("cannot open a WebDriver session on the app: {e}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        let _ = self.child.wait();
    }
}

/// Waits (up to 20 s) for an element matching `css`.
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Waits until `check` holds, polling every 100 ms for up to 10 s.
pub async fn wait_until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// True if an element matching `css` exists now.
pub async fn exists(c: &Client, css: &str) -> bool {
    c.find(Locator::Css(css)).await.is_ok()
}

/// Types into the element matching `css`, after clearing it with backspaces (so the page sees input events).
pub async fn type_into(c: &Client, css: &str, text: &str) {
    let el = wait_for(c, css).await;
    let current = el.prop("value").await.ok().flatten().unwrap_or_default();
    let backspaces = "\u{E003}".repeat(current.chars().count());
    el.send_keys(&format!("{backspaces}{text}")).await.unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
}

/// Saves a PNG screenshot as `<e2e dir>/<name>.png` (after a short pause: WebKit may show the previous frame).
pub async fn screenshot(c: &Client, name: &str) {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let png = c.screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    let dir = e2e_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
