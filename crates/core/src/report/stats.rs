//! The statistics under the report, each on plain numbers: quantiles, the exact binomial test,
//! Krippendorff's α, Bradley–Terry by maximum likelihood, and the resampling weights of the
//! cluster bootstrap.

use crate::SPLITMIX_STEP;
use crate::splitmix64;

/// The `q`-quantile (0..=1) of sorted values, interpolating linearly between order statistics
/// (NumPy's default `percentile` method). `None` when there are no values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// The central 95% interval of bootstrap values (NaN rounds left out), `None` when none.
pub fn interval95(values: &mut Vec<f64>) -> Option<[f64; 2]> {
    values.retain(|v| v.is_finite());
    values.sort_by(f64::total_cmp);
    Some([quantile(values, 0.025)?, quantile(values, 0.975)?])
}

/// Two-sided exact binomial test of `k` successes in `n` trials against p = ½: the probability
/// of an outcome at least as far from n/2 as `k`. 1 when `n` is 0.
pub fn binomial_two_sided(k: u64, n: u64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let k = k.min(n);
    let low = k.min(n - k);
    if 2 * low == n {
        return 1.0;
    }
    // ln C(n, x) for x = 0..=low, from ln n! − ln x! − ln (n−x)!, summed in log space.
    let ln_fact = |m: u64| -> f64 { (2..=m).map(|i| (i as f64).ln()).sum() };
    let ln_n = ln_fact(n);
    let ln2n = n as f64 * std::f64::consts::LN_2;
    let mut terms = Vec::with_capacity(low as usize + 1);
    let mut ln_x = 0.0; // ln x!
    let mut ln_nx = ln_fact(n); // ln (n − x)!
    for x in 0..=low {
        if x > 0 {
            ln_x += (x as f64).ln();
            ln_nx -= ((n - x + 1) as f64).ln();
        }
        terms.push(ln_n - ln_x - ln_nx - ln2n);
    }
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let tail = max.exp() * terms.iter().map(|t| (t - max).exp()).sum::<f64>();
    (2.0 * tail).min(1.0)
}

/// Which distance between ratings Krippendorff's α uses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Metric {
    /// Ranks matter, not distances (Krippendorff's ordinal metric, from value frequencies).
    #[default]
    Ordinal,
    /// Squared difference of the values.
    Interval,
    /// Same or different.
    Nominal,
}

/// Krippendorff's α and the number of pairable values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alpha {
    /// `None` when undefined: no pairable values, or no disagreement is even possible (every
    /// value the same).
    pub alpha: Option<f64>,
    /// Values in units that have at least two values.
    pub pairable: u64,
}

