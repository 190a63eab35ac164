//! `desk moloni connect → status --check → disconnect` against the stand-in, each a separate process (so
//! the keyring must hand the secrets from one process to the next), then a scan of the data folder (SQLite
//! file, WAL, anything else written there) and of every command's output for each secret used: none is found.

use moloni_standin::state::{App, User};
use moloni_standin::{Options, StandIn};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLIENT_SECRET: &str = "cs-Zq7Rw2Kp9Lm4Xv8N";
const PASSWORD: &str = "pw-Hj3Tt6Yy1Bb0Qq5";

fn desk(dir: &Path, service: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_desk"))
        .args(args)
        .env("DESK_DATA_DIR", dir)
        .env("DESK_KEYRING_SERVICE", service)
        .env("DESK_KEYRING", "kernel")
        .env("RUST_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run desk");
    if let Some(text) = stdin {
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("desk output")
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
async fn connect_use_disconnect_leaves_no_secret_outside_the_keyring() {
    let standin = StandIn::start(Options::default()).await.expect("stand-in");
    standin.with_state(|s| {
        s.apps.push(App { client_id: "scan-app".into(), client_secret: CLIENT_SECRET.into() });
        s.users.push(User {
            username: "scan@desk.pt".into(),
            password: PASSWORD.into(),
            companies: vec![moloni_standin::seed::DEMO_COMPANY],
        });
    });
    let data = tempfile::tempdir().expect("tempdir");
    let service = format!("desk-moloni-test-{}", uuid::Uuid::now_v7());
    let url = standin.url();
    let mut outputs = Vec::new();
    let mut tokens = Vec::new();
    let remember_tokens = |standin: &StandIn, tokens: &mut Vec<String>| {
        standin.with_state(|s| {
            for t in &s.tokens {
                tokens.push(t.access.clone());
                tokens.push(t.refresh.clone());
            }
        })
    };

    // A wrong password: refused in Portuguese and English, nothing stored.
    let wrong = desk(
        data.path(),
        &service,
        &[
            "moloni",
            "connect",
            "--url",
            &url,
            "--client-id",
            "scan-app",
            "--client-secret",
            CLIENT_SECRET,
            "--user",
            "scan@desk.pt",
            "--password-stdin",
        ],
        Some("nope\n"),
    );
    assert!(!wrong.status.success());
    assert!(text(&wrong).contains("Wrong Moloni user or password"), "{}", text(&wrong));
    outputs.push(text(&wrong));

    let connect = desk(
        data.path(),
        &service,
        &[
            "moloni",
            "connect",
            "--url",
            &url,
            "--client-id",
            "scan-app",
            "--client-secret",
            CLIENT_SECRET,
            "--user",
            "scan@desk.pt",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(connect.status.success(), "{}", text(&connect));
    assert!(text(&connect).contains("company: 5001 Demo Contabilidade, Lda"), "{}", text(&connect));
    outputs.push(text(&connect));
    remember_tokens(&standin, &mut tokens);
    let first_refresh = standin.with_state(|s| s.tokens.last().map(|t| t.refresh.clone())).expect("a token");

    // Another process uses the stored refresh token (rotating it): the keyring hands it over.
    let check = desk(data.path(), &service, &["--json", "moloni", "status", "--check"], None);
    assert!(check.status.success(), "{}", text(&check));
    let status: serde_json::Value = serde_json::from_str(&String::from_utf8_lossy(&check.stdout)).expect("json");
    assert_eq!((status["connected"].as_bool(), status["checked"].as_bool()), (Some(true), Some(true)));
    assert_eq!(status["company"]["id"], 5001);
    outputs.push(text(&check));
    remember_tokens(&standin, &mut tokens);
    let spent = standin.with_state(|s| s.tokens.iter().any(|t| t.refresh == first_refresh));
    assert!(!spent, "the refresh token was used and rotated, not a new password login");
    assert_eq!(standin.with_state(|s| s.tokens.len()), 1);

    // And again, with the rotated one.
    let again = desk(data.path(), &service, &["moloni", "status", "--check"], None);
    assert!(again.status.success(), "{}", text(&again));
    outputs.push(text(&again));
    remember_tokens(&standin, &mut tokens);

    let disconnect = desk(data.path(), &service, &["moloni", "disconnect"], None);
    assert!(disconnect.status.success(), "{}", text(&disconnect));
    outputs.push(text(&disconnect));
    let after = desk(data.path(), &service, &["moloni", "status", "--check"], None);
    assert!(after.status.success(), "{}", text(&after));
    assert!(text(&after).contains("not connected"), "{}", text(&after));
    outputs.push(text(&after));

    // The keyring entries are gone too.
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", &service);
    for kind in ["client-secret", "password", "refresh-token"] {
        let account = format!("moloni-{kind}:scan@desk.pt@{url}/v1");
        assert_eq!(desk_core::moloni::secrets::get(&account).expect("keyring"), None, "{kind} left in the keyring");
    }

    // No secret anywhere: the data folder's files (SQLite, WAL…) and every command's output.
    let mut secrets = vec![CLIENT_SECRET.to_string(), PASSWORD.to_string()];
    secrets.extend(tokens);
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() >= 6, "{} secrets to look for", secrets.len());
    let mut files = Vec::new();
    files_under(data.path(), &mut files);
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "sqlite3")), "{files:?}");
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        for s in &secrets {
            assert!(!bytes.windows(s.len()).any(|w| w == s.as_bytes()), "a secret is in {}", f.display());
        }
    }
    for (i, o) in outputs.iter().enumerate() {
        for s in &secrets {
            assert!(!o.contains(s.as_str()), "a secret is in the output of command {i}");
        }
    }
}
