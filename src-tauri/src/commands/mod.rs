//! IPC commands: take the arguments, call the use case, return its result. Errors cross as
//! `screening_app::AppError` (`{ code, message }`). Add new commands to `build.rs` as well.
//! (`generate_handler!` needs the full paths: it looks for items the command macro generates
//! beside each function, which a `pub use` does not carry.)

pub mod candidates;
pub mod catalog;
pub mod load;
pub mod personas;
pub mod report;
pub mod review;
pub mod sync;

use std::path::PathBuf;
use std::sync::Arc;

use screening_app::{AppError, ErrorCode, Library, Workspace};

/// The workspace in the data directory, or why it could not open. While it is unavailable
/// (the database is in use by another window) every command answers with that error, which the
/// UI shows, and tries to open it again: closing the other window and retrying is enough.
pub struct Desk {
    dir: PathBuf,
    demo: Arc<Library>,
    reviewer: String,
    state: tokio::sync::Mutex<Result<Arc<Workspace>, AppError>>,
}

impl Desk {
    /// Opens the workspace in `dir` now (or records why it cannot).
    pub fn open(dir: PathBuf, demo: Arc<Library>, reviewer: String) -> Desk {
        let first = tauri::async_runtime::block_on(Workspace::open(
            &dir,
            Arc::clone(&demo),
            reviewer.clone(),
        ));
        Desk { dir, demo, reviewer, state: tokio::sync::Mutex::new(first.map(Arc::new)) }
    }

    /// Syncs with the report server every `every` (when one is set up), for as long as the app
    /// runs; a failure is only shown in the status, and the next round tries again.
    pub async fn sync_in_background(&self, every: std::time::Duration) {
        loop {
            tokio::time::sleep(every).await;
            if let Ok(ws) = self.get().await {
                let _ = ws.sync.sync_now().await;
            }
        }
    }

    /// The workspace, opened again first if it was unavailable.
    pub async fn get(&self) -> Result<Arc<Workspace>, AppError> {
        let mut state = self.state.lock().await;
        if matches!(&*state, Err(e) if e.code == ErrorCode::Unavailable) {
            let again = Workspace::open(&self.dir, Arc::clone(&self.demo), self.reviewer.clone());
            *state = again.await.map(Arc::new);
        }
        state.clone()
    }
}
