use std::collections::BTreeMap;

use screening_catalog::import::{self, DEFAULT_EVENT_TYPE, Format, ImportOptions, WarningKind};
use screening_core::{CatalogInfo, ContentType};

use crate::{fixture, load_ok};

#[test]
fn folder_loads_items_users_and_interactions() {
    let loaded = load_ok("personalize", Format::Personalize, false);
    let ds = &loaded.dataset;
    let info = CatalogInfo::of(ds);
    assert_eq!((info.items, info.users, info.interactions), (5, 4, 5));
    assert_eq!(ds.event_types, vec!["watch", "click", DEFAULT_EVENT_TYPE]);
    assert_eq!(info.event_types["watch"], 3);
    assert_eq!(info.event_types["click"], 1);
    assert_eq!(info.event_types[DEFAULT_EVENT_TYPE], 1);
    assert_eq!(
        (info.first_timestamp, info.last_timestamp),
        (Some(1_700_000_000), Some(1_700_000_400))
    );
    assert_eq!(info.content_types["reality"], 1);
    assert_eq!(info.content_types["documentary"], 1);
    assert_eq!(info.content_types["other"], 1, "the podcast");
    assert_eq!(info.genres["Drama"], 1);

    let values: Vec<Option<f32>> = ds.interactions.iter().map(|e| e.value).collect();
    assert_eq!(values, vec![Some(0.9), None, Some(1.0), Some(2.5), None]);
}

#[test]
fn item_columns_map_to_fields_and_the_rest_to_metadata() {
    let loaded = load_ok("personalize", Format::Personalize, false);
    let ds = &loaded.dataset;
    let island = ds.item("i1").expect("i1");
    assert_eq!(island.title, "Love Island");
    assert_eq!(island.content_type, ContentType::Reality);
    assert_eq!(island.genres, vec!["Dating", "Competition"]);
    assert_eq!(island.year, Some(2015), "from CREATION_TIMESTAMP 1420070400");
    assert_eq!(island.age_rating.as_deref(), Some("12"));
    assert_eq!(island.description, "Singles, sun and \"drama\"");
    assert_eq!(island.image_url.as_deref(), Some("https://img.example/1.jpg"));
    let expected: BTreeMap<String, String> =
        [("Language", "en"), ("STUDIO", "ITV"), ("creation_timestamp", "1420070400")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
    assert_eq!(island.metadata, expected);

    let earth = ds.item("i2").expect("i2");
    assert_eq!(earth.description, "The planet,\nin two lines", "quoted newline kept");
    assert_eq!(earth.image_url, None);
    let chef = ds.item("i3").expect("i3");
    assert_eq!(
        (chef.content_type, chef.year, chef.age_rating.as_deref()),
        (ContentType::Cooking, None, None)
    );
    assert!(chef.metadata.is_empty(), "blank fields are not metadata: {:?}", chef.metadata);
    let podcast = ds.item("i4").expect("i4");
    assert_eq!(podcast.content_type, ContentType::Other);
    assert_eq!(podcast.metadata["Content_Type"], "podcast");
    assert_eq!(ds.item("i5").expect("i5").genres, vec!["Drama", "Thriller"]);
}

#[test]
fn users_file_gives_metadata_and_cold_users() {
    let loaded = load_ok("personalize", Format::Personalize, false);
    let ds = &loaded.dataset;
    let ids: Vec<&str> = ds.users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, vec!["u1", "u2", "u3", "u4"]);
    assert_eq!(ds.users[0].metadata["AGE"], "34");
    assert_eq!(ds.users[0].metadata["Membership"], "premium", "CRLF stripped");
    assert!(!ds.users[1].metadata.contains_key("AGE"));
    assert!(ds.users[2].metadata.is_empty(), "u3 is not in users.csv");
    assert_eq!(ds.users[3].metadata["AGE"], "51");
}

