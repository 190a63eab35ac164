//! A deterministic, seeded simulation of office sync (issue 19): four desktops (real engines on their own SQLite
//! files) make random edits to shared customers and drafts, queue and withdraw issues and decide conflicts, while
//! the network cuts calls before they reach the server or loses their answers after it applied them (a crash at
//! that step of a push, a pull, a conflict read), desktops crash and restart, the server restarts, and change
//! notices arrive late or never. After the storm heals, every desktop syncs until quiet, then: no op is lost (each
//! was applied, or is a visible conflict or refusal), none applied twice, no outbox stuck, and every desktop
//! equals the server. 120 seeds run against the model server, 24 against the real PostgreSQL.
//! `OFFICE_SIM_SEED=<n>` runs one seed (a failure prints its seed).

mod office;

use desk_core::server::{join, ServerError, ServerResult};
use desk_core::sync::apply::replicated_tables;
use desk_core::sync::central::{Central, Conflict, Group, GroupResult, Outcome, Page, Resolution, ServerRow};
use desk_core::sync::merge;
use desk_core::sync::model::{ModelCentral, ModelState};
use desk_core::sync::office as sync;
use desk_core::sync::outbox;
use desk_core::sync::pg::{PgCentral, TABLES};
use desk_core::{customers, documents, Workspace};
use desk_model::company::CompanyInput;
use desk_model::document::DocType;
use desk_model::ipc::{ConflictChoice, CustomerInput, DocumentInput, LineInput, ServerRole};
use desk_model::msg::Lang;
use serde_json::Value as Json;
use sqlx::{PgPool, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tempfile::TempDir;
use uuid::Uuid;

const DESKTOPS: usize = 4;
const STEPS: usize = 70;
const NIF: &str = "509442013";
const CUSTOMER_NIFS: [&str; 4] = ["501234560", "501964843", "506802698", "512345678"];

/// splitmix64: small, seedable, the same on every machine.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The network between one desktop and the server: calls cut before they arrive, answers lost after the server
/// acted (what a crash at that step looks like from the server's side).
struct Faulty<C> {
    inner: C,
    rng: Arc<Mutex<Rng>>,
    storm: Arc<Mutex<bool>>,
}

impl<C> Faulty<C> {
    fn roll(&self, percent: u64) -> bool {
        let storm = *self.storm.lock().expect("storm");
        storm && self.rng.lock().expect("rng").chance(percent)
    }
    fn cut() -> ServerError {
        ServerError::Unreachable("simulated network cut".into())
    }
}

macro_rules! faulty {
    ($self:ident, $call:expr) => {{
        if $self.roll(8) {
            return Err(Self::cut());
        }
        let answer = $call.await?;
        if $self.roll(8) {
            return Err(Self::cut());
        }
        Ok(answer)
    }};
}

impl<C: Central + Send> Central for Faulty<C> {
    async fn companies(&mut self) -> ServerResult<Vec<Uuid>> {
        faulty!(self, self.inner.companies())
    }
    async fn push(&mut self, desktop: Uuid, groups: &[Group]) -> ServerResult<Vec<GroupResult>> {
        faulty!(self, self.inner.push(desktop, groups))
    }
    async fn resolve(&mut self, resolutions: &[Resolution]) -> ServerResult<()> {
        faulty!(self, self.inner.resolve(resolutions))
    }
    async fn rows(&mut self, entity: &str, ids: &[Uuid]) -> ServerResult<Vec<ServerRow>> {
        faulty!(self, self.inner.rows(entity, ids))
    }
    async fn pull(&mut self, cursor: i64, limit: u32) -> ServerResult<Page> {
        // small pages: a pull of a few rows still crosses page boundaries
        faulty!(self, self.inner.pull(cursor, limit.min(7)))
    }
    async fn conflicts(&mut self) -> ServerResult<Vec<Conflict>> {
        faulty!(self, self.inner.conflicts())
    }
}

/// What the checks read from the server.
struct Facts {
    rows: Vec<ServerRow>,
    applied: HashMap<Uuid, Outcome>,
    applied_twice: Vec<Uuid>,
    /// (entity, row, field, mine) of every conflict ever recorded
    conflicts: Vec<(String, Uuid, String, Json)>,
}

/// The server under test.
trait Server {
    type C: Central + Send;
    fn central(&self, desktop: usize) -> Self::C;
    async fn restart(&mut self);
    async fn facts(&self, company: Uuid) -> Facts;
}

struct Model {
    state: Arc<Mutex<ModelState>>,
}

impl Server for Model {
    type C = ModelCentral;
    fn central(&self, desktop: usize) -> ModelCentral {
        ModelCentral { state: self.state.clone(), user: format!("desk{desktop}") }
    }
    async fn restart(&mut self) {
        // state is durable; connections and notices are not (the desktops' next calls simply reconnect)
    }
    async fn facts(&self, company: Uuid) -> Facts {
        let s = self.state.lock().expect("model");
        let company = company.to_string();
        Facts {
            rows: s
                .rows
                .values()
                .filter(|r| {
                    r.entity == "companies" && r.id.to_string() == company
                        || r.fields.get("company_id").and_then(Json::as_str) == Some(company.as_str())
                })
                .cloned()
                .collect(),
            applied: s.applied.clone(),
            applied_twice: s.applications.iter().filter(|(_, n)| **n > 1).map(|(id, _)| *id).collect(),
            conflicts: s
                .conflicts
                .iter()
                .map(|(c, _)| (c.entity.clone(), c.row_id, c.field.clone(), c.mine.clone()))
                .collect(),
        }
    }
}

struct Pg {
    office: office::Office,
    pools: Vec<PgPool>,
}

impl Server for Pg {
    type C = PgCentral;
    fn central(&self, desktop: usize) -> PgCentral {
        PgCentral::new(self.pools[desktop].clone())
    }
    async fn restart(&mut self) {
        // every connection to the database dropped, as a restart does; pools reconnect
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&self.office.db)
        .execute(&self.office.root)
        .await
        .expect("terminate");
    }
    async fn facts(&self, company: Uuid) -> Facts {
        let root = &self.office.root;
        let mut rows = Vec::new();
        for t in TABLES {
            let filter = if t == "companies" { "id = $1" } else { "company_id = $1" };
            let found: Vec<String> = sqlx::query_scalar(&format!("SELECT to_jsonb(x)::text FROM {t} x WHERE {filter}"))
                .bind(company)
                .fetch_all(root)
                .await
                .expect("rows");
            for text in found {
                let Json::Object(mut fields) = serde_json::from_str(&text).expect("json") else { panic!("row") };
                let id = Uuid::parse_str(fields["id"].as_str().expect("id")).expect("uuid");
                let rev = fields.remove("rev").and_then(|v| v.as_i64()).unwrap_or(0);
                let deleted = fields.remove("deleted_at").is_some_and(|v| !v.is_null());
                rows.push(ServerRow { entity: t.into(), id, rev, fields, deleted });
            }
        }
        let applied: Vec<(Uuid, String)> =
            sqlx::query_as("SELECT op_id, result::text FROM applied_ops").fetch_all(root).await.expect("applied");
        let conflicts = sqlx::query("SELECT entity, row_id, field, mine::text AS mine FROM conflicts")
            .fetch_all(root)
            .await
            .expect("conflicts")
            .iter()
            .map(|r| {
                let mine: String = r.get("mine");
                (r.get("entity"), r.get("row_id"), r.get("field"), serde_json::from_str(&mine).unwrap_or(Json::Null))
            })
            .collect();
        Facts {
            rows,
            applied: applied.into_iter().map(|(id, r)| (id, serde_json::from_str(&r).expect("outcome"))).collect(),
            // applied_ops' primary key is the op id: a second application would have failed its push
            applied_twice: Vec::new(),
            conflicts,
        }
    }
}

