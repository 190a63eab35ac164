//! PDF speed (PRODUCT.md §7): a one-page invoice (goal ≤ 5 ms), 1,000 invoices to a folder (goal ≤ 5 s), and,
//! in the same run, headless Chromium printing the same invoice from an equivalent HTML page (goal: printpdf
//! ≥ 20× faster). Without chromium the comparison is skipped with a note. `cargo bench -p desk-core --bench pdf`.

use criterion::Criterion;
use desk_core::pdf::{self, specimen, BatchTarget, RenderOptions};
use desk_model::msg::Lang;
use desk_model::print::PrintDocument;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let one = specimen::issued(6, Lang::Pt, None).unwrap_or_else(|e| panic!("specimen: {e}"));
    let options = RenderOptions::default();
    let thousand: Vec<PrintDocument> = (0..1000).map(|_| one.clone()).collect();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary folder: {e}"));

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("pdf/one-page invoice", |b| b.iter(|| pdf::render(black_box(&one), &options)));
    let mut group = c.benchmark_group("pdf/batch");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    let folder = BatchTarget::Folder(dir.path().join("lote"));
    group.bench_function("1000 invoices to a folder", |b| {
        b.iter(|| pdf::render_many(&thousand, &options, &folder, |_, _| ControlFlow::Continue(())))
    });
    group.finish();
    c.final_summary();

    side_by_side(&one, &thousand, &options, dir.path());
}

/// Our own timings, then Chromium's, printed as one table with the ratio.
fn side_by_side(one: &PrintDocument, thousand: &[PrintDocument], options: &RenderOptions, dir: &Path) {
    let runs = 200;
    let started = Instant::now();
    let cpu_start = cpu_ns();
    let mut bytes = 0;
    for _ in 0..runs {
        bytes = pdf::render(black_box(one), options).map(|r| r.bytes.len()).unwrap_or(0);
    }
    let ours = started.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    let ours_cpu = cpu_ns().zip(cpu_start).map(|(b, a)| (b - a) as f64 / 1e6 / f64::from(runs));

    let started = Instant::now();
    let merged = dir.join("lote.pdf");
    let report =
        pdf::render_many(thousand, options, &BatchTarget::Merged(merged.clone()), |_, _| ControlFlow::Continue(()));
    let merged_s = started.elapsed().as_secs_f64();
    let merged_size = std::fs::metadata(&merged).map(|m| m.len()).unwrap_or(0);
    let started = Instant::now();
    let cpu_start = cpu_ns();
    let _ =
        pdf::render_many(thousand, options, &BatchTarget::Folder(dir.join("lote2")), |_, _| ControlFlow::Continue(()));
    let folder_s = started.elapsed().as_secs_f64();
    let folder_cpu = cpu_ns().zip(cpu_start).map(|(b, a)| (b - a) as f64 / 1e9);
    let multi = specimen::issued(200, Lang::Pt, None).ok().and_then(|d| pdf::render(&d, options).ok());

    println!("\n== PDF, side by side ==");
    println!("printpdf, one-page invoice:       {ours:8.2} ms   ({bytes} bytes)");
    if let Some(cpu) = ours_cpu {
        println!("  of which on the CPU:             {cpu:8.2} ms   (the rest is waiting for a busy machine)");
    }
    if let Some(m) = multi {
        println!("printpdf, 200-line invoice:       {:>8} pages ({} bytes)", m.pages, m.bytes.len());
    }
    println!("printpdf, 1000 invoices, folder:  {folder_s:8.2} s");
    if let Some(cpu) = folder_cpu {
        println!("  of which on the CPU:             {cpu:8.2} s");
    }
    println!(
        "printpdf, 1000 invoices, merged:  {merged_s:8.2} s    ({} pages, {merged_size} bytes)",
        report.map(|r| r.pages).unwrap_or(0)
    );
    match chromium_ms(one, dir) {
        Some(chrome) => {
            println!("headless Chromium, same invoice:  {chrome:8.2} ms   (median of 5, fresh profile each)");
            println!("ratio: printpdf is {:.0}× faster (goal ≥ 20×)", chrome / ours);
        }
        None => println!("chromium not found: comparison skipped (apt-get install chromium)"),
    }
}

/// Nanoseconds this thread has run on a CPU (Linux), to tell our cost from a loaded machine's queueing.
fn cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

