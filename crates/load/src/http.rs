//! An HTTP endpoint of contract v1 under load: the same POST the candidate gets in a review
//! (the personas' requests in turn), failures by kind.

use std::collections::BTreeMap;
use std::time::Duration;

use screening_sources::RecommendRequest;

use crate::{BoxFuture, LoadError, Target};

/// The endpoint at `url`, asked with `requests` in turn.
#[derive(Debug, Clone)]
pub struct HttpTarget {
    client: reqwest::Client,
    url: String,
    headers: reqwest::header::HeaderMap,
    bodies: Vec<Vec<u8>>,
}

impl HttpTarget {
    /// `url` and `headers` may hold `${VAR}` references (read now, once); at least one request.
    pub fn new(
        url: &str,
        headers: &BTreeMap<String, String>,
        requests: &[RecommendRequest],
        timeout: Duration,
        concurrency: usize,
    ) -> Result<HttpTarget, LoadError> {
        let invalid = |m: String| LoadError::Invalid(m);
        let url = screening_sources::env::expand(url).map_err(|e| invalid(format!("url: {e}")))?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(invalid(format!("url: starts with http:// or https://, not {url:?}")));
        }
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in headers {
            let value = screening_sources::env::expand(value)
                .map_err(|e| invalid(format!("header {name}: {e}")))?;
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(format!("header {name:?}: not a valid HTTP header name")))?;
            let value = reqwest::header::HeaderValue::from_str(&value)
                .map_err(|_| invalid(format!("header {name}: the value is not valid in HTTP")))?;
            map.insert(name, value);
        }
        map.insert(
            reqwest::header::CONTENT_TYPE,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        if requests.is_empty() {
            return Err(invalid("personas: at least one to build requests from".into()));
        }
        let bodies = requests
            .iter()
            .map(|r| serde_json::to_vec(r).map_err(|e| invalid(e.to_string())))
            .collect::<Result<_, _>>()?;
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .pool_max_idle_per_host(concurrency)
            .user_agent(concat!("screening-room-loadtest/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| invalid(format!("cannot set up the HTTP client: {e}")))?;
        Ok(HttpTarget { client, url, headers: map, bodies })
    }

    async fn post(&self, request: u64) -> Result<(), String> {
        let body = self.bodies[(request % self.bodies.len() as u64) as usize].clone();
        let response = self
            .client
            .post(&self.url)
            .headers(self.headers.clone())
            .body(body)
            .send()
            .await
            .map_err(|e| kind(&e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("http_{}", status.as_u16()));
        }
        let bytes = response.bytes().await.map_err(|e| kind(&e))?;
        // An answer counts when it is the contract's: a JSON object with an `items` list.
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(v) if v.get("items").is_some_and(serde_json::Value::is_array) => Ok(()),
            _ => Err("invalid_response".into()),
        }
    }
}

/// The kind of a transport failure.
fn kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "read"
    } else {
        "transport"
    }
    .to_owned()
}

impl Target for HttpTarget {
    fn call(&self, request: u64) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(self.post(request))
    }
}
