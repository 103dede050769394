//! Content-based: TF-IDF over genres, content type and title/description words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use screening_core::Item;

use crate::progress::Progress;
use crate::reason::Reason;

/// Words too common to say anything about a programme.
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "who", "their", "they", "into", "are",
    "was", "has", "have", "his", "her", "its", "but", "not", "all", "one", "out", "about", "after",
    "over", "when", "what", "where", "which", "will", "than", "them", "then", "there", "these",
    "while", "more", "most", "some", "each", "every", "new", "two", "three",
];

/// Structured fields are what editors tag deliberately, so a genre or content type weighs as much
/// as this many occurrences of a description word.
const FIELD_WEIGHT: f32 = 3.0;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Content {
    /// Term names; genre terms are `g:<genre>`, content types `t:<type>`, words `w:<word>`.
    terms: Vec<String>,
    /// Item vectors, L2-normalised: item `i` is `(term, weight)` pairs in `ptr[i]..ptr[i+1]`.
    ptr: Vec<usize>,
    item_terms: Vec<u32>,
    item_w: Vec<f32>,
    /// Postings: the items of term `t` are in `post_ptr[t]..post_ptr[t+1]`.
    post_ptr: Vec<usize>,
    post_items: Vec<u32>,
    post_w: Vec<f32>,
}

impl Content {
    pub(crate) fn train(catalog: &[Item], progress: &dyn Progress) -> Content {
        progress.begin("content: tf-idf", catalog.len() as u64);
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut terms = Vec::new();
        let docs: Vec<Vec<(u32, f32)>> = catalog
            .iter()
            .map(|item| {
                let mut tf: HashMap<u32, f32> = HashMap::new();
                for (term, w) in tokens(item) {
                    let next = index.len() as u32;
                    let id = *index.entry(term).or_insert_with_key(|t| {
                        terms.push(t.clone());
                        next
                    });
                    *tf.entry(id).or_insert(0.0) += w;
                }
                let mut doc: Vec<(u32, f32)> = tf.into_iter().collect();
                doc.sort_unstable_by_key(|&(t, _)| t);
                doc
            })
            .collect();
        let mut df = vec![0u32; terms.len()];
        for doc in &docs {
            for &(t, _) in doc {
                df[t as usize] += 1;
            }
        }
        // Smoothed idf, as scikit-learn: ln((1 + N) / (1 + df)) + 1.
        let n = catalog.len() as f32;
        let idf: Vec<f32> = df.iter().map(|&d| ((1.0 + n) / (1.0 + d as f32)).ln() + 1.0).collect();
        let mut c = Content {
            terms,
            ptr: vec![0],
            item_terms: Vec::new(),
            item_w: Vec::new(),
            post_ptr: Vec::new(),
            post_items: Vec::new(),
            post_w: Vec::new(),
        };
        for doc in docs {
            let norm = doc.iter().map(|&(t, w)| (w * idf[t as usize]).powi(2)).sum::<f32>().sqrt();
            for (t, w) in doc {
                c.item_terms.push(t);
                c.item_w.push(if norm > 0.0 { w * idf[t as usize] / norm } else { 0.0 });
            }
            c.ptr.push(c.item_terms.len());
            progress.advance(1);
        }
        // Postings by counting sort over terms.
        c.post_ptr = vec![0; c.terms.len() + 1];
        for &t in &c.item_terms {
            c.post_ptr[t as usize + 1] += 1;
        }
        for t in 0..c.terms.len() {
            c.post_ptr[t + 1] += c.post_ptr[t];
        }
        let mut fill = c.post_ptr.clone();
        c.post_items = vec![0; c.item_terms.len()];
        c.post_w = vec![0.0; c.item_terms.len()];
        for i in 0..catalog.len() {
            for k in c.ptr[i]..c.ptr[i + 1] {
                let t = c.item_terms[k] as usize;
                c.post_items[fill[t]] = i as u32;
                c.post_w[fill[t]] = c.item_w[k];
                fill[t] += 1;
            }
        }
        progress.end();
        c
    }

