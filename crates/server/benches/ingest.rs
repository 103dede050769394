//! Ingest on SQLite, through the real HTTP API on a real socket (release build):
//! - batched pushes: 50 batches × 1,000 judgements (issue target ≥ 20,000 judgements/s),
//!   beside a reference in the same run: the same rows inserted straight into SQLite, 1,000 per
//!   transaction (the storage floor, no HTTP, no checks);
//! - single-judgement pushes from 50 concurrent clients: requests/s and latency percentiles.
//!
//! `cargo bench -p screening-server --bench ingest`

use std::time::Instant;

use screening_core::report::events::EventLog;
use screening_server::{Db, NewUser};
use screening_sync::{Client, NamedCandidate, NamedPersona, PublishedSession, PushRequest, Role};

const BATCHES: usize = 50;
const PER_BATCH: usize = 1_000;
const CLIENTS: usize = 50;
const PER_CLIENT: usize = 40;

fn session() -> PublishedSession {
    PublishedSession {
        id: "bench".into(),
        name: "Bench".into(),
        k: 10,
        blind: false,
        criteria: (0..50).map(|c| format!("c{c}")).collect(),
        incumbent: Some("a".into()),
        challenger: Some("b".into()),
        personas: (0..100)
            .map(|p| NamedPersona { id: format!("p{p}"), name: format!("P{p}"), history: vec![] })
            .collect(),
        candidates: ["a", "b", "c", "d"]
            .iter()
            .map(|c| NamedCandidate { name: (*c).into() })
            .collect(),
        snapshots: vec![],
        gate: None,
        catalog: None,
    }
}

/// `n` ratings with op ids starting `prefix`.
fn ratings(prefix: &str, n: usize) -> Vec<(screening_core::report::JudgementEvent, i64)> {
    let mut log = EventLog::new(prefix);
    for i in 0..n {
        let e = log.rate(
            &format!("p{}", i % 100),
            "-",
            ["a", "b", "c", "d"][i % 4],
            &format!("c{}", i % 50),
            1 + (i % 5) as i64,
        );
        e.session_id = "bench".into();
    }
    log.events.into_iter().zip(1..).collect()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db =
        Db::open(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(screening_server::serve(listener, db.clone(), std::future::pending()));
    let mut tokens = Vec::new();
    for u in 0..CLIENTS {
        tokens.push(
            db.add_user(&NewUser { name: format!("u{u}"), role: Role::Reviewer, expires_in: None })
                .await
                .unwrap(),
        );
    }
    let client = Client::new(&base, &tokens[0]);
    client.publish(&session()).await.unwrap();

    // Batched pushes.
    let batches: Vec<PushRequest> = (0..BATCHES)
        .map(|b| PushRequest::new("dev", &ratings(&format!("b{b}"), PER_BATCH)))
        .collect();
    let start = Instant::now();
    for (b, req) in batches.iter().enumerate() {
        let r = client.push(&format!("batch-{b}"), req).await.unwrap();
        assert_eq!(r.accepted as usize, PER_BATCH);
    }
    let pushed = start.elapsed().as_secs_f64();
    let total = (BATCHES * PER_BATCH) as f64;

    // Reference: the same number of rows straight into SQLite.
    let reference = {
        use sqlx::sqlite::{
            SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
        };
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("reference.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        sqlx::query("CREATE TABLE events (op_id TEXT PRIMARY KEY, device_seq INTEGER NOT NULL, payload TEXT NOT NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let rows: Vec<Vec<(String, i64, String)>> = (0..BATCHES)
            .map(|b| {
                ratings(&format!("r{b}"), PER_BATCH)
                    .into_iter()
                    .map(|(e, s)| (e.op_id.clone(), s, serde_json::to_string(&e).unwrap()))
                    .collect()
            })
            .collect();
        let start = Instant::now();
        for batch in &rows {
            let mut tx = pool.begin().await.unwrap();
            for (op, seq, payload) in batch {
                sqlx::query("INSERT INTO events (op_id, device_seq, payload) VALUES (?, ?, ?)")
                    .bind(op)
                    .bind(seq)
                    .bind(payload)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
        start.elapsed().as_secs_f64()
    };

    // Single-judgement pushes from concurrent clients.
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (c, token) in tokens.iter().enumerate() {
        let client = Client::new(&base, token);
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(PER_CLIENT);
            for (i, one) in ratings(&format!("c{c}"), PER_CLIENT).into_iter().enumerate() {
                let req = PushRequest::new(format!("dev-{c}"), &[one]);
                let t = Instant::now();
                client.push(&format!("c{c}-{i}"), &req).await.unwrap();
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let concurrent = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);

    println!("ingest on SQLite (release, 2 worker threads, client and server on the same 2 cores)");
    println!("{:<62} {:>14}", "measurement", "rate");
    println!(
        "{:<62} {:>10.0} /s",
        format!("batched pushes over HTTP ({BATCHES} × {PER_BATCH} judgements)"),
        total / pushed
    );
    println!(
        "{:<62} {:>10.0} /s",
        "reference: the same rows straight into SQLite, 1,000 per transaction",
        total / reference
    );
    println!(
        "{:<62} {:>10.0} /s   p50 {:.1} ms, p99 {:.1} ms",
        format!("single-judgement pushes, {CLIENTS} concurrent clients × {PER_CLIENT}"),
        latencies.len() as f64 / concurrent,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99)
    );
}
