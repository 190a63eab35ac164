//! House rules that a compiler does not check, over every Rust file of the repository: each module says what
//! it is for in a `//!` line, no test is switched off with an ignore attribute, and desk-model (money and tax)
//! has no floating point. `cargo xtask test` runs it with fmt and clippy, so CI fails on any of them.

use std::path::{Path, PathBuf};

/// The repository's root (this crate sits in `tests/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Every `.rs` file under `dir`, skipping build output and VCS folders.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | ".git" | "dist" | "node_modules") && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The repository's own sources: the shell, the crates, the UI, the tests and xtask.
fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["src-tauri", "crates", "ui", "tests", "xtask"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(
        files.len() > 50,
        "expected the repository's sources, found {} files under {}",
        files.len(),
        root().display()
    );
    files
}

/// A module must open with `//!` lines saying what it is for.
fn has_module_doc(text: &str) -> bool {
    text.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_start().starts_with("//!"))
}

/// Lines that switch a test off with an ignore attribute (bare, with a reason, or inside `cfg_attr`).
fn ignore_attributes(text: &str) -> Vec<usize> {
    let attribute = concat!("#[", "ignore");
    let in_cfg_attr = concat!(", ", "ignore)");
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
            l.contains(attribute) || l.contains(&in_cfg_attr.replace(' ', ""))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Lines that name a floating-point type as a word (`f64`, `as f32`), outside comments.
fn float_lines(text: &str) -> Vec<usize> {
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            let code = line.split("//").next().unwrap_or_default();
            ["f32", "f64"].iter().any(|ty| {
                code.match_indices(ty).any(|(at, _)| {
                    let before = code[..at].chars().next_back();
                    let after = code[at + ty.len()..].chars().next();
                    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
                })
            })
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

#[test]
fn every_module_says_what_it_is_for() {
    let missing: Vec<String> = sources().iter().filter(|p| !has_module_doc(&read(p))).map(|p| shown(p)).collect();
    assert!(missing.is_empty(), "these modules do not open with a `//!` line saying what they are for: {missing:?}");
}

#[test]
fn no_test_is_switched_off() {
    let found: Vec<String> = sources()
        .iter()
        .flat_map(|p| ignore_attributes(&read(p)).into_iter().map(move |l| format!("{}:{l}", shown(p))))
        .collect();
    assert!(found.is_empty(), "tests switched off with an ignore attribute (fix or delete them instead): {found:?}");
}

#[test]
fn desk_model_has_no_floating_point() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/desk-model"), &mut files);
    assert!(!files.is_empty(), "desk-model's sources not found");
    let found: Vec<String> = files
        .iter()
        .flat_map(|p| float_lines(&read(p)).into_iter().map(move |l| format!("{}:{l}", shown(p))))
        .collect();
    assert!(found.is_empty(), "floating point in desk-model (money is rust_decimal): {found:?}");
}

#[test]
fn the_checks_catch_what_they_are_for() {
    assert!(has_module_doc("\n//! What this is for.\nfn x() {}"));
    assert!(!has_module_doc("use std::fmt;\n//! late"));
    assert!(!has_module_doc("/// an item doc, not a module doc\nfn x() {}"));
    let switched_off = format!("{}]\nfn t() {{}}\n{} = \"slow\"]\n", concat!("#[", "ignore"), concat!("# [", "ignore"));
    assert_eq!(ignore_attributes(&switched_off), vec![1, 3]);
    assert_eq!(ignore_attributes(&format!("#[cfg_attr(ci{}\n", concat!(", ", "ignore)]"))), vec![1]);
    assert!(ignore_attributes("let ignored = true; // ignore case").is_empty());
    assert_eq!(float_lines("let x: f64 = 1.0;\nlet y = 2 as f32;\nlet f640 = 1; // f64 in a comment"), vec![1, 2]);
    assert!(float_lines("let buf64 = 0; let f64x = 1;").is_empty());
}
