use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use screening_core::{CatalogInfo, ContentType, Dataset, Item};

use super::words::{NICHES, slot};
use super::*;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(demo_dataset)
}

/// Events per user, in time order.
fn per_user(ds: &Dataset) -> Vec<Vec<u32>> {
    let mut users = vec![Vec::new(); ds.users.len()];
    for ev in &ds.interactions {
        users[ev.user as usize].push(ev.item);
    }
    users
}

#[test]
fn counts_meet_the_brief() {
    let ds = dataset();
    assert!(ds.items.len() >= 1_500, "{} items", ds.items.len());
    assert!(ds.interactions.len() >= 200_000, "{} events", ds.interactions.len());
    assert!(ds.users.len() >= 10_000, "{} users", ds.users.len());
    assert_eq!(ds.event_types, ["watch"]);
    assert!(ds.interactions.iter().all(|e| e.value.is_none()));
    // Every viewer has watched something.
    let active: HashSet<u32> = ds.interactions.iter().map(|e| e.user).collect();
    assert_eq!(active.len(), ds.users.len());
    assert_eq!(ds.users[0].id, "u00001");
}

#[test]
fn every_content_type_and_key_genre_is_present() {
    let info = CatalogInfo::of(dataset());
    for ct in ContentType::ALL {
        let n = info.content_types.get(ct.as_str()).copied().unwrap_or(0);
        if ct == ContentType::Other {
            assert_eq!(n, 0);
        } else {
            assert!(n >= 60, "only {n} items of type {ct}");
        }
    }
    for g in [
        "Dating",
        "Competition",
        "Renovation",
        "Docu-soap",
        "Nature",
        "History",
        "Society",
        "True crime",
        "Crime",
        "Drama",
        "Comedy",
        "Animation",
        "Family",
        "Football",
        "Cycling",
    ] {
        assert!(
            info.genres.get(g).copied().unwrap_or(0) >= 15,
            "genre {g}: {:?}",
            info.genres.get(g)
        );
    }
}

#[test]
fn ids_and_titles_are_unique() {
    let items = demo_items();
    let ids: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let titles: HashSet<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(ids.len(), items.len());
    assert_eq!(titles.len(), items.len());
    assert_eq!(items[0].id, "sr-00001");
    assert_eq!(items[items.len() - 1].id, format!("sr-{:05}", items.len()));
    // Titles are not padded with the uniqueness fallback too often.
    let qualified = items.iter().filter(|i| i.title.ends_with(')')).count();
    assert!(qualified < items.len() / 50, "{qualified} titles needed a place suffix");
}

#[test]
fn items_are_well_formed() {
    for item in demo_items() {
        let ctx = format!("{} {:?}", item.id, item.title);
        assert!((1..=3).contains(&item.genres.len()), "{ctx}");
        let distinct: HashSet<&String> = item.genres.iter().collect();
        assert_eq!(distinct.len(), item.genres.len(), "{ctx}");
        assert!((1995..=2026).contains(&item.year.unwrap()), "{ctx}");
        let rating = item.age_rating.as_deref().unwrap();
        assert!(["0", "6", "12", "16", "18"].contains(&rating), "{ctx}");
        if item.content_type == ContentType::Kids {
            assert!(rating == "0" || rating == "6", "{ctx}: kids rated {rating}");
        }
        if item.genres[0] == "True crime" {
            assert_eq!(rating, "16", "{ctx}");
        }
        for text in [&item.title, &item.description] {
            assert!(!text.contains('{') && !text.contains('}'), "{ctx}: unfilled slot in {text:?}");
        }
        assert!(item.description.len() > 30 && item.description.ends_with(['.', '?']), "{ctx}");
        assert!(
            item.image_url.as_deref().unwrap().starts_with("data:image/svg+xml;charset=utf-8,")
        );
        assert!(
            item.metadata.contains_key("format") && item.metadata.contains_key("country"),
            "{ctx}"
        );
    }
}

