//! `cargo xtask bench` (issue 19), against the throwaway PostgreSQL that `cargo xtask bench` starts: the issue's
//! office of 100,000 customers and 500,000 documents (`OFFICE_BENCH_SCALE=1` for a tenth of it,
//! `OFFICE_BENCH_LINES=n` for n lines on each document); a desktop's
//! first pull of it, against the raw limit measured in the
//! same run (PostgreSQL `COPY … TO STDOUT` of the same rows plus a SQLite bulk insert of them); pushing 1,000
//! drafts written offline; and how long a change on one desktop takes to show on another (LISTEN/NOTIFY waking
//! its background sync).

use desk_core::documents;
use desk_core::server::{self, ServerAddress};
use desk_core::sync::office;
use desk_core::sync::pg::PgCentral;
use desk_core::sync::round::{self, Round};
use desk_core::{customers, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{CustomerInput, DocumentInput, LineInput, ServerRole};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection};
use std::str::FromStr;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The allocator the app's binaries use (ARCHITECTURE.md), so the figures are what a user gets.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The office is 100,000 customers and 500,000 documents, scale 10 (the default); `OFFICE_BENCH_SCALE`
/// from 1 (a tenth) to 10 sizes it.
fn scale() -> i64 {
    std::env::var("OFFICE_BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(10).clamp(1, 10)
}
/// Lines per document (`OFFICE_BENCH_LINES`, 0 to 5; 0 by default, the figure): an office's invoices have
/// lines, and a pull then recomputes each document from them.
fn lines_per_document() -> i64 {
    std::env::var("OFFICE_BENCH_LINES").ok().and_then(|s| s.parse().ok()).unwrap_or(0).clamp(0, 5)
}
const DRAFTS: usize = 1_000;
const NIF: &str = "509442013";
const PASSWORD: &str = "Bench-Office-Pw-7kQ!x";

fn fail<T, E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> T + '_ {
    move |e| panic!("{what}: {e}")
}

async fn desktop(dir: &std::path::Path, address: &ServerAddress) -> Workspace {
    let mut ws = Workspace::open_dir(dir, "bench".into()).await.unwrap_or_else(fail("open"));
    ws.skip_first_run().await.unwrap_or_else(fail("first run"));
    ws.update_company(&CompanyInput { name: "Escritório Bench".into(), nif: NIF.into(), ..Default::default() })
        .await
        .unwrap_or_else(fail("company"));
    server::join::join(&ws, &address.url(), PASSWORD).await.unwrap_or_else(fail("join"));
    Workspace::open_dir(dir, "bench".into()).await.unwrap_or_else(fail("reopen"))
}

/// SQL for a UUIDv7 made `ms` milliseconds after 2025-01-01 (its random part from `gen_random_uuid`).
fn v7(ms: &str) -> String {
    format!("(lpad(to_hex(1735689600000 + {ms}), 12, '0') || '7' || substr(replace(gen_random_uuid()::text, '-', ''), 14))::uuid")
}

