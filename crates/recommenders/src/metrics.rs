//! Offline ranking metrics: how well one model's recommendation lists match held-out
//! interactions, with Amazon Personalize's definitions (precision@K, NDCG@K, MRR@25, coverage),
//! plus beyond-accuracy measures (intra-list genre diversity, novelty, popularity bias).
//!
//! Items are dense catalog indices (`u32`). A recommendation list is best first and has no
//! duplicates; a ground-truth set is a sorted, deduplicated slice (membership is a binary search).
//! This module is pure arithmetic: the caller splits the data and produces the lists. To evaluate
//! users in parallel, give each worker its own [`MetricsAccumulator`] and combine them with
//! [`MetricsAccumulator::merge`].

use serde::ser::{Serialize, SerializeMap, Serializer};

/// The cut-off of the reciprocal-rank metric. Personalize reports only
/// `mean_reciprocal_rank_at_25`, so it does not follow the caller's cut-offs.
pub const MRR_K: usize = 25;

fn is_hit(truth: &[u32], item: u32) -> bool {
    truth.binary_search(&item).is_ok()
}

/// Gain of a hit at the 1-based `position`: 1 / log2(1 + position).
fn gain(position: usize) -> f64 {
    1.0 / ((position + 1) as f64).log2()
}

/// precision@k = (number of the first `k` list items that are in `truth`) / `k`.
///
/// Divides by `k` even when the list is shorter, as Personalize does, so a model that returns
/// fewer items is not rewarded for it. `k == 0` gives 0 rather than NaN.
pub fn precision_at(list: &[u32], truth: &[u32], k: usize) -> f64 {
    if k == 0 {
        return 0.0;
    }
    let hits = list.iter().take(k).filter(|&&item| is_hit(truth, item)).count();
    hits as f64 / k as f64
}

/// NDCG@k with binary relevance: DCG sums 1/log2(1 + position) over the hits among the first `k`
/// items (1-based positions); IDCG is the same sum for positions 1..=min(k, |truth|).
///
/// 0 when `truth` is empty or `k == 0` (there is nothing to find).
pub fn ndcg_at(list: &[u32], truth: &[u32], k: usize) -> f64 {
    let ideal_hits = k.min(truth.len());
    if ideal_hits == 0 {
        return 0.0;
    }
    let dcg: f64 = list
        .iter()
        .take(k)
        .enumerate()
        .filter(|&(_, &item)| is_hit(truth, item))
        .map(|(index, _)| gain(index + 1))
        .sum();
    // Summed in the same order as a perfect list's DCG, so a perfect list scores exactly 1.
    let idcg: f64 = (1..=ideal_hits).map(gain).sum();
    dcg / idcg
}

/// 1 / (1-based rank of the first hit) within the first `k` items, or 0 if none of them is a hit.
pub fn reciprocal_rank_at(list: &[u32], truth: &[u32], k: usize) -> f64 {
    list.iter()
        .take(k)
        .position(|&item| is_hit(truth, item))
        .map_or(0.0, |index| 1.0 / (index + 1) as f64)
}

/// The genre ids of `item`; an item without an entry in `genres` has none (no panic on a caller's
/// short table: diversity is a diagnostic, not worth aborting an evaluation for).
fn genres_of(genres: &[Vec<u32>], item: u32) -> &[u32] {
    genres.get(item as usize).map_or(&[], Vec::as_slice)
}

/// Size of the intersection of two sorted, deduplicated slices (linear merge).
fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// 1 - Jaccard similarity of two genre sets; two genre-less items are alike (0), a genre-less
/// item and one with genres are as different as can be (1).
fn genre_dissimilarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let common = intersection_len(a, b);
    let union = a.len() + b.len() - common;
    1.0 - common as f64 / union as f64
}

/// Mean pairwise genre dissimilarity (1 - Jaccard of the genre sets) over all unordered pairs of
/// `list`; `None` if the list has fewer than 2 items.
///
/// `genres[item]` is a sorted, deduplicated list of genre ids. Two items that both have no genres
/// have dissimilarity 0; one with none and one with some, 1. Items beyond the end of `genres`
/// count as having no genres.
pub fn intra_list_diversity(list: &[u32], genres: &[Vec<u32>]) -> Option<f64> {
    let n = list.len();
    if n < 2 {
        return None;
    }
    let mut total = 0.0;
    for (i, &a) in list.iter().enumerate() {
        let genres_a = genres_of(genres, a);
        for &b in &list[i + 1..] {
            total += genre_dissimilarity(genres_a, genres_of(genres, b));
        }
    }
    let pairs = n * (n - 1) / 2;
    Some(total / pairs as f64)
}

