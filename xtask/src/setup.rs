//! Installs what this machine lacks: Debian/Ubuntu packages, the wasm32 target, wasm-bindgen-cli at the exact
//! version in Cargo.lock, tauri-driver, rustfmt and clippy. When it cannot install (no root, no sudo), it says in one line what to run.

use crate::util::{output, probe, root, Step};
use std::path::PathBuf;

/// What the packages are for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Build and open the app.
    Run,
    /// Everything the tests need.
    Test,
    /// The benchmarks (adds Chromium for the PDF comparison).
    Bench,
}

/// Debian packages to build and run the Tauri app (TOOLCHAIN.md §1).
const RUN_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "curl",
    "wget",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "pkg-config",
    "fonts-dejavu-core",
];
/// Added for the tests: a display, the WebKit WebDriver, PDF and QR readers, a PostgreSQL server.
const TEST_PACKAGES: &[&str] = &["xvfb", "xauth", "webkit2gtk-driver", "poppler-utils", "zbar-tools", "postgresql"];
/// Added for the benchmarks: Chromium prints the same invoice from HTML for the PDF comparison.
const BENCH_PACKAGES: &[&str] = &["chromium", "poppler-utils", "postgresql"];
/// tauri-driver 2.x (3.0 is an alpha).
const TAURI_DRIVER_VERSION: &str = "2.1.0";

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .or_else(|| std::env::var_os("USERPROFILE").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

/// The wasm-bindgen CLI: on PATH if it has the right version, else cargo's bin folder.
pub fn wasm_bindgen_bin() -> PathBuf {
    cargo_bin_dir().join(crate::util::exe("wasm-bindgen"))
}

/// tauri-driver, from cargo's bin folder.
pub fn tauri_driver_bin() -> PathBuf {
    cargo_bin_dir().join(crate::util::exe("tauri-driver"))
}

/// The version of a package in Cargo.lock.
fn locked_version(name: &str) -> Option<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).ok()?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock.find(&needle)? + needle.len();
    let end = lock[start..].find('"')?;
    Some(lock[start..start + end].to_string())
}

fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|s| s.trim() == "0")
}

fn missing_debian_packages(wanted: &[&str]) -> Vec<String> {
    wanted
        .iter()
        .filter(|p| {
            let status = output("dpkg-query", &["-W", "-f=${Status}", p]).unwrap_or_default();
            !status.contains("install ok installed")
        })
        .map(|p| p.to_string())
        .collect()
}

fn install_debian_packages(wanted: &[&str]) -> Result<(), String> {
    let missing = missing_debian_packages(wanted);
    if missing.is_empty() {
        return Ok(());
    }
    let line = format!("apt-get update && apt-get install -y --no-install-recommends {}", missing.join(" "));
    let prefix: Vec<&str> = if is_root() {
        vec![]
    } else if probe("sudo", &["-n", "true"]) {
        vec!["sudo", "-n"]
    } else {
        return Err(format!("missing system packages; run: sudo sh -c '{line}'"));
    };
    let _s = Step::new(&format!("installing system packages: {}", missing.join(" ")));
    let sh = |cmd: &str| {
        let mut c = std::process::Command::new(prefix.first().copied().unwrap_or("sh"));
        if prefix.is_empty() {
            c.args(["-c", cmd]);
        } else {
            c.args(&prefix[1..]).args(["sh", "-c", cmd]);
        }
        c.env("DEBIAN_FRONTEND", "noninteractive");
        crate::util::run(&mut c)
    };
    sh(&line).map_err(|e| format!("{e}; run by hand: sudo sh -c '{line}'"))
}

fn ensure_system_packages(purpose: Purpose) -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(()); // macOS and Windows ship their web view; the README lists what else they need.
    }
    let mut wanted: Vec<&str> = RUN_PACKAGES.to_vec();
    match purpose {
        Purpose::Run => {}
        Purpose::Test => wanted.extend(TEST_PACKAGES),
        Purpose::Bench => wanted.extend(BENCH_PACKAGES),
    }
    if probe("dpkg-query", &["--version"]) {
        install_debian_packages(&wanted)
    } else if !probe("pkg-config", &["--exists", "webkit2gtk-4.1"]) {
        Err("WebKitGTK 4.1 development files are missing: install your distribution's webkit2gtk-4.1 (devel) package, then rerun".into())
    } else {
        Ok(())
    }
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    if !probe("rustup", &["--version"]) {
        return Err(
            "the wasm32-unknown-unknown target is missing and rustup is not available: install it for your toolchain"
                .into(),
        );
    }
    let _s = Step::new("adding the wasm32-unknown-unknown target");
    crate::util::run(std::process::Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen CLI must be exactly the crate's version, or the generated glue does not match.
fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = locked_version("wasm-bindgen").ok_or("Cargo.lock has no wasm-bindgen entry")?;
    let bin = wasm_bindgen_bin();
    let have = output(&bin.display().to_string(), &["--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    let _s = Step::new(&format!("installing wasm-bindgen-cli {want} (a few minutes, once)"));
    // Not --locked: its own lock file names a webpki-roots this registry does not serve (TOOLCHAIN.md §2).
    crate::util::run(std::process::Command::new("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--force",
        "--version",
        &want,
    ]))
}

fn ensure_tauri_driver() -> Result<(), String> {
    // tauri-driver has no --version: cargo's own record of installed crates says which one is there.
    let record = std::fs::read_to_string(cargo_bin_dir().with_file_name(".crates.toml")).unwrap_or_default();
    if tauri_driver_bin().exists() && record.contains(&format!("\"tauri-driver {TAURI_DRIVER_VERSION} ")) {
        return Ok(());
    }
    let _s = Step::new(&format!("installing tauri-driver {TAURI_DRIVER_VERSION}"));
    crate::util::run(std::process::Command::new("cargo").args([
        "install",
        "tauri-driver",
        "--locked",
        "--force",
        "--version",
        TAURI_DRIVER_VERSION,
    ]))
}

/// rustfmt and clippy, which `cargo xtask test` runs over the code (rustup's minimal profile lacks them).
fn ensure_style_tools() -> Result<(), String> {
    let have = |tool: &str| probe("cargo", &[tool, "--version"]);
    if have("fmt") && have("clippy") {
        return Ok(());
    }
    if !probe("rustup", &["--version"]) {
        return Err("rustfmt or clippy is missing and rustup is not available: install both for your toolchain".into());
    }
    let _s = Step::new("adding the rustfmt and clippy components");
    crate::util::run(std::process::Command::new("rustup").args(["component", "add", "rustfmt", "clippy"]))
}

/// Installs whatever `purpose` needs and is missing.
pub fn ensure(purpose: Purpose) -> Result<(), String> {
    ensure_system_packages(purpose)?;
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    if purpose == Purpose::Test {
        ensure_style_tools()?;
        if cfg!(target_os = "linux") {
            ensure_tauri_driver()?;
        }
    }
    Ok(())
}
