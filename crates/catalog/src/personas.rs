//! The built-in sample personas over the demo catalog.
//!
//! Six typical viewers an editorial team reviews lists for. Their histories are picked
//! deterministically from [`crate::demo::demo_items`]: for each niche in the persona's recipe, a
//! few shows drawn by popularity (a seeded draw, so mostly well-known titles with the odd
//! discovery), watched in a shuffled order over the last six weeks of the demo period, one or
//! two titles per evening; series are binged for a few episodes, so the same show appears
//! several times in a row, just as in the simulated log. The "New viewer" has no history at
//! all (the cold-start case).

use std::collections::BTreeMap;

use screening_core::{HistoryEntry, Persona};

use crate::demo::rng::{Cdf, Rng, fnv1a};
use crate::demo::words::Shape;
use crate::demo::{DemoCatalog, WINDOW_END, WINDOW_START, catalog, niche_index};

struct Spec {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    tags: &'static [&'static str],
    /// Niche key → number of distinct shows.
    recipe: &'static [(&'static str, usize)],
    /// Local hour at which the evening starts.
    hour: i64,
    /// Most episodes of a series watched in one go.
    binge: u32,
}

const SPECS: &[Spec] = &[
    Spec {
        id: "reality-fan",
        name: "Reality TV fan",
        description: "Watches dating and competition formats in the evening and follows the docu-soaps \
                      everyone talks about the next day. Expects fresh episodes of the shows they follow, \
                      not documentaries.",
        tags: &["reality", "dating", "competition", "evening"],
        recipe: &[
            ("dating", 5),
            ("docu-soap", 4),
            ("reality-competition", 3),
            ("renovation", 2),
            ("daytime", 1),
        ],
        hour: 20,
        binge: 3,
    },
    Spec {
        id: "documentary-viewer",
        name: "Documentary viewer",
        description: "Curious and selective: nature and history series, the occasional science or \
                      society documentary and an investigative magazine. Little patience for reality TV.",
        tags: &["documentary", "nature", "history", "curious"],
        recipe: &[
            ("nature", 4),
            ("history", 4),
            ("science", 2),
            ("society", 2),
            ("travel", 2),
            ("investigative", 1),
        ],
        hour: 21,
        binge: 2,
    },
    Spec {
        id: "kids-family",
        name: "Kids & family",
        description: "A household with young children: cartoons and preschool shows in the morning and \
                      after school, a family film at the weekend. Everything recommended must be fine for \
                      a six-year-old.",
        tags: &["kids", "family", "animation", "age-6"],
        recipe: &[
            ("animation", 4),
            ("preschool", 3),
            ("kids-adventure", 2),
            ("film-family", 3),
            ("baking", 1),
        ],
        hour: 16,
        binge: 4,
    },
    Spec {
        id: "true-crime-binger",
        name: "True-crime binger",
        description: "Binges crime series and true-crime documentaries late into the night, several \
                      episodes at a time, with a dark thriller in between.",
        tags: &["crime", "true crime", "binge", "late-night"],
        recipe: &[
            ("true-crime", 5),
            ("crime-series", 5),
            ("film-thriller", 2),
            ("investigative", 1),
        ],
        hour: 21,
        binge: 4,
    },
    Spec {
        id: "sports-fan",
        name: "Sports fan",
        description: "Watches live football and cycling, motorsport and tennis when it is on, and the \
                      odd panel show. Cares about what is live or recent, not about series.",
        tags: &["sport", "football", "cycling", "live"],
        recipe: &[
            ("football", 5),
            ("cycling", 3),
            ("motorsport", 2),
            ("tennis", 1),
            ("winter-sports", 1),
            ("panel", 1),
        ],
        hour: 15,
        binge: 1,
    },
    Spec {
        id: "new-viewer",
        name: "New viewer",
        description: "Just signed up and has watched nothing yet: what does the service show a stranger?",
        tags: &["cold-start"],
        recipe: &[],
        hour: 20,
        binge: 1,
    },
];

/// Most history entries a persona gets.
const MAX_HISTORY: usize = 30;

/// Reality TV fan, Documentary viewer, Kids & family, True-crime binger, Sports fan, New viewer.
pub fn sample_personas() -> Vec<Persona> {
    personas_of(&catalog())
}

/// The sample personas over an already generated catalog.
pub(crate) fn personas_of(cat: &DemoCatalog) -> Vec<Persona> {
    SPECS.iter().map(|spec| persona(cat, spec)).collect()
}