#[test]
fn spin_offs_share_a_franchise() {
    let items = demo_items();
    let spin_offs: Vec<&Item> = items
        .iter()
        .filter(|i| i.metadata.get("franchise").is_some_and(|f| *f != i.title))
        .collect();
    assert!(spin_offs.len() >= 20, "{} spin-offs", spin_offs.len());
    let titles: HashMap<&str, &Item> = items.iter().map(|i| (i.title.as_str(), i)).collect();
    for s in spin_offs {
        let root = titles[s.metadata["franchise"].as_str()];
        assert!(s.title.starts_with(&root.title));
        assert_eq!(root.metadata["franchise"], root.title);
        assert_eq!(root.content_type, s.content_type);
    }
}

#[test]
fn every_template_slot_has_words() {
    for niche in NICHES {
        assert!(!niche.titles.is_empty() && !niche.descriptions.is_empty(), "{}", niche.key);
        for t in niche.titles.iter().chain(niche.descriptions) {
            let (template, fixed) = split_template(t);
            if let Some(k) = fixed {
                assert!(k < niche.descriptions.len(), "{}: {t:?} names no description", niche.key);
            }
            assert_eq!(template.matches('{').count(), template.matches('}').count(), "{t:?}");
            for name in slot_names(template) {
                let base = name.strip_suffix('2').unwrap_or(name);
                assert!(
                    name == "yr" || !slot(base).is_empty(),
                    "{}: unknown slot {name:?}",
                    niche.key
                );
            }
        }
    }
}

#[test]
fn templates_fill_consistently() {
    let mut rng = Rng::new(1);
    let mut f = Filler::new(2025);
    let title = f.fill("Cold Case: {city} {yr}", &mut rng);
    let desc = f.fill("It happened in {city}, to {animal|la} and {lodge|lA}.", &mut rng);
    let city = title.strip_prefix("Cold Case: ").unwrap().strip_suffix(" 2025").unwrap();
    assert!(desc.starts_with(&format!("It happened in {city}, to a")), "{desc}");
    assert!(desc.contains(" and A ") || desc.contains(" and An "), "{desc}");
    for _ in 0..50 {
        let mut f = Filler::new(2025);
        let s = f.fill("{club} v {club2}", &mut rng);
        let (a, b) = s.split_once(" v ").unwrap();
        assert_ne!(a, b);
    }
}

#[test]
fn generation_is_deterministic() {
    let a = demo_dataset();
    let b = dataset();
    assert_eq!(a.items, b.items);
    assert_eq!(a.interactions, b.interactions);
    assert_eq!(a.users, b.users);
    assert_eq!(demo_items(), b.items);
}

#[test]
fn timestamps_lie_in_the_window_and_are_sorted() {
    let ds = dataset();
    for w in ds.interactions.windows(2) {
        assert!(w[0].timestamp <= w[1].timestamp);
    }
    let first = ds.interactions[0].timestamp;
    let last = ds.interactions[ds.interactions.len() - 1].timestamp;
    assert!(first >= WINDOW_START && last < WINDOW_END, "{first}..{last}");
    // Spread over the whole period, not bunched at its ends.
    let month = (WINDOW_END - WINDOW_START) / 6;
    let mut per_month = [0usize; 6];
    for e in &ds.interactions {
        per_month[((e.timestamp - WINDOW_START) / month).min(5) as usize] += 1;
    }
    let n = ds.interactions.len();
    assert!(per_month.iter().all(|&m| m > n / 10), "{per_month:?}");
    // Viewing peaks in the evening (18-23 local = 16-21 UTC), not at night.
    let hour = |e: &Interaction| (e.timestamp.rem_euclid(86_400) / 3_600) as usize;
    let evening = ds.interactions.iter().filter(|e| (16..22).contains(&hour(e))).count();
    let night = ds.interactions.iter().filter(|e| (1..5).contains(&hour(e))).count();
    assert!(evening > n / 3 && night < n / 20, "evening {evening}, night {night}");
}

#[test]
fn popularity_is_long_tailed() {
    let ds = dataset();
    let mut counts = vec![0usize; ds.items.len()];
    for e in &ds.interactions {
        counts[e.item as usize] += 1;
    }
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let total: usize = counts.iter().sum();
    let top: usize = counts[..counts.len() / 10].iter().sum();
    assert!(top * 100 > total * 40, "top 10% hold {:.1}%", top as f64 * 100.0 / total as f64);
    assert!(top * 100 < total * 85, "top 10% hold {:.1}%", top as f64 * 100.0 / total as f64);
    let with_some = counts.iter().filter(|&&c| c >= 5).count();
    assert!(with_some * 100 >= counts.len() * 90, "only {with_some} items have 5+ events");
}

