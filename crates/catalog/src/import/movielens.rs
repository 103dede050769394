//! MovieLens datasets, in the ml-latest-small layout or the older ml-100k layout.
//!
//! `path` is the dataset folder (a file inside it is taken to mean its folder). The layout is
//! detected by which files exist (names compared ignoring case): `ratings.csv` → ml-latest-small
//! (also ml-latest, ml-25m, ml-32m), else `u.data` → ml-100k, else an error listing both.
//!
//! Every item is a [`ContentType::Film`] (MovieLens has no series; Animation and Children's stay
//! films — they are genres here). Every rating is an interaction of event type `"rating"` with
//! the rating as its value; a rating must be a number between 0 and 5.
//!
//! **Titles.** A trailing year in parentheses — `Heat (1995)`, or a range such as
//! `Death Note (2006–2007)` (first year taken) — becomes the item's `year` and is removed from
//! the title, since the UI shows the year beside it. Titles without one keep their text and
//! have no year (ml-100k then falls back to the release date's year). Articles stay where
//! MovieLens puts them (`American President, The`).
//!
//! **ml-latest-small**: `movies.csv` (`movieId,title,genres`; genres split on `|`,
//! `(no genres listed)` → none; extra columns → metadata) and `ratings.csv`
//! (`userId,movieId,rating,timestamp`) are required. Optional `tags.csv`
//! (`userId,movieId,tag,timestamp`) adds each film's distinct tags, in order of first
//! appearance and joined with `|`, as metadata `tags`; tags are validated like ratings but add
//! no users or interactions. Optional `links.csv` (`movieId,imdbId,tmdbId`) adds metadata
//! `imdb_id` and `tmdb_id` (as written, leading zeros kept; blank ones skipped).
//!
//! **ml-100k**: `u.data` (tab-separated `user id, item id, rating, timestamp`, no header) and
//! `u.item` (`|`-separated `movie id | title | release date | video release date | IMDb URL`
//! then one 0/1 flag per genre, no header) are required. `u.item`, `u.genre` and `u.user` are
//! Latin-1 (read as Windows-1252, its superset; a file that is valid UTF-8 is read as UTF-8, so a
//! converted copy works too). Genre names come from `u.genre` if present, else the standard 19.
//! The `unknown` genre flag means no genres. Release date, video release date and IMDb URL go
//! to metadata (`release_date`, `video_release_date`, `imdb_url`). Optional `u.user`
//! (`user id | age | gender | occupation | zip code`) becomes user metadata (`age`, `gender`,
//! `occupation`, `zip_code`).
//!
//! Ratings, tags or links naming films not in the movies file are dropped with a counted
//! warning, or are an error under `strict`. ml-latest-small has none.

use std::collections::HashMap;
use std::path::Path;

use screening_core::{ContentType, Interaction, Item};

use super::builder::{Builder, UnknownItems};
use super::csv_util::{CsvSource, Dialect, Header, Row};
use super::error::snippet;
use super::files::{self, display_name};
use super::personalize::split_list;
use super::{ErrorKind, ImportError, ImportOptions, Loaded};

/// The event type of MovieLens ratings.
pub const RATING_EVENT_TYPE: &str = "rating";

/// ml-100k's genres, in flag order, used when `u.genre` is absent.
pub const ML100K_GENRES: [&str; 19] = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
];

const NO_GENRES: &str = "(no genres listed)";
const RATING: &str = "a rating between 0 and 5";