#[test]
fn unknown_items_ignored_columns_and_content_types_are_counted_warnings() {
    let loaded = load_ok("personalize", Format::Personalize, false);
    let w = &loaded.warnings;
    assert_eq!(w.len(), 3, "{w:#?}");
    let content = w
        .iter()
        .find(|w| matches!(w.kind, WarningKind::UnknownContentType { .. }))
        .expect("content");
    assert_eq!((content.count, content.first_line), (1, Some(6)));
    let columns =
        w.iter().find(|w| matches!(w.kind, WarningKind::IgnoredColumns { .. })).expect("columns");
    assert_eq!(columns.kind, WarningKind::IgnoredColumns { columns: vec!["DEVICE".into()] });
    let unknown =
        w.iter().find(|w| matches!(w.kind, WarningKind::UnknownItems { .. })).expect("unknown");
    assert_eq!((unknown.count, unknown.first_line), (1, Some(7)));
    assert!(unknown.kind.is_dropped_data());
    let text = unknown.to_string();
    assert!(
        text.contains(
            "interactions.csv: 1 row names an item not in items.csv (e.g. \"i99\"), dropped"
        ),
        "{text}"
    );
    assert!(text.ends_with("first on line 7"), "{text}");
}

#[test]
fn strict_makes_unknown_items_an_error() {
    let err = crate::load_err("personalize", Format::Personalize, true);
    assert!(
        matches!(err.kind, import::ErrorKind::UnknownItem { ref id, .. } if id == "i99"),
        "{err}"
    );
    assert!(err.to_string().contains("interactions.csv:7: column `Item_Id`"), "{err}");
}

#[test]
fn a_single_interactions_file_derives_its_items() {
    let path = fixture("personalize/interactions.csv");
    let loaded = import::load(&path, Format::Personalize, &ImportOptions::default()).expect("load");
    let ds = &loaded.dataset;
    let ids: Vec<&str> = ds.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, vec!["i1", "i2", "i3", "i4", "i99"]);
    assert!(ds.items.iter().all(|i| i.content_type == ContentType::Other && i.title == i.id));
    assert_eq!(ds.interactions.len(), 6);
    assert_eq!(ds.users.len(), 3);
    assert_eq!(loaded.warnings.len(), 1, "only the ignored DEVICE column");
}

#[test]
fn files_are_found_by_partial_case_insensitive_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = fixture("personalize");
    for (from, to) in [
        ("interactions.csv", "Export_Interactions_2024.CSV"),
        ("items.csv", "item_metadata.csv"),
        ("users.csv", "USERS.csv"),
    ] {
        std::fs::copy(src.join(from), dir.path().join(to)).expect("copy");
    }
    std::fs::write(dir.path().join("README.txt"), "not a dataset file").expect("write");
    let loaded =
        import::load(dir.path(), Format::Personalize, &ImportOptions::default()).expect("load");
    assert_eq!(CatalogInfo::of(&loaded.dataset).items, 5);
    assert_eq!(loaded.dataset.users.len(), 4);
}

#[test]
fn progress_option_does_not_change_the_result() {
    let options = ImportOptions { progress: true, ..ImportOptions::default() };
    let loaded =
        import::load(&fixture("personalize"), Format::Personalize, &options).expect("load");
    assert_eq!(loaded.dataset.interactions.len(), 5);
}

#[test]
fn a_file_over_the_progress_threshold_streams_through_the_bar() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("interactions.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE").expect("write");
    let mut rows = 0usize;
    let mut written = 0u64;
    while written <= import::progress::THRESHOLD_BYTES {
        let line =
            format!("user-{},item-{},{},watch\n", rows % 997, rows % 1009, 1_600_000_000 + rows);
        out.write_all(line.as_bytes()).expect("write");
        written += line.len() as u64;
        rows += 1;
    }
    out.flush().expect("flush");
    drop(out);
    let options = ImportOptions { strict: true, progress: true, on_progress: None };
    let loaded = import::load(&path, Format::Personalize, &options).expect("load");
    let info = CatalogInfo::of(&loaded.dataset);
    assert_eq!((info.interactions, info.users, info.items), (rows, 997, 1009));
}

#[test]
fn format_names_parse() {
    assert_eq!("MovieLens".parse::<Format>(), Ok(Format::Movielens));
    assert_eq!(Format::Personalize.to_string(), "personalize");
    assert!("csv".parse::<Format>().is_err());
}