#[test]
fn past_taste_predicts_new_titles() {
    // Viewers whose first half of history is mostly reality TV pick far more reality among the
    // titles they discover in their second half than the average viewer does (and sport fans
    // far less). Repeats of already-seen shows are excluded, so binges do not count.
    let ds = dataset();
    let is =
        |ct: ContentType| -> Vec<bool> { ds.items.iter().map(|i| i.content_type == ct).collect() };
    for (ct, min_lift) in
        [(ContentType::Reality, 2.0), (ContentType::Documentary, 2.0), (ContentType::Kids, 2.0)]
    {
        let hit = is(ct);
        let sport = is(ContentType::Sport);
        let base = ds.interactions.iter().filter(|e| hit[e.item as usize]).count() as f64
            / ds.interactions.len() as f64;
        let (mut fan_new, mut fan_hits, mut sport_new, mut sport_hits, mut fans) = (0, 0, 0, 0, 0);
        for events in per_user(ds) {
            if events.len() < 8 {
                continue;
            }
            let (past, future) = events.split_at(events.len() / 2);
            let seen: HashSet<u32> = past.iter().copied().collect();
            let share = |pred: &[bool]| {
                past.iter().filter(|&&i| pred[i as usize]).count() as f64 / past.len() as f64
            };
            let new: Vec<u32> = future
                .iter()
                .copied()
                .filter(|i| !seen.contains(i))
                .collect::<HashSet<_>>()
                .into_iter()
                .collect();
            if share(&hit) >= 0.6 {
                fans += 1;
                fan_new += new.len();
                fan_hits += new.iter().filter(|&&i| hit[i as usize]).count();
            } else if share(&sport) >= 0.6 {
                sport_new += new.len();
                sport_hits += new.iter().filter(|&&i| hit[i as usize]).count();
            }
        }
        let fan_rate = fan_hits as f64 / fan_new as f64;
        let sport_rate = sport_hits as f64 / sport_new as f64;
        assert!(fans >= 200, "{ct}: only {fans} fans");
        assert!(fan_rate > base * min_lift, "{ct}: fans {fan_rate:.3} vs base {base:.3}");
        assert!(fan_rate < 0.95, "{ct}: no noise at all ({fan_rate:.3})");
        assert!(sport_rate < base, "{ct}: sport fans {sport_rate:.3} vs base {base:.3}");
    }
}

#[test]
fn series_are_binged() {
    let ds = dataset();
    let series: Vec<bool> =
        ds.items.iter().map(|i| i.metadata.get("format").is_some_and(|f| f == "series")).collect();
    // Consecutive events of one viewer on the same series within three hours.
    let mut last: Vec<Option<(u32, i64)>> = vec![None; ds.users.len()];
    let (mut series_events, mut binged) = (0usize, 0usize);
    for e in &ds.interactions {
        if series[e.item as usize] {
            series_events += 1;
            if let Some((item, t)) = last[e.user as usize]
                && item == e.item
                && e.timestamp - t < 3 * 3_600
            {
                binged += 1;
            }
        }
        last[e.user as usize] = Some((e.item, e.timestamp));
    }
    let share = binged as f64 / series_events as f64;
    assert!((0.3..0.8).contains(&share), "{share:.3} of series events continue a binge");
    // And films are (almost) never watched twice by the same viewer.
    let films: Vec<bool> = ds.items.iter().map(|i| i.content_type == ContentType::Film).collect();
    let mut film_views = 0usize;
    let mut distinct = HashSet::new();
    for e in &ds.interactions {
        if films[e.item as usize] {
            film_views += 1;
            distinct.insert((e.user, e.item));
        }
    }
    assert!(distinct.len() * 100 >= film_views * 97, "{} of {film_views}", distinct.len());
}