/// Krippendorff's α over `units`, each the values the raters gave one unit (missing ones left
/// out), by the coincidence-matrix computation of Krippendorff (2011), "Computing Krippendorff's
/// Alpha-Reliability".
pub fn krippendorff_alpha(units: &[Vec<u8>], metric: Metric) -> Alpha {
    let mut values: Vec<u8> = units.iter().filter(|u| u.len() >= 2).flatten().copied().collect();
    values.sort_unstable();
    values.dedup();
    let v = values.len();
    let index = |x: u8| values.binary_search(&x).unwrap_or(0);
    // Coincidences: every ordered pair of values within a unit, weighted 1 / (m − 1); from the
    // unit's value counts n_c, o_ck gains n_c·n_k (c ≠ k) or n_c·(n_c − 1) (c = k).
    let mut o = vec![0.0f64; v * v];
    let mut pairable = 0u64;
    let mut counts = vec![0.0f64; v];
    for unit in units.iter().filter(|u| u.len() >= 2) {
        let w = 1.0 / (unit.len() - 1) as f64;
        pairable += unit.len() as u64;
        counts.iter_mut().for_each(|c| *c = 0.0);
        for &x in unit {
            counts[index(x)] += 1.0;
        }
        for c in 0..v {
            for k in 0..v {
                let same = if c == k { 1.0 } else { 0.0 };
                o[c * v + k] += w * counts[c] * (counts[k] - same);
            }
        }
    }
    let n_c: Vec<f64> = (0..v).map(|c| (0..v).map(|k| o[c * v + k]).sum()).collect();
    let n: f64 = n_c.iter().sum();
    let delta2 = |c: usize, k: usize| -> f64 {
        match metric {
            Metric::Nominal => f64::from(u8::from(c != k)),
            Metric::Interval => (f64::from(values[c]) - f64::from(values[k])).powi(2),
            Metric::Ordinal => {
                let (lo, hi) = (c.min(k), c.max(k));
                let between: f64 = n_c[lo..=hi].iter().sum();
                (between - (n_c[c] + n_c[k]) / 2.0).powi(2)
            }
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..v {
        for k in 0..v {
            let d = delta2(c, k);
            observed += o[c * v + k] * d;
            expected += n_c[c] * n_c[k] * d;
        }
    }
    let alpha = (pairable > 1 && expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected);
    Alpha { alpha, pairable }
}

/// A Bradley–Terry fit.
#[derive(Debug, Clone, PartialEq)]
pub struct BradleyTerry {
    /// Log-strengths, centred to sum 0 over the candidates that were compared; `None` for a
    /// candidate never compared. P(i beats j) = 1 / (1 + e^(β_j − β_i)).
    pub strength: Vec<Option<f64>>,
    /// The comparisons did not tie every candidate to every other through wins both ways (some
    /// candidate never won or never lost), so the maximum-likelihood fit does not exist; one
    /// virtual tie was added between every two compared candidates to get a finite answer.
    pub regularized: bool,
}

impl BradleyTerry {
    /// P(`a` beats `b`), when both were compared.
    pub fn win_probability(&self, a: usize, b: usize) -> Option<f64> {
        let (x, y) = (self.strength.get(a).copied()??, self.strength.get(b).copied()??);
        Some(1.0 / (1.0 + (y - x).exp()))
    }
}

/// Fits Bradley–Terry strengths by maximum likelihood to `wins` (n × n, row-major): `wins[i*n+j]`
/// is how often i beat j, a tie already counted as half a win each way. Newton's method on the
/// log-likelihood (concave), with step halving, to a gradient below 1e-10 of the comparisons:
/// quadratic convergence where Hunter's (2004) MM iteration can need tens of thousands of
/// sweeps (strengths far apart).
pub fn bradley_terry(n: usize, wins: &[f64]) -> BradleyTerry {
    bradley_terry_from(n, wins, None)
}

/// [`bradley_terry`] starting from log-strengths `start` (a nearby fit, e.g. the full data's
/// for a bootstrap round, converges in far fewer iterations).
pub fn bradley_terry_from(n: usize, wins: &[f64], start: Option<&[Option<f64>]>) -> BradleyTerry {
    let compared: Vec<bool> =
        (0..n).map(|i| (0..n).any(|j| wins[i * n + j] + wins[j * n + i] > 0.0)).collect();
    let regularized = !strongly_connected(n, wins, &compared);
    let mut w = wins.to_vec();
    if regularized {
        for i in 0..n {
            for j in 0..n {
                if i != j && compared[i] && compared[j] {
                    w[i * n + j] += 0.5;
                }
            }
        }
    }
    let nodes: Vec<usize> = (0..n).filter(|&i| compared[i]).collect();
    let mut beta: Vec<f64> =
        (0..n).map(|i| start.and_then(|s| s.get(i).copied().flatten()).unwrap_or(0.0)).collect();
    newton(n, &w, &nodes, &mut beta);
    // Centre the log-strengths on 0.
    let mean = nodes.iter().map(|&i| beta[i]).sum::<f64>() / nodes.len().max(1) as f64;
    let p: Vec<f64> = beta.iter().map(|b| (b - mean).exp()).collect();
    let strength = (0..n).map(|i| compared[i].then(|| p[i].ln())).collect();
    BradleyTerry { strength, regularized }
}

/// Maximises Σ w_ij · ln σ(β_i − β_j) over the log-strengths of `nodes` in place, the last node
/// held fixed (the likelihood only sees differences).
fn newton(n: usize, w: &[f64], nodes: &[usize], beta: &mut [f64]) {
    let m = nodes.len();
    if m < 2 {
        return;
    }
    let sigma = |x: f64| 1.0 / (1.0 + (-x).exp());
    let log_likelihood = |beta: &[f64]| -> f64 {
        let mut l = 0.0;
        for &i in nodes {
            for &j in nodes {
                if i != j && w[i * n + j] > 0.0 {
                    // ln σ(x) = −ln(1 + e^(−x)), written to stay finite for large |x|.
                    let x = beta[i] - beta[j];
                    l -= w[i * n + j]
                        * if x > 0.0 { (-x).exp().ln_1p() } else { (x.exp()).ln_1p() - x };
                }
            }
        }
        l
    };
    let total: f64 = nodes.iter().flat_map(|&i| nodes.iter().map(move |&j| w[i * n + j])).sum();
    let k = m - 1; // unknowns: every node but the last
    for _ in 0..100 {
        // Gradient g_i = W_i − Σ_j N_ij σ(β_i − β_j); Hessian of −L: Σ_j N_ij σ(1 − σ) on the
        // diagonal, −N_ij σ(1 − σ) off it.
        let mut g = vec![0.0f64; k];
        let mut h = vec![0.0f64; k * k];
        for (a, &i) in nodes.iter().enumerate().take(k) {
            for (b, &j) in nodes.iter().enumerate() {
                if i == j {
                    continue;
                }
                let n_ij = w[i * n + j] + w[j * n + i];
                let s = sigma(beta[i] - beta[j]);
                g[a] += w[i * n + j] - n_ij * s;
                let c = n_ij * s * (1.0 - s);
                h[a * k + a] += c;
                if b < k {
                    h[a * k + b] -= c;
                }
            }
        }
        if g.iter().all(|x| x.abs() <= 1e-10 * total.max(1.0)) {
            return;
        }
        let Some(step) = solve(k, h, g) else { return };
        let before = log_likelihood(beta);
        let mut t = 1.0;
        loop {
            let mut next = beta.to_vec();
            for (a, &i) in nodes.iter().enumerate().take(k) {
                next[i] += t * step[a];
            }
            if log_likelihood(&next) >= before || t < 1e-6 {
                beta.copy_from_slice(&next);
                break;
            }
            t /= 2.0;
        }
    }
}

/// Solves the k × k system `a x = b` by Gaussian elimination with partial pivoting; `None` when
/// singular.
fn solve(k: usize, mut a: Vec<f64>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    for col in 0..k {
        let pivot =
            (col..k).max_by(|&x, &y| a[x * k + col].abs().total_cmp(&a[y * k + col].abs()))?;
        if a[pivot * k + col].abs() < 1e-300 {
            return None;
        }
        if pivot != col {
            for c in 0..k {
                a.swap(pivot * k + c, col * k + c);
            }
            b.swap(pivot, col);
        }
        for row in col + 1..k {
            let f = a[row * k + col] / a[col * k + col];
            for c in col..k {
                a[row * k + c] -= f * a[col * k + c];
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0f64; k];
    for row in (0..k).rev() {
        let rest: f64 = (row + 1..k).map(|c| a[row * k + c] * x[c]).sum();
        x[row] = (b[row] - rest) / a[row * k + row];
    }
    Some(x)
}

/// Whether every compared candidate reaches every other along "beat" edges (a tie is an edge both
/// ways): the condition for the maximum-likelihood fit to exist (Zermelo 1929, Ford 1957).
fn strongly_connected(n: usize, wins: &[f64], compared: &[bool]) -> bool {
    let nodes: Vec<usize> = (0..n).filter(|&i| compared[i]).collect();
    let Some(&start) = nodes.first() else { return true };
    let reach = |forward: bool| {
        let mut seen = vec![false; n];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(i) = stack.pop() {
            for j in 0..n {
                let edge = if forward { wins[i * n + j] } else { wins[j * n + i] };
                if edge > 0.0 && !seen[j] {
                    seen[j] = true;
                    stack.push(j);
                }
            }
        }
        nodes.iter().all(|&i| seen[i])
    };
    reach(true) && reach(false)
}

/// Resampling weights for one bootstrap round: how often each of `n` clusters was drawn when
/// drawing `n` with replacement. Round `r` of seed `seed` always draws the same.
pub fn resample_counts(n: usize, seed: u64, round: u64, stream: u64, out: &mut Vec<f64>) {
    out.clear();
    out.resize(n, 0.0);
    let mut state = splitmix64(seed ^ splitmix64(round.wrapping_mul(2).wrapping_add(stream)));
    for _ in 0..n {
        state = state.wrapping_add(SPLITMIX_STEP);
        let x = splitmix64(state);
        // Lemire's multiply-shift: uniform enough over n ≪ 2⁶⁴.
        let i = ((u128::from(x) * n as u128) >> 64) as usize;
        out[i] += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&x, 0.0), Some(1.0));
        assert_eq!(quantile(&x, 1.0), Some(4.0));
        assert_eq!(quantile(&x, 0.5), Some(2.5));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn binomial_edges() {
        assert_eq!(binomial_two_sided(0, 0), 1.0);
        assert_eq!(binomial_two_sided(5, 10), 1.0);
        // P(X ≤ 0) · 2 for n = 3 = 2 / 8.
        assert!((binomial_two_sided(0, 3) - 0.25).abs() < 1e-15);
        assert!((binomial_two_sided(3, 3) - 0.25).abs() < 1e-15);
    }

    #[test]
    fn resampling_is_seeded_and_draws_n() {
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        resample_counts(50, 7, 3, 0, &mut a);
        resample_counts(50, 7, 3, 0, &mut b);
        resample_counts(50, 7, 4, 0, &mut c);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.iter().sum::<f64>(), 50.0);
    }

    #[test]
    fn bradley_terry_two_candidates_is_the_win_share() {
        // 3 wins to 1: P = 0.75 exactly at the MLE.
        let bt = bradley_terry(2, &[0.0, 3.0, 1.0, 0.0]);
        assert!(!bt.regularized);
        assert!((bt.win_probability(0, 1).unwrap() - 0.75).abs() < 1e-9);
    }

    /// Strengths far apart (two groups that only tie virtually across) are where MM crawls:
    /// the fit must still meet the likelihood equations, W_i = Σ_j N_ij σ(β_i − β_j).
    #[test]
    fn bradley_terry_converges_when_strengths_are_far_apart() {
        let n = 4;
        let mut wins = vec![0.0; n * n];
        for (i, j, x) in [(0, 1, 30.0), (1, 0, 25.0), (2, 3, 40.0), (3, 2, 38.0)] {
            wins[i * n + j] = x;
        }
        for (i, j) in [(2, 0), (2, 1), (3, 0), (3, 1)] {
            wins[i * n + j] = 500.0;
        }
        let fit = bradley_terry(n, &wins);
        assert!(fit.regularized);
        let beta: Vec<f64> = fit.strength.iter().map(|b| b.unwrap()).collect();
        assert!(beta[2] - beta[0] > 5.0, "{beta:?}");
        let mut w = wins.clone();
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    w[i * n + j] += 0.5;
                }
            }
        }
        for i in 0..n {
            let won: f64 = (0..n).map(|j| w[i * n + j]).sum();
            let expected: f64 = (0..n)
                .filter(|&j| j != i)
                .map(|j| (w[i * n + j] + w[j * n + i]) / (1.0 + (beta[j] - beta[i]).exp()))
                .sum();
            assert!((won - expected).abs() < 1e-7, "{i}: {won} vs {expected}");
        }
    }

    #[test]
    fn bradley_terry_regularizes_a_candidate_that_never_wins() {
        let bt = bradley_terry(2, &[0.0, 4.0, 0.0, 0.0]);
        assert!(bt.regularized);
        // 4.5 to 0.5 after one virtual tie.
        assert!((bt.win_probability(0, 1).unwrap() - 0.9).abs() < 1e-9);
        let never = bradley_terry(3, &[0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(never.strength[2], None);
    }
}
