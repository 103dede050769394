//! `screening sync`: the desktop's outbox drained by the CLI into a real `screening server`
//! process — a backlog of 100,000 judgements in pages, killed halfway and resumed; the app's lock,
//! offline, a wrong directory.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use screening_app::{
    JudgementInput, Library, ModelCache, NewSessionRequest, RecordRequest, SyncSettingsRequest,
    Workspace,
};
use screening_store::Store;
use sqlx::AssertSqlSafe;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};

use crate::{Running, screening, start_server};

/// Judgements in the backlog.
const TOTAL: i64 = 100_000;
/// Judgements per push (the app's batch): what bounds the client's memory.
const PAGE: u64 = 500;
/// Peak resident memory allowed to a `screening sync` process. A debug build peaks at about
/// 65 MB (most of it the demo catalog the workspace loads); the 100,000 judgements read whole,
/// as stored rows, events and the push body, would add well over 100 MB.
const MAX_RSS_KB: u64 = 160 * 1024;

#[test]
fn backlog_of_100000_goes_in_pages_in_bounded_memory_and_resumes_after_a_kill_without_duplicates() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let server_db = tmp.path().join("server.db");
    let url = format!("sqlite://{}", server_db.display());
    let added =
        screening(&["server", "add-user", "--db", &url, "--name", "ana", "--role", "reviewer"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let token = String::from_utf8(added.stdout).unwrap().lines().last().unwrap().to_owned();
    let (server, base) = start_server(&url, "127.0.0.1:0");
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    // The app's way: settings, a session frozen and published, two judgements recorded.
    let data = tmp.path().join("data");
    let (ws, store, session) = rt.block_on(prepare(&data, &base, &token));
    let busy = screening(&["sync", "--data", data.to_str().unwrap(), "--status"]);
    assert_eq!(busy.status.code(), Some(1), "the app holds the data directory");
    let err = String::from_utf8_lossy(&busy.stderr);
    assert!(err.contains("another Screening Room window is using"), "{err}");
    rt.block_on(async move {
        drop(ws);
        store.close().await;
    });
    let seeded = Instant::now();
    rt.block_on(seed(&data, &session));
    eprintln!("seeded {TOTAL} judgements in {:.1} s", seeded.elapsed().as_secs_f64());
    let status = sync_cmd(&data, &["--status"]);
    assert!(status.success, "{status:?}");
    assert!(status.stdout.starts_with(&format!("pending: {TOTAL} pending")), "{status:?}");

    // The first run is killed (SIGKILL) once the server holds about half.
    let sending = Instant::now();
    let mut child = spawn_sync(&data);
    let http = reqwest::blocking::Client::new();
    let on_server = || -> i64 {
        let sessions: serde_json::Value = http
            .get(format!("{base}/v1/sessions"))
            .header("x-screening-protocol", "1")
            .bearer_auth(&token)
            .send()
            .unwrap()
            .json()
            .unwrap();
        sessions.as_array().unwrap().iter().find(|s| s["id"] == session.as_str()).unwrap()["events"]
            .as_i64()
            .unwrap()
    };
    let mut first_peak = None;
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            panic!("the first run ended before the kill ({status}): {:?}", output_of(&mut child.0));
        }
        first_peak = peak_rss_kb(&child.0).or(first_peak);
        if on_server() >= 40_000 {
            break;
        }
        assert!(sending.elapsed() < Duration::from_secs(120), "40,000 not sent in 2 min");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(child);
    let halfway = on_server();
    eprintln!(
        "killed after {:.1} s with {halfway} judgements on the server",
        sending.elapsed().as_secs_f64()
    );
    assert!(halfway < TOTAL, "the kill came halfway");
    let status = sync_cmd(&data, &["--status"]);
    let left = status
        .stdout
        .strip_prefix("pending: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("{status:?}"));
    // The local outbox trails the server by at most the batch in flight when the kill came.
    let slack = PAGE as i64;
    assert!((TOTAL - halfway - slack..=TOTAL - halfway + slack).contains(&left), "{status:?}");
    if left > TOTAL - halfway {
        eprintln!("the kill came between the server's commit and the client's mark: a resend");
    }

    // Without its token (where the app saves it as a file) a run sends nothing, and says so.
    let token_file = data.join("sync-token");
    if token_file.is_file() {
        std::fs::rename(&token_file, data.join("elsewhere")).unwrap();
        let without = sync_cmd(&data, &[]);
        std::fs::rename(data.join("elsewhere"), &token_file).unwrap();
        assert!(!without.success, "{without:?}");
        assert_eq!(without.stdout, format!("pending: 0 sent, {left} pending"), "{without:?}");
        assert!(without.stderr.contains("no token for http://127.0.0.1:"), "{without:?}");
    } else {
        eprintln!(
            "the token is not kept in {}: the run without it is skipped",
            token_file.display()
        );
    }

    // The second run resumes and finishes.
    let resumed = Instant::now();
    let mut child = spawn_sync(&data);
    let mut second_peak = None;
    while child.0.try_wait().unwrap().is_none() {
        second_peak = peak_rss_kb(&child.0).or(second_peak);
        assert!(resumed.elapsed() < Duration::from_secs(300), "the second run takes > 5 min");
        std::thread::sleep(Duration::from_millis(20));
    }
    let done = output_of(&mut child.0);
    eprintln!("the second run took {:.1} s: {done:?}", resumed.elapsed().as_secs_f64());
    assert!(done.success, "{done:?}");
    assert_eq!(done.stdout, format!("synced: {left} sent, 0 pending"), "{done:?}");
    let status = sync_cmd(&data, &["--status"]);
    assert!(status.stdout.starts_with("synced: 0 pending"), "{status:?}");

    // The server holds every judgement once, the device's own op ids and numbers, pushed in pages.
    rt.block_on(check_server(&server_db, &data, &session));
    // Memory follows the page, not the backlog.
    for (run, peak) in [("first", first_peak), ("second", second_peak)] {
        match peak {
            Some(kb) => {
                eprintln!("peak RSS of the {run} run: {} MB", kb / 1024);
                assert!(kb < MAX_RSS_KB, "the {run} run peaked at {} MB", kb / 1024);
            }
            None => eprintln!("peak RSS not measured (no /proc/<pid>/status here)"),
        }
    }

    // The server gone: nothing to send, and still the CLI says it is offline, exit code 1.
    drop(server);
    let offline = sync_cmd(&data, &[]);
    assert!(!offline.success, "{offline:?}");
    assert!(offline.stdout.starts_with("offline: cannot reach http://127.0.0.1:"), "{offline:?}");
    assert!(offline.stdout.ends_with("(0 sent, 0 pending)"), "{offline:?}");
    assert!(offline.stderr.starts_with("error: not synced"), "{offline:?}");
    eprintln!("the whole test took {:.1} s", started.elapsed().as_secs_f64());
}

#[test]
fn a_folder_without_the_apps_database_is_refused_and_not_created() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("typo");
    let out = sync_cmd(&missing, &[]);
    assert!(!out.success, "{out:?}");
    assert!(out.stderr.contains("is not a Screening Room data directory"), "{out:?}");
    assert!(!missing.exists(), "nothing was created");
}

