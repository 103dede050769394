//! Catalog items: what a recommender may put in a list.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kind of programme an item is. Editorial rules (and the badges in the UI) key on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContentType {
    Series,
    Film,
    Reality,
    Documentary,
    News,
    Kids,
    Sport,
    Cooking,
    TalkShow,
    Other,
}

impl ContentType {
    /// Every variant, in display order.
    pub const ALL: [ContentType; 10] = [
        ContentType::Series,
        ContentType::Film,
        ContentType::Reality,
        ContentType::Documentary,
        ContentType::News,
        ContentType::Kids,
        ContentType::Sport,
        ContentType::Cooking,
        ContentType::TalkShow,
        ContentType::Other,
    ];

    /// The snake_case name used in files, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::Series => "series",
            ContentType::Film => "film",
            ContentType::Reality => "reality",
            ContentType::Documentary => "documentary",
            ContentType::News => "news",
            ContentType::Kids => "kids",
            ContentType::Sport => "sport",
            ContentType::Cooking => "cooking",
            ContentType::TalkShow => "talk_show",
            ContentType::Other => "other",
        }
    }
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a content type name case-insensitively; `-`, `_` and spaces are interchangeable
/// (`"Talk show"`, `"talk-show"`, `"TALK_SHOW"`). A few common synonyms are accepted
/// (`movie`, `documentaries`, `children`…).
impl FromStr for ContentType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| if c == '-' || c == ' ' { '_' } else { c.to_ascii_lowercase() })
            .collect();
        Ok(match norm.as_str() {
            "series" | "show" | "tv_series" | "drama" => ContentType::Series,
            "film" | "movie" | "feature" => ContentType::Film,
            "reality" | "reality_tv" => ContentType::Reality,
            "documentary" | "documentaries" | "doc" => ContentType::Documentary,
            "news" | "news_magazine" => ContentType::News,
            "kids" | "children" | "family" | "animation" => ContentType::Kids,
            "sport" | "sports" => ContentType::Sport,
            "cooking" | "food" => ContentType::Cooking,
            "talk_show" | "talkshow" | "talk" => ContentType::TalkShow,
            "other" => ContentType::Other,
            _ => return Err(format!("unknown content type {s:?}")),
        })
    }
}

/// One catalog item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Item {
    /// Stable identifier, as used in interaction logs and by model endpoints.
    pub id: String,
    pub title: String,
    pub content_type: ContentType,
    pub genres: Vec<String>,
    pub year: Option<u16>,
    /// Age rating as shown to viewers (`"0"`, `"6"`, `"12"`, `"16"`, `"18"`), if known.
    pub age_rating: Option<String>,
    pub description: String,
    /// A poster: a `data:` URL for the demo catalog, or whatever the import provided.
    pub image_url: Option<String>,
    /// Columns of the source file that have no field of their own, by original header name.
    pub metadata: BTreeMap<String, String>,
}

impl Item {
    /// An item with just an id, a title and a content type; every other field empty.
    pub fn new(id: impl Into<String>, title: impl Into<String>, content_type: ContentType) -> Item {
        Item {
            id: id.into(),
            title: title.into(),
            content_type,
            genres: Vec::new(),
            year: None,
            age_rating: None,
            description: String::new(),
            image_url: None,
            metadata: BTreeMap::new(),
        }
    }
}
