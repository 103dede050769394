//! `screening serve-model` as a real process on a free port.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

/// Kills the server when the test ends, however it ends.
pub(crate) struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server on port 0 and returns it with the URL from its first line.
pub(crate) fn start(args: &[&str]) -> (Server, String) {
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
    // A Personalize candidate with `persona = "user_id"` and no user id for the persona says so.
    assert!(
        lists[3]["error"].as_str().unwrap().contains("has no user id for this candidate"),
        "{}",
        lists[3]
    );

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

/// The Personalize stand-in on a free port in a background thread; its URL and what it got.
pub(crate) fn personalize_stand_in(
    items: &[&str],
) -> (String, std::sync::Arc<screening_sources::stand_in::StandIn>) {
    let stand_in =
        screening_sources::stand_in::StandIn::new(items.iter().map(|i| (*i).to_owned()).collect());
    let router = screening_sources::stand_in::router(std::sync::Arc::clone(&stand_in));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    (format!("http://{}", rx.recv().unwrap()), stand_in)
}

/// `screening recommend` for the Reality TV fan over one Personalize candidate, with the AWS
/// environment given (and nothing else from this machine's AWS setup).
fn recommend_personalize(env: &[(&str, &str)]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("candidates.toml");
    std::fs::write(
        &file,
        r#"
[[candidate]]
name = "Personalize UP v2"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
persona = "replay"
event_tracker_id = "tracker-1"
"#,
    )
    .unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_screening"));
    cmd.args(["recommend", "--no-cache", "--candidates"])
        .arg(&file)
        .args(["--persona", "Reality TV fan", "--k", "3", "--json"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lists: Value = serde_json::from_slice(&out.stdout).unwrap();
    lists[0].clone()
}

#[test]
fn personalize_goes_through_the_sdk_to_aws_endpoint_url_with_the_standard_credentials() {
    let (url, stand_in) = personalize_stand_in(&["sr-00113", "sr-00720", "sr-00023", "sr-00175"]);
    let list = recommend_personalize(&[
        ("AWS_ENDPOINT_URL", &url),
        ("AWS_ACCESS_KEY_ID", "AKIDSCREENINGCLI"),
        ("AWS_SECRET_ACCESS_KEY", "not-a-secret"),
    ]);
    assert_eq!(list["error"], Value::Null, "{list}");
    let ids: Vec<&str> =
        list["items"].as_array().unwrap().iter().map(|i| i["item_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["sr-00113", "sr-00720", "sr-00023"]);
    assert!(list["items"][0]["title"].is_string(), "catalog titles beside Personalize's ids");
    let got = stand_in.received();
    assert!(got.iter().any(|r| r.path == "/events"), "the persona's history was replayed");
    assert!(
        got.iter().all(|r| r
            .authorization
            .as_deref()
            .unwrap()
            .contains("Credential=AKIDSCREENINGCLI/"))
    );

    let none = recommend_personalize(&[("AWS_ENDPOINT_URL", &url)]);
    let error = none["error"].as_str().unwrap();
    assert!(error.contains("no AWS credentials found"), "{error}");
}
