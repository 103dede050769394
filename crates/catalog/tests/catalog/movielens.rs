use screening_catalog::import::{self, Format, ImportOptions, RATING_EVENT_TYPE};
use screening_core::{CatalogInfo, ContentType};

use crate::{fixture, load_ok};

#[test]
fn ml_latest_small_layout_loads() {
    let loaded = load_ok("ml-small", Format::Movielens, false);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let ds = &loaded.dataset;
    let info = CatalogInfo::of(ds);
    assert_eq!((info.items, info.users, info.interactions), (5, 3, 6));
    assert_eq!(info.content_types["film"], 5);
    assert_eq!(info.event_types[RATING_EVENT_TYPE], 6);
    assert_eq!(info.genres["Comedy"], 3);
    assert!(!info.genres.contains_key("(no genres listed)"));
    let values: Vec<Option<f32>> = ds.interactions.iter().map(|e| e.value).collect();
    assert_eq!(values, vec![Some(4.0), Some(3.5), Some(5.0), Some(0.5), Some(2.0), Some(4.5)]);
    assert_eq!(
        (info.first_timestamp, info.last_timestamp),
        (Some(964_981_247), Some(1_500_000_100))
    );
}

#[test]
fn titles_lose_their_year_and_keep_quoted_commas() {
    let ds = load_ok("ml-small", Format::Movielens, false).dataset;
    let toy = ds.item("1").expect("1");
    assert_eq!((toy.title.as_str(), toy.year), ("Toy Story", Some(1995)));
    assert_eq!(toy.content_type, ContentType::Film);
    assert_eq!(toy.genres, vec!["Adventure", "Animation", "Children", "Comedy", "Fantasy"]);
    assert_eq!(ds.item("2").expect("2").title, "American President, The");
    assert_eq!(ds.item("3").expect("3").title, "Misérables, Les");
    let cosmos = ds.item("4").expect("4");
    assert_eq!((cosmos.title.as_str(), cosmos.year), ("Cosmos", None));
    assert!(cosmos.genres.is_empty());
    let dusk = ds.item("5").expect("5");
    assert_eq!(
        (dusk.title.as_str(), dusk.year),
        ("From Dusk Till Dawn 2: Texas Blood Money", Some(1999))
    );
}

#[test]
fn tags_and_links_become_metadata() {
    let ds = load_ok("ml-small", Format::Movielens, false).dataset;
    let toy = ds.item("1").expect("1");
    assert_eq!(toy.metadata["tags"], "pixar|funny, clever");
    assert_eq!(toy.metadata["imdb_id"], "0114709");
    assert_eq!(toy.metadata["tmdb_id"], "862");
    let cosmos = ds.item("4").expect("4");
    assert_eq!(cosmos.metadata["tags"], "space");
    assert!(!cosmos.metadata.contains_key("tmdb_id"), "blank tmdbId skipped");
    assert!(!ds.item("2").expect("2").metadata.contains_key("tags"));
    assert_eq!(ds.users.len(), 3, "tags add no users");
}

#[test]
fn ml_100k_layout_loads_latin1_and_genre_flags() {
    let loaded = load_ok("ml-100k", Format::Movielens, false);
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let ds = &loaded.dataset;
    let info = CatalogInfo::of(ds);
    assert_eq!((info.items, info.users, info.interactions), (4, 3, 4));
    assert_eq!(info.event_types[RATING_EVENT_TYPE], 4);
    let cafe = ds.item("2").expect("2");
    assert_eq!((cafe.title.as_str(), cafe.year), ("Café Society", Some(1995)));
    assert_eq!(cafe.genres, vec!["Drama"]);
    assert_eq!(
        cafe.metadata["imdb_url"],
        "http://us.imdb.com/M/title-exact?Caf%E9%20Society%20(1995)"
    );
    assert_eq!(cafe.metadata["release_date"], "01-Jan-1995");
    let toy = ds.item("1").expect("1");
    assert_eq!(toy.genres, vec!["Animation", "Children's", "Comedy"]);
    let unknown = ds.item("3").expect("3");
    assert_eq!((unknown.title.as_str(), unknown.year), ("unknown", None));
    assert!(unknown.genres.is_empty(), "the `unknown` flag is no genre");
    assert!(unknown.metadata.is_empty());
    let aphrodite = ds.item("4").expect("4");
    assert_eq!(
        (aphrodite.title.as_str(), aphrodite.year),
        ("Mighty Aphrodite", Some(1995)),
        "year from release date"
    );
    let ratings: Vec<(&str, &str, Option<f32>, i64)> = ds
        .interactions
        .iter()
        .map(|e| (ds.user_id(e), ds.item_id(e), e.value, e.timestamp))
        .collect();
    assert_eq!(ratings[0], ("196", "1", Some(3.0), 881_250_949));
    let user = &ds.users[0];
    assert_eq!(user.id, "196");
    assert_eq!(user.metadata["occupation"], "writer");
    assert_eq!(user.metadata["zip_code"], "55105");
}

#[test]
fn ml_100k_without_u_genre_uses_the_standard_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["u.data", "u.item"] {
        std::fs::copy(fixture("ml-100k").join(name), dir.path().join(name)).expect("copy");
    }
    let loaded =
        import::load(dir.path(), Format::Movielens, &ImportOptions::default()).expect("load");
    let with_genre_file = load_ok("ml-100k", Format::Movielens, false).dataset;
    let genres = |ds: &screening_core::Dataset| {
        ds.items.iter().map(|i| i.genres.clone()).collect::<Vec<_>>()
    };
    assert_eq!(genres(&loaded.dataset), genres(&with_genre_file));
    assert!(loaded.dataset.users.iter().all(|u| u.metadata.is_empty()), "no u.user");
}

#[test]
fn a_file_in_the_folder_means_the_folder() {
    let path = fixture("ml-small/ratings.csv");
    let loaded = import::load(&path, Format::Movielens, &ImportOptions::default()).expect("load");
    assert_eq!(loaded.dataset.items.len(), 5);
}

#[test]
fn progress_callback_sees_every_file_from_start_to_end() {
    use std::sync::{Arc, Mutex};

    use import::{FileProgress, OnProgress};

    let seen: Arc<Mutex<Vec<FileProgress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let options = ImportOptions {
        on_progress: Some(OnProgress(Arc::new(move |p: &FileProgress| {
            sink.lock().expect("lock").push(p.clone());
        }))),
        ..ImportOptions::default()
    };
    import::load(&fixture("ml-small"), Format::Movielens, &options).expect("loads");
    let seen = seen.lock().expect("lock");
    for file in ["movies.csv", "ratings.csv", "tags.csv", "links.csv"] {
        let reports: Vec<&FileProgress> = seen.iter().filter(|p| p.file == file).collect();
        let size = std::fs::metadata(fixture("ml-small").join(file)).expect("size").len();
        assert!(reports.len() >= 2, "{file}: {reports:?}");
        assert_eq!(reports[0].read_bytes, 0, "{file} starts at 0");
        let last = reports.last().expect("last");
        assert_eq!((last.read_bytes, last.total_bytes), (size, size), "{file} ends at its size");
        assert!(reports.windows(2).all(|w| w[0].read_bytes <= w[1].read_bytes), "{file}");
    }
}