pub(crate) fn load(path: &Path, options: &ImportOptions) -> Result<Loaded, ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| ImportError::io(path, e))?;
    let dir = match (meta.is_file(), path.parent()) {
        (true, Some(parent)) => parent,
        _ => path,
    };
    let entries = files::list(dir)?;
    let required = |name: &str, layout: &str, other: &str| {
        files::named(&entries, name).ok_or_else(|| {
            ImportError::new(
                dir.join(name),
                ErrorKind::MissingFile {
                    expected: format!("missing: the {layout} layout needs {name} next to {other}"),
                },
            )
        })
    };
    if let Some(ratings) = files::named(&entries, "ratings.csv") {
        let movies = required("movies.csv", "ml-latest-small", "ratings.csv")?;
        let tags = files::named(&entries, "tags.csv");
        let links = files::named(&entries, "links.csv");
        let loaded = latest_small(&movies, &ratings, tags.as_deref(), links.as_deref(), options)?;
        Ok(loaded.with_files([
            ("movies.csv", Some(movies)),
            ("ratings.csv", Some(ratings)),
            ("tags.csv", tags),
            ("links.csv", links),
        ]))
    } else if let Some(data) = files::named(&entries, "u.data") {
        let item = required("u.item", "ml-100k", "u.data")?;
        let genre = files::named(&entries, "u.genre");
        let user = files::named(&entries, "u.user");
        let loaded = ml100k(&data, &item, genre.as_deref(), user.as_deref(), options)?;
        Ok(loaded.with_files([
            ("u.data", Some(data)),
            ("u.item", Some(item)),
            ("u.genre", genre),
            ("u.user", user),
        ]))
    } else {
        Err(ImportError::new(
            dir,
            ErrorKind::MissingFile {
                expected: "not a MovieLens folder: expected ratings.csv and movies.csv \
                           (ml-latest-small layout) or u.data and u.item (ml-100k layout)"
                    .to_owned(),
            },
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// ml-latest-small

fn latest_small(
    movies: &Path,
    ratings: &Path,
    tags: Option<&Path>,
    links: Option<&Path>,
    options: &ImportOptions,
) -> Result<Loaded, ImportError> {
    let mut builder = Builder::new();
    let mut warnings = Vec::new();
    read_movies(movies, &mut builder, options)?;
    let movies_name = display_name(movies);

    let mut unknown = UnknownItems::new(options, &movies_name);
    let mut src = CsvSource::open(ratings, &Dialect::CSV, options)?;
    let cols = src.require(
        &[&["userId"], &["movieId"], &["rating"], &["timestamp"]],
        "userId,movieId,rating,timestamp",
    )?;
    read_rating_rows(
        &mut src,
        ratings,
        [cols[0], cols[1], cols[2], cols[3]],
        &mut builder,
        &mut unknown,
    )?;
    let header_line = src.header_line();
    drop(src);
    finish_ratings(ratings, header_line, &builder, unknown, &mut warnings)?;

    if let Some(tags) = tags {
        let mut unknown = UnknownItems::new(options, &movies_name);
        read_tags(tags, &mut builder, &mut unknown, options)?;
        warnings.extend(unknown.into_warning(tags));
    }
    if let Some(links) = links {
        let mut unknown = UnknownItems::new(options, &movies_name);
        read_links(links, &mut builder, &mut unknown, options)?;
        warnings.extend(unknown.into_warning(links));
    }
    let dataset = builder.finish(movies)?;
    Ok(Loaded { dataset, warnings, files: Vec::new() })
}

/// Reads `user, movie, rating, timestamp` rows (fields at `cols`, in that order) as `rating`
/// events; rows naming unknown movies go to `unknown`. Shared by both MovieLens layouts.
fn read_rating_rows(
    src: &mut CsvSource,
    path: &Path,
    cols: [usize; 4],
    builder: &mut Builder,
    unknown: &mut UnknownItems<'_>,
) -> Result<(), ImportError> {
    let [user_col, movie_col, rating_col, time_col] = cols;
    let rating_type =
        builder.intern_event_type(RATING_EVENT_TYPE).map_err(|k| ImportError::new(path, k))?;
    while let Some(row) = src.next_row()? {
        let user = row.required(user_col)?;
        let movie = row.required(movie_col)?;
        let rating = rating(&row, rating_col)?;
        let timestamp = row.timestamp(time_col)?;
        let Some(item) = unknown.resolve(builder, &row, movie_col, movie)? else {
            continue;
        };
        let user = builder.intern_user(user);
        builder.push(Interaction {
            user,
            item,
            timestamp,
            event_type: rating_type,
            value: Some(rating),
        });
    }
    Ok(())
}

/// Warns about dropped ratings; fails if none are left.
fn finish_ratings(
    path: &Path,
    header_line: Option<u64>,
    builder: &Builder,
    unknown: UnknownItems<'_>,
    warnings: &mut Vec<super::Warning>,
) -> Result<(), ImportError> {
    let dropped = unknown.counter.count();
    warnings.extend(unknown.into_warning(path));
    if builder.interaction_count() > 0 {
        return Ok(());
    }
    let err = ImportError::new(path, ErrorKind::NoInteractions { dropped });
    Err(match (dropped, header_line) {
        (0, Some(line)) => err.at_line(line),
        _ => err,
    })
}

fn read_movies(
    path: &Path,
    builder: &mut Builder,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let cols = src.require(&[&["movieId"], &["title"]], "movieId,title,genres")?;
    let (id_col, title_col) = (cols[0], cols[1]);
    let genres_col = src.find(&["genres"]);
    let used: Vec<usize> =
        [Some(id_col), Some(title_col), genres_col].into_iter().flatten().collect();
    while let Some(row) = src.next_row()? {
        let id = row.required(id_col)?;
        let (title, year) = split_title_year(row.required(title_col)?);
        let genres = match row.optional(genres_col)? {
            Some(NO_GENRES) | None => Vec::new(),
            Some(list) => split_list(list),
        };
        let item = film(id, title, year, genres, row.metadata(&used)?);
        builder.add_item(item, row.line).map_err(|d| {
            row.error(
                id_col,
                ErrorKind::DuplicateItem { id: id.to_owned(), first_line: d.first_line },
            )
        })?;
    }
    Ok(())
}

fn read_tags(
    path: &Path,
    builder: &mut Builder,
    unknown: &mut UnknownItems<'_>,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let cols = src.require(
        &[&["userId"], &["movieId"], &["tag"], &["timestamp"]],
        "userId,movieId,tag,timestamp",
    )?;
    let mut tags: HashMap<u32, Vec<String>> = HashMap::new();
    while let Some(row) = src.next_row()? {
        row.required(cols[0])?;
        let movie = row.required(cols[1])?;
        let tag = row.str(cols[2])?;
        row.timestamp(cols[3])?;
        let Some(item) = unknown.resolve(builder, &row, cols[1], movie)? else {
            continue;
        };
        let list = tags.entry(item).or_default();
        if !tag.is_empty() && !list.iter().any(|t| t == tag) {
            list.push(tag.to_owned());
        }
    }
    for (item, list) in tags {
        if let (Some(item), false) = (builder.item_mut(item), list.is_empty()) {
            item.metadata.insert("tags".to_owned(), list.join("|"));
        }
    }
    Ok(())
}

fn read_links(
    path: &Path,
    builder: &mut Builder,
    unknown: &mut UnknownItems<'_>,
    options: &ImportOptions,
) -> Result<(), ImportError> {
    let mut src = CsvSource::open(path, &Dialect::CSV, options)?;
    let cols = src.require(&[&["movieId"], &["imdbId"], &["tmdbId"]], "movieId,imdbId,tmdbId")?;
    while let Some(row) = src.next_row()? {
        let movie = row.required(cols[0])?;
        let mut ids = Vec::with_capacity(2);
        for (col, key, expected) in
            [(cols[1], "imdb_id", "a numeric IMDb id"), (cols[2], "tmdb_id", "a numeric TMDB id")]
        {
            if let Some(id) = row.optional(Some(col))? {
                if !id.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(
                        row.error(col, ErrorKind::InvalidValue { expected, found: snippet(id) })
                    );
                }
                ids.push((key, id));
            }
        }
        let Some(item) = unknown.resolve(builder, &row, cols[0], movie)? else {
            continue;
        };
        if let Some(item) = builder.item_mut(item) {
            for (key, id) in ids {
                item.metadata.insert(key.to_owned(), id.to_owned());
            }
        }
    }
    Ok(())
}

fn rating(row: &Row<'_>, col: usize) -> Result<f32, ImportError> {
    let s = row.required(col)?;
    match s.parse::<f32>() {
        Ok(v) if (0.0..=5.0).contains(&v) => Ok(v),
        _ => Err(row.error(col, ErrorKind::InvalidValue { expected: RATING, found: snippet(s) })),
    }
}

fn film(
    id: &str,
    title: &str,
    year: Option<u16>,
    genres: Vec<String>,
    metadata: std::collections::BTreeMap<String, String>,
) -> Item {
    Item { genres, year, metadata, ..Item::new(id, title, ContentType::Film) }
}

/// `"Heat (1995)"` → `("Heat", Some(1995))`; `"Cosmos"` → `("Cosmos", None)`.
pub(crate) fn split_title_year(title: &str) -> (&str, Option<u16>) {
    let title = title.trim();
    let parsed = title.strip_suffix(')').and_then(|rest| {
        let open = rest.rfind('(')?;
        let inner = &rest[open + 1..];
        let digits = inner.get(..4)?;
        let tail = &inner[4..];
        let is_range = tail.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | ' '));
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !is_range {
            return None;
        }
        let name = rest[..open].trim_end();
        (!name.is_empty()).then(|| (name, digits.parse().ok()))
    });
    parsed.unwrap_or((title, None))
}

