//! Shared by the PDF tests: reading PDFs back with poppler (`pdftotext`, `pdftoppm`) and zbar (`zbarimg`),
//! failing with one clear line when those tools are missing.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

const INSTALL: &str = "apt-get install poppler-utils zbar-tools";

/// Runs a tool and returns its stdout; panics with the install hint if the tool is missing.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = match Command::new(tool).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("{tool} is missing: {INSTALL} (or run `cargo xtask test`, which installs them)")
        }
        Err(e) => panic!("could not run {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temporary folder for the test's files.
pub fn workdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// Writes `bytes` as `name` in `dir`.
pub fn save(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the PDF");
    path
}

/// The text of each page (`pdftotext -raw`), split at form feeds.
pub fn pages_text(pdf: &Path) -> Vec<String> {
    // `-raw` keeps content-stream order and every space (the default modes drop narrow ones: "6 %" → "6%").
    let text = run("pdftotext", &["-raw", pdf.to_str().expect("utf-8 path"), "-"]);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// All the text of the document.
pub fn text(pdf: &Path) -> String {
    pages_text(pdf).join("\n")
}

/// Collapses runs of blanks to one space, so assertions don't depend on column padding.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders `page` (1-based) at `dpi` to a PNG in `dir`; returns its path.
pub fn png(pdf: &Path, page: usize, dpi: u32, dir: &Path, stem: &str) -> PathBuf {
    let p = page.to_string();
    let r = dpi.to_string();
    let out = dir.join(stem);
    let out_s = out.to_str().expect("utf-8 path");
    run("pdftoppm", &["-png", "-r", &r, "-f", &p, "-l", &p, "-singlefile", pdf.to_str().expect("utf-8 path"), out_s]);
    out.with_extension("png")
}

/// The QR codes zbarimg finds in an image, one payload per entry.
pub fn qr_codes(png: &Path) -> Vec<String> {
    let out = Command::new("zbarimg").args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"]).arg(png).output();
    let out = match out {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("zbarimg is missing: {INSTALL} (or run `cargo xtask test`, which installs them)")
        }
        Err(e) => panic!("could not run zbarimg: {e}"),
    };
    // zbarimg exits 4 when it finds no code: that is an empty answer, not a failure.
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}
