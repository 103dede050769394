//! Which model, with which parameters: parsed from `name[:key=value]…` (e.g. `ease:lambda=250`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A built-in model and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModelSpec {
    /// Most watched items of all time (distinct viewers).
    Popularity,
    /// Most watched in the last `window_days` of the data, each play weighted by
    /// `0.5^(age / half_life_days)`.
    Trending { window_days: u32, half_life_days: f64 },
    /// Item-item cosine similarity over co-occurrence, `c_ij / (sqrt(n_i n_j) + shrink)`, keeping
    /// the `neighbours` most similar items of each item.
    ItemKnn { neighbours: usize, shrink: f32 },
    /// EASE (Steck 2019): `B = I − P·diag(1/diag P)`, `P = (XᵀX + λI)⁻¹`, over the items with at
    /// least `min_count` viewers.
    Ease { lambda: f64, min_count: u32 },
    /// TF-IDF over genres, content type and title/description words; the profile is the sum of
    /// the watched items' vectors.
    Content,
    /// A seeded random list per history: the control a review protocol needs.
    Random { seed: u64 },
}

/// The names `--models` accepts, in display order.
pub const MODEL_NAMES: [&str; 6] =
    ["popularity", "trending", "item-knn", "ease", "content", "random"];

/// Why a model spec could not be parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error("unknown model {0:?}; the built-in models are {names}", names = MODEL_NAMES.join(", "))]
    UnknownModel(String),
    #[error("model {model}: unknown parameter {param:?}; it takes {known}")]
    UnknownParam { model: String, param: String, known: String },
    #[error("model {model}: parameter {param} must be {expected}, not {value:?}")]
    BadValue { model: String, param: String, value: String, expected: &'static str },
    #[error("model {model}: parameter {0:?} must look like key=value", model = .1)]
    NotKeyValue(String, String),
}

impl ModelSpec {
    /// The model's name as `--models` spells it.
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Popularity => "popularity",
            ModelSpec::Trending { .. } => "trending",
            ModelSpec::ItemKnn { .. } => "item-knn",
            ModelSpec::Ease { .. } => "ease",
            ModelSpec::Content => "content",
            ModelSpec::Random { .. } => "random",
        }
    }

    /// The model with its default parameters.
    pub fn default_for(name: &str) -> Result<ModelSpec, SpecError> {
        Ok(match name {
            "popularity" => ModelSpec::Popularity,
            "trending" => ModelSpec::Trending { window_days: 30, half_life_days: 7.0 },
            "item-knn" => ModelSpec::ItemKnn { neighbours: 100, shrink: 10.0 },
            "ease" => ModelSpec::Ease { lambda: 250.0, min_count: 5 },
            "content" => ModelSpec::Content,
            "random" => ModelSpec::Random { seed: 42 },
            other => return Err(SpecError::UnknownModel(other.to_owned())),
        })
    }

    /// Parameters as `(key, value)` pairs, the way they are written and printed.
    pub fn params(&self) -> Vec<(&'static str, ParamValue)> {
        match *self {
            ModelSpec::Popularity | ModelSpec::Content => vec![],
            ModelSpec::Trending { window_days, half_life_days } => vec![
                ("window-days", ParamValue::Int(window_days.into())),
                ("half-life-days", ParamValue::Float(half_life_days)),
            ],
            ModelSpec::ItemKnn { neighbours, shrink } => vec![
                ("neighbours", ParamValue::Int(neighbours as u64)),
                ("shrink", ParamValue::Float(shrink.into())),
            ],
            ModelSpec::Ease { lambda, min_count } => vec![
                ("lambda", ParamValue::Float(lambda)),
                ("min-count", ParamValue::Int(min_count.into())),
            ],
            ModelSpec::Random { seed } => vec![("seed", ParamValue::Int(seed))],
        }
    }

    /// Parameters as a JSON object.
    pub fn params_json(&self) -> serde_json::Value {
        let map = self
            .params()
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    ParamValue::Int(i) => serde_json::Value::from(i),
                    ParamValue::Float(f) => serde_json::Value::from(f),
                };
                (k.to_owned(), v)
            })
            .collect();
        serde_json::Value::Object(map)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SpecError> {
        let model = self.name();
        let bad = |expected| SpecError::BadValue {
            model: model.to_owned(),
            param: key.to_owned(),
            value: value.to_owned(),
            expected,
        };
        let positive_float = || match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
            _ => Err(bad("a positive number")),
        };
        let count = |min: u64| match value.parse::<u64>() {
            Ok(v) if v >= min => Ok(v),
            _ if min == 0 => Err(bad("a whole number")),
            _ => Err(bad("a positive whole number")),
        };
        match (self, key) {
            (ModelSpec::Trending { window_days, .. }, "window-days") => {
                *window_days = u32::try_from(count(1)?).map_err(|_| bad("at most 4294967295"))?;
            }
            (ModelSpec::Trending { half_life_days, .. }, "half-life-days") => {
                *half_life_days = positive_float()?;
            }
            (ModelSpec::ItemKnn { neighbours, .. }, "neighbours") => {
                *neighbours = usize::try_from(count(1)?).map_err(|_| bad("smaller"))?;
            }
            (ModelSpec::ItemKnn { shrink, .. }, "shrink") => {
                *shrink = match value.parse::<f32>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => v,
                    _ => return Err(bad("a number ≥ 0")),
                };
            }
            (ModelSpec::Ease { lambda, .. }, "lambda") => *lambda = positive_float()?,
            (ModelSpec::Ease { min_count, .. }, "min-count") => {
                *min_count = u32::try_from(count(0)?).map_err(|_| bad("at most 4294967295"))?;
            }
            (ModelSpec::Random { seed }, "seed") => *seed = count(0)?,
            (spec, _) => {
                let known: Vec<&str> = spec.params().iter().map(|(k, _)| *k).collect();
                return Err(SpecError::UnknownParam {
                    model: model.to_owned(),
                    param: key.to_owned(),
                    known: if known.is_empty() {
                        "no parameters".to_owned()
                    } else {
                        known.join(", ")
                    },
                });
            }
        }
        Ok(())
    }

    /// Parses a comma-separated list such as `popularity,item-knn,ease:lambda=100`.
    pub fn parse_list(list: &str) -> Result<Vec<ModelSpec>, SpecError> {
        list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse).collect()
    }
}