/// A desktop: its data folder, its person, its engine (None while crashed) and its network.
type Desk<C> = (TempDir, String, Option<Workspace>, Faulty<C>);

/// One simulated run.
struct Sim<S: Server> {
    server: S,
    company: Uuid,
    desks: Vec<Desk<S::C>>,
    rng: Rng,
    storm: Arc<Mutex<bool>>,
    /// every op id any desktop wrote for the office's company
    ops: HashSet<Uuid>,
    /// (deliver at step, desktop): change notices in flight
    notices: Vec<(usize, usize)>,
    log: Vec<String>,
    stats: Stats,
}

/// What the storms did, summed over seeds: the test insists each kind of trouble happened.
#[derive(Debug, Default, Clone, Copy)]
struct Stats {
    ops: usize,
    rounds_cut: usize,
    pushed: u64,
    rejected: u64,
    conflicts: u64,
    crashes: usize,
    restarts: usize,
    notices_lost: usize,
}

impl Stats {
    fn add(&mut self, o: Stats) {
        self.ops += o.ops;
        self.rounds_cut += o.rounds_cut;
        self.pushed += o.pushed;
        self.rejected += o.rejected;
        self.conflicts += o.conflicts;
        self.crashes += o.crashes;
        self.restarts += o.restarts;
        self.notices_lost += o.notices_lost;
    }

