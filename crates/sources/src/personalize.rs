//! Amazon Personalize campaigns and recommenders as candidates, through the official AWS SDK
//! (`aws-config`, `aws-sdk-personalizeruntime`, `aws-sdk-personalizeevents`): no hand-written
//! signing. Credentials and the endpoint come from the standard chain (`AWS_PROFILE`,
//! `AWS_ACCESS_KEY_ID`…, `AWS_ENDPOINT_URL` for a stand-in).
//!
//! A persona is either an existing user (`persona = "user_id"`: its external user id for this
//! candidate) or replayed (`persona = "replay"`): its history is sent with PutEvents, at most 10
//! events per call, under a synthetic user and session id derived from the persona and its
//! history, then GetRecommendations asks for that user. Errors become messages for the column:
//! no credentials, access denied, throttling, resource not found, invalid input, timeouts.

use std::collections::HashMap;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_personalizeevents::types::Event;
use aws_sdk_personalizeruntime::error::{DisplayErrorContext, ProvideErrorMetadata};
use serde_json::json;

use crate::candidate::{Answer, AnswerItem, BoxFuture, Candidate, Failure};
use crate::config::PersonaMapping;
use crate::contract::RecommendRequest;

/// PutEvents takes at most this many events per call.
pub const EVENTS_PER_CALL: usize = 10;

/// A Personalize candidate's settings (the `personalize` kind of a candidate config).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonalizeSettings {
    pub region: String,
    pub campaign_arn: Option<String>,
    pub recommender_arn: Option<String>,
    pub filter_arn: Option<String>,
    pub filter_values: HashMap<String, String>,
    pub context: HashMap<String, String>,
    pub metadata_columns: HashMap<String, Vec<String>>,
    pub persona: Option<PersonaMapping>,
    pub event_tracker_id: Option<String>,
    pub timeout_ms: u64,
}

impl PersonalizeSettings {
    /// The settings of a `personalize` candidate config (`None` for other kinds).
    pub fn of(config: &crate::CandidateConfig) -> Option<Self> {
        let crate::CandidateConfig::Personalize {
            region,
            campaign_arn,
            recommender_arn,
            filter_arn,
            filter_values,
            context,
            metadata_columns,
            persona,
            event_tracker_id,
            timeout_ms,
            ..
        } = config
        else {
            return None;
        };
        Some(PersonalizeSettings {
            region: region.clone(),
            campaign_arn: campaign_arn.clone(),
            recommender_arn: recommender_arn.clone(),
            filter_arn: filter_arn.clone(),
            filter_values: filter_values.clone().into_iter().collect(),
            context: context.clone().into_iter().collect(),
            metadata_columns: metadata_columns.clone().into_iter().collect(),
            persona: Some(*persona),
            event_tracker_id: event_tracker_id.clone(),
            timeout_ms: *timeout_ms,
        })
    }
}

/// A Personalize campaign or recommender.
pub struct PersonalizeCandidate {
    settings: PersonalizeSettings,
    runtime: aws_sdk_personalizeruntime::Client,
    events: aws_sdk_personalizeevents::Client,
}

