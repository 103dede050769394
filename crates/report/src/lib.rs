//! Exports of a review session, as text (callers write the files):
//!
//! - the report: [`json`], [`summary_csv`], [`markdown`] (pastes into a wiki), [`html`] (one
//!   self-contained file with inline SVG charts, no network);
//! - the raw judgements: JSON Lines ([`screening_core::report::events::to_jsonl`]) and
//!   [`judgements_csv`], which is RFC 4180 quoted and formula-injection safe ([`safe_cell`]);
//! - [`battles_jsonl`]: every preference as pairwise battles, so the ranking can be recomputed
//!   with other tools.

mod battles;
mod csv_out;
mod html;
mod markdown;

pub use battles::battles_jsonl;
pub use csv_out::{judgements_csv, safe_cell, summary_csv};
pub use html::html;
/// The pieces of [`html`] for a page that embeds the report: its body, style sheet and escaping.
pub use html::{STYLE as HTML_STYLE, escape as html_escape, fragment as html_fragment};
pub use markdown::markdown;

use screening_core::report::Report;

/// What the report is about, for titles and footers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The session's name.
    pub title: String,
    /// The dataset its lists came from, when known.
    pub dataset: Option<String>,
    /// When the report was made (Unix ms).
    pub generated_at_ms: i64,
    /// Where the judgements came from, e.g. a database path or a JSON Lines file.
    pub source: String,
}

/// The report as pretty JSON (the shape `screening report --format json` prints).
pub fn json(report: &Report) -> String {
    // Plain data always serialises.
    serde_json::to_string_pretty(report).unwrap_or_default() + "\n"
}

/// A number for people: `3.46`, or `–` when there is none.
pub fn number(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "–".to_owned(), |v| format!("{v:.decimals$}"))
}

/// `[lo, hi]` as `2.91–3.62`, or `–`.
pub fn interval(ci: Option<[f64; 2]>, decimals: usize) -> String {
    ci.map_or_else(|| "–".to_owned(), |[lo, hi]| format!("{lo:.decimals$}–{hi:.decimals$}"))
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM UTC`, as the reports write times.
pub fn utc_minute(ms: i64) -> String {
    markdown::utc_minute(ms)
}
