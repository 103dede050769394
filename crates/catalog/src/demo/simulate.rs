//! The simulated interaction log of the demo catalog.
//!
//! Each of [`USERS`] viewers belongs to one segment (8 % are *mixed households* that combine two
//! segments) and has two favourite niches drawn from the segment's tastes. Viewers join on day 0
//! (75 %) or later, and have a heavy-tailed number of viewing sessions (1 + log-normal, median
//! ≈ 5.5) spread over the six months, at hours typical of the segment (families in the morning
//! and late afternoon, sport fans at weekends, news viewers around the evening news…; local
//! time, stored as UTC with a 2-hour offset).
//!
//! A session starts with the show the viewer was following (probability = the segment's
//! *habit*) or with a fresh pick: 55 % from the segment's taste (item popularity × niche
//! affinity, unlisted niches 0.12), 25 % from a favourite niche (by popularity), 20 % from the
//! global popularity (noise). A series is then binged: each further episode follows with the
//! segment's *binge* probability (up to 8, 12 for kids), ~one episode length apart, until the
//! show's episodes run out. With probability 0.45 the session goes on with another title
//! (at most four): half the time a *related* one (a franchise sibling, or a show of the same
//! co-watch cluster of ~10 shows in the niche), otherwise a fresh pick. Films and broadcasts
//! already seen are avoided. Popularity is Zipf-like over a random ranking (exponent 1.05).

use super::rng::{Cdf, Rng};
use super::words::{NICHES, Shape};
use super::{DemoCatalog, WINDOW_DAYS, WINDOW_END, WINDOW_START, niche_index};

/// Number of simulated viewers.
pub(crate) const USERS: u32 = 12_000;

const LOG_SEED: u64 = 0x0DE5_7A11_2026_0301;

/// Affinity of segments for niches not listed in their tastes.
const BASELINE_AFFINITY: f64 = 0.12;

/// Hour-of-day weights (local time).
type Hours = [f64; 24];

const EVENING: Hours = [
    0.4, 0.15, 0.05, 0.0, 0.0, 0.0, 0.1, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 0.8, 0.8, 0.9, 1.0, 1.3,
    2.0, 3.5, 5.0, 5.0, 3.5, 1.4,
];
const LATE: Hours = [
    1.2, 0.6, 0.2, 0.05, 0.0, 0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.7, 0.7, 0.8, 0.9, 1.0, 1.5,
    2.5, 4.5, 5.5, 5.0, 3.0,
];
const FAMILY: Hours = [
    0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.8, 2.5, 2.5, 1.5, 1.2, 1.0, 1.0, 1.2, 1.5, 2.5, 3.0, 3.5, 3.0,
    2.2, 1.2, 0.5, 0.2, 0.1,
];
const NEWS: Hours = [
    0.1, 0.0, 0.0, 0.0, 0.0, 0.2, 1.0, 2.5, 2.0, 1.0, 0.8, 0.8, 1.8, 1.5, 0.8, 0.8, 1.0, 1.5, 3.0,
    3.5, 3.0, 2.5, 1.5, 0.5,
];
const SPORT: Hours = [
    0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.2, 0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 3.0, 3.0, 2.5, 2.5,
    3.0, 3.5, 3.0, 2.0, 0.8,
];

/// A kind of viewer.
struct Segment {
    key: &'static str,
    /// Share of viewers (the rest of 1.0 are mixed households).
    share: f64,
    /// Niche key → affinity.
    tastes: &'static [(&'static str, f64)],
    hours: &'static Hours,
    /// Probability of watching one more episode of a series in the same session.
    binge: f64,
    /// Probability that a session resumes the show the viewer was following.
    habit: f64,
    /// Probability that a session is moved to the weekend.
    weekend: f64,
}

