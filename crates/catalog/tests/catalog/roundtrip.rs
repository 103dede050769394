//! Property test without extra dependencies: Personalize CSVs written (by the `csv` crate) from
//! generated items and interactions — ids and titles with commas, quotes, newlines and
//! non-ASCII text — load back to the same data, for many seeds.

use std::collections::BTreeMap;
use std::path::Path;

use screening_catalog::import::{self, Format, ImportOptions};
use screening_core::ContentType;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len())]
    }

    /// Text with no surrounding whitespace (the importer trims fields) and no `|`.
    fn text(&mut self) -> String {
        const PARTS: &[&str] = &[
            "Café",
            "a,b",
            "\"quoted\"",
            "line\nbreak",
            "日本",
            "x",
            "Ünïcödé",
            "semi;colon",
            "tab\there",
        ];
        let n = 1 + self.below(3);
        (0..n).map(|_| self.pick(PARTS)).collect::<Vec<_>>().join(" ")
    }
}

#[derive(Debug, PartialEq)]
struct ItemRow {
    id: String,
    title: String,
    content_type: ContentType,
    genres: Vec<String>,
    year: Option<u16>,
    metadata: BTreeMap<String, String>,
}

#[derive(Debug, PartialEq)]
struct EventRow {
    user: String,
    item: String,
    timestamp: i64,
    event_type: String,
    value: Option<f32>,
}

fn write_csv(path: &Path, header: &[&str], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).expect("create");
    w.write_record(header).expect("header");
    for row in rows {
        w.write_record(row).expect("row");
    }
    w.flush().expect("flush");
}

fn generate(seed: u64) -> (Vec<ItemRow>, Vec<EventRow>) {
    let mut rng = Rng(seed);
    let n_items = 1 + rng.below(20);
    let items: Vec<ItemRow> = (0..n_items)
        .map(|i| {
            let genres: Vec<String> = (0..rng.below(4)).map(|_| rng.text()).collect();
            let mut metadata = BTreeMap::new();
            if rng.below(2) == 0 {
                metadata.insert("Studio".to_owned(), rng.text());
            }
            ItemRow {
                id: format!("{}-{i}", rng.text()),
                title: rng.text(),
                content_type: ContentType::ALL[rng.below(ContentType::ALL.len())],
                genres,
                year: (rng.below(3) > 0).then(|| 1900 + rng.below(130) as u16),
                metadata,
            }
        })
        .collect();
    let users: Vec<String> =
        (0..1 + rng.below(10)).map(|u| format!("{} #{u}", rng.text())).collect();
    let events = (0..1 + rng.below(50))
        .map(|_| EventRow {
            user: users[rng.below(users.len())].clone(),
            item: items[rng.below(items.len())].id.clone(),
            timestamp: rng.next() as i64 >> 20,
            event_type: rng.pick(&["watch", "click", "Rating, 5-star"]).to_owned(),
            value: (rng.below(2) == 0).then(|| (rng.below(1000) as f32) / 8.0 - 50.0),
        })
        .collect();
    (items, events)
}

#[test]
fn personalize_csvs_round_trip() {
    for seed in 0..64 {
        let (items, events) = generate(seed);
        let dir = tempfile::tempdir().expect("tempdir");
        let item_rows: Vec<Vec<String>> = items
            .iter()
            .map(|i| {
                vec![
                    i.id.clone(),
                    i.title.clone(),
                    i.content_type.as_str().to_owned(),
                    i.genres.join("|"),
                    i.year.map(|y| y.to_string()).unwrap_or_default(),
                    i.metadata.get("Studio").cloned().unwrap_or_default(),
                ]
            })
            .collect();
        write_csv(
            &dir.path().join("items.csv"),
            &["ITEM_ID", "TITLE", "CONTENT_TYPE", "GENRES", "YEAR", "Studio"],
            &item_rows,
        );
        let event_rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.user.clone(),
                    e.item.clone(),
                    e.timestamp.to_string(),
                    e.event_type.clone(),
                    e.value.map(|v| v.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        write_csv(
            &dir.path().join("interactions.csv"),
            &["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"],
            &event_rows,
        );

        let loaded = import::load(
            dir.path(),
            Format::Personalize,
            &ImportOptions { strict: true, ..ImportOptions::default() },
        )
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert!(loaded.warnings.is_empty(), "seed {seed}: {:?}", loaded.warnings);
        let ds = &loaded.dataset;
        let got_items: Vec<ItemRow> = ds
            .items
            .iter()
            .map(|i| ItemRow {
                id: i.id.clone(),
                title: i.title.clone(),
                content_type: i.content_type,
                genres: i.genres.clone(),
                year: i.year,
                metadata: i.metadata.clone(),
            })
            .collect();
        assert_eq!(got_items, items, "seed {seed}");
        let got_events: Vec<EventRow> = ds
            .interactions
            .iter()
            .map(|e| EventRow {
                user: ds.user_id(e).to_owned(),
                item: ds.item_id(e).to_owned(),
                timestamp: e.timestamp,
                event_type: ds.event_types[e.event_type as usize].clone(),
                value: e.value,
            })
            .collect();
        assert_eq!(got_events, events, "seed {seed}");
    }
}

/// Copying the files a load read, under their copy names, gives a folder that loads to the same
/// dataset: what the app keeps of an imported dataset.
#[test]
fn a_copy_of_the_files_read_loads_the_same_dataset() {
    let cases = [
        (crate::fixture("ml-small"), Format::Movielens, 4),
        (crate::fixture("ml-100k"), Format::Movielens, 4),
        (crate::fixture("personalize"), Format::Personalize, 3),
        (crate::fixture("personalize/interactions.csv"), Format::Personalize, 1),
    ];
    for (path, format, n_files) in cases {
        let options = ImportOptions::default();
        let original = import::load(&path, format, &options).expect("loads");
        assert_eq!(original.files.len(), n_files, "{path:?}: {:?}", original.files);
        let copy = tempfile::tempdir().expect("tempdir");
        for f in &original.files {
            std::fs::copy(&f.path, copy.path().join(f.copy_name)).expect("copy");
        }
        let again = import::load(copy.path(), format, &options).expect("the copy loads");
        let (a, b) = (&again.dataset, &original.dataset);
        assert_eq!(a.items, b.items, "{path:?}");
        assert_eq!(a.users, b.users, "{path:?}");
        assert_eq!(a.event_types, b.event_types, "{path:?}");
        assert_eq!(a.interactions, b.interactions, "{path:?}");
    }
}
