//! Personas in the app: kept in the local database, each on one dataset; listed for the active
//! dataset; created, edited, duplicated and deleted; made from a real user of a dataset; and
//! shared between machines as a JSON file.
//!
//! A persona that a review session uses is locked: its lists were frozen with its history, so
//! editing or deleting it is refused with the session's name (duplicate it to change it).
//! Every persona saved is checked against its dataset first: a name, items that exist,
//! timestamps in range; the history is kept oldest first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use screening_core::{Dataset, HistoryEntry, Persona};
use screening_store::{Store, StoredPersona};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogs::{Catalogs, DEMO_CATALOG};
use crate::{AppError, PersonaDetail, PersonaSummary};

/// The `format` of a persona library file.
pub const PERSONA_FILE_FORMAT: &str = "screening-room/personas";
/// The newest persona file version this build reads and the one it writes.
pub const PERSONA_FILE_VERSION: u32 = 1;
/// A persona made from a real user keeps at most this many of the user's newest events.
pub const MAX_USER_EVENTS: usize = 200;
/// Longest persona name.
const MAX_NAME: usize = 120;
/// Latest timestamp a history takes (2100-01-01): a bigger one is a unit mistake (ms for s).
const MAX_TIMESTAMP: i64 = 4_102_444_800;
/// The `meta` key set once the demo's sample personas were added.
const SEEDED_KEY: &str = "demo_personas_seeded";

/// A search over a dataset's users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserQuery {
    /// Part of the user id (any case); empty lists the most active users.
    pub text: String,
    /// 1..=200.
    pub limit: u32,
}

/// A real user of a dataset, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserSummary {
    pub user_id: String,
    pub events: u32,
    #[ts(type = "number")]
    pub first_timestamp: i64,
    #[ts(type = "number")]
    pub last_timestamp: i64,
}

/// A persona to make from a real user of the active dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FromUserRequest {
    pub user_id: String,
    /// `User <id>` when `None` or blank.
    pub name: Option<String>,
}

/// What a persona import did, by persona name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
}

/// A persona library file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaFile {
    /// Always [`PERSONA_FILE_FORMAT`].
    pub format: String,
    pub version: u32,
    /// The dataset the histories name items of (informative: an import checks every item).
    pub dataset: FileDataset,
    /// Unix milliseconds.
    pub exported_at: i64,
    pub personas: Vec<Persona>,
}

/// The dataset of a persona file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileDataset {
    pub id: String,
    pub name: String,
    pub format: String,
}

/// The persona use cases over the local store.
pub struct Personas {
    store: Store,
    catalogs: Arc<Catalogs>,
}

impl Personas {
    /// The personas of `store`; the first time, the demo's sample personas are added.
    pub async fn open(store: Store, catalogs: Arc<Catalogs>) -> Result<Personas, AppError> {
        if store.meta(SEEDED_KEY).await?.is_none() {
            let demo = catalogs.library(DEMO_CATALOG).await?;
            store.save_personas(demo.builtin_personas(), DEMO_CATALOG).await?;
            store.set_meta(SEEDED_KEY, "1").await?;
        }
        Ok(Personas { store, catalogs })
    }

    /// The personas of the active dataset, by name.
    pub async fn list(&self) -> Result<Vec<PersonaSummary>, AppError> {
        let active = self.catalogs.active_id().await?;
        Ok(self.store.personas(Some(&active)).await?.iter().map(summary).collect())
    }

    /// The persona `id` with its history resolved, newest first.
    pub async fn get(&self, id: &str) -> Result<PersonaDetail, AppError> {
        let stored = self.store.persona(id).await?;
        self.catalogs.library(&stored.catalog_id).await?.resolve(&stored.persona)
    }

    /// Creates (when `persona.id` is empty) or updates a persona of the active dataset.
    pub async fn save(&self, persona: Persona) -> Result<PersonaDetail, AppError> {
        let catalog = self.catalogs.active_id().await?;
        let lib = self.catalogs.library(&catalog).await?;
        let mut clean = checked(persona, lib.dataset())?;
        if clean.id.is_empty() {
            clean.id = self.new_id(&clean.name).await?;
        } else {
            let existing = self.store.persona(&clean.id).await?;
            unlocked(&existing, "edited")?;
            if existing.catalog_id != catalog {
                return Err(AppError::invalid_input(format!(
                    "persona {:?} belongs to another dataset; make that dataset active to edit it",
                    existing.persona.name
                )));
            }
        }
        self.store.save_persona(&clean, &catalog).await?;
        lib.resolve(&clean)
    }