static SEGMENTS: &[Segment] = &[
    Segment {
        key: "reality",
        share: 0.17,
        tastes: &[
            ("dating", 10.0),
            ("reality-competition", 8.0),
            ("docu-soap", 8.0),
            ("renovation", 5.0),
            ("daytime", 3.0),
            ("late-night", 2.0),
            ("film-romance", 2.0),
            ("baking", 2.0),
            ("home-cooking", 1.5),
        ],
        hours: &EVENING,
        binge: 0.6,
        habit: 0.5,
        weekend: 0.0,
    },
    Segment {
        key: "documentary",
        share: 0.11,
        tastes: &[
            ("nature", 10.0),
            ("history", 9.0),
            ("science", 7.0),
            ("travel", 6.0),
            ("society", 6.0),
            ("investigative", 4.0),
            ("current-affairs", 3.0),
            ("period-drama", 2.0),
            ("food-travel", 2.0),
            ("true-crime", 2.0),
        ],
        hours: &EVENING,
        binge: 0.45,
        habit: 0.35,
        weekend: 0.0,
    },
    Segment {
        key: "family",
        share: 0.13,
        tastes: &[
            ("animation", 10.0),
            ("preschool", 8.0),
            ("kids-adventure", 7.0),
            ("film-family", 7.0),
            ("nature", 3.0),
            ("baking", 3.0),
            ("reality-competition", 2.0),
            ("sitcom", 2.0),
            ("film-comedy", 2.0),
        ],
        hours: &FAMILY,
        binge: 0.55,
        habit: 0.5,
        weekend: 0.25,
    },
    Segment {
        key: "crime",
        share: 0.13,
        tastes: &[
            ("crime-series", 10.0),
            ("true-crime", 9.0),
            ("film-thriller", 6.0),
            ("investigative", 3.0),
            ("drama-series", 2.0),
            ("medical", 1.5),
        ],
        hours: &LATE,
        binge: 0.7,
        habit: 0.55,
        weekend: 0.0,
    },
    Segment {
        key: "sport",
        share: 0.09,
        tastes: &[
            ("football", 10.0),
            ("cycling", 6.0),
            ("motorsport", 5.0),
            ("tennis", 4.0),
            ("winter-sports", 4.0),
            ("panel", 2.0),
            ("film-action", 2.0),
            ("late-night", 1.0),
        ],
        hours: &SPORT,
        binge: 0.2,
        habit: 0.1,
        weekend: 0.5,
    },
    Segment {
        key: "news-talk",
        share: 0.09,
        tastes: &[
            ("current-affairs", 10.0),
            ("investigative", 6.0),
            ("consumer", 6.0),
            ("daytime", 6.0),
            ("late-night", 5.0),
            ("panel", 5.0),
            ("society", 3.0),
            ("history", 2.0),
        ],
        hours: &NEWS,
        binge: 0.2,
        habit: 0.6,
        weekend: 0.0,
    },
    Segment {
        key: "film",
        share: 0.08,
        tastes: &[
            ("film-drama", 8.0),
            ("film-comedy", 8.0),
            ("film-thriller", 6.0),
            ("film-romance", 6.0),
            ("film-action", 6.0),
            ("drama-series", 2.0),
        ],
        hours: &EVENING,
        binge: 0.3,
        habit: 0.2,
        weekend: 0.2,
    },
    Segment {
        key: "drama-comedy",
        share: 0.07,
        tastes: &[
            ("drama-series", 9.0),
            ("sitcom", 8.0),
            ("period-drama", 7.0),
            ("medical", 6.0),
            ("film-comedy", 3.0),
            ("film-romance", 3.0),
        ],
        hours: &EVENING,
        binge: 0.6,
        habit: 0.5,
        weekend: 0.0,
    },
    Segment {
        key: "food",
        share: 0.05,
        tastes: &[
            ("home-cooking", 10.0),
            ("baking", 9.0),
            ("food-travel", 8.0),
            ("renovation", 6.0),
            ("travel", 3.0),
            ("daytime", 3.0),
        ],
        hours: &EVENING,
        binge: 0.45,
        habit: 0.4,
        weekend: 0.0,
    },
];

/// Samplers shared by all viewers.
struct Model<'a> {
    cat: &'a DemoCatalog,
    global: Cdf,
    by_niche: Vec<Cdf>,
    by_segment: Vec<Cdf>,
    /// Per segment: favourite niches, by affinity.
    favourite: Vec<Cdf>,
    by_cluster: Vec<Cdf>,
    hours: Vec<Cdf>,
    segment_pick: Cdf,
}

