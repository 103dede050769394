//! The real AWS SDK against the local Personalize stand-in on a real socket, with dummy
//! credentials: request shape and signing, replay with PutEvents, and every error.

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use screening_sources::stand_in::{StandIn, router};
use screening_sources::{
    Fetched, PersonaMapping, PersonalizeCandidate, PersonalizeSettings, fetch_one,
};

use crate::{letters, request, spawn};

const ARN: &str = "arn:aws:personalize:eu-west-1:123456789012:campaign";

async fn stand_in() -> (Arc<StandIn>, String) {
    let s = StandIn::new(('a'..='j').map(|c| c.to_string()).collect());
    let addr = spawn(router(Arc::clone(&s))).await;
    (s, format!("http://{addr}"))
}

async fn candidate(
    endpoint: &str,
    campaign: &str,
    mapping: PersonaMapping,
) -> PersonalizeCandidate {
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_personalizeruntime::config::Credentials::new(
            "AKIDSCREENING",
            "not-a-secret",
            None,
            None,
            "test",
        ))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .load()
        .await;
    let settings = PersonalizeSettings {
        region: "eu-west-1".into(),
        campaign_arn: Some(format!("{ARN}/{campaign}")),
        persona: Some(mapping),
        event_tracker_id: Some("tracker-1".into()),
        filter_arn: Some(format!("{ARN}/filter-no-horror").replace("campaign/", "filter/")),
        filter_values: [("GENRE".to_owned(), "\"Comedy\"".to_owned())].into(),
        context: [("DEVICE".to_owned(), "tv".to_owned())].into(),
        metadata_columns: [("ITEMS".to_owned(), vec!["GENRES".to_owned()])].into(),
        timeout_ms: 1_000,
        ..PersonalizeSettings::default()
    };
    PersonalizeCandidate::with_config(settings, &shared)
}

async fn ask(c: &PersonalizeCandidate, user: Option<&str>, history: &[&str], k: u32) -> Fetched {
    let mut r = request(k, history);
    r.user_id = user.map(str::to_owned);
    fetch_one(c, &r, letters().as_ref()).await
}

#[tokio::test]
async fn get_recommendations_is_signed_shaped_and_read_as_documented() {
    let (s, url) = stand_in().await;
    let c = candidate(&url, "ok", PersonaMapping::UserId).await;
    let f = ask(&c, Some("u42"), &["a"], 3).await;
    assert_eq!(f.error, None, "{f:?}");
    let ids: Vec<&str> = f.items.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(f.items[0].promotion.as_deref(), Some("editors-picks"));
    assert_eq!(f.items[0].reason.as_deref(), Some("Promoted item"));
    assert_eq!(f.items[1].score, Some(1.0 / 3.0));
    assert!(f.raw_response.as_deref().unwrap().contains("RID-stand-in"));

    let got = s.received();
    assert_eq!(got.len(), 1, "no PutEvents for a user id");
    let r = &got[0];
    assert_eq!(r.path, "/recommendations");
    let auth = r.authorization.as_deref().unwrap();
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDSCREENING/"), "{auth}");
    assert!(auth.contains("/eu-west-1/personalize/aws4_request"), "{auth}");
    assert!(r.amz_date.is_some());
    assert_eq!(r.body["campaignArn"], format!("{ARN}/ok"));
    assert_eq!(r.body["userId"], "u42");
    assert_eq!(r.body["numResults"], 3);
    assert_eq!(r.body["filterValues"]["GENRE"], "\"Comedy\"");
    assert_eq!(r.body["context"]["DEVICE"], "tv");
    assert_eq!(r.body["metadataColumns"]["ITEMS"][0], "GENRES");
    assert_eq!(f.sent["userId"], "u42", "what was sent is kept");
}

#[tokio::test]
async fn replay_sends_the_history_in_tens_under_a_stable_synthetic_user() {
    let (s, url) = stand_in().await;
    let c = candidate(&url, "ok", PersonaMapping::Replay).await;
    let history: Vec<String> = (0..23).map(|i| format!("h{i}")).collect();
    let refs: Vec<&str> = history.iter().map(String::as_str).collect();
    let f = ask(&c, None, &refs, 5).await;
    assert_eq!(f.error, None, "{f:?}");
    let got = s.received();
    let events: Vec<&_> = got.iter().filter(|r| r.path == "/events").collect();
    let sizes: Vec<usize> =
        events.iter().map(|r| r.body["eventList"].as_array().unwrap().len()).collect();
    assert_eq!(sizes, [10, 10, 3]);
    let user = events[0].body["userId"].as_str().unwrap();
    assert!(user.starts_with("screening-user-reality-fan-"), "{user}");
    assert!(events.iter().all(|r| r.body["userId"] == user && r.body["trackingId"] == "tracker-1"));
    assert!(events[0].body["sessionId"].as_str().unwrap().starts_with("screening-session-"));
    assert_eq!(events[0].body["eventList"][0]["itemId"], "h0");
    assert_eq!(events[0].body["eventList"][0]["eventType"], "watch");
    assert_eq!(events[0].body["eventList"][0]["sentAt"].as_f64(), Some(1_780_000_000.0));
    let get = got.last().unwrap();
    assert_eq!((get.path.as_str(), get.body["userId"].as_str()), ("/recommendations", Some(user)));

    // The same persona and history give the same user; another history another one.
    let again = ask(&c, None, &refs, 5).await;
    assert_eq!(again.sent["userId"], user);
    assert_ne!(ask(&c, None, &refs[..5], 5).await.sent["userId"], user);
}

#[tokio::test]
async fn each_error_is_a_clear_message() {
    let (s, url) = stand_in().await;
    let cases = [
        (
            "missing",
            "not found: Resource arn:aws:personalize:eu-west-1:123456789012:campaign/missing does not exist. (check the ARN and the region)",
        ),
        (
            "denied",
            "access denied (AccessDeniedException): User is not authorized to perform personalize:GetRecommendations",
        ),
        ("throttled", "throttled by Personalize, even after retries: Rate exceeded"),
    ];
    for (campaign, expected) in cases {
        let c = candidate(&url, campaign, PersonaMapping::UserId).await;
        let f = ask(&c, Some("u1"), &[], 5).await;
        assert_eq!(f.error.as_deref(), Some(expected), "{campaign}");
    }
    let throttled = s
        .received()
        .iter()
        .filter(|r| r.body["campaignArn"].as_str().unwrap().ends_with("/throttled"))
        .count();
    assert_eq!(throttled, 3, "throttling is retried by the SDK, then reported");

    let c = candidate(&url, "ok", PersonaMapping::UserId).await;
    let f = ask(&c, None, &["a"], 5).await;
    assert!(f.error.as_deref().unwrap().contains("has no user id for this candidate"), "{f:?}");

    let c = candidate(&url, "slow", PersonaMapping::UserId).await;
    let f = ask(&c, Some("u1"), &[], 5).await;
    assert!(f.error.as_deref().unwrap().contains("in time"), "{f:?}");

    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let c = candidate(&closed, "ok", PersonaMapping::UserId).await;
    let f = ask(&c, Some("u1"), &[], 5).await;
    assert!(
        f.error.as_deref().unwrap().starts_with("the request did not reach Personalize"),
        "{f:?}"
    );
}