/// Median time for headless Chromium to print the invoice's HTML to PDF, or `None` without chromium.
fn chromium_ms(doc: &PrintDocument, dir: &Path) -> Option<f64> {
    let html = dir.join("fatura.html");
    std::fs::write(&html, invoice_html(doc)).ok()?;
    let mut times = Vec::new();
    for run in 0..5 {
        let profile = dir.join(format!("chromium-profile-{run}"));
        let out = dir.join(format!("chromium-{run}.pdf"));
        let started = Instant::now();
        let status = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", out.display()))
            .arg(format!("file://{}", html.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !status.success() || !out.exists() {
            return None;
        }
        times.push(elapsed);
    }
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A plain HTML page with the same content as the PDF, for Chromium to print.
fn invoice_html(d: &PrintDocument) -> String {
    let l = &d.labels;
    let mut h = String::from(
        "<!doctype html><html lang=pt><meta charset=utf-8><style>@page{size:A4;margin:15mm}\
         body{font:9pt 'DejaVu Sans',sans-serif}table{width:100%;border-collapse:collapse}\
         th{background:#e8edf4;text-align:left}td.n,th.n{text-align:right}td{border-bottom:1px solid #ccd}\
         .t{font-size:18pt;color:#173d6b;text-align:right}</style><body>",
    );
    h += &format!(
        "<div class=t>{}<br><b>{}</b></div><p><b>{}</b><br>{}<br>{}<br>{}</p>",
        esc(&d.title),
        esc(&d.number),
        esc(&d.issuer.name),
        esc(&d.issuer.tax_line),
        esc(&d.issuer.address_lines.join(", ")),
        esc(&d.issuer.legal_lines.join(" · "))
    );
    h += &format!(
        "<p>{}: <b>{}</b><br>{}<br>{}</p><p>{} {} · {} {}</p>",
        esc(&l.customer),
        esc(&d.customer.name),
        esc(&d.customer.tax_line),
        esc(&d.customer.address_lines.join(", ")),
        esc(&l.date),
        esc(&d.date),
        esc(&l.due_date),
        esc(d.due_date.as_deref().unwrap_or(""))
    );
    h += &format!(
        "<table><tr><th>{}</th><th class=n>{}</th><th class=n>{}</th><th class=n>{}</th><th class=n>{}</th>\
         <th class=n>{}</th></tr>",
        esc(&l.description),
        esc(&l.quantity),
        esc(&l.unit_price),
        esc(&l.discount),
        esc(&l.tax),
        esc(&l.amount)
    );
    for r in &d.lines {
        h += &format!(
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>\
             <td class=n>{}</td></tr>",
            esc(&r.description),
            r.quantity,
            r.unit_price,
            r.discount,
            esc(&r.tax),
            r.amount
        );
    }
    h += &format!("</table><h3>{}</h3><table>", esc(&l.vat_summary));
    for r in &d.vat_summary {
        h += &format!(
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td></tr>",
            esc(&r.rate),
            esc(&r.base),
            esc(&r.vat),
            esc(r.exemption.as_deref().unwrap_or(""))
        );
    }
    h += "</table><table>";
    for t in &d.totals {
        h += &format!("<tr><td>{}</td><td class=n>{}</td></tr>", esc(&t.label), esc(&t.amount));
    }
    h += &format!("</table><p>{}</p>", d.payment.iter().map(|p| esc(p)).collect::<Vec<_>>().join("<br>"));
    if let Some(f) = &d.fiscal {
        h += &format!("<p><b>{}</b><br>{}<br>{}</p>", esc(&f.atcud), qr_svg(&f.qr_payload), esc(&f.phrase));
    }
    h += "</body></html>";
    h
}

/// The QR code as inline SVG squares, so the HTML page carries the same drawing as the PDF.
fn qr_svg(payload: &str) -> String {
    let Ok(code) = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M) else {
        return String::new();
    };
    let n = code.width();
    let mut svg = format!("<svg width=\"31mm\" height=\"31mm\" viewBox=\"0 0 {n} {n}\">");
    for (i, c) in code.to_colors().into_iter().enumerate() {
        if c == qrcode::Color::Dark {
            svg += &format!("<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\"/>", i % n, i / n);
        }
    }
    svg + "</svg>"
}