    /// A copy of persona `id` named "<name> (copy)", on the same dataset.
    pub async fn duplicate(&self, id: &str) -> Result<PersonaDetail, AppError> {
        let stored = self.store.persona(id).await?;
        let mut copy = stored.persona;
        copy.name = format!("{} (copy)", copy.name);
        copy.name.truncate(MAX_NAME);
        copy.id = self.new_id(&copy.name).await?;
        self.store.save_persona(&copy, &stored.catalog_id).await?;
        self.catalogs.library(&stored.catalog_id).await?.resolve(&copy)
    }

    /// Deletes persona `id`, unless a review session uses it.
    pub async fn delete(&self, id: &str) -> Result<(), AppError> {
        unlocked(&self.store.persona(id).await?, "deleted")?;
        Ok(self.store.delete_persona(id).await?)
    }

    /// Users of the active dataset whose id contains `query.text`, most active first.
    pub async fn users(&self, query: UserQuery) -> Result<Vec<UserSummary>, AppError> {
        if !(1..=200).contains(&query.limit) {
            return Err(AppError::invalid_input(format!(
                "limit must be between 1 and 200, got {}",
                query.limit
            )));
        }
        let lib = self.catalogs.active().await?;
        let ds = lib.dataset();
        let text = query.text.trim().to_lowercase();
        let mut stats: HashMap<u32, (u32, i64, i64)> = HashMap::new();
        for e in &ds.interactions {
            let s = stats.entry(e.user).or_insert((0, i64::MAX, i64::MIN));
            s.0 += 1;
            s.1 = s.1.min(e.timestamp);
            s.2 = s.2.max(e.timestamp);
        }
        let mut users: Vec<UserSummary> = stats
            .into_iter()
            .map(|(u, (events, first, last))| UserSummary {
                user_id: ds.users[u as usize].id.clone(),
                events,
                first_timestamp: first,
                last_timestamp: last,
            })
            .filter(|u| text.is_empty() || u.user_id.to_lowercase().contains(&text))
            .collect();
        users.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.user_id.cmp(&b.user_id)));
        users.truncate(query.limit as usize);
        Ok(users)
    }

    /// A new persona of the active dataset whose history is the user's newest
    /// [`MAX_USER_EVENTS`] events.
    pub async fn from_user(&self, req: FromUserRequest) -> Result<PersonaDetail, AppError> {
        let catalog = self.catalogs.active_id().await?;
        let lib = self.catalogs.library(&catalog).await?;
        let ds = lib.dataset();
        let user_id = req.user_id.trim();
        let user = ds.user_idx(user_id).ok_or_else(|| {
            AppError::not_found(format!("the active dataset has no user {user_id:?}"))
        })?;
        let mut events: Vec<_> = ds.interactions.iter().filter(|e| e.user == user).collect();
        events.sort_by_key(|e| e.timestamp);
        let total = events.len();
        let kept = &events[total.saturating_sub(MAX_USER_EVENTS)..];
        let dataset_name = self.store.catalog(&catalog).await?.record.name;
        let persona = Persona {
            id: String::new(),
            name: req
                .name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map_or_else(|| format!("User {user_id}"), str::to_owned),
            description: if kept.len() < total {
                format!(
                    "User {user_id} of {dataset_name}: the newest {} of {total} events.",
                    kept.len()
                )
            } else {
                format!("User {user_id} of {dataset_name}: all {total} events.")
            },
            tags: vec!["real user".to_owned()],
            history: kept
                .iter()
                .map(|e| HistoryEntry {
                    item_id: ds.item_id(e).to_owned(),
                    timestamp: e.timestamp,
                    event_type: ds.event_types[e.event_type as usize].clone(),
                })
                .collect(),
            external_user_ids: BTreeMap::new(),
        };
        self.save(persona).await
    }

    /// The personas of the active dataset (those in `ids`, or all) as a persona file.
    pub async fn export(&self, ids: Option<Vec<String>>) -> Result<PersonaFile, AppError> {
        let active = self.catalogs.active_id().await?;
        let stored = self.store.catalog(&active).await?.record;
        let mut personas: Vec<Persona> =
            self.store.personas(Some(&active)).await?.into_iter().map(|p| p.persona).collect();
        if let Some(ids) = ids {
            for id in &ids {
                if !personas.iter().any(|p| &p.id == id) {
                    return Err(AppError::not_found(format!(
                        "no persona with id {id:?} in the active dataset"
                    )));
                }
            }
            personas.retain(|p| ids.contains(&p.id));
        }
        Ok(PersonaFile {
            format: PERSONA_FILE_FORMAT.to_owned(),
            version: PERSONA_FILE_VERSION,
            dataset: FileDataset { id: stored.id, name: stored.name, format: stored.format },
            exported_at: screening_store::now_ms(),
            personas,
        })
    }

    /// Writes [`Personas::export`] to `path` as pretty JSON; returns how many personas.
    pub async fn export_to(&self, path: &Path, ids: Option<Vec<String>>) -> Result<u32, AppError> {
        let file = self.export(ids).await?;
        let mut text = serde_json::to_string_pretty(&file)
            .map_err(|e| AppError::internal(format!("cannot write personas as JSON: {e}")))?;
        text.push('\n');
        std::fs::write(path, text).map_err(|e| {
            AppError::invalid_input(format!("cannot write {}: {e}", path.display()))
        })?;
        Ok(file.personas.len() as u32)
    }

    /// Reads a persona file into the active dataset: personas with new ids are added, those
    /// with known ids replaced. All or nothing: any persona that does not check out (or is
    /// locked by a session and differs) refuses the whole file, naming the persona and field.
    pub async fn import_from(&self, path: &Path) -> Result<PersonaImportReport, AppError> {
        let at = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| AppError::invalid_input(format!("cannot read {at}: {e}")))?;
        let file: PersonaFile = serde_json::from_str(&text)
            .map_err(|e| AppError::invalid_input(format!("{at}: not a persona file: {e}")))?;
        if file.format != PERSONA_FILE_FORMAT {
            return Err(AppError::invalid_input(format!(
                "{at}: field \"format\" is {:?}, expected {PERSONA_FILE_FORMAT:?}",
                file.format
            )));
        }
        if file.version == 0 || file.version > PERSONA_FILE_VERSION {
            return Err(AppError::invalid_input(format!(
                "{at}: field \"version\" is {}; this version of Screening Room reads persona files up to version {PERSONA_FILE_VERSION}",
                file.version
            )));
        }
        let catalog = self.catalogs.active_id().await?;
        let lib = self.catalogs.library(&catalog).await?;
        let existing: HashMap<String, StoredPersona> = self
            .store
            .personas(None)
            .await?
            .into_iter()
            .map(|p| (p.persona.id.clone(), p))
            .collect();
        let mut seen = HashSet::new();
        let mut report = PersonaImportReport::default();
        let mut changed = Vec::new();
        for (i, p) in file.personas.into_iter().enumerate() {
            let whose = format!("{at}: personas[{i}] ({:?})", p.id);
            if !valid_id(&p.id) {
                return Err(AppError::invalid_input(format!(
                    "{whose}: field \"id\" must be 1-64 lower-case letters, digits, '-' or '_'"
                )));
            }
            if !seen.insert(p.id.clone()) {
                return Err(AppError::invalid_input(format!(
                    "{whose}: field \"id\" appears twice in the file"
                )));
            }
            let clean = checked(p, lib.dataset())
                .map_err(|e| AppError::invalid_input(format!("{whose}: {}", e.message)))?;
            match existing.get(&clean.id) {
                None => {
                    report.added.push(clean.name.clone());
                    changed.push(clean);
                }
                Some(old) if old.persona == clean && old.catalog_id == catalog => {
                    report.unchanged.push(clean.name.clone());
                }
                Some(old) => {
                    if old.catalog_id != catalog {
                        return Err(AppError::invalid_input(format!(
                            "{whose}: a persona with this id belongs to another dataset"
                        )));
                    }
                    unlocked(old, "replaced")
                        .map_err(|e| AppError::invalid_input(format!("{whose}: {}", e.message)))?;
                    report.updated.push(clean.name.clone());
                    changed.push(clean);
                }
            }
        }
        self.store.save_personas(&changed, &catalog).await?;
        Ok(report)
    }

    /// An id made from `name` that no persona has yet.
    async fn new_id(&self, name: &str) -> Result<String, AppError> {
        let taken: HashSet<String> =
            self.store.personas(None).await?.into_iter().map(|p| p.persona.id).collect();
        let base = slug(name);
        Ok((1..)
            .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
            .find(|id| !taken.contains(id))
            .unwrap_or(base))
    }
}