    fn assert_stormy(&self) {
        assert!(
            self.ops > 0
                && self.rounds_cut > 0
                && self.pushed > 0
                && self.rejected > 0
                && self.conflicts > 0
                && self.crashes > 0
                && self.restarts > 0
                && self.notices_lost > 0,
            "the storm missed something: {self:?}"
        );
    }
}

fn customer(rng: &mut Rng, n: usize) -> CustomerInput {
    let nif = if rng.chance(25) { CUSTOMER_NIFS[rng.below(4) as usize].to_string() } else { String::new() };
    CustomerInput { name: format!("Cliente {n}"), nif, city: "Lisboa".into(), ..Default::default() }
}

fn line(n: u64) -> LineInput {
    LineInput {
        description: format!("Linha {n}"),
        quantity: format!("{}", n % 5 + 1),
        unit_price: "12,50".into(),
        tax_code: "NOR".into(),
        ..Default::default()
    }
}

impl<S: Server> Sim<S> {
    async fn record_ops(&mut self, i: usize) {
        let Some(ws) = &self.desks[i].2 else { return };
        for op in outbox::pending(ws.store(), 0).await.expect("ops") {
            if op.company_id == self.company {
                self.ops.insert(op.op_id);
            }
        }
    }

    async fn edit(&mut self, i: usize, step: usize) {
        let Some(ws) = self.desks[i].2.as_ref() else { return };
        let a = self.rng.below(100);
        let b = self.rng.next();
        let list = customers::list(ws, &Default::default()).await.expect("customers").items;
        let drafts: Vec<Uuid> = documents::list(ws, &Default::default())
            .await
            .expect("documents")
            .items
            .iter()
            .filter(|d| d.state == desk_model::document::DocState::Draft)
            .map(|d| d.id)
            .collect();
        let what = match a {
            0..=14 => {
                let r = customers::create(ws, &customer(&mut self.rng, step * 10 + i)).await;
                format!("create customer: {}", r.is_ok())
            }
            15..=44 if !list.is_empty() => {
                let c = &list[(b % list.len() as u64) as usize];
                let mut input = CustomerInput::for_form(c, Lang::Pt);
                match b % 4 {
                    0 => input.city = ["Porto", "Braga", "Faro"][(b / 7 % 3) as usize].into(),
                    1 => input.email = format!("geral{}@exemplo.pt", b / 7 % 3),
                    2 => input.phone = format!("91234567{}", b / 7 % 3),
                    _ => input.notes = format!("nota {}", b / 7 % 3),
                }
                let r = customers::update(ws, c.id, &input).await;
                format!("edit customer {}: {}", c.id, r.is_ok())
            }
            45..=59 => {
                let input = DocumentInput { lines: vec![line(b)], ..DocumentInput::new(DocType::Ft, "2026-11-30") };
                format!("new draft: {}", documents::save_draft(ws, None, &input).await.is_ok())
            }
            60..=84 if !drafts.is_empty() => {
                let id = drafts[(b % drafts.len() as u64) as usize];
                let Ok(doc) = documents::get(ws, id).await else { return };
                let mut input = doc.to_input();
                match b % 3 {
                    0 => input.lines.push(line(b / 3)),
                    1 => input.notes = format!("nota {}", b / 3 % 3),
                    _ => {
                        if let Some(l) = input.lines.first_mut() {
                            l.quantity = format!("{}", b / 3 % 4 + 1);
                        }
                    }
                }
                format!("edit draft {id}: {}", documents::save_draft(ws, Some(id), &input).await.is_ok())
            }
            85..=89 if !drafts.is_empty() => {
                let id = drafts[(b % drafts.len() as u64) as usize];
                format!("delete draft {id}: {}", documents::delete_draft(ws, id).await.is_ok())
            }
            90..=94 if !drafts.is_empty() => {
                let id = drafts[(b % drafts.len() as u64) as usize];
                let queued = documents::issue::request_issue(ws, id).await.is_ok();
                let back = queued && b.is_multiple_of(2) && documents::issue::withdraw_issue(ws, id).await.is_ok();
                format!("queue {id}: {queued}, withdrawn: {back}")
            }
            _ => {
                let queue = sync::conflicts(ws).await.expect("conflicts");
                let open: Vec<_> = queue.iter().filter(|c| c.choice.is_none()).collect();
                let Some(c) = open.first() else { return };
                let choice = if c.entity == "customers" && b.is_multiple_of(2) {
                    ConflictChoice::Mine
                } else {
                    ConflictChoice::Theirs
                };
                format!(
                    "decide {} {}: {:?}",
                    c.row_id,
                    c.field,
                    sync::resolve(ws, c.id, choice, None).await.map(|_| ())
                )
            }
        };
        self.log.push(format!("{step} desk{i} {what}"));
        self.record_ops(i).await;
    }

