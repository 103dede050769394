//! Training data in the shape the models read: who watched what, as compressed rows.

use serde::{Deserialize, Serialize};

use screening_core::{Dataset, Item};

/// The interactions a model trains on, over the items of one catalog.
///
/// Each training user is a row of distinct item indices (sorted), so repeated events of the
/// same item (binge episodes, re-watches) count once; `events` keeps every event with its
/// timestamp for recency-weighted models.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TrainData {
    n_items: usize,
    user_ptr: Vec<usize>,
    user_items: Vec<u32>,
    events: Vec<(u32, i64)>,
}

impl TrainData {
    /// Every interaction of `dataset`.
    pub fn from_dataset(dataset: &Dataset) -> Self {
        TrainData::from_users(dataset.items.len(), events_by_user(dataset))
    }

    /// One row per user from `(item, timestamp)` events; users without events are skipped.
    pub fn from_users(n_items: usize, users: Vec<Vec<(u32, i64)>>) -> Self {
        let mut data = TrainData { n_items, user_ptr: vec![0], ..TrainData::default() };
        let mut row = Vec::new();
        for events in users.into_iter().filter(|e| !e.is_empty()) {
            row.clear();
            row.extend(events.iter().map(|&(item, _)| item));
            row.sort_unstable();
            row.dedup();
            data.user_items.extend_from_slice(&row);
            data.user_ptr.push(data.user_items.len());
            data.events.extend(events);
        }
        data
    }

    /// Number of items in the catalog (trained on or not).
    pub fn n_items(&self) -> usize {
        self.n_items
    }

    /// Number of training users (rows).
    pub fn n_users(&self) -> usize {
        self.user_ptr.len() - 1
    }

    /// The distinct items of training user `u`, ascending.
    pub fn user_items(&self, u: usize) -> &[u32] {
        &self.user_items[self.user_ptr[u]..self.user_ptr[u + 1]]
    }

    /// Every training event as `(item, timestamp)`.
    pub fn events(&self) -> &[(u32, i64)] {
        &self.events
    }

    /// Number of distinct training users per item.
    pub fn item_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.n_items];
        for &i in &self.user_items {
            counts[i as usize] += 1;
        }
        counts
    }

    /// The transpose: for each item, the training users (rows) who watched it.
    pub fn item_users(&self) -> Csr {
        let counts = self.item_counts();
        let mut ptr = Vec::with_capacity(self.n_items + 1);
        ptr.push(0);
        for c in &counts {
            ptr.push(ptr.last().copied().unwrap_or(0) + *c as usize);
        }
        let mut fill = ptr.clone();
        let mut idx = vec![0u32; self.user_items.len()];
        for u in 0..self.n_users() {
            for &i in self.user_items(u) {
                idx[fill[i as usize]] = u as u32;
                fill[i as usize] += 1;
            }
        }
        Csr { ptr, idx }
    }

    /// A digest of the training rows and events: equal digests train equal models.
    pub fn digest(&self, hasher: &mut blake3::Hasher) {
        hasher.update(&(self.n_items as u64).to_le_bytes());
        for p in &self.user_ptr {
            hasher.update(&(*p as u64).to_le_bytes());
        }
        for i in &self.user_items {
            hasher.update(&i.to_le_bytes());
        }
        for (i, t) in &self.events {
            hasher.update(&i.to_le_bytes());
            hasher.update(&t.to_le_bytes());
        }
    }
}

/// Each user's `(item, timestamp)` events, in file order, indexed by user.
pub(crate) fn events_by_user(dataset: &Dataset) -> Vec<Vec<(u32, i64)>> {
    let mut per_user = vec![Vec::new(); dataset.users.len()];
    for e in &dataset.interactions {
        per_user[e.user as usize].push((e.item, e.timestamp));
    }
    per_user
}

/// Compressed sparse rows of `u32` indices.
#[derive(Debug, Clone)]
pub struct Csr {
    ptr: Vec<usize>,
    idx: Vec<u32>,
}

impl Csr {
    /// Row `r`.
    pub fn row(&self, r: usize) -> &[u32] {
        &self.idx[self.ptr[r]..self.ptr[r + 1]]
    }
}

/// What a model trains on: the catalog (for content features) and the interactions.
#[derive(Debug, Clone, Copy)]
pub struct TrainInput<'a> {
    pub catalog: &'a [Item],
    pub data: &'a TrainData,
}

impl TrainInput<'_> {
    /// A digest of everything a model may read: catalog text and interactions.
    pub fn digest(&self) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        h.update(&(self.catalog.len() as u64).to_le_bytes());
        for item in self.catalog {
            for field in [&item.id, &item.title, &item.description] {
                h.update(&(field.len() as u64).to_le_bytes());
                h.update(field.as_bytes());
            }
            h.update(item.content_type.as_str().as_bytes());
            for g in &item.genres {
                h.update(&(g.len() as u64).to_le_bytes());
                h.update(g.as_bytes());
            }
            h.update(b"\0");
        }
        self.data.digest(&mut h);
        h.finalize()
    }
}

/// Genres of every item as small sorted integer sets (for diversity metrics).
pub fn genre_ids(catalog: &[Item]) -> Vec<Vec<u32>> {
    let mut names: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    catalog
        .iter()
        .map(|item| {
            let mut ids: Vec<u32> = item
                .genres
                .iter()
                .map(|g| {
                    let next = names.len() as u32;
                    *names.entry(g.as_str()).or_insert(next)
                })
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_distinct_sorted_items_and_events_are_all_kept() {
        let data =
            TrainData::from_users(4, vec![vec![(2, 10), (0, 11), (2, 12)], vec![], vec![(3, 1)]]);
        assert_eq!(data.n_users(), 2);
        assert_eq!(data.user_items(0), &[0, 2]);
        assert_eq!(data.user_items(1), &[3]);
        assert_eq!(data.events().len(), 4);
        assert_eq!(data.item_counts(), vec![1, 0, 1, 1]);
        let t = data.item_users();
        assert_eq!(t.row(2), &[0]);
        assert_eq!(t.row(3), &[1]);
        assert!(t.row(1).is_empty());
    }
}
