//! `screening evaluate` and `screening recommend` on planted data, the demo catalog and bad input.

use std::fmt::Write as _;
use std::path::Path;

use super::{screening, stdout_json, write};

/// Two tastes: users 0–59 watch only "crime" items c0–c9, users 60–119 only "baking" items
/// b0–b9, each in a user-specific order; one crime item (c0) is watched by everyone, so it is the
/// most popular. A neighbourhood model should learn the tastes; popularity cannot.
fn planted(dir: &Path) {
    let mut items = String::from("ITEM_ID,TITLE,CONTENT_TYPE,GENRES\n");
    for i in 0..10 {
        writeln!(items, "c{i},Crime {i},documentary,Crime").unwrap();
        writeln!(items, "b{i},Bake {i},cooking,Food").unwrap();
    }
    let mut rows = String::from("USER_ID,ITEM_ID,TIMESTAMP\n");
    for u in 0..120u64 {
        let group = if u < 60 { 'c' } else { 'b' };
        let mut t = 1_700_000_000 + u;
        if group == 'b' {
            writeln!(rows, "u{u},c0,{t}").unwrap();
            t += 100;
        }
        // watch 7 of the 10 items of the group, in an order that depends on the user
        for step in 0..7u64 {
            let i = (u * 3 + step * 7) % 10;
            writeln!(rows, "u{u},{group}{i},{}", t + step * 100).unwrap();
        }
    }
    write(dir, "items.csv", &items);
    write(dir, "interactions.csv", &rows);
}

fn evaluate(dir: &Path, cache: &Path, extra: &[&str]) -> serde_json::Value {
    let d = dir.to_str().unwrap();
    let c = cache.to_str().unwrap();
    let mut args = vec!["evaluate", "--dataset", d, "--format", "personalize", "--json"];
    args.extend(["--cache-dir", c]);
    args.extend(extra);
    stdout_json(&screening(&args))
}

#[test]
fn evaluate_reports_every_metric_and_neighbourhood_models_learn_planted_tastes() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    planted(dir.path());
    let report = evaluate(
        dir.path(),
        cache.path(),
        &["--models", "popularity,item-knn,ease:min-count=1,content,random", "--seed", "7"],
    );
    assert_eq!(report["dataset"]["items"], 20);
    assert_eq!(report["dataset"]["users"], 120);
    assert_eq!(report["split"]["test_users"], 12);
    assert_eq!(report["split"]["train_users"], 108);
    assert_eq!(report["split"]["seed"], 7);
    let models = report["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["model"].as_str().unwrap()).collect();
    assert_eq!(names, ["popularity", "item-knn", "ease", "content", "random"]);
    assert_eq!(models[2]["params"]["min-count"], 1);
    let keys: Vec<&String> = models[0]["metrics"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "precision@5",
            "precision@10",
            "precision@25",
            "ndcg@5",
            "ndcg@10",
            "ndcg@25",
            "mrr@25",
            "coverage",
            "diversity",
            "novelty",
            "popularity_bias"
        ]
    );
    for m in models {
        for (name, v) in m["metrics"].as_object().unwrap() {
            let v = v.as_f64().unwrap();
            assert!(v >= 0.0, "{name} = {v}");
            assert!(name == "novelty" || v <= 1.0, "{name} = {v}");
        }
        assert_eq!(m["cached"], false);
    }
    let ndcg = |i: usize| models[i]["metrics"]["ndcg@10"].as_f64().unwrap();
    assert!(ndcg(1) > ndcg(0) + 0.1, "item-knn {} vs popularity {}", ndcg(1), ndcg(0));
    assert!(ndcg(2) > ndcg(0) + 0.1, "ease {} vs popularity {}", ndcg(2), ndcg(0));
    // content knows the two genres apart, too
    assert!(ndcg(3) > ndcg(0), "content {} vs popularity {}", ndcg(3), ndcg(0));
    // the second run loads trained models from the cache and gives the same numbers
    let again = evaluate(dir.path(), cache.path(), &["--models", "item-knn", "--seed", "7"]);
    assert_eq!(again["models"][0]["cached"], true);
    assert_eq!(again["models"][0]["metrics"], models[1]["metrics"]);
}