impl FromStr for ModelSpec {
    type Err = SpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split(':');
        let name = parts.next().unwrap_or_default().trim();
        let mut spec = ModelSpec::default_for(name)?;
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| SpecError::NotKeyValue(part.to_owned(), name.to_owned()))?;
            spec.set(key.trim(), value.trim())?;
        }
        Ok(spec)
    }
}

/// A parameter value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    Int(u64),
    Float(f64),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(i) => write!(f, "{i}"),
            ParamValue::Float(v) => write!(f, "{v}"),
        }
    }
}

/// `name:key=value:…` with every parameter spelled out: the canonical form, used in cache keys.
impl fmt::Display for ModelSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        for (k, v) in self.params() {
            write!(f, ":{k}={v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_parameters_parse_and_print_back() {
        let specs =
            ModelSpec::parse_list("popularity, ease:lambda=100:min-count=2,item-knn").unwrap();
        assert_eq!(specs[0], ModelSpec::Popularity);
        assert_eq!(specs[1], ModelSpec::Ease { lambda: 100.0, min_count: 2 });
        assert_eq!(specs[2].to_string(), "item-knn:neighbours=100:shrink=10");
        for name in MODEL_NAMES {
            let spec: ModelSpec = name.parse().unwrap();
            assert_eq!(spec.name(), name);
            assert_eq!(spec.to_string().parse::<ModelSpec>().unwrap(), spec);
        }
    }

    #[test]
    fn bad_specs_name_what_is_wrong() {
        let e = "eas".parse::<ModelSpec>().unwrap_err();
        assert_eq!(e, SpecError::UnknownModel("eas".into()));
        assert!(e.to_string().contains("popularity, trending, item-knn, ease, content, random"));
        let e = "ease:alpha=3".parse::<ModelSpec>().unwrap_err().to_string();
        assert_eq!(e, "model ease: unknown parameter \"alpha\"; it takes lambda, min-count");
        let e = "ease:lambda=-1".parse::<ModelSpec>().unwrap_err().to_string();
        assert_eq!(e, "model ease: parameter lambda must be a positive number, not \"-1\"");
        let e = "item-knn:neighbours=0".parse::<ModelSpec>().unwrap_err().to_string();
        assert!(e.contains("positive whole number"), "{e}");
        let e = "popularity:x=1".parse::<ModelSpec>().unwrap_err().to_string();
        assert!(e.ends_with("it takes no parameters"), "{e}");
        let e = "trending:30".parse::<ModelSpec>().unwrap_err().to_string();
        assert!(e.contains("key=value"), "{e}");
    }
}
