//! The team report of a session with 100,000 judgements, through the real HTTP API on a real
//! socket over SQLite (release build): `GET /v1/sessions/{id}/report` with the server's options
//! (1,000 bootstrap rounds, the default seed), end to end through `Client::report`, beside
//! references in the same run over the same events:
//! - `build_report` in memory with the same options (the floor: no database, no HTTP, no JSON);
//! - the server's share of the rest: reading and parsing the stored events straight from SQLite,
//!   and the report's JSON (serialised twice, for the digest and the body; blake3; parsed again
//!   by the client).
//!
//! 10 reviewers each push 10,000 judgements over 500 personas (per persona: 16 ratings,
//! 1 preference over the 4 candidates, 3 flags), every one of them a judgement that counts.
//!
//! `cargo bench -p screening-server --bench report`

use std::time::Instant;

use screening_core::report::events::EventLog;
use screening_core::report::{DEFAULT_SEED, JudgementEvent, Report, ReportOptions, build_report};
use screening_server::{Db, NewUser};
use screening_sync::{
    Client, NamedCandidate, NamedPersona, PublishedSession, PushRequest, Role, TeamReport,
};

const SESSION: &str = "bench-report";
const REVIEWERS: usize = 10;
const CANDIDATES: [&str; 4] = ["a", "b", "c", "d"];
const CRITERIA: usize = 5;
/// Per reviewer and persona: 16 ratings (4 candidates × 4 of the 5 criteria), 1 preference,
/// 3 flags.
const PER_PERSONA: usize = 20;
const PER_BATCH: usize = 5_000;

/// `cargo bench` passes `--bench`; `cargo test --all-targets` runs this once as a smoke test,
/// on a small session and one run, to check it still works.
fn benchmarking() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::args().any(|a| a == "--bench"))
}

/// Personas: 500 (10 in the smoke test).
fn personas() -> usize {
    if benchmarking() { 500 } else { 10 }
}

/// Judgements in all: 100,000 (2,000 in the smoke test).
fn total() -> usize {
    REVIEWERS * personas() * PER_PERSONA
}

/// Timed runs of each measurement.
fn runs() -> usize {
    if benchmarking() { 5 } else { 1 }
}

fn session() -> PublishedSession {
    PublishedSession {
        id: SESSION.into(),
        name: "Bench report".into(),
        k: 10,
        blind: false,
        criteria: (0..CRITERIA).map(|c| format!("c{c}")).collect(),
        incumbent: Some("a".into()),
        challenger: Some("b".into()),
        personas: (0..personas())
            .map(|p| NamedPersona { id: format!("p{p}"), name: format!("P{p}"), history: vec![] })
            .collect(),
        candidates: CANDIDATES.iter().map(|c| NamedCandidate { name: (*c).into() }).collect(),
        snapshots: vec![],
        gate: None,
        catalog: None,
    }
}

