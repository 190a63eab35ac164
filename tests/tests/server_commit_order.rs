//! The pull cursor never skips a row that commits late (issue 18, PRODUCT.md §4.2): `rev` comes from a one-row
//! clock whose row lock every writing transaction holds until it commits. Tested with real connections: a
//! transaction takes its rev first and commits last, another writes meanwhile, and a pull runs in between.

mod office;

use desk_model::ipc::ServerRole;
use office::Office;
use sqlx::{Connection, PgConnection, PgPool};
use std::time::Duration;
use uuid::Uuid;

/// What a pull does: the rows past the cursor, in rev order, and the new cursor.
async fn pull(pool: &PgPool, cursor: i64) -> (Vec<(Uuid, i64)>, i64) {
    let rows: Vec<(Uuid, i64)> = sqlx::query_as("SELECT id, rev FROM customers WHERE rev > $1 ORDER BY rev")
        .bind(cursor)
        .fetch_all(pool)
        .await
        .expect("pull");
    let next = rows.last().map_or(cursor, |r| r.1);
    (rows, next)
}

async fn insert(conn: &mut PgConnection, company: Uuid, name: &str) -> (Uuid, i64) {
    let id = Uuid::now_v7();
    let rev: i64 = sqlx::query_scalar(
        "INSERT INTO customers (id, company_id, name, created_at) VALUES ($1, $2, $3, 'x') RETURNING rev",
    )
    .bind(id)
    .bind(company)
    .bind(name)
    .fetch_one(conn)
    .await
    .expect("insert");
    (id, rev)
}

#[tokio::test]
async fn a_transaction_that_takes_its_rev_first_and_commits_last_is_still_pulled() {
    let office = Office::initialised("order").await;
    let a = office.company("A", "500000000").await;
    let ana = office.person(&office.root, "ana", ServerRole::Accountant, &[a]).await;
    let rui = office.person(&office.root, "rui", ServerRole::Accountant, &[a]).await;
    let eva = office.person(&office.root, "eva", ServerRole::Viewer, &[a]).await;
    let puller = office.as_person(&eva).await;

    let mut first = office.conn(&ana).await;
    insert(&mut first, a, "before").await;
    let (rows, cursor) = pull(&puller, 0).await;
    assert_eq!(rows.len(), 1);

    // A: takes its rev and stays open
    let mut tx_a = first.begin().await.expect("begin A");
    let (id_a, rev_a) = insert(&mut tx_a, a, "slow").await;
    assert!(rev_a > cursor);

    // B: starts after A took its rev and tries to commit first
    let mut second = office.conn(&rui).await;
    let b = tokio::spawn(async move {
        let mut tx_b = second.begin().await.expect("begin B");
        let (id_b, rev_b) = insert(&mut tx_b, a, "fast").await;
        tx_b.commit().await.expect("commit B");
        (id_b, rev_b)
    });

    // a pull in between: nothing new is visible, and B has not committed past A
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (between, cursor_between) = pull(&puller, cursor).await;
    assert!(between.is_empty(), "uncommitted or waiting rows are not visible: {between:?}");
    assert_eq!(cursor_between, cursor);
    assert!(!b.is_finished(), "B waits for A's clock row instead of committing a later rev first");

    // A commits last of the two revs taken; B follows
    tx_a.commit().await.expect("commit A");
    let (id_b, rev_b) = tokio::time::timeout(Duration::from_secs(10), b).await.expect("B finishes").expect("B");
    assert!(rev_b > rev_a, "revs follow commit order: A {rev_a}, B {rev_b}");

    // the next pull gets both, A first
    let (after, cursor_after) = pull(&puller, cursor_between).await;
    assert_eq!(after, vec![(id_a, rev_a), (id_b, rev_b)]);
    assert_eq!(cursor_after, rev_b);
    let (nothing, _) = pull(&puller, cursor_after).await;
    assert!(nothing.is_empty());
}

#[tokio::test]
async fn concurrent_writers_never_leave_a_gap_a_pull_could_skip() {
    // Eight writers, many small transactions, a puller running all along: every row is pulled exactly once.
    let office = Office::initialised("order_many").await;
    let a = office.company("A", "500000000").await;
    let writer = office.person(&office.root, "w", ServerRole::Accountant, &[a]).await;
    let reader = office.person(&office.root, "r", ServerRole::Viewer, &[a]).await;
    let puller = office.as_person(&reader).await;
    let mut handles = Vec::new();
    for w in 0..8 {
        let mut conn = office.conn(&writer).await;
        handles.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..25 {
                let mut tx = conn.begin().await.expect("begin");
                let (id, _) = insert(&mut tx, a, &format!("w{w}-{i}")).await;
                if i % 5 == 0 {
                    // hold the transaction open a little after taking the rev
                    sqlx::query("SELECT pg_sleep(0.01)").execute(&mut *tx).await.expect("sleep");
                }
                tx.commit().await.expect("commit");
                ids.push(id);
            }
            ids
        }));
    }
    let mut seen = Vec::new();
    let mut cursor = 0;
    loop {
        let done = handles.iter().all(|h| h.is_finished());
        let (rows, next) = pull(&puller, cursor).await;
        seen.extend(rows.into_iter().map(|r| r.0));
        cursor = next;
        if done {
            let (rows, _) = pull(&puller, cursor).await;
            seen.extend(rows.into_iter().map(|r| r.0));
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut written = Vec::new();
    for h in handles {
        written.extend(h.await.expect("writer"));
    }
    written.sort();
    let mut pulled = seen.clone();
    pulled.sort();
    assert_eq!(pulled.len(), seen.len());
    pulled.dedup();
    assert_eq!(pulled.len(), seen.len(), "no row pulled twice");
    assert_eq!(pulled, written, "every committed row pulled");
}
