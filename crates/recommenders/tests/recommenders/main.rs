//! screening-recommenders from the outside: every model on the demo catalog, and the real
//! ml-latest-small when it is present.

mod models;
mod real_data;
