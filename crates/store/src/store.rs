//! Opening the database: file, pragmas, migrations, the single-instance lock, the device id.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::StoreError;

/// The database file's name in the data directory.
pub const DB_FILE: &str = "screening.db";

/// The open local database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: SqlitePool,
    pub(crate) device_id: String,
    path: PathBuf,
    /// Held for as long as any clone of the store lives; the OS drops the lock when the process
    /// dies, however it dies. `None` for a store opened for reading beside the app.
    _lock: Option<std::sync::Arc<File>>,
}

impl Store {
    /// Opens (creating if needed) `dir/screening.db`.
    pub async fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(DB_FILE);
        let open_err = |e: &dyn std::fmt::Display| StoreError::Open {
            path: path.clone(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(&e))?;
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!("{DB_FILE}.lock")))
            .map_err(|e| open_err(&e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(StoreError::InUse { path }),
            Err(TryLockError::Error(e)) => return Err(open_err(&e)),
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| open_err(&e))?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed transaction is on disk before the commit returns, which is what
            // lets the UI say "saved" (WAL + NORMAL could lose the last commits on power loss).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| open_err(&e))?;
        sqlx::migrate!("../../migrations").run(&pool).await?;
        let device_id = device_id(&pool).await?;
        Ok(Store { pool, device_id, path, _lock: Some(std::sync::Arc::new(lock)) })
    }

    /// Opens an existing database to read it beside a running app (reports, exports): no
    /// single-instance lock, and nothing is created. `path` is the database file or the data
    /// directory that holds it. Pending migrations are applied, so an older file reads too.
    pub async fn open_for_reading(path: &Path) -> Result<Store, StoreError> {
        let file = if path.is_dir() { path.join(DB_FILE) } else { path.to_path_buf() };
        let open_err = |e: &dyn std::fmt::Display| StoreError::Open {
            path: file.clone(),
            message: e.to_string(),
        };
        if !file.is_file() {
            return Err(open_err(&"no such database file"));
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(|e| open_err(&e))?
            .filename(&file)
            .create_if_missing(false)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(|e| open_err(&e))?;
        sqlx::migrate!("../../migrations").run(&pool).await.map_err(|e| open_err(&e))?;
        let device_id = device_id(&pool).await?;
        Ok(Store { pool, device_id, path: file, _lock: None })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This installation's id (a UUIDv7 made on first open): judgements are numbered per device.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// `PRAGMA integrity_check`: `"ok"` for a sound file, else SQLite's findings.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: Vec<(String,)> =
            sqlx::query_as("PRAGMA integrity_check").fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|(r,)| r).collect::<Vec<_>>().join("\n"))
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(self) {
        self.pool.close().await;
    }
}

async fn device_id(pool: &SqlitePool) -> Result<String, StoreError> {
    let fresh = uuid::Uuid::now_v7().to_string();
    // INSERT OR IGNORE keeps the first id ever written, even if two opens race.
    sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('device_id', ?)")
        .bind(&fresh)
        .execute(pool)
        .await?;
    let (id,): (String,) =
        sqlx::query_as("SELECT value FROM meta WHERE key = 'device_id'").fetch_one(pool).await?;
    Ok(id)
}
