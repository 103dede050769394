//! EASE (Steck, "Embarrassingly Shallow Autoencoders", WWW 2019): a closed-form item-item model.

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, MatRef, Side};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::TrainData;
use crate::progress::Progress;

/// Marks an item left out of the model (fewer than `min_count` viewers).
const OUT: u32 = u32::MAX;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Ease {
    /// Catalog index of each model column.
    cols: Vec<u32>,
    /// Model column of each catalog item, or `OUT`.
    col_of: Vec<u32>,
    /// `B`, row-major, `cols.len()²` weights; row `i` scores every item from item `i`.
    b: Vec<f32>,
}

impl Ease {
    /// Trains on the items with at least `min_count` viewers. The Gram matrix `G = XᵀX + λI` is
    /// symmetric positive definite for λ > 0, so it is inverted through its Cholesky factor
    /// (half the work of the LU inverse NumPy's `inv` does), in f64 like the reference.
    pub(crate) fn train(
        data: &TrainData,
        lambda: f64,
        min_count: u32,
        progress: &dyn Progress,
    ) -> Ease {
        let counts = data.item_counts();
        let cols: Vec<u32> =
            (0..counts.len() as u32).filter(|&i| counts[i as usize] >= min_count.max(1)).collect();
        let mut col_of = vec![OUT; counts.len()];
        for (c, &i) in cols.iter().enumerate() {
            col_of[i as usize] = c as u32;
        }
        let n = cols.len();
        progress.begin("ease: gram, inverse, weights", 3);
        let g = gram(data, &col_of, n, lambda);
        progress.advance(1);
        let p = match MatRef::from_column_major_slice(&g, n, n).llt(Side::Lower) {
            Ok(llt) => llt.inverse(),
            // Unreachable for λ > 0 (G is then positive definite); an empty model is the safe
            // answer if rounding ever says otherwise.
            Err(_) => Mat::zeros(n, n),
        };
        drop(g);
        progress.advance(1);
        // B[i][j] = −P[i][j] / P[j][j] for j ≠ i, 0 on the diagonal. P is symmetric, so row i of
        // B is read from column i of P, which faer stores contiguously.
        let diag: Vec<f64> = (0..n).map(|j| p[(j, j)]).collect();
        let mut b = vec![0f32; n * n];
        b.par_chunks_mut(n.max(1)).enumerate().for_each(|(i, row)| {
            let col = p.col(i);
            for (j, w) in row.iter_mut().enumerate() {
                if j != i && diag[j] != 0.0 {
                    *w = (-col[j] / diag[j]) as f32;
                }
            }
        });
        progress.advance(1);
        progress.end();
        Ease { cols, col_of, b }
    }

    fn row(&self, c: u32) -> &[f32] {
        let n = self.cols.len();
        &self.b[c as usize * n..(c as usize + 1) * n]
    }

    /// `score = x · B` for the history's indicator vector `x`; items outside the model get none.
    pub(crate) fn score(&self, history: &[u32], scores: &mut [f32]) {
        let mut in_model: Vec<u32> =
            history.iter().map(|&i| self.col_of[i as usize]).filter(|&c| c != OUT).collect();
        in_model.sort_unstable();
        in_model.dedup();
        if in_model.is_empty() {
            return;
        }
        let mut acc = vec![0f32; self.cols.len()];
        for &c in &in_model {
            for (a, w) in acc.iter_mut().zip(self.row(c)) {
                *a += w;
            }
        }
        for (&item, a) in self.cols.iter().zip(acc) {
            scores[item as usize] = a;
        }
    }

    /// The (at most two) history items whose weights towards `item` are largest.
    pub(crate) fn explain(&self, history: &[u32], item: u32) -> Vec<u32> {
        let j = self.col_of[item as usize];
        if j == OUT {
            return Vec::new();
        }
        let contributions = history.iter().filter_map(|&i| {
            let c = self.col_of[i as usize];
            (c != OUT).then(|| (i, self.row(c)[j as usize]))
        });
        super::strongest(contributions, 2)
    }

    /// `B` as a dense matrix over the model's columns, with the catalog index of each column.
    #[cfg(test)]
    pub fn weights(&self) -> (Vec<u32>, Vec<f32>) {
        (self.cols.clone(), self.b.clone())
    }
}

