//! Every route × token state × role gives the right status; the protocol header is checked.

use std::time::Duration;

use screening_server::NewUser;
use screening_sync::{PROTOCOL_HEADER, Role};

use crate::{Server, judgements, session};

crate::on_every_backend!(
    every_route_refuses_missing_bad_revoked_and_expired_tokens_and_wrong_roles,
    other_protocol_versions_get_a_clear_error_and_health_needs_nothing,
    oversized_and_malformed_bodies_are_refused,
);

/// (method, path, body) of every `/v1` route; pushes carry op ids starting with `who`.
fn routes(who: &str) -> Vec<(&'static str, &'static str, Option<serde_json::Value>)> {
    vec![
        ("POST", "/v1/sync/push", Some(serde_json::to_value(judgements("s1", who, 3, 3)).unwrap())),
        ("GET", "/v1/sync/pull?cursor=", None),
        ("POST", "/v1/sessions", Some(serde_json::to_value(session("s1")).unwrap())),
        ("GET", "/v1/sessions", None),
        ("GET", "/v1/sessions/s1", None),
        ("GET", "/v1/sessions/s1/report", None),
        (
            "POST",
            "/v1/sessions/s1/decision",
            Some(serde_json::json!({ "decision": "approve", "note": "" })),
        ),
        ("POST", "/v1/sessions/s1/load-checks", Some(load_check(who))),
    ]
}

/// A load check of the fixture session's challenger, with id `load-<who>`.
fn load_check(who: &str) -> serde_json::Value {
    let latency =
        serde_json::json!({ "p50": 5.0, "p90": 9.0, "p95": 9.5, "p99": 12.0, "max": 20.0 });
    serde_json::json!({
        "id": format!("load-{who}"), "candidate": "EASE", "created_at": 1, "max_p99_ms": 500.0,
        "plan": { "rate": 10.0, "duration_s": 1.0, "ramp_from": 0.0, "ramp_s": 0.0,
                  "concurrency": 4, "timeout_ms": 1000 },
        "result": { "target_rps": 10.0, "achieved_rps": 10.0, "requests": 10, "errors": {},
                    "latency_ms": latency, "duration_s": 1.0, "stopped": false, "timeline": [] }
    })
}

async fn call(
    server: &Server,
    method: &str,
    path: &str,
    body: &Option<serde_json::Value>,
    token: Option<&str>,
    protocol: Option<&str>,
) -> (u16, serde_json::Value) {
    let http = reqwest::Client::new();
    let url = format!("{}{path}", server.url());
    let mut rb = if method == "POST" { http.post(url) } else { http.get(url) };
    if let Some(p) = protocol {
        rb = rb.header(PROTOCOL_HEADER, p);
    }
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.json(b).header("idempotency-key", format!("k-{}", rand_key()));
    }
    let r = rb.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

fn rand_key() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

async fn every_route_refuses_missing_bad_revoked_and_expired_tokens_and_wrong_roles(
    server: Server,
) {
    let (owner, _) = server.user("owner", Role::Reviewer).await;
    owner.publish(&session("s1")).await.unwrap();
    let (_, reviewer) = server.user("rev", Role::Reviewer).await;
    let (_, approver) = server.user("app", Role::Approver).await;
    let (_, admin) = server.user("adm", Role::Admin).await;
    let (_, revoked) = server.user("gone", Role::Admin).await;
    server.db.revoke("gone").await.unwrap();
    let expired = server
        .db
        .add_user(&NewUser {
            name: "old".into(),
            role: Role::Admin,
            expires_in: Some(Duration::from_millis(1)),
        })
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;

    for (method, path, body) in routes("nobody") {
        for (token, why) in [
            (None, "missing"),
            (Some("not-a-token"), "invalid"),
            (Some(revoked.as_str()), "revoked"),
            (Some(expired.as_str()), "expired"),
        ] {
            let (status, err) = call(&server, method, path, &body, token, Some("1")).await;
            assert_eq!(status, 401, "{method} {path} with a {why} token: {err}");
            assert_eq!(err["code"], "unauthorized");
        }
    }
    for (token, role) in [(&reviewer, "reviewer"), (&approver, "approver"), (&admin, "admin")] {
        for (method, path, body) in routes(role) {
            let (status, err) = call(&server, method, path, &body, Some(token), Some("1")).await;
            let want = match (path, role) {
                ("/v1/sessions/s1/decision", "approver") => 201,
                ("/v1/sessions/s1/decision", _) => 403,
                ("/v1/sessions/s1/load-checks", _) => 201,
                // The session belongs to "owner": the same content again is fine for anyone
                // who may (admin), refused for other reviewers and approvers.
                ("/v1/sessions", _) if method == "POST" && role != "admin" => 403,
                ("/v1/sync/push", _) => 200,
                _ => 200,
            };
            assert_eq!(status, want, "{method} {path} as {role}: {err}");
        }
    }
}

async fn other_protocol_versions_get_a_clear_error_and_health_needs_nothing(server: Server) {
    let (_, token) = server.user("ann", Role::Reviewer).await;
    let (status, err) = call(&server, "GET", "/v1/sessions", &None, Some(&token), None).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("protocol")));
    let (status, err) = call(&server, "GET", "/v1/sessions", &None, Some(&token), Some("2")).await;
    assert_eq!(status, 400);
    assert!(
        err["message"].as_str().unwrap().contains("speaks sync protocol 1; the client sent \"2\""),
        "{err}"
    );
    let (status, body) = call(&server, "GET", "/health", &None, None, None).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));
}

async fn oversized_and_malformed_bodies_are_refused(server: Server) {
    let (_, token) = server.user("ann", Role::Reviewer).await;
    let http = reqwest::Client::new();
    let big = vec![b' '; screening_sync::MAX_BODY_BYTES + 10];
    let r = http
        .post(format!("{}/v1/sessions", server.url()))
        .header(PROTOCOL_HEADER, "1")
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    let body = Some(serde_json::json!({ "id": "x", "name": "y" }));
    let (status, err) = call(&server, "POST", "/v1/sessions", &body, Some(&token), Some("1")).await;
    assert_eq!(status, 400);
    assert!(err["message"].as_str().unwrap().contains("missing field"), "{err}");
}
