//! The reference model server, spoken to over HTTP like any endpoint.

use std::collections::BTreeMap;
use std::sync::Arc;

use screening_recommenders::{Model, ModelSpec, Silent, TrainData, TrainInput};
use screening_sources::serve::{ModelServer, router};
use screening_sources::{HttpCandidate, HttpConfig, fetch_one};
use serde_json::{Value, json};

use crate::{request, spawn};

async fn demo_server() -> (std::net::SocketAddr, Arc<screening_core::Dataset>) {
    let (dataset, _) = screening_catalog::demo::demo_with_personas();
    let dataset = Arc::new(dataset);
    let data = TrainData::from_dataset(&dataset);
    let input = TrainInput { catalog: &dataset.items, data: &data };
    let mut models = BTreeMap::new();
    for name in ["popularity", "item-knn"] {
        let spec: ModelSpec = name.parse().unwrap();
        models.insert(name.to_owned(), Arc::new(Model::train(&spec, &input, &Silent)));
    }
    let server = Arc::new(ModelServer::new(Arc::clone(&dataset), models));
    (spawn(router(server)).await, dataset)
}

async fn post(url: String, body: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn serves_built_in_models_over_the_contract() {
    let (addr, dataset) = demo_server().await;
    let watched: Vec<&str> = dataset.items[..3].iter().map(|i| i.id.as_str()).collect();
    let candidate = HttpCandidate::new(HttpConfig {
        url: format!("http://{addr}/recommend/item-knn"),
        timeout_ms: 5_000,
        headers: Default::default(),
    })
    .unwrap();
    let fetched = fetch_one(&candidate, &request(10, &watched), dataset.as_ref()).await;
    assert_eq!(fetched.error, None, "{fetched:?}");
    assert_eq!(fetched.items.len(), 10);
    assert!(fetched.items.iter().all(|i| i.known && i.reason.is_some() && i.score.is_some()));
    assert!(fetched.items.iter().all(|i| !watched.contains(&i.item_id.as_str())));
    assert!(fetched.warnings.is_empty(), "{:?}", fetched.warnings);
    assert_eq!(fetched.model_version.as_deref(), Some("item-knn:neighbours=100:shrink=10"));
    assert_eq!(fetched.sent["body"]["k"], 10, "the request is kept");
    assert!(fetched.raw_response.as_deref().unwrap().starts_with("{\"items\":["));

    let health: Value =
        reqwest::get(format!("http://{addr}/health")).await.unwrap().json().await.unwrap();
    assert_eq!(
        health,
        json!({ "status": "ok", "models": ["item-knn", "popularity"], "items": 1825 })
    );
}

#[tokio::test]
async fn a_user_id_stands_for_that_users_history() {
    let (addr, dataset) = demo_server().await;
    let user = dataset.users[0].id.clone();
    let mut with_user = request(5, &[]);
    with_user.user_id = Some(user);
    let body = serde_json::to_string(&with_user).unwrap();
    let (status, personal) = post(format!("http://{addr}/recommend/item-knn"), &body).await;
    assert_eq!(status, 200);
    let (_, anonymous) = post(
        format!("http://{addr}/recommend/item-knn"),
        &serde_json::to_string(&request(5, &[])).unwrap(),
    )
    .await;
    assert_ne!(personal["items"], anonymous["items"], "the user's history changes the list");
    assert!(
        anonymous["items"][0]["reason"].as_str().unwrap().starts_with("No watch history yet"),
        "{anonymous}"
    );
}

#[tokio::test]
async fn bad_requests_get_a_json_error() {
    let (addr, _) = demo_server().await;
    let url = |path: &str| format!("http://{addr}{path}");
    let ok = serde_json::to_string(&request(5, &[])).unwrap();
    let cases = [
        (
            "/recommend/ease",
            ok.clone(),
            404,
            "no model \"ease\" here; this server has: item-knn, popularity",
        ),
        (
            "/recommend/popularity",
            "{not json".to_owned(),
            400,
            "Failed to parse the request body as JSON",
        ),
        (
            "/recommend/popularity",
            r#"{"persona":{"id":"p","name":"P"}}"#.to_owned(),
            400,
            "missing field `k`",
        ),
        (
            "/recommend/popularity",
            ok.replace("\"k\":5", "\"k\":0"),
            400,
            "k must be between 1 and 500, not 0",
        ),
        (
            "/recommend/popularity",
            serde_json::to_string(&request(5, &["nope"])).unwrap(),
            400,
            "history[0].item_id \"nope\" is not in the catalog",
        ),
        ("/elsewhere", ok, 404, "no such path"),
    ];
    for (path, body, status, expected) in cases {
        let (got, error) = post(url(path), &body).await;
        assert_eq!(got, status, "{path} {body}: {error}");
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(expected), "{expected:?} in {message:?}");
    }
}