    async fn round(&mut self, i: usize, step: usize) -> bool {
        let (_, _, ws, central) = &mut self.desks[i];
        let Some(ws) = ws.as_ref() else { return false };
        let r = sync::run_with(ws, central, &|_, _| {}).await;
        self.log.push(format!("{step} desk{i} round: {:?}", r.as_ref().map(|r| (r.pushed, r.rejected, r.pulled))));
        match &r {
            Ok(r) => {
                self.stats.pushed += r.pushed;
                self.stats.rejected += r.rejected;
                self.stats.conflicts += r.conflicts_made;
            }
            Err(_) => self.stats.rounds_cut += 1,
        }
        if r.as_ref().is_ok_and(|r| r.pushed > 0) {
            // the server's notice to the others: late, or lost
            for other in (0..DESKTOPS).filter(|o| *o != i) {
                if self.rng.chance(30) {
                    self.stats.notices_lost += 1;
                } else {
                    let delay = self.rng.below(4) as usize;
                    self.notices.push((step + delay, other));
                }
            }
        }
        r.is_ok()
    }

    async fn crash(&mut self, i: usize, step: usize) {
        let (dir, user, ws, _) = &mut self.desks[i];
        if let Some(w) = ws.take() {
            w.store().close().await;
        }
        *ws = Some(Workspace::open_dir(dir.path(), user.clone()).await.expect("reopen after a crash"));
        self.log.push(format!("{step} desk{i} crashed and restarted"));
        self.stats.crashes += 1;
    }

    async fn run(&mut self) {
        *self.storm.lock().expect("storm") = true;
        for step in 0..STEPS {
            let due: Vec<usize> = self.notices.iter().filter(|(at, _)| *at <= step).map(|(_, d)| *d).collect();
            self.notices.retain(|(at, _)| *at > step);
            for d in due {
                self.round(d, step).await;
            }
            let i = self.rng.below(DESKTOPS as u64) as usize;
            match self.rng.below(100) {
                0..=59 => self.edit(i, step).await,
                60..=84 => {
                    self.round(i, step).await;
                }
                85..=94 => self.crash(i, step).await,
                _ => {
                    self.server.restart().await;
                    self.stats.notices_lost += self.notices.len();
                    self.notices.clear();
                    self.stats.restarts += 1;
                    self.log.push(format!("{step} server restarted"));
                }
            }
        }
        // the storm passes: every desktop syncs until nothing moves
        *self.storm.lock().expect("storm") = false;
        for pass in 0..3 {
            for i in 0..DESKTOPS {
                assert!(self.round(i, STEPS + pass).await, "a calm round failed:\n{}", self.log.join("\n"));
            }
        }
    }