/// `XᵀX + λI` over the kept items, column-major. Column `a` is filled by one thread from the
/// viewers of `a`, so no two threads write the same memory.
fn gram(data: &TrainData, col_of: &[u32], n: usize, lambda: f64) -> Vec<f64> {
    let by_item = data.item_users();
    let cols: Vec<u32> =
        col_of.iter().enumerate().filter(|(_, c)| **c != OUT).map(|(i, _)| i as u32).collect();
    let mut g = vec![0f64; n * n];
    g.par_chunks_mut(n.max(1)).zip(cols.par_iter()).enumerate().for_each(|(a, (col, &item))| {
        for &u in by_item.row(item as usize) {
            for &j in data.user_items(u as usize) {
                let b = col_of[j as usize];
                if b != OUT {
                    col[b as usize] += 1.0;
                }
            }
        }
        col[a] += lambda;
    });
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    /// EASE from its definition, with a textbook Gauss–Jordan inverse on a small matrix.
    fn closed_form(x: &[Vec<f64>], lambda: f64) -> Vec<Vec<f64>> {
        let n = x[0].len();
        let mut g = vec![vec![0.0; n]; n];
        for row in x {
            for a in 0..n {
                for b in 0..n {
                    g[a][b] += row[a] * row[b];
                }
            }
        }
        for (a, r) in g.iter_mut().enumerate() {
            r[a] += lambda;
        }
        // Gauss–Jordan on [G | I]
        let mut inv: Vec<Vec<f64>> =
            (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
        for c in 0..n {
            let pivot = g[c][c];
            for j in 0..n {
                g[c][j] /= pivot;
                inv[c][j] /= pivot;
            }
            for r in 0..n {
                if r != c {
                    let f = g[r][c];
                    for j in 0..n {
                        g[r][j] -= f * g[c][j];
                        inv[r][j] -= f * inv[c][j];
                    }
                }
            }
        }
        (0..n)
            .map(|i| (0..n).map(|j| if i == j { 0.0 } else { -inv[i][j] / inv[j][j] }).collect())
            .collect()
    }

    #[test]
    fn weights_match_the_closed_form() {
        let rows: Vec<Vec<u32>> =
            vec![vec![0, 1, 2], vec![1, 2], vec![0, 3], vec![2, 3, 4], vec![0, 1, 4], vec![4]];
        let data = TrainData::from_users(
            5,
            rows.iter().map(|r| r.iter().map(|&i| (i, 0)).collect()).collect(),
        );
        let x: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| (0..5).map(|i| f64::from(u8::from(r.contains(&i)))).collect())
            .collect();
        for lambda in [0.5, 10.0] {
            let ease = Ease::train(&data, lambda, 1, &Silent);
            let (cols, b) = ease.weights();
            assert_eq!(cols, vec![0, 1, 2, 3, 4]);
            let expected = closed_form(&x, lambda);
            for i in 0..5 {
                for j in 0..5 {
                    let got = f64::from(b[i * 5 + j]);
                    assert!(
                        (got - expected[i][j]).abs() < 1e-5,
                        "B[{i}][{j}] {got} vs {}",
                        expected[i][j]
                    );
                }
            }
            // scoring is x·B
            let mut scores = vec![f32::NEG_INFINITY; 5];
            ease.score(&[0, 3], &mut scores);
            for j in 0..5 {
                let e = expected[0][j] + expected[3][j];
                assert!((f64::from(scores[j]) - e).abs() < 1e-5);
            }
        }
    }

    #[test]
    fn rare_items_are_left_out_and_get_no_score() {
        let data = TrainData::from_users(
            3,
            vec![vec![(0, 0), (1, 0)], vec![(0, 0), (1, 0)], vec![(0, 0), (2, 0)]],
        );
        let ease = Ease::train(&data, 1.0, 2, &Silent);
        assert_eq!(ease.weights().0, vec![0, 1]);
        let mut scores = vec![f32::NEG_INFINITY; 3];
        ease.score(&[2], &mut scores);
        assert!(scores.iter().all(|s| *s == f32::NEG_INFINITY));
        ease.score(&[0], &mut scores);
        assert!(scores[1] > 0.0);
        assert_eq!(scores[2], f32::NEG_INFINITY);
        assert_eq!(ease.explain(&[0, 2], 1), vec![0]);
    }
}
