//! The report server on a real socket with a real SQLite file: sync, sessions, reports,
//! decisions, authentication.

mod auth;
mod sync;

use std::net::SocketAddr;

use screening_core::report::events::EventLog;
use screening_server::{Db, NewUser};
use screening_sync::{
    Client, NamedCandidate, NamedPersona, PublishedItem, PublishedSession, PublishedSnapshot,
    PushRequest, Role,
};

/// A running server and its database.
pub struct Server {
    pub addr: SocketAddr,
    pub db: Db,
    pub _dir: tempfile::TempDir,
}

impl Server {
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("server.db").display());
        let db = Db::open(&url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(screening_server::serve(listener, db.clone(), std::future::pending()));
        Server { addr, db, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A new user's client.
    pub async fn user(&self, name: &str, role: Role) -> (Client, String) {
        let token =
            self.db.add_user(&NewUser { name: name.into(), role, expires_in: None }).await.unwrap();
        (Client::new(&self.url(), &token), token)
    }

    /// How many events the server stores.
    pub async fn stored(&self, client: &Client) -> usize {
        let mut n = 0;
        let mut cursor = String::new();
        loop {
            let page = client.pull(&cursor, 5000).await.unwrap();
            n += page.events.len();
            cursor = page.cursor;
            if !page.more {
                return n;
            }
        }
    }
}

/// A published session: personas p1, p2; candidates "Popularity" (incumbent) and "EASE"
/// (challenger); one list per persona and candidate.
pub fn session(id: &str) -> PublishedSession {
    let personas = ["p1", "p2"];
    let candidates = ["Popularity", "EASE"];
    PublishedSession {
        id: id.into(),
        name: format!("Session {id}"),
        k: 3,
        blind: true,
        criteria: vec!["overall".into()],
        incumbent: Some("Popularity".into()),
        challenger: Some("EASE".into()),
        personas: personas
            .iter()
            .map(|p| NamedPersona { id: (*p).into(), name: p.to_uppercase() })
            .collect(),
        candidates: candidates.iter().map(|c| NamedCandidate { name: (*c).into() }).collect(),
        snapshots: personas
            .iter()
            .flat_map(|p| {
                candidates.iter().map(move |c| PublishedSnapshot {
                    id: format!("{id}-{p}-{c}"),
                    persona_id: (*p).into(),
                    candidate: (*c).into(),
                    items: vec![PublishedItem {
                        item_id: "i1".into(),
                        title: Some("One".into()),
                        score: Some(0.5),
                        reason: None,
                    }],
                    fetched_at: 1_700_000_000_000,
                    latency_ms: Some(3.0),
                    error: None,
                })
            })
            .collect(),
        gate: None,
    }
}

/// One reviewer's judgements of session `id` from one device: per persona a rating of each list
/// and a preference for EASE; op ids start with `prefix`.
pub fn judgements(id: &str, prefix: &str, ease: i64, popularity: i64) -> PushRequest {
    let mut log = EventLog::new(prefix);
    for p in ["p1", "p2"] {
        for (c, v) in [("EASE", ease), ("Popularity", popularity)] {
            let e = log.rate(p, "-", c, "overall", v);
            e.session_id = id.into();
            e.snapshot_id = Some(format!("{id}-{p}-{c}"));
        }
        let e = log.prefer(p, "-", &["Popularity", "EASE"], &[&["EASE"], &["Popularity"]]);
        e.session_id = id.into();
    }
    let events: Vec<_> = log.events.into_iter().zip(1..).collect();
    PushRequest::new(format!("device-{prefix}"), &events)
}