// ---------------------------------------------------------------------------------------------
// ml-100k

const U_DATA_COLUMNS: &[&str] = &["user id", "item id", "rating", "timestamp"];
const U_ITEM_COLUMNS: [&str; 5] =
    ["movie id", "movie title", "release date", "video release date", "IMDb URL"];
const U_USER_COLUMNS: [&str; 5] = ["user id", "age", "gender", "occupation", "zip code"];

fn ml100k(
    data: &Path,
    item: &Path,
    genre: Option<&Path>,
    user: Option<&Path>,
    options: &ImportOptions,
) -> Result<Loaded, ImportError> {
    let genres = match genre {
        Some(path) => read_genres(path)?,
        None => ML100K_GENRES.iter().map(|g| (*g).to_owned()).collect(),
    };
    let mut builder = Builder::new();
    let mut warnings = Vec::new();
    read_u_item(item, &genres, &mut builder)?;

    let item_name = display_name(item);
    let mut unknown = UnknownItems::new(options, &item_name);
    let dialect =
        Dialect { delimiter: b'\t', quoting: false, header: Header::Given(U_DATA_COLUMNS) };
    let mut src = CsvSource::open(data, &dialect, options)?;
    read_rating_rows(&mut src, data, [0, 1, 2, 3], &mut builder, &mut unknown)?;
    drop(src);
    if builder.interaction_count() == 0 && unknown.counter.count() == 0 {
        return Err(ImportError::new(
            data,
            ErrorKind::EmptyFile { expected: "tab-separated ratings" },
        )
        .at_line(1));
    }
    finish_ratings(data, None, &builder, unknown, &mut warnings)?;
    if let Some(user) = user {
        read_u_user(user, &mut builder)?;
    }
    let dataset = builder.finish(item)?;
    Ok(Loaded { dataset, warnings, files: Vec::new() })
}