/// splitmix64: a deterministic stream of "random" numbers from a key.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Uniform in [-1, 1) from a key.
fn noise(key: u64) -> f64 {
    (mix(key) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// How good a candidate's list is for a persona, on the 1–5 scale (b a little better than a).
fn quality(persona: usize, candidate: usize) -> f64 {
    [3.2, 3.6, 2.8, 3.0][candidate] + (persona % 5) as f64 * 0.25 - 0.5
}

/// Reviewer `r`'s judgements (reviewer name `r{r}`, op ids `r{r}-…`), in the order pushed.
fn judgements(r: usize) -> Vec<JudgementEvent> {
    let reviewer = format!("r{r}");
    let mut log = EventLog::new(&reviewer);
    for p in 0..personas() {
        let persona = format!("p{p}");
        let key = |what: usize, i: usize| ((r * personas() + p) * 128 + what * 32 + i) as u64;
        // A preference: shown in a rotating order, ranked by quality with noise, equal scores
        // tied; now and then every list is bad.
        let shown: Vec<&str> = (0..4).map(|i| CANDIDATES[(p + r + i) % 4]).collect();
        let mut scored: Vec<(i64, &str)> = (0..4)
            .map(|c| ((quality(p, c) + 1.5 * noise(key(0, c))).round() as i64, CANDIDATES[c]))
            .collect();
        scored.sort_by_key(|x| std::cmp::Reverse(x.0));
        let mut tiers: Vec<Vec<&str>> = Vec::new();
        for (i, (s, c)) in scored.iter().enumerate() {
            match tiers.last_mut() {
                Some(t) if i > 0 && scored[i - 1].0 == *s => t.push(c),
                _ => tiers.push(vec![c]),
            }
        }
        let ranking: Vec<&[&str]> = tiers.iter().map(Vec::as_slice).collect();
        let e = log.prefer(&persona, &reviewer, &shown, &ranking);
        e.all_bad = mix(key(1, 0)) % 100 < 3;
        // Ratings: every candidate on 4 of the 5 criteria (one left out in turn).
        for (c, candidate) in CANDIDATES.iter().enumerate() {
            for k in (0..CRITERIA).filter(|k| *k != (p + r) % CRITERIA) {
                let v = (quality(p, c) + 1.2 * noise(key(2, c * CRITERIA + k))).round();
                log.rate(
                    &persona,
                    &reviewer,
                    candidate,
                    &format!("c{k}"),
                    v.clamp(1.0, 5.0) as i64,
                );
            }
        }
        // Flags on items of three different lists.
        for j in 0..3 {
            let h = mix(key(3, j));
            let flag = match h % 20 {
                0..6 => "great_pick",
                6..11 => "wrong_for_persona",
                11..15 => "already_seen",
                15..17 => "stale",
                17..19 => "duplicate_franchise",
                _ => "inappropriate",
            };
            let item = format!("m{}", (h >> 8) % 400);
            log.flag(&persona, &reviewer, CANDIDATES[(p + r + j) % 4], &item, flag);
        }
    }
    for e in &mut log.events {
        e.session_id = SESSION.into();
    }
    assert_eq!(log.events.len(), personas() * PER_PERSONA);
    log.events
}

/// The options `GET /v1/sessions/{id}/report` builds the report with (crates/server/src/sessions.rs).
fn server_options(s: &PublishedSession) -> ReportOptions {
    ReportOptions {
        seed: DEFAULT_SEED,
        candidates: s.candidates.iter().map(|c| c.name.clone()).collect(),
        criteria: s.criteria.clone(),
        incumbent: s.incumbent.clone(),
        challenger: s.challenger.clone(),
        gate: s.gate.clone().unwrap_or_default(),
        ..ReportOptions::default()
    }
}

/// Min and median in milliseconds.
fn summary(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    (ms[0], ms[ms.len() / 2])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.db");
    let db = Db::open(&format!("sqlite://{}", file.display())).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(screening_server::serve(listener, db.clone(), std::future::pending()));
    let mut clients = Vec::new();
    for r in 0..REVIEWERS {
        let token = db
            .add_user(&NewUser { name: format!("r{r}"), role: Role::Reviewer, expires_in: None })
            .await
            .unwrap();
        clients.push(Client::new(&base, &token));
    }
    let published = session();
    clients[0].publish(&published).await.unwrap();

    // Every reviewer's judgements, pushed with the reviewer's own token; the server stores them
    // in this order, so the in-memory reference sees the same list.
    let mut events = Vec::with_capacity(total());
    let start = Instant::now();
    for (r, client) in clients.iter().enumerate() {
        let mine = judgements(r);
        for (b, chunk) in mine.chunks(PER_BATCH).enumerate() {
            let seq = 1 + (b * PER_BATCH) as i64;
            let batch: Vec<(JudgementEvent, i64)> = chunk.iter().cloned().zip(seq..).collect();
            let resp = client
                .push(&format!("r{r}-{b}"), &PushRequest::new(format!("dev-{r}"), &batch))
                .await
                .unwrap();
            assert_eq!(
                resp.accepted as usize,
                chunk.len(),
                "reviewer r{r}, batch {b}: not all accepted"
            );
        }
        events.extend(mine);
    }
    let pushed = start.elapsed().as_secs_f64();
    assert_eq!(events.len(), total());
    let options = server_options(&published);

    // The reference in memory.
    let mut local_ms = Vec::new();
    let mut local: Option<Report> = None;
    for _ in 0..runs() {
        let t = Instant::now();
        let report = build_report(&events, &options);
        local_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        local = Some(report);
    }
    let local = local.unwrap();
    assert_eq!(local.judgements as usize, total(), "every pushed judgement counts in memory");
    let local_digest =
        blake3::hash(serde_json::to_string(&local).unwrap().as_bytes()).to_hex().to_string();

    // The server, end to end.
    let mut server_ms = Vec::new();
    for run in 0..runs() {
        let t = Instant::now();
        let team = clients[run % REVIEWERS].report(SESSION).await.unwrap();
        server_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let r = &team.report;
        assert_eq!(
            (
                r.judgements,
                r.reviewers,
                r.personas,
                r.rounds,
                r.seed,
                r.preferences.count,
                r.flags.len()
            ),
            (
                local.judgements,
                local.reviewers,
                local.personas,
                local.rounds,
                local.seed,
                local.preferences.count,
                local.flags.len()
            ),
            "the server's report (judgements, reviewers, personas, rounds, seed, preferences, flag \
             rows) differs from build_report's over the same events"
        );
        assert_eq!(
            team.digest, local_digest,
            "the server's report digest differs from build_report's"
        );
    }

    // The server's share, measured apart: the events read from SQLite and parsed …
    let (mut load_ms, mut fetch_ms) = (Vec::new(), Vec::new());
    {
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        let options = SqliteConnectOptions::new().filename(&file).read_only(true);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        for _ in 0..runs() {
            let t = Instant::now();
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT payload FROM events WHERE session_id = ? ORDER BY seq")
                    .bind(SESSION)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            fetch_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            let loaded = rows
                .iter()
                .map(|(p,)| serde_json::from_str::<JudgementEvent>(p))
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            load_ms.push(t.elapsed().as_secs_f64() * 1000.0);
            assert!(loaded == events, "the stored events differ from the pushed ones");
        }
        pool.close().await;
    }
    // … and the report's JSON: serialised for the digest and for the body, parsed by the client.
    let mut json_ms = Vec::new();
    let mut body_bytes = 0;
    for _ in 0..runs() {
        let t = Instant::now();
        let text = serde_json::to_string(&local).unwrap();
        let digest = blake3::hash(text.as_bytes()).to_hex().to_string();
        let team = TeamReport { session_id: SESSION.into(), digest, report: local.clone() };
        let body = serde_json::to_string(&team).unwrap();
        let back: TeamReport = serde_json::from_str(&body).unwrap();
        json_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        body_bytes = body.len();
        assert_eq!(back.report.judgements, local.judgements);
    }

    let (total, runs) = (total(), runs());
    let (server_min, server_med) = summary(server_ms);
    let (local_min, local_med) = summary(local_ms);
    let (load_min, load_med) = summary(load_ms);
    let (fetch_min, fetch_med) = summary(fetch_ms);
    let (json_min, json_med) = summary(json_ms);
    println!(
        "team report on SQLite (release, 2 worker threads, client and server on the same 2 cores; \
         {total} judgements from {REVIEWERS} reviewers, {} rounds, {runs} runs)",
        local.rounds
    );
    println!("{:<72} {:>10} {:>10}", "measurement", "min ms", "median ms");
    let row = |what: &str, min: f64, med: f64| println!("{what:<72} {min:>10.1} {med:>10.1}");
    row("GET /v1/sessions/{id}/report through Client::report, end to end", server_min, server_med);
    row("reference: build_report in memory, same events and options", local_min, local_med);
    row(
        "  of the server's rest: events read from SQLite and parsed (sqlx direct)",
        load_min,
        load_med,
    );
    row(&format!("    of which the query alone ({total} payloads fetched)"), fetch_min, fetch_med);
    row(
        &format!("  of the server's rest: report JSON ×2 + blake3 + client parse ({body_bytes} B)"),
        json_min,
        json_med,
    );
    println!(
        "{:<72} {:>10} {:>10.1}",
        "  the rest (Any driver, HTTP, scheduling): medians' difference, noisy",
        "",
        server_med - local_med - load_med - json_med
    );
    println!(
        "(setup: {total} judgements pushed in {:.1} s, {:.0}/s; {} ratings, {} preferences, {} flag rows)",
        pushed,
        total as f64 / pushed,
        total - REVIEWERS * personas() * 4,
        local.preferences.count,
        local.flags.len()
    );
}
