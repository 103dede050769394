//! Where this user's report-server token is kept: in the OS keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows) where one answers, else in a file of the
//! data directory that only this user may read.
//!
//! `SCREENING_TOKEN_STORE` chooses: `auto` (the default: the keychain, else the file), `file`,
//! or `keychain` (the keychain or an error). On Linux the keychain is asked only inside a desktop
//! session (`DBUS_SESSION_BUS_ADDRESS` set), so a headless run never waits on a keychain prompt.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;

/// The token's file in the data directory (owner-only permissions).
const TOKEN_FILE: &str = "sync-token";
/// The keychain entry's service name; its account is this installation's device id.
const SERVICE: &str = "Screening Room report server";

/// Where the token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TokenPlace {
    /// The OS keychain.
    Keychain,
    /// A file readable only by this user.
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Auto,
    File,
    Keychain,
}

/// The token of one data directory.
#[derive(Debug, Clone)]
pub struct TokenStore {
    file: PathBuf,
    account: String,
    mode: Mode,
}

impl TokenStore {
    /// The token store of data directory `dir`, the keychain entry named by `device_id`.
    pub fn new(dir: &Path, device_id: &str) -> Result<TokenStore, AppError> {
        let mode = match std::env::var("SCREENING_TOKEN_STORE").as_deref() {
            Err(_) | Ok("" | "auto") => Mode::Auto,
            Ok("file") => Mode::File,
            Ok("keychain") => Mode::Keychain,
            Ok(other) => {
                return Err(AppError::invalid_input(format!(
                    "SCREENING_TOKEN_STORE is auto, file or keychain, not {other:?}"
                )));
            }
        };
        Ok(TokenStore { file: dir.join(TOKEN_FILE), account: device_id.to_owned(), mode })
    }

    fn keychain(&self) -> Option<keyring::Entry> {
        let session = cfg!(not(target_os = "linux"))
            || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
        match self.mode {
            Mode::File => None,
            Mode::Auto if !session => None,
            _ => keyring::Entry::new(SERVICE, &self.account).ok(),
        }
    }

    /// Saves `token`: in the keychain when it takes it (then no file is left behind), else in
    /// the file.
    pub fn save(&self, token: &str) -> Result<TokenPlace, AppError> {
        if let Some(entry) = self.keychain() {
            match entry.set_password(token) {
                Ok(()) => {
                    match std::fs::remove_file(&self.file) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => {
                            return Err(AppError::internal(format!(
                                "cannot remove the old token file {}: {e}",
                                self.file.display()
                            )));
                        }
                    }
                    return Ok(TokenPlace::Keychain);
                }
                Err(e) if self.mode == Mode::Keychain => {
                    return Err(AppError::unavailable(format!(
                        "the keychain refused the token: {e}"
                    )));
                }
                Err(_) => {}
            }
        } else if self.mode == Mode::Keychain {
            return Err(AppError::unavailable("no keychain answers in this session"));
        }
        write_private(&self.file, token)?;
        Ok(TokenPlace::File)
    }

    /// The saved token and where it is: the keychain's, else the file's.
    pub fn load(&self) -> Option<(String, TokenPlace)> {
        let from_keychain =
            self.keychain().and_then(|e| e.get_password().ok()).map(|t| (t, TokenPlace::Keychain));
        from_keychain
            .or_else(|| std::fs::read_to_string(&self.file).ok().map(|t| (t, TokenPlace::File)))
            .map(|(t, place)| (t.trim().to_owned(), place))
            .filter(|(t, _)| !t.is_empty())
    }
}

/// Writes `text` to `path` readable by this user only (written beside it, then renamed).
fn write_private(path: &Path, text: &str) -> Result<(), AppError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("partial");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| AppError::internal(format!("cannot save the token: {e}")))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| AppError::internal(format!("cannot save the token: {e}")))
}
