//! Amazon Personalize dataset CSVs: interactions, and optional items and users.
//!
//! # Files
//!
//! `path` is a folder or a single interactions CSV. In a folder, `*.csv` files are matched by
//! name, ignoring case: `interactions.csv` (or any name containing `interaction`), `items.csv`
//! (any name containing `item`, e.g. `item_metadata.csv`) and `users.csv` (any name containing
//! `user`). An exact name wins over partial matches; two partial matches for one role are an
//! error ([`ErrorKind::AmbiguousFile`]). Only the interactions file is required.
//!
//! # Columns
//!
//! Header names are case-insensitive; surrounding whitespace of every field is trimmed.
//!
//! - **Interactions** `USER_ID, ITEM_ID, TIMESTAMP[, EVENT_TYPE][, EVENT_VALUE]`. `TIMESTAMP` is
//!   an integer number of seconds since the Unix epoch (Personalize's `long`; a float such as
//!   `1700000000.5` is an error). Without an `EVENT_TYPE` column, or where it is blank, the
//!   event type is [`DEFAULT_EVENT_TYPE`] (`"interaction"`; Personalize then treats all events
//!   alike). A blank `EVENT_VALUE` is no value; a non-numeric one is an error. Other columns
//!   (e.g. contextual metadata such as `DEVICE`) have no place in an [`Interaction`]: they are
//!   skipped, with one [`WarningKind::IgnoredColumns`] warning.
//! - **Items** `ITEM_ID, …`. Known columns become item fields: `TITLE` (or `NAME`) → title
//!   (blank → the id), `CONTENT_TYPE` (or `TYPE`) → content type (parsed by name; unknown names
//!   → `other` with the original kept in metadata and a warning; blank or absent → `other`),
//!   `GENRES` (or `GENRE`) split on `|`, `YEAR` → year, else the year of `CREATION_TIMESTAMP`
//!   (epoch seconds; the column is also kept in metadata), `AGE_RATING`, `DESCRIPTION`,
//!   `IMAGE_URL`. Every other non-blank field is kept in `metadata` under its header name as
//!   spelled in the file (categorical values keep their `|`).
//! - **Users** `USER_ID, …`: the other non-blank fields become the user's metadata. Users
//!   listed only here (no interactions) are kept: they are real, cold-start users.
//!
//! # Errors and warnings
//!
//! Duplicate item or user ids, blank ids or timestamps, bad numbers and malformed rows are
//! errors. Without an items file, items are derived from the interactions (id only, title = id,
//! content type `other`), in order of first appearance. With one, interactions naming items it
//! does not have are dropped and counted in one warning — or, under `strict`, an error at the
//! first such row. A file with no interactions left is an error.

use std::path::{Path, PathBuf};

use screening_core::{ContentType, Interaction, Item};

use super::builder::{Builder, UnknownItems};
use super::csv_util::{CsvSource, Dialect};
use super::files::{self, display_name};
use super::warning::Counter;
use super::{ErrorKind, ImportError, ImportOptions, Loaded, Warning, WarningKind};

/// Event type of interactions without an `EVENT_TYPE`.
pub const DEFAULT_EVENT_TYPE: &str = "interaction";

const INTERACTIONS_HEADER: &str = "USER_ID, ITEM_ID, TIMESTAMP[, EVENT_TYPE][, EVENT_VALUE]";

/// The files of a Personalize dataset.
#[derive(Debug)]
struct Files {
    interactions: PathBuf,
    items: Option<PathBuf>,
    users: Option<PathBuf>,
}

pub(crate) fn load(path: &Path, options: &ImportOptions) -> Result<Loaded, ImportError> {
    let files = locate(path)?;
    let mut builder = Builder::new();
    let mut warnings = Vec::new();
    if let Some(items) = &files.items {
        read_items(items, &mut builder, &mut warnings, options)?;
    }
    read_interactions(
        &files.interactions,
        files.items.as_deref(),
        &mut builder,
        &mut warnings,
        options,
    )?;
    if let Some(users) = &files.users {
        read_users(users, &mut builder, options)?;
    }
    let dataset = builder.finish(files.items.as_deref().unwrap_or(&files.interactions))?;
    let loaded = Loaded { dataset, warnings, files: Vec::new() };
    Ok(loaded.with_files([
        ("interactions.csv", Some(files.interactions)),
        ("items.csv", files.items),
        ("users.csv", files.users),
    ]))
}

