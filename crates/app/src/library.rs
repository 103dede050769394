//! The loaded catalog and personas, and the queries the first screen runs over them.

use screening_core::{CatalogInfo, ContentType, Dataset, Item, Persona};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::AppError;

/// Largest page [`Library::search`] returns; keeps IPC messages small.
pub const MAX_PAGE: u32 = 200;

/// A catalog search: free text over title and genres, an optional content type, a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogQuery {
    /// Words that must all appear (case-insensitively) in the title, genres or description.
    pub text: String,
    pub content_type: Option<ContentType>,
    pub offset: u32,
    /// 1..=200.
    pub limit: u32,
}

/// One page of search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogPage {
    pub items: Vec<Item>,
    /// Matches in the whole catalog, not just this page.
    pub total: u32,
    pub offset: u32,
}

/// A persona as listed: no history items, just how long the history is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    pub history_len: u32,
    /// Names of the review sessions that use it (then it cannot be edited or deleted).
    pub sessions: Vec<String>,
}

/// A watched item with when and how it was watched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryItem {
    pub item: Item,
    #[ts(type = "number")]
    pub timestamp: i64,
    pub event_type: String,
}

/// A persona with its history resolved to catalog items, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonaDetail {
    pub persona: Persona,
    pub history: Vec<HistoryItem>,
}

/// The dataset and personas the app works on, with a search index built once.
pub struct Library {
    dataset: Dataset,
    personas: Vec<Persona>,
    info: CatalogInfo,
    /// Lower-cased "title genres description" per item, same order as `dataset.items`.
    haystacks: Vec<String>,
}

impl Library {
    /// The embedded demo catalog with the built-in sample personas.
    pub fn demo() -> Self {
        let (dataset, personas) = screening_catalog::demo::demo_with_personas();
        Library::new(dataset, personas)
    }

    /// A library over any dataset and personas.
    pub fn new(dataset: Dataset, personas: Vec<Persona>) -> Self {
        let info = CatalogInfo::of(&dataset);
        let haystacks = dataset
            .items
            .iter()
            .map(|i| format!("{} {} {}", i.title, i.genres.join(" "), i.description).to_lowercase())
            .collect();
        Library { dataset, personas, info, haystacks }
    }

