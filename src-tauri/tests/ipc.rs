//! The shell's IPC commands, invoked the way the webview invokes them (real config, real
//! capabilities/ACL, Tauri's mock runtime instead of a window).

use serde_json::{Value, json};
use tauri::Manager;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder};
use tauri::webview::{InvokeRequest, WebviewWindow, WebviewWindowBuilder};

/// The app on the mock runtime, with its data (the SQLite store) in a fresh temporary folder.
fn app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = app_in(dir.path());
    (app, window, dir)
}

fn app_in(dir: &std::path::Path) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let library = screening_app::Library::demo();
    let app = screening_room_lib::app_builder(mock_builder(), library, Some(dir.to_owned()))
        .build(tauri::generate_context!())
        .expect("app builds");
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap(),
    };
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    tauri::test::get_ipc_response(window, request)
        .map(|body| body.deserialize::<Value>().expect("JSON response"))
}

#[test]
fn lists_the_sample_personas() {
    let (_app, window, _dir) = app();
    let personas = invoke(&window, "list_personas", json!({})).unwrap();
    let names: Vec<_> = personas.as_array().unwrap().iter().map(|p| p["name"].clone()).collect();
    assert_eq!(names.len(), 6);
    assert!(names.contains(&json!("Reality TV fan")), "{names:?}");
    let sorted = names.iter().map(|n| n.as_str().unwrap().to_lowercase()).collect::<Vec<_>>();
    assert!(sorted.is_sorted(), "listed by name: {names:?}");
    assert!(personas[0]["history_len"].as_u64().unwrap() > 0);
}

#[test]
fn opens_a_persona_with_resolved_history() {
    let (_app, window, _dir) = app();
    let detail = invoke(&window, "get_persona", json!({ "id": "reality-fan" })).unwrap();
    assert_eq!(detail["persona"]["name"], "Reality TV fan");
    let history = detail["history"].as_array().unwrap();
    assert!(!history.is_empty());
    assert!(history[0]["item"]["title"].is_string());
    assert!(history[0]["timestamp"].as_i64() >= history[history.len() - 1]["timestamp"].as_i64());
}

#[test]
fn unknown_persona_is_a_coded_error() {
    let (_app, window, _dir) = app();
    let err = invoke(&window, "get_persona", json!({ "id": "nobody" })).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    assert!(err["message"].as_str().unwrap().contains("nobody"));
}

#[test]
fn searches_the_catalog_by_text_and_type() {
    let (_app, window, _dir) = app();
    let query =
        json!({ "query": { "text": "", "content_type": "reality", "offset": 0, "limit": 5 } });
    let page = invoke(&window, "search_catalog", query).unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert!(page["items"].as_array().unwrap().iter().all(|i| i["content_type"] == "reality"));
    let info = invoke(&window, "catalog_info", json!({})).unwrap();
    assert!(page["total"].as_u64().unwrap() < info["items"].as_u64().unwrap());
    assert_eq!(info["content_types"]["reality"], page["total"]);

    let bad = json!({ "query": { "text": "", "content_type": null, "offset": 0, "limit": 0 } });
    assert_eq!(invoke(&window, "search_catalog", bad).unwrap_err()["code"], "invalid_input");
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let (_app, window, _dir) = app();
    let err = invoke(&window, "plugin:fs|read_file", json!({ "path": "/etc/passwd" })).unwrap_err();
    eprintln!("refused: {err}");
    assert!(
        err.to_string().contains("not allowed") || err.to_string().contains("not found"),
        "{err}"
    );
}