fn locate(path: &Path) -> Result<Files, ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| ImportError::io(path, e))?;
    if meta.is_file() {
        return Ok(Files { interactions: path.to_path_buf(), items: None, users: None });
    }
    let entries = files::list(path)?;
    let mut roles: [Vec<PathBuf>; 3] = Default::default();
    for entry in &entries {
        let Some(stem) = entry.lower.strip_suffix(".csv") else {
            continue;
        };
        let role = if stem.contains("interaction") {
            0
        } else if stem.contains("item") {
            1
        } else if stem.contains("user") {
            2
        } else {
            continue;
        };
        roles[role].push(entry.path.clone());
    }
    let [interactions, items, users] = roles;
    let interactions = pick(path, "interactions", interactions)?.ok_or_else(|| {
        ImportError::new(
            path,
            ErrorKind::MissingFile {
                expected: "no interactions file: expected interactions.csv (or a .csv file whose \
                           name contains \"interactions\") in this folder"
                    .to_owned(),
            },
        )
    })?;
    Ok(Files {
        interactions,
        items: pick(path, "items", items)?,
        users: pick(path, "users", users)?,
    })
}

/// The one file for `role` among `candidates`: the one named exactly `<role>.csv`, or the only
/// candidate.
fn pick(
    dir: &Path,
    role: &'static str,
    candidates: Vec<PathBuf>,
) -> Result<Option<PathBuf>, ImportError> {
    let exact = format!("{role}.csv");
    if let Some(p) = candidates.iter().find(|p| display_name(p).eq_ignore_ascii_case(&exact)) {
        return Ok(Some(p.clone()));
    }
    match candidates.len() {
        0 => Ok(None),
        1 => Ok(candidates.into_iter().next()),
        _ => Err(ImportError::new(
            dir,
            ErrorKind::AmbiguousFile {
                role,
                candidates: candidates.iter().map(|p| display_name(p)).collect(),
            },
        )),
    }
}

fn read_items(
    path: &Path,
    builder: &mut Builder,
    warnings: &mut Vec<Warning>,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let required =
        src.require(&[&["ITEM_ID"]], "ITEM_ID followed by item fields (TITLE, GENRES, …)")?;
    let id_col = required[0];
    let title_col = src.find(&["TITLE", "NAME"]);
    let type_col = src.find(&["CONTENT_TYPE", "TYPE"]);
    let genres_col = src.find(&["GENRES", "GENRE"]);
    let year_col = src.find(&["YEAR"]);
    let created_col = src.find(&["CREATION_TIMESTAMP"]);
    let age_col = src.find(&["AGE_RATING"]);
    let description_col = src.find(&["DESCRIPTION"]);
    let image_col = src.find(&["IMAGE_URL"]);
    let used: Vec<usize> = [
        Some(id_col),
        title_col,
        type_col,
        genres_col,
        year_col,
        age_col,
        description_col,
        image_col,
    ]
    .into_iter()
    .flatten()
    .collect();
    let type_name = type_col.and_then(|c| src.names().get(c).cloned()).unwrap_or_default();
    let mut unknown_types = Counter::default();

    while let Some(row) = src.next_row()? {
        let id = row.required(id_col)?;
        let mut metadata = row.metadata(&used)?;
        let content_type = match row.optional(type_col)? {
            None => ContentType::Other,
            Some(name) => name.parse().unwrap_or_else(|_| {
                unknown_types.add(row.line, name);
                metadata.insert(type_name.clone(), name.to_owned());
                ContentType::Other
            }),
        };
        let year = match (row.optional(year_col)?, year_col, created_col) {
            (Some(_), Some(col), _) => Some(row.parse::<u16>(col, "a year such as 1995")?),
            (_, _, Some(col)) if row.optional(Some(col))?.is_some() => {
                let secs = row.timestamp(col)?;
                Some(year_of(secs).ok_or_else(|| {
                    row.error(
                        col,
                        ErrorKind::InvalidValue {
                            expected: "a timestamp between years 0 and 65535",
                            found: secs.to_string(),
                        },
                    )
                })?)
            }
            _ => None,
        };
        let item = Item {
            id: id.to_owned(),
            title: row.optional(title_col)?.unwrap_or(id).to_owned(),
            content_type,
            genres: split_list(row.optional(genres_col)?.unwrap_or_default()),
            year,
            age_rating: row.optional(age_col)?.map(str::to_owned),
            description: row.optional(description_col)?.unwrap_or_default().to_owned(),
            image_url: row.optional(image_col)?.map(str::to_owned),
            metadata,
        };
        builder.add_item(item, row.line).map_err(|d| {
            row.error(
                id_col,
                ErrorKind::DuplicateItem { id: id.to_owned(), first_line: d.first_line },
            )
        })?;
    }
    warnings.extend(
        unknown_types.into_warning(path.to_path_buf(), |example| WarningKind::UnknownContentType {
            example,
        }),
    );
    Ok(())
}

