//! One test per kind of bad input; the fixtures are in `tests/fixtures/bad/<case>/`.
//! Each checks the error kind, and that the message names the file and the line.

use screening_catalog::import::{self, ErrorKind, Format, ImportError, ImportOptions};

use crate::{fixture, load_err};

/// Asserts that `err` reads `<…>/<file>:<line>: …` and mentions `column` if given.
#[track_caller]
fn assert_names(err: &ImportError, file: &str, line: Option<u64>, column: Option<&str>) {
    let text = err.to_string();
    let location = match line {
        Some(line) => format!("{file}:{line}: "),
        None => format!("{file}: "),
    };
    assert!(text.contains(&location), "{text:?} should contain {location:?}");
    assert_eq!(err.line, line, "{text}");
    assert_eq!(err.column.as_deref(), column, "{text}");
    if let Some(column) = column {
        assert!(text.contains(&format!("column `{column}`: ")), "{text}");
    }
}

#[test]
fn wrong_header() {
    let err = load_err("bad/wrong_header", Format::Personalize, false);
    assert!(
        matches!(err.kind, ErrorKind::UnrecognizedHeader { ref found, .. } if found == "user,item,time"),
        "{err}"
    );
    assert_names(&err, "interactions.csv", Some(1), None);
    assert!(err.to_string().contains("USER_ID, ITEM_ID, TIMESTAMP"), "{err}");
}

#[test]
fn missing_required_column() {
    let err = load_err("bad/missing_column", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::MissingColumn { .. }), "{err}");
    assert_names(&err, "interactions.csv", Some(1), Some("TIMESTAMP"));
}

#[test]
fn duplicate_header_column() {
    let err = load_err("bad/duplicate_column", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::DuplicateColumn { first: 1, second: 4 }), "{err}");
    assert_names(&err, "interactions.csv", Some(1), Some("user_id"));
}

#[test]
fn wrong_field_count() {
    let err = load_err("bad/field_count", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::FieldCount { expected: 3, found: 2, .. }), "{err}");
    assert_names(&err, "interactions.csv", Some(3), None);
}

#[test]
fn non_numeric_timestamp() {
    let err = load_err("bad/bad_timestamp", Format::Movielens, false);
    assert!(
        matches!(err.kind, ErrorKind::InvalidTimestamp { ref found } if found == "abc"),
        "{err}"
    );
    assert_names(&err, "ratings.csv", Some(4), Some("timestamp"));
    assert!(
        err.to_string().ends_with(
            "ratings.csv:4: column `timestamp`: expected an integer number of seconds, found \"abc\""
        ),
        "{err}"
    );
}

#[test]
fn fractional_timestamp() {
    let err = load_err("bad/float_timestamp", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::InvalidTimestamp { .. }), "{err}");
    assert_names(&err, "interactions.csv", Some(2), Some("TIMESTAMP"));
}

#[test]
fn invalid_utf8() {
    let err = load_err("bad/invalid_utf8", Format::Movielens, false);
    assert!(matches!(err.kind, ErrorKind::InvalidUtf8 { byte: 0xE9, offset: 3 }), "{err}");
    assert_names(&err, "movies.csv", Some(3), Some("title"));
}

#[test]
fn empty_file() {
    let err = load_err("bad/empty_file", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::EmptyFile { .. }), "{err}");
    assert_names(&err, "interactions.csv", Some(1), None);
}

#[test]
fn header_only() {
    let err = load_err("bad/header_only", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::NoInteractions { dropped: 0 }), "{err}");
    assert_names(&err, "interactions.csv", Some(1), None);
}

#[test]
fn duplicate_item_id() {
    let err = load_err("bad/duplicate_item", Format::Personalize, false);
    assert!(
        matches!(err.kind, ErrorKind::DuplicateItem { ref id, first_line: 3 } if id == "i2"),
        "{err}"
    );
    assert_names(&err, "items.csv", Some(5), Some("ITEM_ID"));
}

#[test]
fn duplicate_user_id() {
    let err = load_err("bad/duplicate_user", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::DuplicateUser { first_line: 2, .. }), "{err}");
    assert_names(&err, "users.csv", Some(4), Some("USER_ID"));
}

