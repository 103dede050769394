//! Nothing acknowledged is ever lost: a writer process is killed (SIGKILL) at random moments,
//! 200 times; after each kill the file is sound and every judgement the writer had reported
//! saved is there, with its outbox row.
//!
//! The writer is this test binary run again with `SCREENING_TORTURE_DIR` set (the
//! `torture_writer` test below), so no extra executable is needed.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use screening_store::Store;

use super::judgements::rating;
use super::seeded;

const ROUNDS: usize = 200;
const DIR_VAR: &str = "SCREENING_TORTURE_DIR";
const SESSION_VAR: &str = "SCREENING_TORTURE_SESSION";

/// The writer: records judgements as fast as it can, printing `saved <op_id>` after each commit.
#[tokio::test]
async fn torture_writer() {
    let (Some(dir), Some(session)) = (std::env::var_os(DIR_VAR), std::env::var(SESSION_VAR).ok())
    else {
        return; // run normally: nothing to do
    };
    let store = Store::open(std::path::Path::new(&dir)).await.expect("writer opens the store");
    let mut previous: Option<String> = None;
    for n in 0u64.. {
        let mut j = rating(&session, (n % 5 + 1) as u8);
        j.supersedes = previous.take().filter(|_| n % 3 != 0);
        let saved = store.record(j).await.expect("record");
        println!("saved {}", saved.op_id);
        previous = Some(saved.op_id);
    }
}

#[test]
fn killing_the_writer_at_random_never_loses_a_saved_judgement() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let session = rt.block_on(async {
        let store = Store::open(dir.path()).await.unwrap();
        let session = seeded(&store).await;
        store.close().await;
        session
    });
    let exe = std::env::current_exe().unwrap();
    let mut rng = 0x5eed_u64;
    let mut saved: HashSet<String> = HashSet::new();
    let mut rounds_with_writes = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args(["crash::torture_writer", "--exact", "--nocapture", "--test-threads=1"])
            .env(DIR_VAR, dir.path())
            .env(SESSION_VAR, &session)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.strip_prefix("saved ").map(str::to_owned))
                .collect::<Vec<String>>()
        });
        rng = screening_core::splitmix64(rng);
        std::thread::sleep(Duration::from_millis(10 + rng % 90));
        child.kill().unwrap(); // SIGKILL: no destructors, no flush, no checkpoint
        child.wait().unwrap();
        let reported = reader.join().unwrap();
        rounds_with_writes += usize::from(!reported.is_empty());
        saved.extend(reported);

        rt.block_on(async {
            let store = Store::open(dir.path()).await.unwrap();
            assert_eq!(store.integrity_check().await.unwrap(), "ok", "round {round}");
            let stored: HashSet<String> =
                store.judgements(&session).await.unwrap().into_iter().map(|j| j.op_id).collect();
            let queued: HashSet<String> =
                store.outbox_pending().await.unwrap().into_iter().collect();
            for op in &saved {
                assert!(stored.contains(op), "round {round}: saved judgement {op} is gone");
                assert!(
                    queued.contains(op),
                    "round {round}: saved judgement {op} has no outbox row"
                );
            }
            assert_eq!(stored, queued, "round {round}: every judgement has exactly one outbox row");
            store.close().await;
        });
    }
    eprintln!("{rounds_with_writes} of {ROUNDS} rounds wrote; {} judgements saved", saved.len());
    // The kills must have landed while writing, not only before the first write.
    assert!(rounds_with_writes > ROUNDS / 2, "only {rounds_with_writes} rounds wrote anything");
    assert!(saved.len() > ROUNDS, "only {} judgements written", saved.len());
}
