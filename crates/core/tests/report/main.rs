//! Tests of the report: statistics against reference fixtures, the event format, the report.

mod events;
mod fixtures;
mod report;