/// Refuses to change a persona that a review session uses.
fn unlocked(p: &StoredPersona, change: &str) -> Result<(), AppError> {
    match p.sessions.first() {
        None => Ok(()),
        Some(session) => Err(AppError::invalid_input(format!(
            "persona {:?} cannot be {change}: the review session {session:?} uses it, and a session's lists come from the history it was created with. Duplicate it to make a changed copy.",
            p.persona.name
        ))),
    }
}

fn summary(p: &StoredPersona) -> PersonaSummary {
    PersonaSummary {
        id: p.persona.id.clone(),
        name: p.persona.name.clone(),
        description: p.persona.description.clone(),
        tags: p.persona.tags.clone(),
        history_len: u32::try_from(p.persona.history.len()).unwrap_or(u32::MAX),
        sessions: p.sessions.clone(),
    }
}

/// `p` tidied (trimmed text, no blank or repeated tags, history oldest first, blank event
/// types as `watch`) after checking it against `dataset`; the error names the field.
fn checked(mut p: Persona, dataset: &Dataset) -> Result<Persona, AppError> {
    p.name = p.name.trim().to_owned();
    if p.name.is_empty() {
        return Err(AppError::invalid_input("field \"name\": give the persona a name"));
    }
    if p.name.chars().count() > MAX_NAME {
        return Err(AppError::invalid_input(format!(
            "field \"name\": at most {MAX_NAME} characters"
        )));
    }
    p.description = p.description.trim().to_owned();
    let mut tags = Vec::new();
    for t in p.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !tags.iter().any(|x: &String| x.eq_ignore_ascii_case(t)) {
            tags.push(t.to_owned());
        }
    }
    p.tags = tags;
    for (i, h) in p.history.iter_mut().enumerate() {
        let n = i + 1;
        h.item_id = h.item_id.trim().to_owned();
        if dataset.item_idx(&h.item_id).is_none() {
            return Err(AppError::invalid_input(format!(
                "field \"history\", entry {n}: item {:?} is not in the dataset",
                h.item_id
            )));
        }
        if !(0..=MAX_TIMESTAMP).contains(&h.timestamp) {
            return Err(AppError::invalid_input(format!(
                "field \"history\", entry {n}: timestamp {} is not between 1970 and 2100 (seconds since 1970)",
                h.timestamp
            )));
        }
        h.event_type = h.event_type.trim().to_owned();
        if h.event_type.is_empty() {
            "watch".clone_into(&mut h.event_type);
        }
    }
    p.history.sort_by_key(|h| h.timestamp);
    for (candidate, user) in &p.external_user_ids {
        if candidate.trim().is_empty() || user.trim().is_empty() {
            return Err(AppError::invalid_input(
                "field \"external_user_ids\": candidate and user ids cannot be blank",
            ));
        }
    }
    Ok(p)
}

/// A persona id: 1–64 of `a-z 0-9 - _`.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `name` as an id: lower-case letters and digits, other runs as one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut id: String = out.trim_end_matches('-').chars().take(48).collect();
    id = id.trim_end_matches('-').to_owned();
    if id.is_empty() { "persona".to_owned() } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Reality TV fan"), "reality-tv-fan");
        assert_eq!(slug("  Ünïcode — Kids & family!  "), "n-code-kids-family");
        assert_eq!(slug("!!!"), "persona");
        assert!(valid_id(&slug(&"long name ".repeat(20))));
        assert!(!valid_id("Has Caps"));
        assert!(!valid_id(""));
    }
}
