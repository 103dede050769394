//! Streaming CSV reading shared by the importers: [`CsvSource`] and [`Row`].
//!
//! Files are read record by record as raw bytes (`csv::ByteRecord`, with the csv crate's own
//! 64 KiB buffer over the file — nothing is slurped into memory). This module owns everything
//! that is the same for every format:
//!
//! - the header: names trimmed, matched case-insensitively, duplicates rejected, a UTF-8 BOM
//!   skipped; an empty file is an error;
//! - physical line numbers (the header is line 1; a quoted field spanning lines counts them all);
//! - the field count of every row, which must equal the header's;
//! - field access that checks UTF-8 only for the fields actually read, trims surrounding
//!   whitespace, and turns blank required fields, bad timestamps and bad numbers into
//!   [`ImportError`]s that name the file, line and column.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use csv::ByteRecord;

use super::error::snippet;
use super::progress::{self, Progress};
use super::{ErrorKind, ImportError};

/// Where a file's column names come from.
pub(crate) enum Header {
    /// The first line is a header.
    Line,
    /// The file has no header; these are its columns, in order (used in error messages).
    Given(&'static [&'static str]),
}

/// How a file is laid out.
pub(crate) struct Dialect {
    pub(crate) delimiter: u8,
    /// Whether `"` quotes fields (off for ml-100k's tab-separated `u.data`).
    pub(crate) quoting: bool,
    pub(crate) header: Header,
}

impl Dialect {
    /// Comma-separated, quoted, with a header line: every CSV file of the formats we read.
    pub(crate) const CSV: Dialect =
        Dialect { delimiter: b',', quoting: true, header: Header::Line };
}

/// One CSV file being streamed.
pub(crate) struct CsvSource {
    path: PathBuf,
    reader: csv::Reader<Box<dyn Read>>,
    names: Vec<String>,
    header_line: Option<u64>,
    record: ByteRecord,
    _progress: Progress,
}

impl CsvSource {
    /// Opens `path` and, for [`Header::Line`], reads its header.
    pub(crate) fn open(
        path: &Path,
        dialect: &Dialect,
        options: &super::ImportOptions,
    ) -> Result<Self, ImportError> {
        let (input, progress) = progress::open(path, options)?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(dialect.delimiter)
            .quoting(dialect.quoting)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(64 * 1024)
            .from_reader(input);
        let mut source = CsvSource {
            path: path.to_path_buf(),
            reader,
            names: Vec::new(),
            header_line: None,
            record: ByteRecord::new(),
            _progress: progress,
        };
        match dialect.header {
            Header::Given(names) => source.names = names.iter().map(|n| (*n).to_owned()).collect(),
            Header::Line => source.read_header()?,
        }
        Ok(source)
    }

    fn read_header(&mut self) -> Result<(), ImportError> {
        if !self.read_record()? {
            return Err(ImportError::new(
                &self.path,
                ErrorKind::EmptyFile { expected: "a header line" },
            )
            .at_line(1));
        }
        let line = record_line(&self.record);
        self.header_line = Some(line);
        let mut names: Vec<String> = Vec::with_capacity(self.record.len());
        for (i, raw) in self.record.iter().enumerate() {
            let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw);
            let name = std::str::from_utf8(raw)
                .map_err(|e| utf8_error(&self.path, line, &format!("column {}", i + 1), raw, &e))?
                .trim();
            let name = if name.is_empty() { format!("column {}", i + 1) } else { name.to_owned() };
            if let Some(first) = names.iter().position(|n| n.eq_ignore_ascii_case(&name)) {
                return Err(ImportError::new(
                    &self.path,
                    ErrorKind::DuplicateColumn { first: first + 1, second: i + 1 },
                )
                .at_line(line)
                .in_column(name));
            }
            names.push(name);
        }
        self.names = names;
        Ok(())
    }

    /// The column names, as spelled in the header.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The index of the first column named like one of `aliases` (ignoring case).
    pub(crate) fn find(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| self.names.iter().position(|n| n.eq_ignore_ascii_case(a)))
    }

    /// The indices of `required` columns (each a list of aliases; the first is the name used in
    /// messages). A header with none of them is [`ErrorKind::UnrecognizedHeader`] (`expected`
    /// describes the whole header); one with some of them misses the others
    /// ([`ErrorKind::MissingColumn`]).
    pub(crate) fn require(
        &self,
        required: &[&[&str]],
        expected: &'static str,
    ) -> Result<Vec<usize>, ImportError> {
        let found: Vec<Option<usize>> = required.iter().map(|aliases| self.find(aliases)).collect();
        if found.iter().all(Option::is_none) {
            let kind =
                ErrorKind::UnrecognizedHeader { expected, found: snippet(&self.names.join(",")) };
            return Err(self.header_error(kind));
        }
        let mut indices = Vec::with_capacity(found.len());
        for (aliases, index) in required.iter().zip(found) {
            match index {
                Some(i) => indices.push(i),
                None => {
                    let kind = ErrorKind::MissingColumn { found: snippet(&self.names.join(", ")) };
                    return Err(self
                        .header_error(kind)
                        .in_column(aliases.first().copied().unwrap_or("?")));
                }
            }
        }
        Ok(indices)
    }

    /// An error about the header line.
    pub(crate) fn header_error(&self, kind: ErrorKind) -> ImportError {
        let err = ImportError::new(&self.path, kind);
        match self.header_line {
            Some(line) => err.at_line(line),
            None => err,
        }
    }

    /// The line of the header (1 unless blank lines precede it); `None` without a header.
    pub(crate) fn header_line(&self) -> Option<u64> {
        self.header_line
    }

    /// The next data row, or `None` at the end of the file. A row whose field count differs
    /// from the header's is an error.
    pub(crate) fn next_row(&mut self) -> Result<Option<Row<'_>>, ImportError> {
        if !self.read_record()? {
            return Ok(None);
        }
        let line = record_line(&self.record);
        if self.record.len() != self.names.len() {
            let what =
                if self.header_line.is_some() { "as many as the header" } else { "tab-separated" };
            let kind = ErrorKind::FieldCount {
                expected: self.names.len(),
                found: self.record.len(),
                what,
            };
            return Err(ImportError::new(&self.path, kind).at_line(line));
        }
        Ok(Some(Row { path: &self.path, names: &self.names, record: &self.record, line }))
    }

    fn read_record(&mut self) -> Result<bool, ImportError> {
        self.reader.read_byte_record(&mut self.record).map_err(|e| {
            let line = e.position().map(csv::Position::line);
            let err = match e.into_kind() {
                csv::ErrorKind::Io(io) => ImportError::io(&self.path, io),
                other => ImportError::new(&self.path, ErrorKind::Csv(format!("{other:?}"))),
            };
            match line {
                Some(line) => err.at_line(line),
                None => err,
            }
        })
    }
}

