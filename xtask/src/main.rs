//! `cargo xtask`: the project's own set-up, build, run, test and bench commands. It installs what a fresh
//! machine lacks (or says in one line what to run), so `cargo xtask run` and `cargo xtask test` are all a
//! new developer or CI needs. Plain std only, so it compiles in seconds.

mod display;
mod pg;
mod setup;
mod util;

use std::process::ExitCode;
use util::{cargo, fail, root, Step};

const USAGE: &str = "usage: cargo xtask <command>
  run          set up, build the UI and the app, and open it (on the embedded local database)
  test         set up everything the tests need, check format and lints, then run every test (unit, integration,
               PostgreSQL, end-to-end, tidy)
  bench        run the benchmarks (criterion); figures go to target/criterion
  setup        only install what is missing (system packages, wasm target, wasm-bindgen-cli, tauri-driver)
  build-ui     only build the Yew UI into ui/dist
  build        build the UI and the app (debug)
  moloni-standin [--port 8690] [--state file.json] [--seed demo]
               run the local Moloni stand-in (demo login: desk-demo / desk-demo-secret, demo@desk.pt / demo)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("setup") => setup::ensure(setup::Purpose::Test),
        Some("build-ui") => setup::ensure(setup::Purpose::Run).and_then(|_| build_ui()),
        Some("build") => setup::ensure(setup::Purpose::Run).and_then(|_| build_ui()).and_then(|_| build_app()),
        Some("moloni-standin") => moloni_standin(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the Yew UI to `ui/dist`: wasm (size-optimised profile) → wasm-bindgen → static files.
fn build_ui() -> Result<(), String> {
    let _s = Step::new("UI (Yew → wasm → ui/dist)");
    cargo(&["build", "-p", "desk-ui", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"], &[])?;
    let wasm = util::target_dir().join("wasm32-unknown-unknown/wasm-release/desk-ui.wasm");
    let dist = root().join("ui/dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    util::run(
        util::command(setup::wasm_bindgen_bin())
            .args(["--target", "web", "--no-typescript", "--out-name", "desk-ui", "--out-dir"])
            .arg(&dist)
            .arg(&wasm),
    )?;
    for (from, to) in
        [("ui/index.html", "index.html"), ("ui/style.css", "style.css"), ("icons/128x128.png", "icon.png")]
    {
        std::fs::copy(root().join(from), dist.join(to)).map_err(|e| format!("cannot copy {from}: {e}"))?;
    }
    Ok(())
}

/// Builds the desktop app and the `desk` CLI (debug).
fn build_app() -> Result<(), String> {
    let _s = Step::new("app and CLI");
    cargo(&["build", "-p", "desk-moloni", "-p", "desk-cli"], &[])
}

fn run(extra: &[String]) -> Result<(), String> {
    setup::ensure(setup::Purpose::Run)?;
    build_ui()?;
    build_app()?;
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return fail("no display: run it inside a desktop session, or under Xvfb with `xvfb-run -a cargo xtask run`");
    }
    let bin = util::target_dir().join("debug").join(util::exe("desk-moloni"));
    let _s = Step::new("desk-moloni (close the window to stop)");
    util::run(util::command(&bin).args(extra))
}

/// The packages `cargo test` covers (the UI is wasm-only; xtask tests nothing of its own).
const TESTED: &[&str] = &["--workspace", "--exclude", "desk-ui", "--exclude", "xtask"];

/// rustfmt over the whole workspace: fails fast, before anything compiles.
fn check_format() -> Result<(), String> {
    let _s = Step::new("format (cargo fmt --check)");
    cargo(&["fmt", "--all", "--check"], &[])
        .map_err(|_| "the code is not formatted: run `cargo fmt --all`, then commit".to_string())
}

/// clippy with warnings as errors: the native packages, then the UI for its wasm target.
fn check_lints() -> Result<(), String> {
    let _s = Step::new("lints (cargo clippy -D warnings)");
    let fix = |_| "clippy found warnings (listed above): fix them, then rerun".to_string();
    cargo(&["clippy", "--workspace", "--exclude", "desk-ui", "--all-targets", "--", "-D", "warnings"], &[])
        .map_err(fix)?;
    cargo(&["clippy", "-p", "desk-ui", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"], &[]).map_err(fix)
}

fn test(extra: &[String]) -> Result<(), String> {
    setup::ensure(setup::Purpose::Test)?;
    check_format()?;
    build_ui()?;
    {
        // One build of every target with the test feature set: the app binary the end-to-end tests drive
        // and the test binaries then share their dependencies instead of compiling them twice.
        let _s = Step::new("app, CLI and tests");
        let mut args = vec!["build", "--all-targets"];
        args.extend(TESTED);
        cargo(&args, &[])?;
    }
    check_lints()?;
    {
        let _s = Step::new("desk-model for wasm32 (the UI's copy of the rules)");
        cargo(&["build", "-p", "desk-model", "--target", "wasm32-unknown-unknown"], &[])?;
    }
    let server = pg::Cluster::start()?;
    let display = display::ensure()?;
    let target = util::target_dir();
    let e2e_dir = target.join("e2e");
    let mut env: Vec<(String, String)> = vec![
        ("DESK_TEST_PG_URL".into(), server.url()),
        ("DESK_TEST_PG_LOG".into(), server.log().display().to_string()),
        ("DESK_APP_BIN".into(), target.join("debug").join(util::exe("desk-moloni")).display().to_string()),
        ("DESK_CLI_BIN".into(), target.join("debug").join(util::exe("desk")).display().to_string()),
        ("DESK_E2E_DIR".into(), e2e_dir.display().to_string()),
        ("DESK_TAURI_DRIVER".into(), setup::tauri_driver_bin().display().to_string()),
    ];
    if let Some(d) = display.name() {
        env.push(("DISPLAY".into(), d));
    }
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let _s = Step::new("all tests");
    let mut args = vec!["test"];
    args.extend(TESTED);
    args.extend(extra.iter().map(String::as_str));
    let result = cargo(&args, &env_refs);
    drop(display);
    drop(server);
    result
}

/// The Moloni stand-in in the foreground (`cargo run -p moloni-standin -- …`); the demo seed unless told.
fn moloni_standin(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "-p", "moloni-standin", "--"];
    if !extra.iter().any(|a| a == "--seed" || a == "--state") {
        args.extend(["--seed", "demo"]);
    }
    args.extend(extra.iter().map(String::as_str));
    cargo(&args, &[])
}

fn bench(extra: &[String]) -> Result<(), String> {
    setup::ensure(setup::Purpose::Bench)?;
    // the office sync bench needs a PostgreSQL server: the same throwaway cluster the tests use
    let server = pg::Cluster::start()?;
    let _s = Step::new("benchmarks");
    let mut args = vec!["bench", "-p", "desk-core"];
    args.extend(extra.iter().map(String::as_str));
    let url = server.url();
    let result = cargo(&args, &[("DESK_TEST_PG_URL", url.as_str())]);
    drop(server);
    result
}
