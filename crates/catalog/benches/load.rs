//! Load times, each beside a reference measured in the same run.
//!
//! - `load/demo_items` (reference: the catalog alone) and `load/demo_dataset` (catalog +
//!   simulated log). Target: `demo_dataset` under 1 s in release.
//! - `load/movielens_small` (the importer) and `load/movielens_small_csv_reference` (plain
//!   `csv::Reader` into tuples, no validation, no interning), when ml-latest-small is present:
//!   `$SCREENING_ML_SMALL`, else `../../../shared/datasets/ml-latest-small` from this crate.
//!
//! Run: `cargo bench -p screening-catalog --bench load` (about half a minute).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use screening_catalog::demo::{demo_dataset, demo_items};
use screening_catalog::import::{self, Format, ImportOptions};

/// `(userId, movieId, rating, timestamp)`.
type Rating = (String, String, f32, i64);
/// `(movieId, title, genres)`.
type Movie = (String, String, String);

/// The least a MovieLens load can do: parse both files into owned tuples.
fn csv_reference(dir: &Path) -> (Vec<Rating>, Vec<Movie>) {
    let mut ratings = Vec::new();
    let mut reader = csv::Reader::from_path(dir.join("ratings.csv")).expect("open ratings.csv");
    for record in reader.records() {
        let r = record.expect("ratings.csv record");
        ratings.push((
            r[0].to_owned(),
            r[1].to_owned(),
            r[2].parse().unwrap_or(0.0),
            r[3].parse().unwrap_or(0),
        ));
    }
    let mut movies = Vec::new();
    let mut reader = csv::Reader::from_path(dir.join("movies.csv")).expect("open movies.csv");
    for record in reader.records() {
        let r = record.expect("movies.csv record");
        movies.push((r[0].to_owned(), r[1].to_owned(), r[2].to_owned()));
    }
    (ratings, movies)
}

fn load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    group.bench_function("demo_items", |b| b.iter(|| black_box(demo_items())));
    group.bench_function("demo_dataset", |b| b.iter(|| black_box(demo_dataset())));

    if let Some(dir) = screening_catalog::samples::ml_latest_small() {
        group.bench_function("movielens_small_csv_reference", |b| {
            b.iter(|| black_box(csv_reference(&dir)))
        });
        let options = ImportOptions::default();
        // Probe once so an importer that is not there yet skips with a note instead of
        // aborting the whole run.
        match import::load(&dir, Format::Movielens, &options) {
            Ok(_) => {
                group.bench_function("movielens_small", |b| {
                    b.iter(|| {
                        black_box(
                            import::load(&dir, Format::Movielens, &options)
                                .expect("MovieLens import"),
                        )
                    })
                });
            }
            Err(e) => eprintln!("note: skipping load/movielens_small: the importer failed: {e}"),
        }
    } else {
        eprintln!(
            "note: skipping the MovieLens benches: ml-latest-small not found (set SCREENING_ML_SMALL)"
        );
    }
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
