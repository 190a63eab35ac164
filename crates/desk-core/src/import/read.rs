//! Reading an import file into a table of text cells: CSV in UTF-8 (with or without BOM), UTF-16 with BOM or
//! Windows-1252, with `;`, `,` or tab found from the header line; Excel and OpenDocument sheets through calamine
//! (a formula's computed value, whole numbers without `.0`, dates as dates, not serials); SAF-T (PT) in `saft.rs`.

use super::ImportError;
use calamine::{open_workbook_auto, Data, Reader};
use chrono::{Duration, NaiveDate};
use desk_model::msg::Localized;
use std::path::Path;

/// One data row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Its line in the file (a spreadsheet's row number), for messages.
    pub line: u64,
    /// Its cells, as text.
    pub cells: Vec<String>,
}

/// A file read as a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// How it was read, for the preview: `csv (windows-1252, ';')`, `xlsx`, `saf-t`.
    pub format: String,
    /// The header row.
    pub headers: Vec<String>,
    /// The data rows; blank rows are left out.
    pub rows: Vec<Row>,
    /// Numbers in the cells are written with a decimal comma (a CSV made by Portuguese Excel).
    pub decimal_comma: bool,
    /// The file's columns are already this app's fields (SAF-T): no mapping to recognise.
    pub canonical: bool,
}

/// Reads the file by its kind: a spreadsheet by its extension, SAF-T by its XML (its customers, or its products
/// when `customers` is false), anything else as CSV.
pub fn read_file(path: &Path, customers: bool) -> Result<Table, ImportError> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods") {
        return read_sheet(path, &ext);
    }
    let bytes = std::fs::read(path).map_err(|e| ImportError::Io(path.display().to_string(), e.to_string()))?;
    let text = decode(&bytes);
    let head = text.1.trim_start().get(..400).unwrap_or(text.1.trim_start());
    if head.starts_with("<?xml") || head.contains("<AuditFile") {
        return super::saft::read(&text.1, customers);
    }
    read_csv(&text.1, text.0)
}

/// The text of a CSV file and the name of its encoding: a BOM decides; else UTF-8 if the bytes are valid
/// UTF-8; else Windows-1252 (what Excel writes on Portuguese Windows), which maps every byte.
pub fn decode(bytes: &[u8]) -> (&'static str, String) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let name = if enc == encoding_rs::UTF_8 { "utf-8 bom" } else { enc.name() };
        return (name, text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => ("utf-8", s.to_string()),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            ("windows-1252", text.into_owned())
        }
    }
}

/// The delimiter of the header line: the most frequent of `;`, `,` and tab outside quotes (`;` on a tie,
/// as Portuguese Excel writes).
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted && counts.iter().any(|n| *n > 0) => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], usize::from(*i == 0))).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Reads CSV text: quoted fields may hold the delimiter, quotes and line breaks; blank lines are skipped; a row
/// may have a wrong number of cells (the preview reports it).
pub fn read_csv(text: &str, encoding: &str) -> Result<Table, ImportError> {
    // Excel's "sep=;" first line names the delimiter
    let (text, forced) = match text.split_once('\n') {
        Some((first, rest)) if first.trim().to_ascii_lowercase().starts_with("sep=") => {
            (rest, first.trim().as_bytes().get(4).copied())
        }
        _ => (text, None),
    };
    let delimiter = forced.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_reader(text.as_bytes());
    let mut headers = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(ImportError::Unreadable(Localized::new(
                    format!("O ficheiro não se lê como CSV (linha {line}): guarde-o de novo como CSV."),
                    format!("The file does not read as CSV (line {line}): save it again as CSV."),
                )));
            }
        }
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if is_blank(&cells) {
            continue;
        }
        let line = record.position().map(|p| p.line() + 1).unwrap_or(0);
        if headers.is_none() {
            headers = Some(cells.iter().map(|h| h.trim().to_string()).collect::<Vec<_>>());
        } else {
            rows.push(Row { line, cells });
        }
    }
    let headers = headers.ok_or(ImportError::Empty)?;
    let shown = match delimiter {
        b'\t' => "tab".to_string(),
        d => format!("'{}'", d as char),
    };
    Ok(Table {
        format: format!("csv ({encoding}, {shown})"),
        headers,
        rows,
        decimal_comma: delimiter == b';',
        canonical: false,
    })
}

/// A sheet's cell as text: a whole number without `.0` (NIFs, postal codes typed as numbers), a date as
/// `2026-03-31`, a formula as the value it computed.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        Data::DateTime(dt) => serial_date(dt.as_f64()).map(|d| d.to_string()).unwrap_or_else(|| dt.to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// An Excel date serial as a date (1900 system; serials from 61 on, past Excel's phantom 29/02/1900).
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as i64;
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_signed(Duration::days(days))
}

fn read_sheet(path: &Path, ext: &str) -> Result<Table, ImportError> {
    let unreadable = |what: String| {
        ImportError::Unreadable(Localized::new(
            format!("A folha de cálculo não se lê ({what}): abra-a no Excel e guarde-a de novo."),
            format!("The spreadsheet cannot be read ({what}): open it in Excel and save it again."),
        ))
    };
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(e.to_string()))?;
    let range = book.worksheet_range_at(0).ok_or(ImportError::Empty)?.map_err(|e| unreadable(e.to_string()))?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut headers = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        if is_blank(&cells) {
            continue;
        }
        let line = u64::from(first_row) + i as u64 + 1;
        if headers.is_none() {
            headers = Some(cells.iter().map(|h| h.trim().to_string()).collect::<Vec<_>>());
        } else {
            rows.push(Row { line, cells });
        }
    }
    let mut headers = headers.ok_or(ImportError::Empty)?;
    // a sheet's range is as wide as its widest row: trailing empty headers are no columns
    while headers.last().is_some_and(|h| h.is_empty()) {
        headers.pop();
    }
    let width = headers.len();
    for r in &mut rows {
        while r.cells.len() > width && r.cells.last().is_some_and(|c| c.trim().is_empty()) {
            r.cells.pop();
        }
        r.cells.resize(r.cells.len().max(width), String::new());
    }
    Ok(Table { format: ext.to_string(), headers, rows, decimal_comma: false, canonical: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_line_decides_the_delimiter() {
        assert_eq!(sniff_delimiter("Nome;NIF;Morada\na,b;c;d"), b';');
        assert_eq!(sniff_delimiter("Name,NIF\n"), b',');
        assert_eq!(sniff_delimiter("Name\tNIF\tEmail"), b'\t');
        assert_eq!(sniff_delimiter("\"Nome; e apelido\",NIF"), b',');
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(serial_date(45352.0), NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(serial_date(-3.0), None);
    }

    #[test]
    fn windows_1252_and_boms_decode() {
        assert_eq!(decode(b"Jo\xe3o"), ("windows-1252", "João".to_string()));
        assert_eq!(decode("\u{feff}João".as_bytes()), ("utf-8 bom", "João".to_string()));
        assert_eq!(decode("João".as_bytes()), ("utf-8", "João".to_string()));
    }
}