fn record_line(record: &ByteRecord) -> u64 {
    record.position().map_or(0, csv::Position::line)
}

fn utf8_error(
    path: &Path,
    line: u64,
    column: &str,
    raw: &[u8],
    e: &std::str::Utf8Error,
) -> ImportError {
    let offset = e.valid_up_to();
    let byte = raw.get(offset).copied().unwrap_or(0);
    ImportError::new(path, ErrorKind::InvalidUtf8 { byte, offset }).at_line(line).in_column(column)
}

/// One data row of a [`CsvSource`]. Column indices come from [`CsvSource::find`] and
/// [`CsvSource::require`], so they are always in range.
pub(crate) struct Row<'a> {
    path: &'a Path,
    names: &'a [String],
    record: &'a ByteRecord,
    /// Physical line (1-based) where the row starts.
    pub(crate) line: u64,
}

impl<'a> Row<'a> {
    /// An error about field `col` of this row.
    pub(crate) fn error(&self, col: usize, kind: ErrorKind) -> ImportError {
        let name = self.names.get(col).map_or("?", String::as_str);
        ImportError::new(self.path, kind).at_line(self.line).in_column(name)
    }

    /// Field `col`, trimmed; it must be UTF-8.
    pub(crate) fn str(&self, col: usize) -> Result<&'a str, ImportError> {
        let raw = self.record.get(col).unwrap_or_default();
        match std::str::from_utf8(raw) {
            Ok(s) => Ok(s.trim()),
            Err(e) => {
                let name = self.names.get(col).map_or("?", String::as_str);
                Err(utf8_error(self.path, self.line, name, raw, &e))
            }
        }
    }

    /// Field `col`, trimmed; blank is [`ErrorKind::EmptyField`].
    pub(crate) fn required(&self, col: usize) -> Result<&'a str, ImportError> {
        let s = self.str(col)?;
        if s.is_empty() { Err(self.error(col, ErrorKind::EmptyField)) } else { Ok(s) }
    }

    /// Field `col` if the column exists and the field is not blank.
    pub(crate) fn optional(&self, col: Option<usize>) -> Result<Option<&'a str>, ImportError> {
        match col {
            None => Ok(None),
            Some(col) => self.str(col).map(|s| (!s.is_empty()).then_some(s)),
        }
    }

    /// Field `col` as seconds since the Unix epoch (an integer; required).
    pub(crate) fn timestamp(&self, col: usize) -> Result<i64, ImportError> {
        let s = self.required(col)?;
        s.parse().map_err(|_| self.error(col, ErrorKind::InvalidTimestamp { found: snippet(s) }))
    }

    /// Field `col` parsed as `T` (required); `expected` says what it should be.
    pub(crate) fn parse<T: FromStr>(
        &self,
        col: usize,
        expected: &'static str,
    ) -> Result<T, ImportError> {
        let s = self.required(col)?;
        s.parse()
            .map_err(|_| self.error(col, ErrorKind::InvalidValue { expected, found: snippet(s) }))
    }

    /// Field `col` as a finite number, `None` if blank.
    pub(crate) fn number(
        &self,
        col: usize,
        expected: &'static str,
    ) -> Result<Option<f32>, ImportError> {
        let s = self.str(col)?;
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<f32>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(col, ErrorKind::InvalidValue { expected, found: snippet(s) })),
        }
    }

    /// The fields that are not in `used`, by column name, skipping blank ones: an item's or
    /// user's metadata.
    pub(crate) fn metadata(
        &self,
        used: &[usize],
    ) -> Result<std::collections::BTreeMap<String, String>, ImportError> {
        let mut metadata = std::collections::BTreeMap::new();
        for (col, name) in self.names.iter().enumerate() {
            if used.contains(&col) {
                continue;
            }
            let value = self.str(col)?;
            if !value.is_empty() {
                metadata.insert(name.clone(), value.to_owned());
            }
        }
        Ok(metadata)
    }
}
