//! Trending: plays in the last days of the data, newer plays weighing more.

use serde::{Deserialize, Serialize};

use crate::data::TrainData;
use crate::reason::Reason;

const DAY: f64 = 86_400.0;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Trending {
    window_days: u32,
    /// Plays in the window per item.
    plays: Vec<u32>,
    /// Sum over those plays of 0.5^(age / half-life).
    weight: Vec<f32>,
}

impl Trending {
    /// The window ends at the newest event of the training data, so a dataset from 2018 trends
    /// as of its own last day rather than as of today.
    pub(crate) fn train(data: &TrainData, window_days: u32, half_life_days: f64) -> Trending {
        let n = data.n_items();
        let mut plays = vec![0u32; n];
        let mut weight = vec![0f32; n];
        let newest = data.events().iter().map(|&(_, t)| t).max().unwrap_or(0);
        let start = newest - i64::from(window_days) * DAY as i64;
        for &(item, t) in data.events() {
            if t > start {
                let age_days = (newest - t) as f64 / DAY;
                plays[item as usize] += 1;
                weight[item as usize] += 0.5f64.powf(age_days / half_life_days) as f32;
            }
        }
        Trending { window_days, plays, weight }
    }

    pub(crate) fn score(&self, scores: &mut [f32]) {
        for ((s, &w), &p) in scores.iter_mut().zip(&self.weight).zip(&self.plays) {
            if p > 0 {
                *s = w;
            }
        }
    }

    pub(crate) fn explain(&self, item: u32) -> Reason {
        Reason::Trending { plays: self.plays[item as usize], window_days: self.window_days }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_plays_outweigh_old_ones_and_the_window_cuts() {
        let d = DAY as i64;
        let now = 100 * d;
        // item 0: three plays 20 days ago; item 1: two plays today; item 2: 40 plays 31 days ago.
        let mut events = vec![(0, now - 20 * d); 3];
        events.extend([(1, now); 2]);
        events.extend(vec![(2, now - 31 * d); 40]);
        let data = TrainData::from_users(3, vec![events]);
        let t = Trending::train(&data, 30, 7.0);
        assert_eq!(t.plays, vec![3, 2, 0]);
        // 3 × 0.5^(20/7) ≈ 0.414 < 2 × 1
        assert!((t.weight[0] - 3.0 * 0.5f32.powf(20.0 / 7.0)).abs() < 1e-5);
        assert_eq!(t.weight[1], 2.0);
        let mut scores = vec![f32::NEG_INFINITY; 3];
        t.score(&mut scores);
        assert!(scores[1] > scores[0]);
        assert_eq!(scores[2], f32::NEG_INFINITY);
        assert_eq!(t.explain(0), Reason::Trending { plays: 3, window_days: 30 });
    }
}
