//! `screening loadtest` as a real process: against `screening serve-model` on a free port, an
//! Amazon Personalize campaign through the SDK and the local stand-in (only with `--yes`), and
//! flags that do not make sense.

use std::process::Command;

use serde_json::Value;

use crate::serve::{personalize_stand_in, start};

fn loadtest(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_screening")).arg("loadtest").args(args).output().unwrap()
}

#[test]
fn loads_the_reference_model_server_and_prints_the_result_as_json() {
    let (_server, url) = start(&["--models", "popularity"]);
    let target = format!("{url}/recommend/popularity");
    let out = loadtest(&["--url", &target, "--rate", "20", "--duration", "2s", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    for field in ["target_rps", "achieved_rps", "requests", "errors", "latency_ms", "duration_s"] {
        assert!(r.get(field).is_some(), "{field} in {r}");
    }
    assert_eq!(r["requests"], 40, "20/s for 2 s: {r}");
    assert_eq!(r["errors"], serde_json::json!({}), "{r}");
    let l = &r["latency_ms"];
    for q in ["p50", "p90", "p95", "p99", "max"] {
        assert!(l[q].as_f64().unwrap() > 0.0, "{q}: {l}");
    }
    assert!(l["p50"].as_f64() <= l["p99"].as_f64() && l["p99"].as_f64() <= l["max"].as_f64());

    // A model the server does not have: every request a 404, counted by kind.
    let missing = format!("{url}/recommend/nope");
    let out = loadtest(&["--url", &missing, "--rate", "10", "--duration", "1s", "--json"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["errors"]["http_404"], 10, "{r}");

    // Step mode, plain text: every step holds up to the maximum.
    let out = loadtest(&[
        "--url",
        &target,
        "--rate",
        "5",
        "--step",
        "5",
        "--max-rate",
        "10",
        "--duration",
        "1s",
        "--max-p99-ms",
        "5000",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("sustainable: 10 req/s (stopped by max_rate)"), "{text}");
}

#[test]
fn personalize_needs_yes_and_then_goes_through_the_sdk() {
    let (endpoint, stand_in) = personalize_stand_in(&["sr-00113", "sr-00720"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("candidates.toml");
    std::fs::write(
        &file,
        r#"
[[candidate]]
name = "UP v2"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/up-v2"
persona = "replay"
event_tracker_id = "tracker-1"

[[candidate]]
name = "Throttled"
kind = "personalize"
region = "eu-west-1"
campaign_arn = "arn:aws:personalize:eu-west-1:123456789012:campaign/throttled"
persona = "replay"
event_tracker_id = "tracker-1"

[[candidate]]
name = "EASE"
kind = "builtin"
model = "ease"
"#,
    )
    .unwrap();
    let run = |name: &str, yes: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_screening"));
        cmd.args(["loadtest", "--candidates"])
            .arg(&file)
            .args(["--candidate", name, "--rate", "10", "--duration", "1s", "--json"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", dir.path().join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
            .env("AWS_ENDPOINT_URL", &endpoint)
            .env("AWS_ACCESS_KEY_ID", "AKIDSCREENINGLOAD")
            .env("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        if yes {
            cmd.arg("--yes");
        }
        cmd.output().unwrap()
    };
    let refused = run("UP v2", false);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("minProvisionedTPS") && err.contains("--yes"), "{err}");
    assert!(stand_in.received().is_empty(), "nothing sent without --yes");

    let out = run("UP v2", true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((r["requests"].as_u64(), &r["errors"]), (Some(10), &serde_json::json!({})), "{r}");
    let asked = stand_in.received().iter().filter(|r| r.path == "/recommendations").count();
    assert_eq!(asked, 10, "each request one GetRecommendations through the SDK");

    let throttled: Value = serde_json::from_slice(&run("Throttled", true).stdout).unwrap();
    assert_eq!(throttled["errors"]["throttled"], 10, "{throttled}");

    let builtin = run("EASE", false);
    assert!(String::from_utf8_lossy(&builtin.stderr).contains("screening serve-model"));
}

#[test]
fn bad_flags_are_refused_with_what_is_wrong() {
    let cases: [(&[&str], &str); 4] = [
        (&["--url", "http://127.0.0.1:9/x", "--rate", "0", "--duration", "1s"], "rate:"),
        (&["--url", "http://127.0.0.1:9/x", "--rate", "10", "--duration", "11m"], "duration:"),
        (
            &[
                "--url",
                "http://127.0.0.1:9/x",
                "--rate",
                "10",
                "--duration",
                "1s",
                "--personas",
                "nobody",
            ],
            "no sample persona \"nobody\"",
        ),
        (
            &["--url", "http://127.0.0.1:9/x", "--rate", "10", "--duration", "1s", "--ramp", "x"],
            "--ramp",
        ),
    ];
    for (args, message) in cases {
        let out = loadtest(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

/// Ctrl-C (SIGINT) stops the arrivals; the requests in flight finish and what was measured is
/// printed, marked stopped.
#[test]
fn ctrl_c_stops_and_prints_what_was_measured() {
    let (_server, url) = start(&["--models", "popularity"]);
    let target = format!("{url}/recommend/popularity");
    let child = Command::new(env!("CARGO_BIN_EXE_screening"))
        .args(["loadtest", "--url", &target, "--rate", "20", "--duration", "60s", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["stopped"], true, "{r}");
    let requests = r["requests"].as_u64().unwrap();
    assert!(requests > 0 && requests < 1_200, "{r}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopping"));
}