/// Sets up `data` the way the app does: the server's settings, a blind session of two personas
/// and two candidates, frozen, published, and two ratings recorded (pending, not yet sent).
/// Returns the open workspace (it holds the directory), its store and the session id.
async fn prepare(data: &Path, base: &str, token: &str) -> (Workspace, Store, String) {
    let store = Store::open(data).await.unwrap();
    let demo = Arc::new(Library::demo());
    let ws = Workspace::on(store.clone(), data, demo, ModelCache::new(None), "ana".into())
        .await
        .unwrap();
    ws.sync
        .configure(SyncSettingsRequest { server_url: base.into(), token: token.into() })
        .await
        .unwrap();
    let session = ws
        .reviews
        .create_session(NewSessionRequest {
            name: "Backlog".into(),
            persona_ids: vec!["reality-fan".into(), "new-viewer".into()],
            candidate_ids: vec!["builtin-popularity".into(), "builtin-random".into()],
            k: 5,
            blind: true,
            criteria: vec!["overall".into(), "relevance".into()],
            incumbent_candidate_id: Some("builtin-popularity".into()),
            challenger_candidate_id: None,
        })
        .await
        .unwrap();
    let id = session.summary.id;
    ws.reviews.freeze(&id, |_| {}).await.unwrap();
    ws.sync.publish(&id).await.unwrap();
    let board = ws.reviews.board(&id, "reality-fan").await.unwrap();
    for (column, score) in board.columns.iter().zip([4, 2]) {
        let judgement = JudgementInput::Rating {
            snapshot_id: column.snapshot_id.clone(),
            criterion: "overall".into(),
            score,
        };
        let req =
            RecordRequest { session_id: id.clone(), persona_id: "reality-fan".into(), judgement };
        ws.reviews.record(req).await.unwrap();
    }
    assert_eq!(ws.sync.status().await.unwrap().pending, 2);
    (ws, store, id)
}

