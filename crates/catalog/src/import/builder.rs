//! [`Builder`]: collects items, users and events while files stream, then makes the
//! [`Dataset`] in one step at the end.
//!
//! Building aside (rather than in a `Dataset` directly) lets an importer add items after events
//! have started (Personalize interactions without an items file), report duplicate ids with the
//! line they were first seen on, and return nothing at all if a later file fails.

use std::collections::{BTreeMap, HashMap};

use screening_core::{ContentType, Dataset, Interaction, Item};

use super::{ErrorKind, ImportError};

#[derive(Debug, Default)]
pub(crate) struct Builder {
    items: Vec<Item>,
    item_index: HashMap<String, u32>,
    /// Line each item was defined on (0 for items derived from interactions).
    item_lines: Vec<u64>,
    users: Vec<String>,
    user_index: HashMap<String, u32>,
    /// Metadata of users, with the line it came from.
    user_metadata: HashMap<u32, (BTreeMap<String, String>, u64)>,
    event_types: Vec<String>,
    interactions: Vec<Interaction>,
}

/// Why [`Builder::add_item`] refused an item.
pub(crate) struct Duplicate {
    pub(crate) first_line: u64,
}

impl Builder {
    pub(crate) fn new() -> Self {
        Builder::default()
    }

    pub(crate) fn item_count(&self) -> usize {
        self.items.len()
    }

    /// Adds an item read on `line`; an id seen before is refused.
    pub(crate) fn add_item(&mut self, item: Item, line: u64) -> Result<(), Duplicate> {
        if let Some(&i) = self.item_index.get(&item.id) {
            return Err(Duplicate {
                first_line: self.item_lines.get(i as usize).copied().unwrap_or(0),
            });
        }
        let index = self.next_item_index();
        self.item_index.insert(item.id.clone(), index);
        self.items.push(item);
        self.item_lines.push(line);
        Ok(())
    }

    fn next_item_index(&self) -> u32 {
        u32::try_from(self.items.len()).unwrap_or(u32::MAX)
    }

    /// The index of item `id`, if known.
    pub(crate) fn item_idx(&self, id: &str) -> Option<u32> {
        self.item_index.get(id).copied()
    }

    /// The index of item `id`, adding a bare item (title = id, content type `other`) if new.
    pub(crate) fn intern_item(&mut self, id: &str) -> u32 {
        if let Some(i) = self.item_idx(id) {
            return i;
        }
        let index = self.next_item_index();
        self.items.push(Item::new(id, id, ContentType::Other));
        self.item_index.insert(id.to_owned(), index);
        self.item_lines.push(0);
        index
    }

    pub(crate) fn item_mut(&mut self, index: u32) -> Option<&mut Item> {
        self.items.get_mut(index as usize)
    }

    /// The index of user `id`, adding the user if new.
    pub(crate) fn intern_user(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.user_index.get(id) {
            return i;
        }
        let index = u32::try_from(self.users.len()).unwrap_or(u32::MAX);
        self.users.push(id.to_owned());
        self.user_index.insert(id.to_owned(), index);
        index
    }

    /// Sets the metadata of user `id` (read on `line`), adding the user if new. A user given
    /// metadata twice is refused.
    pub(crate) fn set_user_metadata(
        &mut self,
        id: &str,
        metadata: BTreeMap<String, String>,
        line: u64,
    ) -> Result<(), Duplicate> {
        let index = self.intern_user(id);
        if let Some((_, first_line)) = self.user_metadata.get(&index) {
            return Err(Duplicate { first_line: *first_line });
        }
        self.user_metadata.insert(index, (metadata, line));
        Ok(())
    }

    /// The index of event type `name`, adding it if new.
    pub(crate) fn intern_event_type(&mut self, name: &str) -> Result<u16, ErrorKind> {
        if let Some(i) = self.event_types.iter().position(|e| e == name) {
            return u16::try_from(i).map_err(|_| ErrorKind::TooManyEventTypes);
        }
        let index =
            u16::try_from(self.event_types.len()).map_err(|_| ErrorKind::TooManyEventTypes)?;
        self.event_types.push(name.to_owned());
        Ok(index)
    }

