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
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Uses `DISPLAY` if set; on Linux without one, starts Xvfb on a free display number.
pub fn ensure() -> Result<Display, String> {
    if !cfg!(target_os = "linux") || std::env::var_os("DISPLAY").is_some() {
        return Ok(Display { name: None, xvfb: None });
    }
    let n = (90..140)
        .find(|n| {
            !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .ok_or("no free X display number between :90 and :139")?;
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
