//! The embedded demo catalog: a fictional European free-TV streaming service.
//!
//! Nothing is stored: the catalog and its interaction log are generated at load time from
//! hand-written word lists ([`words`]) and a fixed-seed PRNG ([`rng`], SplitMix64), so every call,
//! on every machine, gives identical data. All programme names are invented.
//!
//! **Catalog** ([`demo_items`]): 1,825 programmes in 38 niches (content type + primary genre):
//! reality (dating, competition, renovation, docu-soap), documentaries (nature, history, society,
//! true crime, science, travel), news magazines, drama/crime/period/medical series and sitcoms,
//! films, kids (animation, preschool, adventure), cooking, sport broadcasts and talk shows. Ids
//! are `sr-00001`…, in a shuffled order that does not reveal the niche. Each item has 1-3
//! genres, a production year (1995-2026, skewed to recent), an age rating that fits the niche
//! (kids 0/6, true crime 16, thrillers 16/18…), a one-line description and a generated poster
//! ([`poster_svg`], embedded as a `data:` URL). Metadata keys: `format` (`series`, `film`,
//! `one-off`, `magazine`, `live`), `seasons` and `episodes` (series), `episode_minutes` or
//! `runtime_minutes`, `country`, and `franchise` (the root title, on a show and its spin-offs
//! such as "…: Reunion").
//!
//! **Items are shows, not episodes.** Watching a series produces one `watch` event per
//! episode on the show's item, so a *binge* is several events of the same user and item in one
//! evening (about one episode length apart), often continued on the following days. Magazines
//! (news, talk) are watched out of habit, week after week; films and sport broadcasts once.
//!
//! **Interaction log** ([`demo_dataset`]): see [`simulate`] for the viewer segments and
//! parameters. About 12,000 viewers (`u00001`…) and 250,000+ `watch` events between
//! 2026-03-01 and 2026-08-31 UTC, sorted by timestamp. `value` is always `None`.

mod poster;
pub(crate) mod rng;
mod simulate;
pub(crate) mod words;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use screening_core::{Dataset, Interaction, Item, Persona};

use rng::Rng;
use words::{NICHES, Shape};

/// First second of the simulated period: 2026-03-01T00:00:00Z.
pub const WINDOW_START: i64 = 1_772_323_200;
/// First second after the simulated period: 2026-09-01T00:00:00Z.
pub const WINDOW_END: i64 = 1_788_220_800;
/// Days in the simulated period.
pub(crate) const WINDOW_DAYS: u32 = 184;

const CATALOG_SEED: u64 = 0x5C2E_E41B_0A7A_1061;

/// The demo catalog's items, in id order.
pub fn demo_items() -> Vec<Item> {
    catalog().items
}

/// The demo catalog with its simulated interaction log (sorted by timestamp).
pub fn demo_dataset() -> Dataset {
    dataset_of(catalog())
}

/// The demo dataset and the sample personas over it, generating the catalog once (what the
/// app loads at start-up).
pub fn demo_with_personas() -> (Dataset, Vec<Persona>) {
    let cat = catalog();
    let personas = crate::personas::personas_of(&cat);
    (dataset_of(cat), personas)
}

fn dataset_of(cat: DemoCatalog) -> Dataset {
    let events = simulate::simulate(&cat);
    let users = simulate::USERS;
    let mut ds = Dataset::new(cat.items).expect("demo item ids are unique");
    let mut name = String::with_capacity(8);
    for u in 0..users {
        name.clear();
        let _ = write!(name, "u{:05}", u + 1);
        ds.intern_user(&name);
    }
    let watch = ds.intern_event_type("watch");
    ds.interactions.reserve_exact(events.len());
    for (timestamp, user, item) in events {
        ds.push(Interaction { user, item, timestamp, event_type: watch, value: None });
    }
    ds
}

/// An SVG poster for `item`, drawn from its id, title and content type (about 700 bytes).
/// Text is XML-escaped. The demo items carry it as a `data:image/svg+xml` URL in `image_url`.
pub fn poster_svg(item: &Item) -> String {
    poster::svg(item)
}

