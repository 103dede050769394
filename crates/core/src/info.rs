//! Dataset summaries (`screening catalog info`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Dataset;

/// Counts that tell what a dataset holds. The JSON keys are part of the CLI contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogInfo {
    #[ts(type = "number")]
    pub items: usize,
    #[ts(type = "number")]
    pub users: usize,
    #[ts(type = "number")]
    pub interactions: usize,
    /// Content type name → number of items.
    #[ts(type = "Record<string, number>")]
    pub content_types: BTreeMap<String, usize>,
    /// Genre → number of items.
    #[ts(type = "Record<string, number>")]
    pub genres: BTreeMap<String, usize>,
    /// Event type → number of interactions.
    #[ts(type = "Record<string, number>")]
    pub event_types: BTreeMap<String, usize>,
    /// Oldest interaction, seconds since the Unix epoch; `null` without interactions.
    #[ts(type = "number | null")]
    pub first_timestamp: Option<i64>,
    #[ts(type = "number | null")]
    pub last_timestamp: Option<i64>,
}

impl CatalogInfo {
    /// Summarises `dataset` in one pass over items and one over interactions.
    pub fn of(dataset: &Dataset) -> Self {
        let mut content_types = BTreeMap::new();
        let mut genres = BTreeMap::new();
        for item in &dataset.items {
            *content_types.entry(item.content_type.as_str().to_owned()).or_insert(0) += 1;
            for g in &item.genres {
                *genres.entry(g.clone()).or_insert(0) += 1;
            }
        }
        let mut per_event = vec![0usize; dataset.event_types.len()];
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for ev in &dataset.interactions {
            if let Some(n) = per_event.get_mut(ev.event_type as usize) {
                *n += 1;
            }
            first = Some(first.map_or(ev.timestamp, |f| f.min(ev.timestamp)));
            last = Some(last.map_or(ev.timestamp, |l| l.max(ev.timestamp)));
        }
        let event_types =
            dataset.event_types.iter().cloned().zip(per_event).filter(|(_, n)| *n > 0).collect();
        CatalogInfo {
            items: dataset.items.len(),
            users: dataset.users.len(),
            interactions: dataset.interactions.len(),
            content_types,
            genres,
            event_types,
            first_timestamp: first,
            last_timestamp: last,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ContentType, Interaction, Item};

    fn item(id: &str, ct: ContentType, genres: &[&str]) -> Item {
        Item { genres: genres.iter().map(|g| g.to_string()).collect(), ..Item::new(id, id, ct) }
    }

    #[test]
    fn counts_items_users_events_and_time_range() {
        let mut ds = Dataset::new(vec![
            item("a", ContentType::Reality, &["Dating"]),
            item("b", ContentType::Reality, &["Dating", "Competition"]),
            item("c", ContentType::News, &[]),
        ])
        .unwrap();
        let w = ds.intern_event_type("watch");
        let u = ds.intern_user("u1");
        let v = ds.intern_user("u2");
        for (user, item, ts) in [(u, 0, 30), (v, 2, 10), (u, 1, 20)] {
            ds.push(Interaction { user, item, timestamp: ts, event_type: w, value: None });
        }
        let info = CatalogInfo::of(&ds);
        assert_eq!((info.items, info.users, info.interactions), (3, 2, 3));
        assert_eq!(info.content_types["reality"], 2);
        assert_eq!(info.content_types["news"], 1);
        assert_eq!(info.genres["Dating"], 2);
        assert_eq!(info.event_types["watch"], 3);
        assert_eq!((info.first_timestamp, info.last_timestamp), (Some(10), Some(30)));
    }

    #[test]
    fn empty_dataset_has_no_time_range() {
        let info = CatalogInfo::of(&Dataset::default());
        assert_eq!(info.first_timestamp, None);
        assert_eq!(info.interactions, 0);
    }
}
