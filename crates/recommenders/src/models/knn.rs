//! Item-kNN: cosine similarity over co-occurrence, shrunk, top-N neighbours per item.

use std::collections::BinaryHeap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::TrainData;
use crate::progress::Progress;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ItemKnn {
    /// Neighbours of item `i` are `nbr[ptr[i]..ptr[i + 1]]`, most similar first.
    ptr: Vec<usize>,
    nbr: Vec<u32>,
    sim: Vec<f32>,
}

impl ItemKnn {
    /// `sim(i, j) = c_ij / (sqrt(n_i · n_j) + shrink)` where `c_ij` counts viewers of both and
    /// `n_i` viewers of `i`. Rows are computed in parallel, each with its own dense counter.
    pub(crate) fn train(
        data: &TrainData,
        neighbours: usize,
        shrink: f32,
        progress: &dyn Progress,
    ) -> ItemKnn {
        // A co-count never exceeds the number of users: with fewer than 65,536 of them, 16-bit
        // counters halve the counter array, which then stays in L1 cache for catalogs of up to
        // ~20k items (this loop is most of the training time).
        if data.n_users() <= usize::from(u16::MAX) {
            Self::train_with::<u16>(data, neighbours, shrink, progress)
        } else {
            Self::train_with::<u32>(data, neighbours, shrink, progress)
        }
    }

    fn train_with<C: Counter>(
        data: &TrainData,
        neighbours: usize,
        shrink: f32,
        progress: &dyn Progress,
    ) -> ItemKnn {
        let n = data.n_items();
        let by_item = data.item_users();
        let norms: Vec<f32> = data.item_counts().iter().map(|&c| (c as f32).sqrt()).collect();
        progress.begin("item-knn: similarities", n as u64);
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .into_par_iter()
            .with_min_len(64)
            .map_init(
                || (vec![C::ZERO; n], Vec::new(), BinaryHeap::with_capacity(neighbours + 1)),
                |(counts, touched, best), i| {
                    for &u in by_item.row(i) {
                        for &j in data.user_items(u as usize) {
                            let c = &mut counts[j as usize];
                            if *c == C::ZERO {
                                touched.push(j);
                            }
                            c.increment();
                        }
                    }
                    // One pass over the co-watched items: similarity, reset the counter, and
                    // keep the best `neighbours` in a heap whose top is the weakest kept, so
                    // most candidates cost one comparison (not a push and a selection).
                    for &j in touched.iter() {
                        let c = std::mem::replace(&mut counts[j as usize], C::ZERO).as_f32();
                        if j as usize == i {
                            continue;
                        }
                        let candidate =
                            Neighbour { sim: c / (norms[i] * norms[j as usize] + shrink), item: j };
                        if best.len() < neighbours {
                            best.push(candidate);
                        } else if let Some(mut weakest) = best.peek_mut()
                            && candidate < *weakest
                        {
                            *weakest = candidate;
                        }
                    }
                    touched.clear();
                    // Ascending in this order is strongest first.
                    let mut row: Vec<Neighbour> = best.drain().collect();
                    row.sort_unstable();
                    if i.is_multiple_of(256) {
                        progress.advance(256);
                    }
                    row.into_iter().map(|nb| (nb.item, nb.sim)).collect::<Vec<(u32, f32)>>()
                },
            )
            .collect();
        progress.end();
        let mut knn = ItemKnn { ptr: Vec::with_capacity(n + 1), nbr: Vec::new(), sim: Vec::new() };
        knn.ptr.push(0);
        for row in rows {
            for (j, s) in row {
                knn.nbr.push(j);
                knn.sim.push(s);
            }
            knn.ptr.push(knn.nbr.len());
        }
        knn
    }

    fn neighbours(&self, i: u32) -> impl Iterator<Item = (u32, f32)> + '_ {
        let r = self.ptr[i as usize]..self.ptr[i as usize + 1];
        self.nbr[r.clone()].iter().copied().zip(self.sim[r].iter().copied())
    }

    /// `score(j) = Σ_{i ∈ history} sim(i, j)` over the kept neighbours.
    pub(crate) fn score(&self, history: &[u32], scores: &mut [f32]) {
        for &i in history {
            for (j, s) in self.neighbours(i) {
                let slot = &mut scores[j as usize];
                *slot = if slot.is_finite() { *slot + s } else { s };
            }
        }
    }

    /// The (at most two) history items that contribute most to `item`.
    pub(crate) fn explain(&self, history: &[u32], item: u32) -> Vec<u32> {
        let contributions = history
            .iter()
            .map(|&i| (i, self.neighbours(i).find(|&(j, _)| j == item).map_or(0.0, |(_, s)| s)));
        super::strongest(contributions, 2)
    }

    /// The kept neighbours of `i` with similarities (for tests and benches).
    #[cfg(test)]
    pub fn row(&self, i: u32) -> Vec<(u32, f32)> {
        self.neighbours(i).collect()
    }
}

