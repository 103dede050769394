//! Candidates as the app stores them: a [`CandidateConfig`] (the same settings a TOML file
//! holds) kept as JSON in the candidate's row; added, edited, archived, and shared as a TOML
//! candidates file. Secrets are never stored: a config that holds one in clear is refused
//! (see `screening_sources::config`).

use std::path::Path;

use screening_sources::{CandidateConfig, CandidateFile};
use screening_store::Store;
use screening_store::setup::CandidateRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;

/// The settings of a stored candidate. The row's name and kind are authoritative; a built-in
/// candidate stored by an earlier version as `{"spec": …}` still reads.
pub fn config_of(c: &CandidateRecord) -> Result<CandidateConfig, String> {
    let mut value = c.config.clone();
    let Some(fields) = value.as_object_mut() else {
        return Err(format!("candidate {:?}: its stored settings are not an object", c.name));
    };
    if let Some(spec) = fields.remove("spec") {
        fields.entry("model").or_insert(spec);
    }
    fields.insert("kind".into(), c.kind.clone().into());
    fields.insert("name".into(), c.name.clone().into());
    serde_json::from_value(value)
        .map_err(|e| format!("candidate {:?}: its stored settings are not valid: {e}", c.name))
}

/// The kind of a joined team session's candidates: a name only, never asked for lists.
pub const TEAM_KIND: &str = "team";

/// A record holding `config` under `id`.
pub fn record_of(id: &str, config: &CandidateConfig) -> CandidateRecord {
    CandidateRecord {
        id: id.to_owned(),
        name: config.name().to_owned(),
        kind: config.kind().to_owned(),
        config: serde_json::to_value(config).unwrap_or_default(),
        archived_at: None,
    }
}

/// A candidate as the Candidates screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CandidateDetail {
    pub id: String,
    pub config: CandidateConfig,
    /// Hidden from new sessions; kept for those that used it.
    pub archived: bool,
    /// One of the six built-in candidates every store has: fixed, cannot be edited.
    pub builtin: bool,
}

/// What asking a candidate for one list gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionTest {
    /// The persona asked for (the active dataset's first), or "an empty history".
    pub persona: String,
    pub ok: bool,
    pub error: Option<String>,
    pub warnings: Vec<String>,
    /// The first titles of the list (ids of unknown items).
    pub titles: Vec<String>,
    pub items: u32,
    pub latency_ms: f64,
}

/// What a candidates-file import did, by candidate name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CandidateImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
}

/// The candidate use cases over the store.
pub struct Candidates {
    store: Store,
}

impl Candidates {
    pub fn new(store: Store) -> Self {
        Candidates { store }
    }

    /// Every candidate (archived ones when `archived`), oldest first. The names of joined team
    /// sessions' candidates (kind `team`) are not candidates one can set up: left out.
    pub async fn list(&self, archived: bool) -> Result<Vec<CandidateDetail>, AppError> {
        let mut out = Vec::new();
        for c in self.store.candidates().await? {
            if (c.archived_at.is_some() && !archived) || c.kind == TEAM_KIND {
                continue;
            }
            out.push(detail(&c)?);
        }
        Ok(out)
    }

    /// Adds a candidate (`id` `None`) or changes one; the settings are checked first and the
    /// name must be free among the candidates in use.
    pub async fn save(
        &self,
        id: Option<String>,
        config: CandidateConfig,
    ) -> Result<CandidateDetail, AppError> {
        config.check().map_err(AppError::invalid_input)?;
        let all = self.store.candidates().await?;
        if let Some(id) = &id {
            let existing = all
                .iter()
                .find(|c| &c.id == id)
                .ok_or_else(|| AppError::not_found(format!("no candidate with id {id:?}")))?;
            if is_builtin(&existing.id) {
                return Err(AppError::invalid_input(format!(
                    "{:?} is one of the built-in candidates and cannot be changed; add a built-in candidate with other parameters instead",
                    existing.name
                )));
            }
        }
        let name = config.name().trim().to_lowercase();
        if let Some(clash) = all.iter().find(|c| {
            c.archived_at.is_none()
                && Some(&c.id) != id.as_ref()
                && c.name.trim().to_lowercase() == name
        }) {
            return Err(AppError::invalid_input(format!(
                "field \"name\": another candidate is called {:?}",
                clash.name
            )));
        }
        let id = id.unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        self.store.save_candidate(&record_of(&id, &config)).await?;
        detail(&record_of(&id, &config))
    }

    /// Archives candidate `id` (or brings it back).
    pub async fn archive(&self, id: &str, archived: bool) -> Result<(), AppError> {
        Ok(self.store.archive_candidate(id, archived).await?)
    }

    /// The candidates in use as a candidates file (built-in ones included).
    pub async fn export(&self) -> Result<CandidateFile, AppError> {
        let candidate = self.list(false).await?.into_iter().map(|c| c.config).collect();
        Ok(CandidateFile { candidate })
    }

    /// Writes [`Candidates::export`] to `path` as TOML; returns how many candidates.
    pub async fn export_to(&self, path: &Path) -> Result<u32, AppError> {
        let file = self.export().await?;
        let header = "# Screening Room candidates. Secrets are ${VAR} references, read from the environment.\n\n";
        std::fs::write(path, format!("{header}{}", file.to_toml())).map_err(|e| {
            AppError::invalid_input(format!("cannot write {}: {e}", path.display()))
        })?;
        Ok(file.candidate.len() as u32)
    }

    /// Reads a candidates file: new names are added, known names (in use, not built in) take
    /// the file's settings. All or nothing: a file that does not check out changes nothing.
    pub async fn import_from(&self, path: &Path) -> Result<CandidateImportReport, AppError> {
        let at = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::invalid_input(format!("cannot read {at}: {e}")))?;
        let file = CandidateFile::parse(&text)
            .map_err(|e| AppError::invalid_input(format!("{at}: {e}")))?;
        let all = self.store.candidates().await?;
        let mut report = CandidateImportReport::default();
        let mut changes = Vec::new();
        for (i, config) in file.candidate.into_iter().enumerate() {
            let name = config.name().trim().to_lowercase();
            let existing = all
                .iter()
                .find(|c| c.archived_at.is_none() && c.name.trim().to_lowercase() == name);
            match existing {
                None => {
                    report.added.push(config.name().to_owned());
                    changes.push(record_of(&uuid::Uuid::now_v7().to_string(), &config));
                }
                Some(c) if config_of(c).as_ref() == Ok(&config) => {
                    report.unchanged.push(config.name().to_owned())
                }
                Some(c) if is_builtin(&c.id) => {
                    return Err(AppError::invalid_input(format!(
                        "{at}: candidate[{i}] ({:?}): a built-in candidate has this name and cannot be changed; rename it in the file",
                        config.name()
                    )));
                }
                Some(c) => {
                    report.updated.push(config.name().to_owned());
                    changes.push(record_of(&c.id, &config));
                }
            }
        }
        self.store.save_candidates(&changes).await?;
        Ok(report)
    }
}

/// Whether `id` is one of the fixed built-in candidates.
fn is_builtin(id: &str) -> bool {
    crate::BUILTIN_CANDIDATES.iter().any(|(b, _, _)| *b == id)
}

fn detail(c: &CandidateRecord) -> Result<CandidateDetail, AppError> {
    Ok(CandidateDetail {
        id: c.id.clone(),
        config: config_of(c).map_err(AppError::internal)?,
        archived: c.archived_at.is_some(),
        builtin: is_builtin(&c.id),
    })
}
