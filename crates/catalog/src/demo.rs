//! The embedded demo catalog: a fictional European free-TV streaming service.
//!
//! STUB — being written (helper A). Contract:
//! - [`demo_items`]: ≥ 1,500 items, deterministic.
//! - [`demo_dataset`]: items plus ≥ 200,000 simulated events by ≥ 10,000 viewers.
//! - [`poster_svg`]: the generated poster of an item.

use screening_core::{Dataset, Item};

/// The demo catalog's items, in id order.
pub fn demo_items() -> Vec<Item> {
    Vec::new()
}

/// The demo catalog with its simulated interaction log.
pub fn demo_dataset() -> Dataset {
    Dataset::new(demo_items()).expect("demo item ids are unique")
}

/// An SVG poster for `item`, drawn from its id, title and content type.
pub fn poster_svg(item: &Item) -> String {
    format!("<svg xmlns='http://www.w3.org/2000/svg'><text>{}</text></svg>", item.title)
}