/// Popularity of each item in the training data, for novelty and popularity bias.
///
/// Items are looked up by index; an item beyond the end of the table is treated as never seen in
/// training (count 0) rather than panicking.
#[derive(Debug, Clone)]
pub struct ItemPopularity {
    counts: Vec<u32>,
    n_users: u32,
    percentiles: Vec<f64>,
    /// Percentile of an item outside the table: a count-0 item compared with every item in it.
    unseen_percentile: f64,
}

impl ItemPopularity {
    /// `counts[item]` = number of distinct training users who interacted with the item;
    /// `n_users` = number of training users (0 is treated as 1).
    ///
    /// Precomputes every item's percentile in O(n log n).
    pub fn new(counts: Vec<u32>, n_users: u32) -> Self {
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let n = counts.len();
        let percentiles = counts
            .iter()
            .map(|&count| {
                if n < 2 {
                    return 0.5;
                }
                let smaller = sorted.partition_point(|&c| c < count);
                let equal_including_self = sorted.partition_point(|&c| c <= count) - smaller;
                (smaller as f64 + 0.5 * (equal_including_self - 1) as f64) / (n - 1) as f64
            })
            .collect();
        // Nothing is smaller than 0, so only the ties with never-seen items count.
        let unseen_percentile =
            if n == 0 { 0.5 } else { 0.5 * sorted.partition_point(|&c| c == 0) as f64 / n as f64 };
        Self { counts, n_users: n_users.max(1), percentiles, unseen_percentile }
    }

    /// Self-information -log2 p(item), with p(item) = max(count, 1) / n_users: an item never seen
    /// in training counts as seen once, so novelty stays finite.
    ///
    /// The count is also capped at `n_users` (a count above it is inconsistent input) so the
    /// value is never negative.
    pub fn self_information(&self, item: u32) -> f64 {
        let count = self.count(item).clamp(1, self.n_users);
        // log2(n / c) rather than -log2(c / n): same value, but never -0.0 in reports.
        (f64::from(self.n_users) / f64::from(count)).log2()
    }

    /// Popularity percentile in [0, 1]: (number of items with a strictly smaller count + 0.5 ×
    /// number of other items with an equal count) / (n_items - 1); 0.5 when there is only one
    /// item. An item outside the table is compared as a count-0 item against all n_items items.
    pub fn percentile(&self, item: u32) -> f64 {
        self.percentiles.get(item as usize).copied().unwrap_or(self.unseen_percentile)
    }

    /// Number of distinct training users who interacted with `item` (0 outside the table).
    pub fn count(&self, item: u32) -> u32 {
        self.counts.get(item as usize).copied().unwrap_or(0)
    }

    /// Number of items in the table.
    pub fn n_items(&self) -> usize {
        self.counts.len()
    }
}

/// A running mean that can be merged.
#[derive(Debug, Clone, Copy, Default)]
struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    fn add(&mut self, value: f64) {
        self.sum += value;
        self.n += 1;
    }

    fn merge(&mut self, other: Self) {
        self.sum += other.sum;
        self.n += other.n;
    }

    /// 0 when nothing was added, so that empty evaluations report zeros rather than NaN.
    fn value(&self) -> f64 {
        if self.n == 0 { 0.0 } else { self.sum / self.n as f64 }
    }
}

/// Accumulates the metrics of one model over test users; see [`MetricsAccumulator::finish`] for
/// what is reported.
#[derive(Debug, Clone)]
pub struct MetricsAccumulator<'a> {
    /// Sorted ascending, deduplicated.
    ks: Vec<usize>,
    max_k: usize,
    n_catalog_items: usize,
    popularity: &'a ItemPopularity,
    genres: &'a [Vec<u32>],
    users: usize,
    /// Per cut-off, in the order of `ks`; divided by `users` at the end.
    precision_sums: Vec<f64>,
    ndcg_sums: Vec<f64>,
    reciprocal_rank_sum: f64,
    /// Bit set over catalog items seen in the first `max_k` positions of any list; a bit set
    /// rather than a hash set so that merging is a cheap OR and memory is n/8 bytes per worker.
    covered: Vec<u64>,
    diversity: Mean,
    novelty: Mean,
    popularity_bias: Mean,
}

