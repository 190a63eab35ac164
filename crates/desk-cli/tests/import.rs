//! `desk import`, `desk review`, `desk export` and `desk report` against a real data folder (issue 17), and an
//! import killed in the middle of its commit or cancelled with Ctrl+C: the data is as before, and the next import
//! works.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn desk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk")).args(args).env("DESK_DATA_DIR", dir).output().expect("run desk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A data folder with one customer and a 100,000-row import of customers started in it, read until its progress
/// says `until`: the running child, what it printed so far, and the rest of its error stream.
fn import_running_until(
    dir: &Path,
    until: &str,
) -> (std::process::Child, Vec<String>, std::io::Lines<BufReader<std::process::ChildStderr>>) {
    let add = desk(dir, &["customers", "add", "--name", "Já cá estava", "--nif", "501234560"]);
    assert!(add.status.success(), "{}", stderr(&add));
    let csv = dir.join("big.csv");
    big_csv(&csv, 100_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(["import", "customers", &csv.display().to_string()])
        .env("DESK_DATA_DIR", dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        seen.push(line.clone());
        if line.starts_with(until) {
            break;
        }
    }
    (child, seen, lines)
}

/// A CSV of `n` valid customers.
fn big_csv(path: &Path, n: usize) {
    let mut s = String::from("Nome;Contribuinte;Email\n");
    for i in 0..n {
        let base = format!("2{:07}", i);
        let sum: u32 = base.chars().zip((2..=9).rev()).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
        let check = match 11 - sum % 11 {
            10 | 11 => 0,
            c => c,
        };
        s.push_str(&format!("Cliente {i};{base}{check};c{i}@exemplo.pt\n"));
    }
    std::fs::write(path, s).expect("write");
}

fn customers_in(dir: &Path) -> usize {
    let o = desk(dir, &["--json", "customers", "list", "--limit", "200000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&o)).expect("json").len()
}

#[test]
fn dry_run_prints_the_summary_and_changes_nothing_then_the_import_and_the_review_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("clientes.csv");
    std::fs::write(
        &csv,
        b"Nome;NIF;Localidade\r\nPadaria Ribeiro;501234560;Lisboa\r\nSem NIF certo;123;Porto\r\n\r\nJo\xe3o;216859506;Faro\r\n",
    )
    .expect("write");
    let csv = csv.display().to_string();
    let dry = desk(dir.path(), &["import", "customers", &csv, "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let text = stdout(&dry);
    assert!(text.contains("(csv (windows-1252, ';'))"), "{text}");
    assert!(text.contains("new:        2"), "{text}");
    assert!(text.contains("line 3: nif:"), "{text}");
    assert_eq!(customers_in(dir.path()), 0, "a dry run stores nothing");

    let refused = desk(dir.path(), &["import", "customers", &csv]);
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused).lines().next(),
        Some("error: 1 rows have problems and nothing was imported. Fix the file or import without those rows.")
    );
    assert_eq!(customers_in(dir.path()), 0);

    let ok = desk(dir.path(), &["--json", "import", "customers", &csv, "--skip-invalid"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let o: serde_json::Value = serde_json::from_str(&stdout(&ok)).expect("json");
    assert_eq!((o["added"].as_u64(), o["skipped"].as_u64()), (Some(2), Some(1)));

    let changed = dir.path().join("changed.csv");
    std::fs::write(&changed, "Nome;NIF;Localidade\nPadaria Ribeiro;501234560;Porto\n").expect("write");
    let imported = desk(dir.path(), &["import", "customers", &changed.display().to_string()]);
    assert!(stdout(&imported).contains("to review 1"), "{}", stdout(&imported));
    let list = desk(dir.path(), &["--json", "review", "list"]);
    let items: Vec<serde_json::Value> = serde_json::from_str(&stdout(&list)).expect("json");
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["current"].as_str(), items[0]["incoming"].as_str()), (Some("Lisboa"), Some("Porto")));
    let id = items[0]["id"].to_string();
    let take = desk(dir.path(), &["review", "resolve", &id, "--take"]);
    assert!(take.status.success(), "{}", stderr(&take));
    let show = desk(dir.path(), &["--json", "customers", "show", "501234560"]);
    let c: serde_json::Value = serde_json::from_str(&stdout(&show)).expect("json");
    assert_eq!(c["city"], "Porto");
}

#[test]
fn exports_and_reports_write_their_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gen = desk(dir.path(), &["sample-data", "--customers", "30", "--documents", "200", "--products", "20"]);
    assert!(gen.status.success(), "{}", stderr(&gen));
    for (args, file) in [
        (vec!["export", "customers"], "c.csv"),
        (vec!["export", "products"], "p.xlsx"),
        (vec!["export", "documents", "--filter", "type=FT"], "d.csv"),
        (vec!["report", "sales", "--from", "2000-01-01", "--to", "2100-12-31"], "s.xlsx"),
        (vec!["report", "vat", "--from", "2000-01-01", "--to", "2100-12-31", "--lang", "en"], "v.csv"),
        (vec!["report", "aged"], "a.csv"),
        (vec!["report", "vat", "--from", "2000-01-01", "--to", "2100-12-31"], "v.pdf"),
    ] {
        let path = dir.path().join(file).display().to_string();
        let mut all = args.clone();
        all.extend(["-o", path.as_str()]);
        let o = desk(dir.path(), &all);
        assert!(o.status.success(), "{all:?}: {}", stderr(&o));
        assert!(std::fs::metadata(&path).map(|m| m.len() > 50).unwrap_or(false), "{path}");
    }
    assert!(std::fs::read(dir.path().join("v.pdf")).expect("pdf").starts_with(b"%PDF-"));
    let vat = std::fs::read_to_string(dir.path().join("v.csv")).expect("vat");
    assert!(vat.starts_with("Zone,Code,Rate %,Exemption,Taxable base,VAT"), "{vat}");
    let json = desk(dir.path(), &["--json", "report", "vat", "--from", "2000-01-01", "--to", "2100-12-31"]);
    let r: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("json");
    assert!(r["documents"].as_u64().unwrap_or(0) > 0, "{r}");
    let bad = desk(dir.path(), &["report", "sales", "--from", "2026-02-31"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).starts_with("error: "), "{}", stderr(&bad));
}

#[test]
fn killing_the_import_in_the_middle_of_its_commit_leaves_the_data_as_before() {
    let dir = tempfile::tempdir().expect("tempdir");
    // the first chunk is written inside the open transaction: kill it there
    let (mut child, seen, _lines) = import_running_until(dir.path(), "writing 4000/");
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(seen.iter().any(|l| l.starts_with("writing 2000/100000")), "{seen:?}");
    assert_eq!(customers_in(dir.path()), 1, "nothing of the killed import is there");
    // and the data folder works: the same import runs to the end
    let csv = dir.path().join("big.csv");
    let again = desk(dir.path(), &["import", "customers", &csv.display().to_string()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(customers_in(dir.path()), 100_001);
}

#[test]
fn ctrl_c_cancels_the_import_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut child, mut seen, lines) = import_running_until(dir.path(), "writing 2000/");
    // the key a person presses: SIGINT, as the terminal sends it
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill -INT");
    assert!(sent.success());
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().expect("wait");
    assert!(!status.success(), "a cancelled import is not a success: {seen:?}");
    assert!(seen.iter().any(|l| l.contains("cancelled: nothing was changed")), "{seen:?}");
    assert!(!seen.iter().any(|l| l.starts_with("writing 100000/")), "it stopped before the end: {seen:?}");
    assert_eq!(customers_in(dir.path()), 1, "nothing of the cancelled import is there");
}
