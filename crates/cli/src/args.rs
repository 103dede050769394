//! Command-line arguments (clap derive). Only parsing lives here.

use std::fmt;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use screening_catalog::import::Format;

/// Screening Room: editorial review of recommender systems.
///
/// Without --dataset, commands work on the embedded demo catalog of a fictional
/// free-TV streaming service and its six sample personas.
#[derive(Debug, Parser)]
#[command(name = "screening", version)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect a catalog and its interaction log.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// List the sample personas and how many titles each has watched.
    Personas {
        /// Print a JSON array of {id, name, description, tags, history} instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Count items, users, interactions, content types, genres and the time range.
    Info {
        #[command(flatten)]
        dataset: DatasetArgs,
        /// Print JSON (keys: items, users, interactions, content_types, genres,
        /// event_types, first_timestamp, last_timestamp).
        #[arg(long)]
        json: bool,
    },
}

/// Which dataset to load.
#[derive(Debug, clap::Args)]
pub struct DatasetArgs {
    /// A dataset folder (or a Personalize interactions CSV). Default: the demo catalog.
    #[arg(long, value_name = "PATH")]
    pub dataset: Option<PathBuf>,
    /// The dataset's layout. Default: movielens if the folder has ratings.csv or u.data,
    /// else personalize.
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Treat irregularities that are only counted as warnings (such as interactions naming
    /// items missing from the items file) as errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The embedded demo catalog.
    Demo,
    /// Amazon Personalize dataset CSVs (interactions, items, users).
    Personalize,
    /// MovieLens ml-latest-small (ratings.csv, movies.csv) or ml-100k (u.data, u.item).
    Movielens,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Demo => Format::Demo,
            FormatArg::Personalize => Format::Personalize,
            FormatArg::Movielens => Format::Movielens,
        }
    }
}

impl fmt::Display for FormatArg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default();
        f.write_str(&name)
    }
}
