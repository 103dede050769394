//! `screening server`: listening, users and tokens, shutting down on SIGTERM.

use std::process::Command;

use crate::{screening, start_server};

#[test]
fn the_server_starts_adds_and_revokes_users_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let added =
        screening(&["server", "add-user", "--db", &db, "--name", "ann", "--role", "approver"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let out = String::from_utf8(added.stdout).unwrap();
    let token = out.lines().last().unwrap().to_owned();
    assert_eq!(token.len(), 64, "256 bits as hex, alone on the last line: {out}");
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    let twice = screening(&["server", "add-user", "--db", &db, "--name", "ann", "--role", "admin"]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("a user named \"ann\" exists already"));

    let (mut server, base) = start_server(&db, "127.0.0.1:0");
    assert!(base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"), "{base}");

    let http = reqwest::blocking::Client::new();
    let health = http.get(format!("{base}/health")).send().unwrap();
    assert_eq!(health.status().as_u16(), 200);
    let sessions = |token: &str| {
        http.get(format!("{base}/v1/sessions"))
            .header("x-screening-protocol", "1")
            .bearer_auth(token)
            .send()
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(sessions(&token), 200);
    let revoked = screening(&["server", "revoke", "--db", &db, "--name", "ann"]);
    assert!(String::from_utf8_lossy(&revoked.stdout).contains("revoked 1 token(s) of ann"));
    assert_eq!(sessions(&token), 401);

    let killed = Command::new("kill").args(["-TERM", &server.0.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = server.0.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status}");
    let bad = screening(&["server", "--db", "mysql://x", "--listen", "127.0.0.1:0"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("give sqlite://PATH or postgres://"));
}

/// The server is killed (SIGKILL) while a batch of 10,000 judgements is being stored; the
/// client resends the same batch to the restarted server: every judgement is stored exactly once.
#[test]
fn a_server_killed_mid_batch_keeps_each_judgement_once() {
    use screening_core::report::events::EventLog;
    use screening_sync::{Client, NamedCandidate, NamedPersona, PublishedSession, PushRequest};

    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let added =
        screening(&["server", "add-user", "--db", &db, "--name", "ann", "--role", "approver"]);
    let token = String::from_utf8(added.stdout).unwrap().lines().last().unwrap().to_owned();
    let (child, base) = start_server(&db, "127.0.0.1:0");
    let listen = base.trim_start_matches("http://").to_owned();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let client = Client::new(&base, &token);
    let session = PublishedSession {
        id: "s".into(),
        name: "S".into(),
        k: 1,
        blind: false,
        criteria: vec!["overall".into()],
        incumbent: Some("a".into()),
        challenger: Some("b".into()),
        personas: (0..100)
            .map(|p| NamedPersona { id: format!("p{p}"), name: format!("P{p}"), history: vec![] })
            .collect(),
        candidates: vec![NamedCandidate { name: "a".into() }, NamedCandidate { name: "b".into() }],
        snapshots: vec![],
        gate: None,
        catalog: None,
    };
    rt.block_on(client.publish(&session)).unwrap();
    let mut log = EventLog::new("s");
    for i in 0..10_000 {
        log.rate(&format!("p{}", i % 100), "-", ["a", "b"][i % 2], "overall", 1 + (i % 5) as i64);
    }
    let events: Vec<_> = log.events.into_iter().zip(1..).collect();
    let batch = PushRequest::new("device-1", &events);
    // Send, and kill the server while it works on the batch.
    let sending = {
        let (client, batch) = (client.clone(), batch.clone());
        rt.spawn(async move { client.push("batch-1", &batch).await })
    };
    std::thread::sleep(std::time::Duration::from_millis(150));
    drop(child);
    let first = rt.block_on(sending).unwrap();
    eprintln!("the push the kill interrupted: {first:?}");
    let (_child, _) = start_server(&db, &listen);
    let again = rt.block_on(client.push("batch-1", &batch)).unwrap();
    assert_eq!(again.accepted + again.duplicates, 10_000, "first try: {first:?}");
    if first.is_err() {
        // The kill came before the commit: nothing of the batch was stored the first time.
        assert_eq!(again.accepted, 10_000, "{again:?}");
    }
    let stored = rt.block_on(async {
        let (mut n, mut cursor) = (0, String::new());
        loop {
            let page = client.pull(&cursor, 5000).await.unwrap();
            n += page.events.len();
            cursor = page.cursor;
            if !page.more {
                return n;
            }
        }
    });
    assert_eq!(stored, 10_000);
}
