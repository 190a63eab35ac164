//! A display for the end-to-end tests: the session's own, or a private Xvfb started (and stopped) here.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The display the tests use; stops Xvfb when dropped if it started one.
pub struct Display {
    name: Option<String>,
    xvfb: Option<Child>,
}

impl Display {
    /// The `DISPLAY` value to give the tests, if this set one.
    pub fn name(&self) -> Option<String> {
        self.name.clone()
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(mut child) = self.xvfb.take() {
            // SIGTERM lets Xvfb remove its lock file and socket; SIGKILL only if it does not stop.
            let _ = Command::new("kill").arg(child.id().to_string()).status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(3) {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Whether display `n` is free: no lock file, or one left by an X server that no longer runs (killed without
/// cleaning up), which is then removed with its socket.
fn free(n: u32) -> bool {
    let (lock, socket) = (format!("/tmp/.X{n}-lock"), format!("/tmp/.X11-unix/X{n}"));
    match std::fs::read_to_string(&lock) {
        Ok(text) => {
            let alive =
                text.trim().parse::<u32>().is_ok_and(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists());
            if alive {
                return false;
            }
            std::fs::remove_file(&lock).is_ok()
                && (std::fs::remove_file(&socket).is_ok() || !std::path::Path::new(&socket).exists())
        }
        Err(_) => !std::path::Path::new(&socket).exists(),
    }
}

/// Uses `DISPLAY` if set; on Linux without one, starts Xvfb on a free display number.
pub fn ensure() -> Result<Display, String> {
    if !cfg!(target_os = "linux") || std::env::var_os("DISPLAY").is_some() {
        return Ok(Display { name: None, xvfb: None });
    }
    let n = (90..140).find(|n| free(*n)).ok_or("no free X display number between :90 and :139")?;
    let name = format!(":{n}");
    let child = Command::new("Xvfb")
        .args([name.as_str(), "-screen", "0", "1280x860x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start Xvfb ({e}): install it with `apt-get install xvfb`"))?;
    let socket = format!("/tmp/.X11-unix/X{n}");
    let start = Instant::now();
    while !std::path::Path::new(&socket).exists() {
        if start.elapsed() > Duration::from_secs(10) {
            return Err("Xvfb did not start within 10 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("    Xvfb on {name}");
    Ok(Display { name: Some(name), xvfb: Some(child) })
}