impl<'a> MetricsAccumulator<'a> {
    /// `ks`: the cut-offs (e.g. `[5, 10, 25]`), deduplicated and sorted here; they must be
    /// non-empty and > 0 (the caller validates them). `n_catalog_items` is the denominator of
    /// coverage; `genres` holds each item's genre ids (normally `n_catalog_items` entries).
    pub fn new(
        ks: &[usize],
        n_catalog_items: usize,
        popularity: &'a ItemPopularity,
        genres: &'a [Vec<u32>],
    ) -> Self {
        debug_assert!(!ks.is_empty() && ks.iter().all(|&k| k > 0), "invalid cut-offs {ks:?}");
        let mut ks = ks.to_vec();
        ks.sort_unstable();
        ks.dedup();
        let max_k = ks.last().copied().unwrap_or(0);
        let n_ks = ks.len();
        Self {
            ks,
            max_k,
            n_catalog_items,
            popularity,
            genres,
            users: 0,
            precision_sums: vec![0.0; n_ks],
            ndcg_sums: vec![0.0; n_ks],
            reciprocal_rank_sum: 0.0,
            covered: vec![0; n_catalog_items.div_ceil(64)],
            diversity: Mean::default(),
            novelty: Mean::default(),
            popularity_bias: Mean::default(),
        }
    }

    /// Adds one test user's list and ground truth (sorted, deduplicated). The list may be longer
    /// than the largest cut-off: only its first max(K) items, and its first [`MRR_K`] for the
    /// reciprocal rank, are looked at.
    pub fn add(&mut self, list: &[u32], truth: &[u32]) {
        // The accuracy sums reuse the public functions so that a report and a unit check of
        // one user can never disagree on a definition.
        for ((&k, precision), ndcg) in
            self.ks.iter().zip(&mut self.precision_sums).zip(&mut self.ndcg_sums)
        {
            *precision += precision_at(list, truth, k);
            *ndcg += ndcg_at(list, truth, k);
        }
        self.reciprocal_rank_sum += reciprocal_rank_at(list, truth, MRR_K);

        let top = &list[..list.len().min(self.max_k)];
        for &item in top {
            let index = item as usize;
            // Items outside the catalog cannot be covered (coverage must stay within [0, 1]).
            if index < self.n_catalog_items {
                self.covered[index / 64] |= 1 << (index % 64);
            }
        }
        if let Some(diversity) = intra_list_diversity(top, self.genres) {
            self.diversity.add(diversity);
        }
        if !top.is_empty() {
            let n = top.len() as f64;
            let information: f64 =
                top.iter().map(|&item| self.popularity.self_information(item)).sum();
            let percentile: f64 = top.iter().map(|&item| self.popularity.percentile(item)).sum();
            self.novelty.add(information / n);
            self.popularity_bias.add(percentile / n);
        }
        self.users += 1;
    }

    /// Merges another accumulator built with the same arguments (used to evaluate users in
    /// parallel). The result equals adding all users to one accumulator, up to floating-point
    /// rounding of the sums.
    pub fn merge(&mut self, other: Self) {
        debug_assert_eq!(self.ks, other.ks, "merging accumulators with different cut-offs");
        debug_assert_eq!(self.n_catalog_items, other.n_catalog_items);
        self.users += other.users;
        for (sum, other) in self.precision_sums.iter_mut().zip(other.precision_sums) {
            *sum += other;
        }
        for (sum, other) in self.ndcg_sums.iter_mut().zip(other.ndcg_sums) {
            *sum += other;
        }
        self.reciprocal_rank_sum += other.reciprocal_rank_sum;
        for (word, other) in self.covered.iter_mut().zip(other.covered) {
            *word |= other;
        }
        self.diversity.merge(other.diversity);
        self.novelty.merge(other.novelty);
        self.popularity_bias.merge(other.popularity_bias);
    }

    /// Number of test users added so far (including merged ones).
    pub fn users(&self) -> usize {
        self.users
    }

