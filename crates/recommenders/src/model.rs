//! A trained model: recommend for any watch history, with reasons; serialisable for the cache.

use serde::{Deserialize, Serialize};

use crate::data::TrainInput;
use crate::models::{Content, Ease, ItemKnn, Trending};
use crate::progress::Progress;
use crate::reason::Reason;
use crate::spec::ModelSpec;

/// Bumped whenever a model's trained form or training changes, so stale cache files are retrained.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 8] = b"SRMODEL\0";

/// One recommended item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// Catalog index.
    pub item: u32,
    pub score: f32,
    pub reason: Reason,
}

/// What to leave out of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Leave out items already in the history (the default).
    pub exclude_watched: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { exclude_watched: true }
    }
}

/// All-time popularity: every model keeps it to fall back on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Popular {
    /// Distinct training viewers per item.
    pub counts: Vec<u32>,
    /// Items with at least one viewer, most watched first (ties: catalog order).
    pub order: Vec<u32>,
    pub n_users: u32,
}

impl Popular {
    fn new(input: &TrainInput<'_>) -> Self {
        let counts = input.data.item_counts();
        let mut order: Vec<u32> =
            (0..counts.len() as u32).filter(|&i| counts[i as usize] > 0).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(counts[i as usize]), i));
        Popular { counts, order, n_users: input.data.n_users() as u32 }
    }

    fn share(&self, item: u32) -> f32 {
        self.counts[item as usize] as f32 / self.n_users.max(1) as f32
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Kind {
    Popularity,
    Trending(Trending),
    ItemKnn(ItemKnn),
    Ease(Ease),
    Content(Content),
    Random { seed: u64 },
}

/// A trained model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    spec: ModelSpec,
    n_items: usize,
    popular: Popular,
    kind: Kind,
}

/// Where an item of a list came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Model,
    NoHistory,
    Backfill,
}

impl Model {
    /// Trains `spec` on `input`, reporting progress.
    pub fn train(spec: &ModelSpec, input: &TrainInput<'_>, progress: &dyn Progress) -> Model {
        let popular = Popular::new(input);
        let kind = match *spec {
            ModelSpec::Popularity => Kind::Popularity,
            ModelSpec::Trending { window_days, half_life_days } => {
                Kind::Trending(Trending::train(input.data, window_days, half_life_days))
            }
            ModelSpec::ItemKnn { neighbours, shrink } => {
                Kind::ItemKnn(ItemKnn::train(input.data, neighbours, shrink, progress))
            }
            ModelSpec::Ease { lambda, min_count } => {
                Kind::Ease(Ease::train(input.data, lambda, min_count, progress))
            }
            ModelSpec::Content => Kind::Content(Content::train(input.catalog, progress)),
            ModelSpec::Random { seed } => Kind::Random { seed },
        };
        Model { spec: spec.clone(), n_items: input.data.n_items(), popular, kind }
    }

    /// The spec this model was trained with.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// Whether the list depends on the history (an empty history then falls back to popularity).
    fn is_personal(&self) -> bool {
        matches!(self.kind, Kind::ItemKnn(_) | Kind::Ease(_) | Kind::Content(_))
    }

    /// The top `k` items for `history` (catalog indices, oldest first), with scores and reasons.
    /// Repeated items (binge episodes, re-watches) count once.
    pub fn recommend(&self, history: &[u32], k: usize, options: Options) -> Vec<Recommendation> {
        let history = &self.distinct(history);
        self.ranked(history, k, options)
            .into_iter()
            .map(|(item, score, source)| {
                let viewers = self.popular.counts[item as usize];
                let reason = match source {
                    Source::NoHistory => Reason::NoHistory { viewers },
                    Source::Backfill => Reason::Backfill { viewers },
                    Source::Model => self.explain(history, item),
                };
                Recommendation { item, score, reason }
            })
            .collect()
    }

    /// The top `k` items for `history`, without reasons (what evaluation needs).
    pub fn rank(&self, history: &[u32], k: usize, options: Options) -> Vec<u32> {
        self.ranked(&self.distinct(history), k, options)
            .into_iter()
            .map(|(item, _, _)| item)
            .collect()
    }

    /// The history's catalog items, each once, in order of first watch.
    fn distinct(&self, history: &[u32]) -> Vec<u32> {
        let mut seen = vec![false; self.n_items];
        history
            .iter()
            .copied()
            .filter(|&i| {
                (i as usize) < self.n_items && !std::mem::replace(&mut seen[i as usize], true)
            })
            .collect()
    }

