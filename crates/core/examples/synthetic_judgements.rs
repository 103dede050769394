//! Writes a synthetic session as a judgement export (JSON Lines), for `make bench` and load
//! checks of `screening report --judgements`:
//!
//! `cargo run --release -p screening-core --example synthetic_judgements -- OUT.jsonl [personas reviewers candidates criteria]`

use screening_core::report::events::to_jsonl;
use screening_core::report::synthetic::{self, Shape};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: synthetic_judgements OUT.jsonl [personas reviewers candidates criteria]");
        std::process::exit(2);
    };
    let n = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let shape =
        Shape { personas: n(1, 100), reviewers: n(2, 50), candidates: n(3, 4), criteria: n(4, 50) };
    let events = synthetic::session(shape, 7);
    if let Err(e) = std::fs::write(out, to_jsonl(&events)) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!("{} events written to {out}", events.len());
}
