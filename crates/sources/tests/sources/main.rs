//! screening-sources against real local sockets (127.0.0.1:0): the reference model server, HTTP
//! candidates and every failure mode, and the parallel fan-out.

mod fanout;
mod http;
mod personalize;
mod server;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use screening_sources::{HistoryEvent, PersonaRef, RecommendRequest};

/// Serves `router` on a free local port until the test ends; returns its address.
pub async fn spawn(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

/// A request for `k` items for a persona who watched `history`.
pub fn request(k: u32, history: &[&str]) -> RecommendRequest {
    RecommendRequest {
        persona: PersonaRef { id: "reality-fan".into(), name: "Reality TV fan".into() },
        user_id: None,
        history: history
            .iter()
            .enumerate()
            .map(|(i, id)| HistoryEvent {
                item_id: (*id).into(),
                timestamp: 1_780_000_000 + i as i64,
                event_type: "watch".into(),
            })
            .collect(),
        k,
        context: Default::default(),
    }
}

/// A catalog of items `a`…`j`.
pub fn letters() -> Arc<HashSet<String>> {
    Arc::new(('a'..='j').map(|c| c.to_string()).collect())
}