impl PersonalizeCandidate {
    /// A candidate using the standard AWS configuration chain in the settings' region.
    pub async fn new(settings: PersonalizeSettings) -> Self {
        let shared = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(settings.region.clone()))
            .load()
            .await;
        Self::with_config(settings, &shared)
    }

    /// A candidate on an explicit SDK configuration (endpoint, credentials…).
    pub fn with_config(settings: PersonalizeSettings, shared: &SdkConfig) -> Self {
        let timeouts = aws_config::timeout::TimeoutConfig::builder()
            .operation_attempt_timeout(Duration::from_millis(settings.timeout_ms))
            .build();
        let runtime = aws_sdk_personalizeruntime::config::Builder::from(shared)
            .timeout_config(timeouts.clone())
            .build();
        let events = aws_sdk_personalizeevents::config::Builder::from(shared)
            .timeout_config(timeouts)
            .build();
        PersonalizeCandidate {
            settings,
            runtime: aws_sdk_personalizeruntime::Client::from_conf(runtime),
            events: aws_sdk_personalizeevents::Client::from_conf(events),
        }
    }

    async fn call(&self, request: &RecommendRequest) -> Result<Answer, Failure> {
        let s = &self.settings;
        let replay = s.persona == Some(PersonaMapping::Replay);
        let user_id = if replay {
            synthetic_id("screening-user", request)
        } else {
            request.user_id.clone().ok_or_else(|| {
                Failure::new(format!(
                    "persona {:?} has no user id for this candidate: set one in the persona's external user ids, or use persona = \"replay\"",
                    request.persona.name
                ))
            })?
        };
        let mut sent = json!({
            "operation": "GetRecommendations",
            "campaignArn": s.campaign_arn,
            "recommenderArn": s.recommender_arn,
            "userId": user_id,
            "numResults": request.k,
            "filterArn": s.filter_arn,
            "filterValues": s.filter_values,
            "context": s.context,
            "metadataColumns": s.metadata_columns,
        });
        let fail = |message: String, sent: &serde_json::Value| Failure {
            message,
            sent: sent.clone(),
            raw_response: None,
        };
        if replay {
            let session_id = synthetic_id("screening-session", request);
            let tracker = s.event_tracker_id.clone().unwrap_or_default();
            let mut calls = 0;
            for chunk in request.history.chunks(EVENTS_PER_CALL) {
                let mut put = self
                    .events
                    .put_events()
                    .tracking_id(&tracker)
                    .user_id(&user_id)
                    .session_id(&session_id);
                for h in chunk {
                    let event = Event::builder()
                        .event_type(&h.event_type)
                        .item_id(&h.item_id)
                        .sent_at(aws_sdk_personalizeevents::primitives::DateTime::from_secs(
                            h.timestamp,
                        ))
                        .build()
                        .map_err(|e| fail(format!("cannot build an event: {e}"), &sent))?;
                    put = put.event_list(event);
                }
                put.send().await.map_err(|e| {
                    fail(
                        format!(
                            "PutEvents: {}",
                            describe(e.code(), e.message(), &DisplayErrorContext(&e).to_string())
                        ),
                        &sent,
                    )
                })?;
                calls += 1;
            }
            sent["putEvents"] = json!({ "trackingId": tracker, "sessionId": session_id, "events": request.history.len(), "calls": calls });
        }
        let mut get =
            self.runtime.get_recommendations().user_id(&user_id).num_results(request.k as i32);
        if let Some(arn) = &s.campaign_arn {
            get = get.campaign_arn(arn);
        }
        if let Some(arn) = &s.recommender_arn {
            get = get.recommender_arn(arn);
        }
        if let Some(arn) = &s.filter_arn {
            get = get.filter_arn(arn);
        }
        for (k, v) in &s.filter_values {
            get = get.filter_values(k, v);
        }
        for (k, v) in &s.context {
            get = get.context(k, v);
        }
        for (k, v) in &s.metadata_columns {
            get = get.metadata_columns(k, v.clone());
        }
        let out = get.send().await.map_err(|e| {
            fail(describe(e.code(), e.message(), &DisplayErrorContext(&e).to_string()), &sent)
        })?;
        let items: Vec<AnswerItem> = out
            .item_list()
            .iter()
            .filter_map(|p| {
                Some(AnswerItem {
                    item_id: p.item_id()?.to_owned(),
                    score: p.score(),
                    reason: (!p.reason().is_empty()).then(|| p.reason().join("; ")),
                    promotion: p.promotion_name().map(str::to_owned),
                })
            })
            .collect();
        let raw = json!({
            "itemList": out.item_list().iter().map(|p| json!({
                "itemId": p.item_id(), "score": p.score(), "reason": p.reason(),
                "promotionName": p.promotion_name(), "metadata": p.metadata(),
            })).collect::<Vec<_>>(),
            "recommendationId": out.recommendation_id(),
        });
        Ok(Answer {
            items,
            model_version: s.campaign_arn.clone().or_else(|| s.recommender_arn.clone()),
            sent,
            raw_response: Some(raw.to_string()),
        })
    }
}

impl Candidate for PersonalizeCandidate {
    fn timeout(&self) -> Duration {
        // PutEvents calls, then GetRecommendations, each with the SDK's own retries.
        Duration::from_millis(self.settings.timeout_ms.saturating_mul(4))
    }

    fn fetch<'a>(
        &'a self,
        request: &'a RecommendRequest,
    ) -> BoxFuture<'a, Result<Answer, Failure>> {
        Box::pin(self.call(request))
    }
}

/// A user or session id standing for the persona with this history: the same persona and
/// history always give the same id, an edited history another.
fn synthetic_id(prefix: &str, request: &RecommendRequest) -> String {
    let mut h = blake3::Hasher::new();
    h.update(request.persona.id.as_bytes());
    for e in &request.history {
        h.update(b"\0");
        h.update(e.item_id.as_bytes());
        h.update(&e.timestamp.to_le_bytes());
    }
    format!("{prefix}-{}-{}", request.persona.id, &h.finalize().to_hex()[..12])
}

/// An SDK error in words: what the service said, or what kept the request from it.
fn describe(code: Option<&str>, message: Option<&str>, context: &str) -> String {
    let message = message.unwrap_or("").trim();
    match code {
        Some("AccessDeniedException" | "UnrecognizedClientException" | "InvalidSignatureException") => {
            format!("access denied ({}): {message}", code.unwrap_or_default())
        }
        Some("ResourceNotFoundException") => {
            format!("not found: {message} (check the ARN and the region)")
        }
        Some("ThrottlingException" | "TooManyRequestsException" | "LimitExceededException") => {
            format!("throttled by Personalize, even after retries: {message}")
        }
        Some("InvalidInputException") => format!("Personalize refused the request: {message}"),
        Some(other) => format!("{other}: {message}"),
        None if context.contains("credentials") || context.contains("Credentials") => {
            "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in with `aws sso login`".to_owned()
        }
        None if context.to_lowercase().contains("timeout") || context.contains("timed out") => {
            "no answer from Personalize in time".to_owned()
        }
        None => format!("the request did not reach Personalize: {context}"),
    }
}