impl<'a> Model<'a> {
    fn new(cat: &'a DemoCatalog) -> Self {
        let n = cat.items.len();
        let ids = || 0..n as u32;
        let affinity: Vec<Vec<f64>> = SEGMENTS
            .iter()
            .map(|s| {
                let mut a = vec![BASELINE_AFFINITY; NICHES.len()];
                for &(key, w) in s.tastes {
                    let ni = niche_index(key)
                        .unwrap_or_else(|| panic!("segment {} names unknown niche {key}", s.key));
                    a[ni] = w;
                }
                a
            })
            .collect();
        let clusters = cat.cluster.iter().max().map_or(0, |&c| c as usize + 1);
        Model {
            cat,
            global: Cdf::new(ids().map(|i| (i, cat.pop[i as usize]))),
            by_niche: (0..NICHES.len())
                .map(|ni| {
                    Cdf::new(
                        ids()
                            .filter(|&i| usize::from(cat.niche[i as usize]) == ni)
                            .map(|i| (i, cat.pop[i as usize])),
                    )
                })
                .collect(),
            by_segment: affinity
                .iter()
                .map(|a| {
                    Cdf::new(
                        ids().map(|i| {
                            (i, cat.pop[i as usize] * a[usize::from(cat.niche[i as usize])])
                        }),
                    )
                })
                .collect(),
            favourite: SEGMENTS
                .iter()
                .map(|s| {
                    Cdf::new(
                        s.tastes
                            .iter()
                            .map(|&(k, w)| (niche_index(k).expect("known niche") as u32, w)),
                    )
                })
                .collect(),
            by_cluster: (0..clusters)
                .map(|c| {
                    Cdf::new(
                        ids()
                            .filter(|&i| cat.cluster[i as usize] as usize == c)
                            .map(|i| (i, cat.pop[i as usize].sqrt())),
                    )
                })
                .collect(),
            hours: SEGMENTS
                .iter()
                .map(|s| Cdf::new((0..24).map(|h| (h, s.hours[h as usize]))))
                .collect(),
            segment_pick: Cdf::new(
                (0..SEGMENTS.len() as u32).map(|s| (s, SEGMENTS[s as usize].share)),
            ),
        }
    }
}

/// One simulated viewer's state.
struct Viewer {
    segments: [usize; 2],
    favourites: [usize; 2],
    /// Episodes watched per show.
    watched: Vec<(u32, u32)>,
    following: Option<u32>,
}

impl Viewer {
    fn count(&self, item: u32) -> u32 {
        self.watched.iter().find(|w| w.0 == item).map_or(0, |w| w.1)
    }

    fn add(&mut self, item: u32) {
        match self.watched.iter_mut().find(|w| w.0 == item) {
            Some(w) => w.1 += 1,
            None => self.watched.push((item, 1)),
        }
    }
}

