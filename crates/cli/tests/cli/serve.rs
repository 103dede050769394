//! `screening serve-model` as a real process on a free port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server on port 0 and returns it with the URL from its first line.
fn start(args: &[&str]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_screening"))
        .arg("serve-model")
        .args(["--listen", "127.0.0.1:0", "--no-cache"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start screening serve-model");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("{line:?}"));
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"), "{url}");
    (Server(child), url.to_owned())
}

#[test]
fn serves_the_named_models_on_a_free_port() {
    let (_server, url) = start(&["--models", "popularity,item-knn:neighbours=50"]);
    let http = reqwest::blocking::Client::new();
    let health: Value = http.get(format!("{url}/health")).send().unwrap().json().unwrap();
    assert_eq!(health["models"], json!(["item-knn", "popularity"]));
    let body = json!({ "persona": { "id": "p", "name": "P" }, "user_id": null,
        "history": [{ "item_id": "sr-00939", "timestamp": 1_780_000_000, "event_type": "watch" }],
        "k": 4, "context": {} });
    let answer: Value =
        http.post(format!("{url}/recommend/item-knn")).json(&body).send().unwrap().json().unwrap();
    assert_eq!(answer["items"].as_array().unwrap().len(), 4);
    assert_eq!(answer["model_version"], "item-knn:neighbours=50:shrink=10");
    let bad = http.post(format!("{url}/recommend/item-knn")).body("{").send().unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    assert!(bad.json::<Value>().unwrap()["error"].is_string());
}

#[test]
fn a_model_named_twice_or_a_busy_port_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["serve-model", "--no-cache", "--models", "ease,ease:lambda=10"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--models names ease twice"), "{err}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["serve-model", "--no-cache", "--models", "popularity", "--listen", &addr])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(&format!("error: cannot listen on {addr}:")), "{err}");
}