    fn ranked(&self, history: &[u32], k: usize, options: Options) -> Vec<(u32, f32, Source)> {
        let mut excluded = vec![false; self.n_items];
        if options.exclude_watched {
            for &i in history {
                if let Some(e) = excluded.get_mut(i as usize) {
                    *e = true;
                }
            }
        }
        let mut list = Vec::with_capacity(k);
        let fallback = if history.is_empty() && self.is_personal() {
            Source::NoHistory
        } else {
            let mut scores = vec![f32::NEG_INFINITY; self.n_items];
            self.score(history, &mut scores);
            for (item, score) in top_k(&scores, k, &excluded) {
                excluded[item as usize] = true;
                list.push((item, score, Source::Model));
            }
            Source::Backfill
        };
        for &item in &self.popular.order {
            if list.len() >= k {
                break;
            }
            if !excluded[item as usize] {
                let score =
                    if fallback == Source::NoHistory { self.popular.share(item) } else { 0.0 };
                list.push((item, score, fallback));
            }
        }
        list
    }

    /// Writes a score for every item the model has an opinion on; the rest stay −∞.
    fn score(&self, history: &[u32], scores: &mut [f32]) {
        match &self.kind {
            Kind::Popularity => {
                for &i in &self.popular.order {
                    scores[i as usize] = self.popular.share(i);
                }
            }
            Kind::Trending(m) => m.score(scores),
            Kind::ItemKnn(m) => m.score(history, scores),
            Kind::Ease(m) => m.score(history, scores),
            Kind::Content(m) => m.score(history, scores),
            Kind::Random { seed } => {
                let mut h = seed ^ 0x005e_ed0f_5c12_ee41;
                for &i in history {
                    h = screening_core::splitmix64(h ^ u64::from(i));
                }
                for (i, s) in scores.iter_mut().enumerate() {
                    *s = (screening_core::splitmix64(h ^ i as u64) >> 40) as f32
                        / (1u64 << 24) as f32;
                }
            }
        }
    }

    fn explain(&self, history: &[u32], item: u32) -> Reason {
        match &self.kind {
            Kind::Popularity => Reason::Popular { viewers: self.popular.counts[item as usize] },
            Kind::Trending(m) => m.explain(item),
            Kind::ItemKnn(m) => Reason::BecauseYouWatched { items: m.explain(history, item) },
            Kind::Ease(m) => Reason::BecauseYouWatched { items: m.explain(history, item) },
            Kind::Content(m) => m.explain(history, item),
            Kind::Random { .. } => Reason::Random,
        }
    }

    /// The bytes of a cache file: a header, `key`, then the model.
    pub fn to_bytes(&self, key: &str) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        // Writing to a Vec cannot fail; were it to, an empty file never loads.
        postcard::to_extend(&(key, self), out).unwrap_or_default()
    }

    /// The model in a cache file, if the file is whole, of this version and written for `key`.
    pub fn from_bytes(bytes: &[u8], key: &str) -> Option<Model> {
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (version, rest) = rest.split_first_chunk::<4>()?;
        if u32::from_le_bytes(*version) != FORMAT_VERSION {
            return None;
        }
        let (stored_key, model): (String, Model) = postcard::from_bytes(rest).ok()?;
        (stored_key == key).then_some(model)
    }
}

/// The cache key of `spec` trained on `input`: changes when the data, the parameters or the
/// trained format change.
pub fn cache_key(spec: &ModelSpec, input: &TrainInput<'_>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(input.digest().as_bytes());
    h.update(spec.to_string().as_bytes());
    h.update(&FORMAT_VERSION.to_le_bytes());
    h.finalize().to_hex()[..32].to_owned()
}

/// The `k` best finite scores of items not excluded: score descending, ties by catalog order.
pub(crate) fn top_k(scores: &[f32], k: usize, excluded: &[bool]) -> Vec<(u32, f32)> {
    let mut cands: Vec<(u32, f32)> = scores
        .iter()
        .zip(excluded)
        .enumerate()
        .filter(|(_, (s, ex))| s.is_finite() && !**ex)
        .map(|(i, (s, _))| (i as u32, *s))
        .collect();
    let order = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if k == 0 {
        return Vec::new();
    }
    if cands.len() > k {
        cands.select_nth_unstable_by(k - 1, order);
        cands.truncate(k);
    }
    cands.sort_unstable_by(order);
    cands
}
