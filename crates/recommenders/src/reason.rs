//! Why an item is in a list, in terms an editorialist can check against the persona.

use serde::{Deserialize, Serialize};

use screening_core::Item;

/// The reason a model gives for one recommended item. Item references are catalog indices;
/// [`Reason::text`] turns them into titles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// One of the most watched items of all time.
    Popular { viewers: u32 },
    /// Many recent plays.
    Trending { plays: u32, window_days: u32 },
    /// Co-watched with these history items (neighbourhood models, EASE), strongest first.
    BecauseYouWatched { items: Vec<u32> },
    /// Close in genres and description to this history item; `shared` are the common genres.
    SimilarContent { item: u32, shared: Vec<String> },
    /// Drawn at random (the control list).
    Random,
    /// The history is empty, so the list falls back to all-time popularity.
    NoHistory { viewers: u32 },
    /// The model had nothing more to say about this history; popular items fill the list.
    Backfill { viewers: u32 },
}

impl Reason {
    /// One line of text, with item indices replaced by titles.
    pub fn text(&self, catalog: &[Item]) -> String {
        let title = |i: &u32| {
            catalog.get(*i as usize).map_or_else(|| format!("item #{i}"), |it| it.title.clone())
        };
        match self {
            Reason::Popular { viewers } => {
                format!("Popular: watched by {} viewers", group(*viewers))
            }
            Reason::Trending { plays, window_days } => {
                format!("Trending: {} plays in the last {window_days} days", group(*plays))
            }
            Reason::BecauseYouWatched { items } => {
                let titles: Vec<String> = items.iter().map(title).collect();
                format!("Because you watched {}", and_list(&titles))
            }
            Reason::SimilarContent { item, shared } if shared.is_empty() => {
                format!("Similar to {}", title(item))
            }
            Reason::SimilarContent { item, shared } => {
                format!("Similar to {} ({})", title(item), shared.join(", "))
            }
            Reason::Random => "Random pick (control list)".to_owned(),
            Reason::NoHistory { viewers } => {
                format!("No watch history yet: popular with {} viewers", group(*viewers))
            }
            Reason::Backfill { viewers } => format!(
                "Popular filler ({} viewers): the history says nothing more to this model",
                group(*viewers)
            ),
        }
    }
}

/// `1234567` → `1,234,567`.
fn group(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `[a]` → `a`, `[a, b]` → `a and b`, `[a, b, c]` → `a, b and c`.
fn and_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_sentences() {
        let catalog: Vec<Item> = ["Alpha", "Beta", "Gamma"]
            .iter()
            .enumerate()
            .map(|(i, t)| Item::new(i.to_string(), *t, screening_core::ContentType::Film))
            .collect();
        let text = |r: Reason| r.text(&catalog);
        assert_eq!(
            text(Reason::Popular { viewers: 1234567 }),
            "Popular: watched by 1,234,567 viewers"
        );
        assert_eq!(
            text(Reason::Trending { plays: 999, window_days: 30 }),
            "Trending: 999 plays in the last 30 days"
        );
        assert_eq!(
            text(Reason::BecauseYouWatched { items: vec![2, 0] }),
            "Because you watched Gamma and Alpha"
        );
        assert_eq!(
            text(Reason::SimilarContent { item: 1, shared: vec!["crime".into(), "drama".into()] }),
            "Similar to Beta (crime, drama)"
        );
        assert_eq!(
            text(Reason::NoHistory { viewers: 12 }),
            "No watch history yet: popular with 12 viewers"
        );
        assert_eq!(and_list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }
}