/// The catalog with the hidden facts the simulation and the personas need, by item index.
pub(crate) struct DemoCatalog {
    pub items: Vec<Item>,
    /// Index into [`NICHES`].
    pub niche: Vec<u16>,
    /// Zipf-like popularity weight (rank `r` → `1 / (r + 8)^1.05`).
    pub pop: Vec<f64>,
    /// Co-watch cluster: a handful of related shows in the same niche.
    pub cluster: Vec<u32>,
    /// Other items of the same franchise (a show and its spin-offs).
    pub siblings: Vec<Vec<u32>>,
    pub shape: Vec<Shape>,
    /// Episodes available (1 for films, one-offs and broadcasts).
    pub episodes: Vec<u32>,
    /// Minutes per episode (or runtime).
    pub minutes: Vec<u32>,
}

/// The index of the niche with this key.
pub(crate) fn niche_index(key: &str) -> Option<usize> {
    NICHES.iter().position(|n| n.key == key)
}

struct Draft {
    title: String,
    niche: usize,
    year: u16,
    genres: Vec<String>,
    rating: &'static str,
    description: String,
    metadata: BTreeMap<String, String>,
    shape: Shape,
    episodes: u32,
    minutes: u32,
    spin_off_of: Option<usize>,
    boost: f64,
    cluster: u32,
}

/// Fills `{slot}` templates; slots chosen once are reused (title and description agree).
struct Filler {
    chosen: Vec<(&'static str, &'static str)>,
    year: u16,
}

impl Filler {
    fn new(year: u16) -> Self {
        Filler { chosen: Vec::with_capacity(4), year }
    }

