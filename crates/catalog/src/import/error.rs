//! What can go wrong in an import: [`ImportError`] (where) and [`ErrorKind`] (what).
//!
//! Every error names the file; errors about a row also name its physical line (1-based, the
//! header is line 1) and, where one field is at fault, the column by its header name. The
//! `Display` form reads like a compiler diagnostic:
//!
//! ```text
//! ratings.csv:17: column `timestamp`: expected an integer number of seconds, found "abc"
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// Why an import failed: which file, which line and column, and what was wrong.
///
/// Nothing is half-loaded: an import that returns this error returns no dataset at all.
#[derive(Debug)]
pub struct ImportError {
    /// The file (or folder, for layout problems) at fault, as given to [`super::load`] plus the
    /// file name inside the folder.
    pub file: PathBuf,
    /// Physical line, 1-based; the header is line 1. `None` for problems with a whole file.
    pub line: Option<u64>,
    /// The header name of the column at fault, as spelled in the file (or the documented field
    /// name for files without a header, such as ml-100k's `u.data`).
    pub column: Option<String>,
    /// What went wrong. Match on this, never on the message text.
    pub kind: ErrorKind,
}

impl ImportError {
    /// An error about a whole file.
    pub fn new(file: impl Into<PathBuf>, kind: ErrorKind) -> Self {
        ImportError { file: file.into(), line: None, column: None, kind }
    }

    /// The same error, at `line`.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same error, in `column`.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// An I/O error while reading `file`.
    pub(crate) fn io(file: &Path, source: std::io::Error) -> Self {
        ImportError::new(file, ErrorKind::Io(source))
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(column) = &self.column {
            write!(f, "column `{column}`: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// What went wrong in an import. The `Display` text is the part after `file:line: column: `.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file or folder could not be opened or read (missing path, permissions, disk error).
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    /// A required file is not in the folder. The text says which files were expected.
    #[error("{expected}")]
    MissingFile { expected: String },
    /// Several files in a Personalize folder could play the same role.
    #[error("several files could be the {role} file: {}; keep one or name it {role}.csv", .candidates.join(", "))]
    AmbiguousFile { role: &'static str, candidates: Vec<String> },
    /// The file has 0 bytes (or only blank lines) where a header or data was expected.
    #[error("the file is empty; expected {expected}")]
    EmptyFile { expected: &'static str },
    /// The header has none of the columns the format needs (wrong file, or no header line).
    #[error(
        "unrecognised header `{found}`; expected {expected} (names are case-insensitive; the first line must be the header)"
    )]
    UnrecognizedHeader { expected: &'static str, found: String },
    /// A required column is missing from an otherwise recognisable header.
    #[error("required column is missing; the header has {found}")]
    MissingColumn { found: String },
    /// Two header fields have the same name (ignoring case).
    #[error("appears more than once in the header (fields {first} and {second})")]
    DuplicateColumn { first: usize, second: usize },
    /// A row has more or fewer fields than the header (or than the format defines).
    #[error("expected {expected} fields ({what}), found {found}")]
    FieldCount { expected: usize, found: usize, what: &'static str },
    /// A field of a file that must be UTF-8 is not.
    #[error(
        "not valid UTF-8 (byte 0x{byte:02X} at offset {offset} of the field); re-save the file as UTF-8"
    )]
    InvalidUtf8 { byte: u8, offset: usize },
    /// A required field is blank.
    #[error("must not be empty")]
    EmptyField,
    /// A timestamp is not an integer number of seconds since the Unix epoch.
    #[error("expected an integer number of seconds, found {found:?}")]
    InvalidTimestamp { found: String },
    /// A field does not parse as what its column holds (a rating, an event value, a year, an id,
    /// a genre flag…).
    #[error("expected {expected}, found {found:?}")]
    InvalidValue { expected: &'static str, found: String },
    /// Two item rows share an id.
    #[error("duplicate item id {id:?} (first on line {first_line})")]
    DuplicateItem { id: String, first_line: u64 },
    /// Two user rows share an id.
    #[error("duplicate user id {id:?} (first on line {first_line})")]
    DuplicateUser { id: String, first_line: u64 },
    /// Under `strict`, an interaction (tag, link) names an item the items file does not have.
    #[error("item {id:?} is not in {items_file} (strict import)")]
    UnknownItem { id: String, items_file: String },
    /// The interaction log is empty: no data rows, or every row was dropped.
    #[error("{}", no_interactions(*.dropped))]
    NoInteractions { dropped: u64 },
    /// More distinct event types than an interaction can index.
    #[error("more than {} distinct event types", u16::MAX)]
    TooManyEventTypes,
    /// Any other malformed CSV the reader reports.
    #[error("malformed CSV: {0}")]
    Csv(String),
}

impl ErrorKind {
    /// A stable snake_case code for the IPC/HTTP edge (`{ code, message }`), so a UI can tell
    /// errors apart without parsing messages.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Io(_) => "io",
            ErrorKind::MissingFile { .. } => "missing_file",
            ErrorKind::AmbiguousFile { .. } => "ambiguous_file",
            ErrorKind::EmptyFile { .. } => "empty_file",
            ErrorKind::UnrecognizedHeader { .. } => "unrecognized_header",
            ErrorKind::MissingColumn { .. } => "missing_column",
            ErrorKind::DuplicateColumn { .. } => "duplicate_column",
            ErrorKind::FieldCount { .. } => "field_count",
            ErrorKind::InvalidUtf8 { .. } => "invalid_utf8",
            ErrorKind::EmptyField => "empty_field",
            ErrorKind::InvalidTimestamp { .. } => "invalid_timestamp",
            ErrorKind::InvalidValue { .. } => "invalid_value",
            ErrorKind::DuplicateItem { .. } => "duplicate_item",
            ErrorKind::DuplicateUser { .. } => "duplicate_user",
            ErrorKind::UnknownItem { .. } => "unknown_item",
            ErrorKind::NoInteractions { .. } => "no_interactions",
            ErrorKind::TooManyEventTypes => "too_many_event_types",
            ErrorKind::Csv(_) => "malformed_csv",
        }
    }
}

fn no_interactions(dropped: u64) -> String {
    if dropped == 0 {
        "no interactions: the file has no data rows".to_owned()
    } else {
        format!("no interactions left: all {dropped} rows name unknown items")
    }
}

/// The start of a field for error messages: long values are cut at 60 characters.
pub(crate) fn snippet(value: &str) -> String {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_owned(),
    }
}