    async fn check(&mut self, seed: u64) -> Stats {
        self.stats.ops = self.ops.len();
        let facts = self.server.facts(self.company).await;
        if std::env::var("OFFICE_SIM_SEED").is_ok() {
            let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
            for o in facts.applied.values() {
                if let Outcome::Rejected { reason } = o {
                    *reasons.entry(reason.clone()).or_default() += 1;
                }
            }
            eprintln!("{}\nrefusals: {reasons:#?}", self.log.join("\n"));
        }
        let fail = |what: String| -> ! { panic!("seed {seed}: {what}\n{}", self.log.join("\n")) };
        if !facts.applied_twice.is_empty() {
            fail(format!("ops applied twice: {:?}", facts.applied_twice));
        }
        for op in &self.ops {
            if !facts.applied.contains_key(op) {
                fail(format!("op {op} was lost: neither applied, nor a conflict, nor refused"));
            }
        }
        let server: BTreeMap<(String, Uuid), &ServerRow> =
            facts.rows.iter().map(|r| ((r.entity.clone(), r.id), r)).collect();
        for (i, (_, _, ws, _)) in self.desks.iter().enumerate() {
            let ws = ws.as_ref().expect("desktop up");
            let pending = outbox::pending(ws.store(), 0).await.expect("pending");
            if let Some(op) = pending.iter().find(|o| o.company_id == self.company) {
                fail(format!("desk{i}: op {} stuck in the outbox", op.op_id));
            }
            for (table, columns) in replicated_tables() {
                let filter = if table == "companies" {
                    "id = ?"
                } else if table == "document_lines" {
                    "document_id IN (SELECT id FROM documents WHERE company_id = ?)"
                } else {
                    "company_id = ?"
                };
                let select: Vec<String> = columns.iter().map(|c| format!("CAST({c} AS TEXT)")).collect();
                let rows = sqlx::query(&format!(
                    "SELECT id, deleted_at IS NOT NULL AS gone, {} FROM {table} WHERE {filter}",
                    select.join(", ")
                ))
                .bind(self.company.to_string())
                .fetch_all(ws.store().reader())
                .await
                .expect("local rows");
                let mut seen = 0;
                let mut seen_ids = HashSet::new();
                for r in &rows {
                    let id = Uuid::parse_str(r.get::<&str, _>("id")).expect("id");
                    let gone: bool = r.get("gone");
                    let Some(s) = server.get(&(table.to_string(), id)) else {
                        if !gone {
                            fail(format!("desk{i}: {table} {id} is live here and absent on the server"));
                        }
                        continue;
                    };
                    seen += 1;
                    seen_ids.insert(id);
                    if gone != s.deleted {
                        fail(format!("desk{i}: {table} {id} deleted here {gone}, on the server {}", s.deleted));
                    }
                    for (k, c) in columns.iter().enumerate() {
                        let local: Option<String> = r.get(k + 2);
                        let local = local.map(Json::String);
                        if !merge::same(local.as_ref(), s.fields.get(*c)) {
                            fail(format!(
                                "desk{i}: {table} {id}.{c} is {local:?} here and {:?} on the server",
                                s.fields.get(*c)
                            ));
                        }
                    }
                }
                // a tombstone of a row this desktop never saw needs no copy here; every live row does
                let missing: Vec<_> = facts
                    .rows
                    .iter()
                    .filter(|r| r.entity == table && !r.deleted && !seen_ids.contains(&r.id))
                    .collect();
                if !missing.is_empty() {
                    fail(format!("desk{i}: {seen} {table} here, missing the server's {missing:?}"));
                }
            }
        }
        // no lost update: every field a merge left to a person is in the conflict list with the value it wanted
        for (op, outcome) in &facts.applied {
            if let Outcome::Applied { conflicts } = outcome {
                if !conflicts.is_empty()
                    && !facts.conflicts.iter().any(|c| conflicts.contains(&format!("{}.{}", c.0, c.2)))
                {
                    fail(format!("op {op}: conflicts {conflicts:?} were not recorded"));
                }
            }
        }
        self.stats
    }
}

async fn desk_model(
    seed: u64,
    state: &Arc<Mutex<ModelState>>,
    storm: &Arc<Mutex<bool>>,
    i: usize,
) -> (TempDir, String, Option<Workspace>, Faulty<ModelCentral>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let user = format!("desk{i}");
    let ws = Workspace::open_dir(dir.path(), user.clone()).await.expect("open");
    ws.skip_first_run().await.expect("first run");
    let central = Faulty {
        inner: ModelCentral { state: state.clone(), user: user.clone() },
        rng: Arc::new(Mutex::new(Rng(seed.wrapping_mul(31).wrapping_add(i as u64 + 1)))),
        storm: storm.clone(),
    };
    (dir, user, Some(ws), central)
}