    fn word(&mut self, name: &'static str, rng: &mut Rng) -> &'static str {
        if let Some(&(_, w)) = self.chosen.iter().find(|(n, _)| *n == name) {
            return w;
        }
        // `x2` draws from the list of `x` and never repeats the value chosen for `x` (and back).
        let base = name.strip_suffix('2').unwrap_or(name);
        let avoid = self
            .chosen
            .iter()
            .find(|(n, _)| *n != name && n.strip_suffix('2').unwrap_or(n) == base)
            .map(|&(_, w)| w);
        let list = words::slot(base);
        assert!(!list.is_empty(), "unknown template slot {name:?}");
        let mut w = *rng.pick(list);
        while Some(w) == avoid && list.len() > 1 {
            w = *rng.pick(list);
        }
        self.chosen.push((name, w));
        w
    }

    fn fill(&mut self, template: &'static str, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(template.len() + 24);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("unclosed template slot");
            let spec = &rest[open + 1..close];
            let (name, mods) = spec.split_once('|').unwrap_or((spec, ""));
            let mut word =
                if name == "yr" { self.year.to_string() } else { self.word(name, rng).to_owned() };
            if mods.contains('l') {
                word = word.to_lowercase();
            }
            if mods.contains('a') || mods.contains('A') {
                let vowel = word.chars().next().is_some_and(|c| "aeiouAEIOU".contains(c));
                let article = match (mods.contains('A'), vowel) {
                    (false, false) => "a ",
                    (false, true) => "an ",
                    (true, false) => "A ",
                    (true, true) => "An ",
                };
                word.insert_str(0, article);
            }
            out.push_str(&word);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// A title template and the index of its fixed description (`"Airport {city}@3"`).
pub(crate) fn split_template(t: &'static str) -> (&'static str, Option<usize>) {
    match t.rsplit_once('@') {
        Some((tpl, k)) => (tpl, Some(k.parse().expect("description index after '@'"))),
        None => (t, None),
    }
}

/// The slot names a template uses, without modifiers.
pub(crate) fn slot_names(t: &'static str) -> impl Iterator<Item = &'static str> {
    t.split('{').skip(1).filter_map(|part| {
        let spec = part.split_once('}')?.0;
        Some(spec.split_once('|').map_or(spec, |(n, _)| n))
    })
}

fn spin_off_description(suffix: &str, base: &str) -> String {
    match suffix {
        ": Reunion" => format!(
            "The cast of {base} meet again to settle old scores in front of a studio audience."
        ),
        ": All Stars" => {
            format!("Favourites from past seasons of {base} return for one more shot at the prize.")
        }
        ": Unseen" => {
            format!("Never-before-seen footage and behind-the-scenes moments from {base}.")
        }
        ": The Aftermath" => format!(
            "What happened next? The contestants of {base} look back on the show that changed their lives."
        ),
        ": Origins" => format!("The prequel to {base}: how it all began."),
        ": The Next Chapter" => {
            format!("Years later, the story of {base} continues with a new generation.")
        }
        ": Christmas Special" => format!("A feature-length festive episode of {base}."),
        ": Holiday Special" => format!("A double-length holiday episode of {base}."),
        ": The Big Adventure" => {
            format!("The characters of {base} set off on their biggest adventure yet.")
        }
        ": Masters" => format!("The best cooks from {base} return to compete against each other."),
        ": Junior" => format!("Young cooks aged 9 to 14 take on the challenges of {base}."),
        ": Festive Special" => {
            format!("Seasonal recipes and a festive table from the team behind {base}.")
        }
        ": The Verdict" => {
            format!("The follow-up to {base}: the trial, the verdict and what came after.")
        }
        ": Revisited" => format!("Ten years on, {base} returns to the case with new witnesses."),
        _ => format!("More from the makers of {base}."),
    }
}

/// A production year in `lo..=hi`, skewed towards recent years.
fn draw_year(rng: &mut Rng, (lo, hi): (u16, u16)) -> u16 {
    let u = rng.f64();
    let back = (f64::from(hi - lo + 1) * u * u) as u16;
    hi - back.min(hi - lo)
}

fn new_draft(ni: usize, rng: &mut Rng, titles: &mut HashSet<String>) -> Draft {
    let niche = &NICHES[ni];
    let year = draw_year(rng, niche.years);
    let mut attempt = 0;
    let (title, mut filler, fixed) = loop {
        let mut filler = Filler::new(year);
        let picked = *rng.pick(niche.titles);
        let (template, fixed) = split_template(picked);
        let mut title = filler.fill(template, rng);
        if attempt >= 40 {
            // Still taken after many draws: qualify with a place, then with a number.
            title = format!("{title} ({})", rng.pick(words::slot("city")));
            if attempt >= 60 {
                title = format!("{title} {attempt}");
            }
        }
        if titles.insert(title.clone()) {
            break (title, filler, fixed);
        }
        attempt += 1;
    };
    let description = match fixed {
        Some(k) => niche.descriptions[k],
        None => {
            // The descriptions that share the most slots with the title.
            let scores: Vec<usize> = niche
                .descriptions
                .iter()
                .map(|d| slot_names(d).filter(|n| filler.chosen.iter().any(|c| c.0 == *n)).count())
                .collect();
            let best = scores.iter().copied().max().unwrap_or(0);
            let candidates: Vec<&'static str> = niche
                .descriptions
                .iter()
                .zip(&scores)
                .filter(|&(_, &sc)| sc == best)
                .map(|(d, _)| *d)
                .collect();
            *rng.pick(&candidates)
        }
    };
    let description = filler.fill(description, rng);
    let mut genres = vec![niche.genre.to_owned()];
    let n_extra = *rng.pick(&[0usize, 1, 1, 2]);
    for _ in 0..n_extra {
        let g = *rng.pick(niche.extra);
        if !genres.iter().any(|x| x == g) {
            genres.push(g.to_owned());
        }
    }
    let mut metadata = BTreeMap::new();
    metadata.insert("country".to_owned(), (*rng.pick(words::COUNTRIES)).to_owned());
    let mut shape = niche.shape;
    if shape == Shape::Mixed {
        shape = if rng.chance(0.6) { Shape::Serial } else { Shape::Single };
    }
    let mut minutes = niche.episode_minutes;
    let episodes = match shape {
        Shape::Serial => {
            let max_seasons = u32::from(2026 - year + 1).min(8);
            let seasons = rng.range(1, max_seasons);
            let per_season = if niche.content_type == screening_core::ContentType::Kids {
                *rng.pick(&[13, 26, 26, 52])
            } else if niche.shape == Shape::Mixed {
                rng.range(3, 8)
            } else {
                rng.range(6, 12)
            };
            metadata.insert("format".into(), "series".into());
            metadata.insert("seasons".into(), seasons.to_string());
            metadata.insert("episodes".into(), (seasons * per_season).to_string());
            metadata.insert("episode_minutes".into(), minutes.to_string());
            seasons * per_season
        }
        Shape::Magazine => {
            let n = u32::from(2026 - year + 1) * rng.range(30, 46);
            metadata.insert("format".into(), "magazine".into());
            metadata.insert("episodes".into(), n.to_string());
            metadata.insert("episode_minutes".into(), minutes.to_string());
            n
        }
        Shape::Single | Shape::Mixed => {
            if niche.shape == Shape::Mixed {
                minutes = rng.range(55, 95);
                metadata.insert("format".into(), "one-off".into());
            } else {
                minutes = rng.range(minutes - 15, minutes + 20);
                metadata.insert("format".into(), "film".into());
            }
            metadata.insert("runtime_minutes".into(), minutes.to_string());
            1
        }
        Shape::Live => {
            minutes = rng.range(minutes - 20, minutes + 20);
            metadata.insert("format".into(), "live".into());
            metadata.insert("runtime_minutes".into(), minutes.to_string());
            1
        }
    };
    let rating = *rng.pick(niche.ratings);
    let boost = 1.0 + if year >= 2025 { 2.0 } else { 0.0 } + if year >= 2021 { 1.0 } else { 0.0 };
    Draft {
        title,
        niche: ni,
        year,
        genres,
        rating,
        description,
        metadata,
        shape,
        episodes,
        minutes,
        spin_off_of: None,
        boost,
        cluster: 0,
    }
}

fn spin_off(base_idx: usize, base: &Draft, suffix: &str, rng: &mut Rng) -> Draft {
    let year = base.year + (rng.below(usize::from(2026 - base.year) + 1) as u16);
    let mut metadata = base.metadata.clone();
    metadata.insert("franchise".into(), base.title.clone());
    let (shape, episodes) = match suffix {
        ": Christmas Special" | ": Holiday Special" | ": Festive Special" => {
            metadata.insert("format".into(), "special".into());
            metadata.remove("seasons");
            metadata.insert("episodes".into(), "1".into());
            (Shape::Single, 1)
        }
        _ if base.shape == Shape::Single => (Shape::Single, 1),
        _ => {
            let eps = rng.range(4, 10);
            metadata.insert("seasons".into(), "1".into());
            metadata.insert("episodes".into(), eps.to_string());
            (base.shape, eps)
        }
    };
    Draft {
        title: format!("{}{suffix}", base.title),
        niche: base.niche,
        year,
        genres: base.genres.clone(),
        rating: base.rating,
        description: spin_off_description(suffix, &base.title),
        metadata,
        shape,
        episodes,
        minutes: base.minutes,
        spin_off_of: Some(base_idx),
        boost: 0.6,
        cluster: base.cluster,
    }
}

/// Generates the catalog (deterministic).
pub(crate) fn catalog() -> DemoCatalog {
    let mut rng = Rng::new(CATALOG_SEED);
    let total: usize = NICHES.iter().map(|n| n.count).sum();
    let mut drafts: Vec<Draft> = Vec::with_capacity(total);
    let mut titles: HashSet<String> = HashSet::with_capacity(total * 2);
    let mut next_cluster = 0u32;
    for (ni, niche) in NICHES.iter().enumerate() {
        let first = drafts.len();
        for k in 0..niche.count {
            if !niche.spin_offs.is_empty() && k >= 8 && rng.chance(0.1) {
                let base = first + rng.below(k);
                let suffix = *rng.pick(niche.spin_offs);
                let title = format!("{}{suffix}", drafts[base].title);
                if drafts[base].spin_off_of.is_none() && titles.insert(title) {
                    let d = spin_off(base, &drafts[base], suffix, &mut rng);
                    let root = drafts[base].title.clone();
                    drafts[base].metadata.insert("franchise".into(), root);
                    drafts.push(d);
                    continue;
                }
            }
            drafts.push(new_draft(ni, &mut rng, &mut titles));
        }
        // Co-watch clusters: the niche's original shows in random groups of about ten.
        let mut own: Vec<usize> =
            (first..drafts.len()).filter(|&i| drafts[i].spin_off_of.is_none()).collect();
        rng.shuffle(&mut own);
        for chunk in own.chunks(10) {
            for &i in chunk {
                drafts[i].cluster = next_cluster;
            }
            next_cluster += 1;
        }
        for i in first..drafts.len() {
            if let Some(b) = drafts[i].spin_off_of {
                drafts[i].cluster = drafts[b].cluster;
            }
        }
    }

    // Popularity: a weighted random ranking (recent shows tend to rank higher), then Zipf.
    let n = drafts.len();
    let mut keys: Vec<(f64, usize)> =
        (0..n).map(|i| (-(1.0 - rng.f64()).ln() / drafts[i].boost, i)).collect();
    keys.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut draft_pop = vec![0.0; n];
    for (rank, &(_, i)) in keys.iter().enumerate() {
        draft_pop[i] = 1.0 / (rank as f64 + 8.0).powf(1.05);
    }

    // Shuffle so ids do not reveal the niche.
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut position = vec![0u32; n];
    for (pos, &d) in order.iter().enumerate() {
        position[d] = pos as u32;
    }
    let mut siblings: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (d, draft) in drafts.iter().enumerate() {
        if let Some(b) = draft.spin_off_of {
            let (pd, pb) = (position[d], position[b]);
            siblings[pd as usize].push(pb);
            siblings[pb as usize].push(pd);
        }
    }
    // Spin-offs of one root are siblings of each other too.
    let snapshot = siblings.clone();
    for (i, sibs) in snapshot.iter().enumerate() {
        for &s in sibs {
            for &t in &snapshot[s as usize] {
                if t as usize != i && !siblings[i].contains(&t) {
                    siblings[i].push(t);
                }
            }
        }
    }

    let mut cat = DemoCatalog {
        items: Vec::with_capacity(n),
        niche: Vec::with_capacity(n),
        pop: Vec::with_capacity(n),
        cluster: Vec::with_capacity(n),
        siblings,
        shape: Vec::with_capacity(n),
        episodes: Vec::with_capacity(n),
        minutes: Vec::with_capacity(n),
    };
    let mut slots: Vec<Option<Draft>> = drafts.into_iter().map(Some).collect();
    for (pos, &d) in order.iter().enumerate() {
        let draft = slots[d].take().expect("each draft is placed once");
        let mut item = Item {
            id: format!("sr-{:05}", pos + 1),
            title: draft.title,
            content_type: NICHES[draft.niche].content_type,
            genres: draft.genres,
            year: Some(draft.year),
            age_rating: Some(draft.rating.to_owned()),
            description: draft.description,
            image_url: None,
            metadata: draft.metadata,
        };
        item.image_url = Some(poster::data_url(&poster::svg(&item)));
        cat.items.push(item);
        cat.niche.push(draft.niche as u16);
        cat.pop.push(draft_pop[d]);
        cat.cluster.push(draft.cluster);
        cat.shape.push(draft.shape);
        cat.episodes.push(draft.episodes);
        cat.minutes.push(draft.minutes);
    }
    cat
}

#[cfg(test)]
mod tests;