#[test]
fn unknown_items_warn_by_default_and_fail_under_strict() {
    let loaded = crate::load_ok("bad/unknown_item", Format::Personalize, false);
    assert_eq!(loaded.dataset.interactions.len(), 3);
    assert_eq!(loaded.dataset.users.len(), 2, "u3 only had a dropped row");
    let [warning] = loaded.warnings.as_slice() else { panic!("{:?}", loaded.warnings) };
    assert_eq!((warning.count, warning.first_line), (2, Some(4)));

    let err = load_err("bad/unknown_item", Format::Personalize, true);
    assert!(
        matches!(err.kind, ErrorKind::UnknownItem { ref id, ref items_file } if id == "gone" && items_file == "items.csv"),
        "{err}"
    );
    assert_names(&err, "interactions.csv", Some(4), Some("ITEM_ID"));
}

#[test]
fn non_numeric_rating() {
    let err = load_err("bad/bad_rating", Format::Movielens, false);
    assert!(
        matches!(err.kind, ErrorKind::InvalidValue { ref found, .. } if found == "four"),
        "{err}"
    );
    assert_names(&err, "ratings.csv", Some(3), Some("rating"));
}

#[test]
fn non_numeric_event_value() {
    let err = load_err("bad/bad_event_value", Format::Personalize, false);
    assert!(
        matches!(err.kind, ErrorKind::InvalidValue { ref found, .. } if found == "high"),
        "{err}"
    );
    assert_names(&err, "interactions.csv", Some(3), Some("EVENT_VALUE"));
}

#[test]
fn non_numeric_year() {
    let err = load_err("bad/bad_year", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::InvalidValue { .. }), "{err}");
    assert_names(&err, "items.csv", Some(3), Some("YEAR"));
}

#[test]
fn u_item_line_with_wrong_field_count() {
    let err = load_err("bad/bad_u_item_fields", Format::Movielens, false);
    assert!(matches!(err.kind, ErrorKind::FieldCount { expected: 24, found: 8, .. }), "{err}");
    assert_names(&err, "u.item", Some(2), None);
}

#[test]
fn u_item_line_with_non_numeric_id() {
    let err = load_err("bad/bad_u_item_id", Format::Movielens, false);
    assert!(
        matches!(err.kind, ErrorKind::InvalidValue { ref found, .. } if found == "x3"),
        "{err}"
    );
    assert_names(&err, "u.item", Some(3), Some("movie id"));
}

#[test]
fn no_movielens_files() {
    let err = load_err("bad/missing_ratings", Format::Movielens, false);
    assert!(matches!(err.kind, ErrorKind::MissingFile { .. }), "{err}");
    assert_names(&err, "missing_ratings", None, None);
    assert!(err.to_string().contains("ratings.csv") && err.to_string().contains("u.data"), "{err}");
}

#[test]
fn ratings_without_movies() {
    let err = load_err("bad/missing_movies", Format::Movielens, false);
    assert!(matches!(err.kind, ErrorKind::MissingFile { .. }), "{err}");
    assert_names(&err, "movies.csv", None, None);
}

#[test]
fn no_personalize_interactions_file() {
    let err = load_err("bad/missing_ratings", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::MissingFile { .. }), "{err}");
    assert!(err.to_string().contains("interactions.csv"), "{err}");
}

#[test]
fn two_interactions_files() {
    let err = load_err("bad/ambiguous", Format::Personalize, false);
    assert!(
        matches!(err.kind, ErrorKind::AmbiguousFile { role: "interactions", ref candidates } if candidates.len() == 2),
        "{err}"
    );
    assert!(err.to_string().contains("interactions_2023.csv, interactions_2024.csv"), "{err}");
}

#[test]
fn blank_required_field() {
    let err = load_err("bad/empty_user_id", Format::Personalize, false);
    assert!(matches!(err.kind, ErrorKind::EmptyField), "{err}");
    assert_eq!(err.kind.code(), "empty_field");
    assert_names(&err, "interactions.csv", Some(3), Some("USER_ID"));
}

#[test]
fn missing_path() {
    let options = ImportOptions::default();
    let err =
        import::load(&fixture("bad/no-such-folder"), Format::Personalize, &options).unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::Io(ref e) if e.kind() == std::io::ErrorKind::NotFound),
        "{err}"
    );
    assert_names(&err, "no-such-folder", None, None);
}