async fn run_model(seed: u64) -> Stats {
    let state = Arc::new(Mutex::new(ModelState::default()));
    let storm = Arc::new(Mutex::new(false));
    let mut desks = Vec::new();
    for i in 0..DESKTOPS {
        desks.push(desk_model(seed, &state, &storm, i).await);
    }
    // desktop 0's company is the office's: it pushes it, the others pull it and work in it
    let ws0 = desks[0].2.as_mut().expect("ws");
    ws0.update_company(&CompanyInput { name: "Escritório".into(), nif: NIF.into(), ..Default::default() })
        .await
        .expect("company");
    let company = ws0.company().id;
    state.lock().expect("model").companies.push(company);
    for (_, _, ws, central) in desks.iter_mut() {
        let ws = ws.as_mut().expect("ws");
        sync::run_with(ws, central, &|_, _| {}).await.expect("first round");
        ws.switch_company(company).await.expect("switch to the office's company");
    }
    let mut sim = Sim {
        server: Model { state },
        company,
        desks,
        rng: Rng(seed),
        storm,
        ops: HashSet::new(),
        notices: Vec::new(),
        log: Vec::new(),
        stats: Stats::default(),
    };
    sim.run().await;
    sim.check(seed).await
}

fn seeds(n: u64) -> Vec<u64> {
    match std::env::var("OFFICE_SIM_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(one) => vec![one],
        None => (1..=n).collect(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_server_converges_under_faults_for_120_seeds() {
    let mut all = Stats::default();
    for seed in seeds(120) {
        all.add(run_model(seed).await);
    }
    eprintln!("model: {all:?}");
    if std::env::var("OFFICE_SIM_SEED").is_err() {
        all.assert_stormy();
    }
}

async fn run_pg(seed: u64) -> Stats {
    std::env::set_var("DESK_KEYRING", "kernel");
    std::env::set_var("DESK_KEYRING_SERVICE", format!("desk-office-sim-{}", std::process::id()));
    let office = office::Office::initialised(&format!("osim{seed}")).await;
    let company = office.company("Escritório", NIF).await;
    let storm = Arc::new(Mutex::new(false));
    let mut desks = Vec::new();
    let mut pools = Vec::new();
    for i in 0..DESKTOPS {
        let user = office.person(&office.root, &format!("d{i}"), ServerRole::Accountant, &[company]).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ws = Workspace::open_dir(dir.path(), user.clone()).await.expect("open");
        ws.skip_first_run().await.expect("first run");
        ws.update_company(&CompanyInput { name: "Escritório".into(), nif: NIF.into(), ..Default::default() })
            .await
            .expect("company");
        join::join(&ws, &office.address(&user).url(), &office::password(&user)).await.expect("join");
        let ws = Workspace::open_dir(dir.path(), user.clone()).await.expect("reopen");
        assert_eq!(ws.company().id, company);
        pools.push(office.as_person(&user).await);
        desks.push((dir, user, Some(ws)));
    }
    let server = Pg { office, pools };
    let desks = desks
        .into_iter()
        .enumerate()
        .map(|(i, (dir, user, ws))| {
            let central = Faulty {
                inner: server.central(i),
                rng: Arc::new(Mutex::new(Rng(seed.wrapping_mul(31).wrapping_add(i as u64 + 1)))),
                storm: storm.clone(),
            };
            (dir, user, ws, central)
        })
        .collect();
    let mut sim = Sim {
        server,
        company,
        desks,
        rng: Rng(seed),
        storm,
        ops: HashSet::new(),
        notices: Vec::new(),
        log: Vec::new(),
        stats: Stats::default(),
    };
    sim.run().await;
    let stats = sim.check(seed).await;
    for p in &sim.server.pools {
        p.close().await;
    }
    stats
}

#[tokio::test(flavor = "multi_thread")]
async fn the_real_postgresql_converges_under_faults_for_24_seeds() {
    let mut all = Stats::default();
    for seed in seeds(24) {
        all.add(run_pg(1000 + seed).await);
    }
    eprintln!("PostgreSQL: {all:?}");
    if std::env::var("OFFICE_SIM_SEED").is_err() {
        all.assert_stormy();
    }
}