    /// The metrics, in this order and with these names: `precision@K` for each K ascending, then
    /// `ndcg@K` for each K, then `mrr@25`, `coverage`, `diversity`, `novelty`, `popularity_bias`.
    ///
    /// - Accuracy metrics are means over all added users; a user with an empty list (or empty
    ///   truth) scores 0.
    /// - `coverage`: distinct catalog items in the first max(K) positions of any list, divided by
    ///   the number of catalog items.
    /// - `diversity`: mean [`intra_list_diversity`] of the lists' first max(K) items, over the
    ///   lists where it is defined (0 if none).
    /// - `novelty`: mean over non-empty lists (first max(K) items) of the mean self-information.
    /// - `popularity_bias`: mean over non-empty lists (first max(K) items) of the mean popularity
    ///   percentile.
    ///
    /// With zero users every value is 0.
    pub fn finish(&self) -> Metrics {
        let per_user = |sum: f64| if self.users == 0 { 0.0 } else { sum / self.users as f64 };
        let mut values = Vec::with_capacity(2 * self.ks.len() + 5);
        for (&k, &sum) in self.ks.iter().zip(&self.precision_sums) {
            values.push((format!("precision@{k}"), per_user(sum)));
        }
        for (&k, &sum) in self.ks.iter().zip(&self.ndcg_sums) {
            values.push((format!("ndcg@{k}"), per_user(sum)));
        }
        values.push((format!("mrr@{MRR_K}"), per_user(self.reciprocal_rank_sum)));
        let covered: u32 = self.covered.iter().map(|word| word.count_ones()).sum();
        let coverage = if self.n_catalog_items == 0 {
            0.0
        } else {
            f64::from(covered) / self.n_catalog_items as f64
        };
        values.push(("coverage".to_owned(), coverage));
        values.push(("diversity".to_owned(), self.diversity.value()));
        values.push(("novelty".to_owned(), self.novelty.value()));
        values.push(("popularity_bias".to_owned(), self.popularity_bias.value()));
        Metrics(values)
    }
}

/// Named metric values in a fixed order. Serialises as a JSON object in that order, e.g.
/// `{"precision@5":0.1,"ndcg@5":0.2,...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics(pub Vec<(String, f64)>);

impl Metrics {
    /// The value of the metric called `name`, if present.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|&(_, value)| value)
    }
}