/// Test fixture: fills the session up to [`TOTAL`] judgements by writing rows straight into the
/// closed app's SQLite file, in one transaction (`Store::record` syncs every judgement to disk
/// on its own, far too slow for 100,000). The rows copy the two real ones: this device, the next
/// `device_seq`s, UUIDv7 op ids, ratings 1–5 of the session's lists on its criteria (each
/// superseding nothing), enqueued in the outbox in the order they were made.
async fn seed(data: &Path, session: &str) {
    let pool = local_db(data).await;
    let real: Vec<(String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT device_id, device_seq, reviewer, payload, created_at FROM judgements
         WHERE session_id = ? ORDER BY device_seq",
    )
    .bind(session)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(real.len(), 2);
    assert_eq!(real[0].3, r#"{"criterion":"overall","score":4}"#, "the payload's shape");
    let (device, last_seq, reviewer, _, last_at) = real[1].clone();
    let lists: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, persona_id FROM snapshots WHERE session_id = ? ORDER BY persona_id, id",
    )
    .bind(session)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(lists.len(), 4, "two personas × two candidates");
    let criteria = ["overall", "relevance"];

    let mut tx = pool.begin().await.unwrap();
    let seqs: Vec<i64> = (last_seq + 1..=TOTAL).collect();
    for chunk in seqs.chunks(500) {
        // 500 rows a statement, 9 parameters each.
        let sql = format!(
            "INSERT INTO judgements (op_id, device_id, device_seq, reviewer, session_id,
                 persona_id, snapshot_id, item_id, kind, payload, created_at, supersedes)
             VALUES {}",
            vec!["(?, ?, ?, ?, ?, ?, ?, NULL, 'rating', ?, ?, NULL)"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for &seq in chunk {
            let n = seq as usize;
            let (snapshot, persona) = &lists[n % lists.len()];
            let payload = serde_json::json!({
                "criterion": criteria[(n / lists.len()) % criteria.len()],
                "score": 1 + n % 5,
            });
            q = q
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(&device)
                .bind(seq)
                .bind(&reviewer)
                .bind(session)
                .bind(persona)
                .bind(snapshot)
                .bind(payload.to_string())
                .bind(last_at + seq - last_seq);
        }
        q.execute(&mut *tx).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO outbox (op_id, enqueued_at, device_seq)
         SELECT j.op_id, j.created_at, j.device_seq FROM judgements j
         WHERE j.session_id = ? AND j.device_seq > ? ORDER BY j.device_seq",
    )
    .bind(session)
    .bind(last_seq)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    pool.close().await;
}

/// The server's events of `session` against the device's judgements, and its push batches.
async fn check_server(server_db: &Path, data: &Path, session: &str) {
    let local = local_db(data).await;
    let server =
        SqlitePool::connect_with(SqliteConnectOptions::new().filename(server_db).read_only(true))
            .await
            .unwrap();
    let (n, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT op_id) FROM events WHERE session_id = ?")
            .bind(session)
            .fetch_one(&server)
            .await
            .unwrap();
    assert_eq!((n, distinct), (TOTAL, TOTAL), "every judgement once");
    let ids = "SELECT op_id, device_id, device_seq FROM {} WHERE session_id = ? ORDER BY op_id";
    let ids = |table: &str| ids.replace("{}", table);
    let on_server: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(ids("events")))
        .bind(session)
        .fetch_all(&server)
        .await
        .unwrap();
    let on_device: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(ids("judgements")))
        .bind(session)
        .fetch_all(&local)
        .await
        .unwrap();
    assert_eq!(on_device.len(), TOTAL as usize);
    assert!(on_server == on_device, "the server holds exactly the device's op ids and numbers");
    let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
        .fetch_one(&local)
        .await
        .unwrap();
    assert_eq!(unsent, 0);

    // One idempotency row per push: the batches, each at most a page.
    let answers: Vec<(String,)> =
        sqlx::query_as("SELECT response FROM idempotency").fetch_all(&server).await.unwrap();
    let (mut accepted, mut duplicates, mut largest) = (0, 0, 0);
    for (answer,) in &answers {
        let a: serde_json::Value = serde_json::from_str(answer).unwrap();
        let (acc, dup) = (a["accepted"].as_u64().unwrap(), a["duplicates"].as_u64().unwrap());
        (accepted, duplicates, largest) =
            (accepted + acc, duplicates + dup, largest.max(acc + dup));
    }
    eprintln!(
        "{} pushes: {accepted} accepted, {duplicates} duplicates, the largest {largest} events",
        answers.len()
    );
    assert!(largest <= PAGE, "a push of {largest} events");
    assert!(answers.len() as u64 >= TOTAL as u64 / PAGE, "{} pushes", answers.len());
    assert_eq!(accepted, TOTAL as u64, "each judgement accepted once");
    server.close().await;
    local.close().await;
}

