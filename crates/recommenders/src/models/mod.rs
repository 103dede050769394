//! The trained state and scoring of each model that is more than a popularity count.

mod content;
mod ease;
mod knn;
mod trending;

pub(crate) use content::Content;
pub(crate) use ease::Ease;
pub(crate) use knn::ItemKnn;
pub(crate) use trending::Trending;

/// The indices of the (at most) `n` largest positive `weights`, largest first.
fn strongest(weights: impl Iterator<Item = (u32, f32)>, n: usize) -> Vec<u32> {
    let mut w: Vec<(u32, f32)> = weights.filter(|(_, w)| *w > 0.0).collect();
    w.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    w.into_iter().take(n).map(|(i, _)| i).collect()
}
