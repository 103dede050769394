//! Where the app keeps its local data (the SQLite file, once reviews are stored).

use std::ffi::OsString;
use std::path::PathBuf;

/// Overrides the data directory: for tests, portable installs and side-by-side profiles.
pub const DATA_DIR_ENV: &str = "SCREENING_DATA_DIR";

/// The data directory: `$SCREENING_DATA_DIR` when set and non-empty, else the platform's app
/// data directory. It is created if missing, so a bad path fails at start-up with its name.
pub fn resolve_data_dir(
    from_env: Option<OsString>,
    platform_default: tauri::Result<PathBuf>,
) -> Result<PathBuf, String> {
    let dir = match from_env.filter(|v| !v.is_empty()) {
        Some(v) => PathBuf::from(v),
        None => platform_default.map_err(|e| format!("no app data directory: {e}"))?,
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", dir.display()))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_override_wins_and_is_created() {
        let tmp = tempfile::tempdir().unwrap();
        let wanted = tmp.path().join("nested/data");
        let got = resolve_data_dir(Some(wanted.clone().into()), Ok("/unused".into())).unwrap();
        assert_eq!(got, wanted);
        assert!(wanted.is_dir());
    }

    #[test]
    fn empty_env_falls_back_to_platform_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let got = resolve_data_dir(Some(OsString::new()), Ok(tmp.path().into())).unwrap();
        assert_eq!(got, tmp.path());
    }

    #[test]
    fn uncreatable_dir_names_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let err =
            resolve_data_dir(Some(file.join("sub").into()), Ok("/unused".into())).unwrap_err();
        assert!(err.contains("a-file/sub"), "{err}");
    }
}