    fn vector(&self, i: u32) -> impl Iterator<Item = (u32, f32)> + '_ {
        let r = self.ptr[i as usize]..self.ptr[i as usize + 1];
        self.item_terms[r.clone()].iter().copied().zip(self.item_w[r].iter().copied())
    }

    /// Cosine between each item and the sum of the history's vectors (up to the profile's norm,
    /// which does not change the order).
    pub(crate) fn score(&self, history: &[u32], scores: &mut [f32]) {
        // Terms in index order (not hash order), so the sums, and ties, are the same every run.
        let mut profile: Vec<(u32, f32)> = Vec::new();
        let mut seen = history.to_vec();
        seen.sort_unstable();
        seen.dedup();
        for &i in &seen {
            profile.extend(self.vector(i));
        }
        profile.sort_unstable_by_key(|&(t, _)| t);
        profile.dedup_by(|b, a| {
            let same = a.0 == b.0;
            if same {
                a.1 += b.1;
            }
            same
        });
        for (t, p) in profile {
            let r = self.post_ptr[t as usize]..self.post_ptr[t as usize + 1];
            for (&j, &w) in self.post_items[r.clone()].iter().zip(&self.post_w[r]) {
                let slot = &mut scores[j as usize];
                *slot = if slot.is_finite() { *slot + p * w } else { p * w };
            }
        }
    }

    fn similarity(&self, a: u32, b: u32) -> f32 {
        let vb: HashMap<u32, f32> = self.vector(b).collect();
        self.vector(a).map(|(t, w)| w * vb.get(&t).copied().unwrap_or(0.0)).sum()
    }

    /// The history item most like `item`, and the genres and type the two share.
    pub(crate) fn explain(&self, history: &[u32], item: u32) -> Reason {
        let best = history
            .iter()
            .map(|&h| (h, self.similarity(h, item)))
            .filter(|(_, s)| *s > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((h, _)) = best else {
            return Reason::SimilarContent {
                item: history.first().copied().unwrap_or(item),
                shared: vec![],
            };
        };
        let theirs: Vec<u32> = self.vector(item).map(|(t, _)| t).collect();
        let shared = self
            .vector(h)
            .filter(|(t, _)| theirs.contains(t))
            .filter_map(|(t, _)| {
                let name = &self.terms[t as usize];
                name.strip_prefix("g:").or_else(|| name.strip_prefix("t:")).map(str::to_owned)
            })
            .take(3)
            .collect();
        Reason::SimilarContent { item: h, shared }
    }
}

/// The weighted terms of one item.
fn tokens(item: &Item) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> =
        item.genres.iter().map(|g| (format!("g:{}", g.to_lowercase()), FIELD_WEIGHT)).collect();
    out.push((format!("t:{}", item.content_type.as_str()), FIELD_WEIGHT));
    let text = format!("{} {}", item.title, item.description).to_lowercase();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() >= 3 && !STOP_WORDS.contains(&word) {
            out.push((format!("w:{word}"), 1.0));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use screening_core::ContentType;

    fn item(id: &str, ct: ContentType, genres: &[&str], description: &str) -> Item {
        Item {
            genres: genres.iter().map(|g| (*g).to_owned()).collect(),
            description: description.into(),
            ..Item::new(id, id, ct)
        }
    }

    #[test]
    fn vectors_are_unit_length_and_similar_items_score_higher() {
        let catalog = vec![
            item("crime1", ContentType::Documentary, &["Crime"], "a murder investigation"),
            item("crime2", ContentType::Documentary, &["Crime"], "an unsolved murder case"),
            item("bake", ContentType::Cooking, &["Food"], "amateur bakers compete"),
            item("empty", ContentType::Other, &[], ""),
        ];
        let c = Content::train(&catalog, &Silent);
        for i in 0..4 {
            let norm: f32 = c.vector(i).map(|(_, w)| w * w).sum();
            assert!((norm - 1.0).abs() < 1e-5, "item {i} has norm² {norm}");
        }
        let mut scores = vec![f32::NEG_INFINITY; 4];
        c.score(&[0], &mut scores);
        assert!(scores[1] > 0.0);
        assert!(scores[1] > scores[2].max(0.0));
        assert!((scores[0] - 1.0).abs() < 1e-5, "an item is its own best match");
        assert_eq!(
            c.explain(&[2, 0], 1),
            Reason::SimilarContent { item: 0, shared: vec!["crime".into(), "documentary".into()] }
        );
    }
}
