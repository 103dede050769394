//! A tiny deterministic PRNG (SplitMix64) and a cumulative-weight sampler.
//!
//! Written here rather than taken from a crate so the demo data never changes with a dependency
//! version: the same seed gives the same catalog and log on every machine, forever.

/// SplitMix64 (Steele, Lea & Flood 2014): one `u64` of state, good enough statistical quality
/// for a simulation, and trivially reproducible.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// An independent stream `stream` of generator `seed` (e.g. one per simulated viewer).
    pub(crate) fn stream(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let out = screening_core::splitmix64(self.0);
        self.0 = self.0.wrapping_add(screening_core::SPLITMIX_STEP);
        out
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f64(); // (0, 1]
        let u2 = self.f64();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    pub(crate) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
}

/// FNV-1a, for deriving stable numbers (colours, seeds) from ids.
pub(crate) fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// Samples indices in proportion to their weights (binary search over cumulative weights).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cdf {
    cum: Vec<f64>,
    idx: Vec<u32>,
}

impl Cdf {
    /// A sampler over `(index, weight)` pairs; non-positive weights are dropped.
    pub(crate) fn new(pairs: impl IntoIterator<Item = (u32, f64)>) -> Self {
        let mut cdf = Cdf::default();
        let mut total = 0.0;
        for (i, w) in pairs {
            if w > 0.0 {
                total += w;
                cdf.cum.push(total);
                cdf.idx.push(i);
            }
        }
        cdf
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }

    pub(crate) fn sample(&self, rng: &mut Rng) -> u32 {
        let total = *self.cum.last().expect("sampling from an empty Cdf");
        let x = rng.f64() * total;
        let i = self.cum.partition_point(|&c| c <= x);
        self.idx[i.min(self.idx.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_streams_differ() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 1);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 1);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..5)
            .map({
                let mut r = Rng::stream(7, 2);
                move |_| r.next_u64()
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn cdf_follows_weights() {
        let cdf = Cdf::new([(10, 1.0), (20, 0.0), (30, 3.0)]);
        let mut rng = Rng::new(1);
        let mut counts = [0u32; 2];
        for _ in 0..40_000 {
            match cdf.sample(&mut rng) {
                10 => counts[0] += 1,
                30 => counts[1] += 1,
                other => panic!("sampled {other}, which has weight 0 or does not exist"),
            }
        }
        let share = f64::from(counts[1]) / 40_000.0;
        assert!((share - 0.75).abs() < 0.02, "share of the weight-3 index: {share}");
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::new(3);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            seen[rng.below(7)] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }
}
