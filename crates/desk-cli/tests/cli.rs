//! `desk customers …` against a real data folder: the commands of the foundation issue, and bad input that
//! exits non-zero with a clear message and stores nothing.

use std::process::{Command, Output};

fn desk(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_desk")).args(args).env("DESK_DATA_DIR", dir).output().expect("run desk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn add_then_list_and_show_in_the_same_data_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = desk(dir.path(), &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"]);
    assert!(add.status.success(), "{}", stderr(&add));
    let list = desk(dir.path(), &["customers", "list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(stdout(&list).contains("501234560\tPadaria Ribeiro"), "{}", stdout(&list));

    let show = desk(dir.path(), &["--json", "customers", "show", "501234560"]);
    assert!(show.status.success(), "{}", stderr(&show));
    let json: serde_json::Value = serde_json::from_str(&stdout(&show)).expect("json");
    assert_eq!(json["name"], "Padaria Ribeiro");

    let search = desk(dir.path(), &["customers", "list", "--search", "padaria rib"]);
    assert_eq!(stdout(&search).lines().count(), 1);
}

#[test]
fn bad_input_exits_non_zero_with_a_clear_message_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "x".repeat(2000);
    let cases: [(&[&str], &str); 5] = [
        (&["--name", "Padaria", "--nif", "501234561"], "check digit"),
        (&["--name", "", "--nif", "501234560"], "Fill in «Name»"),
        (&["--name", &long], "maximum is 100"),
        (&["--name", "Padaria 🥖"], "emoji"),
        (&["--name", "X'; DROP TABLE customers;--", "--nif", "12345678"], "9 digits"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["customers", "add"];
        all.extend_from_slice(args);
        let out = desk(dir.path(), &all);
        assert!(!out.status.success(), "{args:?} must fail");
        assert!(stderr(&out).contains(expected), "{args:?}: {}", stderr(&out));
    }
    let list = desk(dir.path(), &["customers", "list"]);
    assert!(list.status.success());
    assert_eq!(stdout(&list), "", "nothing was stored");
}

#[test]
fn a_duplicate_nif_is_refused_with_the_name_of_the_customer_who_has_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert!(desk(dir.path(), &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"])
        .status
        .success());
    let dup = desk(dir.path(), &["customers", "add", "--name", "Outra", "--nif", "501234560"]);
    assert!(!dup.status.success());
    assert!(stderr(&dup).contains("already belongs to customer «Padaria Ribeiro»"), "{}", stderr(&dup));
}

/// `desk documents add --withholding 23` (issue 13, CIRS art. 101): 1,000.00 at 23 % VAT is 1,230.00; 23 %
/// withheld on 1,000.00 is 230.00; the customer pays 1,000.00. A bad rate exits non-zero and stores nothing.
#[test]
fn a_draft_with_withholding_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = desk(dir.path(), &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"]);
    assert!(add.status.success(), "{}", stderr(&add));
    let doc = desk(
        dir.path(),
        &[
            "--json",
            "documents",
            "add",
            "--customer",
            "501234560",
            "--withholding",
            "23",
            "--line",
            "Honorários;1;1000;NOR",
        ],
    );
    assert!(doc.status.success(), "{}", stderr(&doc));
    let json: serde_json::Value = serde_json::from_str(&stdout(&doc)).expect("json");
    assert_eq!((json["total"].as_str(), json["withholding"].as_str()), (Some("1230.00"), Some("230.00")), "{json}");
    assert_eq!(json["withholding_rate"], "23");
    let text = desk(dir.path(), &["documents", "show", json["id"].as_str().unwrap_or_default()]);
    assert!(stdout(&text).contains("withholding (23%) €230.00   amount payable €1,000.00"), "{}", stdout(&text));
    let bad = desk(
        dir.path(),
        &["documents", "add", "--customer", "501234560", "--withholding", "100", "--line", "X;1;1;NOR"],
    );
    assert!(!bad.status.success() && stderr(&bad).contains("withholding rate"), "{}", stderr(&bad));
    let list = desk(dir.path(), &["documents", "list"]);
    assert_eq!(stdout(&list).lines().count(), 1, "{}", stdout(&list));
}

/// `desk outbox --json` lists the pending ops in order, as a server receives them: every edit has one, with its
/// desktop, group and company; a draft's header and lines share a group.
#[test]
fn outbox_lists_each_edit_as_an_op_a_server_can_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = desk(dir.path(), &["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"]);
    assert!(add.status.success(), "{}", stderr(&add));
    let doc = desk(
        dir.path(),
        &["documents", "add", "--customer", "501234560", "--line", "Pão;3;1,20;NOR", "--line", "Bolo;1;4;RED"],
    );
    assert!(doc.status.success(), "{}", stderr(&doc));
    let out = desk(dir.path(), &["--json", "outbox"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ops: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).expect("json");
    let entities: Vec<&str> = ops.iter().filter_map(|o| o["entity"].as_str()).collect();
    assert_eq!(entities, ["companies", "customers", "documents", "document_lines", "document_lines"]);
    let seqs: Vec<i64> = ops.iter().filter_map(|o| o["seq"].as_i64()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    assert!(ops.iter().all(|o| o["desktop_id"] == ops[0]["desktop_id"] && o["kind"] == "insert"));
    assert_eq!(ops[2]["group_id"], ops[3]["group_id"], "a draft's header and lines are one group");
    assert_ne!(ops[1]["group_id"], ops[2]["group_id"]);
    assert_eq!(ops[1]["new"]["nif"], "501234560");
    assert!(ops[2]["new"].get("total").is_none(), "totals are derived: never sent");
    let text = desk(dir.path(), &["outbox"]);
    assert!(stdout(&text).contains("5 pending op(s)"), "{}", stdout(&text));
}

/// As a new user tries it: sample data on a fresh folder goes into a demo company with an issuer block, every
/// document then prints, and nothing of the demo company waits to sync.
#[test]
fn sample_data_goes_into_a_demo_company_that_prints_and_never_syncs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gen = desk(dir.path(), &["sample-data", "--customers", "30", "--documents", "60", "--products", "10"]);
    assert!(gen.status.success(), "{}", stderr(&gen));
    let info = desk(dir.path(), &["--json", "info"]);
    let info: serde_json::Value = serde_json::from_str(&stdout(&info)).expect("json");
    assert_eq!(info["company"]["nif"], "509442013", "the demo company is on screen");
    let out = dir.path().join("pdf");
    let pdf = desk(dir.path(), &["pdf", "--all", "-o", out.to_str().expect("path")]);
    assert!(pdf.status.success(), "{}", stderr(&pdf));
    assert_eq!(std::fs::read_dir(&out).expect("folder").count(), 60, "{}", stdout(&pdf));
    let ops = desk(dir.path(), &["--json", "outbox"]);
    let ops: Vec<serde_json::Value> = serde_json::from_str(&stdout(&ops)).expect("json");
    let demo = info["company"]["id"].clone();
    assert!(ops.iter().all(|o| o["company_id"] != demo), "no op of the demo company: {ops:?}");
}

#[test]
fn a_customer_that_withholds_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let add = desk(
        dir.path(),
        &[
            "--json",
            "customers",
            "add",
            "--name",
            "Tejo Consultores, Lda.",
            "--nif",
            "501964843",
            "--withholding",
            "11.5",
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    let json: serde_json::Value = serde_json::from_str(&stdout(&add)).expect("json");
    assert_eq!(json["withholding_rate"], "11.5");
    // Nobody withholds without a NIF: refused, with the field's message, nothing stored.
    let bad = desk(dir.path(), &["customers", "add", "--name", "Ana", "--withholding", "23"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("withhold"), "{}", stderr(&bad));
    assert_eq!(stdout(&desk(dir.path(), &["customers", "list"])).lines().count(), 1);
    // A document for this customer starts with its rate, as in the editor: 11,5 % of 200,00 is 23,00.
    let doc =
        desk(dir.path(), &["--json", "documents", "add", "--customer", "501964843", "--line", "Honorários;1;200;NOR"]);
    assert!(doc.status.success(), "{}", stderr(&doc));
    let json: serde_json::Value = serde_json::from_str(&stdout(&doc)).expect("json");
    assert_eq!(
        (json["withholding_rate"].as_str(), json["withholding"].as_str()),
        (Some("11.5"), Some("23.00")),
        "{json}"
    );
    // A line's own rate: 0 on the book, so only the fees are withheld (11,5 % of 100,00 = 11,50).
    let mixed = desk(
        dir.path(),
        &[
            "--json",
            "documents",
            "add",
            "--customer",
            "501964843",
            "--line",
            "Honorários;1;100;NOR",
            "--line",
            "Livro;1;40;NOR;0",
        ],
    );
    assert!(mixed.status.success(), "{}", stderr(&mixed));
    let json: serde_json::Value = serde_json::from_str(&stdout(&mixed)).expect("json");
    assert_eq!(json["withholding"].as_str(), Some("11.50"), "{json}");
    assert_eq!(json["lines"][1]["withholding"], "0", "{json}");
    // --withholding 0 says none
    let none = desk(
        dir.path(),
        &["--json", "documents", "add", "--customer", "501964843", "--withholding", "0", "--line", "Caneta;1;2;NOR"],
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&none)).expect("json");
    assert_eq!(json["withholding"].as_str(), Some("0.00"), "{json}");
}