impl Model<'_> {
    fn fresh(&self, v: &Viewer, seg: usize, rng: &mut Rng) -> u32 {
        let mut item = 0;
        for _ in 0..4 {
            let x = rng.f64();
            item = if x < 0.55 {
                self.by_segment[seg].sample(rng)
            } else if x < 0.80 {
                self.by_niche[v.favourites[rng.below(2)]].sample(rng)
            } else {
                self.global.sample(rng)
            };
            if self.available(v, item) {
                break;
            }
        }
        item
    }

    /// Whether the viewer still has something to watch in `item`.
    fn available(&self, v: &Viewer, item: u32) -> bool {
        v.count(item) < self.cat.episodes[item as usize]
    }

    fn related(&self, v: &Viewer, seg: usize, prev: u32, rng: &mut Rng) -> u32 {
        let sibs = &self.cat.siblings[prev as usize];
        let item = if !sibs.is_empty() && rng.chance(0.5) {
            *rng.pick(sibs)
        } else {
            self.by_cluster[self.cat.cluster[prev as usize] as usize].sample(rng)
        };
        if item == prev || !self.available(v, item) { self.fresh(v, seg, rng) } else { item }
    }

    fn viewer(&self, user: u32, out: &mut Vec<(i64, u32, u32)>) {
        let mut rng = Rng::stream(LOG_SEED, u64::from(user));
        let first = self.segment_pick.sample(&mut rng) as usize;
        let segments = if rng.chance(0.08) {
            let mut second = self.segment_pick.sample(&mut rng) as usize;
            while second == first {
                second = self.segment_pick.sample(&mut rng) as usize;
            }
            [first, second]
        } else {
            [first, first]
        };
        let favourites = [
            self.favourite[segments[0]].sample(&mut rng) as usize,
            self.favourite[segments[1]].sample(&mut rng) as usize,
        ];
        let mut v = Viewer { segments, favourites, watched: Vec::new(), following: None };
        let join = if rng.chance(0.75) { 0 } else { rng.below(WINDOW_DAYS as usize - 14) as u32 };
        let sessions = 1 + (5.0 * (0.85 * rng.normal()).exp()).round().min(90.0) as usize;
        let mut days: Vec<u32> =
            (0..sessions).map(|_| join + rng.below((WINDOW_DAYS - join) as usize) as u32).collect();
        days.sort_unstable();
        for day in days {
            let seg = v.segments[rng.below(2)];
            let s = &SEGMENTS[seg];
            let mut day = day;
            if s.weekend > 0.0 && rng.chance(s.weekend) {
                // Day 0 (2026-03-01) is a Sunday: weekday 0 = Monday … 6 = Sunday.
                let weekday = (day + 6) % 7;
                if weekday < 5 {
                    day = (day + 5 - weekday + rng.below(2) as u32).min(WINDOW_DAYS - 1);
                }
            }
            let local_hour = i64::from(self.hours[seg].sample(&mut rng));
            let midnight = WINDOW_START + i64::from(day) * 86_400 - 2 * 3_600; // local (CEST)
            let mut t = midnight + local_hour * 3_600 + rng.below(3_600) as i64;
            // Nobody binges until dawn: no new episode after 01:30 (or 90 minutes into a
            // session that starts after midnight).
            let limit = if local_hour < 5 { t + 5_400 } else { midnight + 25 * 3_600 + 1_800 };
            let mut item = match v.following {
                Some(f) if rng.chance(s.habit) && self.available(&v, f) => f,
                _ => self.fresh(&v, seg, &mut rng),
            };
            for title in 0..4 {
                let i = item as usize;
                let left = self.cat.episodes[i].saturating_sub(v.count(item)).max(1);
                let mut episodes = 1;
                let cap = if self.cat.minutes[i] < 20 { 12 } else { 8 };
                if self.cat.shape[i] == Shape::Serial {
                    while episodes < cap.min(left) && rng.chance(s.binge) {
                        episodes += 1;
                    }
                }
                for e in 0..episodes {
                    if e > 0 && t > limit {
                        break;
                    }
                    out.push((t.clamp(WINDOW_START, WINDOW_END - 1), user, item));
                    v.add(item);
                    t += i64::from(self.cat.minutes[i]) * 60 + rng.below(600) as i64;
                }
                if matches!(self.cat.shape[i], Shape::Serial | Shape::Magazine) {
                    v.following = Some(item);
                }
                if title == 3 || t > limit || !rng.chance(0.45) {
                    break;
                }
                t += rng.below(1_200) as i64;
                item = if rng.chance(0.5) {
                    self.related(&v, seg, item, &mut rng)
                } else {
                    self.fresh(&v, seg, &mut rng)
                };
            }
        }
    }
}

/// The whole log as `(timestamp, user index, item index)`, sorted.
pub(crate) fn simulate(cat: &DemoCatalog) -> Vec<(i64, u32, u32)> {
    let model = Model::new(cat);
    debug_assert!(model.by_niche.iter().all(|c| !c.is_empty()));
    let mut out = Vec::with_capacity(USERS as usize * 26);
    for user in 0..USERS {
        model.viewer(user, &mut out);
    }
    out.sort_unstable();
    out
}