    /// The dataset behind the catalog.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    pub fn info(&self) -> &CatalogInfo {
        &self.info
    }

    pub fn personas(&self) -> Vec<PersonaSummary> {
        self.personas
            .iter()
            .map(|p| PersonaSummary {
                id: p.id.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                tags: p.tags.clone(),
                history_len: u32::try_from(p.history.len()).unwrap_or(u32::MAX),
                sessions: Vec::new(),
            })
            .collect()
    }

    /// The persona `id` with its history resolved, newest first.
    pub fn persona(&self, id: &str) -> Result<PersonaDetail, AppError> {
        let persona = self
            .personas
            .iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::not_found(format!("no persona with id {id:?}")))?;
        self.resolve(persona)
    }

    /// `persona` with its history resolved to this catalog's items, newest first. History
    /// entries naming items missing from the catalog are an internal error: the personas must
    /// match the data (saving a persona checks it).
    pub fn resolve(&self, persona: &Persona) -> Result<PersonaDetail, AppError> {
        let history = persona
            .history
            .iter()
            .rev()
            .map(|h| {
                let item = self.dataset.item(&h.item_id).ok_or_else(|| {
                    AppError::internal(format!(
                        "persona {:?} watched {:?}, which is not in the catalog",
                        persona.id, h.item_id
                    ))
                })?;
                Ok(HistoryItem {
                    item: item.clone(),
                    timestamp: h.timestamp,
                    event_type: h.event_type.clone(),
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(PersonaDetail { persona: persona.clone(), history })
    }

    /// The built-in personas shipped with this catalog (the demo's samples), history oldest
    /// first.
    pub fn builtin_personas(&self) -> &[Persona] {
        &self.personas
    }

    /// Items matching `query`, in catalog order, one page at a time.
    pub fn search(&self, query: &CatalogQuery) -> Result<CatalogPage, AppError> {
        if query.limit == 0 || query.limit > MAX_PAGE {
            return Err(AppError::invalid_input(format!(
                "limit must be between 1 and {MAX_PAGE}, got {}",
                query.limit
            )));
        }
        let words: Vec<String> = query.text.split_whitespace().map(str::to_lowercase).collect();
        let matches = self.dataset.items.iter().zip(&self.haystacks).filter(|(item, hay)| {
            query.content_type.is_none_or(|ct| item.content_type == ct)
                && words.iter().all(|w| hay.contains(w.as_str()))
        });
        let mut total = 0u32;
        let mut items = Vec::new();
        for (item, _) in matches {
            if total >= query.offset && items.len() < query.limit as usize {
                items.push(item.clone());
            }
            total += 1;
        }
        Ok(CatalogPage { items, total, offset: query.offset })
    }
}

impl AsRef<Dataset> for Library {
    fn as_ref(&self) -> &Dataset {
        &self.dataset
    }
}

/// Lists from any candidate are checked against the catalog.
impl screening_sources::Catalog for Library {
    fn contains(&self, item_id: &str) -> bool {
        self.dataset.item_idx(item_id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use screening_core::HistoryEntry;

    use super::*;
    use crate::ErrorCode;

    fn item(id: &str, title: &str, ct: ContentType, genres: &[&str]) -> Item {
        Item {
            genres: genres.iter().map(|g| g.to_string()).collect(),
            year: Some(2020),
            ..Item::new(id, title, ct)
        }
    }

    fn library() -> Library {
        let items = vec![
            item("a", "Hearts on the Harbour", ContentType::Reality, &["Dating"]),
            item("b", "Cold Case: Rotterdam", ContentType::Documentary, &["True crime"]),
            item("c", "Harbour Lights", ContentType::Series, &["Drama"]),
        ];
        let persona = Persona {
            id: "p".into(),
            name: "Reality TV fan".into(),
            description: "d".into(),
            tags: vec!["reality".into()],
            history: vec![
                HistoryEntry { item_id: "a".into(), timestamp: 1, event_type: "watch".into() },
                HistoryEntry { item_id: "c".into(), timestamp: 2, event_type: "watch".into() },
            ],
            external_user_ids: BTreeMap::new(),
        };
        Library::new(Dataset::new(items).unwrap(), vec![persona])
    }

    fn query(text: &str, ct: Option<ContentType>, offset: u32, limit: u32) -> CatalogQuery {
        CatalogQuery { text: text.into(), content_type: ct, offset, limit }
    }

    #[test]
    fn search_matches_all_words_case_insensitively() {
        let lib = library();
        let page = lib.search(&query("HARBOUR", None, 0, 10)).unwrap();
        assert_eq!(page.total, 2);
        let ids: Vec<_> = page.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert_eq!(lib.search(&query("harbour dating", None, 0, 10)).unwrap().total, 1);
        assert_eq!(lib.search(&query("true crime", None, 0, 10)).unwrap().items[0].id, "b");
    }

    #[test]
    fn search_filters_by_content_type_and_pages() {
        let lib = library();
        let page = lib.search(&query("", Some(ContentType::Series), 0, 10)).unwrap();
        assert_eq!(page.total, 1);
        let second = lib.search(&query("", None, 1, 1)).unwrap();
        assert_eq!((second.total, second.offset, second.items[0].id.as_str()), (3, 1, "b"));
        assert!(lib.search(&query("", None, 5, 10)).unwrap().items.is_empty());
    }

    #[test]
    fn search_rejects_bad_limits() {
        let err = library().search(&query("", None, 0, 0)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(library().search(&query("", None, 0, MAX_PAGE + 1)).is_err());
    }

    #[test]
    fn persona_history_is_resolved_newest_first() {
        let detail = library().persona("p").unwrap();
        let ids: Vec<_> = detail.history.iter().map(|h| h.item.id.as_str()).collect();
        assert_eq!(ids, ["c", "a"]);
        assert_eq!(library().personas()[0].history_len, 2);
    }

    #[test]
    fn unknown_persona_is_not_found() {
        assert_eq!(library().persona("nope").unwrap_err().code, ErrorCode::NotFound);
    }
}