#[test]
fn a_review_session_through_ipc() {
    let (_app, window, dir) = app();
    let candidates = invoke(&window, "list_candidates", json!({})).unwrap();
    assert_eq!(candidates.as_array().unwrap().len(), 6);
    let request = json!({ "request": {
        "name": "v3 vs v2", "persona_ids": ["reality-fan", "documentary-viewer"],
        "candidate_ids": ["builtin-popularity", "builtin-ease"], "k": 5, "blind": true,
        "criteria": [], "incumbent_candidate_id": "builtin-popularity"
    }});
    let session = invoke(&window, "create_session", request).unwrap();
    let id = session["summary"]["id"].as_str().unwrap().to_owned();
    let frozen = invoke(
        &window,
        "freeze_session",
        json!({ "sessionId": id, "onProgress": "__CHANNEL__:3" }),
    )
    .unwrap();
    assert_eq!(frozen["snapshots"], 4);
    let args = json!({ "sessionId": id, "personaId": "reality-fan" });
    let board = invoke(&window, "get_board", args.clone()).unwrap();
    assert_eq!(board["columns"][0]["label"], "A");
    assert_eq!(board["columns"][0]["candidate"], Value::Null);
    assert_eq!(board["columns"][0]["items"].as_array().unwrap().len(), 5);
    let snapshot = board["columns"][0]["snapshot_id"].clone();
    let rate = json!({ "request": { "session_id": id, "persona_id": "reality-fan",
        "judgement": { "kind": "rating", "snapshot_id": snapshot, "criterion": "overall", "score": 4 } } });
    let saved = invoke(&window, "record_judgement", rate).unwrap();
    assert_eq!(saved["device_seq"], 1);
    let err = invoke(&window, "reveal_persona", args.clone()).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    let board = invoke(&window, "get_board", args).unwrap();
    assert_eq!(board["columns"][0]["ratings"][0]["score"], 4);
    let sessions = invoke(&window, "list_sessions", json!({})).unwrap();
    assert_eq!(sessions[0]["persona_count"], 2);

    // The report: one rating so far, by real name; the gate and an export.
    let report = invoke(&window, "session_report", json!({ "sessionId": id })).unwrap();
    assert_eq!(report["blind"], true);
    assert_eq!(report["reviewer_done"], false);
    let overall = &report["report"]["criteria"]["overall"]["candidates"];
    let rated: Vec<&String> = overall.as_object().unwrap().keys().collect();
    assert_eq!(rated.len(), 1, "{overall}");
    assert_eq!(report["report"]["challenger"], "EASE");
    assert_eq!(report["report"]["gate"]["passed"], false);
    let gate = json!({ "request": { "session_id": id, "gate": {
        "min_win_probability": 0.6, "min_alpha": 0.5, "alpha_criterion": "overall",
        "blocker_flags": [], "min_reviewers": 1, "min_judgements": 1 } } });
    let updated = invoke(&window, "set_session_gate", gate).unwrap();
    let checks = updated["report"]["gate"]["checks"].as_array().unwrap();
    let reviewers = checks.iter().find(|c| c["name"] == "reviewers").unwrap();
    assert_eq!(
        (reviewers["threshold"].as_f64(), reviewers["passed"].as_bool()),
        (Some(1.0), Some(true))
    );
    let bad = json!({ "request": { "session_id": id, "gate": {
        "min_win_probability": 2.0, "min_alpha": 0.5, "alpha_criterion": "overall",
        "blocker_flags": [], "min_reviewers": 1, "min_judgements": 1 } } });
    let err = invoke(&window, "set_session_gate", bad).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    let path = dir.path().join("report.csv");
    let export = json!({ "request": { "session_id": id, "format": "judgements_csv",
        "path": path.display().to_string() } });
    let done = invoke(&window, "export_session", export).unwrap();
    assert_eq!(done["format"], "judgements_csv");
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("\"op_id\"") && csv.contains("\"rating\""), "{csv}");
}

#[test]
fn personas_are_edited_and_shared_through_ipc() {
    let (_app, window, dir) = app();
    let item = invoke(
        &window,
        "search_catalog",
        json!({ "query": { "text": "", "content_type": null, "offset": 0, "limit": 1 } }),
    )
    .unwrap()["items"][0]["id"]
        .clone();
    let draft = json!({ "persona": { "id": "", "name": "Night owl", "description": "", "tags": [],
        "history": [{ "item_id": item, "timestamp": 1_780_000_000, "event_type": "watch" }],
        "external_user_ids": {} } });
    let saved = invoke(&window, "save_persona", draft).unwrap();
    assert_eq!(saved["persona"]["id"], "night-owl");
    assert_eq!(saved["history"][0]["item"]["id"], item);
    let copy = invoke(&window, "duplicate_persona", json!({ "id": "night-owl" })).unwrap();
    assert_eq!(copy["persona"]["name"], "Night owl (copy)");
    assert_eq!(
        invoke(&window, "delete_persona", json!({ "id": copy["persona"]["id"] })).unwrap(),
        Value::Null
    );
    let listed = invoke(&window, "list_personas", json!({})).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 7);

    let users =
        invoke(&window, "list_users", json!({ "query": { "text": "", "limit": 2 } })).unwrap();
    let user = users[0]["user_id"].clone();
    let request = json!({ "request": { "user_id": user, "name": null } });
    let made = invoke(&window, "persona_from_user", request).unwrap();
    assert!(
        made["history"].as_array().unwrap().len() as u64 <= users[0]["events"].as_u64().unwrap()
    );

    let file = dir.path().join("team personas.json");
    let written =
        invoke(&window, "export_personas", json!({ "path": file, "ids": ["night-owl"] })).unwrap();
    assert_eq!(written, 1);
    let report = invoke(&window, "import_personas", json!({ "path": file })).unwrap();
    assert_eq!(report["unchanged"], json!(["Night owl"]));
    let err = invoke(&window, "import_personas", json!({ "path": dir.path().join("none.json") }))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
}

