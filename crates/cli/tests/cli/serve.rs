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

#[test]
fn recommend_asks_every_candidate_of_a_file_and_shows_each_error_in_place() {
    let (_server, url) = start(&["--models", "item-knn"]);
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("candidates.toml");
    std::fs::write(
        &file,
        format!(
            r#"
[[candidate]]
name = "EASE baseline"
kind = "builtin"
model = "ease"

[[candidate]]
name = "In-house kNN"
kind = "http"
url = "{url}/recommend/item-knn"

[[candidate]]
name = "Down"
kind = "http"
url = "http://{closed}/recommend"
timeout_ms = 500

[[candidate]]
name = "Personalize"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
persona = "user_id"
"#
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["recommend", "--no-cache", "--candidates"])
        .arg(&file)
        .args(["--persona", "Reality TV fan", "--k", "10", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lists: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> =
        lists.as_array().unwrap().iter().map(|l| l["candidate"].as_str().unwrap()).collect();
    assert_eq!(names, ["EASE baseline", "In-house kNN", "Down", "Personalize"]);
    for ok in [&lists[0], &lists[1]] {
        assert_eq!(ok["error"], Value::Null, "{ok}");
        assert_eq!(ok["items"].as_array().unwrap().len(), 10);
        assert!(ok["items"][0]["title"].is_string() && ok["items"][0]["reason"].is_string());
        assert!(ok["latency_ms"].as_f64().unwrap() >= 0.0);
    }
    assert!(lists[2]["error"].as_str().unwrap().ends_with("connection refused"), "{}", lists[2]);
    assert!(lists[3]["error"].as_str().unwrap().contains("not supported"), "{}", lists[3]);

    std::fs::write(
        &file,
        "[[candidate]]\nname = \"x\"\nkind = \"builtin\"\nmodel = \"ease\"\nspeed = 1\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["recommend", "--candidates"])
        .arg(&file)
        .args(["--persona", "reality-fan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("candidates.toml: TOML parse error at line 1")
            && err.contains("unknown field `speed`"),
        "{err}"
    );
}
