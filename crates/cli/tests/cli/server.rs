//! `screening server`: listening, users and tokens, shutting down on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::screening;

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

    let mut child = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["server", "--db", &db, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base =
        line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line}")).to_owned();
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

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status}");
    let bad = screening(&["server", "--db", "mysql://x", "--listen", "127.0.0.1:0"]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("give sqlite://PATH or postgres://"));
}
