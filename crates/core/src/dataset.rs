//! A catalog together with its interaction log.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::Item;

/// One viewer known to the interaction log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    /// Columns of a users file beyond `USER_ID`, by original header name.
    pub metadata: BTreeMap<String, String>,
}

/// One event: `user` watched (clicked, rated…) `item` at `timestamp`.
///
/// Users, items and event types are indices into the owning [`Dataset`]; that keeps an event at
/// 24 bytes, so a few million fit comfortably in memory and models can index arrays directly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Index into [`Dataset::users`].
    pub user: u32,
    /// Index into [`Dataset::items`].
    pub item: u32,
    /// Seconds since the Unix epoch.
    pub timestamp: i64,
    /// Index into [`Dataset::event_types`].
    pub event_type: u16,
    /// `EVENT_VALUE` in Personalize files, the rating in MovieLens.
    pub value: Option<f32>,
}

/// Why a [`Dataset`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatasetError {
    /// Two items share an id.
    DuplicateItem { id: String },
}

impl std::error::Error for DatasetError {}

impl std::fmt::Display for DatasetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatasetError::DuplicateItem { id } => write!(f, "duplicate item id {id:?}"),
        }
    }
}

/// Items, users and interactions, with id lookups.
///
/// Build one with [`Dataset::new`] and add events with [`Dataset::intern_user`],
/// [`Dataset::intern_event_type`] and [`Dataset::push`]; importers do this while streaming.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub items: Vec<Item>,
    pub users: Vec<User>,
    /// Distinct event types in order of first appearance (`"watch"`, `"rating"`, `"click"`…).
    pub event_types: Vec<String>,
    pub interactions: Vec<Interaction>,
    item_index: HashMap<String, u32>,
    user_index: HashMap<String, u32>,
}

impl Dataset {
    /// A dataset over `items`, with no users or interactions yet.
    pub fn new(items: Vec<Item>) -> Result<Self, DatasetError> {
        let mut item_index = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item_index.insert(item.id.clone(), index_u32(i)).is_some() {
                return Err(DatasetError::DuplicateItem { id: item.id.clone() });
            }
        }
        Ok(Dataset { items, item_index, ..Dataset::default() })
    }

    /// The index of the item with this id.
    pub fn item_idx(&self, id: &str) -> Option<u32> {
        self.item_index.get(id).copied()
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.item_idx(id).map(|i| &self.items[i as usize])
    }

    /// The index of the user with this id.
    pub fn user_idx(&self, id: &str) -> Option<u32> {
        self.user_index.get(id).copied()
    }

    /// The index of user `id`, adding the user (without metadata) if it is new.
    pub fn intern_user(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.user_index.get(id) {
            return i;
        }
        let i = index_u32(self.users.len());
        self.users.push(User { id: id.to_owned(), metadata: BTreeMap::new() });
        self.user_index.insert(id.to_owned(), i);
        i
    }

    /// Adds or replaces the metadata of user `id`.
    pub fn set_user_metadata(&mut self, id: &str, metadata: BTreeMap<String, String>) {
        let i = self.intern_user(id);
        self.users[i as usize].metadata = metadata;
    }

    /// The index of event type `name`, adding it if it is new.
    pub fn intern_event_type(&mut self, name: &str) -> u16 {
        if let Some(i) = self.event_types.iter().position(|e| e == name) {
            return u16::try_from(i).unwrap_or(u16::MAX);
        }
        self.event_types.push(name.to_owned());
        u16::try_from(self.event_types.len() - 1).unwrap_or(u16::MAX)
    }

    /// Appends an event. The indices must come from this dataset.
    pub fn push(&mut self, interaction: Interaction) {
        debug_assert!((interaction.item as usize) < self.items.len());
        debug_assert!((interaction.user as usize) < self.users.len());
        self.interactions.push(interaction);
    }

    /// Id of the user behind an interaction.
    pub fn user_id(&self, interaction: &Interaction) -> &str {
        &self.users[interaction.user as usize].id
    }

    /// Id of the item behind an interaction.
    pub fn item_id(&self, interaction: &Interaction) -> &str {
        &self.items[interaction.item as usize].id
    }
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).expect("more than 4 billion users or items")
}

/// So code that takes "anything holding a dataset" takes a dataset too.
impl AsRef<Dataset> for Dataset {
    fn as_ref(&self) -> &Dataset {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ContentType;

    fn item(id: &str) -> Item {
        Item::new(id, id, ContentType::Film)
    }

    #[test]
    fn duplicate_item_ids_are_rejected() {
        let err = Dataset::new(vec![item("a"), item("b"), item("a")]).unwrap_err();
        assert_eq!(err, DatasetError::DuplicateItem { id: "a".into() });
        assert_eq!(err.to_string(), "duplicate item id \"a\"");
    }

    #[test]
    fn users_and_event_types_are_interned_once() {
        let mut ds = Dataset::new(vec![item("a"), item("b")]).unwrap();
        let u1 = ds.intern_user("u1");
        let u2 = ds.intern_user("u2");
        assert_eq!(ds.intern_user("u1"), u1);
        assert_ne!(u1, u2);
        let watch = ds.intern_event_type("watch");
        assert_eq!(ds.intern_event_type("click"), 1);
        assert_eq!(ds.intern_event_type("watch"), watch);
        let b = ds.item_idx("b").unwrap();
        ds.push(Interaction { user: u2, item: b, timestamp: 5, event_type: watch, value: None });
        assert_eq!(ds.user_id(&ds.interactions[0]), "u2");
        assert_eq!(ds.item_id(&ds.interactions[0]), "b");
        assert_eq!(ds.item("zzz"), None);
    }
}
