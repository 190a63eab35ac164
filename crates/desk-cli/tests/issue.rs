//! `desk issue` and `desk queue` against the stand-in, as a script would use them: connect, add a customer and a
//! draft, issue it (one closed Moloni document, our number from Moloni), work an empty queue, and a refusal.

use moloni_standin::{Options, StandIn};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn desk(dir: &Path, service: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env("DESK_DATA_DIR", dir)
        .env("DESK_KEYRING_SERVICE", service)
        .env("DESK_KEYRING", "kernel")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run desk");
    if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        input.write_all(text.as_bytes()).expect("stdin");
    }
    child.wait_with_output().expect("desk output")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_is_issued_once_through_moloni_and_the_queue_says_so() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    let dir = tempfile::tempdir().expect("dir");
    let service = format!("desk-test-issue-{}", std::process::id());
    let d = dir.path();
    let url = standin.url();
    let connect = desk(
        d,
        &service,
        &[
            "moloni",
            "connect",
            "--url",
            &url,
            "--client-id",
            "desk-demo",
            "--client-secret",
            "desk-demo-secret",
            "--user",
            "demo@desk.pt",
            "--password-stdin",
        ],
        Some("demo\n"),
    );
    assert!(connect.status.success(), "{}", text(&connect));
    let add = desk(
        d,
        &service,
        &[
            "customers",
            "add",
            "--name",
            "Padaria Ribeiro, Lda.",
            "--nif",
            "501234560",
            "--address",
            "Rua Direita 1",
            "--postal-code",
            "4450-123",
            "--city",
            "Matosinhos",
        ],
        None,
    );
    assert!(add.status.success(), "{}", text(&add));
    let draft = desk(d, &service, &["documents", "add", "--customer", "501234560", "--line", "Pão;3;2,37;NOR"], None);
    assert!(draft.status.success(), "{}", text(&draft));

    let issued = desk(d, &service, &["--json", "issue", "Rascunho FT/1"], None);
    assert!(issued.status.success(), "{}", text(&issued));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&issued.stdout).expect("json");
    assert_eq!(list[0]["outcome"], "issued");
    // 3 × 2.37 = 7.11, VAT 23 % = 1.64: 8.75
    assert_eq!(list[0]["total"], "8.75");
    let number = list[0]["number"].as_str().expect("number").to_string();
    assert!(number.starts_with("FT 2026A/"), "{number}");

    let queue = desk(d, &service, &["--json", "queue"], None);
    let queue: Vec<serde_json::Value> = serde_json::from_slice(&queue.stdout).expect("json");
    assert_eq!((queue[0]["state"].as_str(), queue[0]["number"].as_str()), (Some("done"), Some(number.as_str())));
    let again = desk(d, &service, &["issue", "--pending"], None);
    assert!(again.status.success() && text(&again).contains("nothing queued"), "{}", text(&again));

    // Moloni holds exactly one closed document for it
    let client = moloni::Client::new(
        moloni::Config::new(&url),
        moloni::Credentials {
            client_id: "desk-demo".into(),
            client_secret: moloni::Secret::new("desk-demo-secret"),
            username: "demo@desk.pt".into(),
            password: Some(moloni::Secret::new("demo")),
        },
    )
    .expect("client");
    let all = client
        .company(moloni_standin::seed::DEMO_COMPANY)
        .documents_modified_since(moloni::DocumentKind::Invoice, "2000-01-01 00:00:00")
        .await
        .expect("list");
    assert_eq!(all.iter().filter(|x| x.status == 1).count(), 1);

    // Moloni refuses the next one (its series' date rule, error 12): back to draft, the reason shown, exit non-zero
    let second = desk(d, &service, &["documents", "add", "--customer", "501234560", "--line", "Bolo;2;1,50;RED"], None);
    assert!(second.status.success(), "{}", text(&second));
    let mut fault = moloni_standin::Fault::new(
        "invoices/insert",
        moloni_standin::When::Before,
        moloni_standin::FaultKind::Validation,
    );
    fault.errors = vec!["12 date".into()];
    standin.add_fault(fault);
    let refused = desk(d, &service, &["--json", "issue", "Rascunho FT/2"], None);
    assert!(!refused.status.success(), "{}", text(&refused));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&refused.stdout).expect("json");
    assert_eq!(list[0]["outcome"], "refused");
    assert!(list[0]["message"]["pt"].as_str().unwrap_or_default().contains("data"), "{}", list[0]["message"]);
    let docs = desk(d, &service, &["documents", "list"], None);
    assert!(text(&docs).contains("Rascunho FT/2"), "{}", text(&docs));
    let _ = desk(d, &service, &["moloni", "disconnect"], None);
}