#[test]
fn franchises_are_watched_together() {
    let ds = dataset();
    let by_title: HashMap<&str, u32> =
        ds.items.iter().enumerate().map(|(i, it)| (it.title.as_str(), i as u32)).collect();
    let watched: Vec<HashSet<u32>> =
        per_user(ds).into_iter().map(|v| v.into_iter().collect()).collect();
    let (mut with_root, mut both, mut spin_viewers) = (0usize, 0usize, 0usize);
    for (s, item) in ds.items.iter().enumerate() {
        let Some(root_title) = item.metadata.get("franchise").filter(|f| **f != item.title) else {
            continue;
        };
        let root = by_title[root_title.as_str()];
        for w in &watched {
            let has_spin = w.contains(&(s as u32));
            spin_viewers += usize::from(has_spin);
            if w.contains(&root) {
                with_root += 1;
                both += usize::from(has_spin);
            }
        }
    }
    let spin_offs = ds
        .items
        .iter()
        .filter(|i| i.metadata.get("franchise").is_some_and(|f| *f != i.title))
        .count();
    let p_given_root = both as f64 / with_root as f64;
    let p_base = spin_viewers as f64 / (watched.len() * spin_offs) as f64;
    assert!(
        p_given_root > 5.0 * p_base,
        "P(spin-off | root) {p_given_root:.4} vs P(spin-off) {p_base:.4}"
    );
}

/// Checks the SVG is one balanced tree of elements with no raw `<`/`&` in text.
fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg xmlns='http://www.w3.org/2000/svg'") && svg.ends_with("</svg>"));
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "raw '>' in text {text:?}");
        let mut amp = text;
        while let Some(a) = amp.find('&') {
            let ent = &amp[a..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| ent.starts_with(e)),
                "bare '&' in {text:?}"
            );
            amp = &amp[a + 1..];
        }
        let close = open + rest[open..].find('>').expect("unclosed tag");
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "'<' inside tag {tag:?}");
        assert_eq!(tag.matches('\'').count() % 2, 0, "unbalanced quotes in {tag:?}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap());
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn posters_are_small_well_formed_svg() {
    let items = demo_items();
    for item in &items {
        let svg = poster_svg(item);
        assert_well_formed(&svg);
        assert!(svg.len() < 1_000, "{}: {} bytes", item.id, svg.len());
        let url = item.image_url.as_deref().unwrap();
        let encoded = url.strip_prefix("data:image/svg+xml;charset=utf-8,").unwrap();
        assert!(!encoded.contains(['<', '>', '#', '"', ' ']), "{}: unencoded character", item.id);
        assert!(encoded.is_ascii());
        assert_eq!(percent_decode(encoded), svg);
    }
    // Colours depend on the id: not every poster of a type looks the same.
    let reality: HashSet<String> = items
        .iter()
        .filter(|i| i.content_type == ContentType::Reality)
        .map(|i| poster_svg(i).split("stop-color='").nth(1).unwrap()[..7].to_owned())
        .collect();
    assert!(reality.len() > 20, "{} distinct top colours", reality.len());
}

#[test]
fn poster_escapes_text() {
    let mut item = demo_items().swap_remove(0);
    item.title = "Salt & <Pepper> 'Live'".into();
    let svg = poster_svg(&item);
    assert_well_formed(&svg);
    assert!(svg.contains(">Salt &amp; &lt;Pepper&gt; &apos;Live&apos;</text>"), "{svg}");
    assert!(!svg.contains("<Pepper"));
    assert_eq!(poster::initials("Cold Case: Rotterdam"), "CC");
    assert_eq!(poster::initials("The Alpine Kitchen"), "AK");
    assert_eq!(poster::initials("Élan of the Fjord"), "ÉF");
    assert_eq!(poster::initials("<&>"), "<");
    assert!(svg.contains(">SP</text>"), "initials of the escaped title");
}

#[test]
fn demo_with_personas_matches_the_separate_loads() {
    let (dataset, personas) = super::demo_with_personas();
    let alone = demo_dataset();
    assert_eq!(dataset.items, alone.items);
    assert_eq!(dataset.interactions, alone.interactions);
    assert_eq!(personas, crate::personas::sample_personas());
}
