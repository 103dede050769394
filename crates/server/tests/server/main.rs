//! The report server on a real socket with a real database: sync, sessions, reports,
//! decisions, authentication. Every test listed in [`on_every_backend!`] runs on a SQLite file
//! and on a fresh database of the PostgreSQL server `SCREENING_TEST_POSTGRES` names (`make test`
//! starts a throwaway one: scripts/test-postgres.sh).

mod auth;
mod storage;
mod sync;
mod web;

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Once;

use screening_core::report::events::EventLog;
use screening_server::{Backend, Db, NewUser};
use screening_sync::{
    Client, NamedCandidate, NamedPersona, PublishedItem, PublishedSession, PublishedSnapshot,
    PushRequest, Role,
};

/// A running server and its database.
pub struct Server {
    pub addr: SocketAddr,
    pub db: Db,
    /// Where `db` is: `sqlite://…` or `postgres://…`.
    pub db_url: String,
    pub _dir: Option<tempfile::TempDir>,
}

/// Makes each `async fn NAME(server: Server)` listed two tests: `NAME::sqlite` and
/// `NAME::postgres`, each on a server of its own over a new database. `NAME: multi_thread` runs
/// them on 4 worker threads.
macro_rules! on_every_backend {
    ($($name:ident $(: $flavor:ident)?),* $(,)?) => {$(
        $crate::on_every_backend!(@flavor $name [$($flavor)?]);
    )*};
    (@flavor $name:ident []) => {
        $crate::on_every_backend!(@tests $name [tokio::test]);
    };
    (@flavor $name:ident [multi_thread]) => {
        $crate::on_every_backend!(
            @tests $name [tokio::test(flavor = "multi_thread", worker_threads = 4)]
        );
    };
    (@tests $name:ident [$test:meta]) => {
        mod $name {
            #[$test]
            async fn sqlite() {
                $crate::run_on(screening_server::Backend::Sqlite, super::$name).await;
            }
            #[$test]
            async fn postgres() {
                $crate::run_on(screening_server::Backend::Postgres, super::$name).await;
            }
        }
    };
}
pub(crate) use on_every_backend;

/// Runs `test` on a new server over a new database on `backend`. On PostgreSQL the database is
/// made on the server `SCREENING_TEST_POSTGRES` names and dropped after the test passes; without
/// that variable the test is skipped (and fails when `CI` is set: CI runs both).
pub async fn run_on<F: Future<Output = ()>>(backend: Backend, test: impl FnOnce(Server) -> F) {
    match backend {
        Backend::Sqlite => test(Server::start().await).await,
        Backend::Postgres => {
            let Some(admin) = postgres_server() else { return };
            let name = format!("t_{:016x}", random_u64());
            admin_sql(&admin, &format!("CREATE DATABASE {name}")).await;
            let server = Server::start_at(&with_database(&admin, &name), None).await;
            let db = server.db.clone();
            test(server).await;
            db.close().await;
            admin_sql(&admin, &format!("DROP DATABASE {name} WITH (FORCE)")).await;
        }
    }
}

/// `SCREENING_TEST_POSTGRES`: the URL of a PostgreSQL server whose user may create databases.
fn postgres_server() -> Option<String> {
    static SKIPPED: Once = Once::new();
    if let Some(url) = std::env::var("SCREENING_TEST_POSTGRES").ok().filter(|u| !u.is_empty()) {
        return Some(url);
    }
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !ci,
        "CI is set but SCREENING_TEST_POSTGRES is not: on CI the server tests run on PostgreSQL \
         too (make test starts a server: scripts/test-postgres.sh run cargo test)"
    );
    SKIPPED.call_once(|| {
        // Past the test harness's capture: one line, whichever test comes first.
        let _ = writeln!(
            std::io::stderr(),
            "server tests: the PostgreSQL runs are skipped: SCREENING_TEST_POSTGRES is not set \
             (make test sets it; or: scripts/test-postgres.sh run cargo test -p screening-server)"
        );
    });
    None
}

/// Runs one statement on the server's `admin` database.
async fn admin_sql(admin: &str, sql: &str) {
    use sqlx::{AssertSqlSafe, Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("SCREENING_TEST_POSTGRES={admin}: {e}"));
    conn.execute(AssertSqlSafe(sql.to_owned())).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    conn.close().await.unwrap();
}

/// `url` with its database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let host = base.find("://").map_or(0, |i| i + 3);
    let base = base[host..].find('/').map_or(base, |i| &base[..host + i]);
    format!("{base}/{name}{}", query.map_or(String::new(), |q| format!("?{q}")))
}

fn random_u64() -> u64 {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    u64::from_le_bytes(bytes)
}

impl Server {
    /// A server over a new SQLite file.
    pub async fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("server.db").display());
        Server::start_at(&url, Some(dir)).await
    }

    /// A server over the database at `url` (in `dir`, deleted with the server).
    pub async fn start_at(url: &str, dir: Option<tempfile::TempDir>) -> Server {
        let db = Db::open(url).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(screening_server::serve(listener, db.clone(), std::future::pending()));
        Server { addr, db, db_url: url.to_owned(), _dir: dir }
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
            .map(|p| NamedPersona { id: (*p).into(), name: p.to_uppercase(), history: vec![] })
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
        catalog: None,
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
