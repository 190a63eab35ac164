//! Many documents at once: one PDF per document in a folder (safe, unique file names, each written whole
//! or not at all; rendered on every core), or all of them merged into one PDF, with a progress callback that can
//! cancel.

use super::error::{PdfError, RenderWarning};
use super::logo::Decoded;
use super::session::Session;
use super::CopyMark;
use super::{load_logo, RenderOptions};
use desk_model::msg::Localized;
use desk_model::print::PrintDocument;
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Where a batch goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchTarget {
    /// One file per document in this folder (created if missing), named after the document number.
    Folder(PathBuf),
    /// One PDF with every document, one after the other.
    Merged(PathBuf),
}

/// A warning of a batch, with the document it concerns (`None`: all of them, such as the logo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchWarning {
    /// The document's number as printed.
    pub document: Option<String>,
    /// What happened.
    pub warning: RenderWarning,
}

impl BatchWarning {
    /// The message for the user, prefixed with the document's number when it concerns one document.
    pub fn message(&self) -> Localized {
        let m = &self.warning.message;
        match &self.document {
            Some(d) => Localized::new(format!("{d}: {}", m.pt), format!("{d}: {}", m.en)),
            None => m.clone(),
        }
    }
}

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct BatchReport {
    /// The files written.
    pub files: Vec<PathBuf>,
    /// Documents rendered.
    pub documents: usize,
    /// Pages rendered.
    pub pages: usize,
    /// The progress callback stopped the batch. A merged file is then not written at all.
    pub cancelled: bool,
    /// What was left out or changed, per document.
    pub warnings: Vec<BatchWarning>,
}

/// Renders `docs` to `target`, calling `progress(done, total)` after each document; returning
/// `ControlFlow::Break` from it stops the batch (files already written stay).
pub fn render_many<F>(
    docs: &[PrintDocument],
    options: &RenderOptions,
    target: &BatchTarget,
    mut progress: F,
) -> Result<BatchReport, PdfError>
where
    F: FnMut(usize, usize) -> ControlFlow<()>,
{
    let (logo, logo_warnings) = load_logo(options);
    let mut report = BatchReport {
        warnings: logo_warnings.into_iter().map(|warning| BatchWarning { document: None, warning }).collect(),
        ..BatchReport::default()
    };
    let total = docs.len();
    match target {
        BatchTarget::Folder(dir) => {
            std::fs::create_dir_all(dir).map_err(|source| PdfError::Write { path: dir.clone(), source })?;
            let mut taken = HashSet::new();
            let paths: Vec<PathBuf> =
                docs.iter().map(|d| dir.join(unique(safe_file_name(&d.number), &mut taken))).collect();
            to_folder(docs, &paths, logo.as_ref(), options.copy, &mut report, &mut progress)?;
        }
        BatchTarget::Merged(path) => {
            let mut session = Session::new(&merged_title(docs), logo.as_ref())?;
            for doc in docs {
                let (pages, warnings) = session.add(doc, options.copy)?;
                record(&mut report, doc, pages, warnings);
                if progress(report.documents, total).is_break() {
                    report.cancelled = true;
                    return Ok(report);
                }
            }
            debug_assert_eq!(session.page_count(), report.pages);
            write_whole(path, &session.finish()?)?;
            report.files.push(path.clone());
        }
    }
    Ok(report)
}