fn main() {
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", format!("desk-bench-office-{}", std::process::id()));
    let url = std::env::var("DESK_TEST_PG_URL")
        .unwrap_or_else(|_| panic!("DESK_TEST_PG_URL is not set: run the benchmarks with `cargo xtask bench`"));
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap_or_else(fail("rt"));
    let (customers_n, documents_n, per) = (10_000 * scale(), 50_000 * scale(), lines_per_document());
    let lines_n = documents_n * per;
    rt.block_on(async move {
        // a fresh database, initialised by the engine, with one company and one accountant
        let cluster = PgConnectOptions::from_str(&url).unwrap_or_else(fail("url"));
        let db = format!("bench_office_{}", std::process::id());
        let mut admin = PgConnection::connect_with(&cluster).await.unwrap_or_else(fail("connect"));
        sqlx::query(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)")).execute(&mut admin).await.unwrap_or_else(fail("drop"));
        sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.unwrap_or_else(fail("create"));
        let root_options = cluster.clone().database(&db);
        let root = PgPoolOptions::new().max_connections(2).connect_with(root_options.clone()).await.unwrap_or_else(fail("root"));
        server::init::init(&root).await.unwrap_or_else(fail("init"));
        let company = Uuid::now_v7();
        sqlx::query("INSERT INTO companies (id, name, nif, created_at) VALUES ($1, 'Escritório Bench', $2, '2026-11-30T00:00:00Z')")
            .bind(company)
            .bind(NIF)
            .execute(&root)
            .await
            .unwrap_or_else(fail("company"));
        let user = format!("bench{}", std::process::id());
        server::users::add(&root, &user, ServerRole::Accountant, &[company], Some(PASSWORD)).await.unwrap_or_else(fail("person"));
        let address = ServerAddress {
            host: root_options.get_host().to_string(),
            port: root_options.get_port(),
            database: db.clone(),
            user: user.clone(),
            sslmode: "disable".into(),
            ca_file: None,
        };

        // the office's data, as the server holds it after years of work (loaded in bulk, revs in order), with ids
        // as the app makes them: UUIDv7, in the order the rows were made (`v7(ms)` below)
        let seeded = Instant::now();
        let mut tx = root.begin().await.unwrap_or_else(fail("begin"));
        sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await.unwrap_or_else(fail("replica"));
        sqlx::query(&format!(
            "INSERT INTO customers (id, company_id, name, name_key, nif, email, city, country, archived, created_at, rev)
             SELECT {v7}, $1, 'Cliente ' || i, 'cliente ' || i, NULL, 'cliente' || i || '@exemplo.pt',
                    (ARRAY['Lisboa','Porto','Braga','Faro','Évora'])[1 + i % 5], 'PT', 0, '2026-01-01T00:00:00Z', i
               FROM generate_series(1, $2) AS i",
            v7 = v7("i")
        ))
        .bind(company)
        .bind(customers_n)
        .execute(&mut *tx)
        .await
        .unwrap_or_else(fail("customers"));
        sqlx::query(&format!(
            "INSERT INTO documents (id, company_id, doc_type, state, customer_id, customer_name, issue_date, due_date,
                                    notes, gross, net, vat, total, net_cents, total_cents, created_at, rev)
             SELECT {v7}, $1, 'FT', 'draft', NULL, 'Cliente ' || (i % 100000),
                    to_char(date '2020-01-01' + (i % 2500)::int, 'YYYY-MM-DD'), NULL, '', '100.00', '100.00', '23.00',
                    '123.00', 10000, 12300, '2026-01-01T00:00:00Z', $2 + (i - 1) * ($4 + 1) + 1
               FROM generate_series(1, $3) AS i",
            v7 = v7("$2 + (i - 1) * ($4 + 1) + 1")
        ))
        .bind(company)
        .bind(customers_n)
        .bind(documents_n)
        .bind(per)
        .execute(&mut *tx)
        .await
        .unwrap_or_else(fail("documents"));
        // each document's lines right after it (the revisions a desktop's save gives them)
        sqlx::query(&format!(
            "INSERT INTO document_lines (id, company_id, document_id, position, description, unit, quantity,
                                         unit_price, tax_zone, tax_code, amount, created_at, rev)
             SELECT {v7}, d.company_id, d.id, k - 1, 'Serviço ' || k, 'un', '1', '100.00', 'PT', 'NOR', '100.00',
                    d.created_at, d.rev + k
               FROM documents d, generate_series(1, $2) AS k
              WHERE d.company_id = $1",
            v7 = v7("d.rev + k")
        ))
        .bind(company)
        .bind(per)
        .execute(&mut *tx)
        .await
        .unwrap_or_else(fail("lines"));
        sqlx::query("UPDATE rev_clock SET rev = $1")
            .bind(customers_n + documents_n + lines_n)
            .execute(&mut *tx)
            .await
            .unwrap_or_else(fail("clock"));
        tx.commit().await.unwrap_or_else(fail("commit"));
        println!(
            "office seeded with {customers_n} customers, {documents_n} documents and {lines_n} lines in {:.1} s",
            seeded.elapsed().as_secs_f64()
        );

        // the raw limit: COPY of the same rows out of PostgreSQL, and a SQLite bulk insert of them
        let raw_started = Instant::now();
        let raw_dir = tempfile::tempdir().unwrap_or_else(fail("dir"));
        let sqlite = sqlx::SqlitePool::connect_with(
            sqlx::sqlite::SqliteConnectOptions::new().filename(raw_dir.path().join("raw.sqlite3")).create_if_missing(true),
        )
        .await
        .unwrap_or_else(fail("sqlite"));
        let mut bytes = 0usize;
        for table in ["customers", "documents", "document_lines"] {
            let mut pg = PgConnection::connect_with(&root_options).await.unwrap_or_else(fail("copy connection"));
            let mut copy = pg.copy_out_raw(&format!("COPY (SELECT * FROM {table}) TO STDOUT")).await.unwrap_or_else(fail("copy"));
            let mut text = Vec::new();
            use futures_util::StreamExt;
            while let Some(chunk) = copy.next().await {
                text.extend_from_slice(&chunk.unwrap_or_else(fail("copy chunk")));
            }
            drop(copy);
            bytes += text.len();
            if text.is_empty() {
                continue; // no lines in this office
            }
            let text = String::from_utf8(text).unwrap_or_else(fail("utf-8"));
            let columns = text.lines().next().map_or(0, |l| l.split('\t').count());
            sqlx::query(&format!(
                "CREATE TABLE raw_{table} ({})",
                (0..columns).map(|i| format!("c{i} TEXT")).collect::<Vec<_>>().join(", ")
            ))
            .execute(&sqlite)
            .await
            .unwrap_or_else(fail("raw table"));
            let mut w = sqlite.begin().await.unwrap_or_else(fail("raw begin"));
            let per = (30_000 / columns.max(1)).max(1);
            let lines: Vec<&str> = text.lines().collect();
            for chunk in lines.chunks(per) {
                let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!("INSERT INTO raw_{table} "));
                q.push_values(chunk, |mut b, line| {
                    for v in line.split('\t') {
                        b.push_bind(v);
                    }
                });
                q.build().execute(&mut *w).await.unwrap_or_else(fail("raw insert"));
            }
            w.commit().await.unwrap_or_else(fail("raw commit"));
        }
        let raw = raw_started.elapsed();
        println!("raw limit (COPY TO STDOUT of {:.0} MB + SQLite bulk insert): {:.2} s", bytes as f64 / 1e6, raw.as_secs_f64());

        // a desktop's first pull of the whole office
        let a_dir = tempfile::tempdir().unwrap_or_else(fail("dir"));
        let a = desktop(a_dir.path(), &address).await;
        let pool = server::connect(&address, Some(PASSWORD)).await.unwrap_or_else(fail("login"));
        let mut central = PgCentral::new(pool.clone());
        let started = Instant::now();
        let mut r = Round::default();
        round::pull(a.store(), &mut central, &|_, _| {}, &mut r).await.unwrap_or_else(fail("pull"));
        let pull = started.elapsed();
        assert!(r.pulled as i64 >= customers_n + documents_n + lines_n, "everything pulled: {r:?}");
        println!(
            "first pull of {} rows: {:.2} s ({:.1}× the raw limit; {} round trips)",
            r.pulled,
            pull.as_secs_f64(),
            pull.as_secs_f64() / raw.as_secs_f64(),
            r.round_trips
        );

        // 1,000 drafts written offline, then pushed
        let line = LineInput { description: "Serviço".into(), quantity: "1".into(), unit_price: "100".into(), tax_code: "NOR".into(), ..Default::default() };
        for i in 0..DRAFTS {
            let input = DocumentInput {
                notes: format!("Rascunho {i}"),
                lines: vec![line.clone(), LineInput { description: format!("Linha {i}"), ..line.clone() }],
                ..DocumentInput::new(DocType::Ft, "2026-11-30")
            };
            documents::save_draft(&a, None, &input).await.unwrap_or_else(fail("draft"));
        }
        let companies = vec![company];
        let started = Instant::now();
        let mut r = Round::default();
        round::push(a.store(), &mut central, &companies, &mut r).await.unwrap_or_else(fail("push"));
        let push = started.elapsed();
        assert_eq!(r.rejected, 0, "{r:?}");
        println!("push of {DRAFTS} offline drafts ({} ops): {:.2} s in {} round trips", r.pushed, push.as_secs_f64(), r.round_trips);

        // a change on one desktop seen by another: both run the app's background sync
        let b_dir = tempfile::tempdir().unwrap_or_else(fail("dir"));
        let b = desktop(b_dir.path(), &address).await;
        let mut r = Round::default();
        round::pull(b.store(), &mut PgCentral::new(pool.clone()), &|_, _| {}, &mut r).await.unwrap_or_else(fail("b pull"));
        let c = customers::create(&a, &CustomerInput { name: "Padaria Ribeiro".into(), city: "Óbidos".into(), ..Default::default() })
            .await
            .unwrap_or_else(fail("customer"));
        office::sync_now(&a, &|_, _| {}).await.unwrap_or_else(fail("a round"));
        office::sync_now(&b, &|_, _| {}).await.unwrap_or_else(fail("b round"));
        tokio::spawn(office::background(a.cx().clone()));
        tokio::spawn(office::background(b.cx().clone()));
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut seen = Vec::new();
        for city in ["Porto", "Braga", "Faro", "Évora", "Lisboa"] {
            let mut input = desk_model::customer::CustomerInput::for_form(&c, desk_model::msg::Lang::Pt);
            input.city = city.into();
            let edited = Instant::now();
            customers::update(&a, c.id, &input).await.unwrap_or_else(fail("edit"));
            loop {
                let now = customers::get(&b, c.id).await.unwrap_or_else(fail("read b"));
                if now.city.as_deref() == Some(city) {
                    break;
                }
                assert!(edited.elapsed() < Duration::from_secs(30), "B never saw the change");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            seen.push(edited.elapsed());
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        seen.sort();
        println!(
            "a change on one desktop seen by another: median {} ms (min {}, max {}, 5 edits)",
            seen[2].as_millis(),
            seen[0].as_millis(),
            seen[4].as_millis()
        );
        pool.close().await;
        root.close().await;
    });
}