fn read_interactions(
    path: &Path,
    items_file: Option<&Path>,
    builder: &mut Builder,
    warnings: &mut Vec<Warning>,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let required =
        src.require(&[&["USER_ID"], &["ITEM_ID"], &["TIMESTAMP"]], INTERACTIONS_HEADER)?;
    let (user_col, item_col, time_col) = (required[0], required[1], required[2]);
    let type_col = src.find(&["EVENT_TYPE"]);
    let value_col = src.find(&["EVENT_VALUE"]);
    let used = [Some(user_col), Some(item_col), Some(time_col), type_col, value_col];
    let ignored: Vec<String> = src
        .names()
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.contains(&Some(*i)))
        .map(|(_, n)| n.clone())
        .collect();
    if !ignored.is_empty() {
        warnings.push(Warning {
            file: path.to_path_buf(),
            count: ignored.len() as u64,
            kind: WarningKind::IgnoredColumns { columns: ignored },
            first_line: src.header_line(),
        });
    }
    let items_name = items_file.map(display_name);
    let mut unknown = UnknownItems::new(options, items_name.as_deref().unwrap_or_default());
    let mut rows = 0u64;
    // The event type of the previous row: logs are usually dominated by one or two types.
    let mut last_type: Option<(String, u16)> = None;

    while let Some(row) = src.next_row()? {
        rows += 1;
        let user = row.required(user_col)?;
        let item = row.required(item_col)?;
        let timestamp = row.timestamp(time_col)?;
        let event_name = row.optional(type_col)?.unwrap_or(DEFAULT_EVENT_TYPE);
        let value = match value_col {
            Some(col) => row.number(col, "a number")?,
            None => None,
        };
        let item = if items_file.is_some() {
            match unknown.resolve(builder, &row, item_col, item)? {
                Some(index) => index,
                None => continue,
            }
        } else {
            builder.intern_item(item)
        };
        let event_type = match &last_type {
            Some((name, index)) if name == event_name => *index,
            _ => {
                let index = builder
                    .intern_event_type(event_name)
                    .map_err(|kind| row.error(type_col.unwrap_or(time_col), kind))?;
                last_type = Some((event_name.to_owned(), index));
                index
            }
        };
        let user = builder.intern_user(user);
        builder.push(Interaction { user, item, timestamp, event_type, value });
    }
    let dropped = unknown.counter.count();
    warnings.extend(unknown.into_warning(path));
    if builder.interaction_count() == 0 {
        let err = ImportError::new(path, ErrorKind::NoInteractions { dropped });
        return Err(match (rows, src.header_line()) {
            (0, Some(line)) => err.at_line(line),
            _ => err,
        });
    }
    Ok(())
}

fn read_users(
    path: &Path,
    builder: &mut Builder,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let id_col = src.require(&[&["USER_ID"]], "USER_ID followed by user fields")?[0];
    while let Some(row) = src.next_row()? {
        let id = row.required(id_col)?;
        let metadata = row.metadata(&[id_col])?;
        builder.set_user_metadata(id, metadata, row.line).map_err(|d| {
            row.error(
                id_col,
                ErrorKind::DuplicateUser { id: id.to_owned(), first_line: d.first_line },
            )
        })?;
    }
    Ok(())
}

/// A `|`-separated list, trimmed, without blanks.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The (UTC, proleptic Gregorian) year of a Unix timestamp, if it fits a `u16`.
pub(crate) fn year_of(secs: i64) -> Option<u16> {
    // Howard Hinnant's civil_from_days.
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    u16::try_from(year).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_of_epoch_seconds() {
        assert_eq!(year_of(0), Some(1970));
        assert_eq!(year_of(946_684_799), Some(1999));
        assert_eq!(year_of(946_684_800), Some(2000));
        assert_eq!(year_of(1_700_000_000), Some(2023));
        assert_eq!(year_of(-1), Some(1969));
        assert_eq!(year_of(i64::MAX / 2), None);
    }

    #[test]
    fn lists_split_on_pipes() {
        assert_eq!(split_list(" Drama | Crime||"), vec!["Drama", "Crime"]);
        assert!(split_list("").is_empty());
    }
}