/// One PDF per document. Documents are rendered on every core (the CPU-bound part), while this thread writes
/// each finished file, reports progress and honours cancel, so nothing is written after the user cancels.
fn to_folder<F>(
    docs: &[PrintDocument],
    paths: &[PathBuf],
    logo: Option<&Decoded>,
    copy: CopyMark,
    report: &mut BatchReport,
    progress: &mut F,
) -> Result<(), PdfError>
where
    F: FnMut(usize, usize) -> ControlFlow<()>,
{
    type Rendered = (usize, Result<(Vec<u8>, usize, Vec<RenderWarning>), PdfError>);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, docs.len().max(1));
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Rendered>(workers * 2);
        for _ in 0..workers {
            let (tx, next, stop) = (tx.clone(), &next, &stop);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(doc) = docs.get(i) else { break };
                    let rendered = Session::new(&doc.number, logo).and_then(|mut session| {
                        let (pages, warnings) = session.add(doc, copy)?;
                        Ok((session.finish()?, pages, warnings))
                    });
                    if tx.send((i, rendered)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut outcome = Ok(());
        // Files finish in any order; the report lists them, and their warnings, in the documents' order.
        let mut finished: Vec<(usize, usize, Vec<RenderWarning>)> = Vec::new();
        for (i, rendered) in rx.iter() {
            let written = rendered.and_then(|(bytes, pages, warnings)| {
                write_whole(&paths[i], &bytes)?;
                Ok((pages, warnings))
            });
            match written {
                Ok((pages, warnings)) => {
                    finished.push((i, pages, warnings));
                    if progress(finished.len(), docs.len()).is_break() {
                        report.cancelled = true;
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                }
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    outcome = Err(e);
                    break;
                }
            }
        }
        // Dropping the receiver ends the workers' loops; the scope waits for them.
        drop(rx);
        finished.sort_by_key(|(i, _, _)| *i);
        for (i, pages, warnings) in finished {
            record(report, &docs[i], pages, warnings);
            report.files.push(paths[i].clone());
        }
        outcome
    })
}

fn record(report: &mut BatchReport, doc: &PrintDocument, pages: usize, warnings: Vec<RenderWarning>) {
    report.documents += 1;
    report.pages += pages;
    report
        .warnings
        .extend(warnings.into_iter().map(|warning| BatchWarning { document: Some(doc.number.clone()), warning }));
}

fn merged_title(docs: &[PrintDocument]) -> String {
    match (docs.first(), docs.last()) {
        (Some(a), Some(b)) if docs.len() > 1 => format!("{} … {}", a.number, b.number),
        (Some(a), _) => a.number.clone(),
        _ => String::new(),
    }
}

/// Writes to a temporary file beside `path`, then renames it, so a crash never leaves half a PDF.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), PdfError> {
    let part = path.with_extension("pdf.part");
    let err = |source| PdfError::Write { path: path.to_path_buf(), source };
    std::fs::write(&part, bytes).map_err(err)?;
    std::fs::rename(&part, path).map_err(|source| {
        let _ = std::fs::remove_file(&part);
        PdfError::Write { path: path.to_path_buf(), source }
    })
}

/// A file name for a document number that is valid on Windows, macOS and Linux: `FT 2026A/17` →
/// `FT_2026A-17.pdf`.
pub fn safe_file_name(number: &str) -> String {
    let mut name = String::with_capacity(number.len());
    for c in number.trim().chars() {
        let mapped = match c {
            '/' | '\\' | ':' | '|' => '-',
            c if c.is_alphanumeric() || c == '-' || c == '.' => c,
            _ => '_',
        };
        let repeat = matches!(mapped, '_' | '-') && name.ends_with(mapped);
        if !repeat && name.chars().count() < 100 {
            name.push(mapped);
        }
    }
    let name = name.trim_matches(|c| c == '.' || c == '_' || c == '-');
    let name = if name.is_empty() { "documento" } else { name };
    // Windows reserves these device names whatever the extension.
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1",
        "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        format!("_{name}.pdf")
    } else {
        format!("{name}.pdf")
    }
}

/// `name`, or `name (2).pdf`, `name (3).pdf`… when a file of the batch already has it (case-insensitively).
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.to_lowercase()) {
        return name;
    }
    let stem = name.trim_end_matches(".pdf");
    (2..).map(|n| format!("{stem} ({n}).pdf")).find(|candidate| taken.insert(candidate.to_lowercase())).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        assert_eq!(safe_file_name("FT 2026A/17"), "FT_2026A-17.pdf");
        assert_eq!(safe_file_name("Rascunho 0192ab"), "Rascunho_0192ab.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "etc-passwd.pdf");
        assert_eq!(safe_file_name("con"), "_con.pdf");
        assert_eq!(safe_file_name("  "), "documento.pdf");
        assert_eq!(safe_file_name("A*B?<C>\"D"), "A_B_C_D.pdf");
        let mut taken = HashSet::new();
        assert_eq!(unique("a.pdf".into(), &mut taken), "a.pdf");
        assert_eq!(unique("A.pdf".into(), &mut taken), "A (2).pdf");
        assert_eq!(unique("a.pdf".into(), &mut taken), "a (3).pdf");
    }
}