// By hand with `serialize_map`: a derived map type (HashMap/BTreeMap) would lose the order in
// which the metrics are meant to be read.
impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::{btree_set, vec};
    use proptest::prelude::*;
    use proptest::sample::subsequence;

    const EPS: f64 = 1e-12;

    fn assert_close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < EPS, "expected {expected}, got {actual}");
    }

    fn log2(x: f64) -> f64 {
        x.log2()
    }

    #[test]
    fn precision_counts_hits_in_the_first_k() {
        // [3, 1, 7] vs {1, 7}: hits at ranks 2 and 3.
        assert_close(precision_at(&[3, 1, 7], &[1, 7], 3), 2.0 / 3.0);
        // k = 2: only 1 is a hit in [3, 1] → 1/2.
        assert_close(precision_at(&[3, 1, 7], &[1, 7], 2), 0.5);
        // k = 1: [3] has no hit.
        assert_close(precision_at(&[3, 1, 7], &[1, 7], 1), 0.0);
    }

    #[test]
    fn precision_divides_by_k_for_short_lists() {
        // 2 hits in a 3-item list, k = 5 → 2/5, not 2/3.
        assert_close(precision_at(&[3, 1, 7], &[1, 7], 5), 0.4);
        assert_close(precision_at(&[], &[1, 7], 5), 0.0);
        assert_close(precision_at(&[1], &[1], 0), 0.0);
    }

    #[test]
    fn ndcg_by_hand() {
        // [3, 1, 7] vs {1, 7}, k = 3: DCG = 1/log2(3) + 1/log2(4) = 0.630930 + 0.5;
        // IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.630930 → 1.130930 / 1.630930 = 0.693426.
        let expected = (1.0 / log2(3.0) + 0.5) / (1.0 + 1.0 / log2(3.0));
        assert_close(ndcg_at(&[3, 1, 7], &[1, 7], 3), expected);
        assert!((expected - 0.693426).abs() < 1e-6);
        // k = 2: DCG = 1/log2(3); IDCG = 1 + 1/log2(3) (two truth items fit) → 0.386853.
        let expected = (1.0 / log2(3.0)) / (1.0 + 1.0 / log2(3.0));
        assert_close(ndcg_at(&[3, 1, 7], &[1, 7], 2), expected);
        assert!((expected - 0.386853).abs() < 1e-6);
    }

    #[test]
    fn ndcg_ideal_is_capped_at_k_and_empty_truth_scores_zero() {
        // k = 1 with three truth items: IDCG = 1/log2(2) = 1 (only one position), DCG = 1.
        assert_close(ndcg_at(&[1, 9], &[1, 2, 3], 1), 1.0);
        // Hit at rank 2 only, truth of one item: DCG = 1/log2(3), IDCG = 1 → 0.630930.
        assert_close(ndcg_at(&[9, 1], &[1], 10), 1.0 / log2(3.0));
        assert_close(ndcg_at(&[1, 2], &[], 2), 0.0);
        assert_close(ndcg_at(&[1, 2], &[1], 0), 0.0);
    }

    #[test]
    fn reciprocal_rank_by_hand() {
        // First hit at rank 3 → 1/3 (the later hit at rank 4 does not matter).
        assert_close(reciprocal_rank_at(&[4, 5, 6, 7], &[6, 7], 25), 1.0 / 3.0);
        // Same list with k = 2: the hit is beyond the cut-off → 0.
        assert_close(reciprocal_rank_at(&[4, 5, 6, 7], &[6, 7], 2), 0.0);
        // Hit at rank 26 with k = 25 → 0; at rank 25 → 1/25.
        let list: Vec<u32> = (100..125).chain([1]).collect();
        assert_eq!(list.len(), 26);
        assert_close(reciprocal_rank_at(&list, &[1], MRR_K), 0.0);
        assert_close(reciprocal_rank_at(&list[1..], &[1], MRR_K), 1.0 / 25.0);
        assert_close(reciprocal_rank_at(&[], &[1], MRR_K), 0.0);
    }

    fn sample_genres() -> Vec<Vec<u32>> {
        // item 0: {0,1}, 1: {0,1}, 2: {2}, 3: {}, 4: {}, 5: {1,2}
        vec![vec![0, 1], vec![0, 1], vec![2], vec![], vec![], vec![1, 2]]
    }

    #[test]
    fn diversity_by_hand() {
        let genres = sample_genres();
        // Identical genre sets → Jaccard 1 → dissimilarity 0.
        assert_eq!(intra_list_diversity(&[0, 1], &genres), Some(0.0));
        // Disjoint sets → 1.
        assert_eq!(intra_list_diversity(&[0, 2], &genres), Some(1.0));
        // Both genre-less → 0; one genre-less → 1.
        assert_eq!(intra_list_diversity(&[3, 4], &genres), Some(0.0));
        assert_eq!(intra_list_diversity(&[3, 0], &genres), Some(1.0));
        // {0,1} vs {1,2}: |∩| = 1, |∪| = 3 → 1 - 1/3 = 2/3.
        assert_close(intra_list_diversity(&[0, 5], &genres).unwrap(), 2.0 / 3.0);
        // [0, 1, 2]: pairs (0,1) = 0, (0,2) = 1, (1,2) = 1 → 2/3.
        assert_close(intra_list_diversity(&[0, 1, 2], &genres).unwrap(), 2.0 / 3.0);
        // Item 99 has no entry → no genres: vs {0,1} → 1.
        assert_eq!(intra_list_diversity(&[99, 0], &genres), Some(1.0));
        assert_eq!(intra_list_diversity(&[0], &genres), None);
        assert_eq!(intra_list_diversity(&[], &genres), None);
    }

    /// counts [5, 2, 2, 9, 0] over 10 training users.
    fn sample_popularity() -> ItemPopularity {
        ItemPopularity::new(vec![5, 2, 2, 9, 0], 10)
    }

    #[test]
    fn percentile_with_ties() {
        let pop = sample_popularity();
        // Denominator n_items - 1 = 4.
        // item 0 (5): smaller {2, 2, 0} = 3, no ties → 3/4.
        assert_close(pop.percentile(0), 0.75);
        // items 1 and 2 (2): smaller {0} = 1, one other tie → (1 + 0.5)/4 = 0.375.
        assert_close(pop.percentile(1), 0.375);
        assert_close(pop.percentile(2), 0.375);
        // item 3 (9): all 4 smaller → 1; item 4 (0): nothing smaller → 0.
        assert_close(pop.percentile(3), 1.0);
        assert_close(pop.percentile(4), 0.0);
        // Outside the table: count 0 vs the 5 items, one of which has count 0 → 0.5 * 1/5.
        assert_close(pop.percentile(99), 0.1);

        // All tied: (0 + 0.5 * 2) / 2 = 0.5 each.
        let tied = ItemPopularity::new(vec![3, 3, 3], 5);
        for item in 0..3 {
            assert_close(tied.percentile(item), 0.5);
        }
        assert_close(ItemPopularity::new(vec![7], 9).percentile(0), 0.5);
        assert_close(ItemPopularity::new(vec![], 9).percentile(0), 0.5);
    }

    #[test]
    fn self_information_by_hand() {
        let pop = sample_popularity();
        // -log2(5/10) = 1; -log2(9/10) = log2(10/9) = 0.152003.
        assert_close(pop.self_information(0), 1.0);
        assert_close(pop.self_information(3), log2(10.0 / 9.0));
        // Never seen (count 0) counts as seen once: -log2(1/10) = 3.321928; same outside the table.
        assert_close(pop.self_information(4), log2(10.0));
        assert_close(pop.self_information(99), log2(10.0));
        assert_eq!((pop.count(3), pop.count(99), pop.n_items()), (9, 0, 5));
        // A count of n_users gives exactly +0; a count above it is capped (never negative).
        let all = ItemPopularity::new(vec![4, 6], 4);
        assert_eq!(all.self_information(0).to_bits(), 0.0f64.to_bits());
        assert_eq!(all.self_information(1).to_bits(), 0.0f64.to_bits());
        // n_users 0 is treated as 1.
        assert_close(ItemPopularity::new(vec![0], 0).self_information(0), 0.0);
    }

    fn five_item_genres() -> Vec<Vec<u32>> {
        // item 0: {0,1}, 1: {0,1}, 2: {2}, 3: {}, 4: {1,2}
        vec![vec![0, 1], vec![0, 1], vec![2], vec![], vec![1, 2]]
    }

    #[test]
    fn accumulator_two_users_by_hand() {
        let pop = sample_popularity(); // counts [5, 2, 2, 9, 0], 10 users
        let genres = five_item_genres();
        // Unsorted with a duplicate: becomes [1, 2].
        let mut acc = MetricsAccumulator::new(&[2, 1, 2], 5, &pop, &genres);
        // User A: list [3, 0, 1], truth {0}; top max(K) = 2 items: [3, 0].
        //   precision@1 = 0, precision@2 = 1/2; ndcg@1 = 0, ndcg@2 = (1/log2 3) / 1;
        //   rr = 1/2; diversity([3, 0]) = 1 (genre-less vs {0,1});
        //   novelty = (log2(10/9) + log2(10/5)) / 2; percentile = (1 + 0.75) / 2 = 0.875.
        acc.add(&[3, 0, 1], &[0]);
        // User B: list [2], truth {2, 4}.
        //   precision@1 = 1, precision@2 = 1/2 (divided by k); ndcg@1 = 1/1,
        //   ndcg@2 = 1 / (1 + 1/log2 3); rr = 1; diversity undefined (one item);
        //   novelty = log2(10/2); percentile = 0.375.
        acc.add(&[2], &[2, 4]);
        assert_eq!(acc.users(), 2);
        let m = acc.finish();
        let ndcg2_a = 1.0 / log2(3.0);
        let ndcg2_b = 1.0 / (1.0 + 1.0 / log2(3.0));
        let novelty_a = (log2(10.0 / 9.0) + 1.0) / 2.0;
        let expected = [
            ("precision@1", (0.0 + 1.0) / 2.0),
            ("precision@2", (0.5 + 0.5) / 2.0),
            ("ndcg@1", (0.0 + 1.0) / 2.0),
            ("ndcg@2", (ndcg2_a + ndcg2_b) / 2.0),
            ("mrr@25", (0.5 + 1.0) / 2.0),
            // Items {3, 0} ∪ {2} = 3 of 5 (item 1 is at rank 3, beyond max K).
            ("coverage", 3.0 / 5.0),
            ("diversity", 1.0),
            ("novelty", (novelty_a + log2(5.0)) / 2.0),
            ("popularity_bias", (0.875 + 0.375) / 2.0),
        ];
        assert_eq!(m.0.len(), expected.len());
        for ((name, value), (expected_name, expected_value)) in m.0.iter().zip(expected) {
            assert_eq!(name, expected_name);
            assert_close(*value, expected_value);
        }
    }

    #[test]
    fn empty_list_scores_zero_but_counts_as_a_user() {
        let pop = sample_popularity();
        let genres = five_item_genres();
        let mut acc = MetricsAccumulator::new(&[1], 5, &pop, &genres);
        // User A: [0] vs {0}: precision@1 = ndcg@1 = rr = 1. User B: empty list → 0.
        acc.add(&[0], &[0]);
        acc.add(&[], &[1]);
        let m = acc.finish();
        assert_close(m.get("precision@1").unwrap(), 0.5);
        assert_close(m.get("ndcg@1").unwrap(), 0.5);
        assert_close(m.get("mrr@25").unwrap(), 0.5);
        // Novelty and popularity bias average over non-empty lists only: just A's item 0.
        assert_close(m.get("novelty").unwrap(), 1.0);
        assert_close(m.get("popularity_bias").unwrap(), 0.75);
        // No list has two items → diversity 0.
        assert_close(m.get("diversity").unwrap(), 0.0);
    }

    #[test]
    fn out_of_catalog_items_are_not_covered() {
        let pop = sample_popularity();
        let genres = five_item_genres();
        let mut acc = MetricsAccumulator::new(&[5], 5, &pop, &genres);
        acc.add(&[0, 70], &[]);
        assert_close(acc.finish().get("coverage").unwrap(), 1.0 / 5.0);
    }

    #[test]
    fn zero_users_report_zeros() {
        let pop = sample_popularity();
        let genres = five_item_genres();
        let m = MetricsAccumulator::new(&[5, 10], 5, &pop, &genres).finish();
        assert_eq!(m.0.len(), 9);
        assert!(m.0.iter().all(|&(_, value)| value == 0.0), "{m:?}");
    }

    #[test]
    fn metric_names_and_order() {
        let pop = sample_popularity();
        let genres = five_item_genres();
        let m = MetricsAccumulator::new(&[25, 5, 10, 5], 5, &pop, &genres).finish();
        let names: Vec<&str> = m.0.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "precision@5",
                "precision@10",
                "precision@25",
                "ndcg@5",
                "ndcg@10",
                "ndcg@25",
                "mrr@25",
                "coverage",
                "diversity",
                "novelty",
                "popularity_bias",
            ]
        );
        assert_eq!(m.get("coverage"), Some(0.0));
        assert_eq!(m.get("recall@5"), None);
    }

    #[test]
    fn serialises_as_an_ordered_object() {
        // Not alphabetical, so a sorted map would fail this.
        let m = Metrics(vec![
            ("precision@5".to_owned(), 0.5),
            ("ndcg@5".to_owned(), 0.25),
            ("coverage".to_owned(), 1.0),
        ]);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"precision@5":0.5,"ndcg@5":0.25,"coverage":1.0}"#
        );
    }

    type User = (Vec<u32>, Vec<u32>);

    /// Test users as (list, truth) over items 0..6.
    fn sample_users() -> Vec<User> {
        vec![
            (vec![3, 0, 1], vec![0]),
            (vec![2], vec![2, 4]),
            (vec![], vec![1]),
            (vec![4, 1, 0, 2, 3], vec![0, 3]),
            (vec![5, 1], vec![]),
        ]
    }

    fn assert_same_metrics(a: &Metrics, b: &Metrics) {
        assert_eq!(a.0.len(), b.0.len());
        for ((name_a, value_a), (name_b, value_b)) in a.0.iter().zip(&b.0) {
            assert_eq!(name_a, name_b);
            assert!((value_a - value_b).abs() < 1e-9, "{name_a}: {value_a} vs {value_b}");
        }
    }

    #[test]
    fn merge_equals_sequential_add() {
        let pop = ItemPopularity::new(vec![5, 2, 2, 9, 0, 1], 10);
        let genres = sample_genres();
        let users = sample_users();
        let mut sequential = MetricsAccumulator::new(&[1, 3], 6, &pop, &genres);
        for (list, truth) in &users {
            sequential.add(list, truth);
        }
        for split in 0..=users.len() {
            let mut left = MetricsAccumulator::new(&[1, 3], 6, &pop, &genres);
            let mut right = left.clone();
            for (list, truth) in &users[..split] {
                left.add(list, truth);
            }
            for (list, truth) in &users[split..] {
                right.add(list, truth);
            }
            left.merge(right);
            assert_eq!(left.users(), sequential.users());
            assert_same_metrics(&left.finish(), &sequential.finish());
        }
    }

    /// A catalog of `n` items, a list (shuffled distinct items) and a truth set (sorted).
    fn list_and_truth() -> impl Strategy<Value = (Vec<u32>, Vec<u32>)> {
        (1usize..40).prop_flat_map(|n| {
            let items: Vec<u32> = (0..n as u32).collect();
            (subsequence(items.clone(), 0..=n).prop_shuffle(), subsequence(items, 0..=n))
        })
    }

    /// Everything an accumulator needs, with random popularity counts that may exceed
    /// `n_users` (inconsistent input must still keep the metrics in range).
    #[derive(Debug, Clone)]
    struct World {
        n: usize,
        genres: Vec<Vec<u32>>,
        counts: Vec<u32>,
        n_users: u32,
        users: Vec<User>,
        ks: Vec<usize>,
    }

    fn world() -> impl Strategy<Value = World> {
        (1usize..30).prop_flat_map(|n| {
            let items: Vec<u32> = (0..n as u32).collect();
            let user =
                (subsequence(items.clone(), 0..=n).prop_shuffle(), subsequence(items, 0..=n));
            let genre_set = btree_set(0u32..5, 0..4).prop_map(|s| s.into_iter().collect());
            (vec(genre_set, n), vec(0u32..30, n), 0u32..30, vec(user, 0..8), vec(1usize..30, 1..4))
                .prop_map(move |(genres, counts, n_users, users, ks)| World {
                    n,
                    genres,
                    counts,
                    n_users,
                    users,
                    ks,
                })
        })
    }

    proptest! {
        #[test]
        fn single_list_metrics_are_in_unit_range((list, truth) in list_and_truth(), k in 0usize..50) {
            for value in [
                precision_at(&list, &truth, k),
                ndcg_at(&list, &truth, k),
                reciprocal_rank_at(&list, &truth, k),
            ] {
                prop_assert!((0.0..=1.0).contains(&value), "{value}");
            }
        }

        #[test]
        fn accumulated_metrics_are_in_range(w in world()) {
            let pop = ItemPopularity::new(w.counts.clone(), w.n_users);
            let mut acc = MetricsAccumulator::new(&w.ks, w.n, &pop, &w.genres);
            for (list, truth) in &w.users {
                if let Some(d) = intra_list_diversity(list, &w.genres) {
                    prop_assert!((0.0..=1.0).contains(&d), "diversity {d}");
                }
                acc.add(list, truth);
            }
            for item in 0..w.n as u32 {
                prop_assert!((0.0..=1.0).contains(&pop.percentile(item)));
                prop_assert!(pop.self_information(item) >= 0.0);
            }
            let m = acc.finish();
            prop_assert_eq!(m.0.len(), 2 * w.ks.iter().collect::<std::collections::BTreeSet<_>>().len() + 5);
            for (name, value) in &m.0 {
                prop_assert!(value.is_finite() && *value >= 0.0, "{name} = {value}");
                if name != "novelty" {
                    prop_assert!(*value <= 1.0, "{name} = {value}");
                }
            }
        }

        #[test]
        fn merge_matches_sequential(w in world(), split in 0usize..8) {
            let pop = ItemPopularity::new(w.counts.clone(), w.n_users);
            let split = split.min(w.users.len());
            let mut sequential = MetricsAccumulator::new(&w.ks, w.n, &pop, &w.genres);
            let mut left = sequential.clone();
            let mut right = sequential.clone();
            for (i, (list, truth)) in w.users.iter().enumerate() {
                sequential.add(list, truth);
                if i < split { left.add(list, truth) } else { right.add(list, truth) }
            }
            left.merge(right);
            assert_same_metrics(&left.finish(), &sequential.finish());
        }

        #[test]
        fn a_list_starting_with_the_whole_truth_is_perfect(
            (list, truth) in (1usize..40).prop_flat_map(|n| {
                let items: Vec<u32> = (0..n as u32).collect();
                subsequence(items, 1..=n).prop_flat_map(move |truth| {
                    let rest: Vec<u32> = (0..n as u32).filter(|i| truth.binary_search(i).is_err()).collect();
                    (Just(truth.clone()).prop_shuffle(), Just(rest).prop_shuffle())
                        .prop_map(move |(head, tail)| {
                            (head.into_iter().chain(tail).collect::<Vec<_>>(), truth.clone())
                        })
                })
            }),
            k in 1usize..50,
        ) {
            prop_assert!((ndcg_at(&list, &truth, k) - 1.0).abs() < EPS);
            let expected = k.min(truth.len()) as f64 / k as f64;
            prop_assert!((precision_at(&list, &truth, k) - expected).abs() < EPS);
            prop_assert_eq!(reciprocal_rank_at(&list, &truth, k), 1.0);
        }

        #[test]
        fn replacing_a_miss_by_a_hit_never_lowers_accuracy(
            (list, truth) in list_and_truth(),
            k in 1usize..50,
        ) {
            let top = list.len().min(k);
            let Some(miss) = list[..top].iter().position(|&item| !is_hit(&truth, item)) else {
                return Ok(());
            };
            // A truth item not in the top k: either absent from the list or further down, in
            // which case it swaps places so the list stays free of duplicates.
            let Some(&hit) = truth.iter().find(|item| !list[..top].contains(item)) else {
                return Ok(());
            };
            let mut better = list.clone();
            match list.iter().position(|&item| item == hit) {
                Some(later) => better.swap(miss, later),
                None => better[miss] = hit,
            }
            let before = precision_at(&list, &truth, k);
            let after = precision_at(&better, &truth, k);
            prop_assert!(after >= before);
            // Exactly one more hit in the top k.
            prop_assert!((after - before - 1.0 / k as f64).abs() < EPS);
            prop_assert!(ndcg_at(&better, &truth, k) >= ndcg_at(&list, &truth, k));
            prop_assert!(reciprocal_rank_at(&better, &truth, k) >= reciprocal_rank_at(&list, &truth, k));
        }
    }
}