#[test]
fn evaluate_scores_personalize_batch_output_and_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    planted(dir.path());
    // u1's newest item is its 7th: i = (3 + 42) % 10 = 5; u61's: (183 + 42) % 10 = 5.
    let recs = dir.path().join("recs.jsonl");
    write(
        dir.path(),
        "recs.jsonl",
        "{\"input\":{\"userId\":\"u1\"},\"output\":{\"recommendedItems\":[\"c5\",\"b1\"],\"scores\":[0.9,0.1]}}\n\
         {\"user_id\":\"u61\",\"items\":[\"c0\",\"b5\"]}\n",
    );
    let report =
        evaluate(dir.path(), cache.path(), &["--recs", recs.to_str().unwrap(), "--k", "1,2"]);
    assert_eq!(report["split"]["test_users"], 2);
    assert_eq!(report["split"]["seed"], serde_json::Value::Null);
    let m = &report["models"][0];
    assert_eq!(m["model"], "recs");
    // u1: hit at rank 1; u61: hit at rank 2.
    assert_eq!(m["metrics"]["precision@1"], 0.5);
    assert_eq!(m["metrics"]["precision@2"], 0.5);
    assert_eq!(m["metrics"]["mrr@25"], 0.75);
}

#[test]
fn evaluate_on_the_demo_catalog_prints_a_table() {
    let cache = tempfile::tempdir().unwrap();
    let out = screening(&[
        "evaluate",
        "--models",
        "popularity,item-knn",
        "--k",
        "10",
        "--cache-dir",
        cache.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("1200 test users (drawn with seed 42), 10800 training users"),
        "{text}"
    );
    for row in ["ndcg@10", "mrr@25", "coverage", "novelty", "popularity_bias", "train seconds"] {
        assert!(text.contains(row), "no {row} in {text}");
    }
}

#[test]
fn recommend_gives_each_model_a_list_with_reasons() {
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let out = stdout_json(&screening(&[
        "recommend",
        "--persona",
        "documentary-viewer",
        "--k",
        "8",
        "--json",
        "--cache-dir",
        c,
    ]));
    let watched: Vec<&str> =
        out["history"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(!watched.is_empty());
    let models = out["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["model"].as_str().unwrap()).collect();
    assert_eq!(names, ["popularity", "trending", "item-knn", "ease", "content", "random"]);
    for m in models {
        let items = m["items"].as_array().unwrap();
        assert_eq!(items.len(), 8, "{}", m["model"]);
        for it in items {
            let id = it["item_id"].as_str().unwrap();
            assert!(!watched.contains(&id), "{} recommends watched {id}", m["model"]);
            assert!(!it["title"].as_str().unwrap().is_empty());
            assert!(it["score"].is_number());
        }
    }
    let reason = |m: usize| models[m]["items"][0]["reason"].as_str().unwrap().to_owned();
    assert!(reason(1).starts_with("Trending: "), "{}", reason(1));
    assert!(reason(2).starts_with("Because you watched "), "{}", reason(2));
    assert!(reason(3).starts_with("Because you watched "), "{}", reason(3));
    assert!(reason(4).starts_with("Similar to "), "{}", reason(4));

    // the new viewer has no history: personal models fall back to popularity and say so
    let new = stdout_json(&screening(&[
        "recommend",
        "--persona",
        "New viewer",
        "--models",
        "ease",
        "--k",
        "3",
        "--json",
        "--cache-dir",
        c,
    ]));
    for it in new["models"][0]["items"].as_array().unwrap() {
        assert!(it["reason"].as_str().unwrap().starts_with("No watch history yet"), "{it}");
    }
    let pop = stdout_json(&screening(&[
        "recommend",
        "--history",
        "",
        "--models",
        "popularity",
        "--k",
        "3",
        "--json",
        "--no-cache",
    ]));
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["models"][0]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["item_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&new), ids(&pop));
}

#[test]
fn recommend_folds_in_a_given_history() {
    let dir = tempfile::tempdir().unwrap();
    planted(dir.path());
    let d = dir.path().to_str().unwrap();
    let out = stdout_json(&screening(&[
        "recommend",
        "--dataset",
        d,
        "--history",
        "b1,b2,b3",
        "--models",
        "item-knn,ease:min-count=1",
        "--k",
        "3",
        "--json",
        "--no-cache",
    ]));
    // every b-viewer also watched c0, so c0 is a fair pick; no other crime item is
    for m in out["models"].as_array().unwrap() {
        let ids: Vec<&str> =
            m["items"].as_array().unwrap().iter().map(|i| i["item_id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 3);
        for id in &ids {
            assert!(!["b1", "b2", "b3"].contains(id), "{} recommends watched {id}", m["model"]);
            assert!(id.starts_with('b') || *id == "c0", "{} gave {id}", m["model"]);
        }
        assert!(
            ids.iter().filter(|id| id.starts_with('b')).count() >= 2,
            "{}: {ids:?}",
            m["model"]
        );
    }
}

fn fails_with<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(args: &[S], expected: &str) {
    let out = screening(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(expected), "{args:?}: expected {expected:?} in {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    planted(dir.path());
    let d = dir.path().to_str().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let base = ["evaluate", "--dataset", d, "--no-cache"];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    };
    fails_with(
        &with(&["--models", "popularity,eas"]),
        "unknown model \"eas\"; the built-in models are popularity, trending, item-knn, ease, content, random",
    );
    fails_with(&with(&["--k", "0,10"]), "--k must list cut-offs greater than 0");
    fails_with(&with(&["--test-fraction", "0"]), "--test-fraction must be between 0 and 1");
    write(dir.path(), "none.txt", "\n\n");
    fails_with(&with(&["--test-users", &p("none.txt")]), "the test set is empty");
    write(dir.path(), "who.txt", "u1\nnobody\n");
    fails_with(&with(&["--test-users", &p("who.txt")]), "line 2: unknown user \"nobody\"");
    write(dir.path(), "bad.jsonl", "{\"user_id\":\"u1\",\"items\":[\"c1\"]}\nnot json\n");
    fails_with(&with(&["--recs", &p("bad.jsonl")]), "bad.jsonl:2: not JSON");
    write(
        dir.path(),
        "ghost.jsonl",
        "{\"user_id\":\"u1\",\"items\":[]}\n{\"user_id\":\"ghost\",\"items\":[\"c1\"]}\n",
    );
    fails_with(&with(&["--recs", &p("ghost.jsonl")]), "ghost.jsonl:2: unknown user \"ghost\"");
    write(dir.path(), "item.jsonl", "{\"user_id\":\"u1\",\"items\":[\"zz\"]}\n");
    fails_with(&with(&["--recs", &p("item.jsonl")]), "item.jsonl:1: unknown item \"zz\"");
    fails_with(
        &["recommend", "--persona", "nobody", "--no-cache"],
        "unknown persona \"nobody\"; the sample personas are reality-fan",
    );
    fails_with(
        &["recommend", "--history", "sr-00001,nope", "--no-cache"],
        "unknown item id \"nope\"",
    );
    fails_with(
        &["recommend", "--persona", "reality-fan", "--k", "0", "--no-cache"],
        "--k must be at least 1",
    );
    fails_with(
        &["recommend", "--persona", "reality-fan", "--models", "ease:lambda=x", "--no-cache"],
        "parameter lambda must be a positive number",
    );
}