/// A small Latin-1 file (ml-100k's `u.item`, `u.genre`, `u.user`), decoded whole: as UTF-8 if
/// it is valid UTF-8, else as Windows-1252.
fn read_legacy_text(path: &Path) -> Result<String, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::io(path, e))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
            text.into_owned()
        }
    })
}

/// The non-blank lines of `text` with their 1-based line numbers, split on `|`.
fn pipe_lines(text: &str) -> impl Iterator<Item = (u64, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i as u64 + 1, line.split('|').map(str::trim).collect()))
}

fn field_error(path: &Path, line: u64, column: &str, kind: ErrorKind) -> ImportError {
    ImportError::new(path, kind).at_line(line).in_column(column)
}

fn check_fields(
    path: &Path,
    line: u64,
    fields: &[&str],
    expected: usize,
    what: &'static str,
) -> Result<(), ImportError> {
    if fields.len() == expected {
        Ok(())
    } else {
        Err(ImportError::new(path, ErrorKind::FieldCount { expected, found: fields.len(), what })
            .at_line(line))
    }
}

fn read_genres(path: &Path) -> Result<Vec<String>, ImportError> {
    let text = read_legacy_text(path)?;
    let mut genres = Vec::new();
    for (line, fields) in pipe_lines(&text) {
        check_fields(path, line, &fields, 2, "genre|index")?;
        let (name, index) = (fields[0], fields[1]);
        if index.parse::<usize>().ok() != Some(genres.len()) {
            let expected = "the next genre index (0, 1, 2… in order)";
            return Err(field_error(
                path,
                line,
                "index",
                ErrorKind::InvalidValue { expected, found: snippet(index) },
            ));
        }
        if name.is_empty() {
            return Err(field_error(path, line, "genre", ErrorKind::EmptyField));
        }
        genres.push(name.to_owned());
    }
    if genres.is_empty() {
        return Err(ImportError::new(path, ErrorKind::EmptyFile { expected: "genre|index lines" })
            .at_line(1));
    }
    Ok(genres)
}

