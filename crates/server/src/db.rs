//! The server's store: one pool over SQLite or PostgreSQL (sqlx's `Any` driver, the same
//! queries on both), its migrations, users and their tokens.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use screening_sync::Role;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor, Row};
use tokio::sync::Mutex;

use crate::Failure;

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The open store. Writes take [`Db::write`] in turn: SQLite allows one writer anyway, and one
/// writer at a time means change numbers are committed in order, so a pull never skips a change
/// that commits late.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: AnyPool,
    pub backend: Backend,
    pub(crate) write: Arc<Mutex<()>>,
}

/// A user to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    /// The token stops working after this long; `None`: until revoked.
    pub expires_in: Option<Duration>,
}

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

impl Db {
    /// Opens (creating a SQLite file if needed) the database at `url` — `sqlite://PATH` or
    /// `postgres://…` — and applies its migrations.
    pub async fn open(url: &str) -> Result<Db, String> {
        install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url =
                if path.contains("mode=") { url.to_owned() } else { format!("{url}{sep}mode=rwc") };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(format!("--db {url:?}: give sqlite://PATH or postgres://USER@HOST/DB"));
        };
        let options = AnyPoolOptions::new().max_connections(8).after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the writer; FULL makes a commit durable before
                    // the push is answered; foreign keys hold events to their sessions.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        });
        let pool = options.connect(&url).await.map_err(|e| format!("cannot open {url}: {e}"))?;
        let migrated = match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite").run(&pool).await,
            Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await,
        };
        migrated.map_err(|e| format!("migrating {url}: {e}"))?;
        Ok(Db { pool, backend, write: Arc::new(Mutex::new(())) })
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Adds a user and returns their new token (shown once: only its hash is stored).
    pub async fn add_user(&self, user: &NewUser) -> Result<String, String> {
        let name = user.name.trim();
        if name.is_empty() {
            return Err("--name: give the user a name".into());
        }
        let _writer = self.write.lock().await;
        let mut tx = self.pool.begin().await.map_err(|e| e.to_string())?;
        let now = now_ms();
        let row = sqlx::query(
            "INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(user.role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if e.to_string().to_lowercase().contains("unique") {
                format!("a user named {name:?} exists already")
            } else {
                e.to_string()
            }
        })?;
        let id: i64 = row.try_get(0).map_err(|e| e.to_string())?;
        let token = new_token()?;
        let expires = user.expires_in.map(|d| now + d.as_millis() as i64);
        sqlx::query(
            "INSERT INTO tokens (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(id)
        .bind(now)
        .bind(expires)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(token)
    }

    /// Revokes every token of the user `name`; returns how many.
    pub async fn revoke(&self, name: &str) -> Result<u64, String> {
        let _writer = self.write.lock().await;
        let user: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| e.to_string())?;
        let Some((id,)) = user else { return Err(format!("no user named {name:?}")) };
        let done = sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(now_ms())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| e.to_string())?;
        Ok(done.rows_affected())
    }

    /// The user a bearer token belongs to, if it is valid now.
    pub(crate) async fn authenticate(&self, token: &str) -> Result<User, Failure> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.role, t.expires_at, t.revoked_at
             FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1",
        )
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Err(Failure::unauthorized("the token is not valid")) };
        let revoked: Option<i64> = row.try_get("revoked_at")?;
        if revoked.is_some() {
            return Err(Failure::unauthorized("the token was revoked"));
        }
        let expires: Option<i64> = row.try_get("expires_at")?;
        if expires.is_some_and(|t| t <= now_ms()) {
            return Err(Failure::unauthorized("the token has expired"));
        }
        let role: String = row.try_get("role")?;
        Ok(User {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            role: Role::parse(&role)
                .ok_or_else(|| Failure::internal(format!("stored role {role:?}")))?,
        })
    }
}

/// 256 random bits from the operating system, as 64 hex digits.
fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the system: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What is stored of a token: its blake3 hash (a token has 256 random bits, so a fast hash
/// suffices; nothing to guess).
pub(crate) fn token_hash(token: &str) -> String {
    digest(token)
}

/// blake3 of some text, as hex.
pub(crate) fn digest(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}
