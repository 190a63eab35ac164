//! Small helpers: the workspace root, the target dir, running commands loudly, timing steps.

use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

/// The workspace root (xtask's parent folder).
/// The checkout's root. Found at run time (the folder `cargo xtask` runs in, or `cargo run`'s
/// CARGO_MANIFEST_DIR), because a cached xtask binary may have been compiled in another clone of the repository.
pub fn root() -> PathBuf {
    let is_root = |d: &std::path::Path| d.join("xtask").join("Cargo.toml").is_file() && d.join("Cargo.toml").is_file();
    let from_cwd = std::env::current_dir().ok().and_then(|cwd| cwd.ancestors().find(|d| is_root(d)).map(PathBuf::from));
    let from_env = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .and_then(|m| m.parent().map(PathBuf::from))
        .filter(|d| is_root(d));
    from_cwd.or(from_env).unwrap_or_else(|| {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        manifest.parent().map(PathBuf::from).unwrap_or(manifest)
    })
}

/// Cargo's target dir (CARGO_TARGET_DIR lets CI keep builds outside the clone).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let p = PathBuf::from(d);
            if p.is_absolute() {
                p
            } else {
                root().join(p)
            }
        }
        _ => root().join("target"),
    }
}

/// A platform executable name.
pub fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// A command run from the workspace root.
pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Runs a command, failing with its exit status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", cmd.get_program()))
    }
}

/// True if the command runs and succeeds (used for probes; output hidden).
pub fn probe(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A command's stdout, if it ran and succeeded.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs cargo (the same one that runs xtask) with extra environment variables.
pub fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut c = command(cargo);
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    run(&mut c)
}

/// An error with one line saying what to do.
pub fn fail<T>(msg: &str) -> Result<T, String> {
    Err(msg.to_string())
}

/// Prints a step's start and, when dropped, its duration.
pub struct Step {
    name: String,
    start: Instant,
}

impl Step {
    /// Announces a step.
    pub fn new(name: &str) -> Step {
        eprintln!("==> {name}");
        Step { name: name.into(), start: Instant::now() }
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        eprintln!("<== {} ({:.1} s)", self.name, self.start.elapsed().as_secs_f64());
    }
}
