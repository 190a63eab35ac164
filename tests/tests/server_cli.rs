//! `desk server …` end to end, each command its own process, against a real PostgreSQL (issue 18): init (and
//! init again: a clear message, nothing changed), an admin desktop joins and puts its company on the server,
//! adds an accountant (a generated password printed once) and a viewer (password from stdin); a second desktop
//! with its own copy of the company joins as the accountant and takes the server's company id; the accountant
//! cannot add people; the audit shows who did what; leaving forgets the password, which was never in the data
//! folder or any output.

mod office;

use office::Office;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

struct Desk<'a> {
    dir: &'a Path,
    service: String,
}

impl Desk<'_> {
    fn run(&self, args: &[&str], stdin: Option<&str>, pgpassword: Option<&str>) -> Output {
        let mut cmd = Command::new(desk_tests::required_env("DESK_CLI_BIN"));
        cmd.args(args)
            .env("DESK_DATA_DIR", self.dir)
            .env("DESK_KEYRING_SERVICE", &self.service)
            .env("DESK_KEYRING", "kernel")
            .env_remove("PGPASSWORD")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(p) = pgpassword {
            cmd.env("PGPASSWORD", p);
        }
        let mut child = cmd.spawn().expect("run desk");
        if let Some(text) = stdin {
            child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("stdin");
        }
        drop(child.stdin.take());
        child.wait_with_output().expect("desk output")
    }

    fn ok(&self, args: &[&str], stdin: Option<&str>, pgpassword: Option<&str>) -> String {
        let o = self.run(args, stdin, pgpassword);
        assert!(o.status.success(), "desk {args:?} failed: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn json(&self, args: &[&str], stdin: Option<&str>, pgpassword: Option<&str>) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all, stdin, pgpassword)).expect("json output")
    }
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_office_is_set_up_and_joined_from_the_command_line() {
    let office = Office::empty("cli").await;
    let superuser = office.address("postgres").url();
    let service = format!("desk-server-test-{}", uuid::Uuid::now_v7());
    let (dir_a, dir_b) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let admin_desk = Desk { dir: dir_a.path(), service: service.clone() };
    let other_desk = Desk { dir: dir_b.path(), service: service.clone() };
    let mut outputs = Vec::new();

    // init, then init again
    let init = admin_desk.ok(&["server", "init", "--url", &superuser], None, None);
    assert!(init.contains("initialised (schema version"), "{init}");
    let again = admin_desk.run(&["server", "init", "--url", &superuser], None, None);
    assert!(!again.status.success());
    assert!(
        text(&again).contains("already initialised") && text(&again).contains("nothing was changed"),
        "{}",
        text(&again)
    );

    // the admin desktop (the superuser who initialised, the first admin) joins with its company
    admin_desk.ok(&["company", "set", "--name", "Contabilidades Lda", "--nif", "503504564"], None, None);
    admin_desk.ok(&["customers", "add", "--name", "Padaria Ribeiro", "--nif", "501234560"], None, None);
    let joined = admin_desk.json(&["server", "join", "--url", &superuser], None, Some("any"));
    assert_eq!(joined["session"]["role"], "admin", "{joined}");
    assert_eq!(joined["company"]["adoption"], "Added");
    assert_eq!(
        joined["sent"]["rows"][0],
        serde_json::json!(["customers", 1]),
        "the admin's customer went to the server"
    );
    let company_id = joined["company"]["id"].as_str().expect("id").to_string();
    let info = admin_desk.json(&["info"], None, None);
    assert_eq!(info["mode"], "office");

    // people
    let rui = office.name("rui");
    let added = admin_desk.json(&["server", "users", "add", &rui, "--role", "accountant"], None, None);
    let rui_password = added["password"].as_str().expect("a generated password").to_string();
    assert_eq!(added["user"]["role"], "accountant");
    assert_eq!(added["user"]["companies"][0]["id"], company_id.as_str(), "member of the admin's current company");
    let eva = office.name("eva");
    let eva_password = "Eva-Password-2026!";
    let added = admin_desk.json(
        &["server", "users", "add", &eva, "--role", "viewer", "--companies", "503504564", "--password-stdin"],
        Some(&format!("{eva_password}\n")),
        None,
    );
    assert_eq!(added["password"], serde_json::Value::Null, "a given password is not printed");
    let listed = admin_desk.ok(&["server", "users", "list"], None, None);
    assert!(listed.contains(&rui) && listed.contains(&eva) && listed.contains("viewer"), "{listed}");
    outputs.push(listed);

    // the second desktop has its own copy of the company (another id), and joins as the accountant
    other_desk.ok(&["company", "set", "--name", "Contabilidades Lda", "--nif", "503504564"], None, None);
    other_desk.ok(&["customers", "add", "--name", "Cliente do Rui", "--nif", "123456789"], None, None);
    // the same bakery, typed again on this desktop: a probable duplicate once joined
    other_desk.ok(&["customers", "add", "--name", "Padaria Ribeiro, Lda", "--nif", "501234560"], None, None);
    other_desk.ok(&["documents", "add", "--customer", "123456789", "--line", "Avença mensal;1;150;NOR"], None, None);
    assert!(other_desk.ok(&["outbox"], None, None).lines().count() >= 4, "local edits wait in the outbox");
    let before = other_desk.json(&["info"], None, None);
    assert_ne!(before["company"]["id"], company_id.as_str());
    let rui_url = office.address(&rui).url();
    let wrong = other_desk.run(&["server", "join", "--url", &rui_url], Some("not-the-password\n"), None);
    assert!(!wrong.status.success() && text(&wrong).contains("refused the user name or password"), "{}", text(&wrong));
    let joined = other_desk.json(
        &["server", "join", "--url", &rui_url, "--password-stdin"],
        Some(&format!("{rui_password}\n")),
        None,
    );
    outputs.push(joined.to_string());
    assert_eq!(joined["session"]["role"], "accountant");
    assert!(joined["company"]["adoption"].as_str().unwrap_or_default().starts_with("Rekeyed"), "{joined}");
    let after = other_desk.json(&["info"], None, None);
    assert_eq!(after["company"]["id"], company_id.as_str(), "the desktop took the server's company id");
    // its snapshot: the new customer, the draft and its line sent; the bakery marked as a duplicate of the server's
    let sent = &joined["sent"];
    let count = |t: &str| {
        sent["rows"].as_array().and_then(|r| r.iter().find(|x| x[0] == t)).map(|x| x[1].as_u64().unwrap_or(0))
    };
    assert_eq!(
        (count("customers"), count("documents"), count("document_lines")),
        (Some(1), Some(1), Some(1)),
        "{sent}"
    );
    assert_eq!(sent["duplicates"].as_array().map(Vec::len), Some(1), "{sent}");
    assert_eq!(sent["duplicates"][0]["key"], "nif");
    let rui_pool = office.login(&rui, &rui_password).await.expect("rui logs in");
    let on_server: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT name, nif FROM customers ORDER BY name").fetch_all(&rui_pool).await.expect("customers");
    assert_eq!(
        on_server,
        vec![
            ("Cliente do Rui".to_string(), Some("123456789".to_string())),
            ("Padaria Ribeiro".to_string(), Some("501234560".to_string()))
        ],
        "one bakery on the server"
    );
    let drafts: i64 = sqlx::query_scalar("SELECT count(*) FROM document_lines l JOIN documents d ON d.id = l.document_id WHERE d.state = 'draft' AND l.description = 'Avença mensal'")
        .fetch_one(&rui_pool)
        .await
        .expect("lines");
    assert_eq!(drafts, 1);
    let outbox = other_desk.json(&["outbox"], None, None);
    assert!(
        outbox.as_array().is_some_and(|ops| ops
            .iter()
            .all(|op| op["entity"] == "customers" && op["row_id"] == sent["duplicates"][0]["local_id"])),
        "only the duplicate's history waits in the outbox (the server has the rows sent): {outbox}"
    );
    // joining again sends nothing twice
    let again = other_desk.json(
        &["server", "join", "--url", &rui_url, "--password-stdin"],
        Some(&format!("{rui_password}\n")),
        None,
    );
    assert_eq!(again["company"]["adoption"], "Same");
    assert!(again["sent"]["rows"].as_array().is_some_and(|r| r.iter().all(|x| x[1] == 0)), "{again}");
    let customers = other_desk.json(&["customers", "list"], None, None);
    assert!(customers.to_string().contains("Cliente do Rui"), "the local rows moved with the company: {customers}");
    // a later command uses the keyring's password
    let status = other_desk.json(&["server", "status", "--check"], None, None);
    assert_eq!(status["reachable"], true, "{status}");
    assert_eq!(status["session"]["user"], rui.as_str());

    // the accountant cannot manage people
    let refused = other_desk.run(&["server", "users", "add", &office.name("zeca"), "--role", "admin"], None, None);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("does not allow"), "{}", text(&refused));
    // the accountant's edit on the server, seen in the audit by the admin
    sqlx::query("INSERT INTO customers (id, company_id, name, created_at) VALUES ($1, $2::uuid, 'Novo', 'x')")
        .bind(uuid::Uuid::now_v7())
        .bind(&company_id)
        .execute(&rui_pool)
        .await
        .expect("insert");
    let audit = admin_desk.json(&["server", "audit", "--user", &rui], None, None);
    assert!(audit.as_array().is_some_and(|a| a.iter().any(|e| e["entity"] == "customers")), "{audit}");

    // the viewer's password works; then the admin disables them
    office.login(&eva, eva_password).await.expect("eva logs in");
    admin_desk.ok(&["server", "users", "disable", &eva], None, None);
    assert!(office.login(&eva, eva_password).await.is_err());

    // leaving forgets the address and the password
    let left = other_desk.json(&["server", "leave"], None, None);
    assert_eq!(left["joined"], false);
    assert_eq!(other_desk.json(&["info"], None, None)["mode"], "solo");
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", &service);
    let account = office.address(&rui).keyring_account();
    assert_eq!(desk_core::moloni::secrets::get(&account).expect("keyring"), None);

    // sample data never leaves its desktop: a demo company cannot join
    let demo_dir = tempfile::tempdir().expect("dir");
    let demo_desk = Desk { dir: demo_dir.path(), service: service.clone() };
    demo_desk.ok(&["sample-data", "--customers", "3", "--documents", "2", "--products", "2"], None, None);
    let refused = demo_desk.run(
        &["server", "join", "--url", &rui_url, "--password-stdin"],
        Some(&format!("{rui_password}\n")),
        None,
    );
    assert!(!refused.status.success() && text(&refused).contains("demo company"), "{}", text(&refused));
    let customers: i64 =
        sqlx::query_scalar("SELECT count(*) FROM customers").fetch_one(&office.root).await.expect("count");
    assert_eq!(customers, 3, "nothing of the demo company reached the server");

    // no password anywhere in the data folders or the outputs
    let mut files = Vec::new();
    files_under(dir_a.path(), &mut files);
    files_under(dir_b.path(), &mut files);
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        for s in [rui_password.as_str(), eva_password] {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "a password is in {}", f.display());
        }
    }
    for o in &outputs {
        assert!(!o.contains(eva_password));
    }
}