fn read_u_item(path: &Path, genres: &[String], builder: &mut Builder) -> Result<(), ImportError> {
    let text = read_legacy_text(path)?;
    let expected = U_ITEM_COLUMNS.len() + genres.len();
    for (line, fields) in pipe_lines(&text) {
        check_fields(path, line, &fields, expected, "5 movie fields and one flag per genre")?;
        let id = fields[0];
        if id.parse::<u32>().is_err() {
            let kind =
                ErrorKind::InvalidValue { expected: "a numeric movie id", found: snippet(id) };
            return Err(field_error(path, line, U_ITEM_COLUMNS[0], kind));
        }
        let (title, title_year) = split_title_year(fields[1]);
        if title.is_empty() {
            return Err(field_error(path, line, U_ITEM_COLUMNS[1], ErrorKind::EmptyField));
        }
        let release_year =
            fields[2].get(fields[2].len().saturating_sub(4)..).and_then(|y| y.parse().ok());
        let mut item_genres = Vec::new();
        for (flag, genre) in fields[U_ITEM_COLUMNS.len()..].iter().zip(genres) {
            match *flag {
                "0" => {}
                "1" if genre.eq_ignore_ascii_case("unknown") => {}
                "1" => item_genres.push(genre.clone()),
                other => {
                    let kind = ErrorKind::InvalidValue {
                        expected: "a genre flag 0 or 1",
                        found: snippet(other),
                    };
                    return Err(field_error(path, line, genre, kind));
                }
            }
        }
        let metadata = [
            ("release_date", fields[2]),
            ("video_release_date", fields[3]),
            ("imdb_url", fields[4]),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let item = film(id, title, title_year.or(release_year), item_genres, metadata);
        builder.add_item(item, line).map_err(|d| {
            field_error(
                path,
                line,
                U_ITEM_COLUMNS[0],
                ErrorKind::DuplicateItem { id: id.to_owned(), first_line: d.first_line },
            )
        })?;
    }
    if builder.item_count() == 0 {
        return Err(ImportError::new(
            path,
            ErrorKind::EmptyFile { expected: "|-separated movie lines" },
        )
        .at_line(1));
    }
    Ok(())
}

fn read_u_user(path: &Path, builder: &mut Builder) -> Result<(), ImportError> {
    let text = read_legacy_text(path)?;
    for (line, fields) in pipe_lines(&text) {
        check_fields(
            path,
            line,
            &fields,
            U_USER_COLUMNS.len(),
            "user id|age|gender|occupation|zip code",
        )?;
        let id = fields[0];
        if id.is_empty() {
            return Err(field_error(path, line, U_USER_COLUMNS[0], ErrorKind::EmptyField));
        }
        let metadata = ["age", "gender", "occupation", "zip_code"]
            .into_iter()
            .zip(&fields[1..])
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), (*v).to_owned()))
            .collect();
        builder.set_user_metadata(id, metadata, line).map_err(|d| {
            field_error(
                path,
                line,
                U_USER_COLUMNS[0],
                ErrorKind::DuplicateUser { id: id.to_owned(), first_line: d.first_line },
            )
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_split_off_titles() {
        assert_eq!(split_title_year("Toy Story (1995)"), ("Toy Story", Some(1995)));
        assert_eq!(
            split_title_year("From Dusk Till Dawn 2 (1999) "),
            ("From Dusk Till Dawn 2", Some(1999))
        );
        assert_eq!(
            split_title_year("Death Note: Desu nôto (2006–2007)"),
            ("Death Note: Desu nôto", Some(2006))
        );
        assert_eq!(
            split_title_year("Assembly (Ji jie hao) (2007)"),
            ("Assembly (Ji jie hao)", Some(2007))
        );
        assert_eq!(split_title_year("Cosmos"), ("Cosmos", None));
        assert_eq!(split_title_year("Babylon 5"), ("Babylon 5", None));
        assert_eq!(
            split_title_year("City of Lost Children, The (Cité des enfants perdus, La)"),
            ("City of Lost Children, The (Cité des enfants perdus, La)", None)
        );
        assert_eq!(split_title_year("(1995)"), ("(1995)", None));
        assert_eq!(split_title_year("1984 (1984)"), ("1984", Some(1984)));
    }
}
