//! HTTP model endpoints speaking contract v1 ([`crate::contract`]).
//!
//! One POST per request with the configured headers (`${VAR}` references read from the
//! environment at call time), a timeout, and one retry when the connection itself fails (never
//! after the endpoint has answered). Every failure becomes a message for the candidate's column:
//! connection refused, timeout, a non-2xx status with the start of the body, a body that is not
//! JSON, no `items` list, an item without an `item_id`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::candidate::{Answer, AnswerItem, BoxFuture, Candidate, Failure};
use crate::contract::RecommendRequest;
use crate::env;

/// Default time an endpoint has to answer.
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;

/// How much of an error body a message quotes.
const BODY_START: usize = 200;

/// Where and how to call an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// May hold `${VAR}` references.
    pub url: String,
    pub timeout_ms: u64,
    /// Values may hold `${VAR}` references.
    pub headers: BTreeMap<String, String>,
}

/// An HTTP model endpoint.
#[derive(Debug, Clone)]
pub struct HttpCandidate {
    config: HttpConfig,
    client: reqwest::Client,
}

impl HttpCandidate {
    /// A candidate for `config`; a header name that HTTP does not allow is an error.
    pub fn new(config: HttpConfig) -> Result<Self, String> {
        for name in config.headers.keys() {
            reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("{name:?} is not a valid HTTP header name"))?;
        }
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(config.timeout_ms))
            .timeout(Duration::from_millis(config.timeout_ms))
            .user_agent(concat!("screening-room/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        Ok(HttpCandidate { config, client })
    }

    async fn call(&self, request: &RecommendRequest) -> Result<Answer, Failure> {
        let body = serde_json::to_value(request).unwrap_or(Value::Null);
        // Header values as configured (references unexpanded): no secret lands in a snapshot.
        let sent = json!({ "url": self.config.url, "headers": self.config.headers, "body": body });
        let fail = |message: String, raw: Option<String>| Failure {
            message,
            sent: sent.clone(),
            raw_response: raw,
        };
        let url = env::expand(&self.config.url).map_err(|e| fail(format!("url: {e}"), None))?;
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &self.config.headers {
            let value =
                env::expand(value).map_err(|e| fail(format!("header {name}: {e}"), None))?;
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| fail(format!("{name:?} is not a valid HTTP header name"), None))?;
            let value = reqwest::header::HeaderValue::from_str(&value).map_err(|_| {
                fail(format!("header {name}: the value is not valid in HTTP"), None)
            })?;
            headers.insert(name, value);
        }
        let send = || self.client.post(&url).headers(headers.clone()).json(&body).send();
        let response = match send().await {
            Err(e) if e.is_connect() => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                send().await
            }
            other => other,
        }
        .map_err(|e| fail(self.describe(&url, &e), None))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| {
            fail(format!("reading the response failed: {}", self.describe(&url, &e)), None)
        })?;
        if !status.is_success() {
            return Err(fail(format!("HTTP {status}: {}", start_of(&text)), Some(text)));
        }
        match parse(&text) {
            Ok((items, model_version)) => {
                Ok(Answer { items, model_version, sent, raw_response: Some(text) })
            }
            Err(message) => Err(fail(message, Some(text))),
        }
    }

    /// A transport error in words.
    fn describe(&self, url: &str, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            return format!("no answer within {} ms", self.config.timeout_ms);
        }
        let mut cause = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        if e.is_connect() {
            if cause.to_lowercase().contains("connection refused") {
                return format!("cannot connect to {url}: connection refused");
            }
            return format!("cannot connect to {url}: {cause}");
        }
        format!("request to {url} failed: {cause}")
    }
}

impl Candidate for HttpCandidate {
    fn timeout(&self) -> Duration {
        // Two attempts when the first cannot connect.
        Duration::from_millis(self.config.timeout_ms.saturating_mul(2))
    }

    fn fetch<'a>(
        &'a self,
        request: &'a RecommendRequest,
    ) -> BoxFuture<'a, Result<Answer, Failure>> {
        Box::pin(self.call(request))
    }
}

/// The first [`BODY_START`] characters of `text`, one line.
fn start_of(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return "(empty body)".to_owned();
    }
    let mut start: String = one_line.chars().take(BODY_START).collect();
    if one_line.chars().count() > BODY_START {
        start.push('…');
    }
    start
}

/// The items and model version of a 200 body, or what is wrong with it.
fn parse(text: &str) -> Result<(Vec<AnswerItem>, Option<String>), String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("the response is not valid JSON ({e}); it starts: {}", start_of(text))
    })?;
    let items = value
        .get("items")
        .ok_or("the response has no \"items\" list")?
        .as_array()
        .ok_or("\"items\" in the response is not a list")?;
    let mut out = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let item_id = match item.get("item_id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            // Numeric ids are common in in-house services; they name the same catalog ids.
            Some(Value::Number(x)) => x.to_string(),
            _ => return Err(format!("items[{n}] has no \"item_id\" string")),
        };
        let score = match item.get("score") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_f64().ok_or(format!("items[{n}].score is not a number"))?),
        };
        let reason = match item.get("reason") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(format!("items[{n}].reason is not a string")),
        };
        out.push(AnswerItem { item_id, score, reason, promotion: None });
    }
    let model_version = value.get("model_version").and_then(Value::as_str).map(str::to_owned);
    Ok((out, model_version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_parsed_or_named_wrong() {
        let (items, v) =
            parse(r#"{"items":[{"item_id":"a","score":0.5,"reason":"r"},{"item_id":7}],"model_version":"v3"}"#)
                .unwrap();
        assert_eq!(items[1].item_id, "7");
        assert_eq!((items[0].score, v.as_deref()), (Some(0.5), Some("v3")));
        for (body, expected) in [
            ("<html>oops</html>", "the response is not valid JSON"),
            ("{}", "the response has no \"items\" list"),
            (r#"{"items":{}}"#, "\"items\" in the response is not a list"),
            (r#"{"items":[{"id":"a"}]}"#, "items[0] has no \"item_id\" string"),
            (r#"{"items":[{"item_id":"a","score":"high"}]}"#, "items[0].score is not a number"),
        ] {
            let e = parse(body).unwrap_err();
            assert!(e.contains(expected), "{body}: {e}");
        }
        assert_eq!(start_of(&"x".repeat(300)).chars().count(), BODY_START + 1);
        assert_eq!(start_of("  a\n b "), "a b");
    }
}