    pub(crate) fn interaction_count(&self) -> usize {
        self.interactions.len()
    }

    /// Appends an event whose indices come from this builder.
    pub(crate) fn push(&mut self, interaction: Interaction) {
        self.interactions.push(interaction);
    }

    /// The dataset. `file` is blamed if the core rejects the items (it cannot: ids were checked
    /// as they were added).
    pub(crate) fn finish(self, file: &std::path::Path) -> Result<Dataset, ImportError> {
        let Builder { items, users, user_metadata, event_types, mut interactions, .. } = self;
        let mut dataset = Dataset::new(items).map_err(|e| match e {
            screening_core::DatasetError::DuplicateItem { id } => {
                ImportError::new(file, ErrorKind::DuplicateItem { id, first_line: 0 })
            }
        })?;
        // A fresh dataset interns in order, so these maps are the identity; remap anyway
        // rather than rely on it.
        let user_map: Vec<u32> = users.iter().map(|u| dataset.intern_user(u)).collect();
        let event_map: Vec<u16> =
            event_types.iter().map(|e| dataset.intern_event_type(e)).collect();
        let identity = user_map.iter().enumerate().all(|(i, &u)| i == u as usize)
            && event_map.iter().enumerate().all(|(i, &e)| i == e as usize);
        if !identity {
            for ev in &mut interactions {
                ev.user = user_map.get(ev.user as usize).copied().unwrap_or(ev.user);
                ev.event_type =
                    event_map.get(ev.event_type as usize).copied().unwrap_or(ev.event_type);
            }
        }
        dataset.interactions = interactions;
        let mut metadata: Vec<(u32, BTreeMap<String, String>)> =
            user_metadata.into_iter().map(|(i, (m, _))| (i, m)).collect();
        metadata.sort_by_key(|(i, _)| *i);
        for (i, m) in metadata {
            if let Some(id) = users.get(i as usize) {
                dataset.set_user_metadata(id, m);
            }
        }
        Ok(dataset)
    }
}

/// What to do with a row naming an item the items file does not have.
pub(crate) struct UnknownItems<'a> {
    /// Fail at the first one ([`super::ImportOptions::strict`]) instead of counting them.
    pub(crate) strict: bool,
    /// File name of the items file, for messages.
    pub(crate) items_file: &'a str,
    pub(crate) counter: super::warning::Counter,
}

impl<'a> UnknownItems<'a> {
    /// A fresh counter for rows naming items missing from `items_file`.
    pub(crate) fn new(options: &super::ImportOptions, items_file: &'a str) -> Self {
        UnknownItems { strict: options.strict, items_file, counter: Default::default() }
    }

    /// The index of item `id` (from field `col` of `row`); `None` if unknown and counted.
    pub(crate) fn resolve(
        &mut self,
        builder: &Builder,
        row: &super::csv_util::Row<'_>,
        col: usize,
        id: &str,
    ) -> Result<Option<u32>, ImportError> {
        if let Some(index) = builder.item_idx(id) {
            return Ok(Some(index));
        }
        if self.strict {
            let kind = ErrorKind::UnknownItem {
                id: id.to_owned(),
                items_file: self.items_file.to_owned(),
            };
            return Err(row.error(col, kind));
        }
        self.counter.add(row.line, id);
        Ok(None)
    }

    /// The warning for `file`, if anything was dropped.
    pub(crate) fn into_warning(self, file: &std::path::Path) -> Option<super::Warning> {
        let items_file = self.items_file.to_owned();
        self.counter.into_warning(file.to_path_buf(), |example| super::WarningKind::UnknownItems {
            items_file,
            example,
        })
    }
}