/// The app's database in `data`, opened beside (not through) the store.
async fn local_db(data: &Path) -> SqlitePool {
    let file = data.join(screening_store::DB_FILE);
    SqlitePool::connect_with(SqliteConnectOptions::new().filename(file).foreign_keys(true))
        .await
        .unwrap()
}

/// `screening sync --data DIR` as a child process, stdout and stderr captured.
fn spawn_sync(data: &Path) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["sync", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    Running(child)
}

/// What a `screening sync` run printed (stdout trimmed) and whether it succeeded.
#[derive(Debug)]
struct Out {
    success: bool,
    stdout: String,
    stderr: String,
}

fn sync_cmd(data: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["sync", "--data", data.to_str().unwrap()];
    args.extend(extra);
    let out = screening(&args);
    Out {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
    }
}

/// The output of a finished (or killed) child.
fn output_of(child: &mut Child) -> Out {
    let status: ExitStatus = child.wait().unwrap();
    let read = |r: Option<&mut dyn Read>| {
        let mut s = String::new();
        if let Some(r) = r {
            r.read_to_string(&mut s).unwrap();
        }
        s.trim().to_owned()
    };
    let stdout = read(child.stdout.as_mut().map(|r| r as &mut dyn Read));
    let stderr = read(child.stderr.as_mut().map(|r| r as &mut dyn Read));
    Out { success: status.success(), stdout, stderr }
}

/// The peak resident memory of a running child (`VmHWM`, Linux), in kB; `None` elsewhere or once
/// it has exited.
fn peak_rss_kb(child: &Child) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