fn persona(cat: &DemoCatalog, spec: &Spec) -> Persona {
    let mut rng = Rng::new(fnv1a(spec.id));
    let mut picks: Vec<u32> = Vec::new();
    for &(key, count) in spec.recipe {
        let ni = niche_index(key).expect("persona recipes name known niches");
        let cdf = Cdf::new(
            (0..cat.items.len() as u32)
                .filter(|&i| usize::from(cat.niche[i as usize]) == ni)
                .map(|i| (i, cat.pop[i as usize])),
        );
        let before = picks.len();
        while picks.len() - before < count {
            let i = cdf.sample(&mut rng);
            if !picks.contains(&i) {
                picks.push(i);
            }
        }
    }
    rng.shuffle(&mut picks);

    // Start six weeks before the end of the period, in the persona's usual hour (local time).
    const DAY: i64 = 86_400;
    let mut day = (WINDOW_END - WINDOW_START) / DAY - 42;
    let mut history = Vec::new();
    let mut per_evening = 0;
    let mut t = 0;
    for &i in &picks {
        if per_evening == 0 {
            t = WINDOW_START + day * DAY + (spec.hour - 2) * 3_600 + rng.below(1_800) as i64;
        }
        let episodes = if cat.shape[i as usize] == Shape::Serial {
            1 + rng.below(spec.binge as usize) as u32
        } else {
            1
        };
        for _ in 0..episodes {
            history.push(HistoryEntry {
                item_id: cat.items[i as usize].id.clone(),
                timestamp: t,
                event_type: "watch".to_owned(),
            });
            t += i64::from(cat.minutes[i as usize]) * 60 + 60 + rng.below(300) as i64;
        }
        per_evening += 1;
        if per_evening == 2 || rng.chance(0.5) {
            per_evening = 0;
            day += 1 + rng.below(3) as i64;
        }
    }
    history.truncate(MAX_HISTORY);
    Persona {
        id: spec.id.to_owned(),
        name: spec.name.to_owned(),
        description: spec.description.to_owned(),
        tags: spec.tags.iter().map(|&t| t.to_owned()).collect(),
        history,
        external_user_ids: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use screening_core::{ContentType, Item};

    use super::*;
    use crate::demo::demo_items;

    fn items_by_id() -> HashMap<String, Item> {
        demo_items().into_iter().map(|i| (i.id.clone(), i)).collect()
    }

    fn share(p: &Persona, items: &HashMap<String, Item>, pred: impl Fn(&Item) -> bool) -> f64 {
        let hits = p.history.iter().filter(|h| pred(&items[&h.item_id])).count();
        hits as f64 / p.history.len() as f64
    }

    #[test]
    fn six_personas_in_order_with_names() {
        let ps = sample_personas();
        let got: Vec<(&str, &str)> = ps.iter().map(|p| (p.id.as_str(), p.name.as_str())).collect();
        assert_eq!(
            got,
            [
                ("reality-fan", "Reality TV fan"),
                ("documentary-viewer", "Documentary viewer"),
                ("kids-family", "Kids & family"),
                ("true-crime-binger", "True-crime binger"),
                ("sports-fan", "Sports fan"),
                ("new-viewer", "New viewer"),
            ]
        );
        for p in &ps {
            assert!(!p.description.is_empty() && !p.tags.is_empty(), "{}", p.id);
            assert!(p.external_user_ids.is_empty());
        }
    }

    #[test]
    fn histories_are_valid_and_new_viewer_is_empty() {
        let items = items_by_id();
        for p in sample_personas() {
            if p.id == "new-viewer" {
                assert!(p.history.is_empty());
                continue;
            }
            assert!((10..=30).contains(&p.history.len()), "{}: {}", p.id, p.history.len());
            for w in p.history.windows(2) {
                assert!(w[0].timestamp < w[1].timestamp, "{}: not ascending", p.id);
            }
            for h in &p.history {
                assert!(items.contains_key(&h.item_id), "{}: unknown item {}", p.id, h.item_id);
                assert!((WINDOW_START..WINDOW_END).contains(&h.timestamp), "{}", p.id);
                assert_eq!(h.event_type, "watch");
            }
            let distinct: std::collections::HashSet<_> =
                p.history.iter().map(|h| &h.item_id).collect();
            assert!(distinct.len() >= 8, "{}: only {} distinct titles", p.id, distinct.len());
        }
    }

    #[test]
    fn histories_fit_their_personas() {
        let items = items_by_id();
        let ps = sample_personas();
        let by_id = |id: &str| ps.iter().find(|p| p.id == id).unwrap();
        let ct = |c: ContentType| move |i: &Item| i.content_type == c;
        let has_genre = |g: &'static str| move |i: &Item| i.genres.iter().any(|x| x == g);

        assert!(share(by_id("reality-fan"), &items, ct(ContentType::Reality)) >= 0.8);
        assert!(share(by_id("documentary-viewer"), &items, ct(ContentType::Documentary)) >= 0.8);
        assert!(share(by_id("sports-fan"), &items, ct(ContentType::Sport)) >= 0.85);
        let kids = by_id("kids-family");
        assert!(share(kids, &items, ct(ContentType::Kids)) >= 0.6);
        assert_eq!(
            share(kids, &items, |i| matches!(i.age_rating.as_deref(), Some("0" | "6"))),
            1.0,
            "everything a family persona watched is rated 0 or 6"
        );
        let crime = by_id("true-crime-binger");
        let crimeish = |i: &Item| {
            has_genre("True crime")(i) || has_genre("Crime")(i) || has_genre("Thriller")(i)
        };
        assert!(share(crime, &items, crimeish) >= 0.8);
        // A binger watches several episodes of one show in a row.
        let repeats = crime.history.windows(2).filter(|w| w[0].item_id == w[1].item_id).count();
        assert!(repeats >= 3, "only {repeats} back-to-back episodes");
    }

    #[test]
    fn personas_are_deterministic() {
        assert_eq!(sample_personas(), sample_personas());
    }
}
