//! Tests of the exports.

mod csv;
mod render;