#[test]
fn a_dataset_is_imported_with_progress_and_made_active_through_ipc() {
    let (_app, window, _dir) = app();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/catalog/tests/fixtures/ml-small");
    let request = json!({ "request": { "path": fixture, "format": "movielens", "name": null,
        "strict": true, "activate": true }, "onProgress": "__CHANNEL__:7" });
    let report = invoke(&window, "import_dataset", request).unwrap();
    assert_eq!(report["dataset"]["name"], "ml-small");
    assert_eq!(report["dataset"]["active"], true);
    assert_eq!(invoke(&window, "catalog_info", json!({})).unwrap()["items"], 5);
    assert_eq!(invoke(&window, "list_personas", json!({})).unwrap(), json!([]));
    let datasets = invoke(&window, "list_datasets", json!({})).unwrap();
    assert_eq!(datasets.as_array().unwrap().len(), 2);
    let demo = invoke(&window, "set_active_dataset", json!({ "id": "demo" })).unwrap();
    assert_eq!(demo["active"], true);
    assert_eq!(invoke(&window, "catalog_info", json!({})).unwrap()["items"], 1825);
    let bad = json!({ "request": { "path": "/nowhere", "format": null, "name": null,
        "strict": false, "activate": true }, "onProgress": "__CHANNEL__:8" });
    let err = invoke(&window, "import_dataset", bad).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
}

#[test]
fn a_database_in_use_is_a_clear_unavailable_error_for_every_command_until_it_is_free() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let other = rt.block_on(screening_store::Store::open(dir.path())).unwrap();
    let (_app, window) = app_in(dir.path());
    let err = invoke(&window, "list_sessions", json!({})).unwrap_err();
    assert_eq!(err["code"], "unavailable", "{err}");
    assert!(err["message"].as_str().unwrap().starts_with("another Screening Room window is using"));
    for cmd in ["list_personas", "catalog_info", "list_datasets"] {
        let err = invoke(&window, cmd, json!({})).unwrap_err();
        assert_eq!(err["code"], "unavailable", "{cmd}: {err}");
    }
    // Once the other window lets go, the next command opens the database.
    rt.block_on(other.close());
    let personas = invoke(&window, "list_personas", json!({})).unwrap();
    assert_eq!(personas.as_array().unwrap().len(), 6);
}

#[test]
fn sync_settings_and_status_through_ipc() {
    let (_app, window, _dir) = app();
    let status = invoke(&window, "sync_status", json!({})).unwrap();
    assert_eq!((status["state"].as_str(), status["pending"].as_u64()), (Some("off"), Some(0)));
    let settings = invoke(&window, "sync_settings", json!({})).unwrap();
    assert_eq!(settings["has_token"], false);
    // Nothing listens on port 9 (discard): the server cannot be reached, nothing is saved.
    let request = json!({ "request": { "server_url": "http://127.0.0.1:9", "token": "t" } });
    let err = invoke(&window, "configure_sync", request).unwrap_err();
    assert_eq!(err["code"], "unavailable", "{err}");
    let err = invoke(
        &window,
        "configure_sync",
        json!({ "request": { "server_url": "ftp://x", "token": "t" } }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert_eq!(invoke(&window, "sync_settings", json!({})).unwrap()["server_url"], Value::Null);
    let err = invoke(&window, "publish_session", json!({ "sessionId": "nope" })).unwrap_err();
    assert_eq!(err["code"], "invalid_input", "no server set up: {err}");
    for (command, args) in
        [("team_sessions", json!({})), ("join_session", json!({ "sessionId": "nope" }))]
    {
        let err = invoke(&window, command, args).unwrap_err();
        assert_eq!(err["code"], "invalid_input", "{command} with no server set up: {err}");
        assert!(err["message"].as_str().unwrap().contains("Settings"), "{err}");
    }
}

#[test]
fn load_checks_through_ipc() {
    let (_app, window, _dir) = app();
    assert_eq!(invoke(&window, "load_checks", json!({ "sessionId": "nope" })).unwrap(), json!([]));
    let request = json!({
        "request": {
            "session_id": "nope", "candidate_id": "builtin-ease", "rate": 10, "duration_s": 1,
            "ramp_s": 0, "concurrency": 4, "max_p99_ms": 500, "confirm_cost": false
        },
        "onProgress": "__CHANNEL__:11"
    });
    let err = invoke(&window, "run_load_check", request).unwrap_err();
    assert_eq!(err["code"], "not_found", "{err}");
    assert_eq!(invoke(&window, "cancel_load_check", json!({})).unwrap(), Value::Null);
}