/// A candidate neighbour, ordered from the strongest (highest similarity, then lowest index) to
/// the weakest, so a max-heap of them has the weakest on top.
#[derive(Debug, Clone, Copy)]
struct Neighbour {
    sim: f32,
    item: u32,
}

impl Ord for Neighbour {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.sim.total_cmp(&self.sim).then(self.item.cmp(&other.item))
    }
}

impl PartialOrd for Neighbour {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Neighbour {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Neighbour {}

/// A co-occurrence counter: `u16` or `u32`.
trait Counter: Copy + PartialEq + Send {
    const ZERO: Self;
    fn increment(&mut self);
    fn as_f32(self) -> f32;
}

impl Counter for u16 {
    const ZERO: Self = 0;
    fn increment(&mut self) {
        *self += 1;
    }
    fn as_f32(self) -> f32 {
        f32::from(self)
    }
}

impl Counter for u32 {
    const ZERO: Self = 0;
    fn increment(&mut self) {
        *self += 1;
    }
    fn as_f32(self) -> f32 {
        self as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    /// Cosine with shrinkage computed straight from the definition on the user × item matrix.
    fn brute_force(data: &TrainData, i: u32, j: u32, shrink: f32) -> f32 {
        let (mut c, mut ni, mut nj) = (0.0f32, 0.0f32, 0.0f32);
        for u in 0..data.n_users() {
            let has_i = data.user_items(u).contains(&i);
            let has_j = data.user_items(u).contains(&j);
            c += f32::from(u8::from(has_i && has_j));
            ni += f32::from(u8::from(has_i));
            nj += f32::from(u8::from(has_j));
        }
        c / ((ni * nj).sqrt() + shrink)
    }

    fn random_data(seed: u64, users: usize, items: u32) -> TrainData {
        let mut h = seed;
        let rows = (0..users)
            .map(|_| {
                (0..items)
                    .filter(|_| {
                        h = screening_core::splitmix64(h);
                        h.is_multiple_of(4)
                    })
                    .map(|i| (i, 0))
                    .collect()
            })
            .collect();
        TrainData::from_users(items as usize, rows)
    }

    #[test]
    fn similarities_match_brute_force_cosine() {
        let data = random_data(7, 60, 25);
        for shrink in [0.0, 3.0] {
            let knn = ItemKnn::train(&data, 25, shrink, &Silent);
            for i in 0..25 {
                for (j, s) in knn.row(i) {
                    let expected = brute_force(&data, i, j, shrink);
                    assert!((s - expected).abs() < 1e-6, "sim({i},{j}) = {s}, expected {expected}");
                }
                // every co-watched item is kept when neighbours ≥ items
                let kept = knn.row(i).len();
                let nonzero = (0..25).filter(|&j| j != i && brute_force(&data, i, j, 0.0) > 0.0);
                assert_eq!(kept, nonzero.count());
            }
        }
    }

    #[test]
    fn wide_and_narrow_counters_agree() {
        let data = random_data(5, 70, 40);
        let narrow = ItemKnn::train_with::<u16>(&data, 10, 2.0, &Silent);
        let wide = ItemKnn::train_with::<u32>(&data, 10, 2.0, &Silent);
        for i in 0..40 {
            assert_eq!(narrow.row(i), wide.row(i));
        }
    }

    #[test]
    fn only_the_top_neighbours_are_kept_most_similar_first() {
        let data = random_data(11, 80, 30);
        let full = ItemKnn::train(&data, 30, 1.0, &Silent);
        let top = ItemKnn::train(&data, 5, 1.0, &Silent);
        for i in 0..30 {
            let row = top.row(i);
            assert!(row.len() <= 5);
            assert_eq!(row, full.row(i)[..row.len()].to_vec());
            assert!(row.windows(2).all(|w| w[0].1 >= w[1].1));
        }
    }

    #[test]
    fn scores_sum_neighbour_similarities_and_reasons_name_the_strongest() {
        // users: {0,1}, {0,1}, {0,2}, {1,2}
        let data = TrainData::from_users(
            3,
            vec![
                vec![(0, 0), (1, 0)],
                vec![(0, 0), (1, 0)],
                vec![(0, 0), (2, 0)],
                vec![(1, 0), (2, 0)],
            ],
        );
        let knn = ItemKnn::train(&data, 10, 0.0, &Silent);
        let mut scores = vec![f32::NEG_INFINITY; 3];
        knn.score(&[0, 1], &mut scores);
        // n = (3, 3, 2); c02 = c12 = 1, so sim(0,2) = sim(1,2) = 1/√6
        assert!((scores[2] - 2.0 / 6f32.sqrt()).abs() < 1e-6);
        // c01 = 2: sim(0,1) = 2/3, so item 1 is scored from item 0 only
        assert!((scores[1] - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(knn.explain(&[0], 1), vec![0]);
    }
}
